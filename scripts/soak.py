#!/usr/bin/env python3
"""The HTTP soak of scripts/soak.sh: desk, validator and operator clients against a running
`incontro serve` for MINUTES minutes, reads and writes, printing per minute the requests per
second, p50/p99 latency, errors, the server's RSS and the load average.

Clients (32 by default): 3 operators (one per operator of the campaign: an operator's entries
are theirs alone), a quarter of the rest validators, the others desk staff.
- desk: a job seeker (audited read), their ranked vacancies, a vacancy's ranked candidates, a
  page of vacancies; one request in five is a write: the competence breakdown of one of half
  of the office's open vacancies put again with one level changed (it goes back to draft);
  candidates are ranked for the other half, which stay validated;
- validator: the drafts of its share of the vacancies (ids split among validators, so two
  validators never validate the same draft) and validates each;
- operator: today's call list (every entry shown is audited); a call on the first entry, `busy` with a next call tomorrow (the entry leaves today's list, so
  the list drains and the operator goes on reading).
An error is a refused connection, a timeout, or any status other than the 2xx the request
expects. Exit status 1 on any error or when the server's RSS at the end of the last minute is
more than 10 % above its RSS at the end of the warm-up (the first 2 minutes; the highest RSS in
between is printed too). RSS is printed
with its anonymous part (the heap: allocations, SQLite page caches); the rest is file-backed.
Usage: soak.py PORT SERVER_PID MINUTES KEYS_JSON [CLIENTS]
"""

import datetime
import http.client
import json
import os
import random
import sys
import threading
import time

port, server_pid, minutes, keys_file = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
clients = int(sys.argv[5]) if len(sys.argv) > 5 else 32
keys = json.load(open(keys_file))
# The server runs on the wall clock moved to INCONTRO_TODAY (its `ShiftedClock`): its day turns at
# local midnight like the wall clock's, so a run across midnight follows it the same way.
day_shift = datetime.date.fromisoformat(os.environ.get("INCONTRO_TODAY", "2026-12-01")) - datetime.date.today()


def server_today():
    return datetime.date.today() + day_shift


class Client:
    def __init__(self, key):
        self.key = key
        self.connection = None

    def request(self, method, path, body=None):
        """(status, parsed body or None, seconds); status 0 on a transport failure."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.key}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        for attempt in (0, 1):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                try:
                    parsed = json.loads(payload) if payload else None
                except ValueError:
                    parsed = None
                return response.status, parsed, elapsed
            except (http.client.HTTPException, OSError):
                # A keep-alive connection the server closed between requests: one fresh try
                # (counted from the first attempt's start).
                self.connection = None
                if attempt == 1:
                    return 0, None, time.perf_counter() - started
        return 0, None, time.perf_counter() - started


# RSS growth is the last minute's RSS against the RSS at the end of the warm-up: the first
# minutes fill bounded caches (the SQLite page caches of the pooled readers, each up to its
# database's size, the match state, the allocator's pages), and growth is what is still there
# at the end. A peak in between (the allocator holding freed pages for a while after a burst of
# load on a shared machine) is printed but does not fail the run.
WARMUP_MINUTES = 2
MAX_GROWTH_PERCENT = 10.0

lock = threading.Lock()
minute_stats = {}  # minute -> {"latencies": [], "errors": 0, "writes": 0}
error_samples = []
stop_at = None


def record(minute, elapsed, ok, what, write=False):
    with lock:
        stats = minute_stats.setdefault(minute, {"latencies": [], "errors": 0, "writes": 0})
        stats["latencies"].append(elapsed)
        if write:
            stats["writes"] += 1
        if not ok:
            stats["errors"] += 1
            if len(error_samples) < 20:
                error_samples.append(what)


def call(client, started, method, path, body=None, write=False):
    status, parsed, elapsed = client.request(method, path, body)
    minute = int((time.monotonic() - started) // 60)
    ok = 200 <= status < 300
    record(minute, elapsed, ok, f"{method} {path} -> {status} {parsed}", write)
    return status, parsed


def desk(index, started, people, vacancies, stable):
    client = Client(keys["desk"])
    rng = random.Random(index)
    while time.monotonic() < stop_at:
        roll = rng.random()
        if roll < 0.2:
            vacancy = rng.choice(vacancies)
            status, breakdown = call(client, started, "GET", f"/v1/vacancies/{vacancy}/requirements")
            if status != 200:
                continue
            requirements = [
                {"skill": item["skill"], "level": item["level"], "essential": essential, "weight": item["weight"]}
                for essential, items in ((True, breakdown["essential"]), (False, breakdown["optional"]))
                for item in items
            ]
            if requirements:
                changed = rng.randrange(len(requirements))
                requirements[changed]["level"] = rng.randint(1, 4)
            call(client, started, "PUT", f"/v1/vacancies/{vacancy}/requirements",
                 {"requirements": requirements}, write=True)
        elif roll < 0.4:
            call(client, started, "GET", f"/v1/job-seekers/{rng.choice(people)}")
        elif roll < 0.6:
            call(client, started, "GET", f"/v1/job-seekers/{rng.choice(people)}/vacancies?k=10")
        elif roll < 0.8:
            call(client, started, "GET", f"/v1/vacancies/{rng.choice(stable)}/candidates?k=10")
        else:
            call(client, started, "GET", f"/v1/vacancies?limit=20&offset={rng.randrange(0, 40)}")


def validator(index, count, started, vacancies):
    client = Client(keys["validator"])
    mine = {vacancy for position, vacancy in enumerate(vacancies) if position % count == index}
    while time.monotonic() < stop_at:
        status, page = call(client, started, "GET", "/v1/vacancies?status=draft&limit=100")
        drafts = [item["id"] for item in (page or {}).get("items", []) if item["id"] in mine]
        for vacancy in drafts:
            call(client, started, "POST", f"/v1/vacancies/{vacancy}/validate", {}, write=True)
        if not drafts:
            time.sleep(0.05)


def operator(name, started, campaign):
    client = Client(keys["operators"][name])
    while time.monotonic() < stop_at:
        tomorrow = (server_today() + datetime.timedelta(days=1)).isoformat()
        status, listing = call(client, started, "GET", f"/v1/campaigns/{campaign}/call-list")
        items = (listing or {}).get("items", []) if isinstance(listing, dict) else []
        if items:
            entry = items[0]["entry_no"]
            call(client, started, "POST", f"/v1/campaigns/{campaign}/entries/{entry}/attempts",
                 {"result": "busy", "next_call": tomorrow}, write=True)
        else:
            time.sleep(0.01)


def memory_kib(pid):
    """(resident, anonymous) KiB of the process: anonymous is the heap (malloc, SQLite page
    caches); the rest is file-backed (the binary, mapped index files)."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0].rstrip(":")] = int(parts[1])
    return fields.get("Rss", 0), fields.get("Anonymous", 0)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    global stop_at
    probe = Client(keys["desk"])
    people = [person for person in keys["people"] if probe.request("GET", f"/v1/job-seekers/{person}")[0] == 200]
    status, page = probe.request("GET", "/v1/vacancies?limit=100")[:2]
    # Open, validated vacancies (the ones matched): half are rewritten (and validated again),
    # the other half keep their breakdown, so that ranking their candidates never meets a draft.
    listed = [item["id"] for item in page["items"]]
    open_ones = [v for v in listed if probe.request("GET", f"/v1/vacancies/{v}/candidates?k=1")[0] == 200]
    vacancies, stable = open_ones[0::2], open_ones[1::2]
    if not people or not vacancies or not stable:
        print("soak: no job seeker or vacancy visible to the desk key", file=sys.stderr)
        return 2
    operators = sorted(keys["operators"])
    validators = max(1, (clients - len(operators)) // 4)
    desks = clients - len(operators) - validators
    print(f"soak: {clients} clients ({desks} desk, {validators} validator, {len(operators)} operator), "
          f"{len(people)} job seekers, {len(open_ones)} open vacancies of the desk's office "
          f"({len(vacancies)} rewritten), {minutes:g} min")
    started = time.monotonic()
    stop_at = started + minutes * 60
    threads = [threading.Thread(target=desk, args=(i, started, people, vacancies, stable)) for i in range(desks)]
    threads += [threading.Thread(target=validator, args=(i, validators, started, vacancies)) for i in range(validators)]
    threads += [threading.Thread(target=operator, args=(name, started, keys["campaign"])) for name in operators]
    for thread in threads:
        thread.daemon = True
        thread.start()
    print("minute  req/s  writes/s  p50_ms  p99_ms  errors  rss_MiB  anon_MiB  load1")
    rss = {}
    anonymous = {}
    minute = 0
    while minute < int(round(minutes)):
        time.sleep(max(0.0, started + (minute + 1) * 60 - time.monotonic()))
        rss[minute], anonymous[minute] = memory_kib(server_pid)
        with lock:
            stats = minute_stats.get(minute, {"latencies": [], "errors": 0, "writes": 0})
            latencies = list(stats["latencies"])
        load = open("/proc/loadavg").read().split()[0]
        print(f"{minute + 1:6d}  {len(latencies) / 60:5.0f}  {stats['writes'] / 60:8.1f}  "
              f"{percentile(latencies, 0.5) * 1000:6.1f}  {percentile(latencies, 0.99) * 1000:6.1f}  "
              f"{stats['errors']:6d}  {rss[minute] / 1024:7.1f}  {anonymous[minute] / 1024:8.1f}  {load}", flush=True)
        minute += 1
    for thread in threads:
        thread.join(timeout=60)
    total = sum(len(stats["latencies"]) for stats in minute_stats.values())
    errors = sum(stats["errors"] for stats in minute_stats.values())
    writes = sum(stats["writes"] for stats in minute_stats.values())
    print(f"soak: {total} requests ({writes} writes), {errors} errors")
    growth = None
    if len(rss) > WARMUP_MINUTES:
        base = rss[WARMUP_MINUTES - 1]
        last = rss[max(rss)]
        peak = max(value for minute, value in rss.items() if minute >= WARMUP_MINUTES)
        growth = (last - base) / base * 100
        print(f"soak: RSS after the {WARMUP_MINUTES}-minute warm-up {base / 1024:.1f} MiB, after the "
              f"last minute {last / 1024:.1f} MiB ({growth:+.1f} %); highest in between "
              f"{peak / 1024:.1f} MiB ({(peak - base) / base * 100:+.1f} %), after minute 1 "
              f"{rss[0] / 1024:.1f} MiB")
    else:
        print(f"soak: RSS growth not judged (a run needs more than {WARMUP_MINUTES} minutes)")
    for sample in error_samples:
        print(f"  error: {sample}"[:300])
    failed = errors > 0 or (growth is not None and growth > MAX_GROWTH_PERCENT)
    if failed:
        print(f"soak: FAILED (errors, or RSS grew more than {MAX_GROWTH_PERCENT:g} % after the warm-up)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
