#!/usr/bin/env python3
"""Writes N English sentences quoting ESCO skill labels, one per line, for timing
`incontro suggest --lines` (and a truth file: line,skill_uri of the first skill quoted).

Reads skills_en.csv from the ESCO v1.1.1 English classification zip; fixed seed, so the same
file comes out every time.

Usage: suggest-sentences.py ESCO_EN.zip N OUT.txt [TRUTH.csv]
"""
import csv, io, random, sys, zipfile

archive, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
truth_path = sys.argv[4] if len(sys.argv) > 4 else None
with zipfile.ZipFile(archive) as zf:
    name = next(n for n in zf.namelist() if n.endswith("skills_en.csv"))
    rows = list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8")))
skills = [(r["conceptUri"], r["preferredLabel"]) for r in rows if r["preferredLabel"]]
templates = [
    "The candidate must be able to {a}.",
    "Experience with {a} and {b} is an asset.",
    "You will {a} and support the team with {b}.",
    "Strong knowledge of {a}; no experience in {b} is required.",
    "Tasks: {a}, {b}, reporting to the shift supervisor.",
]
rng = random.Random(7)
truth = []
with open(out, "w", encoding="utf-8") as f:
    for line in range(1, count + 1):
        (a_uri, a), (_, b) = rng.choice(skills), rng.choice(skills)
        f.write(rng.choice(templates).replace("{a}", a).replace("{b}", b) + "\n")
        truth.append((line, a_uri))
if truth_path:
    with open(truth_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "skill_uri"])
        w.writerows(truth)
