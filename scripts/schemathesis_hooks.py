"""Schemathesis hooks for scripts/schemathesis.sh: what a JSON schema cannot state.

The OpenAPI document states every rule a JSON schema can (patterns, formats, ranges, enums,
oneOf for field combinations). Four rules it cannot state are documented in the fields'
descriptions and in docs/http.md, and are applied here to each generated request before it is
sent, the way a correct client would, so that a request schemathesis calls valid is valid:

- check characters: a codice fiscale (16 characters or 11 digits) and a partita IVA end with a
  check character computed from the others; the value generated from the pattern gets its
  check character computed (as `CodiceFiscale::complete` and `PartitaIva::complete` do);
- ordered pairs: `from` <= `to` (demand report), `opens` <= `closes` (vacancies): the two
  generated days are put in order;
- relative to today: a call's `next_call` day comes after today (the server's clock, pinned
  with INCONTRO_TODAY by the script);
- role-dependent: an admin recording or reading calls acts for a named operator (`operator`),
  which an operator's own key never needs to name;
- references: a skill URI must name one of the imported taxonomy (400 `unknown_skill`); a
  generated URI is replaced by one of the demo's (data/demo/requirements.csv), picked by a
  hash of the generated one; so is
  the centre `near` of a distance filter, which needs a comune with coordinates (400
  `unknown_comune`; data/demo/comuni.csv);
- the body of a replace (`PUT`) carries no id or the path's id (400 `id_mismatch`);
- a tirocinio's duration and monthly indemnity follow the rules of the region of the vacancy's
  comune (data/tirocinio_rules.csv; 400 `tirocinio_outside_rules`): a generated tirocinio gets
  a duration and an indemnity that every region's rule accepts;
- suggestions need the labels of their language imported (400 `language_not_imported`; the
  demo has Italian labels only) and a text whose language cannot be told needs `lang` (400
  `unknown_language`): generated suggestion requests get `lang: "it"`.

Nothing else is changed; negative cases keep whatever the generator broke unless these rules
happen to repair it (schemathesis revalidates a case a hook edits).
"""

import csv
import datetime
import hashlib
import os
import re

import schemathesis

TODAY = datetime.date.fromisoformat(os.environ.get("INCONTRO_TODAY", "2026-12-01"))
# The demo campaign's operator (data/demo): an admin names them.
OPERATOR = os.environ.get("INCONTRO_ST_OPERATOR", "op.rossi")

DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "demo")


def tirocinio_bounds():
    """The duration (months) and least monthly indemnity every region's rule accepts."""
    path = os.path.join(os.path.dirname(DEMO), "tirocinio_rules.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    low = max(int(rule["min_months"]) for rule in rules)
    high = min(int(rule["max_months"]) for rule in rules)
    indemnity = max(int(rule["min_monthly_indemnity_eur"]) for rule in rules)
    return low, high, indemnity


TIROCINIO_MONTHS_MIN, TIROCINIO_MONTHS_MAX, TIROCINIO_INDEMNITY_MIN = tirocinio_bounds()


def within_rules(placement):
    """A generated tirocinio placement moved inside every region's rule (others unchanged)."""
    if not isinstance(placement, dict) or placement.get("kind") != "tirocinio":
        return
    months = placement.get("months")
    if isinstance(months, (int, float)) and not isinstance(months, bool):
        placement["months"] = min(max(int(months), TIROCINIO_MONTHS_MIN), TIROCINIO_MONTHS_MAX)
    indemnity = placement.get("monthly_indemnity_eur")
    if isinstance(indemnity, (int, float)) and not isinstance(indemnity, bool):
        placement["monthly_indemnity_eur"] = max(int(indemnity), TIROCINIO_INDEMNITY_MIN)


def demo_column(name, column):
    with open(os.path.join(DEMO, name), newline="", encoding="utf-8") as file:
        return sorted({row[column] for row in csv.DictReader(file) if row[column]})


SKILLS = demo_column("requirements.csv", "skill_uri")
COMUNI = demo_column("comuni.csv", "code")


def known(value, choices):
    """A real URI for a generated one (the same generated value always gives the same URI)."""
    if not isinstance(value, str):
        return value
    digest = int(hashlib.sha256(value.encode("utf-8")).hexdigest()[:8], 16)
    return choices[digest % len(choices)]


def known_skills(items, field):
    """Real, distinct skills for a list of objects carrying a URI in `field` (a skill may appear
    once: 400 `duplicate_skill`); items beyond the demo's number of skills are dropped."""
    if not isinstance(items, list):
        return
    used = set()
    kept = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get(field), str):
            if len(used) == len(SKILLS):
                continue
            uri = known(item[field], SKILLS)
            while uri in used:
                uri = SKILLS[(SKILLS.index(uri) + 1) % len(SKILLS)]
            used.add(uri)
            item[field] = uri
        kept.append(item)
    items[:] = kept


PERSONAL = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")
NUMERIC = re.compile(r"^[0-9]{11}$")
ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def personal_check(first15):
    """The check character of a personal codice fiscale (DM 23/12/1976)."""
    total = 0
    for position, char in enumerate(first15):
        index = int(char) if char.isdigit() else ord(char) - ord("A")
        total += ODD[index] if position % 2 == 0 else index
    return chr(ord("A") + total % 26)


def numeric_check(first10):
    """The check digit of an 11-digit codice fiscale or partita IVA."""
    total = 0
    for position, char in enumerate(first10):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def complete_code(value):
    if not isinstance(value, str):
        return value
    if PERSONAL.match(value):
        return value[:15] + personal_check(value[:15])
    if NUMERIC.match(value):
        return value[:10] + numeric_check(value[:10])
    return value


def ordered(first, second):
    """The two ISO days in order (unchanged when either is not a day)."""
    try:
        a = datetime.date.fromisoformat(first)
        b = datetime.date.fromisoformat(second)
    except (TypeError, ValueError):
        return first, second
    return (first, second) if a <= b else (second, first)


@schemathesis.hook
def before_call(context, case, kwargs):
    path = context.operation.path
    body = case.body if isinstance(case.body, dict) else None
    if body is not None:
        for field in ("codice_fiscale", "partita_iva"):
            if field in body:
                body[field] = complete_code(body[field])
        known_skills(body.get("requirements"), "skill")
        known_skills(body.get("decisions"), "skill_uri")
        if case.method.upper() == "PUT" and body.get("id") is not None:
            body["id"] = (case.path_parameters or {}).get("id", body["id"])
        if path == "/v1/suggestions" and "text" in body:
            body["lang"] = "it"
        if path in ("/v1/vacancies", "/v1/vacancies/{id}"):
            within_rules(body.get("placement"))
        if path in ("/v1/vacancies", "/v1/vacancies/{id}") and body.get("closes") is not None:
            if "opens" in body:
                body["opens"], body["closes"] = ordered(body["opens"], body["closes"])
        if path.endswith("/attempts"):
            next_call = body.get("next_call")
            if isinstance(next_call, str):
                try:
                    day = datetime.date.fromisoformat(next_call)
                except ValueError:
                    day = None
                if day is not None and day <= TODAY:
                    body["next_call"] = (TODAY + datetime.timedelta(days=1)).isoformat()
            if not body.get("operator"):
                body["operator"] = OPERATOR
    query = case.query if isinstance(case.query, dict) else None
    if query is not None:
        if "near" in query:
            query["near"] = known(query["near"], COMUNI)
        if path == "/v1/reports/demand" and "from" in query and "to" in query:
            query["from"], query["to"] = ordered(query["from"], query["to"])
        if path == "/v1/campaigns/{id}/call-list" and not query.get("operator"):
            query["operator"] = OPERATOR
    elif path == "/v1/campaigns/{id}/call-list":
        case.query = {"operator": OPERATOR}
    if os.environ.get("ITERATE"):
        if query is not None and query.get("near") and "near_km" not in query:
            query["near_km"] = 30
        if body is not None:
            for item in body.get("decisions") or []:
                if isinstance(item, dict) and isinstance(item.get("level"), float):
                    item["level"] = int(item["level"])
