#!/usr/bin/env python3
"""`--rules DIR` against files that would hang digestx or eat its memory.

  rules_limits_test.py BINARY REPO_ROOT

- a FIFO, a symlink to /dev/zero and a sparse file past the size limit under a rules
  file's name: refused at once (exit 2, the file named), never read;
- a report-year regex that backtracks catastrophically (`(([^X]|[^X])+)+X`): the
  search stops at ICU's time limit, the document still comes out (exit 0) with a
  `rule_timed_out` warning that names the rule;
- 80,000 set phrases (all starting with 一, one bucket of the lexicon): loaded in
  well under the time that filing them one by one into a sorted bucket took (26 s);
- 80,000 measure words starting with 个: looked up after 20,000 figures in well under
  the time that comparing each with all of them took (5 s).

Times are CPU times of the child (user + system), which a busy shared machine
disturbs far less than wall-clock times.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading


def run(binary, args, timeout=60):
    """(exit status, stdout, stderr, CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([binary] + args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"), cpu


def main():
    binary, root = sys.argv[1], sys.argv[2]
    sample = os.path.join(root, "samples", "sanya-2022.txt")
    tmp = tempfile.mkdtemp(prefix="digestx_rules_limits_")
    problems = []

    def check(name, ok, detail):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)
        if not ok:
            problems.append(name)

    try:
        # Files that are no regular files, or too big, under a rules file's name.
        refusals = {
            "fifo": lambda path: os.mkfifo(path),
            "dev_zero_symlink": lambda path: os.symlink("/dev/zero", path),
            "sparse_64MiB": lambda path: open(path, "wb").truncate(64 << 20),
        }
        for name, make in refusals.items():
            folder = os.path.join(tmp, name)
            os.mkdir(folder)
            make(os.path.join(folder, "periods.json"))
            try:
                code, out, err, _ = run(binary, ["--rules", folder, sample], timeout=30)
            except subprocess.TimeoutExpired:
                check(name, False, "no answer within 30 s: the file was opened or read")
                continue
            want = "larger than" if name.startswith("sparse") else "not a regular file"
            check(name, code == 2 and not out and "periods.json" in err and want in err,
                  f"exit {code}, stderr {err.strip()[:200]!r}")

        # A catastrophic regular expression: a warning that names the rule, not a hang.
        # Its X is looked for ahead ((?=X)): a pattern needing a plain X that the text
        # lacks is never run (see required_chars), a lookahead is left to ICU.
        folder = os.path.join(tmp, "catastrophic")
        os.mkdir(folder)
        structure = json.load(open(os.path.join(root, "rules", "structure.json"), encoding="utf-8"))
        structure["report_year"].insert(0, {"name": "year.backtracking", "regex": "(([^X]|[^X])+)+(?=X)"})
        json.dump(structure, open(os.path.join(folder, "structure.json"), "w", encoding="utf-8"), ensure_ascii=False)
        try:
            code, out, err, cpu = run(binary, ["--rules", folder, sample], timeout=60)
            doc = json.loads(out) if code == 0 else {}
            warned = [w for w in doc.get("warnings", []) if w["code"] == "rule_timed_out"]
            check("catastrophic_regex", code == 0 and len(warned) == 1 and "year.backtracking" in warned[0]["message"]
                  and doc.get("report_year") == 2022,
                  f"exit {code}, warnings {warned}, report_year {doc.get('report_year')}, stderr {err.strip()[:200]!r}")
            print(f"     catastrophic regex: {cpu:.2f} s CPU", flush=True)
        except subprocess.TimeoutExpired:
            check("catastrophic_regex", False, "no answer within 60 s: the regex hangs")

        # The same in a line rule of layout.json (page furniture, tried on every short
        # line): dropped for the document once it runs out of time, never a hang.
        folder = os.path.join(tmp, "catastrophic_layout")
        os.mkdir(folder)
        layout = json.load(open(os.path.join(root, "rules", "layout.json"), encoding="utf-8"))
        layout["furniture"]["rules"].insert(0, {"name": "furniture.backtracking", "regex": "(([^X]|[^X])+)+(?=X)"})
        json.dump(layout, open(os.path.join(folder, "layout.json"), "w", encoding="utf-8"), ensure_ascii=False)
        try:
            _, plain_out, _, _ = run(binary, [sample])
            code, out, err, cpu = run(binary, ["--rules", folder, sample], timeout=60)
            facts = lambda text: sum(len(u["facts"]) for u in json.loads(text)["units"]) if text else -1
            check("catastrophic_layout_regex", code == 0 and facts(out) == facts(plain_out),
                  f"exit {code}, facts {facts(out)} (plain {facts(plain_out)}), stderr {err.strip()[:200]!r}")
            print(f"     catastrophic layout regex: {cpu:.2f} s CPU", flush=True)
        except subprocess.TimeoutExpired:
            check("catastrophic_layout_regex", False, "no answer within 60 s: the regex hangs")

        # 80,000 set phrases sharing their first character.
        folder = os.path.join(tmp, "phrases")
        os.mkdir(folder)
        exclusions = json.load(open(os.path.join(root, "rules", "exclusions.json"), encoding="utf-8"))
        han = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
        words = ["一" + a + b + c for a in han[:200] for b in han[200:400] for c in "甲乙"][:80000]
        exclusions["set_phrases"].append({"name": "set.generated", "words": words})
        json.dump(exclusions, open(os.path.join(folder, "exclusions.json"), "w", encoding="utf-8"), ensure_ascii=False)
        _, _, _, plain = run(binary, [sample])
        try:
            code, out, err, cpu = run(binary, ["--rules", folder, sample], timeout=120)
            # The phrases cost their parsing and filing, about a second on this kind of
            # machine (5 s under the sanitizers); filing them into sorted buckets was 26 s.
            limit = 8.0 * float(os.environ.get("DIGESTX_TIME_FACTOR", "1"))
            check("80000_set_phrases", code == 0 and cpu - plain < limit,
                  f"exit {code}, {cpu:.2f} s CPU against {plain:.2f} s with the built-in rules (limit +{limit:.0f} s)")
            print(f"     80,000 set phrases: {cpu:.2f} s CPU ({plain:.2f} s with the built-in rules)", flush=True)
        except subprocess.TimeoutExpired:
            check("80000_set_phrases", False, "no answer within 120 s")

        # 80,000 measure words starting with 个, looked up (with spaces allowed) after
        # each of 20,000 figures: each lookup once compared all 80,000.
        folder = os.path.join(tmp, "units")
        os.mkdir(folder)
        quantities = json.load(open(os.path.join(root, "rules", "quantities.json"), encoding="utf-8"))
        quantities["units"].append({"name": "unit.generated", "words": ["个" + w[1:] for w in words],
                                    "kind": "count", "unit": "个"})
        json.dump(quantities, open(os.path.join(folder, "quantities.json"), "w", encoding="utf-8"), ensure_ascii=False)
        figures = os.path.join(tmp, "figures.txt")
        with open(figures, "w", encoding="utf-8") as fh:
            fh.write("### 海棠区委书记鲁正兰: 强基固本\n\n" + "".join(f"去年,第{i}网格新建站点3个。\n" for i in range(20000)))
        _, _, _, plain = run(binary, [figures])
        try:
            code, out, err, cpu = run(binary, ["--rules", folder, figures], timeout=120)
            limit = 2.0 * float(os.environ.get("DIGESTX_TIME_FACTOR", "1"))
            check("80000_measure_words", code == 0 and cpu - plain < limit,
                  f"exit {code}, {cpu:.2f} s CPU against {plain:.2f} s with the built-in rules (limit +{limit:.0f} s)")
            print(f"     80,000 measure words: {cpu:.2f} s CPU ({plain:.2f} s with the built-in rules)", flush=True)
        except subprocess.TimeoutExpired:
            check("80000_measure_words", False, "no answer within 120 s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{6 - len(problems)}/6 rules limits hold")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
