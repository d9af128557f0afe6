#!/usr/bin/env python3
"""Command-line behaviour of digestx, as a table: arguments and stdin -> exit status,
stdout shape, stderr pattern.

usage: cli_test.py DIGESTX_BINARY
"""
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SANYA = os.path.join(ROOT, "samples", "sanya-2022.txt")
WANNING = os.path.join(ROOT, "samples", "wanning-2021.txt")


def run(binary, args, stdin=b"", timeout=60):
    p = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="digestx_cli_")
    empty = os.path.join(tmp, "empty.txt")
    open(empty, "wb").close()
    binary_file = os.path.join(tmp, "blob.txt")
    with open(binary_file, "wb") as fh:
        fh.write(bytes(range(256)) * 8)
    rules_bad = os.path.join(tmp, "rules")
    os.mkdir(rules_bad)
    with open(os.path.join(rules_bad, "periods.json"), "w") as fh:
        fh.write('{"markers": [{"name": "x", "text": "去年", "period": "soon"}]}')
    out_file = os.path.join(tmp, "out.json")
    empty_dir = os.path.join(tmp, "nothing")
    os.mkdir(empty_dir)

    cases = [
        # (name, args, stdin, exit, stdout check, stderr regex)
        ("file", [SANYA], b"", 0, "doc", r"^$"),
        ("extract_word", ["extract", SANYA], b"", 0, "doc", r"^$"),
        ("stdin", ["-"], open(SANYA, "rb").read(), 0, "doc", r"^$"),
        ("gb18030", [WANNING], b"", 0, "doc", r"^$"),
        ("jsonl", ["--format", "jsonl", SANYA, WANNING], b"", 0, "jsonl2", r"^$"),
        ("json_many", [SANYA, WANNING], b"", 0, "array2", r"^$"),
        ("missing", [os.path.join(tmp, "nope.txt")], b"", 2, "empty", r"nope\.txt: no such file"),
        # A directory is recursed for *.txt: here an empty and a binary file, so two error records.
        ("directory", [tmp], b"", 2, "array2", r"empty\.txt: is empty"),
        ("empty_directory", [empty_dir], b"", 1, "array0", r"no input files found"),
        ("glob", ["--glob", "*.md", tmp], b"", 1, "array0", r"no input files found"),
        ("stdin_twice", ["-", "-"], open(SANYA, "rb").read(), 2, "array2", r"-: is empty"),
        ("empty", [empty], b"", 2, "empty", r"empty\.txt: is empty"),
        ("binary", [binary_file], b"", 2, "empty", r"binary"),
        ("bad_rules", ["--rules", rules_bad, SANYA], b"", 2, "empty", r"periods\.json at /markers/0/period"),
        # Every document's warnings: one summary line on stderr.
        ("no_facts", ["-"], "去年，工作扎实推进。".encode(), 1, "doc", r"^digestx: -: 1 no_report_year; 1 no_unit_headings$"),
        ("version", ["--version"], b"", 0, "any", r"^$"),
        ("help", ["--help"], b"", 0, "any", r"^$"),
        ("bad_option", ["--no-such-option", SANYA], b"", 2, "empty", r"."),
        ("output_file", ["-o", out_file, SANYA], b"", 0, "empty", r"^$"),
        ("jobs", ["-j", "3", SANYA, WANNING], b"", 0, "array2", r"^$"),
        # Progress only on a terminal (stderr is a pipe here) or when asked.
        ("progress", ["--progress", SANYA, WANNING], b"", 0, "array2", r"2/2 files +[0-9.]+ MB/s +in 0:0\d *$"),
        ("progress_quiet", ["--quiet", SANYA, WANNING], b"", 0, "array2", r"^$"),
        ("jobs_zero", ["-j", "0", SANYA], b"", 2, "empty", r"."),
        ("facts_csv", ["--format", "facts-csv", SANYA], b"", 0, "csv", r"^$"),
        ("facts_csv_error", ["--format", "facts-csv", os.path.join(tmp, "nope.txt")], b"", 2, "csv0",
         r"no such file"),
        ("bad_format", ["--format", "xml", SANYA], b"", 2, "empty", r"."),
        ("skip_existing_alone", ["--skip-existing", SANYA], b"", 2, "empty", r"needs --output-dir"),
        ("records_with_output_dir", ["--input", "jsonl", "--output-dir", tmp], b"", 2, "empty", r"--output-dir"),
        ("output_dir_and_o", ["--output-dir", tmp, "-o", out_file, SANYA], b"", 2, "empty", r"exclude"),
        ("no_input", [], b"", 2, "empty", r"no input"),
        # Outputs that cannot be written are errors of their inputs, not of the batch.
        ("output_dir_unwritable", ["--output-dir", os.path.join(binary_file, "out"), SANYA, WANNING], b"", 2,
         "empty", r"cannot be created.*\n.*cannot be created"),
        ("records", ["--input", "jsonl"], '{"id": 7, "text": "去年，组建突击队5支。"}\n'.encode(), 0, "jsonl1",
         r"^digestx: -:1: 1 no_report_year; 1 no_unit_headings$"),
        ("records_no_facts", ["--input", "jsonl"], '{"id": 7, "text": "去年，工作扎实推进。"}\n'.encode(), 1, "jsonl1",
         r"^digestx: -:1: 1 no_report_year; 1 no_unit_headings$"),
        ("records_none", ["--input", "jsonl"], b"", 1, "empty", r"^$"),
        ("numbers", ["numbers"], "发放慰问金39.6万元\n十余万\n\n".encode(), 0, "lines3", r"^$"),
        ("numbers_none", ["numbers"], "没有数字\n".encode(), 1, "lines1", r"^$"),
        ("year_option", ["--year", "2019", "-"], "去年，组建突击队5支。".encode(), 0, "doc", r"^digestx: -: 1 no_unit_headings$"),
        # --strict: any warning makes the document an error record.
        ("strict", ["--strict", "-"], "去年，组建突击队5支。".encode(), 2, "empty", r"^digestx: -: --strict: 1 no_report_year"),
        ("strict_clean", ["--strict", SANYA], b"", 0, "doc", r"^$"),
    ]
    failed = 0
    for name, args, stdin, want_rc, shape, err_re in cases:
        rc, out, err = run(binary, args, stdin)
        problems = []
        if rc != want_rc:
            problems.append(f"exit {rc}, want {want_rc}")
        if not re.search(err_re, err.strip()):
            problems.append(f"stderr {err.strip()[:200]!r} !~ {err_re!r}")
        text = out.decode("utf-8", "replace")
        try:
            if shape == "doc":
                d = json.loads(text)
                assert d["format"] == "digestx/1"
            elif shape == "empty":
                assert text == "", "stdout not empty"
            elif shape.startswith("jsonl") or shape.startswith("lines"):
                lines = [json.loads(x) for x in text.splitlines()]
                assert len(lines) == int(shape[-1]), f"{len(lines)} lines"
            elif shape.startswith("csv"):
                rows = text.split("\r\n")
                assert rows[0].startswith("source,region,report_year,") and rows[-1] == "", "not a facts table"
                if shape == "csv0":
                    assert len(rows) == 2, f"{len(rows) - 2} rows"
            elif shape.startswith("array"):
                d = json.loads(text)
                assert isinstance(d, list) and len(d) == int(shape[-1])
        except (AssertionError, ValueError, KeyError) as e:
            problems.append(f"stdout: {e}")
        if name == "output_file":
            if not os.path.exists(out_file) or json.load(open(out_file))["format"] != "digestx/1":
                problems.append("-o did not write the document")
            if any(f.startswith("out.json.tmp") for f in os.listdir(tmp)):
                problems.append("temporary file left behind")
        if name == "year_option" and not problems:
            d = json.loads(text)
            if d["report_year"] != 2019 or d["units"][0]["facts"][0]["year"] != 2019:
                problems.append("--year not applied")
        print(f"{'ok  ' if not problems else 'FAIL'} {name}" + (": " + "; ".join(problems) if problems else ""))
        failed += bool(problems)

    failed += not special_outputs(binary, tmp)

    # A broken pipe ends quietly: many copies, read one line, close.
    p = subprocess.Popen([binary, "--format", "jsonl"] + [SANYA] * 200, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    rc = p.wait(timeout=60)
    ok = rc in (0, 141, -13) and err.strip() == ""
    print(f"{'ok  ' if ok else 'FAIL'} broken_pipe" + ("" if ok else f": exit {rc}, stderr {err[:200]!r}"))
    failed += not ok
    return 1 if failed else 0


def special_outputs(binary, tmp):
    """-o onto a FIFO writes into it (renaming a file onto it would replace it, as it
    would /dev/null); -o onto a symbolic link replaces the file it points to."""
    import threading
    ok = True
    fifo = os.path.join(tmp, "pipe.json")
    os.mkfifo(fifo)
    got = {}
    reader = threading.Thread(target=lambda: got.setdefault("data", open(fifo, "rb").read()))
    reader.start()
    rc, _, err = run(binary, ["-o", fifo, SANYA])
    reader.join(timeout=60)
    fifo_ok = (rc == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
               and json.loads(got.get("data", b"null") or b"null") is not None)
    print(f"{'ok  ' if fifo_ok else 'FAIL'} output_fifo" + ("" if fifo_ok else f": exit {rc}, {err[:200]!r}"))
    ok &= fifo_ok
    real = os.path.join(tmp, "real.json")
    link = os.path.join(tmp, "link.json")
    open(real, "w").write("old")
    os.symlink(real, link)
    rc, _, err = run(binary, ["-o", link, SANYA])
    link_ok = rc == 0 and os.path.islink(link) and json.load(open(real))["format"] == "digestx/1"
    print(f"{'ok  ' if link_ok else 'FAIL'} output_symlink" + ("" if link_ok else f": exit {rc}, {err[:200]!r}"))
    ok &= link_ok
    return ok


if __name__ == "__main__":
    sys.exit(main())
