#!/usr/bin/env python3
"""Build Canopy's open app catalog from the seed data and the curated tables.

Deterministic, Python 3 standard library only.

Inputs
  --seed DIR (default: ../shared/data/app-catalog-seed relative to the repository)
      v2fly-domain-list-community/data/   one domain list per service (MIT)
      ut1-blacklists/<category>/domains   UT1 category lists (CC BY-SA 4.0)
  scripts/catalog/categories.json         the fixed list of business categories
  scripts/catalog/category_map.json       v2fly category-* and UT1 categories -> Canopy categories
  scripts/catalog/v2fly_apps.json         review of every v2fly service list: app id, name,
                                          category, vendor, website -- or skip/drop
  scripts/catalog/curated_apps.json       apps added or split out by hand
  scripts/catalog/domain_rules.json       ownership of shared domains, conflict resolution
  scripts/catalog/attributes.json         risk attribute definitions
  scripts/catalog/risk_curated.json       curated risk attribute values
  scripts/catalog/NOTICE.template.md      licence and provenance notice (filled in with counts)

Outputs (in Sources/canopy/Resources/catalog/)
  categories.json, attributes.json, apps.jsonl, risk.jsonl, NOTICE.md

Usage
  python3 scripts/catalog/build_catalog.py [--seed DIR] [--out DIR] [--report]
"""

from __future__ import annotations

import argparse
import collections
import ipaddress
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_SEED = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "app-catalog-seed"))
DEFAULT_OUT = os.path.join(REPO, "Sources", "canopy", "Resources", "catalog")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

# v2fly lists that are groupings rather than one service or company.
NON_SERVICE_PREFIXES = ("category-", "geolocation-", "tld-")
NON_SERVICE_NAMES = {"private"}


class BuildError(Exception):
    pass


def fail(msg: str) -> None:
    raise BuildError(msg)


def load_json(name: str):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return json.load(fh)


# --------------------------------------------------------------------------------------------
# Domain normalisation
# --------------------------------------------------------------------------------------------

def to_ascii_label(label: str) -> str:
    if label.isascii():
        return label
    return "xn--" + label.encode("punycode").decode("ascii")


def normalize_domain(raw: str) -> str | None:
    """Lowercase, strip a trailing dot, punycode IDN labels. None if not a usable suffix rule."""
    d = raw.strip().lower().rstrip(".")
    if not d:
        return None
    try:
        ipaddress.ip_address(d)
        return None  # IP literals are not domain rules
    except ValueError:
        pass
    labels = [to_ascii_label(lbl) for lbl in d.split(".")]
    if len(labels) < 2:
        return None  # single-label rules (brand TLDs such as ".microsoft") are not kept
    if not all(LABEL_RE.match(lbl) for lbl in labels):
        return None
    if labels[-1].isdigit():
        return None
    return ".".join(labels)


def parents(domain: str):
    """Proper parent suffixes of a domain, nearest first (a.b.c -> b.c)."""
    labels = domain.split(".")
    for i in range(1, len(labels) - 1):
        yield ".".join(labels[i:])


# --------------------------------------------------------------------------------------------
# v2fly parsing
# --------------------------------------------------------------------------------------------

class Entry:
    __slots__ = ("kind", "value", "attrs")

    def __init__(self, kind: str, value: str, attrs: frozenset):
        self.kind = kind
        self.value = value
        self.attrs = attrs


def parse_v2fly(data_dir: str) -> dict[str, list[Entry]]:
    lists: dict[str, list[Entry]] = {}
    for name in sorted(os.listdir(data_dir)):
        path = os.path.join(data_dir, name)
        if not os.path.isfile(path):
            continue
        entries: list[Entry] = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                parts = line.split()
                rule = parts[0]
                attrs = frozenset(p[1:] for p in parts[1:] if p.startswith("@"))
                if ":" in rule:
                    kind, value = rule.split(":", 1)
                else:
                    kind, value = "domain", rule
                if kind not in ("domain", "full", "include", "regexp", "keyword"):
                    fail(f"v2fly/{name}: unknown rule kind {kind!r}")
                entries.append(Entry(kind, value, attrs))
        lists[name] = entries
    return lists


def is_service_list(name: str) -> bool:
    if name in NON_SERVICE_NAMES or name.startswith(NON_SERVICE_PREFIXES) or name.endswith("-ads"):
        return False
    return True


def include_filter(attrs: frozenset):
    """v2fly include attribute filters: @x keeps entries with x, @-x keeps entries without x."""
    need = {a for a in attrs if not a.startswith("-")}
    avoid = {a[1:] for a in attrs if a.startswith("-")}

    def ok(entry_attrs: frozenset) -> bool:
        return need <= entry_attrs and not (avoid & entry_attrs)

    return ok


def cn_primary(entries: list[Entry]) -> bool:
    """True when most of a list's rules carry @cn: there @cn marks reachability, not a China variant."""
    rules = [e for e in entries if e.kind in ("domain", "full")]
    if not rules:
        return False
    return sum(1 for e in rules if "cn" in e.attrs) * 2 >= len(rules)


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=DEFAULT_SEED)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--report", action="store_true", help="print per-app category routes")
    args = ap.parse_args()
    try:
        stats = build(args.seed, args.out, args.report)
    except BuildError as exc:
        print(f"build_catalog: error: {exc}", file=sys.stderr)
        return 1
    for line in stats:
        print(line)
    return 0


def build(seed: str, out: str, report: bool) -> list[str]:
    data_dir = os.path.join(seed, "v2fly-domain-list-community", "data")
    ut1_dir = os.path.join(seed, "ut1-blacklists")
    if not os.path.isdir(data_dir):
        fail(f"seed not found: {data_dir}")

    categories = load_json("categories.json")
    category_ids = [c["id"] for c in categories]
    cat_set = set(category_ids)
    cmap = load_json("category_map.json")
    v2cfg = load_json("v2fly_apps.json")
    curated = load_json("curated_apps.json")
    rules = load_json("domain_rules.json")

    for cid_pair in cmap["v2fly"]:
        if cid_pair[1] not in cat_set:
            fail(f"category_map.json: unknown category {cid_pair[1]}")
    for k, v in cmap["ut1"].items():
        if v not in cat_set:
            fail(f"category_map.json: unknown category {v} for UT1 {k}")
    v2_priority = {name: i for i, (name, _) in enumerate(cmap["v2fly"])}
    v2_catmap = dict(cmap["v2fly"])

    lists = parse_v2fly(data_dir)

    # include graph
    included_by: dict[str, list[tuple[str, frozenset]]] = collections.defaultdict(list)
    for name, entries in lists.items():
        for e in entries:
            if e.kind == "include":
                if e.value not in lists:
                    fail(f"v2fly/{name}: include of missing list {e.value}")
                included_by[e.value].append((name, e.attrs))

    # adult lists: everything category-porn includes, transitively
    adult: set[str] = set()
    stack = ["category-porn"]
    while stack:
        cur = stack.pop()
        for e in lists.get(cur, []):
            if e.kind == "include" and e.value not in adult:
                adult.add(e.value)
                stack.append(e.value)

    skip = v2cfg["skip"]
    drop = v2cfg["drop"]
    apps_cfg = v2cfg["apps"]
    service = sorted(n for n in lists if is_service_list(n))
    unreviewed = [n for n in service if n not in skip and n not in drop and n not in apps_cfg and n not in adult]
    if unreviewed:
        fail("v2fly lists not reviewed in v2fly_apps.json (add to apps, skip or drop): " + " ".join(unreviewed))
    for n in list(skip) + list(drop) + list(apps_cfg):
        if n not in lists:
            fail(f"v2fly_apps.json names a list missing from the seed: {n}")
        if n in apps_cfg and (n in skip or n in drop):
            fail(f"v2fly_apps.json: {n} is both an app and skipped/dropped")
        if n in apps_cfg and n in adult:
            fail(f"v2fly_apps.json: {n} is an adult list and cannot be an app")
    app_lists = [n for n in service if n in apps_cfg]

    # ---- UT1
    ut1: dict[str, list[str]] = collections.defaultdict(list)
    ut1_order = cmap["ut1_order"]
    for ucat in ut1_order:
        p = os.path.join(ut1_dir, ucat, "domains")
        if not os.path.exists(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                d = line.strip().lower()
                if d:
                    ut1[d].append(ucat)

    # ---- collect domains of each v2fly app
    def collect(name: str, keep, seen: set, out_d: list, out_h: list, dropped: collections.Counter):
        if name in seen:
            return
        seen.add(name)
        entries = lists[name]
        primary_cn = cn_primary(entries)
        for e in entries:
            if not keep(e.attrs):
                continue
            if e.kind == "include":
                child = e.value
                if child in apps_cfg or child in drop or child in adult or not is_service_list(child):
                    continue
                if child in skip:
                    collect(child, include_filter(e.attrs), seen, out_d, out_h, dropped)
                continue
            if e.kind in ("regexp", "keyword"):
                dropped["regexp/keyword rule"] += 1
                continue
            if "ads" in e.attrs:
                dropped["@ads rule"] += 1
                continue
            if "cn" in e.attrs and not primary_cn:
                dropped["@cn China-mainland variant"] += 1
                continue
            d = normalize_domain(e.value)
            if d is None:
                dropped["single-label or invalid rule"] += 1
                continue
            (out_d if e.kind == "domain" else out_h).append((d, name))

    dropped_stats: collections.Counter = collections.Counter()
    raw: dict[str, dict] = {}
    for name in app_lists:
        cfg = apps_cfg[name]
        app_id = cfg.get("id", name)
        ds: list = []
        hs: list = []
        collect(name, lambda a: True, set(), ds, hs, dropped_stats)
        raw[app_id] = {
            "list": name,
            "cfg": cfg,
            "domains": [d for d, _ in ds],
            "hosts": [h for h, _ in hs],
        }

    # ---- curated apps
    seed_index: dict[str, set[str]] = collections.defaultdict(set)  # rule -> v2fly files that contain it
    for name, entries in lists.items():
        for e in entries:
            if e.kind in ("domain", "full"):
                d = normalize_domain(e.value)
                if d:
                    seed_index[(e.kind, d)].add(name)
    curated_ids = set()
    for c in curated:
        cid = c["id"]
        if cid in raw or cid in curated_ids:
            fail(f"curated_apps.json: duplicate app id {cid}")
        curated_ids.add(cid)
        ds = []
        for d in c.get("domains", []):
            nd = normalize_domain(d)
            if nd is None:
                fail(f"curated_apps.json: {cid}: invalid domain {d!r}")
            ds.append(nd)
        hs = []
        for h in c.get("hosts", []):
            nh = normalize_domain(h)
            if nh is None:
                fail(f"curated_apps.json: {cid}: invalid host {h!r}")
            hs.append(nh)
        if not ds and not hs:
            fail(f"curated_apps.json: {cid}: no domains")
        raw[cid] = {"list": None, "cfg": c, "domains": ds, "hosts": hs}

    # ---- ids
    for app_id in raw:
        if not ID_RE.match(app_id):
            fail(f"invalid app id {app_id!r}")

    # ---- ownership of domain suffixes
    shared = rules.get("shared_suffixes", {})        # suffix -> owning app id
    owners = rules.get("owners", {})                 # domain -> app id (resolves duplicates)
    drop_domains = rules.get("drop", {})             # app id -> [domains removed from that app]
    for app_id, doms in drop_domains.items():
        if app_id not in raw:
            fail(f"domain_rules.json drop: unknown app {app_id}")
        for d in doms:
            if d not in raw[app_id]["domains"] and d not in raw[app_id]["hosts"]:
                fail(f"domain_rules.json drop: {d} is not a rule of {app_id}")
        raw[app_id]["domains"] = [d for d in raw[app_id]["domains"] if d not in doms]
        raw[app_id]["hosts"] = [h for h in raw[app_id]["hosts"] if h not in doms]
    for suffix, owner in list(shared.items()) + list(owners.items()):
        if owner not in raw:
            fail(f"domain_rules.json: unknown owner app {owner} for {suffix}")

    claims: dict[str, list[str]] = collections.defaultdict(list)
    for app_id in sorted(raw):
        for d in dict.fromkeys(raw[app_id]["domains"]):
            claims[d].append(app_id)
    domain_owner: dict[str, str] = {}
    conflicts = []
    removed_shared = 0
    for d in sorted(claims):
        cl = claims[d]
        if d in shared:
            if shared[d] not in cl:
                fail(f"shared suffix {d} is not listed by its owner {shared[d]}")
            removed_shared += len(cl) - 1
            domain_owner[d] = shared[d]
            continue
        if len(cl) == 1:
            domain_owner[d] = cl[0]
            continue
        if d in owners:
            if owners[d] not in cl:
                fail(f"domain_rules.json owners: {d} -> {owners[d]}, but claimed by {cl}")
            domain_owner[d] = owners[d]
            continue
        cur = [a for a in cl if a in curated_ids]
        if len(cur) == 1:
            domain_owner[d] = cur[0]  # a curated split-out app takes the domain from the v2fly list
            continue
        conflicts.append(f"{d}: {' '.join(cl)}")
    if conflicts:
        fail("domain claimed by several apps (resolve in domain_rules.json owners):\n  " + "\n  ".join(conflicts))
    unused_owner = [d for d in owners if d not in claims or len(claims[d]) < 2]
    if unused_owner:
        fail("domain_rules.json owners entries that resolve nothing: " + " ".join(unused_owner))

    app_domains: dict[str, set[str]] = collections.defaultdict(set)
    for d, a in domain_owner.items():
        app_domains[a].add(d)

    def owner_of(host: str):
        """Longest-suffix owner of a host name under the current domain table."""
        if host in domain_owner:
            return domain_owner[host], host
        for p in parents(host):
            if p in domain_owner:
                return domain_owner[p], p
        return None, None

    # redundant subdomains: d is redundant when its nearest owned parent belongs to the same app
    redundant = 0
    for d in sorted(domain_owner, key=lambda x: (-x.count("."), x)):
        a = domain_owner[d]
        for p in parents(d):
            if p in domain_owner:
                if domain_owner[p] == a:
                    app_domains[a].discard(d)
                    redundant += 1
                break
    # rebuild the table without the redundant entries (same matching result)
    domain_owner = {d: a for a, ds in app_domains.items() for d in ds}

    # exact hosts: keep only those that change the match result; one app per host
    host_owner: dict[str, str] = {}
    host_conflicts = []
    for app_id in sorted(raw):
        for h in dict.fromkeys(raw[app_id]["hosts"]):
            o, _ = owner_of(h)
            if o == app_id:
                continue  # already matched by the app's own suffix rules
            if h in domain_owner:
                continue  # an explicit suffix rule of another app wins over a host rule
            if h in host_owner and host_owner[h] != app_id:
                host_conflicts.append(f"{h}: {host_owner[h]} {app_id}")
                continue
            host_owner[h] = app_id
    if host_conflicts:
        fail("host claimed by several apps:\n  " + "\n  ".join(host_conflicts))
    app_hosts: dict[str, set[str]] = collections.defaultdict(set)
    for h, a in host_owner.items():
        app_hosts[a].add(h)

    # ---- categories
    def v2_direct(name: str):
        best = None
        for parent, _attrs in included_by.get(name, []):
            if parent in v2_catmap:
                if best is None or v2_priority[parent] < v2_priority[best]:
                    best = parent
        return best

    def v2_inherited(name: str, depth: int = 0):
        if depth > 8:
            return None
        for parent, _attrs in sorted(included_by.get(name, [])):
            if parent in apps_cfg or parent in skip:
                hit = v2_direct(parent) or v2_inherited(parent, depth + 1)
                if hit:
                    return hit
        return None

    def main_domain(app_id: str, name: str, doms: list[str]):
        site = raw[app_id]["cfg"].get("website")
        if site:
            host = re.sub(r"^https?://", "", site).split("/")[0].lower()
            host = host[4:] if host.startswith("www.") else host
            if host in doms:
                return host
        for tld in ("com", "org", "net", "io"):
            if f"{name}.{tld}" in doms:
                return f"{name}.{tld}"
        return doms[0] if doms else None

    routes: collections.Counter = collections.Counter()
    excluded_no_category = []
    apps_out = []
    route_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for app_id in sorted(raw):
        r = raw[app_id]
        cfg = r["cfg"]
        name = r["list"]
        auto = None
        route = None
        if name is not None:
            hit = v2_direct(name)
            if hit:
                auto, route = v2_catmap[hit], f"v2fly:{hit}"
            else:
                hit = v2_inherited(name)
                if hit:
                    auto, route = v2_catmap[hit], f"v2fly:{hit} (inherited)"
                else:
                    md = main_domain(app_id, name, r["domains"])
                    if md and md in ut1:
                        ucats = sorted(ut1[md], key=ut1_order.index)
                        auto, route = cmap["ut1"][ucats[0]], f"ut1:{ucats[0]}"
        if route is None:
            auto_kind = None
        elif route.startswith("ut1:"):
            auto_kind = "ut1"
        elif route.endswith("(inherited)"):
            auto_kind = "v2fly category-* (inherited)"
        else:
            auto_kind = "v2fly category-*"
        chosen = cfg.get("category")
        if chosen:
            if chosen not in cat_set:
                fail(f"{app_id}: unknown category {chosen}")
            if name is None:
                kind = "curated app"
            elif auto is None:
                kind = "curated mapping"
            elif auto == chosen:
                kind = auto_kind  # the curated table agrees with the automatic route
            else:
                kind = "curated override"
            category = chosen
        elif auto:
            category, kind = auto, auto_kind
        else:
            excluded_no_category.append(app_id)
            continue
        if not app_domains.get(app_id) and not app_hosts.get(app_id):
            excluded_no_category.append(app_id + " (no domains left)")
            continue
        routes[kind] += 1
        route_of[app_id] = f"{kind}: {route or '-'} -> {category}"
        kind_of[app_id] = kind

        if name is not None:
            source = f"v2fly:{name}"
        else:
            src_files = None
            for d in r["domains"]:
                files = seed_index.get(("domain", d), set())
                src_files = files if src_files is None else src_files & files
            for h in r["hosts"]:
                files = seed_index.get(("full", h), set()) | seed_index.get(("domain", h), set())
                src_files = files if src_files is None else src_files & files
            source = f"v2fly:{sorted(src_files)[0]}" if src_files else "curated"
        app = {"id": app_id, "name": cfg["name"]}
        if cfg.get("vendor"):
            app["vendor"] = cfg["vendor"]
        app["category"] = category
        app["domains"] = sorted(app_domains.get(app_id, ()))
        if app_hosts.get(app_id):
            app["hosts"] = sorted(app_hosts[app_id])
        if cfg.get("website"):
            app["website"] = cfg["website"]
        app["source"] = source
        apps_out.append(app)

    # ---- write outputs
    os.makedirs(out, exist_ok=True)
    write_json(os.path.join(out, "categories.json"), categories)
    attributes = load_json("attributes.json")
    write_json(os.path.join(out, "attributes.json"), attributes)
    with open(os.path.join(out, "apps.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for app in apps_out:
            fh.write(json.dumps(app, ensure_ascii=False, separators=(",", ":")) + "\n")
    risk = load_json("risk_curated.json")
    risk_lines = sorted(risk, key=lambda x: x["app"])
    with open(os.path.join(out, "risk.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for rec in risk_lines:
            fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")

    n_domains = sum(len(a["domains"]) for a in apps_out)
    n_hosts = sum(len(a.get("hosts", ())) for a in apps_out)
    ut1_apps = sorted(a for a, k in kind_of.items() if k == "ut1")
    write_notice(seed, out, {
        "CATEGORY_COUNT": len(categories),
        "ATTRIBUTE_COUNT": len(attributes),
        "APP_COUNT": len(apps_out),
        "DOMAIN_COUNT": n_domains,
        "HOST_COUNT": n_hosts,
        "V2FLY_APP_COUNT": sum(1 for a in apps_out if raw[a["id"]]["list"] is not None),
        "CURATED_APP_COUNT": sum(1 for a in apps_out if raw[a["id"]]["list"] is None),
        "RISK_COUNT": len(risk_lines),
        "UT1_APP_COUNT": len(ut1_apps),
        "UT1_APPS": ", ".join(f"`{a}`" for a in ut1_apps) or "(none)",
    })
    lines = [
        f"apps: {len(apps_out)} (v2fly lists reviewed: {len(app_lists)}, curated: {len(curated)})",
        f"domain suffix rules: {n_domains}, exact hosts: {n_hosts}",
        f"categories: {len(categories)}, attributes: {len(attributes)}, risk profiles: {len(risk_lines)}",
        "category routes: " + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())),
        f"skipped v2fly lists: {len(skip)} folded/ignored, {len(drop)} dropped, {len(adult)} adult",
        "rules dropped while reading v2fly: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped_stats.items())),
        f"shared-suffix claims removed: {removed_shared}, redundant subdomain rules removed: {redundant}",
    ]
    if excluded_no_category:
        lines.append("left out (no category or no domains): " + " ".join(excluded_no_category))
    if report:
        lines += [f"  {a}: {route_of[a]}" for a in sorted(route_of)]
    return lines


def write_notice(seed: str, out: str, values: dict) -> None:
    """Render NOTICE.md from NOTICE.template.md with the seed's commits and licence text."""
    with open(os.path.join(seed, "SOURCE.txt"), encoding="utf-8") as fh:
        source_txt = fh.read()
    commits = re.findall(r"Commit\s*:\s*([0-9a-f]{40})", source_txt)
    if len(commits) < 2:
        fail("SOURCE.txt: expected the v2fly and UT1 commits")
    with open(os.path.join(seed, "v2fly-domain-list-community", "LICENSE"), encoding="utf-8") as fh:
        license_text = fh.read().strip()
    values = dict(values, V2FLY_COMMIT=commits[0], UT1_COMMIT=commits[1], V2FLY_LICENSE=license_text)
    with open(os.path.join(HERE, "NOTICE.template.md"), encoding="utf-8") as fh:
        text = fh.read()
    for k, v in values.items():
        text = text.replace("{{" + k + "}}", str(v))
    left = re.findall(r"\{\{[A-Z0-9_]+\}\}", text)
    if left:
        fail(f"NOTICE.template.md: unfilled placeholders {left}")
    with open(os.path.join(out, "NOTICE.md"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def write_json(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    sys.exit(main())
