#!/usr/bin/env python3
"""`digestx panel` on N digests against extracting them (`digestx --format jsonl`).

usage: panel_bench.py DIGESTX [--digests 1000] [--jobs 2] [--repeat 3] [--keep DIR]

The corpus: every digest of samples/, tests/data/ and tests/data/panel/, each copied
for consecutive years (every year in its text shifted together) until there are N
files: many organisations followed over up to 40 years, many year-to-year joins. Prints the best wall time of --repeat
rounds and the peak RSS (the kernel's max RSS of the child) of each command.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from make_corpus import sources  # noqa: E402


def panel_sources():
    out = sources()
    base = os.path.join(ROOT, "tests", "data", "panel")
    for name in sorted(os.listdir(base)):
        if name.endswith(".txt"):
            out.append((name[:-4], open(os.path.join(base, name), encoding="utf-8").read()))
    return out


def shifted(text, shift):
    """Every year 1990-2049 in the text moved by `shift` years (2022年度 -> 2027年度)."""
    def move(m):
        return str(int(m.group(0)) + shift)
    return re.sub(r"(?<![0-9])(?:199[0-9]|20[0-4][0-9])(?![0-9])", move, text)


def make_corpus(folder, count):
    """Each digest for consecutive years: block b of five copies shifts its years by
    5b..5b+4, so that no organisation has two rows for one year."""
    srcs = panel_sources()
    made, block = 0, 0
    while made < count:
        for name, text in srcs:
            for step in range(5):
                if made >= count:
                    return
                shift = 5 * block + step
                with open(os.path.join(folder, f"{name}-y{shift:02d}.txt"), "w", encoding="utf-8") as f:
                    f.write(shifted(text, shift))
                made += 1
        block += 1


def timed(cmd):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("digestx")
    ap.add_argument("--digests", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep")
    a = ap.parse_args()
    folder = a.keep or tempfile.mkdtemp(prefix="digestx_panel_bench_")
    os.makedirs(folder, exist_ok=True)
    make_corpus(folder, a.digests)
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f"{a.digests} digests, {size / 1e6:.1f} MB in {folder}")
    rows = [("extract --format jsonl", [a.digestx, "-j", str(a.jobs), "-q", "--format", "jsonl", folder]),
            ("panel --format json", [a.digestx, "panel", "-j", str(a.jobs), "-q", "--format", "json", folder]),
            ("panel --format links-csv", [a.digestx, "panel", "-j", str(a.jobs), "-q", "--format", "links-csv", folder])]
    best = {name: float("inf") for name, _ in rows}
    for _ in range(a.repeat):
        for name, cmd in rows:  # in turn, so that a busy minute hits all rows alike
            best[name] = min(best[name], timed(cmd)[0])
    for name, cmd in rows:
        # Peak RSS of each command alone (ru_maxrss of children is the max over all, so run in a fresh python).
        rss = subprocess.run([sys.executable, "-c", "import resource,subprocess,sys;"
                              "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
                              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", *cmd],
                             capture_output=True, text=True).stdout.strip()
        print(f"{name:28s} {best[name]:7.2f} s  peak RSS {int(rss) / 1024:6.1f} MiB")
    if not a.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
