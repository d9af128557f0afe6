#!/usr/bin/env python3
"""Hostile inputs, as a table: tests/bad-inputs/cases.json says for each input the
command, the expected exit status, a pattern for stderr and what stdout must be.

usage: bad_inputs_test.py DIGESTX_BINARY SOURCE_DIR [--large | --small] [--scale F]

  --small / --large  only the cases without / with "large": true (ctest runs them as
                     two tests so that they share the two cores)
  --scale F          sizes of generated inputs times F (the sanitizer build uses 0.1:
                     ASan takes several times the memory and time of a plain build)

What every case promises (the issue's "unbreakable"):
  - exit status as in the table; never a crash, an abort or a sanitizer report;
  - exit 2: stdout empty (no partial JSON) and exactly one line on stderr that names
    the input and the problem;
  - otherwise stdout is whole JSON: every fact's text is the source slice of its span
    (checked against Python's decoding of the input where the lengths agree), every
    `invalid_bytes` warning points at a U+FFFD;
  - no case runs past its timeout (generous: a hang or a quadratic path on the large
    inputs, not a slow machine, is what it catches).

Cases with "input": {"make": ...} build their input at run time: a missing file,
a directory, a FIFO, a file nobody may read, symlink loops, /dev/zero, broken --rules
folders, and the large generated inputs of hostile_inputs.py.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

# The one line on stderr that sums up a document's warnings.

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hostile_inputs  # noqa: E402
from testlib import NOBODY, WARNINGS_LINE, unprivileged_prefix  # noqa: E402

CHECKED_SLICES = []  # inputs whose facts were checked against Python's decoding


class Setup:
    """Builds the input of one case; returns (path, stdin bytes, command prefix, note)."""

    def __init__(self, root, tmp, binary, scale):
        self.root, self.tmp, self.binary, self.scale = root, tmp, binary, scale
        self.writers = []

    def folder(self, name):
        path = os.path.join(self.tmp, name)
        os.makedirs(path, exist_ok=True)
        return path

    def build(self, case):
        spec = case["input"]
        if "file" in spec:
            path = os.path.join(self.root, "tests", "bad-inputs", spec["file"])
            if spec.get("stdin"):
                return "-", open(path, "rb").read(), [], ""
            return path, None, [], ""
        make = spec["make"]
        where = self.folder(case["name"])
        if make == "missing":
            return os.path.join(where, "no-such-file.txt"), None, [], ""
        if make == "empty_directory":
            return where, None, [], ""
        if make == "directory":
            # A folder with one good digest and one directory named like a digest.
            shutil.copy(os.path.join(self.root, "samples", "sanya-2022.txt"), where)
            os.mkdir(os.path.join(where, "folder.txt"))
            return where, None, [], ""
        if make == "fifo":
            path = os.path.join(where, "pipe.txt")
            os.mkfifo(path)
            data = open(os.path.join(self.root, spec["feed"]), "rb").read() if spec.get("feed") else b""

            def feed():
                try:
                    with open(path, "wb") as fh:  # blocks until digestx opens the FIFO
                        fh.write(data)
                except OSError:
                    pass

            t = threading.Thread(target=feed, daemon=True)
            t.start()
            self.writers.append(t)
            return path, None, [], ""
        if make == "no_permission":
            os.chmod(where, 0o755)  # nobody may enter the folder, not read the file
            os.chmod(self.tmp, 0o755)
            path = os.path.join(where, "secret.txt")
            shutil.copy(os.path.join(self.root, "samples", "sanya-2022.txt"), path)
            os.chmod(path, 0)
            prefix = unprivileged_prefix(self.binary)
            if prefix is None:
                return path, None, [], "root, and nobody cannot run digestx here: either outcome accepted"
            return path, None, prefix, "as nobody (setpriv)" if prefix else ""
        if make == "symlink_loop":
            a, b = os.path.join(where, "a.txt"), os.path.join(where, "b.txt")
            os.symlink(b, a)
            os.symlink(a, b)
            return a, None, [], ""
        if make == "dangling_symlink":
            link = os.path.join(where, "link.txt")
            os.symlink(os.path.join(where, "gone.txt"), link)
            return link, None, [], ""
        if make == "rules":
            # A --rules folder holding the given files (text, hex bytes, a built-in file
            # with a replacement, or a folder under a rules file's name), run on a good digest.
            for name, content in spec["files"].items():
                target = os.path.join(where, name)
                if content.get("directory"):
                    os.mkdir(target)
                else:
                    if "base" in content:  # a built-in rules file with one piece replaced
                        text = open(os.path.join(self.root, content["base"]), encoding="utf-8").read()
                        assert content["replace"][0] in text, content["replace"][0]
                        content = {"text": text.replace(*content["replace"], 1)}
                    data = bytes.fromhex(content["hex"]) if "hex" in content else content["text"].encode("utf-8")
                    with open(target, "wb") as fh:
                        fh.write(data * content.get("repeat", 1))
            case["extra_args"] = ["--rules", where]
            return os.path.join(self.root, "samples", "sanya-2022.txt"), None, [], ""
        if make == "device":
            return spec["path"], None, [], ""
        generator = hostile_inputs.GENERATORS[make]
        amount = max(1, int(spec.get("size", spec.get("count", 0)) * self.scale))
        path = generator(where, amount)
        case["generated"] = amount
        if spec.get("stdin"):
            return "-", open(path, "rb").read(), [], ""
        return path, None, [], ""


PYTHON_CODECS = {"UTF-8": "utf-8", "GB18030": "gb18030", "Big5": "big5", "UTF-16LE": "utf-16-le",
                 "UTF-16BE": "utf-16-be", "UTF-32LE": "utf-32-le", "UTF-32BE": "utf-32-be"}


def decoded_text(path, doc):
    """The input as Python decodes it, if that agrees in length with digestx."""
    if path == "-" or not os.path.isfile(path):
        return None
    codec = PYTHON_CODECS.get(doc["source"].get("encoding") or "")
    if not codec:
        return None
    data = open(path, "rb").read()
    bom = {"utf-8": 3, "utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}.get(codec, 0)
    if not doc["source"].get("bom"):
        bom = 0
    text = data[bom:].decode(codec, "replace")
    return text if len(text) == doc["source"]["chars"] else None


def check_document(doc, path, want, problems):
    if doc.get("format") != "digestx/1":
        problems.append("stdout is not a digestx/1 document")
        return
    facts = [f for u in doc["units"] for f in u["facts"]] + [f for s in doc["sidebars"] for f in s["facts"]]
    chars = doc["source"]["chars"]
    for f in facts:
        s, e = f["span"]
        if not 0 <= s < e <= chars:
            problems.append(f"fact span {f['span']} outside the text of {chars}")
            break
    text = decoded_text(path, doc)
    if text is not None:
        CHECKED_SLICES.append(path)
        for f in facts:
            s, e = f["span"]
            if text[s:e] != f["text"]:
                problems.append(f"fact {f['text']!r} is not the source slice {text[s:e]!r} of {f['span']}")
                break
        for w in doc["warnings"]:
            if w["code"] == "invalid_bytes" and w["span"] and text[w["span"][0]] != "\ufffd":
                problems.append(f"invalid_bytes warning at {w['span']} is not on a U+FFFD")
    if "encoding" in want and doc["source"]["encoding"] != want["encoding"]:
        problems.append(f"read as {doc['source']['encoding']}, want {want['encoding']}")
    codes = {w["code"] for w in doc["warnings"]}
    for code in want.get("warnings", []):
        if code not in codes:
            problems.append(f"no warning {code} (got {sorted(codes)})")
    if "units" in want:
        units = want["generated"] if want["units"] == "count" else want["units"]  # "count": one per generated heading
        if len(doc["units"]) != units:
            problems.append(f"{len(doc['units'])} units, want {units}")
    if "facts_min" in want and len(facts) < want["facts_min"]:
        problems.append(f"{len(facts)} facts, want at least {want['facts_min']}")
    if "every_fact" in want:  # the same figure repeated: each fact must read it whole
        bad = [f for f in facts if any(f[k] != v for k, v in want["every_fact"].items())]
        if bad:
            problems.append(f"{len(bad)} of {len(facts)} facts are not {want['every_fact']}: "
                            f"{[(f['text'], f['value']) for f in bad[:3]]}")
    if "facts" in want and len(facts) != want["facts"]:
        problems.append(f"{len(facts)} facts, want {want['facts']}")


def check_stdout(case, path, out, problems):
    shape = case["stdout"]
    if shape == "none":
        if out:
            problems.append(f"stdout not empty: {out[:80]!r}")
        return
    text = out.decode("utf-8", "strict")
    if shape == "document":
        check_document(json.loads(text), path, case, problems)
    elif shape == "documents":
        docs = json.loads(text)
        if not isinstance(docs, list) or len(docs) != case["documents"]:
            problems.append(f"want an array of {case['documents']} documents")
    elif shape == "lines":
        lines = [json.loads(line) for line in text.splitlines()]
        if "lines" in case and len(lines) != case["lines"]:
            problems.append(f"{len(lines)} lines, want {case['lines']}")
    elif shape == "html":
        if not text.startswith("<!DOCTYPE html>") or not text.rstrip().endswith("</html>"):
            problems.append("stdout is not a whole HTML page")
    else:
        raise ValueError(f"unknown stdout shape {shape}")


def run_case(binary, setup, case):
    path, stdin, prefix, note = setup.build(case)
    args = ([case["command"]] if case.get("command", "extract") != "extract" else []) + case.get("args", []) + \
        case.get("extra_args", []) + [path]
    timeout = case.get("timeout", 60)
    started = time.monotonic()
    try:
        feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
        p = subprocess.run(prefix + [binary] + args, capture_output=True, timeout=timeout, **feed)
    except subprocess.TimeoutExpired:
        return [f"no answer within {timeout} s (a hang, or time not linear in the size)"], note, timeout
    seconds = time.monotonic() - started
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if "either outcome" in note:
        return problems, note + f" (exit {p.returncode})", seconds
    if p.returncode != case["exit"]:
        problems.append(f"exit {p.returncode}, want {case['exit']}")
    if p.returncode < 0 or "Sanitizer" in err or "runtime error" in err:
        problems.append(f"crashed: {err[-600:]}")
    pattern = case["stderr"].replace("{path}", re.escape(path)).replace("{dir}", re.escape(setup.folder(case["name"])))
    if case["stderr"] == "^$":
        # "^$": nothing but the one line that sums up the document's warnings (a hostile
        # file has no heading or report year: "digestx: x.txt: 1 no_report_year; ...").
        err = "".join(l for l in err.splitlines(True) if not WARNINGS_LINE.fullmatch(l.rstrip("\n")))
    if not re.search(pattern, err):
        problems.append(f"stderr {err.strip()[:300]!r} !~ {pattern!r}")
    if case["exit"] == 2 and case.get("one_line", True) and len(err.strip().splitlines()) != 1:
        problems.append(f"want one line on stderr, got {len(err.strip().splitlines())}")
    try:
        check_stdout(case, path, p.stdout, problems)
    except (ValueError, KeyError, TypeError, IndexError) as e:
        problems.append(f"stdout: {type(e).__name__}: {e}")
    return problems, note, seconds


def main():
    binary, root = sys.argv[1], sys.argv[2]
    which = "--large" if "--large" in sys.argv else "--small" if "--small" in sys.argv else "all"
    scale = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
    cases = json.load(open(os.path.join(root, "tests", "bad-inputs", "cases.json")))["cases"]
    if which != "all":
        cases = [c for c in cases if bool(c.get("large")) == (which == "--large")]
    tmp = tempfile.mkdtemp(prefix="digestx_bad_")
    setup = Setup(root, tmp, binary, scale)
    failed = 0
    try:
        for case in cases:
            problems, note, seconds = run_case(binary, setup, case)
            label = "ok  " if not problems else "FAIL"
            extra = f" [{note}]" if note else ""
            print(f"{label} {case['name']} ({seconds:.1f} s){extra}" + (": " + "; ".join(problems) if problems else ""),
                  flush=True)
            failed += bool(problems)
    finally:
        for dirpath, dirnames, _ in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), stat.S_IRWXU)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(cases) - failed}/{len(cases)} hostile inputs handled as promised" + (f" (scale {scale})" if scale != 1 else "")
          + f"; fact spans checked against Python's decoding on {len(CHECKED_SLICES)} of them")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
