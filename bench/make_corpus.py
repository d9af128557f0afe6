#!/usr/bin/env python3
"""Builds the benchmark corpus from the samples and our test digests.

usage: make_corpus.py OUT_DIR [--big-mb 20] [--huge-mb 200] [--small 1500]

OUT_DIR/big.txt    samples and variants concatenated to --big-mb MB (UTF-8)
OUT_DIR/huge.txt   the same to --huge-mb MB (for the linearity check; 0 = skip)
OUT_DIR/small/     --small files, each one sample or variant (its own encoding)
Variants: the original file, traditional<->simplified as written, CRLF line ends,
paragraphs rejoined, GB18030 and UTF-16 encodings, headings without markdown.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sources():
    """(name, text) of every digest we have, decoded."""
    out = []
    for folder in ("samples", os.path.join("tests", "data")):
        base = os.path.join(ROOT, folder)
        for name in sorted(os.listdir(base)):
            if not name.endswith(".txt"):
                continue
            raw = open(os.path.join(base, name), "rb").read()
            for enc in ("utf-8-sig", "utf-16", "gb18030", "big5"):
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            out.append((name[:-4], text.replace("\r\n", "\n").replace("\r", "\n")))
    return out


def holds_tail(text):
    """Whether a line of the text is the head of a page's tail (layout.json furniture
    rules with "tail": a news app's 网友评论 over its readers' comments). digestx makes
    every line after such a head furniture, so in a concatenation it would swallow all
    the copies after it (big.txt was 99.5% furniture, its units 35,000 characters of
    7.8 million): such a digest goes to small/ only."""
    furniture = json.load(open(os.path.join(ROOT, "rules", "layout.json"), encoding="utf-8"))["furniture"]
    tails = [re.compile(r["regex"]) for r in furniture["rules"] if r.get("tail")]
    lines = (l.strip().lstrip("#■●* ").strip() for l in text.split("\n"))
    return any(t.fullmatch(l) for l in lines for t in tails)


def variants(name, text):
    """Small-file variants: (file name, bytes)."""
    yield f"{name}.txt", text.encode("utf-8")
    yield f"{name}-crlf.txt", text.replace("\n", "\r\n").encode("utf-8")
    yield f"{name}-plain.txt", "\n".join(l.lstrip("#■● ") for l in text.split("\n")).encode("utf-8")
    try:
        yield f"{name}-gb.txt", text.encode("gb18030")
    except UnicodeEncodeError:
        pass
    yield f"{name}-u16.txt", b"\xff\xfe" + text.encode("utf-16-le")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--big-mb", type=float, default=20)
    ap.add_argument("--huge-mb", type=float, default=200)
    ap.add_argument("--small", type=int, default=1500)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "small"), exist_ok=True)
    docs = sources()
    blob = "\n\n".join(t for _, t in docs if not holds_tail(t)).encode("utf-8")
    for fname, mb in (("big.txt", a.big_mb), ("huge.txt", a.huge_mb)):
        if mb <= 0:
            continue
        want = int(mb * 1024 * 1024)
        with open(os.path.join(a.out, fname), "wb") as fh:
            written = 0
            while written < want:
                chunk = blob[: want - written] if want - written < len(blob) else blob
                # Cut on a line boundary so the last copy is still text.
                if len(chunk) < len(blob):
                    chunk = chunk[: chunk.rfind(b"\n") + 1] or chunk
                fh.write(chunk + b"\n\n")
                written += len(chunk) + 2
                if len(chunk) < len(blob):
                    break
    pool = [v for name, text in docs for v in variants(name, text)]
    for i in range(a.small):
        fname, data = pool[i % len(pool)]
        with open(os.path.join(a.out, "small", f"{i:04d}-{fname}"), "wb") as fh:
            fh.write(data)
    print(f"corpus in {a.out}: big {a.big_mb} MB, huge {a.huge_mb} MB, {a.small} small files", file=sys.stderr)


if __name__ == "__main__":
    main()
