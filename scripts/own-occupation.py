#!/usr/bin/env python3
"""How well a ranking puts vacancies of a person's own occupation on top.

Reads truth.csv of esco_workload.py (the occupation each worker and vacancy was drawn from) and one
or more match outputs (worker_id,rank,vacancy_id,score); prints, per output, the share of top-10
slots filled by a vacancy of the worker's own occupation, and the mean reciprocal rank of the first
such vacancy (0 when none is in the top 10).

Usage: own-occupation.py TRUTH.csv NAME=OUT.csv [NAME=OUT.csv ...]
"""
import csv, sys

truth = {}
for row in csv.DictReader(open(sys.argv[1])):
    truth[(row["kind"], row["id"])] = row["occupation_uri"]
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    hits = slots = 0
    first = {}
    workers = set()
    for row in csv.DictReader(open(path)):
        worker, rank, vacancy = row["worker_id"], int(row["rank"]), row["vacancy_id"]
        workers.add(worker)
        slots += 1
        if truth.get(("vacancy", vacancy)) == truth.get(("worker", worker)):
            hits += 1
            first.setdefault(worker, rank)
    mrr = sum(1.0 / r for r in first.values()) / max(1, len(workers))
    print(f"{name}: {len(workers)} workers, own-occupation share of top slots {hits / max(1, slots):.4f}, "
          f"MRR of first own-occupation vacancy {mrr:.4f}, workers with one in top 10 {len(first) / max(1, len(workers)):.4f}")
