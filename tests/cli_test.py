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
from testlib import run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SANYA = os.path.join(ROOT, "samples", "sanya-2022.txt")
WANNING = os.path.join(ROOT, "samples", "wanning-2021.txt")


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
        ("jsonl", ["--format", "jsonl", SANYA, WANNING], b"", 0, "jsonl2", r"^digestx: 2 documents, 0 failed, 0 skipped$"),
        ("json_many", [SANYA, WANNING], b"", 0, "array2", r"^digestx: 2 documents, 0 failed, 0 skipped$"),
        ("missing", [os.path.join(tmp, "nope.txt")], b"", 2, "empty", r"nope\.txt: no such file"),
        # A directory is recursed for *.txt: here an empty and a binary file, so two error records.
        ("directory", [tmp], b"", 2, "array2", r"empty\.txt: is empty(.|\n)*0 documents, 2 failed, \d+ skipped$"),
        ("empty_directory", [empty_dir], b"", 1, "array0", r"no input files found"),
        ("glob", ["--glob", "*.md", tmp], b"", 1, "array0", r"no input files found"),
        ("stdin_twice", ["-", "-"], open(SANYA, "rb").read(), 2, "array2", r"-: is empty(.|\n)*1 document, 1 failed"),
        ("empty", [empty], b"", 2, "empty", r"empty\.txt: is empty"),
        ("binary", [binary_file], b"", 2, "empty", r"binary"),
        ("bad_rules", ["--rules", rules_bad, SANYA], b"", 2, "empty", r"periods\.json at /markers/0/period"),
        # Every document's warnings: one summary line on stderr.
        ("no_facts", ["-"], "去年，工作扎实推进。".encode(), 1, "doc", r"^digestx: -: 1 no_report_year; 1 no_unit_headings$"),
        ("version", ["--version"], b"", 0, "any", r"^$"),
        ("help", ["--help"], b"", 0, "any", r"^$"),
        ("bad_option", ["--no-such-option", SANYA], b"", 2, "empty", r"."),
        ("output_file", ["-o", out_file, SANYA], b"", 0, "empty", r"^$"),
        ("jobs", ["-j", "3", SANYA, WANNING], b"", 0, "array2", r"^digestx: 2 documents, 0 failed, 0 skipped$"),
        # Progress only on a terminal (stderr is a pipe here) or when asked.
        ("progress", ["--progress", SANYA, WANNING], b"", 0, "array2",
         r"2/2 files +[0-9.]+ MB/s +in 0:0\d *\ndigestx: 2 documents, 0 failed, 0 skipped$"),
        ("progress_quiet", ["--quiet", SANYA, WANNING], b"", 0, "array2", r"^$"),
        ("jobs_zero", ["-j", "0", SANYA], b"", 2, "empty", r"."),
        ("facts_csv", ["--format", "facts-csv", SANYA], b"", 0, "csv", r"^$"),
        ("facts_csv_error", ["--format", "facts-csv", os.path.join(tmp, "nope.txt")], b"", 2, "csv0",
         r"no such file"),
        ("bad_format", ["--format", "xml", SANYA], b"", 2, "empty", r"."),
        ("skip_existing_alone", ["--skip-existing", SANYA], b"", 2, "empty", r"needs --output-dir"),
        ("records_with_output_dir", ["--input", "jsonl", "--output-dir", tmp], b"", 2, "empty", r"--output-dir"),
        ("output_dir_and_o", ["--output-dir", tmp, "-o", out_file, SANYA], b"", 2, "empty", r"exclude"),
        # No input and stdin a pipe: stdin is read, like jq and rg (a terminal: see no_input_terminal).
        ("no_input_pipe", [], open(SANYA, "rb").read(), 0, "doc", r"^$"),
        ("no_input_empty_pipe", [], b"", 2, "empty", r"^digestx: -: is empty$"),
        # An output folder that cannot be made is said once, before any input is read.
        ("output_dir_unwritable", ["--output-dir", os.path.join(binary_file, "out"), SANYA, WANNING], b"", 2,
         "empty", r"^digestx: [^\n]*out: cannot be used as the output folder: Not a directory$"),
        ("records", ["--input", "jsonl"], '{"id": 7, "text": "去年，组建突击队5支。"}\n'.encode(), 0, "jsonl1",
         r"^$"),
        ("records_no_facts", ["--input", "jsonl"], '{"id": 7, "text": "去年，工作扎实推进。"}\n'.encode(), 1, "jsonl1",
         r"^$"),
        ("records_none", ["--input", "jsonl"], b"", 1, "empty", r"^$"),
        ("numbers", ["numbers"], "发放慰问金39.6万元\n十余万\n\n".encode(), 0, "lines3", r"^$"),
        ("numbers_none", ["numbers"], "没有数字\n".encode(), 1, "lines1", r"^$"),
        # A figure left out is said with the rule's own warning and name, as in the JSON.
        ("numbers_left_out", ["numbers"], "误差±5%\n".encode(), 1, "lines1",
         r"^digestx: -: line 1, characters \[2, 4\): figure_ambiguous: a figure left out: ± makes it a tolerance"
         r" \(±5%\), neither a level nor an amount \(numeral.tolerance\)$"),
        # -q is taken by every command (an options table row for all): warnings lines go, errors stay.
        ("numbers_quiet", ["numbers", "-q"], "误差±5%\n".encode(), 1, "lines1", r"^$"),
        ("render_quiet", ["render", "--quiet", "-"], "去年，组建突击队5支。".encode(), 0, "any", r"^$"),
        ("render_quiet_error", ["render", "-q", os.path.join(tmp, "nope.txt")], b"", 2, "empty", r"no such file"),
        # The same digest twice: an organisation with several rows in a year, warned of, not under -q.
        ("panel_warns", ["panel", SANYA, SANYA], b"", 0, "any", r"has several rows for 2022"),
        ("panel_quiet", ["panel", "-q", SANYA, SANYA], b"", 0, "any", r"^$"),
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
    for check in (terminal_without_input, option_typos, sizes, batch_ends, other_formats, region_and_year, provenance,
                  color, summary, help_and_man):
        failed += not check(binary, tmp)

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
    # A link to a missing file or a loop of links: refused (the rename replaced the link
    # by a file, while a link to a file is written through), the link left as it was.
    dangling = os.path.join(tmp, "dangling.json")
    os.symlink(os.path.join(tmp, "missing-dir", "x.json"), dangling)
    loop1, loop2 = os.path.join(tmp, "loop1.json"), os.path.join(tmp, "loop2.json")
    os.symlink(loop2, loop1)
    os.symlink(loop1, loop2)
    for name, target, why in (("output_dangling_symlink", dangling, "symbolic link to a missing file"),
                              ("output_symlink_loop", loop1, "loop of symbolic links")):
        rc, out, err = run(binary, ["-o", target, SANYA])
        good = (rc == 2 and out == b"" and os.path.islink(target) and why in err
                and err.startswith("digestx: ") and not any(".tmp." in f for f in os.listdir(tmp)))
        print(f"{'ok  ' if good else 'FAIL'} {name}" + ("" if good else f": exit {rc}, {err[:200]!r}"))
        ok &= good
    # A closed stdout (>&-) is an error, as a closed stdin is: the data went to the
    # /dev/null guarding fd 1, with exit 0. Not when the data goes elsewhere (-o).
    for name, args, want in (("closed_stdout", [SANYA], 2), ("closed_stdout_numbers", ["numbers", SANYA], 2),
                             ("closed_stdout_render", ["render", SANYA], 2), ("closed_stdout_version", ["--version"], 2),
                             ("closed_stdout_o_stdout", [SANYA, "-o", "/dev/stdout"], 2),
                             ("closed_stdout_o_file", [SANYA, "-o", os.path.join(tmp, "closed.json")], 0)):
        p = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', binary] + args, capture_output=False,
                           stderr=subprocess.PIPE, timeout=60)
        err = p.stderr.decode("utf-8", "replace")
        good = p.returncode == want and (want == 0 or err.strip() == "digestx: stdout is closed")
        print(f"{'ok  ' if good else 'FAIL'} {name}" + ("" if good else f": exit {p.returncode}, {err[:200]!r}"))
        ok &= good
    return ok


def report(name, problems):
    print(f"{'ok  ' if not problems else 'FAIL'} {name}" + (": " + "; ".join(problems) if problems else ""))
    return not problems


def expect(binary, name, args, want_rc, err_re, stdin=b"", out_check=None, env=None):
    p = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=60, env=env)
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode != want_rc:
        problems.append(f"exit {p.returncode}, want {want_rc}")
    if not re.search(err_re, err):
        problems.append(f"stderr {err[:300]!r} !~ {err_re!r}")
    if out_check and not problems:
        try:
            out_check(p.stdout.decode("utf-8"))
        except (AssertionError, ValueError, KeyError, IndexError, TypeError) as e:
            problems.append(f"stdout: {e!r}")
    return report(name, problems)


def terminal_without_input(binary, tmp):
    """No input on a terminal: a short usage, exit 2 (nothing waits for typing)."""
    import pty
    master, slave = pty.openpty()
    try:
        p = subprocess.run([binary], stdin=slave, capture_output=True, timeout=20)
    finally:
        os.close(master)
        os.close(slave)
    err = p.stderr.decode()
    ok = p.returncode == 2 and re.fullmatch(r"digestx: no input given: .*see --help\n", err) and p.stdout == b""
    return report("no_input_terminal", [] if ok else [f"exit {p.returncode}, stderr {err!r}"])


def option_typos(binary, tmp):
    ok = expect(binary, "typo_format", ["--fromat", "json", SANYA], 2,
                r"^digestx: unknown option --fromat \(did you mean --format\?\); see digestx --help\n$")
    ok &= expect(binary, "typo_equals", ["--max-byte=1M", SANYA], 2, r"did you mean --max-bytes\?")
    ok &= expect(binary, "typo_render", ["render", "--outptu-dir", "x", SANYA], 2,
                 r"^digestx: unknown option --outptu-dir \(did you mean --output-dir\?\); see digestx render --help")
    ok &= expect(binary, "typo_numbers", ["numbers", "--explian"], 2, r"did you mean --explain\?")
    # Far from every option: no guess, still the prefix.
    ok &= expect(binary, "typo_far", ["--zzzzzzzz", SANYA], 2, r"^digestx: unknown option --zzzzzzzz; see")
    ok &= expect(binary, "bad_value_prefixed", ["--year", "3000", SANYA], 2, r"^digestx: .*3000")
    ok &= expect(binary, "bad_choice_prefixed", ["--format", "xml", SANYA], 2, r"^digestx: .*xml")
    return ok


def sizes(binary, tmp):
    ok = True
    for size in ("1M", "256MiB", "1.5G", "300000", "1 M", "512k", "100KB"):
        ok &= expect(binary, f"max_bytes_{size}", ["--max-bytes", size, SANYA], 0, r"^$")
    ok &= expect(binary, "max_bytes_small", ["--max-bytes", "1K", SANYA], 2, r"larger than --max-bytes \(1024 bytes\)")
    ok &= expect(binary, "max_bytes_kb", ["--max-bytes", "2KB", "-"], 2, r"larger than --max-bytes \(2000 bytes\)",
                 stdin=open(SANYA, "rb").read())
    ok &= expect(binary, "max_bytes_negative", ["--max-bytes", "-1", SANYA], 2, r"^digestx: .*-1 is negative")
    ok &= expect(binary, "max_bytes_negative_equals", ["--max-bytes=-5M", SANYA], 2, r"negative")
    ok &= expect(binary, "max_bytes_unit", ["--max-bytes", "3X", SANYA], 2, r"^digestx: .*unknown unit X")
    ok &= expect(binary, "max_bytes_zero", ["--max-bytes", "0", SANYA], 2, r"less than one byte")
    ok &= expect(binary, "max_bytes_numbers", ["numbers", "--max-bytes", "1MiB"], 0, r"^$", stdin="39.6万元".encode())
    return ok


def batch_ends(binary, tmp):
    """Upper-case names are taken; documents of other kinds are named and counted."""
    folder = os.path.join(tmp, "mixed")
    os.makedirs(os.path.join(folder, "sub"))
    with open(os.path.join(folder, "SANYA.TXT"), "wb") as fh:
        fh.write(open(SANYA, "rb").read())
    with open(os.path.join(folder, "sub", "report.docx"), "wb") as fh:
        fh.write(b"PK\x03\x04" + b"\0" * 26 + b"word/document.xml")
    open(os.path.join(folder, "scan.PDF"), "wb").write(b"%PDF-1.7\n")
    open(os.path.join(folder, "notes.md"), "w").write("notes")

    def one_doc(out):
        d = json.loads(out)
        assert len(d) == 1 and d[0]["source"]["path"].endswith("SANYA.TXT"), [x["source"]["path"] for x in d]
    return expect(binary, "batch_skipped", [folder], 0,
                  r"^digestx: \S*/scan\.PDF: skipped, a PDF file \(save it as text to include it\)\n"
                  r"digestx: \S*/sub/report\.docx: skipped, a Word file \(save it as text to include it\)\n"
                  r"digestx: 1 other file skipped, not \*\.txt \(\S*notes\.md\)\n"
                  r"digestx: 1 document, 0 failed, 3 skipped\n$", out_check=one_doc)


def other_formats(binary, tmp):
    """A Word, PDF or image file under a .txt name says what it is."""
    ok = True
    cases = [("word", b"PK\x03\x04\x14\0\x06\0" + b"\0" * 22 + b"[Content_Types].xml" + b"\0" * 40 + b"word/document.xml",
              r"is a Word \(ZIP\) file: save it as text"),
             ("pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\n\x78\x9c\x01\x02",
              r"is a PDF file: save its text"),
             ("png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), r"is a PNG image"),
             ("zip", b"PK\x03\x04" + b"\0" * 26 + b"data.csv", r"is a ZIP archive")]
    for name, data, pattern in cases:
        path = os.path.join(tmp, f"renamed-{name}.txt")
        open(path, "wb").write(data)
        ok &= expect(binary, f"renamed_{name}", [path], 2, r"^digestx: \S+renamed-" + name + r"\.txt: " + pattern)
    # A wrong encoding: one clear line on stderr; more than 1% undecodable is an error, not a
    # document of junk facts.
    ok &= expect(binary, "wrong_encoding", ["--encoding", "GB18030", SANYA], 2,
                 r"^digestx: \S+sanya-2022\.txt: \d+ undecodable byte sequences in \d+ characters \(read as GB18030\); "
                 r"wrong encoding\? try --encoding UTF-8\n$")
    ok &= expect(binary, "unknown_encoding", ["--encoding", "KLINGON", SANYA], 2,
                 r"^digestx: \S+sanya-2022\.txt: unknown encoding 'KLINGON'\n$")
    return ok


def region_and_year(binary, tmp):
    """Precedence: option > path field > text, with a warning where they differ."""
    archive = os.path.join(tmp, "archive", "海口市")
    os.makedirs(archive)
    path = os.path.join(archive, "2021.txt")
    open(path, "wb").write(open(SANYA, "rb").read())  # the text states 三亚市, 2022年度
    codes = lambda d: sorted(w["code"] for w in d["warnings"])

    def from_path(out):
        d = json.loads(out)
        assert (d["region"], d["report_year"], d["periods"]["this_year"]) == ("海口市", 2021, 2022), d["region"]
        assert codes(d) == ["region_overridden", "year_overridden"], codes(d)
        assert any("the path's year 2021" in w["message"] for w in d["warnings"]), d["warnings"]
        assert d["units"][1]["facts"][0]["year"] == 2021

    def options_win(out):
        d = json.loads(out)
        assert (d["region"], d["report_year"]) == ("琼海市", 2019), (d["region"], d["report_year"])
        msgs = " | ".join(w["message"] for w in d["warnings"])
        assert "the path states 2021; --year 2019 used instead" in msgs and "the path states 海口市" in msgs, msgs

    def text_only(out):
        d = json.loads(out)
        assert (d["region"], d["report_year"]) == ("三亚市", 2022) and codes(d) == [], (d["region"], codes(d))

    tmpl = "{region}/{year}.txt"
    # The overrides are warnings of the document, summed up in one line on stderr.
    said = r"^digestx: \S+2021\.txt: \d region_overridden; \d year_overridden\n$"
    ok = expect(binary, "path_fields", ["--path-fields", tmpl, path], 0, said, out_check=from_path)
    ok &= expect(binary, "path_fields_options_win", ["--path-fields", tmpl, "--year", "2019", "--region", "琼海市", path],
                 0, said, out_check=options_win)
    ok &= expect(binary, "region_option", ["--region", "三亚市", SANYA], 0, r"^$", out_check=text_only)

    # --explain names where the region and year came from: the option or the path, not
    # the text's rule they won over.
    def given_rules(region_rule):
        def check(out):
            r = json.loads(out)["rules"]
            assert (r["region"], r["report_year"]) == (region_rule, "option.year"), r
        return check
    ok &= expect(binary, "path_fields_explain", ["--path-fields", tmpl, "--explain", path], 0, said,
                 out_check=given_rules("path.region"))
    ok &= expect(binary, "options_explain", ["--path-fields", tmpl, "--year", "2019", "--region", "琼海市", "--explain", path],
                 0, said, out_check=given_rules("option.region"))
    ok &= expect(binary, "path_fields_bad", ["--path-fields", "{city}/{year}.txt", path], 2,
                 r"^digestx: --path-fields \{city\}/\{year\}\.txt: unknown field \{city\}")

    def unmatched(out):
        d = json.loads(out)
        assert "path_fields_unmatched" in codes(d) and d["report_year"] == 2022, codes(d)
    ok &= expect(binary, "path_fields_unmatched", ["--path-fields", "{region}/{year}.txt", SANYA], 0,
                 r"^digestx: \S+sanya-2022\.txt: 1 path_fields_unmatched\n$",
                 out_check=unmatched)

    def csv_region(out):
        rows = out.split("\r\n")
        assert rows[1].split(",")[1] == "海口市", rows[1]
    ok &= expect(binary, "path_fields_csv", ["--path-fields", tmpl, "--format", "facts-csv", path], 0, said,
                 out_check=csv_region)
    return ok


def provenance(binary, tmp):
    """Each document names its digestx and the fingerprint of its rules; --version both."""
    import hashlib
    rules_dir = os.path.join(ROOT, "rules")
    builtin = "sha256:" + hashlib.sha256(b"".join(
        open(os.path.join(rules_dir, f), "rb").read() for f in sorted(os.listdir(rules_dir)) if f.endswith(".json"))
    ).hexdigest()
    mine = os.path.join(tmp, "myrules")
    os.mkdir(mine)
    periods = open(os.path.join(rules_dir, "periods.json"), encoding="utf-8").read()
    open(os.path.join(mine, "periods.json"), "w", encoding="utf-8").write(periods + "\n")

    def built_in(out):
        d = json.loads(out)
        assert d["digestx"]["rules"] == builtin, (d["digestx"], builtin)
        assert re.fullmatch(r"\d+\.\d+\.\d+", d["digestx"]["version"]), d["digestx"]

    def changed(out):
        assert json.loads(out)["digestx"]["rules"] not in (builtin, ""), "--rules kept the built-in fingerprint"

    def version(want):
        def check(out):
            assert re.fullmatch(r"digestx \d+\.\d+\.\d+\nrules sha256:[0-9a-f]{64}\n"
                                r"built-in rules (precompiled|compiled at each start)\n", out), out
            assert (out.split("\n")[1].split()[-1] == builtin) == want, out
        return check
    ok = expect(binary, "provenance", [SANYA], 0, r"^$", out_check=built_in)
    ok &= expect(binary, "provenance_rules", ["--rules", mine, SANYA], 0, r"^$", out_check=changed)
    ok &= expect(binary, "version_rules", ["--version"], 0, r"^$", out_check=version(True))
    ok &= expect(binary, "version_own_rules", ["--rules", mine, "-V"], 0, r"^$", out_check=version(False))
    ok &= expect(binary, "version_render", ["render", "--version"], 0, r"^$", out_check=version(True))
    # The built-in rules are read from forms worked out at build time (a flat tree, the
    # patterns' prefilters, the word lists' tables); --rules with a copy of the same
    # files compiles them from their text at run time. Both must give the same bytes,
    # fingerprint included, on digests spread over the test data.
    import shutil
    copy = os.path.join(tmp, "rules-copy")
    shutil.copytree(rules_dir, copy)
    data = os.path.join(ROOT, "tests", "data")
    inputs = [SANYA] + [os.path.join(data, f) for f in sorted(os.listdir(data)) if f.endswith(".txt")][::6]
    for path in inputs:
        for fmt in (["--explain"], ["--format", "facts-csv"]):
            want = subprocess.run([binary] + fmt + [path], capture_output=True, timeout=60).stdout
            def same(out, want=want):
                assert out.encode("utf-8") == want, "--rules with a copy of the rules changed the output"
            ok &= expect(binary, "rules_copy_" + os.path.basename(path) + fmt[-1], ["--rules", copy] + fmt + [path],
                         0, r"", out_check=same)
    return ok


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def color(binary, tmp):
    plain = subprocess.run([binary, SANYA], capture_output=True).stdout.decode()

    def coloured(out):
        assert '\x1b[34;1m"format"' in out and '\x1b[0;32m"digestx/1"' in out, out[:200]
        assert json.loads(ANSI.sub("", out)) == json.loads(plain), "colour changed the JSON"

    def none(out):
        assert "\x1b" not in out

    env = dict(os.environ, NO_COLOR="1")
    ok = expect(binary, "color_always", ["--color", "always", SANYA], 0, r"^$", out_check=coloured)
    ok &= expect(binary, "color_always_jsonl", ["--color", "always", "--format", "jsonl", SANYA, WANNING], 0, r"",
                 out_check=lambda out: [json.loads(ANSI.sub("", x)) for x in out.splitlines()])
    ok &= expect(binary, "color_auto_pipe", [SANYA], 0, r"^$", out_check=none)
    ok &= expect(binary, "color_never", ["--color", "never", SANYA], 0, r"^$", out_check=none)
    ok &= expect(binary, "color_tables_never", ["--color", "always", "--format", "facts-csv", SANYA], 0, r"^$",
                 out_check=none)
    ok &= expect(binary, "color_numbers", ["numbers", "--color", "always"], 0, r"^$", stdin="发放慰问金39.6万元\n".encode(),
                 out_check=lambda out: json.loads(ANSI.sub("", out))["facts"][0]["value"] == 396000 and "\x1b[34;1m" in out
                 or (_ for _ in ()).throw(AssertionError(out)))
    ok &= expect(binary, "color_bad", ["--color", "sometimes", SANYA], 2, r"^digestx: .*sometimes")
    # On a terminal: colour unless NO_COLOR.
    import pty
    for name, environment, want in (("color_terminal", None, True), ("color_no_color", env, False)):
        master, slave = pty.openpty()
        p = subprocess.Popen([binary, "--compact", SANYA], stdout=slave, stderr=subprocess.PIPE, env=environment)
        os.close(slave)
        data = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        p.wait(timeout=30)
        os.close(master)
        ok &= report(name, [] if (b"\x1b[" in data) == want else [f"colour {not want}: {data[:80]!r}"])
    return ok


def summary(binary, tmp):
    doc = json.loads(subprocess.run([binary, SANYA], capture_output=True).stdout)
    facts = [f for u in doc["units"] + doc["sidebars"] for f in u["facts"]]

    def one(out):
        lines = out.splitlines()
        assert lines[0] == f"{SANYA}: {len(doc['units'])} units, {len(facts)} facts", lines[0]
        kinds = ", ".join(f"{k} {sum(f['kind'] == k for f in facts)}" for k in sorted({f["kind"] for f in facts}))
        assert lines[1] == "  facts by kind:    " + kinds, (lines[1], kinds)
        assert lines[2].startswith("  facts by aspect:"), lines[2]
        from decimal import Decimal
        # The total adds money of aspect amount only (the contract's Totals).
        money = sum((Decimal(str(f["value"])) for f in facts if f["kind"] == "money" and f["unit"] == "元"
                     and f["period"] == "last_year" and f["aspect"] == "amount"), Decimal(0))
        assert f"    last_year 2022: {money.normalize():f} 元" in out, (money, out)

    ok = expect(binary, "summary", ["--summary", SANYA], 0, r"^$", out_check=one)
    # 投入资金5000万元，其中财政资金3000万元…: a part (part_of) is never added beside its whole.
    parts = os.path.join(ROOT, "tests", "data", "lists-parts-qingjiang-2024.txt")
    pdoc = json.loads(subprocess.run([binary, parts], capture_output=True).stdout)
    pfacts = [f for u in pdoc["units"] for f in u["facts"]]

    def no_parts(out):
        from decimal import Decimal
        assert any("part_of" in f for f in pfacts), "no part_of in the digest of parts"
        money = sum((Decimal(str(f["value"])) for f in pfacts if f["kind"] == "money" and f["unit"] == "元"
                     and f["period"] == "last_year" and f["aspect"] == "amount" and "part_of" not in f), Decimal(0))
        assert f"    last_year 2024: {money.normalize():f} 元" in out, (money, out)
    ok &= expect(binary, "summary_parts", ["--summary", parts], 0, r"^$", out_check=no_parts)
    # 完成年度目标45万元的116.9%, 预计全年…可达58万元: a target and a forecast are never added.
    report = os.path.join(ROOT, "tests", "data", "fr-village-secretary-shiqiao-2024.txt")
    rfacts = [f for u in json.loads(subprocess.run([binary, report], capture_output=True).stdout)["units"]
              for f in u["facts"]]

    def no_targets(out):
        from decimal import Decimal
        statuses = sorted({f["status"] for f in rfacts if "status" in f})
        assert statuses == ["forecast", "target"], statuses
        assert "  no outcomes:      forecast " in out, out
        money = sum((Decimal(str(f["value"])) for f in rfacts if f["kind"] == "money" and f["unit"] == "元"
                     and f["period"] == "last_year" and f["aspect"] == "amount" and "part_of" not in f
                     and "status" not in f), Decimal(0))
        assert f"    last_year 2024: {money.normalize():f} 元" in out, (money, out)
    ok &= expect(binary, "summary_statuses", ["--summary", report], 0, r"^$", out_check=no_targets)
    # | 固定资产投资 | 3.2亿元 | under prose that said 完成固定资产投资3.2亿元: one sum, added once.
    # By hand: 3.2亿 + 4600万 + 860万 + the table's new 1.35亿, and 白溪乡's 580万 + 320万 + its
    # table's 320万 (another thing) + 1500万 (902,800,000 with the restated cells).
    restated = os.path.join(ROOT, "tests", "data", "restated-tables-heyuan-2024.txt")
    ok &= expect(binary, "summary_restated", ["--summary", restated], 0, r"^$",
                 out_check=lambda out: "    last_year 2024: 536800000 元 (8 facts)" in out)
    ok &= expect(binary, "summary_many", ["--summary", SANYA, WANNING], 0, r"2 documents, 0 failed",
                 out_check=lambda out: out.index("all 2 documents together: ") > out.index(WANNING))
    ok &= expect(binary, "summary_stdin", ["--summary"], 0, r"^$", stdin=open(SANYA, "rb").read(),
                 out_check=lambda out: out.startswith("-: "))
    return ok


def help_and_man(binary, tmp):
    def mentions(*words):
        def check(out):
            for w in words:
                assert w in out, w
        return check
    ok = expect(binary, "help_format_doc", ["--help"], 0, r"^$",
                out_check=mentions("docs/format.md", "--path-fields", "--color", "Exit status", "digestx numbers"))
    ok &= expect(binary, "help_numbers", ["numbers", "--help"], 0, r"^$", out_check=mentions("--explain", "docs/format.md"))
    ok &= expect(binary, "render_stdin", ["render"], 0, r"^$", stdin=open(SANYA, "rb").read(),
                 out_check=mentions("<!DOCTYPE html>"))
    man = os.path.join(tmp, "digestx.1")
    ok &= expect(binary, "generate_man", ["__generate", "man", man], 0, r"^$")
    page = open(man, encoding="utf-8").read() if os.path.exists(man) else ""
    ok &= report("man_from_table", [] if all(w in page for w in (".SH EXIT STATUS", "\\-\\-path\\-fields",
                                                                 ".SH EXAMPLES", ".SH OUTPUT FORMAT")) else [page[:200]])
    return ok


if __name__ == "__main__":
    sys.exit(main())
