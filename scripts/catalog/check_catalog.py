#!/usr/bin/env python3
"""Validate Canopy's app catalog (Sources/canopy/Resources/catalog) against its schema and rules.

Checks categories.json, attributes.json, apps.jsonl, risk.jsonl and NOTICE.md:
unique stable ids, one app per domain suffix and per exact host, every category and attribute
referenced exists, risk values fit their attribute's kind, sources are given for every
security/compliance/legal claim, and the minimum sizes (>= 1,500 apps, >= 300 risk profiles,
>= 60 attributes, about 50 categories).

Python 3 standard library only. Exits 0 when everything passes, 1 otherwise.

Usage: python3 scripts/catalog/check_catalog.py [--dir DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_DIR = os.path.join(REPO, "Sources", "canopy", "Resources", "catalog")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
URL_RE = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SOURCE_RE = re.compile(r"^(v2fly:[A-Za-z0-9!@._-]+|curated)$")

GROUPS = {"general", "security", "compliance", "legal"}
KINDS = {"boolean", "level", "year", "breach", "text"}
WEIGHTS = {"ignored", "low", "medium", "high", "very-high"}
APP_KEYS_REQUIRED = ["id", "name", "category", "domains", "source"]
APP_KEYS_ALLOWED = {"id", "name", "vendor", "category", "domains", "hosts", "website", "source"}

MIN_APPS = 1500
MIN_RISK = 300
MIN_ATTRIBUTES = 60
CATEGORY_RANGE = (40, 70)


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")


def valid_domain(d) -> bool:
    if not isinstance(d, str) or d != d.lower() or d.endswith(".") or len(d) > 253:
        return False
    labels = d.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(LABEL_RE.match(lbl) for lbl in labels)


def load_json(c: Checker, path: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        c.err(os.path.basename(path), "missing")
    except json.JSONDecodeError as exc:
        c.err(os.path.basename(path), f"invalid JSON: {exc}")
    return None


def load_jsonl(c: Checker, path: str):
    name = os.path.basename(path)
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    c.err(f"{name}:{n}", "empty line")
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    c.err(f"{name}:{n}", f"invalid JSON: {exc}")
                    continue
                if not isinstance(obj, dict):
                    c.err(f"{name}:{n}", "not a JSON object")
                    continue
                rows.append((n, obj))
    except FileNotFoundError:
        c.err(name, "missing")
    return rows


def check_categories(c: Checker, cats) -> set[str]:
    ids: set[str] = set()
    if not isinstance(cats, list):
        c.err("categories.json", "must be a JSON array")
        return ids
    for i, cat in enumerate(cats):
        where = f"categories.json[{i}]"
        if not isinstance(cat, dict) or set(cat) != {"id", "name", "description"}:
            c.err(where, "must have exactly the keys id, name, description")
            continue
        if not isinstance(cat["id"], str) or not ID_RE.match(cat["id"]):
            c.err(where, f"invalid id {cat['id']!r}")
        elif cat["id"] in ids:
            c.err(where, f"duplicate id {cat['id']}")
        ids.add(cat.get("id"))
        for k in ("name", "description"):
            if not isinstance(cat[k], str) or not cat[k].strip():
                c.err(where, f"empty {k}")
    lo, hi = CATEGORY_RANGE
    if not lo <= len(ids) <= hi:
        c.err("categories.json", f"{len(ids)} categories, expected about 50 ({lo}-{hi})")
    return ids


def check_attributes(c: Checker, attrs) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if not isinstance(attrs, list):
        c.err("attributes.json", "must be a JSON array")
        return out
    for i, a in enumerate(attrs):
        where = f"attributes.json[{i}]"
        if not isinstance(a, dict):
            c.err(where, "not an object")
            continue
        aid = a.get("id")
        where = f"attributes.json[{aid}]"
        if not isinstance(aid, str) or not ID_RE.match(aid):
            c.err(where, "invalid id")
            continue
        if aid in out:
            c.err(where, "duplicate id")
        for k in ("name", "description"):
            if not isinstance(a.get(k), str) or not a[k].strip():
                c.err(where, f"missing {k}")
        if a.get("group") not in GROUPS:
            c.err(where, f"group must be one of {sorted(GROUPS)}")
        kind = a.get("kind")
        if kind not in KINDS:
            c.err(where, f"kind must be one of {sorted(KINDS)}")
        if a.get("weight") not in WEIGHTS:
            c.err(where, f"weight must be one of {sorted(WEIGHTS)}")
        allowed = {"id", "group", "name", "description", "kind", "weight"}
        if kind == "boolean":
            allowed.add("good")
            if not isinstance(a.get("good"), bool):
                c.err(where, "boolean attribute needs good: true|false")
        if kind == "level":
            allowed.add("levels")
            lv = a.get("levels")
            if not isinstance(lv, dict) or not lv:
                c.err(where, "level attribute needs a non-empty levels object")
            else:
                for name, score in lv.items():
                    if not ID_RE.match(name) and not re.match(r"^[a-z0-9.]+(?:-[a-z0-9.]+)*$", name):
                        c.err(where, f"invalid level name {name!r}")
                    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 10:
                        c.err(where, f"level {name} score must be a number 0-10")
        extra = set(a) - allowed
        if extra:
            c.err(where, f"unexpected keys {sorted(extra)}")
        out[aid] = a
    if len(out) < MIN_ATTRIBUTES:
        c.err("attributes.json", f"{len(out)} attributes, need at least {MIN_ATTRIBUTES}")
    return out


def check_apps(c: Checker, rows, cat_ids: set[str]) -> set[str]:
    ids: list[str] = []
    domain_owner: dict[str, str] = {}
    host_owner: dict[str, str] = {}
    for n, app in rows:
        where = f"apps.jsonl:{n}"
        for k in APP_KEYS_REQUIRED:
            if k not in app:
                c.err(where, f"missing key {k}")
        extra = set(app) - APP_KEYS_ALLOWED
        if extra:
            c.err(where, f"unexpected keys {sorted(extra)}")
        aid = app.get("id")
        if not isinstance(aid, str) or not ID_RE.match(aid):
            c.err(where, f"invalid id {aid!r}")
            continue
        where = f"apps.jsonl:{n} ({aid})"
        ids.append(aid)
        if not isinstance(app.get("name"), str) or not app["name"].strip():
            c.err(where, "empty name")
        if "vendor" in app and (not isinstance(app["vendor"], str) or not app["vendor"].strip()):
            c.err(where, "vendor must be a non-empty string when present")
        if app.get("category") not in cat_ids:
            c.err(where, f"unknown category {app.get('category')!r}")
        if "website" in app and (not isinstance(app["website"], str) or not URL_RE.match(app["website"])):
            c.err(where, f"website must be an https URL: {app.get('website')!r}")
        src = app.get("source")
        if not isinstance(src, str) or not SOURCE_RE.match(src):
            c.err(where, f"source must be v2fly:<list> or curated: {src!r}")
        domains = app.get("domains", [])
        hosts = app.get("hosts", [])
        if not isinstance(domains, list) or not isinstance(hosts, list):
            c.err(where, "domains and hosts must be arrays")
            continue
        if "hosts" in app and not hosts:
            c.err(where, "hosts present but empty (omit the key instead)")
        if not domains and not hosts:
            c.err(where, "no domains and no hosts")
        for key, values, owners in (("domains", domains, domain_owner), ("hosts", hosts, host_owner)):
            if values != sorted(values):
                c.err(where, f"{key} not sorted")
            if len(set(values)) != len(values):
                c.err(where, f"duplicate entries in {key}")
            for d in values:
                if not valid_domain(d):
                    c.err(where, f"invalid {key[:-1]} {d!r} (lowercase, punycode, at least two labels)")
                    continue
                if d in owners and owners[d] != aid:
                    c.err(where, f"{key[:-1]} {d} also belongs to {owners[d]}")
                owners[d] = aid
    if ids != sorted(ids):
        c.err("apps.jsonl", "lines are not sorted by id")
    if len(ids) != len(set(ids)):
        seen, dups = set(), set()
        for i in ids:
            (dups if i in seen else seen).add(i)
        c.err("apps.jsonl", f"duplicate app ids: {sorted(dups)}")
    for h, a in host_owner.items():
        if h in domain_owner:
            c.err("apps.jsonl", f"host {h} ({a}) is also a domain suffix rule of {domain_owner[h]}")
    # redundancy: a suffix rule whose nearest owned parent is the same app adds nothing
    for d, a in domain_owner.items():
        labels = d.split(".")
        for i in range(1, len(labels) - 1):
            p = ".".join(labels[i:])
            if p in domain_owner:
                if domain_owner[p] == a:
                    c.err("apps.jsonl", f"{a}: {d} is redundant with its own {p}")
                break
    if len(set(ids)) < MIN_APPS:
        c.err("apps.jsonl", f"{len(set(ids))} apps, need at least {MIN_APPS}")
    return set(ids)


def check_value(kind: str, attr: dict, value) -> str | None:
    if kind == "boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if kind == "level":
        return None if isinstance(value, str) and value in attr.get("levels", {}) else \
            f"must be one of {sorted(attr.get('levels', {}))}"
    if kind == "year":
        this_year = datetime.date.today().year
        if isinstance(value, bool) or not isinstance(value, int) or not 1600 <= value <= this_year:
            return f"must be a year between 1600 and {this_year}"
        return None
    if kind == "breach":
        if value == "none":
            return None
        if isinstance(value, str) and MONTH_RE.match(value):
            return None
        return 'must be "none" or "YYYY-MM"'
    if kind == "text":
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    return "unknown kind"


def check_risk(c: Checker, rows, app_ids: set[str], attrs: dict[str, dict]) -> int:
    seen: list[str] = []
    for n, rec in rows:
        where = f"risk.jsonl:{n}"
        if set(rec) != {"app", "asOf", "attributes"}:
            c.err(where, "must have exactly the keys app, asOf, attributes")
        app = rec.get("app")
        where = f"risk.jsonl:{n} ({app})"
        if app not in app_ids:
            c.err(where, "app id not in apps.jsonl")
        seen.append(app)
        if not isinstance(rec.get("asOf"), str) or not MONTH_RE.match(rec["asOf"]):
            c.err(where, "asOf must be YYYY-MM")
        values = rec.get("attributes")
        if not isinstance(values, dict) or not values:
            c.err(where, "attributes must be a non-empty object")
            continue
        for aid, v in values.items():
            w = f"{where} {aid}"
            attr = attrs.get(aid)
            if attr is None:
                c.err(w, "unknown attribute")
                continue
            if not isinstance(v, dict) or "value" not in v or set(v) - {"value", "source", "note"}:
                c.err(w, "must be an object {value, source?, note?}")
                continue
            problem = check_value(attr["kind"], attr, v["value"])
            if problem:
                c.err(w, f"value {v['value']!r} {problem}")
            src = v.get("source")
            if src is not None and (not isinstance(src, str) or not URL_RE.match(src)):
                c.err(w, f"source must be an https URL: {src!r}")
            if attr["group"] != "general" and src is None:
                c.err(w, "security, compliance and legal claims need a source URL")
    if seen != sorted(seen):
        c.err("risk.jsonl", "lines are not sorted by app")
    if len(seen) != len(set(seen)):
        c.err("risk.jsonl", "an app appears more than once")
    if len(set(seen)) < MIN_RISK:
        c.err("risk.jsonl", f"{len(set(seen))} apps with risk attributes, need at least {MIN_RISK}")
    return len(set(seen))


def check_notice(c: Checker, path: str) -> None:
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        c.err("NOTICE.md", "missing")
        return
    for needle in ("v2fly", "MIT", "UT1", "CC BY-SA 4.0", "build_catalog.py"):
        if needle not in text:
            c.err("NOTICE.md", f"does not mention {needle}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=DEFAULT_DIR)
    args = ap.parse_args()
    c = Checker()
    cat_ids = check_categories(c, load_json(c, os.path.join(args.dir, "categories.json")))
    attrs = check_attributes(c, load_json(c, os.path.join(args.dir, "attributes.json")))
    app_ids = check_apps(c, load_jsonl(c, os.path.join(args.dir, "apps.jsonl")), cat_ids)
    n_risk = check_risk(c, load_jsonl(c, os.path.join(args.dir, "risk.jsonl")), app_ids, attrs)
    check_notice(c, os.path.join(args.dir, "NOTICE.md"))
    if c.errors:
        for e in c.errors[:200]:
            print(f"check_catalog: {e}", file=sys.stderr)
        if len(c.errors) > 200:
            print(f"check_catalog: ... and {len(c.errors) - 200} more", file=sys.stderr)
        print(f"check_catalog: FAILED with {len(c.errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_catalog: OK - {len(app_ids)} apps, {len(cat_ids)} categories, {len(attrs)} attributes, "
          f"{n_risk} risk profiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
