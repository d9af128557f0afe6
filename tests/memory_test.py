#!/usr/bin/env python3
"""Peak memory of digestx on the 50 MB single line stays below 8 x the input + 64 MiB.

usage: memory_test.py DIGESTX_BINARY [--sanitized]

What it measures: the input is tests/hostile_inputs.py's long_line, 50 MiB
(52,428,800 bytes) of the body paragraphs of the repository's digests on one line,
with no line break (one unit, one paragraph, about 550,000 facts). `digestx FILE` runs
with stdout to /dev/null (the whole JSON is still produced); the peak is the child's
maximum resident set size as the kernel reports it (getrusage ru_maxrss via wait4),
which covers the decoded text, the stages' data, the document and the JSON being
written. The bar is the issue's: 8 x 52,428,800 + 64 MiB = 464 MiB.

With --sanitized (an ASan build, whose shadow memory and quarantine multiply the
heap) the figure means nothing: the test skips (exit 77).
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hostile_inputs  # noqa: E402

SIZE = 50 * 1024 * 1024
MIB = 1024 * 1024


def main():
    binary = sys.argv[1]
    if "--sanitized" in sys.argv:
        print("skipped: a sanitizer build's memory is not digestx's")
        return 77
    with tempfile.TemporaryDirectory(prefix="digestx_memory_") as tmp:
        path = hostile_inputs.long_line(tmp, SIZE)
        size = os.path.getsize(path)
        bar = 8 * size + 64 * MIB
        p = subprocess.Popen([binary, path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(p.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    print(f"input {size:,} bytes on one line; peak RSS {peak:,} bytes ({peak / MIB:.0f} MiB, "
          f"{peak / size:.1f} x the input); bar 8 x input + 64 MiB = {bar:,} bytes ({bar / MIB:.0f} MiB); "
          f"user {usage.ru_utime:.1f} s")
    if code != 0:
        print(f"FAIL: exit {code}: {err.strip()[:300]}")
        return 1
    if peak >= bar:
        print(f"FAIL: peak memory {peak / MIB:.0f} MiB is over the bar of {bar / MIB:.0f} MiB")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
