#!/usr/bin/env python3
"""Seed corpora and a dictionary for the libFuzzer targets, from the repository.

usage: fuzz/seeds.py OUT_DIR
  OUT_DIR/pipeline/   every digest of samples/ and tests/data/, the small files of
                      tests/bad-inputs/ and the regression inputs of tests/fuzz-corpus/pipeline/
  OUT_DIR/numbers/    every line of those digests, every input of the numeral and fact
                      tables (tests/tables/), and tests/fuzz-corpus/numbers/
  OUT_DIR/rules/      each rules/*.json after the byte that picks it (its index in name
                      order), and tests/fuzz-corpus/rules/
  OUT_DIR/records/    records lines (samples as {"id", "text"}, odd JSON) after the
                      --max-bytes byte, and tests/fuzz-corpus/records/
  OUT_DIR/walk/, OUT_DIR/outputs/   a few scripts and name lists, and the corpus's
  OUT_DIR/digestx.dict  the words of rules/*.json (numerals, units, qualifiers, markers)
                      and their keys, quote marks and heading marks, as libFuzzer entries
"""
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def put(folder, data):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(data)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "name":
                yield from strings(v)


def keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


def dict_entry(word):
    return '"' + "".join(f"\\x{b:02x}" for b in word.encode("utf-8")) + '"'


def main():
    out = sys.argv[1]
    digests = sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt")) + glob.glob(os.path.join(ROOT, "tests", "data", "*.txt")))
    small_bad = [p for p in glob.glob(os.path.join(ROOT, "tests", "bad-inputs", "*")) if os.path.isfile(p)
                 and not p.endswith(".json") and os.path.getsize(p) <= 64 * 1024]
    for path in digests + small_bad + glob.glob(os.path.join(ROOT, "tests", "fuzz-corpus", "pipeline", "*")):
        put(os.path.join(out, "pipeline"), open(path, "rb").read())
    numbers = os.path.join(out, "numbers")
    for path in digests:
        for line in open(path, "rb").read().splitlines():
            if line.strip():
                put(numbers, line)
    for table in ("numbers.json", "facts.json", "numbers_facts.json"):
        for group in json.load(open(os.path.join(ROOT, "tests", "tables", table)))["groups"]:
            for case in group["cases"]:
                if isinstance(case.get("in"), str) and case["in"]:
                    put(numbers, case["in"].encode("utf-8"))
    for path in glob.glob(os.path.join(ROOT, "tests", "fuzz-corpus", "numbers", "*")):
        put(numbers, open(path, "rb").read())

    # Rules: the byte that picks the file (its index in name order), then the file.
    rules_files = sorted(glob.glob(os.path.join(ROOT, "rules", "*.json")))
    for index, path in enumerate(rules_files):
        put(os.path.join(out, "rules"), bytes([index]) + open(path, "rb").read())
    for path in glob.glob(os.path.join(ROOT, "tests", "fuzz-corpus", "rules", "*")):
        put(os.path.join(out, "rules"), open(path, "rb").read())

    # Records: the byte that sets --max-bytes, then lines.
    records = os.path.join(out, "records")
    for path in digests[:6]:
        text = open(path, "rb").read().decode("utf-8", "replace")[:2000]
        put(records, bytes([255]) + json.dumps({"id": os.path.basename(path), "text": text}, ensure_ascii=False).encode())
    put(records, b'\x08{"id": [1, {"a": "\\u00e9"}], "text": "x\\ud83d\\ude00", "more": [1e5, -0.5, null]}\r\n\n[]\n"s"\n')
    put(walk_dir := os.path.join(out, "walk"), bytes([3, 2]) + b"ab" + bytes([0, 1]) + b"x" + bytes([4, 0, 1, 1]) + b"y")
    put(outputs := os.path.join(out, "outputs"), bytes([4]) + b"a\nb/c\na.error\nb\n")
    for target, folder in (("records", records), ("walk", walk_dir), ("outputs", outputs)):
        for path in glob.glob(os.path.join(ROOT, "tests", "fuzz-corpus", target, "*")):
            put(folder, open(path, "rb").read())

    words = {"“", "”", "《", "》", "「", "」", "(", ")", "（", "）", "# ", "## ", "### ", "■", "【", "】", "\r\n",
             "\ufeff", "\u3000", "\u2028", "去年", "今年", "2022年度", '"id"', '"text"', '{"text": "', "\\u"}
    for path in glob.glob(os.path.join(ROOT, "rules", "*.json")):
        rules = json.load(open(path, encoding="utf-8"))
        for s in strings(rules):
            if 0 < len(s) <= 8 and not s.isascii() or 0 < len(s) <= 3:
                words.add(s)
        words.update(f'"{k}"' for k in keys(rules))  # for the rules target
    with open(os.path.join(out, "digestx.dict"), "w") as fh:
        for w in sorted(words):
            fh.write(dict_entry(w) + "\n")
    print(f"{len(os.listdir(os.path.join(out, 'pipeline')))} pipeline seeds, {len(os.listdir(numbers))} numbers seeds, "
          f"{len(os.listdir(os.path.join(out, 'rules')))} rules seeds, "
          f"{len(words)} dictionary words", file=sys.stderr)


if __name__ == "__main__":
    main()
