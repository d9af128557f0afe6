#!/usr/bin/env python3
"""The hardening flags of an optimised build, read off the built binary with readelf.

  hardening_test.py BINARY BUILD_TYPE HARDENED     (HARDENED: ON, sanitized or OFF)

- PIE: an ELF of type DYN whose dynamic section flags it PIE (a static PIE too);
- full RELRO: a GNU_RELRO segment and immediate binding (BIND_NOW / FLAGS_1 NOW);
- -fstack-protector-strong: the binary calls __stack_chk_fail (read off the dynamic
  symbols, or off the symbol table of a static binary);
- _FORTIFY_SOURCE=2: it calls checked variants of libc functions (__read_chk,
  __memcpy_chk, …), which only fortified code calls.

A sanitizer build (HARDENED = sanitized) is not fortified: ASan checks those calls.
Exit 77 (skipped) for builds that are not hardened (Debug, or -DDIGESTX_HARDEN=OFF)
and where readelf is missing (Debian package binutils).
"""
import re
import shutil
import subprocess
import sys


def readelf(binary, *flags):
    return subprocess.run(["readelf", "-W", *flags, binary], capture_output=True, text=True, check=True).stdout


def main():
    binary, build_type, hardened = sys.argv[1], sys.argv[2], sys.argv[3]
    sanitized = hardened.lower() == "sanitized"
    if hardened.upper() not in ("ON", "1", "TRUE", "YES") and not sanitized:
        print(f"skipped: a {build_type or 'default'} build without hardening flags")
        return 77
    if not shutil.which("readelf"):
        print("skipped: readelf not found (Debian package binutils)")
        return 77
    header, dynamic, segments = readelf(binary, "-h"), readelf(binary, "-d"), readelf(binary, "-l")
    # A static PIE (the tool with its libraries linked in) has no dynamic symbols: its
    # own symbol table holds the calls instead.
    static = "NEEDED" not in dynamic
    symbols = readelf(binary, "--syms" if static else "--dyn-syms")
    checks = {
        "PIE (ELF type DYN, FLAGS_1 PIE)": re.search(r"Type:\s+DYN", header) and re.search(r"FLAGS_1.*\bPIE\b", dynamic),
        "RELRO (GNU_RELRO segment)": "GNU_RELRO" in segments,
        "full RELRO (BIND_NOW)": re.search(r"\(FLAGS\).*\bBIND_NOW\b", dynamic) or re.search(r"FLAGS_1.*\bNOW\b", dynamic),
        "stack protector (__stack_chk_fail)": "__stack_chk_fail" in symbols,
    }
    if not sanitized:
        checks["FORTIFY_SOURCE (__*_chk calls)"] = re.search(r"\b__\w+_chk\b", symbols.replace("__stack_chk_fail", ""))
    for name, ok in checks.items():
        print(("ok   " if ok else "FAIL ") + name)
    found = sorted(set(re.findall(r"\b(__\w+_chk)\b", symbols)))
    print("checked calls:", ", ".join(found) or "none")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
