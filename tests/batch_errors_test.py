#!/usr/bin/env python3
"""Batches that meet failures: each failure gives its error record (or message) in
its place, the rest of the batch is done, and the exit status says 2.

Records (--input jsonl): /dev/zero under --max-bytes returns; a 100 MB record of
numbers is parsed in bounded memory; a missing file, a directory or a closed stdin
among the inputs; duplicate "id" or "text" members. Files: an unreadable folder
inside a walk; a link to a folder (noted); a broken pipe after a failure; error
records with their bytes; a page that cannot be written in a render batch;
--max-bytes -1; --pretty --compact; a 245-byte file name under --output-dir; worker
threads the system will not start (an address-space limit).

usage: batch_errors_test.py DIGESTX_BINARY PROJECT_DIR
(DIGESTX_SANITIZED=1 in the environment skips the memory bar, which would measure
the sanitizer.)
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from testlib import NOBODY, check, failures, run, unprivileged_prefix  # noqa: E402


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def jsonl(out):
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]


def record(i, text):
    return json.dumps({"id": i, "text": text}, ensure_ascii=False).encode() + b"\n"


def case_endless_record(binary):
    """12. /dev/zero with --max-bytes 1000: an error record, then the reader gives up."""
    start = time.time()
    try:
        code, out, err = run(binary, ["--input", "jsonl", "--max-bytes", "1000", "/dev/zero"], timeout=120)
    except subprocess.TimeoutExpired:
        check(False, "12 /dev/zero: no answer in 120 s")
        return
    docs = jsonl(out)
    check(code == 2 and len(docs) == 1 and docs[0]["error"]["code"] == "too_large" and "not read" in err,
          f"12 /dev/zero: {code} {out[:200]!r} {err!r} in {time.time() - start:.1f} s")


def case_big_record(binary, tmp, text):
    """12. A 100 MB record of numbers: no tree of 50 million values."""
    path = os.path.join(tmp, "big.jsonl")
    with open(path, "wb") as fh:
        fh.write(b'{"id": 1, "text": ' + json.dumps(text, ensure_ascii=False).encode() + b', "pad": [')
        # 100 MB; a tenth under a sanitizer (its time, and no memory bar to check there).
        sanitized = os.environ.get("DIGESTX_SANITIZED") == "1"
        fh.write(b"0," * ((5 if sanitized else 50) * 1000 * 1000))
        fh.write(b'0]}\n')
    size = os.path.getsize(path)
    p = subprocess.Popen([binary, "--input", "jsonl", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    out = p.stdout.read()
    docs = jsonl(out)
    rss_mb = usage.ru_maxrss / 1024
    check(os.waitstatus_to_exitcode(status) == 0 and len(docs) == 1 and docs[0]["id"] == 1,
          f"12 100 MB record: exit {status} {out[:200]!r}")
    print(f"record of {size / 1e6:.0f} MB: max RSS {rss_mb:.0f} MiB")
    if os.environ.get("DIGESTX_SANITIZED") != "1":
        # The line itself (its buffer grows by doubling) and little else: 3 x its size.
        check(rss_mb < 3 * size / 2**20 + 64, f"12 100 MB record: max RSS {rss_mb:.0f} MiB")
    os.unlink(path)


def case_records_inputs(binary, tmp, text):
    """15. A missing file, a directory, a closed stdin among records inputs."""
    a, b = os.path.join(tmp, "a.jsonl"), os.path.join(tmp, "b.jsonl")
    write(a, record(1, text))
    write(b, record(2, text))
    missing = os.path.join(tmp, "missing.jsonl")
    code, out, err = run(binary, ["--input", "jsonl", "--format", "json", a, missing, tmp, b])
    try:
        docs = json.loads(out)
    except ValueError:
        docs = []
    codes = [d.get("error", {}).get("code") for d in docs]
    check(code == 2 and codes == [None, "not_found", "is_directory", None] and docs[3].get("id") == 2,
          f"15 records inputs: missing and directory in place, the rest read: {code} {codes} {err!r}")
    check("missing.jsonl: no such file" in err and "is a directory" in err, f"15 records inputs: stderr {err!r}")
    p = subprocess.run(["sh", "-c", f"'{binary}' --input jsonl <&-"], capture_output=True, timeout=60)
    check(p.returncode == 2 and b"stdin is closed" in p.stderr, f"15 records from a closed stdin: {p.returncode} {p.stderr!r}")


def case_duplicate_keys(binary, text):
    """15. Two "id" or two "text" members: refused, not half of each."""
    line = json.dumps(text, ensure_ascii=False).encode()
    stdin = b'{"id": 1, "text": "x", "text": ' + line + b'}\n{"id": 1, "id": 2, "text": ' + line + b'}\n'
    code, out, err = run(binary, ["--input", "jsonl"], stdin)
    docs = jsonl(out)
    check(code == 2 and [d.get("error", {}).get("code") for d in docs] == ["bad_record", "bad_record"],
          f"15 duplicate keys refused: {code} {out[:300]!r}")


def case_walk(binary, tmp, sample):
    """15. An unreadable folder is named and skipped; the walk goes on; a linked folder is noted."""
    root = os.path.join(tmp, "walk")
    write(os.path.join(root, "a", "x.txt"), sample)
    write(os.path.join(root, "b-locked", "y.txt"), sample)
    write(os.path.join(root, "c", "z.txt"), sample)
    os.symlink(os.path.join(root, "c"), os.path.join(root, "d-link"))
    os.chmod(root, 0o755)
    os.chmod(os.path.join(root, "b-locked"), 0)
    prefix = unprivileged_prefix(binary)
    try:
        if prefix is None:
            print("SKIP unreadable folder: cannot drop root")
        else:
            os.chmod(tmp, 0o755)
            code, out, err = run(binary, ["--format", "jsonl", root], prefix=prefix)
            docs = jsonl(out)
            paths = [d["source"]["path"] for d in docs]
            check(code == 2 and "b-locked: cannot be listed" in err and f"{root}: cannot" not in err,
                  f"15 unreadable folder named: {code} {err!r}")
            check(len(docs) == 3 and paths[0].endswith("a/x.txt") and paths[2].endswith("c/z.txt")
                  and "error" in docs[1], f"15 the walk goes on past it: {paths}")
    finally:
        os.chmod(os.path.join(root, "b-locked"), 0o755)
    code, out, err = run(binary, ["--format", "jsonl", root])
    check(code == 0 and "d-link: a symbolic link to a folder, not followed" in err and len(jsonl(out)) == 3,
          f"15 a linked folder is noted: {code} {err!r}")


def case_broken_pipe(binary, tmp, sample_path):
    """15. A failure, then the reader goes away: still exit 2."""
    missing = os.path.join(tmp, "nope.txt")
    p = subprocess.Popen([binary, "-j", "1", "--format", "jsonl", missing] + [sample_path] * 40,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read()
    code = p.wait(120)
    check(code == 2 and b"nope.txt: no such file" in err, f"15 broken pipe after a failure: exit {code} {err!r}")


def case_error_bytes(binary, tmp):
    """15. Error records carry the input's size when it is known."""
    big = os.path.join(tmp, "bytes", "big.txt")
    write(big, "去年，完成投资3亿元。".encode() * 100)
    binary_file = os.path.join(tmp, "bytes", "blob.txt")
    write(binary_file, bytes(range(256)) * 4)
    code, out, _ = run(binary, ["--format", "jsonl", "--max-bytes", "2000", big, binary_file])
    got = [(d["error"]["code"], d["source"]["bytes"]) for d in jsonl(out)]
    check(code == 2 and got == [("too_large", os.path.getsize(big)), ("binary", 1024)], f"15 error bytes: {got}")
    code, out, _ = run(binary, ["--input", "jsonl"], b"[1, 2]\n")
    check([d["source"]["bytes"] for d in jsonl(out)] == [6], f"15 bad_record bytes: {out!r}")


def case_render_batch(binary, tmp, sample):
    """15. One page that cannot be written does not end a render batch."""
    src, pages = os.path.join(tmp, "render-in"), os.path.join(tmp, "render-pages")
    write(os.path.join(src, "a.txt"), sample)
    write(os.path.join(src, "b.txt"), sample)
    os.makedirs(os.path.join(pages, "a.html"))  # a folder where a's page goes
    code, _, err = run(binary, ["render", "--output-dir", pages, src])
    check(code == 2 and "a.html" in err and os.path.isfile(os.path.join(pages, "b.html")),
          f"15 render batch goes on: {code} {err!r}")


def case_options(binary, tmp, sample_path, sample):
    """15. --max-bytes -1, --pretty --compact; a 245-byte name under --output-dir."""
    for args, want in ((["--max-bytes", "-1", sample_path], "max-bytes"),
                       (["render", "--max-bytes", "-1", sample_path], "max-bytes"),
                       (["numbers", "--max-bytes", "-1", sample_path], "max-bytes"),
                       (["--pretty", "--compact", sample_path], "exclude")):
        code, out, err = run(binary, args)
        check(code == 2 and out == b"" and want in err, f"15 {' '.join(args[:3])}: {code} {err!r}")
    name = "长" * 80 + "x" * 5 + ".txt"  # 245 bytes
    src = os.path.join(tmp, "long")
    write(os.path.join(src, name), sample)
    out_dir = os.path.join(tmp, "long-out")
    code, _, err = run(binary, ["--output-dir", out_dir, src])
    check(code == 0 and os.path.isfile(os.path.join(out_dir, name[:-4] + ".json")), f"15 245-byte name: {code} {err!r}")


def limited_run(binary, args, limit_bytes):
    """digestx under an address-space limit (ulimit -v): exit status, stdout, stderr."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    p = subprocess.run([binary, *args], capture_output=True, timeout=300, preexec_fn=limit)
    return p.returncode, p.stdout, p.stderr


def case_threads_refused(binary, tmp, sample):
    """16. Workers the system will not start (no room for their stacks under ulimit -v,
    a container's limit of processes): the batch is done by those that did start, with
    the output of -j 1; it died of SIGABRT (std::thread threw with others joinable).
    A large file whose started workers' stacks leave too little memory for its text
    fails alone, with its error (exit 2), never a signal. And a stack of 64 KiB (ulimit
    -s 64) is enough to read a file or a pipe."""
    if os.environ.get("DIGESTX_SANITIZED") == "1":
        return  # the sanitizers' run-times need the address space taken away here
    src = os.path.join(tmp, "threads-in")
    for i in range(40):
        write(os.path.join(src, f"{i:02d}.txt"), sample)
    big = os.path.join(tmp, "threads-big.txt")
    write(big, sample * (4 * 1024 * 1024 // len(sample) + 1))  # streamed: its units on the workers
    for args, limit_kib, may_fail in ((["-j", "40", "--format", "jsonl", src], 300000, False),
                                      (["-j", "64", "--format", "jsonl", big], 400000, True)):
        want = run(binary, ["-j", "1", *args[2:]])
        code, out, err = limited_run(binary, args, limit_kib * 1024)
        done = code == want[0] == 0 and out == want[1]
        failed_alone = may_fail and code == 2 and big.encode() in err
        check((done or failed_alone) and b"terminate" not in err,
              f"16 {' '.join(args[:2])} under ulimit -v {limit_kib}: {code} {err[-300:]!r}")
    # A stack of 64 KiB (ulimit -s 64): reading a file or a pipe took a 64 KiB buffer on it.
    sample_path = os.path.join(src, "00.txt")
    want = run(binary, [sample_path])
    for args, stdin in (([sample_path], None), ([], sample)):
        p = subprocess.run([binary, *args], input=stdin, capture_output=True, timeout=120,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_STACK, (64 << 10, 64 << 10)))
        same = p.stdout == want[1] if args else p.returncode == 0 and b'"facts"' in p.stdout
        check(p.returncode == want[0] == 0 and same, f"16 ulimit -s 64 {'file' if args else 'stdin'}: {p.returncode}")


def main():
    binary, project = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sample_path = os.path.join(project, "samples", "sanya-2022.txt")
    with open(sample_path, "rb") as fh:
        sample = fh.read()
    text = sample.decode("utf-8")
    tmp = tempfile.mkdtemp(prefix="digestx_batch_errors_")
    try:
        case_endless_record(binary)
        case_big_record(binary, tmp, "去年，完成投资3亿元。")
        case_records_inputs(binary, tmp, text)
        case_duplicate_keys(binary, text)
        case_walk(binary, tmp, sample)
        case_broken_pipe(binary, tmp, sample_path)
        case_error_bytes(binary, tmp)
        case_render_batch(binary, tmp, sample)
        case_options(binary, tmp, sample_path, sample)
        case_threads_refused(binary, tmp, sample)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("batch_errors: all cases pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
