#!/usr/bin/env python3
"""One benchmark run: digestx against `wc -m` on the same bytes, as ratios.

usage: run.py DIGESTX [CORPUS_DIR] [--repeat 5] [--no-huge] [--startup-only]

Reports, for the corpus of make_corpus.py (built if missing, in bench/corpus):
  big.txt (20 MB)        the floor (`cat`: reading, `iconv` to UTF-32: decoding, `wc -m`:
                         reading and counting characters), digestx -j 1 and -j 2 beside
                         `wc -m`: wall time, MB/s, ratio, the -j 2 speed-up; peak RSS
  huge.txt (200 MB)      digestx -j 1 wall time and its ratio to big.txt (linearity); peak
                         RSS at -j 2 against 2 x its size + 64 MiB
  small/ (1,500 files)   digestx -j 1 and -j 2: MB/s and the speed-up; `wc -m` on them
  ceiling of -j 2        two digestx -j 1 processes side by side, each on half of big.txt
                         (cut at a line end) or of small/: the speed-up two cores give
                         work that shares nothing, against which -j 2's is read
  -j 2's split           beside each two-core row, its CPU time against -j 1's and the
                         cores it kept busy (CPU / wall): the speed-up is their ratio, so
                         a shortfall shows as extra CPU (threads or cores slowing each
                         other) or as a core left waiting (a stage on one thread)
  startup                digestx on a one-line file, on one sample digest
                         (samples/haibin-2022-hant.txt: a real document, which runs the
                         structure rules' regular expressions) and `digestx --version`
                         beside /bin/true: the median of 200 runs of each, in turn
                         (--startup-only: these rows alone, no corpus needed)
Each figure is the best of --repeat rounds, the commands of a row group run in
turn in every round (so a slow spell of a shared machine falls on all of them). Output goes to /dev/null (compact JSON).
"""
import argparse
import os
import resource
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def cpu_seconds():
    """User and system seconds of the children waited for so far (a side_by_side's two
    processes included: its shell waits for them)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, repeat):
    """Best wall time over `repeat` runs, peak RSS (KB), and the CPU seconds of the best run."""
    best, rss, best_cpu = None, 0, None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        cpu = cpu_seconds()
        t = time.perf_counter()
        with open(os.devnull, "wb") as null:
            rc = subprocess.run(cmd, stdout=null, stderr=subprocess.DEVNULL).returncode
        dt = time.perf_counter() - t
        cpu = cpu_seconds() - cpu
        if rc not in (0, 1):
            sys.exit(f"{' '.join(cmd)}: exit {rc}")
        if best is None or dt < best:
            best, best_cpu = dt, cpu
        rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return best, rss, best_cpu


def interleaved(cmds, repeat):
    """Best wall time of each command over `repeat` rounds of all of them in turn, and the
    CPU seconds of that round."""
    best, cpu = [None] * len(cmds), [None] * len(cmds)
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            dt, _, c = timed(cmd, 1)
            if best[i] is None or dt < best[i]:
                best[i], cpu[i] = dt, c
    return best, cpu


def split_of(wall, cpu, cpu_1):
    """A run on two cores against the -j 1 run: the throughput it gains is the CPU time
    it spends (against -j 1's) and the cores it keeps busy. Extra CPU at the same work is
    what the threads cost each other (and the machine's cores each other: read the
    ceiling's); fewer than 2 cores busy is the time one thread waited."""
    return f"CPU {cpu / cpu_1:.2f}x -j 1's, {cpu / wall:.2f} cores busy"


def warm(path):
    """Reads a file once so that the page cache holds it for every run."""
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def peak_rss(cmd):
    """Peak RSS (KB) of one run, measured with /usr/bin/time -v when present."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with open(os.devnull, "wb") as null:
        r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=null, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1])
    return None


def halves_of(big):
    """big.txt cut in two at the line end nearest its middle, written beside it once."""
    a, b = big[:-4] + "-half1.txt", big[:-4] + "-half2.txt"
    if not (os.path.exists(a) and os.path.exists(b)):
        with open(big, "rb") as fh:
            data = fh.read()
        cut = data.index(b"\n", len(data) // 2) + 1
        for path, part in ((a, data[:cut]), (b, data[cut:])):
            with open(path, "wb") as fh:
                fh.write(part)
    return a, b


def side_by_side(first, second):
    """One command running the two argument lists as two processes at once; its exit
    status is the greater of theirs."""
    return ["sh", "-c", f"{shlex.join(first)} & p=$!; {shlex.join(second)}; s=$?; wait $p; w=$?; "
                        "[ $w -gt $s ] && s=$w; exit $s"]


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return os.path.getsize(path)


def startup_rows(digestx, runs=200):
    """Median wall time of a one-line file, of a sample digest, of --version and of
    /bin/true, run in turn."""
    import statistics
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
        fh.write("去年全县完成固定资产投资12.5亿元。\n")
        one = fh.name
    try:
        sample = os.path.join(ROOT, "samples", "haibin-2022-hant.txt")
        cmds = [["/bin/true"], [digestx, one], [digestx, "--version"], [digestx, sample]]
        times = [[] for _ in cmds]
        for _ in range(runs):
            for i, cmd in enumerate(cmds):
                times[i].append(timed(cmd, 1)[0])
    finally:
        os.unlink(one)
    true_s, one_s, version_s, sample_s = (statistics.median(t) for t in times)
    return [("startup: /bin/true", true_s, None, f"median of {runs}"),
            ("startup: digestx one-line file", one_s, None, f"median of {runs}; {one_s - true_s:.4f} s over /bin/true"),
            ("startup: digestx --version", version_s, None, f"median of {runs}; {version_s - true_s:.4f} s over /bin/true"),
            ("startup: digestx one sample digest", sample_s, None, f"median of {runs}; {sample_s - true_s:.4f} s over /bin/true")]


def print_rows(rows):
    print(f"{'run':34} {'seconds':>8} {'MB/s':>8}  note")
    for name, secs, rate, note in rows:
        shown_rate = f"{rate:8.1f}" if rate is not None else f"{'':8}"
        print(f"{name:34} {secs:8.4f} {shown_rate}  {note}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("digestx")
    ap.add_argument("corpus", nargs="?", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-huge", action="store_true")
    ap.add_argument("--startup-only", action="store_true")
    a = ap.parse_args()
    if a.startup_only:
        print_rows(startup_rows(a.digestx))
        return
    if not os.path.exists(os.path.join(a.corpus, "big.txt")):
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), a.corpus]
                       + (["--huge-mb", "0"] if a.no_huge else []), check=True)
    big = os.path.join(a.corpus, "big.txt")
    huge = os.path.join(a.corpus, "huge.txt")
    small = os.path.join(a.corpus, "small")
    files = sorted(os.path.join(small, f) for f in os.listdir(small))
    mb = lambda p: size_of(p) / 1e6
    rows = []

    # Side by side: each round runs every command once, so that a slow spell of the
    # machine falls on all of them; each figure is the best round.
    half1, half2 = halves_of(big)
    dx = lambda j, *paths: [a.digestx, "-j", str(j), "--format", "jsonl", *paths]
    walls, cpus = interleaved(
        [["cat", big], ["iconv", "-f", "UTF-8", "-t", "UTF-32LE", big], ["wc", "-m", big],
         dx(1, big), dx(2, big), side_by_side(dx(1, half1), dx(1, half2))], a.repeat)
    cat_big, iconv_big, wc_big, dx_big, dx_big2, dx_halves = walls
    split_big = lambda k: split_of(walls[k], cpus[k], cpus[3])
    rss = peak_rss([a.digestx, "-j", "1", "--format", "jsonl", big])
    rows.append(("big.txt cat (floor: reading)", cat_big, mb(big) / cat_big, f"{cat_big / wc_big:.2f}x wc -m"))
    rows.append(("big.txt iconv (floor: decoding)", iconv_big, mb(big) / iconv_big, f"{iconv_big / wc_big:.2f}x wc -m"))
    rows.append(("big.txt wc -m", wc_big, mb(big) / wc_big, ""))
    rows.append(("big.txt digestx -j 1", dx_big, mb(big) / dx_big, f"{dx_big / wc_big:.2f}x wc -m"))
    rows.append(("big.txt digestx -j 2", dx_big2, mb(big) / dx_big2,
                 f"{dx_big2 / wc_big:.2f}x wc -m; -j 2 = {dx_big / dx_big2:.2f}x the throughput of -j 1 ({split_big(4)})"))
    rows.append(("big.txt halves, 2 x -j 1 at once", dx_halves, mb(big) / dx_halves,
                 f"ceiling of -j 2: {dx_big / dx_halves:.2f}x the throughput of -j 1 ({split_big(5)})"))
    bar_rss = 4 * size_of(big) / 1024 + 64 * 1024
    rss_note = f"peak RSS {rss / 1024:.0f} MiB (bar {bar_rss / 1024:.0f} MiB)" if rss else ""

    if not a.no_huge and os.path.exists(huge):
        warm(huge)
        dx_huge, _, _ = timed([a.digestx, "-j", "1", "--format", "jsonl", huge], min(a.repeat, 2))
        rows.append(("huge.txt digestx -j 1", dx_huge, mb(huge) / dx_huge,
                     f"{dx_huge / dx_big:.2f}x big.txt for {size_of(huge) / size_of(big):.1f}x the bytes"))
        huge_rss = peak_rss([a.digestx, "-j", "2", "--format", "jsonl", huge])
        if huge_rss:
            bar = 2 * size_of(huge) / 1024 + 64 * 1024
            rss_note += f"; huge.txt -j 2: peak RSS {huge_rss / 1024:.0f} MiB (bar {bar / 1024:.0f} MiB)"

    half = len(files) // 2
    walls, cpus = interleaved(
        [["wc", "-m"] + files, dx(1, small), dx(2, small),
         side_by_side(dx(1, *files[:half]), dx(1, *files[half:]))], a.repeat)
    wc_small, j1, j2, j1_halves = walls
    split_small = lambda k: split_of(walls[k], cpus[k], cpus[1])
    rows.append((f"small/ ({len(files)} files) wc -m", wc_small, mb(small) / wc_small, ""))
    rows.append(("small/ digestx -j 1", j1, mb(small) / j1, f"{j1 / wc_small:.2f}x wc -m"))
    rows.append(("small/ digestx -j 2", j2, mb(small) / j2,
                 f"-j 2 = {j1 / j2:.2f}x the throughput of -j 1 ({split_small(2)})"))
    rows.append(("small/ halves, 2 x -j 1 at once", j1_halves, mb(small) / j1_halves,
                 f"ceiling of -j 2: {j1 / j1_halves:.2f}x the throughput of -j 1 ({split_small(3)})"))

    rows += startup_rows(a.digestx)
    print_rows(rows)
    if rss_note:
        print(rss_note)


if __name__ == "__main__":
    main()
