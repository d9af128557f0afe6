#!/usr/bin/env python3
"""Runs ../shared/tools/peer_conformance.py (the Recognizers-Text Chinese number
specs, read from ../shared at test time only) and fails below the bars of the
numbers issue: 93% overall, NumberModel 97%, PercentModel 95%, NumberRangeModel 80%.
Exits 77 (skipped) when ../shared is absent.

usage: peer_conformance_test.py DIGESTX_BINARY PROJECT_DIR
"""
import os
import re
import subprocess
import sys

BARS = {"overall": 93.0, "NumberModel.json": 97.0, "PercentModel.json": 95.0, "NumberRangeModel.json": 80.0}


def main():
    binary, project = sys.argv[1], sys.argv[2]
    tool = os.path.join(project, "..", "shared", "tools", "peer_conformance.py")
    if not os.path.exists(tool):
        print("skipped: ../shared/tools/peer_conformance.py is absent")
        return 77
    run = subprocess.run([sys.executable, tool, binary], capture_output=True, text=True, timeout=600)
    print(run.stdout, end="")
    if run.returncode != 0:
        print(f"peer_conformance.py exited {run.returncode}: {run.stderr.strip()[:300]}")
        return 1
    rates = {}
    for line in run.stdout.splitlines():
        m = re.match(r"^(\S+\.json): \d+/\d+ pass \(([\d.]+)%\)", line)
        if m:
            rates[m.group(1)] = float(m.group(2))
        m = re.match(r"^peer specs: \d+/\d+ pass \(([\d.]+)%\)", line)
        if m:
            rates["overall"] = float(m.group(1))
    failures = [f"{name} {rates.get(name)}% < {bar}%" for name, bar in BARS.items()
                if rates.get(name) is None or rates[name] < bar]
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
