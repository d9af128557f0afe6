#!/usr/bin/env python3
"""`digestx render` and pages too big for a browser (--max-page-bytes).

  render_pages_test.py BINARY REPO_ROOT

A digest of 60 units whose page is about twice the limit given:
- with --output-dir it comes as NAME.html, NAME.part2.html, …: each part below the
  limit, each unit in exactly one part, each fact (its JSON path) marked exactly once
  over the parts, as in the whole page, and every part linking every other;
- with -o (one page) it is refused: exit 2, a message that points to --output-dir,
  no file;
- a single unit bigger than the limit is refused with --output-dir too;
- the samples, at the default limit, still make one page each.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(binary, args):
    return subprocess.run([binary] + args, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="digestx_render_pages_")
    problems = []

    def check(name, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)
        if not ok:
            problems.append(name)

    try:
        han = [chr(0x6C5F + i) for i in range(60)]
        digest = os.path.join(tmp, "big.txt")
        with open(digest, "w", encoding="utf-8") as fh:
            fh.write("# 某市2022年度乡镇党委书记述职报告摘登\n\n")
            for i in range(60):
                fh.write(f"### {han[i]}城镇党委书记王大力: 强基固本\n\n")
                fh.write("去年,发放慰问金39.6万元,惠及党员3500名,新建驿站20家。今年,将投入经费200万元。\n\n" * 3)
        whole = os.path.join(tmp, "whole.html")
        p = run(binary, ["render", digest, "-o", whole])
        check("whole_page", p.returncode == 0, p.stderr.decode()[-300:])
        whole_html = open(whole, encoding="utf-8").read()
        limit = len(whole_html.encode("utf-8")) // 2

        out = os.path.join(tmp, "pages")
        p = run(binary, ["render", "--output-dir", out, "--max-page-bytes", str(limit), digest])
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        names = ["big.html"] + [f"big.part{k}.html" for k in range(2, len(files) + 1)]
        check("split_into_parts", p.returncode == 0 and len(files) >= 2 and sorted(names) == files
              and b"parts" in p.stderr, f"exit {p.returncode}, files {files}, stderr {p.stderr.decode()[-300:]!r}")
        parts = [open(os.path.join(out, n), encoding="utf-8").read() for n in names if os.path.exists(os.path.join(out, n))]
        check("parts_below_limit", all(len(h.encode("utf-8")) <= limit for h in parts),
              str([len(h.encode("utf-8")) for h in parts]))
        unit_ids = [re.findall(r'<article class="unit" id="(d0-u\d+)"', h) for h in parts]
        flat = [u for ids in unit_ids for u in ids]
        check("every_unit_once", sorted(flat) == sorted(re.findall(r'<article class="unit" id="(d0-u\d+)"', whole_html))
              and len(flat) == len(set(flat)) == 60, f"{len(flat)} units, {len(set(flat))} distinct")
        mark_paths = lambda h: re.findall(r'<mark[^>]* data-path="([^"]+)"', h)
        over_parts = sorted(path for h in parts for path in mark_paths(h))
        check("every_fact_once", over_parts == sorted(mark_paths(whole_html)) and len(over_parts) == len(set(over_parts)),
              f"{len(over_parts)} marks over the parts, {len(mark_paths(whole_html))} on the whole page")
        links_ok = all(
            sorted(re.findall(r'<nav class="toc parts"[^>]*>.*?</nav>', h, re.S)[0].count(f'href="{n}"')
                   for n in names if n != names[k]) == [1] * (len(names) - 1)
            for k, h in enumerate(parts))
        check("parts_link_each_other", links_ok)

        one = os.path.join(tmp, "one.html")
        p = run(binary, ["render", "--max-page-bytes", str(limit), "-o", one, digest])
        check("one_page_refused", p.returncode == 2 and not os.path.exists(one) and b"--output-dir" in p.stderr
              and b"--max-page-bytes" in p.stderr, f"exit {p.returncode}, stderr {p.stderr.decode()[-300:]!r}")

        single = os.path.join(tmp, "single.txt")
        with open(single, "w", encoding="utf-8") as fh:
            fh.write("### 海棠区委书记鲁正兰: 强基固本\n\n" + "去年,发放慰问金39.6万元。\n\n" * 400)
        out2 = os.path.join(tmp, "pages2")
        p = run(binary, ["render", "--output-dir", out2, "--max-page-bytes", "100000", single])
        check("single_unit_refused", p.returncode == 2 and not os.listdir(out2) and b"single unit" in p.stderr,
              f"exit {p.returncode}, stderr {p.stderr.decode()[-300:]!r}")

        out3 = os.path.join(tmp, "samples")
        p = run(binary, ["render", "--output-dir", out3, os.path.join(root, "samples")])
        samples = [n for n in os.listdir(os.path.join(root, "samples")) if n.endswith(".txt")]
        check("samples_one_page_each", p.returncode == 0 and sorted(os.listdir(out3)) == sorted(
            n[:-4] + ".html" for n in samples), str(sorted(os.listdir(out3))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"render pages: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
