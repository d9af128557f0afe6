#!/usr/bin/env python3
"""Files digestx writes, and nothing else: each case is a way an output once lost
data or touched a file outside the output (see the README's -o and --output-dir).

 1. an input's error record name taken by another input's document (x.txt, x.error.txt)
 2. -o /dev/stdout >> log, -o /dev/stderr, a FIFO, render -o: written into, never renamed over
 3. stderr closed (2>&-): no message lands in the -o file
 4. stale outputs: an input that now fails leaves no old x.json (and the reverse)
 5. a link planted at the temporary's name never redirects the write (-o, render -o, --output-dir)
 6. --output-dir never writes through a link (at the file, or a folder below DIR); -o follows one
 7. -o keeps the replaced file's mode; a hard link keeps the old contents (README)
 8. CSV/TSV text cells that a spreadsheet runs as formulas get a ', numbers never; --csv-raw
 9. invalid UTF-8 in names and messages: JSON and CSV stay UTF-8; escapes never reach stderr raw
 and render --output-dir names pages as extract does (archive/2021/x.txt -> DIR/2021/x.html).

usage: files_test.py DIGESTX_BINARY PROJECT_DIR
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from testlib import check, failures, run  # noqa: E402


def sh(script, cwd, env):
    p = subprocess.run(["sh", "-c", script], cwd=cwd, env=env, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def is_doc(path):
    try:
        with open(path, "rb") as fh:
            return "units" in json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):
        return False


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def case_error_record_names(binary, tmp, sample):
    """1. x.error.txt's document is x.error.json: x.txt must not delete or overwrite it."""
    for label, x_text in (("x.txt good", sample), ("x.txt empty", b"")):
        src, out = os.path.join(tmp, "dup-in-" + label[6:]), os.path.join(tmp, "dup-out-" + label[6:])
        write(os.path.join(src, "x.txt"), x_text)
        write(os.path.join(src, "x.error.txt"), sample)
        code, _, err = run(binary, ["--output-dir", out, src])
        check(code == 2 and "is already that of" in err, f"1 {label}: conflict reported: {code} {err!r}")
        check(is_doc(os.path.join(out, "x.error.json")), f"1 {label}: x.error.txt's document kept")
        check(not os.path.exists(os.path.join(out, "x.json")), f"1 {label}: the conflicting input wrote nothing")


def case_streams(binary, tmp, sample_path, env):
    """2. Descriptors and devices are written into: the log keeps its first line."""
    for cmd, dev, redirect in (("", "/dev/stdout", ">>"), ("", "/dev/stderr", "2>>"),
                               ("render", "/dev/stdout", ">>"), ("", "/dev/fd/1", ">>")):
        log = os.path.join(tmp, "app.log")
        write(log, b"first line\n")
        code, _, _ = sh(f"'{binary}' {cmd} '{sample_path}' -o {dev} {redirect} '{log}'", tmp, env)
        data = read(log)
        check(code == 0 and data.startswith(b"first line\n") and len(data) > 1000,
              f"2 {cmd or 'extract'} -o {dev} {redirect} log: {code}, log starts {data[:30]!r}")
        check(stat.S_ISREG(os.lstat(log).st_mode), f"2 {dev}: the log is still a file")
    fifo = os.path.join(tmp, "pipe")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(read(fifo)))
    reader.start()
    code, _, err = run(binary, [sample_path, "-o", fifo])
    reader.join(60)
    check(code == 0 and got and is_doc_bytes(got[0]), f"2 -o FIFO: {code} {err!r}")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "2 -o FIFO: still a FIFO")
    code, _, _ = run(binary, [sample_path, "-o", "/dev/null"])
    check(code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), "2 -o /dev/null")


def is_doc_bytes(data):
    try:
        return "units" in json.loads(data.decode("utf-8"))
    except ValueError:
        return False


def case_closed_stderr(binary, tmp, sample_path, env):
    """3. With 2>&- the message of the missing input must not land in the output."""
    out = os.path.join(tmp, "closed.json")
    code, _, _ = sh(f"'{binary}' '{sample_path}' '{tmp}/missing.txt' -o '{out}' 2>&-", tmp, env)
    try:
        docs = json.loads(read(out).decode("utf-8"))
        ok = len(docs) == 2 and "error" in docs[1]
    except (OSError, ValueError):
        ok = False
    check(code == 2 and ok, f"3 2>&-: exit {code}, output is the JSON array alone: {read(out)[-80:]!r}")
    code, out_bytes, _ = sh(f"'{binary}' - <&-", tmp, env)
    check(code == 2, f"3 <&-: stdin closed is an error, exit {code}")


def case_stale(binary, tmp, sample):
    """4. A document that now fails leaves its error record, not last run's document."""
    src, out = os.path.join(tmp, "stale-in"), os.path.join(tmp, "stale-out")
    write(os.path.join(src, "x.txt"), sample)
    code, _, _ = run(binary, ["--output-dir", out, src])
    check(code == 0 and is_doc(os.path.join(out, "x.json")), "4 first run writes x.json")
    write(os.path.join(src, "x.txt"), b"")
    code, _, _ = run(binary, ["--output-dir", out, src])
    check(code == 2 and os.path.exists(os.path.join(out, "x.error.json")), "4 failing run writes x.error.json")
    check(not os.path.exists(os.path.join(out, "x.json")), "4 failing run removes the stale x.json")
    write(os.path.join(src, "x.txt"), sample)
    code, _, _ = run(binary, ["--output-dir", out, src])
    check(code == 0 and not os.path.exists(os.path.join(out, "x.error.json")), "4 success removes x.error.json")
    pages = os.path.join(tmp, "stale-pages")
    write(os.path.join(src, "x.txt"), sample)
    run(binary, ["render", "--output-dir", pages, src])
    write(os.path.join(src, "x.txt"), b"")
    code, _, _ = run(binary, ["render", "--output-dir", pages, src])
    check(code == 2 and not os.path.exists(os.path.join(pages, "x.html")), "4 render: failing input's old page removed")


def plant_links(names, victim):
    """A preexec_fn: links at the temporary names digestx would use (its pid is ours)."""
    def plant():
        pid = os.getpid()
        for name in names:
            for n in range(4):
                for form in (f"{name}.tmp.{pid}", f"{os.path.dirname(name)}/.{os.path.basename(name)}.tmp.{pid}.{n}"):
                    try:
                        os.symlink(victim, form)
                    except OSError:
                        pass
    return plant


def case_planted_temporaries(binary, tmp, sample_path):
    """5. Links planted at every name the temporary could take point at a victim file."""
    victim = os.path.join(tmp, "victim.txt")
    for label, args, target in (
            ("-o", [sample_path, "-o"], "t5.json"),
            ("render -o", ["render", sample_path, "-o"], "t5.html"),
            ("--output-dir", ["--output-dir", os.path.join(tmp, "t5dir"), sample_path],
             os.path.join("t5dir", os.path.basename(sample_path)[:-4] + ".json"))):
        write(victim, b"precious\n")
        os.makedirs(os.path.join(tmp, "t5dir"), exist_ok=True)
        full = os.path.join(tmp, target)
        argv = args + ([full] if args[-1] == "-o" else [])
        p = subprocess.run([binary] + argv, capture_output=True, timeout=120, cwd=tmp,
                           preexec_fn=plant_links([full], victim))
        check(read(victim) == b"precious\n", f"5 {label}: the victim was written through a planted link")
        check(p.returncode == 0 and os.path.isfile(full) and not os.path.islink(full) and len(read(full)) > 1000,
              f"5 {label}: output written beside the links: {p.returncode} {p.stderr[-200:]!r}")
        for name in os.listdir(os.path.dirname(full)):
            if ".tmp." in name:
                os.unlink(os.path.join(os.path.dirname(full), name))


def case_links_in_output_dir(binary, tmp, sample):
    """6. --output-dir: a link at x.json is replaced, never written through; a linked
    folder below DIR is refused; -o through a link replaces the link's target."""
    victim = os.path.join(tmp, "victim6.txt")
    write(victim, b"precious\n")
    src, out = os.path.join(tmp, "links-in"), os.path.join(tmp, "links-out")
    write(os.path.join(src, "x.txt"), sample)
    write(os.path.join(src, "sub", "y.txt"), sample)
    os.makedirs(out)
    os.symlink(victim, os.path.join(out, "x.json"))
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(elsewhere)
    os.symlink(elsewhere, os.path.join(out, "sub"))
    code, _, err = run(binary, ["--output-dir", out, src])
    check(read(victim) == b"precious\n", "6 --output-dir wrote through the link x.json")
    check(not os.path.islink(os.path.join(out, "x.json")) and is_doc(os.path.join(out, "x.json")),
          "6 --output-dir: x.json is now the document")
    check(os.listdir(elsewhere) == [], "6 --output-dir wrote into a linked folder: %r" % os.listdir(elsewhere))
    check(code == 2 and "not followed" in err, f"6 --output-dir: the linked folder is refused: {code} {err!r}")
    real = os.path.join(tmp, "real6.json")
    write(real, b"old\n")
    link = os.path.join(tmp, "link6.json")
    os.symlink(real, link)
    code, _, _ = run(binary, [os.path.join(src, "x.txt"), "-o", link])
    check(code == 0 and os.path.islink(link) and is_doc(real), "6 -o LINK replaces the link's target (README)")


def case_mode_and_links(binary, tmp, sample_path):
    """7. -o keeps the mode of the file it replaces; another hard link keeps the old contents."""
    out = os.path.join(tmp, "private.json")
    write(out, b"old\n")
    os.chmod(out, 0o600)
    other = os.path.join(tmp, "hardlink.json")
    os.link(out, other)
    code, _, _ = run(binary, [sample_path, "-o", out])
    mode = stat.S_IMODE(os.stat(out).st_mode)
    check(code == 0 and mode == 0o600, f"7 -o keeps mode 0600: {oct(mode)}")
    check(read(other) == b"old\n" and is_doc(out), "7 a hard link keeps the old contents (as the README says)")
    pages = os.path.join(tmp, "pages7")
    os.makedirs(pages)
    page = os.path.join(pages, os.path.basename(sample_path)[:-4] + ".html")
    write(page, b"old")
    os.chmod(page, 0o640)
    run(binary, ["render", "--output-dir", pages, sample_path])
    check(stat.S_IMODE(os.stat(page).st_mode) == 0o640, "7 --output-dir keeps the page's mode")


def case_formulas(binary, tmp):
    """8. Text cells starting = + - @ tab CR get a '; numbers (-3.5) never; --csv-raw keeps all."""
    digest = "三亚市委书记 王大力\n去年，企业利润增长-3.5%，全年完成投资3亿元。\n".encode()
    path = "=HYPERLINK(1)+2.txt"
    write(os.path.join(tmp, path), digest)
    for fmt, sep in (("facts-csv", ","), ("facts-tsv", "\t")):
        code, out, _ = run(binary, ["--format", fmt, path], cwd=tmp)
        rows = [r.split(sep) for r in out.decode("utf-8").replace("\r\n", "\n").splitlines()]
        head = rows[0]
        cells = {name: [r[i] for r in rows[1:]] for i, name in enumerate(head)}
        check(code == 0 and all(c == "'=HYPERLINK(1)+2.txt" for c in cells["source"]), f"8 {fmt}: source {cells['source']}")
        check("'-3.5%" in cells["text"], f"8 {fmt}: text cell -3.5% neutralised: {cells['text']}")
        check("-3.5" in cells["value"], f"8 {fmt}: the value -3.5 stays a number: {cells['value']}")
        code, raw, _ = run(binary, ["--format", fmt, "--csv-raw", path], cwd=tmp)
        check(code == 0 and "=HYPERLINK(1)+2.txt" in raw.decode() and "'=" not in raw.decode(), f"8 {fmt} --csv-raw")
    records = b'{"id": "=cmd", "text": "' + digest.replace(b"\n", b"\\n") + b'"}\n{"id": -7, "text": "' + \
        digest.replace(b"\n", b"\\n") + b'"}\n'
    code, out, _ = run(binary, ["--input", "jsonl", "--format", "facts-csv"], records)
    ids = [line.split(",")[0] for line in out.decode().splitlines()[1:]]
    check(code == 0 and "'=cmd" in ids and "-7" in ids, f"8 records: a string id neutralised, a number id kept: {ids}")


def strict_utf8(data):
    try:
        data.decode("utf-8", "strict")
        return True
    except UnicodeDecodeError:
        return False


def case_utf8_and_escapes(binary, tmp, sample):
    """9. JSON and CSV are UTF-8 whatever the file name or message; stderr shows no raw escape."""
    folder = os.path.join(tmp, "utf8").encode()
    os.makedirs(folder)
    bad_name = os.path.join(folder, b"caf\xff.txt")
    write(bad_name, sample)
    for fmt in ("json", "facts-csv"):
        code, out, _ = run(binary, ["--format", fmt, bad_name])
        check(code == 0 and strict_utf8(out) and "\ufffd" in out.decode("utf-8", "replace"),
              f"9 {fmt}: a 0xFF file name gives valid UTF-8 with U+FFFD")
    code, out, _ = run(binary, ["--input", "jsonl"], b'{"id": 1, "text": "\xff"}\n\xff\xfe\n')
    check(code == 2 and strict_utf8(out) and out.count(b"bad_record") == 2, f"9 bad_record messages are UTF-8: {out!r}")
    escape_name = os.path.join(folder, b"\x1b[2J\x1b]0;owned\x07.txt")
    code, _, err = run(binary, [escape_name])
    check(code == 2 and "\x1b" not in err and "\x07" not in err and "\\x1B" in err, f"9 stderr escapes: {err!r}")
    write(os.path.join(folder, b"sub", b"\x1b[31mred.txt"), b"")
    p = subprocess.run([binary, "--progress", folder], capture_output=True, timeout=120)
    check(b"\x1b" not in p.stderr and p.returncode == 2, f"9 batch notes escape names: {p.stderr!r}")


def case_render_names(binary, tmp, sample):
    """render --output-dir names pages as extract does: two x.txt in two folders are two pages."""
    archive = os.path.join(tmp, "archive")
    write(os.path.join(archive, "2021", "x.txt"), sample)
    write(os.path.join(archive, "2022", "x.txt"), sample)
    pages = os.path.join(tmp, "render-pages")
    code, _, err = run(binary, ["render", "--output-dir", pages, archive])
    check(code == 0 and os.path.isfile(os.path.join(pages, "2021", "x.html"))
          and os.path.isfile(os.path.join(pages, "2022", "x.html")), f"render tree: {code} {err!r}")


def main():
    binary, project = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sample_path = os.path.join(project, "samples", "sanya-2022.txt")
    sample = read(sample_path)
    env = dict(os.environ)
    tmp = tempfile.mkdtemp(prefix="digestx_files_")
    try:
        case_error_record_names(binary, tmp, sample)
        case_streams(binary, tmp, sample_path, env)
        case_closed_stderr(binary, tmp, sample_path, env)
        case_stale(binary, tmp, sample)
        case_planted_temporaries(binary, tmp, sample_path)
        case_links_in_output_dir(binary, tmp, sample)
        case_mode_and_links(binary, tmp, sample_path)
        case_formulas(binary, tmp)
        case_utf8_and_escapes(binary, tmp, sample)
        case_render_names(binary, tmp, sample)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("files: all cases pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
