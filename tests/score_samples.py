#!/usr/bin/env python3
"""Runs ../shared/tools/score.py on every digest that has a gold file (samples/ and
tests/data/) and fails below the bars of the extraction issue. Exits 77 (skipped)
when ../shared is absent.

usage: score_samples.py DIGESTX_BINARY PROJECT_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

BARS = {"f1": 0.97, "unit_fields": 1.0, "doc_fields": 1.0, "period_acc": 0.97, "qualifier_acc": 0.95,
        "kind_acc": 0.97, "subject_acc": 0.85, "owner_acc": 1.0, "aspect_acc": 0.9, "range_acc": 0.95}


def main():
    binary, project = sys.argv[1], sys.argv[2]
    scorer = os.path.join(project, "..", "shared", "tools", "score.py")
    if not os.path.exists(scorer):
        print("skipped: ../shared/tools/score.py is absent")
        return 77
    failures = 0
    # The public samples' gold as published (it carries aspect and subject_alt), else our copy.
    shared_samples = os.path.join(project, "..", "shared", "samples")
    for folder in (shared_samples if os.path.isdir(shared_samples) else "samples", os.path.join("tests", "data")):
        base = os.path.join(project, folder)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if not name.endswith(".gold.json"):
                continue
            gold = os.path.join(base, name)
            with open(gold, encoding="utf-8") as fh:
                src = os.path.join(base, json.load(fh)["sample"])
            with tempfile.NamedTemporaryFile("w+", suffix=".json", delete=False) as out:
                run = subprocess.run([binary, src, "--format", "json"], stdout=out, stderr=subprocess.PIPE, timeout=60)
            if run.returncode not in (0, 1):
                print(f"{name}: digestx exited {run.returncode}: {run.stderr.decode()[:200]}")
                failures += 1
                continue
            res = subprocess.run([sys.executable, scorer, out.name, gold, src, "--json"], capture_output=True, text=True)
            os.unlink(out.name)
            if res.returncode != 0:
                print(f"{name}: score.py failed: {res.stderr.strip()[:300]}")
                failures += 1
                continue
            r = json.loads(res.stdout.strip().splitlines()[-1])
            bad = [f"{k}={r.get(k)} < {v}" for k, v in BARS.items() if r.get(k) is not None and r[k] < v]
            if r.get("provenance_violations"):
                bad.append(f"provenance_violations={r['provenance_violations']}")
            line = " ".join(f"{k}={r.get(k)}" for k in ("f1", "unit_fields", "period_acc", "qualifier_acc", "kind_acc", "subject_acc",
                                                         "subject_exact_acc", "aspect_acc", "range_acc"))
            print(f"{folder}/{name}: {line}" + (f"  FAIL: {', '.join(bad)}" if bad else ""))
            failures += bool(bad)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
