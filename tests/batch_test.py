#!/usr/bin/env python3
"""A batch of 300 inputs with -j 2 in every format: copies and variants of the
samples (other encodings, line ends, BOMs, cut versions, text without headings),
spread over a directory and explicit files, plus a missing file and a binary file.

Checks, for every format: 300 records in input order, the two error records (or, in
tables, no rows and a line on stderr), exit status 2; each record equal to a
single run of the same content; CSV/TSV rows = facts (and units), cell for cell
against the JSON; every JSON record valid against the JSON Schema (generated at build time). Then
--output-dir (one file each, no temporary left, --skip-existing), -j 1 = -j 2 byte
for byte, and a broken pipe under -j 2.

usage: batch_test.py DIGESTX_BINARY PROJECT_DIR
"""
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import jsonschema

from testlib import WARNINGS_LINE, check, failures

SAMPLES = ["sanya-2022", "wanning-2021", "haibin-2022-hant"]
FACT_COLUMNS = ["source", "region", "report_year", "unit_index", "organization", "role", "name", "period", "year",
                "kind", "value", "unit", "qualifier", "range_low", "range_high", "subject", "aspect", "text", "start", "end", "part_of_start", "part_of_end", "status"]
UNIT_COLUMNS = ["source", "region", "report_year", "unit_index", "organization", "role", "name", "headline",
                "heading", "start", "end", "paragraphs", "sentences", "facts"]
TOTAL = 300


def run(binary, args, cwd=None):
    p = subprocess.run([binary] + args, capture_output=True, cwd=cwd, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def variants(project):
    """Distinct contents (name -> bytes): each sample as it is and in other dresses."""
    out = {}
    for s in SAMPLES:
        raw = open(os.path.join(project, "samples", s + ".txt"), "rb").read()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        text = text.lstrip("\ufeff")
        lf = text.replace("\r\n", "\n")
        out[s] = raw
        out[s + "-utf8"] = lf.encode("utf-8")
        out[s + "-bom-crlf"] = b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8")
        out[s + "-utf16"] = b"\xff\xfe" + lf.encode("utf-16-le")
        out[s + "-half"] = lf[: len(lf) // 2].rsplit("\n", 1)[0].encode("utf-8")
        # The paragraphs alone, headings dropped: one unit without heading.
        body = "\n\n".join(line for line in lf.split("\n") if len(line) >= 40)
        out[s + "-body"] = body.encode("utf-8")
    return out


def build_inputs(tmp, contents):
    """298 files: half in tree/ (given as a directory), half named one by one in an
    order that is not sorted; the missing and the binary file among them."""
    names = sorted(contents)
    tree = os.path.join(tmp, "tree")
    loose = os.path.join(tmp, "loose")
    for d in (os.path.join(tree, "x"), os.path.join(tree, "y"), loose):
        os.makedirs(d)
    content_of = {}
    in_tree, explicit = [], []
    for i in range(TOTAL - 2):
        name = names[i % len(names)]
        if i % 2 == 0:
            path = os.path.join(tree, "x" if i % 4 == 0 else "y", f"{i:03d}-{name}.txt")
            in_tree.append(path)
        else:
            path = os.path.join(loose, f"{i:03d}-{name}.txt")
            explicit.append(path)
        with open(path, "wb") as fh:
            fh.write(contents[name])
        content_of[path] = name
    # Files a directory walk must leave out: another extension, hidden ones.
    for skipped in (os.path.join(tree, "notes.md"), os.path.join(tree, ".hidden.txt")):
        with open(skipped, "wb") as fh:
            fh.write(contents[names[0]])
    os.makedirs(os.path.join(tree, ".cache"))
    with open(os.path.join(tree, ".cache", "c.txt"), "wb") as fh:
        fh.write(contents[names[0]])
    explicit.reverse()
    missing = os.path.join(tmp, "missing.txt")
    binary = os.path.join(loose, "blob.bin")
    with open(binary, "wb") as fh:
        fh.write(bytes(range(256)) * 16)
    explicit.insert(40, missing)
    explicit.insert(100, binary)
    args = [tree] + explicit
    order = sorted(in_tree) + explicit
    return args, order, content_of, {missing: "not_found", binary: "binary"}


def single_runs(binary, tmp, contents):
    """The document of each distinct content, from a run of its own."""
    docs = {}
    for name, data in contents.items():
        path = os.path.join(tmp, "single.txt")
        with open(path, "wb") as fh:
            fh.write(data)
        rc, out, err = run(binary, ["--format", "jsonl", path])
        check(rc in (0, 1), f"single run of {name}: exit {rc} {err}")
        docs[name] = json.loads(out)
    return docs


def same_as_single(record, path, content_of, singles):
    want = json.loads(json.dumps(singles[content_of[path]]))
    want["source"]["path"] = path
    return record == want


def check_records(records, order, content_of, errors, singles, validator, label):
    if not check(len(records) == TOTAL, f"{label}: {len(records)} records, want {TOTAL}"):
        return
    got_order = [r["source"]["path"] for r in records]
    check(got_order == order, f"{label}: records not in input order")
    for r, path in zip(records, order):
        if path in errors:
            check("error" in r and r["error"]["code"] == errors[path], f"{label}: {path} error record {r}")
        else:
            check("error" not in r and same_as_single(r, path, content_of, singles),
                  f"{label}: {path} differs from its single run")
        if validator is not None:
            problems = list(validator.iter_errors(r))
            check(not problems, f"{label}: {path} not schema-valid: {problems[:1]}")


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        raise AssertionError("no booleans in tables")
    return str(v) if not isinstance(v, float) else json.dumps(v)


def expected_fact_rows(doc):
    base = [doc["source"]["path"], cell(doc["region"]), cell(doc["report_year"])]
    rows = []
    owners = [(None, sb) for sb in doc["sidebars"]] + [(u, u) for u in doc["units"]]
    for unit, holder in owners:
        for f in holder["facts"]:
            u = ["", "", "", ""] if unit is None else [str(unit["index"]), cell(unit["organization"]),
                                                        cell(unit["role"]), cell(unit["name"])]
            rng = f.get("range") or [None, None]
            rows.append(base + u + [cell(f["period"]), cell(f["year"]), f["kind"], raw_number(f["value"]),
                                    cell(f["unit"]), cell(f["qualifier"]), raw_number(rng[0]), raw_number(rng[1]),
                                    cell(f["subject"]), cell(f.get("aspect")), f["text"], str(f["span"][0]), str(f["span"][1]),
                                    str(f["part_of"][0]) if "part_of" in f else "", str(f["part_of"][1]) if "part_of" in f else "",
                                    f.get("status", "")])
    return rows


def raw_number(v):
    # The JSON's own text of a number: what the table must hold too.
    return "" if v is None else json.dumps(v)


def expected_unit_rows(doc):
    base = [doc["source"]["path"], cell(doc["region"]), cell(doc["report_year"])]
    rows = []
    for u in doc["units"]:
        span = u["span"] or ["", ""]
        sentences = sum(len(p["sentences"]) for p in u["paragraphs"])
        rows.append(base + [str(u["index"]), cell(u["organization"]), cell(u["role"]), cell(u["name"]),
                            cell(u["headline"]), cell(u["heading"]), str(span[0]), str(span[1]),
                            str(len(u["paragraphs"])), str(sentences), str(len(u["facts"]))])
    return rows


def check_table(out, records, delimiter, newline, columns, expected_rows, label):
    text = out.decode("utf-8")
    check(not text.startswith("\ufeff"), f"{label}: starts with a BOM")
    first_end = text.index("\n") + 1
    check(text[:first_end] == delimiter.join(columns) + newline, f"{label}: header {text[:first_end]!r}")
    if newline == "\r\n":
        # RFC 4180: every record ends with CRLF (line breaks inside quoted cells aside).
        check(text.endswith("\r\n"), f"{label}: does not end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    check(header == columns, f"{label}: header {header}")
    want = [row for r in records if "error" not in r for row in expected_rows(r)]
    check(len(body) == len(want), f"{label}: {len(body)} rows, want {len(want)}")
    for i, (got, exp) in enumerate(zip(body, want)):
        if not check(got == exp, f"{label}: row {i + 1}: {got} != {exp}"):
            break
    return len(body)


def main():
    binary, project = sys.argv[1], sys.argv[2]
    # Generated beside the binary from schema/digestx.schema.json.in and rules/kinds.json.
    schema = json.load(open(os.path.join(os.path.dirname(os.path.abspath(binary)), "digestx.schema.json")))
    with open(os.path.join(project, "rules", "kinds.json"), encoding="utf-8") as fh:
        registry = json.load(fh)
    fact = schema["$defs"]["fact"]["properties"]
    check(fact["kind"]["enum"] == [k["name"] for k in registry["kinds"]], "schema kinds are not the registry's")
    check(fact["aspect"]["enum"] == [a["name"] for a in registry["aspects"]] + [None], "schema aspects are not the registry's")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    tmp = tempfile.mkdtemp(prefix="digestx_batch_")
    try:
        contents = variants(project)
        args, order, content_of, errors = build_inputs(tmp, contents)
        singles = single_runs(binary, tmp, contents)

        # jsonl, the reference of the others; every record checked against the schema.
        rc, out, err = run(binary, ["-j", "2", "--format", "jsonl"] + args)
        check(rc == 2, f"jsonl: exit {rc}, want 2")
        # Each document with warnings (loose bodies: no_unit_headings) gets one summary
        # line; the rest of stderr is the failures and the closing count.
        summaries = [l for l in err.strip().splitlines() if WARNINGS_LINE.fullmatch(l)]
        lines = [l for l in err.strip().splitlines() if not WARNINGS_LINE.fullmatch(l)]
        check(len(summaries) > 0 and all("no_unit_headings" in l for l in summaries), f"jsonl: summaries {summaries[:3]}")
        records = [json.loads(line) for line in out.decode("utf-8").splitlines()]
        # The failures, then what the walk left out (notes.md) and the closing count.
        check(len(lines) == 4 and "missing.txt: no such file" in lines[0] and "blob.bin" in lines[1]
              and re.fullmatch(r"digestx: 1 other file skipped, not \*\.txt \(\S+/notes\.md\)", lines[2])
              and lines[3] == "digestx: %d documents, 2 failed, 1 skipped" % (len(records) - 2),
              f"jsonl: stderr {err!r}")
        check_records(records, order, content_of, errors, singles, validator, "jsonl")
        facts = sum(len(u["facts"]) for r in records if "error" not in r for u in r["units"] + r["sidebars"])
        check(facts > 1000, f"only {facts} facts in the batch")

        rc, out, err = run(binary, ["-j", "2", "--format", "json"] + args)
        check(rc == 2, f"json: exit {rc}")
        check(out.decode("utf-8").count("\n") == 1, "json: not one compact line when stdout is a pipe")
        array = json.loads(out)
        check(isinstance(array, list), "json: not an array")
        check_records(array, order, content_of, errors, singles, None, "json")

        tables = [("facts-csv", ",", "\r\n", FACT_COLUMNS, expected_fact_rows),
                  ("facts-tsv", "\t", "\n", FACT_COLUMNS, expected_fact_rows),
                  ("units-csv", ",", "\r\n", UNIT_COLUMNS, expected_unit_rows)]
        for fmt, delimiter, newline, columns, expected in tables:
            rc, out, err = run(binary, ["-j", "2", "--format", fmt] + args)
            check(rc == 2, f"{fmt}: exit {rc}")
            others = [l for l in err.strip().splitlines() if not WARNINGS_LINE.fullmatch(l)]
            check(len(others) == 4 and "2 failed, 1 skipped" in err, f"{fmt}: stderr {err!r}")
            n = check_table(out, records, delimiter, newline, columns, expected, fmt)
            if fmt.startswith("facts"):
                check(n == facts, f"{fmt}: {n} rows, {facts} facts")
            check_with_pandas(out, delimiter, [row for r in records if "error" not in r for row in expected(r)],
                              columns, tmp, fmt)

        # The samples and our own digests in tests/data, with and without --explain,
        # against the schema.
        data = os.path.join(project, "tests", "data")
        ours = sorted(os.path.join(data, f) for f in os.listdir(data) if f.endswith(".txt")) if os.path.isdir(data) else []
        for extra in ([], ["--explain"]):
            paths = [os.path.join(project, "samples", x + ".txt") for x in SAMPLES] + ours
            rc, out, err = run(binary, ["--format", "jsonl"] + extra + paths)
            check(rc == 0, f"samples {extra}: exit {rc} {err}")
            for line in out.decode("utf-8").splitlines():
                problems = list(validator.iter_errors(json.loads(line)))
                check(not problems, f"samples {extra}: not schema-valid: {problems[:1]}")
        # And a document that breaks it, so that the check above can fail.
        broken = json.loads(json.dumps(records[0]))
        broken["units"][0]["facts"][0]["kind"] = "amount"
        check(not validator.is_valid(broken), "schema accepts an unknown fact kind")

        # Parallelism never changes a byte.
        runs = [run(binary, ["-j", j, "--format", "jsonl"] + args) for j in ("1", "2", "5")]
        outs = [r[1] for r in runs]
        # A sanitizer's halt shows as a shorter output: say which run, and why.
        check(outs[0] == outs[1] == outs[2], "-j 1, -j 2 and -j 5 outputs differ: " + "; ".join(
            f"-j {j}: exit {rc}, {len(o)} bytes, stderr {err[-300:]!r}" for j, (rc, o, err) in zip(("1", "2", "5"), runs)))

        check_output_dir(binary, tmp, args, order, records, errors)
        check_memory_is_bounded(binary, tmp, project)
        check_interrupted_output_dir(binary, tmp)

        check_large_inputs_cut_off(binary, tmp, project)

        # A reader that goes away: quiet, whatever the workers are doing.
        p = subprocess.Popen([binary, "-j", "2", "--format", "jsonl"] + args, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode()
        rc = p.wait(timeout=60)
        check(rc == 0 and "missing" not in err and "broken" not in err.lower(),
              f"broken pipe: exit {rc}, stderr {err!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'FAIL' if failures else 'ok'}: batch of {TOTAL} inputs, {len(failures)} problems")
    return 1 if failures else 0


PANDAS = r"""
import json, sys
import pandas
df = pandas.read_csv(sys.argv[1], sep=sys.argv[2], keep_default_na=False, dtype=str)
print(json.dumps({"columns": list(df.columns), "rows": df.values.tolist()}, ensure_ascii=False))
"""


def check_with_pandas(out, delimiter, want_rows, columns, tmp, label):
    """The table as pandas.read_csv reads it, cell for cell. Debian's python3-pandas
    serves /usr/bin/python3, which may not be the interpreter running this test."""
    path = os.path.join(tmp, "table.csv")
    with open(path, "wb") as fh:
        fh.write(out)
    p = subprocess.run(["/usr/bin/python3", "-c", PANDAS, path, delimiter], capture_output=True, timeout=120)
    if not check(p.returncode == 0, f"{label}: pandas.read_csv failed: {p.stderr.decode()[-300:]}"):
        return
    got = json.loads(p.stdout)
    check(got["columns"] == columns, f"{label}: pandas columns {got['columns']}")
    check(len(got["rows"]) == len(want_rows), f"{label}: pandas reads {len(got['rows'])} rows")
    for i, (a, b) in enumerate(zip(got["rows"], want_rows)):
        if not check(a == b, f"{label}: pandas row {i + 1}: {a} != {b}"):
            break


def peak_memory_kb(binary, args):
    """Peak resident memory of one run (VmHWM of its own address space), with a
    reader that stalls first: workers that did not wait for the writer would pile
    up results meanwhile. (The rusage of a child would also count the memory of
    this Python process, which it was forked from.)"""
    p = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    peak = 0
    while True:
        try:
            with open(f"/proc/{p.pid}/status") as fh:
                peak = max([peak] + [int(line.split()[1]) for line in fh if line.startswith("VmHWM:")])
        except OSError:
            pass
        if not p.stdout.read(1 << 20):
            break
    check(p.wait() == 0, f"memory run {args[:3]}: exit {p.returncode}")
    return peak


def check_memory_is_bounded(binary, tmp, project):
    """100 times the files, about the same memory: results wait in a bounded window."""
    sample = os.path.join(project, "samples", "sanya-2022.txt")
    many = os.path.join(tmp, "many")  # also the input of check_interrupted_output_dir
    os.makedirs(many)
    for i in range(1200):
        os.link(sample, os.path.join(many, f"{i:04d}.txt"))
    if os.environ.get("DIGESTX_SANITIZED"):
        # ASan holds freed memory in quarantine: the peak grows with the work done.
        print("skip memory: a sanitizer build's memory is not digestx's")
        return
    few = sorted(os.path.join(many, f) for f in os.listdir(many))[:12]
    small = peak_memory_kb(binary, ["-j", "2", "--format", "jsonl"] + few)
    big = peak_memory_kb(binary, ["-j", "2", "--format", "jsonl", many])
    check(big < small + 10240, f"memory: {big} KB for 1200 files, {small} KB for 12")


def check_large_inputs_cut_off(binary, tmp, project):
    """Two large inputs, the reader gone at the start of the first: the second, found
    meanwhile, has its first window of units posted to the workers and is never written.
    Dropped after the pool's list of posted work, it joined them through freed memory
    (the sanitizer builds report it)."""
    sample = open(os.path.join(project, "samples", "sanya-2022.txt"), "rb").read()
    large = []
    for name in ("large1.txt", "large2.txt"):  # past the 4 MiB from which units are streamed
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(sample * ((5 << 20) // len(sample) + 1))
        large.append(path)
    for attempt in range(3):  # a thread sanitizer build caught it about one run in three
        p = subprocess.Popen([binary, "-j", "2", "--format", "jsonl"] + large, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        # Gone before the second input's units are all taken: its structure is found on
        # the other worker meanwhile, and once the output fails no worker takes them.
        p.stdout.read(1 << 16)
        p.stdout.close()
        err = p.stderr.read().decode()
        rc = p.wait(timeout=120)
        check(rc == 0 and err == "", f"large inputs cut off ({attempt}): exit {rc}, stderr {err[-400:]!r}")


def check_interrupted_output_dir(binary, tmp):
    """Ctrl-C in the middle of --output-dir: whenever it lands, every NAME.json there
    is whole and no temporary file is left."""
    # Several moments: a signal between the creation of a temporary and its
    # registration once left `.f20.json.tmp…` behind, about one run in 40; a thread
    # creating a temporary while the handler's sweep was past its slot, one in seven.
    for delay in (0.02, 0.05, 0.08, 0.12, 0.17, 0.23, 0.3):
        out_dir = os.path.join(tmp, f"interrupted-{delay}")
        p = subprocess.Popen([binary, "-j", "2", "--output-dir", out_dir, os.path.join(tmp, "many")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        rc = p.wait(timeout=60)
        check(rc in (-signal.SIGINT, 0), f"interrupted after {delay} s: exit {rc}")
        names = os.listdir(out_dir) if os.path.isdir(out_dir) else []
        check(not [n for n in names if n.startswith(".")], f"interrupted after {delay} s: temporary files left: {names[:3]}")
        for n in names:
            try:
                check(json.load(open(os.path.join(out_dir, n)))["format"] == "digestx/1", f"interrupted: {n}")
            except ValueError:
                check(False, f"interrupted after {delay} s: {n} is not whole JSON")


def check_output_dir(binary, tmp, args, order, records, errors):
    out_dir = os.path.join(tmp, "out")
    rc, out, err = run(binary, ["-j", "2", "--output-dir", out_dir] + args)
    check(rc == 2 and out == b"", f"output-dir: exit {rc}, stdout {out[:80]!r}")
    written = sorted(os.path.relpath(os.path.join(d, f), out_dir) for d, _, fs in os.walk(out_dir) for f in fs)
    check(not any(os.path.basename(f).startswith(".") for f in written), "output-dir: temporary file left")
    check(len(written) == TOTAL, f"output-dir: {len(written)} files")
    by_path = {r["source"]["path"]: r for r in records}
    tree = args[0]
    for path in order:
        if path.startswith(tree + os.sep):
            stem = os.path.splitext(os.path.relpath(path, tree))[0]
        else:
            stem = os.path.splitext(os.path.basename(path))[0]
        name = os.path.join(out_dir, stem + (".error.json" if path in errors else ".json"))
        if not check(os.path.exists(name), f"output-dir: {name} missing"):
            continue
        check(json.load(open(name)) == by_path[path], f"output-dir: {name} differs from the jsonl record")
    # --skip-existing: only what is missing is done again.
    victim = os.path.join(out_dir, "x", "000-haibin-2022-hant.json")
    kept = os.path.join(out_dir, "y", "002-haibin-2022-hant-bom-crlf.json")
    os.remove(victim)
    before = os.stat(kept).st_mtime_ns
    rc, out, err = run(binary, ["-j", "2", "--output-dir", out_dir, "--skip-existing", tree])
    check(rc == 0, f"skip-existing: exit {rc} {err}")
    check(os.path.exists(victim), "skip-existing: the missing output was not written again")
    check(os.stat(kept).st_mtime_ns == before, "skip-existing: an existing output was rewritten")


if __name__ == "__main__":
    sys.exit(main())
