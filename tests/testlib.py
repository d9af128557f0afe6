"""What the Python tests share: one failure list, one way to run digestx, the
unprivileged prefix for permission cases and the shape of the warnings line.

Imported by the test scripts from their own folder (Python puts a script's folder
first on sys.path)."""
import os
import re
import shutil
import subprocess

# Every check of one test process lands here; main() exits non-zero when it is not empty.
failures = []

# nobody / nogroup on Debian
NOBODY = 65534

# The one line per document that digestx writes on stderr when it warned:
# `digestx: FILE: 3 figure_joined; 1 unknown_heading`.
WARNINGS_LINE = re.compile(r"digestx: \S+: \d+ [a-z_0-9]+(; \d+ [a-z_0-9]+)*")


def check(ok, what, verbose=False):
    """Records a failed check (and prints it); with verbose, prints passing ones too."""
    if not ok:
        failures.append(what)
        print("FAIL " + what)
    elif verbose:
        print("ok   " + what)
    return ok


def run(binary, args, stdin=b"", timeout=120, prefix=(), **kw):
    """(exit status, stdout bytes, stderr text) of one run of digestx."""
    p = subprocess.run(list(prefix) + [binary] + list(args), input=stdin, capture_output=True,
                       timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def unprivileged_prefix(binary):
    """A command prefix that drops root (root reads and lists whatever the mode), or None.

    As root: setpriv (util-linux, on every Debian) to nobody, if nobody can run the
    binary; None when that is impossible, and the caller says the case was not run
    as it should be. Not root: no prefix."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    try:
        ok = subprocess.run(prefix + [binary, "--version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return prefix if ok else None
