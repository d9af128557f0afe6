#!/usr/bin/env python3
"""Scores a panel (`digestx panel --format json`) against a gold file of links.

Usage: panel_score.py PANEL.json GOLD.json DATA_DIR [-v] [--min-precision P]
                      [--min-recall R] [--all-changes] [--all-aliases]

Prints link precision and recall, the aliases and secretary changes found, and
exits 1 when a bar given on the command line is not met (0 otherwise, 2 on bad input).

Gold format (JSON object; see tests/data/panel/gold.json):

  "links": [{"planned": REF, "achieved": REF}, ...]
      every plan-against-outcome pair a reader would draw: the plan (a this-year
      figure of the digest of Y-1) and the outcome reported for Y (a last-year figure
      of the digest of Y) of the same organisation, unit and subject.
  "non_links": [{"why": "...", "planned": REF, "achieved": REF}, ...]
      decoys that must not be linked (they also count as false links when found;
      listed so that the output names which decoy was taken).
  "aliases": [{"region": "南澜市", "spellings": ["市委两新工委", "市委两新组织工委"]}]
      spellings of one organisation: all must fall under one panel organisation.
  "distinct_organizations": [{"region": ..., "spellings": [a, b]}]
      spellings that must stay apart.
  "secretary_changes": [{"region", "organization" (any of its spellings), "from",
      "to", "year"}]  (names compared without white space, U+3000 included)

A REF is [FILE, CONTEXT]: FILE a file name in DATA_DIR (UTF-8), CONTEXT a stretch
of that file that occurs exactly once, with the figure's text marked by '|':
"before|TEXT|after" or "before|TEXT". The figure is identified by its file name
and the code point offset where TEXT starts, which is what the panel's `source`
and `span` give.
"""
import argparse
import json
import os
import sys


def squeeze(s):
    return "".join(ch for ch in (s or "") if not ch.isspace())


def resolve(ref, data_dir, cache):
    name, context = ref
    if name not in cache:
        with open(os.path.join(data_dir, name), encoding="utf-8") as f:
            cache[name] = f.read().lstrip("\ufeff")
    text = cache[name]
    parts = context.split("|")
    if len(parts) not in (2, 3):
        raise ValueError(f"{ref}: the context needs one or two '|' markers")
    whole = "".join(parts)
    if text.count(whole) != 1:
        raise ValueError(f"{ref}: context found {text.count(whole)} times in {name}")
    return name, text.index(whole) + len(parts[0])


def key_of(item):
    return os.path.basename(item["source"]), item["span"][0]


def org_groups(panel):
    """(region, spelling) -> organisation id, from the rows' keys and aliases."""
    groups = {}
    for row in panel["rows"]:
        ident = (row.get("region"), row["organization"])
        for spelling in [row["organization"], *row.get("aliases", [])]:
            groups[(row.get("region"), squeeze(spelling))] = ident
    return groups


def score_links(panel, gold, data_dir, verbose):
    cache = {}
    gold_links = {(resolve(l["planned"], data_dir, cache), resolve(l["achieved"], data_dir, cache)): l
                  for l in gold["links"]}
    decoys = {(resolve(l["planned"], data_dir, cache), resolve(l["achieved"], data_dir, cache)): l
              for l in gold.get("non_links", [])}
    found = {(key_of(l["planned"]), key_of(l["achieved"])): l for l in panel["links"]}
    hits = set(found) & set(gold_links)
    precision = len(hits) / len(found) if found else 1.0
    recall = len(hits) / len(gold_links) if gold_links else 1.0
    print(f"links: {len(found)} found, {len(gold_links)} in gold, {len(hits)} right: "
          f"precision {precision:.3f}, recall {recall:.3f}")
    for k in sorted(set(found) - hits):
        l = found[k]
        why = decoys[k]["why"] if k in decoys else "not in gold"
        print(f"  false link: {l['planned']['text']} -> {l['achieved']['text']} ({l['subject']}; {why})")
    for k in sorted(set(gold_links) - hits):
        print(f"  missed: {gold_links[k]['planned']} -> {gold_links[k]['achieved']}")
    if verbose:
        for k in sorted(hits):
            l = found[k]
            print(f"  ok: {l['planned']['text']} -> {l['achieved']['text']} ({l['subject']})")
    return precision, recall


def score_aliases(panel, gold):
    groups = org_groups(panel)
    right = 0
    for a in gold.get("aliases", []):
        ids = {groups.get((a["region"], squeeze(s))) for s in a["spellings"]}
        ok = len(ids) == 1 and None not in ids
        right += ok
        if not ok:
            print(f"  alias not found: {a['region']} {a['spellings']}")
    for d in gold.get("distinct_organizations", []):
        ids = [groups.get((d["region"], squeeze(s))) for s in d["spellings"]]
        found = [i for i in ids if i is not None]
        if len(set(found)) != len(found):
            right -= 1
            print(f"  merged but distinct: {d['region']} {d['spellings']}")
    total = len(gold.get("aliases", []))
    print(f"aliases: {right} of {total}")
    return right == total


def score_changes(panel, gold):
    groups = org_groups(panel)

    def ident(region, org):
        return groups.get((region, squeeze(org)), (region, org))

    want = {(ident(c["region"], c["organization"]), squeeze(c["from"]), squeeze(c["to"]), c["year"])
            for c in gold.get("secretary_changes", [])}
    got = {(ident(c.get("region"), c["organization"]), squeeze(c["from"]), squeeze(c["to"]), c["year"])
           for c in panel["secretary_changes"]}
    print(f"secretary changes: {len(want & got)} of {len(want)} found, {len(got - want)} spurious")
    for c in sorted(want - got, key=str):
        print(f"  missed change: {c}")
    for c in sorted(got - want, key=str):
        print(f"  spurious change: {c}")
    return want <= got and not (got - want)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("panel")
    ap.add_argument("gold")
    ap.add_argument("data_dir")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    ap.add_argument("--all-changes", action="store_true", help="fail unless every change is found, none spurious")
    ap.add_argument("--all-aliases", action="store_true", help="fail unless every alias is found")
    a = ap.parse_args()
    try:
        with open(a.panel, encoding="utf-8") as f:
            panel = json.load(f)
        with open(a.gold, encoding="utf-8") as f:
            gold = json.load(f)
        if panel.get("format") != "digestx-panel/1":
            raise ValueError("not a digestx-panel/1 object")
        precision, recall = score_links(panel, gold, a.data_dir, a.verbose)
        aliases_ok = score_aliases(panel, gold)
        changes_ok = score_changes(panel, gold)
    except (OSError, ValueError, KeyError) as e:
        print(f"panel_score: {e}", file=sys.stderr)
        return 2
    failed = []
    if a.min_precision is not None and precision < a.min_precision:
        failed.append(f"precision {precision:.3f} < {a.min_precision}")
    if a.min_recall is not None and recall < a.min_recall:
        failed.append(f"recall {recall:.3f} < {a.min_recall}")
    if a.all_changes and not changes_ok:
        failed.append("secretary changes")
    if a.all_aliases and not aliases_ok:
        failed.append("aliases")
    for f in failed:
        print(f"FAIL: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
