"""The built-in rules' snapshot (src/rules_snapshot_format.hpp): made at build time,
taken at each start instead of compiling the rules.

  rules_snapshot_test.py DIGESTX RULES_SNAPSHOT_PACK SOURCE_DIR

1. The packer, on dumps made here word by word: which words it moves with the image or
   the arena, keeps, or refuses, and that its runs give the bytes back.
2. The built binary: the build put a snapshot in (digestx.rules-snapshot.txt beside it;
   required when DIGESTX_REQUIRE_RULES_SNAPSHOT=1, as in .ci/run), --version says so,
   and every test input gives the same bytes as with the rules compiled at run time
   (--rules with an empty folder: the same files, compiled from their text).
3. A copy of the binary with its snapshot damaged in each part compiles the rules
   instead, with the same output.
Exit 77 when the binary has no snapshot (a sanitizer build) and none is required; the
packer's cases run all the same."""
import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from testlib import check, failures

HEADER = struct.Struct("<8sII64s12Q")  # rules_snapshot_format.hpp's Header
BYTES_AT = 256
MAGIC = b"DXRULES1"
SECTION = ".digestx.rules"
SECTION_BYTES = 1 << 20  # rules_snapshot_format.hpp's kSectionBytes


FIELDS = ["image_base", "image_end", "writable_begin", "arena_base", "shared_begin", "shared_end", "bytes", "root",
          "runs", "run_bytes", "image_fixups", "arena_fixups"]


def field_at(name):
    """The offset of a 64-bit field of the header."""
    return HEADER.size - 8 * len(FIELDS) + 8 * FIELDS.index(name)


def header(**fields):
    h = dict(version=2, build_id=b"\x11" * 20, image_base=0x7F0000000000, image_end=0x7F0000100000,
             writable_begin=0x7F00000F0000, arena_base=0x7E0000000000, shared_begin=0x7D0000000000,
             shared_end=0x7D0000100000, bytes=0, root=0, runs=0, run_bytes=0,
             image_fixups=0, arena_fixups=0)
    h.update(fields)
    return h


def pack_header(h):
    return HEADER.pack(MAGIC, h["version"], len(h["build_id"]), h["build_id"],
                       *(h[name] for name in FIELDS)).ljust(BYTES_AT, b"\0")


def unpack_header(data):
    f = HEADER.unpack_from(data, 0)
    return dict(zip(FIELDS, f[4:]), magic=f[0], version=f[1], build_id=f[3][:f[2]])


def dump(words, **fields):
    h = header(bytes=8 * len(words), **fields)
    return pack_header(h) + b"".join(struct.pack("<Q", w) for w in words)


def unpack_section(data):
    """(header, the arena's bytes rebuilt from the runs, image fixups, arena fixups)."""
    h = unpack_header(data)
    at = BYTES_AT
    runs = struct.unpack_from(f"<{2 * h['runs']}I", data, at)
    at += 8 * h["runs"]
    arena = bytearray(h["bytes"])
    for k in range(h["runs"]):
        offset, length = runs[2 * k], runs[2 * k + 1]
        arena[offset:offset + length] = data[at:at + length]
        at += length
    image = struct.unpack_from(f"<{h['image_fixups']}I", data, at)
    at += 4 * h["image_fixups"]
    moved = struct.unpack_from(f"<{h['arena_fixups']}I", data, at)
    return h, bytes(arena), list(image), list(moved)


# ---- 1. the packer

MOVE = 1 << 32
IMAGE = 0x7F0000001234          # in the image's read-only part
WRITABLE = 0x7F00000F0010       # in its writable data (.data, .bss)
ARENA = 0x7E0000000010          # in the first arena
# (word in the first dump, in the second, what the packer makes of it)
WORD_CASES = [
    ("a number", 42, 42, "kept"),
    ("zero", 0, 0, "kept"),
    ("a pointer into the image's code or constants", IMAGE, IMAGE, "image"),
    ("a pointer into the arena", ARENA, ARENA + MOVE, "arena"),
    ("the arena's end", 0x7E0000000000 + 8 * 8, 0x7E0000000000 + 8 * 8 + MOVE, "arena"),
    ("the high half of an arena pointer in padding", 0x7E0000003001, 0x7E0000003001 + MOVE, "leftover"),
    ("a pointer into writable data", WRITABLE, WRITABLE, "refused"),
    ("a pointer at what the compile before left (a static)", 0x7D0000000100, 0x7D0000000100, "refused"),
    ("a heap pointer, elsewhere the second time", 0x555555560000, 0x555555570000, "refused"),
    ("a number that changed", 7, 8, "refused"),
]


def run_pack(pack, tmp, first, second):
    a, b, out = (os.path.join(tmp, n) for n in ("first.dump", "second.dump", "section.bin"))
    for path in (a, b, out):
        if os.path.exists(path):
            os.remove(path)
    open(a, "wb").write(first)
    open(b, "wb").write(second)
    p = subprocess.run([pack, a, b, out], capture_output=True, text=True, timeout=60)
    section = open(out, "rb").read() if p.returncode == 0 else None
    return p.returncode, section, p.stderr


def packer_cases(pack, tmp):
    filler = [0x0102030405060708] * 7
    for name, x, y, want in WORD_CASES:
        first = dump([x] + filler)
        second = dump([y] + filler, arena_base=0x7E0000000000 + MOVE)
        status, section, err = run_pack(pack, tmp, first, second)
        if want == "refused":
            check(status == 1 and "+0 " in err, f"pack: {name}: refused (exit {status}: {err.strip()[:200]})")
            continue
        if not check(status == 0, f"pack: {name}: packed (exit {status}: {err.strip()[:200]})"):
            continue
        h, arena, image, moved = unpack_section(section)
        got = "image" if 0 in image else "arena" if 0 in moved else "kept"
        check(got == (want if want != "leftover" else "kept"), f"pack: {name}: {want}, got {got}")
        check(arena == first[BYTES_AT:], f"pack: {name}: the runs give the first dump's bytes back")
        check(len(section) == SECTION_BYTES, f"pack: {name}: padded to the section's size ({len(section)})")
    words = [0] * 64
    words[3], words[40], words[41] = 5, 6, 7
    status, section, _ = run_pack(pack, tmp, dump(words), dump(words, arena_base=0x7E0000000000 + MOVE))
    if check(status == 0, "pack: sparse bytes packed"):
        h, arena, _, _ = unpack_section(section)
        check(h["run_bytes"] < 8 * 10 and arena == dump(words)[BYTES_AT:],
              f"pack: only the runs of words other than zero are kept ({h['run_bytes']} bytes)")
    # Dumps that are not two compiles of one binary in one process.
    words = [1, 2, 3, 4]
    bad_pairs = [
        ("another binary", dump(words), dump(words, build_id=b"\x22" * 20, arena_base=0x7E0000000000 + MOVE)),
        ("one arena", dump(words), dump(words)),
        ("another image", dump(words), dump(words, image_base=0x7F1000000000, image_end=0x7F1000100000,
                                            writable_begin=0x7F10000F0000, arena_base=0x7E0000000000 + MOVE)),
        ("a truncated dump", dump(words), dump(words, arena_base=0x7E0000000000 + MOVE)[:-8]),
    ]
    for name, first, second in bad_pairs:
        status, _, err = run_pack(pack, tmp, first, second)
        check(status == 2, f"pack: {name}: not packed (exit {status}: {err.strip()[:200]})")


# ---- 2. the built binary

def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def test_inputs(source):
    files = sorted(glob.glob(os.path.join(source, "tests", "data", "*.txt")))
    files += sorted(glob.glob(os.path.join(source, "samples", "*.txt")))
    shared = os.path.join(source, "..", "shared", "samples")
    files += sorted(glob.glob(os.path.join(shared, "*.txt")))
    return files


def same_as_compiled(binary, files, empty, label):
    same = 0
    for f in files:
        for args in (["-q", f], ["-q", "--format", "facts-csv", "--explain", f]):
            a = run(binary, args)
            b = run(binary, ["--rules", empty] + args)
            same += check(a == b, f"{label}: {' '.join(args[:-1])} {os.path.basename(f)}: the output of the rules "
                                  f"compiled at run time (exit {a[0]} / {b[0]})")
    return same


def section_place(path):
    """(file offset, size) of the section .digestx.rules in the ELF file at `path`."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def sh(k):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + k * shentsize)
    names_at = sh(shstrndx)[4]
    for k in range(shnum):
        name, _, _, _, offset, size, *_ = sh(k)
        end = data.index(b"\0", names_at + name)
        if data[names_at + name:end] == SECTION.encode():
            return offset, size
    return None


def damaged_copies(binary, tmp, sample):
    place = section_place(binary)
    if not check(place is not None, "the binary has the section " + SECTION):
        return
    offset, size = place
    check(size == SECTION_BYTES, f"the section is {size} bytes")
    copy = os.path.join(tmp, "digestx-damaged")
    shutil.copyfile(binary, copy)
    os.chmod(copy, 0o755)
    original = open(copy, "rb").read()[offset:offset + size]
    h, _, _, _ = unpack_section(original)
    check(h["magic"] == MAGIC, "the section holds a snapshot")
    want = run(binary, ["-q", sample])
    fixups_at = BYTES_AT + 8 * h["runs"] + h["run_bytes"]
    damages = [
        ("no magic", 0, b"XXRULES1"),
        ("another version", 8, struct.pack("<I", 99)),
        ("another build ID", 16 + 3, bytes([original[16 + 3] ^ 0xFF])),
        ("a run past the bytes", BYTES_AT + 4, struct.pack("<I", h["bytes"] + 8)),
        ("a word to move past the bytes", fixups_at, struct.pack("<I", h["bytes"] // 8 + 1)),
        ("more runs than the section holds", field_at("runs"), struct.pack("<Q", 1 << 40)),
        ("the root past the bytes", field_at("root"), struct.pack("<Q", h["bytes"])),
        ("fewer bytes in runs than the runs say", field_at("run_bytes"), struct.pack("<Q", h["run_bytes"] - 8)),
    ]
    for name, at, new in damages:
        with open(copy, "r+b") as f:
            f.seek(offset)
            f.write(original)
            f.seek(offset + at)
            f.write(new)
        got = run(copy, ["-q", sample])
        check(got == want, f"damaged snapshot ({name}): the rules compiled instead, the same output (exit {got[0]}, "
                           f"{got[2].decode(errors='replace')[:200]})")
        version = run(copy, ["--version"])[1].decode()
        check("built-in rules compiled at each start" in version, f"damaged snapshot ({name}): --version says so")


def main():
    binary, pack, source = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        packer_cases(pack, tmp)
        status_file = os.path.join(os.path.dirname(binary), "digestx.rules-snapshot.txt")
        status = open(status_file).read().strip() if os.path.exists(status_file) else "not made in this build"
        required = os.environ.get("DIGESTX_REQUIRE_RULES_SNAPSHOT") == "1"
        if not status.startswith("embedded"):
            check(not required, "the build made a snapshot of the rules: " + status)
            if failures:
                print(f"{len(failures)} failures")
                return 1
            print("no snapshot in this build (" + status[:200] + "): the packer's cases only")
            return 77
        print(status)
        version = run(binary, ["--version"])[1].decode()
        check("built-in rules precompiled" in version, "--version says the rules are precompiled: " + version)
        empty = os.path.join(tmp, "no-rules")
        os.mkdir(empty)
        files = test_inputs(source)
        same = same_as_compiled(binary, files, empty, "snapshot")
        check(len(files) > 100, f"test inputs found ({len(files)})")
        damaged_copies(binary, tmp, files[0])
    print(f"{same} outputs the same as with the rules compiled at run time")
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
