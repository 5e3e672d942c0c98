#!/usr/bin/env python3
"""Turn an esco_workload.py output into an `incontro import records` folder.

Vacancies (all of them, validated, open 2025-01-01..2099-12-31, contracts in the demo's comuni of
the province of Lucca, spread over the demo companies) and the first N workers as job seekers
(declared competences, synthetic but valid codici fiscali). Standard library only.

Usage: workload_to_records.py --workload WL --demo data/demo --people N --out DIR
"""
import argparse, csv, os, shutil

ODD = {**{str(d): v for d, v in zip(range(10), [1, 0, 5, 7, 9, 13, 15, 17, 19, 21])},
       **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))}
EVEN = {**{str(d): d for d in range(10)}, **{c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}


def codice_fiscale(index):
    letters = ""
    n = index
    for _ in range(6):
        letters += "BCDFGHLMNPRSTVZ"[n % 15]
        n //= 15
    body = f"{letters}{80 + index % 20:02d}{'ABCDEHLMPRST'[index % 12]}{1 + index % 28:02d}E715"
    total = sum((ODD if i % 2 == 0 else EVEN)[c] for i, c in enumerate(body))
    return body + chr(ord("A") + total % 26)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", required=True)
    parser.add_argument("--demo", required=True)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    assert codice_fiscale(0)[-1].isalpha()
    os.makedirs(args.out, exist_ok=True)
    for name in ("comuni.csv", "companies.csv", "cp2011_isco.csv"):
        shutil.copy(os.path.join(args.demo, name), os.path.join(args.out, name))
    companies = [(r["id"], r["comuni"].split("|")[0]) for r in csv.DictReader(open(os.path.join(args.demo, "companies.csv")))]

    vacancy_ids = []
    with open(os.path.join(args.workload, "vacancies.csv")) as source, \
            open(os.path.join(args.out, "requirements.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["vacancy_id", "skill_uri", "level", "essential", "weight"])
        for row in csv.DictReader(source):
            if not vacancy_ids or vacancy_ids[-1] != row["vacancy_id"]:
                vacancy_ids.append(row["vacancy_id"])
            writer.writerow([row["vacancy_id"], row["skill_uri"], row["level"], row["essential"], ""])
    with open(os.path.join(args.out, "vacancies.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "company_id", "title", "description", "occupation_uri", "comune", "placement",
                         "contract_type", "tirocinio_months", "tirocinio_indemnity_eur", "positions", "opens",
                         "closes", "source", "agency", "status", "validated_by", "validated_on"])
        for index, vacancy in enumerate(vacancy_ids):
            company, comune = companies[index % len(companies)]
            writer.writerow([vacancy, company, f"Posizione {vacancy}", "Generata dal carico di prova.", "", comune,
                             "contract", "A.02.00", "", "", 1, "2025-01-01", "2099-12-31", "public", "",
                             "validated", "Bench", "2025-01-02"])

    comuni = [r["code"] for r in csv.DictReader(open(os.path.join(args.demo, "comuni.csv")))]
    people = []
    with open(os.path.join(args.workload, "workers.csv")) as source, \
            open(os.path.join(args.out, "competences.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["job_seeker_id", "skill_uri", "level", "evidence", "since", "note"])
        seen = set()
        for row in csv.DictReader(source):
            worker = row["worker_id"]
            if worker not in seen:
                if len(people) == args.people:
                    break
                seen.add(worker)
                people.append(worker)
            if (worker, row["skill_uri"]) in seen:
                continue
            seen.add((worker, row["skill_uri"]))
            writer.writerow([worker, row["skill_uri"], row["level"], "declared", "2025-01-01", ""])
    with open(os.path.join(args.out, "job_seekers.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "codice_fiscale", "first_name", "last_name", "mobile", "email", "birth_year", "sex",
                         "comune", "education", "available_from", "accepts_tirocinio", "disability"])
        for index, person in enumerate(people):
            writer.writerow([person, codice_fiscale(index), "Nome", "Cognome", "", "", 1980 + index % 20,
                             "M", comuni[index % len(comuni)], "upper_secondary", "2025-01-01", "true", "false"])
    with open(os.path.join(args.out, "people.txt"), "w") as out:
        out.write("\n".join(people) + "\n")
    print(f"{len(vacancy_ids)} vacancies, {len(people)} job seekers -> {args.out}")


if __name__ == "__main__":
    main()
