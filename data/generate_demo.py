#!/usr/bin/env python3
"""Generates Incontro's demo dataset: a small, coherent world around Lucca.

Reads the official ESCO v1.1.1 English CSVs (for URIs, skill types, reuse levels and relations)
and the Italian labels written by us in labels_it.tsv / OCCUPATIONS_IT below, and writes:
  esco-demo/  skills_it.csv, occupations_it.csv, occupationSkillRelations.csv,
              skillSkillRelations.csv   (official ESCO CSV format, Italian labels)
  demo/       comuni.csv, cp2011_isco.csv, companies.csv, vacancies.csv, requirements.csv,
              job_seekers.csv, competences.csv, work_history.csv, courses.csv, course_skills.csv
The outputs are committed; rerun only to change the demo:
  python3 data/generate_demo.py --esco /tmp/esco   (a folder with the extracted ESCO CSVs)
Standard library only; seeded, so the output is reproducible.
"""
import argparse, csv, collections, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"

OCCUPATIONS_IT = {
    "7aedaa07-3884-4c5b-88f9-80997b2aa54b": "saldatore/saldatrice",
    "2ff73126-7aff-4233-9d9c-d8725e1c6822": "saldatore/saldatrice di tubazioni",
    "4b6a55a8-8ec9-4ae2-9f62-ebcea1fa93d0": "conduttore/conduttrice di macchina continua per carta",
    "d0d7d777-073f-4c33-8f27-1d4a0e8e626f": "addetto/addetta al controllo della pasta di cellulosa",
    "eb5df714-15ce-4e31-853c-678d2aba568b": "conduttore/conduttrice di ondulatore",
    "26a86453-4236-49a3-ae3a-313c1cacb5ff": "attrezzatore/attrezzatrice navale",
    "423f4021-322b-4257-9a4e-d6ee5d166fbc": "tappezziere/tappezziera nautico",
    "8afab6c4-6145-4ea1-a0ae-d2c3438bda7e": "maestro/maestra d'ascia",
    "88589d68-b870-440e-8444-32e9935cbbbc": "motorista navale",
    "d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471": "cameriere/cameriera",
    "90f75f67-495d-49fa-ab57-2f320e251d7e": "cuoco/cuoca",
    "f756fdab-7726-4c48-bfcc-94ff8810fc08": "lavapiatti",
    "2f5e38a0-6578-4665-bdbd-e2ab505be140": "barista",
    "8f10ea9b-bfdf-4a4c-9fa7-b6e02daa93e5": "pasticciere/pasticciera",
    "1aadb308-432a-4d01-b54b-b4f7f76dd419": "fornaio/fornaia",
    "bea705fe-06ac-4147-b8e0-6e8ac1208d8f": "magazziniere/magazziniera",
    "eeac6251-1974-42f5-91ed-513c6c883755": "carrellista",
    "1391bdf9-bd61-4fb5-91ca-c29036ab2b60": "assistente familiare",
    "f4525ed8-54eb-4a3b-90db-55cc01b0d9fd": "operatore/operatrice socio-assistenziale domiciliare",
    "b31e404e-9af6-457d-a58a-208f612eeba3": "tecnico/tecnica meccanico",
    "0b15375e-dfdd-4047-9efb-096e0aaee7d2": "commesso/commessa",
    "2b871272-bd61-4206-bd1a-0b96d7023098": "cassiere/cassiera",
    "f2b15a0e-e65a-438a-affb-29b9d50b77d1": "sviluppatore/sviluppatrice software",
    "aaeec9a7-dc57-4485-890c-86b3eef735f9": "addetto/addetta all'help desk ICT",
    "eda0d957-3c3c-4139-b89a-a18bc9e18897": "contabile",
    "303a1e34-cb16-4054-b323-81e5eec17397": "addetto/addetta alle pulizie di edifici",
    "4910419f-b4af-4f59-b544-9dbebc8a74f0": "elettricista",
    "ed3cf43d-c2c1-4c46-82fc-1375e27e0290": "idraulico/idraulica",
    "6d50f735-dca9-4a02-96dc-e4310ed98ae2": "collaboratore/collaboratrice domestico",
}

# Real comuni of the province of Lucca: codice catastale, name, latitude, longitude.
COMUNI = [
    ("E715", "Lucca", 43.8429, 10.5027), ("B648", "Capannori", 43.8425, 10.5731),
    ("G882", "Porcari", 43.8383, 10.6167), ("A241", "Altopascio", 43.8167, 10.6833),
    ("L833", "Viareggio", 43.8667, 10.25), ("B455", "Camaiore", 43.9333, 10.3),
    ("G628", "Pietrasanta", 43.95, 10.2333), ("F035", "Massarosa", 43.8667, 10.3333),
    ("A657", "Barga", 44.0667, 10.4833), ("C236", "Castelnuovo di Garfagnana", 44.1, 10.4),
    ("A560", "Bagni di Lucca", 44.0167, 10.5833), ("F452", "Montecarlo", 43.85, 10.6667),
    ("G480", "Pescaglia", 43.9667, 10.4167),
]

# A few real CP2011 units with their ISCO-08 counterparts (demo excerpt of the ISTAT raccordo).
# Every code is a five-level unit of ISTAT's list; data/cp2011.csv gives its official title and
# where it was checked. 7.1.4.3.0 "Operatori di impianti per la fabbricazione della carta" is the
# paper-mill operator (ISCO 8171); 6.2.3.3.1 "Riparatori e manutentori di macchinari e impianti
# industriali" the industrial machinery mechanic (ISCO 7233).
CP2011_ISCO = [
    ("6.2.1.2.0", "7212"), ("7.1.4.3.0", "8171"), ("5.2.2.1.0", "5120"), ("5.2.2.3.2", "5131"),
    ("8.1.3.1.0", "9333"), ("5.3.1.1.0", "5322"), ("5.1.2.2.0", "5223"), ("6.2.3.3.1", "7233"),
]

COMPANIES = [
    ("C01", "Cartiera del Serchio S.p.A.", "17.12.00", True, ["B648", "G882"], ["4b6a55a8-8ec9-4ae2-9f62-ebcea1fa93d0", "d0d7d777-073f-4c33-8f27-1d4a0e8e626f", "eb5df714-15ce-4e31-853c-678d2aba568b", "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"]),
    ("C02", "Cartotecnica Porcarese S.r.l.", "17.21.00", True, ["G882"], ["eb5df714-15ce-4e31-853c-678d2aba568b", "eeac6251-1974-42f5-91ed-513c6c883755"]),
    ("C03", "Cantieri Navali Versilia S.p.A.", "30.12.00", True, ["L833"], ["7aedaa07-3884-4c5b-88f9-80997b2aa54b", "26a86453-4236-49a3-ae3a-313c1cacb5ff", "8afab6c4-6145-4ea1-a0ae-d2c3438bda7e", "88589d68-b870-440e-8444-32e9935cbbbc"]),
    ("C04", "Darsena Yacht Interiors S.r.l.", "30.12.00", True, ["L833", "F035"], ["423f4021-322b-4257-9a4e-d6ee5d166fbc", "26a86453-4236-49a3-ae3a-313c1cacb5ff"]),
    ("C05", "Hotel Le Mura S.r.l.", "55.10.00", True, ["E715"], ["d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471", "90f75f67-495d-49fa-ab57-2f320e251d7e", "f756fdab-7726-4c48-bfcc-94ff8810fc08"]),
    ("C06", "Ristorante Passeggiata a Mare S.n.c.", "56.10.11", False, ["L833"], ["d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471", "90f75f67-495d-49fa-ab57-2f320e251d7e", "2f5e38a0-6578-4665-bdbd-e2ab505be140"]),
    ("C07", "Forno Pasticceria Buccellato S.r.l.", "10.71.10", True, ["E715", "B648"], ["1aadb308-432a-4d01-b54b-b4f7f76dd419", "8f10ea9b-bfdf-4a4c-9fa7-b6e02daa93e5", "0b15375e-dfdd-4047-9efb-096e0aaee7d2"]),
    ("C08", "Logistica Piana di Lucca S.p.A.", "52.10.10", True, ["A241", "G882"], ["bea705fe-06ac-4147-b8e0-6e8ac1208d8f", "eeac6251-1974-42f5-91ed-513c6c883755"]),
    ("C09", "Cooperativa Sociale La Rete", "88.10.00", True, ["E715", "A657"], ["1391bdf9-bd61-4fb5-91ca-c29036ab2b60", "f4525ed8-54eb-4a3b-90db-55cc01b0d9fd", "6d50f735-dca9-4a02-96dc-e4310ed98ae2"]),
    ("C10", "Meccanica Garfagnana S.r.l.", "28.29.99", True, ["C236", "A657"], ["b31e404e-9af6-457d-a58a-208f612eeba3", "7aedaa07-3884-4c5b-88f9-80997b2aa54b", "2ff73126-7aff-4233-9d9c-d8725e1c6822"]),
    ("C11", "Supermercati Tirreno S.p.A.", "47.11.20", False, ["E715", "L833", "B455"], ["0b15375e-dfdd-4047-9efb-096e0aaee7d2", "2b871272-bd61-4206-bd1a-0b96d7023098", "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"]),
    ("C12", "Lucca Digital Lab S.r.l.", "62.01.00", True, ["E715"], ["f2b15a0e-e65a-438a-affb-29b9d50b77d1", "aaeec9a7-dc57-4485-890c-86b3eef735f9"]),
    ("C13", "Studio Associato Guinigi", "69.20.11", True, ["E715", "F452"], ["eda0d957-3c3c-4139-b89a-a18bc9e18897"]),
    ("C14", "Pulizie Industriali Versiliesi S.r.l.", "81.21.00", False, ["G628", "L833"], ["303a1e34-cb16-4054-b323-81e5eec17397"]),
    ("C15", "Impianti Tecnici Apuani S.r.l.", "43.21.01", True, ["B455", "E715"], ["4910419f-b4af-4f59-b544-9dbebc8a74f0", "ed3cf43d-c2c1-4c46-82fc-1375e27e0290"]),
]
AGENCIES = ["Randstad", "Adecco", "Gi Group", "Manpower"]
FIRST_F = ["Giulia", "Francesca", "Chiara", "Sara", "Martina", "Elena", "Valentina", "Alessia", "Silvia", "Laura", "Federica", "Anna", "Marta", "Ilaria", "Beatrice", "Lucia", "Elisa", "Caterina", "Roberta", "Irina", "Fatima", "Ana"]
# Synthetic citizenship for the bias report (issue 18), from the first name only so that it draws
# nothing from the random generator: Romanian names EU, the others outside the EU, the rest Italian.
def citizenship(first):
    if first in ("Ion", "Irina", "Ana"):
        return "EU"
    if first in ("Ahmed", "Fatima", "Samuel"):
        return "non_EU"
    return "IT"


FIRST_M = ["Marco", "Luca", "Andrea", "Matteo", "Francesco", "Alessandro", "Lorenzo", "Davide", "Simone", "Riccardo", "Giovanni", "Stefano", "Paolo", "Nicola", "Daniele", "Federico", "Tommaso", "Ahmed", "Ion", "Samuel"]
LAST = ["Rossi", "Bianchi", "Lazzari", "Pardini", "Giannecchini", "Bertolucci", "Martinelli", "Del Carlo", "Nardi", "Puccinelli", "Lucchesi", "Giusti", "Ricci", "Barsanti", "Franceschi", "Tognetti", "Dinelli", "Marchetti", "Benedetti", "Paoli", "Cecchi", "Salvadori", "Moretti", "Landucci", "Casali", "Popescu", "El Amrani", "Santini", "Fontana", "Guidi"]

ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
MONTHS = "ABCDEHLMPRST"


def cf_part(name, is_first):
    letters = [c for c in name.upper() if c.isalpha()]
    cons = [c for c in letters if c not in "AEIOU"]
    vows = [c for c in letters if c in "AEIOU"]
    if is_first and len(cons) >= 4:
        cons = [cons[0], cons[2], cons[3]]
    return ("".join(cons + vows) + "XXX")[:3]


def codice_fiscale(first, last, year, month, day, sex, comune):
    d = day + (40 if sex == "F" else 0)
    base = f"{cf_part(last, False)}{cf_part(first, True)}{year % 100:02d}{MONTHS[month - 1]}{d:02d}{comune}"
    total = 0
    for i, c in enumerate(base):
        idx = int(c) if c.isdigit() else ord(c) - 65
        total += ODD[idx] if i % 2 == 0 else idx
    return base + chr(65 + total % 26)


def partita_iva(first10):
    total = 0
    for i, c in enumerate(first10):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return first10 + str((10 - total % 10) % 10)


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--esco", default="/tmp/esco")
    a = ap.parse_args()
    rng = random.Random(23)
    labels_it = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(HERE, "labels_it.tsv"), encoding="utf-8"))
    skills_en = {r["conceptUri"]: r for r in csv.DictReader(open(os.path.join(a.esco, "skills_en.csv"), encoding="utf-8"))}
    occ_en = {r["conceptUri"]: r for r in csv.DictReader(open(os.path.join(a.esco, "occupations_en.csv"), encoding="utf-8"))}
    by_label = {}
    for uri, r in skills_en.items():
        by_label.setdefault(r["preferredLabel"], uri)
    chosen = {by_label[en]: it for en, it in labels_it.items()}
    occ_uris = [OCC + o for o in OCCUPATIONS_IT]
    relations = collections.defaultdict(list)
    for r in csv.DictReader(open(os.path.join(a.esco, "occupationSkillRelations.csv"), encoding="utf-8")):
        if r["occupationUri"] in OCCUPATIONS_IT and False:
            pass
        if r["occupationUri"] in occ_uris and r["skillUri"] in chosen:
            relations[r["occupationUri"]].append((r["skillUri"], r["relationType"] == "essential", r["skillType"]))

    demo = os.path.join(HERE, "esco-v1.1.1-it-demo")
    write(os.path.join(demo, "skills_it.csv"),
          ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"],
          [["KnowledgeSkillCompetence", uri, skills_en[uri]["skillType"], skills_en[uri]["reuseLevel"], it, "", "", "released", "", "", "", "", ""]
           for uri, it in sorted(chosen.items())])
    write(os.path.join(demo, "occupations_it.csv"),
          ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code"],
          [["Occupation", OCC + o, occ_en[OCC + o]["iscoGroup"], it, "", "", "released", "", "", "", "", "", "", occ_en[OCC + o]["code"]]
           for o, it in sorted(OCCUPATIONS_IT.items())])
    write(os.path.join(demo, "occupationSkillRelations.csv"), ["occupationUri", "relationType", "skillType", "skillUri"],
          [[o, "essential" if e else "optional", t, s] for o in sorted(relations) for s, e, t in relations[o]])
    ssr = [r for r in csv.DictReader(open(os.path.join(a.esco, "skillSkillRelations.csv"), encoding="utf-8"))
           if r["originalSkillUri"] in chosen and r["relatedSkillUri"] in chosen]
    write(os.path.join(demo, "skillSkillRelations.csv"), ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
          [[r["originalSkillUri"], r["originalSkillType"], r["relationType"], r["relatedSkillType"], r["relatedSkillUri"]] for r in ssr])

    out = os.path.join(HERE, "demo")
    write(os.path.join(out, "comuni.csv"), ["code", "name", "province", "lat", "lon"], [[c, n, "LU", lat, lon] for c, n, lat, lon in COMUNI])
    write(os.path.join(out, "cp2011_isco.csv"), ["cp2011", "isco08"], CP2011_ISCO)
    companies = []
    for i, (cid, name, ateco, tirocini, comuni, _) in enumerate(COMPANIES):
        piva = partita_iva(f"0{2100000 + i * 7919:07d}46"[:10])
        companies.append([cid, name, piva, piva, ateco, str(tirocini).lower(), "|".join(comuni)])
    write(os.path.join(out, "companies.csv"), ["id", "name", "codice_fiscale", "partita_iva", "ateco", "offers_tirocini", "comuni"], companies)

    vacancies, requirements = [], []
    validators = ["Marta Lazzari", "Paolo Giusti", "Elena Puccinelli"]
    n = 0
    for cid, name, ateco, tirocini, comuni, occs in COMPANIES:
        for k in range(4):
            n += 1
            occ = OCC + occs[k % len(occs)]
            vid = f"V{n:03d}"
            title = OCCUPATIONS_IT[occs[k % len(occs)]].split("/")[0].capitalize()
            is_tirocinio = tirocini and k == 3
            source = "agency" if n % 5 == 0 else "public"
            agency = AGENCIES[n % len(AGENCIES)] if source == "agency" else ""
            opens = f"2026-{rng.choice([9, 10, 11]):02d}-{rng.randint(1, 20):02d}"
            closes = f"2027-{rng.randint(1, 6):02d}-28"
            status = "validated" if n % 6 else "draft"
            contract = rng.choice(["A.01.00", "A.02.00", "A.02.00", "A.03.09"])
            vacancies.append([vid, cid, ("Tirocinio: " if is_tirocinio else "") + title,
                              f"{name} cerca {title.lower()} per la sede di {dict((c, nm) for c, nm, _, _ in COMUNI)[comuni[k % len(comuni)]]}.",
                              occ, comuni[k % len(comuni)], "tirocinio" if is_tirocinio else "contract",
                              "" if is_tirocinio else contract, "6" if is_tirocinio else "", "600" if is_tirocinio else "",
                              rng.choice([1, 1, 2, 3]), opens, closes, source, agency, status,
                              rng.choice(validators) if status == "validated" else "", "2026-11-0" + str(rng.randint(1, 9)) if status == "validated" else ""])
            rels = relations[occ]
            for s, essential, _ in rels:
                level = rng.choice([2, 2, 3, 3, 4]) if essential else rng.choice([1, 2])
                if is_tirocinio:
                    level = max(1, level - 1)
                requirements.append([vid, s, level, str(essential).lower(), ""])
    write(os.path.join(out, "vacancies.csv"), ["id", "company_id", "title", "description", "occupation_uri", "comune", "placement", "contract_type", "tirocinio_months", "tirocinio_indemnity_eur", "positions", "opens", "closes", "source", "agency", "status", "validated_by", "validated_on"], vacancies)
    write(os.path.join(out, "requirements.csv"), ["vacancy_id", "skill_uri", "level", "essential", "weight"], requirements)

    seekers, competences, history = [], [], []
    used_cf = set()
    occ_list = list(OCCUPATIONS_IT)
    for i in range(1, 201):
        sex = "F" if i % 2 else "M"
        first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
        last = rng.choice(LAST)
        year = rng.randint(1962, 2004)
        comune = rng.choice(COMUNI)[0]
        while True:
            cf = codice_fiscale(first, last, year, rng.randint(1, 12), rng.randint(1, 28), sex, comune)
            if cf not in used_cf:
                used_cf.add(cf)
                break
        sid = f"JS{i:04d}"
        mobile = "" if i % 7 == 0 else f"3{rng.randint(20, 99)}{rng.randint(1000000, 9999999)}"
        seekers.append([sid, cf, first, last, mobile, f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.org",
                        year, sex, comune, rng.choice(["lower_secondary", "vocational", "upper_secondary", "upper_secondary", "bachelor", "master"]),
                        "2026-12-01", str(year > 1990).lower(), str(i % 25 == 0).lower(), citizenship(first)])
        main_occ = OCC + occ_list[(i * 7) % len(occ_list)]
        rels = relations[main_occ]
        chosen_skills = {}
        for s, essential, _ in rels:
            if rng.random() < 0.6:
                chosen_skills[s] = rng.choice([1, 2, 2, 3, 3, 4])
        for s in rng.sample(sorted(chosen), rng.randint(1, 3)):
            chosen_skills.setdefault(s, rng.choice([1, 2]))
        for s, lvl in sorted(chosen_skills.items()):
            competences.append([sid, s, lvl, rng.choice(["declared", "declared", "assessed", "certified"]), "2026-06-15", ""])
        for j in range(rng.choice([0, 1, 1, 2, 3])):
            start_year = rng.randint(2008, 2023)
            end = f"{min(start_year + rng.randint(1, 3), 2026)}-{rng.randint(1, 12):02d}-28"
            if j == 0:
                history.append([sid, "esco", main_occ, f"{start_year}-03-01", end, rng.choice(COMPANIES)[1]])
            elif j == 1:
                cp, isco = rng.choice(CP2011_ISCO)
                history.append([sid, "cp2011", cp, f"{start_year}-03-01", end, ""])
            else:
                history.append([sid, "isco08", rng.choice(CP2011_ISCO)[1], f"{start_year}-03-01", end, ""])
    # The story: Giulia Bianchi (JS0001) nearly fits the welder vacancy of the shipyard in Viareggio.
    welder_vacancy = next(v for v in vacancies if v[4] == OCC + "7aedaa07-3884-4c5b-88f9-80997b2aa54b" and v[7])
    welder_reqs = [r for r in requirements if r[0] == welder_vacancy[0]]
    seekers[0][1:4] = [codice_fiscale("Giulia", "Bianchi", 1994, 5, 12, "F", "L833"), "Giulia", "Bianchi"]
    seekers[0][6:9] = [1994, "F", "L833"]
    competences[:] = [c for c in competences if c[0] != "JS0001"]
    missing = [r for r in welder_reqs if r[3] == "true"][:2]
    for r in welder_reqs:
        if r in missing:
            continue
        competences.append(["JS0001", r[1], max(int(r[2]), 2), "assessed", "2026-10-02", "colloquio allo sportello"])
    history[:] = [h for h in history if h[0] != "JS0001"]
    history.append(["JS0001", "cp2011", "6.2.3.3.1", "2019-04-01", "2025-09-30", "Carpenteria Metallica Massarosa"])
    competences.sort()
    write(os.path.join(out, "job_seekers.csv"), ["id", "codice_fiscale", "first_name", "last_name", "mobile", "email", "birth_year", "sex", "comune", "education", "available_from", "accepts_tirocinio", "disability", "citizenship"], seekers)
    write(os.path.join(out, "competences.csv"), ["job_seeker_id", "skill_uri", "level", "evidence", "since", "note"], competences)
    write(os.path.join(out, "work_history.csv"), ["job_seeker_id", "scheme", "code", "start", "end", "employer"], history)

    providers = ["Agenzia Formativa Lucca", "Scuola Edile Lucchese", "Centro Formazione Versilia", "Istituto Tecnico Fermi (ITS)", "Confartigianato Formazione Lucca"]
    courses, course_skills = [], []
    course_titles = []
    all_skills = sorted(chosen)
    occ_cycle = list(relations)
    for i in range(1, 26):
        cid = f"CRS{i:02d}"
        occ = occ_cycle[i % len(occ_cycle)]
        rels = [s for s, e, _ in relations[occ]]
        teaches = rng.sample(rels, min(len(rels), rng.randint(2, 4))) if rels else rng.sample(all_skills, 2)
        modality = rng.choice(["in_presence", "in_presence", "blended", "online"])
        hours = rng.choice([16, 24, 40, 60, 80, 120, 200, 300])
        start = f"2027-0{rng.randint(1, 4)}-{rng.randint(1, 25):02d}"
        end = f"2027-0{rng.randint(5, 9)}-{rng.randint(1, 25):02d}"
        title = "Corso per " + OCCUPATIONS_IT[occ[len(OCC):]].split("/")[0]
        courses.append([cid, title, rng.choice(providers), hours, start, end, modality,
                        "" if modality == "online" else rng.choice(COMUNI)[0], rng.randint(8, 20), rng.choice([0, 0, 0, 150, 400]),
                        rng.choice(["", "attestato di frequenza", "qualifica regionale"]), rng.choice(["reinserimento", "upskilling", "reskilling", "lavoro_inclusione"])])
        for s in teaches:
            course_skills.append([cid, s, rng.choice([2, 3, 3, 4])])
    # The course that closes Giulia's gap.
    courses[0] = ["CRS01", "Saldatura TIG/MIG e lettura del disegno tecnico", "Centro Formazione Versilia", 80, "2027-01-11", "2027-03-19", "in_presence", "L833", 12, 0, "qualifica regionale", "upskilling"]
    course_skills[:] = [c for c in course_skills if c[0] != "CRS01"] + [["CRS01", r[1], 4] for r in missing]
    course_skills.sort()
    write(os.path.join(out, "courses.csv"), ["id", "title", "provider", "hours", "start", "end", "modality", "comune", "seats", "cost_eur", "certification", "gol_path"], courses)
    write(os.path.join(out, "course_skills.csv"), ["course_id", "skill_uri", "level"], course_skills)
    print(f"{len(chosen)} skills, {len(OCCUPATIONS_IT)} occupations, {len(companies)} companies, {len(vacancies)} vacancies, "
          f"{len(seekers)} job seekers, {len(courses)} courses; story: JS0001 vs {welder_vacancy[0]}, missing {len(missing)}")


if __name__ == "__main__":
    main()
