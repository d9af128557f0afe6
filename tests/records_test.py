#!/usr/bin/env python3
"""Records mode (`--input jsonl`): digestx as a mapper.

1. The README's GNU parallel example, run as written (and once more with small
   blocks, so that several mappers share the work): the same facts as direct runs
   on the files, in input order, each document carrying its record's id.
2. Ids of every JSON kind echoed byte for byte as the first member.
3. Spans index the record's text.
4. Lines that are not records: error records (with the id where it can be read),
   a line on stderr, exit 2, the other records done.

usage: records_test.py DIGESTX_BINARY PROJECT_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from testlib import check, failures, run  # noqa: E402

SAMPLES = ["sanya-2022", "wanning-2021", "haibin-2022-hant"]
MARK = "<!-- tested by tests/records_test.py -->"


def readme_example(project):
    """The fenced block after MARK in the README."""
    text = open(os.path.join(project, "README.md"), encoding="utf-8").read()
    at = text.index(MARK)
    block = re.search(r"```sh\n(.*?)```", text[at:], re.S)
    return block.group(1)


def facts_of(doc):
    return [f for holder in doc["sidebars"] + doc["units"] for f in holder["facts"]]


def check_readme_example(binary, project, tmp):
    archive = os.path.join(tmp, "archive")
    os.makedirs(archive)
    names = []
    # The example reads UTF-8 files (jq's input); the GB18030 sample is converted as
    # the README says. 40 files: several blocks' worth when blocks are small.
    for i in range(40):
        s = SAMPLES[i % 3]
        raw = open(os.path.join(project, "samples", s + ".txt"), "rb").read()
        text = raw.decode("gb18030") if s == "wanning-2021" else raw.decode("utf-8")
        name = os.path.join("archive", f"{i:02d}-{s}.txt")
        with open(os.path.join(tmp, name), "wb") as fh:
            fh.write(text.encode("utf-8"))
        names.append(name)
    direct = {}
    for name in names:
        rc, out, err = run(binary, [os.path.join(tmp, name)])
        check(rc == 0, f"direct run of {name}: {rc} {err}")
        direct[name] = facts_of(json.loads(out))

    script = readme_example(project)
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(binary)) + os.pathsep + os.environ["PATH"])
    small_blocks = re.sub(r"--block \S+", "--block 20k", script)
    check(small_blocks != script, "README example has no --block to vary")
    for label, text in (("README example", script), ("README example, 20k blocks", small_blocks)):
        out_file = os.path.join(tmp, "documents.jsonl")
        if os.path.exists(out_file):
            os.remove(out_file)
        p = subprocess.run(["sh", "-euc", text], cwd=tmp, env=env, capture_output=True, timeout=300)
        if not check(p.returncode == 0, f"{label}: exit {p.returncode}: {p.stderr.decode()[-500:]}"):
            continue
        docs = [json.loads(line) for line in open(out_file, encoding="utf-8")]
        check([d.get("id") for d in docs] == names, f"{label}: ids {[d.get('id') for d in docs][:5]}... not in order")
        for d in docs:
            if d.get("id") in direct:
                check(facts_of(d) == direct[d["id"]], f"{label}: facts of {d['id']} differ from the direct run")
        check(sum(len(facts_of(d)) for d in docs) == sum(len(v) for v in direct.values()), f"{label}: fact counts")


def check_ids_and_spans(binary, project):
    text = open(os.path.join(project, "samples", "sanya-2022.txt"), encoding="utf-8").read()
    ids = ['12345678901234567890123', '1.10', '-0', '"\\u00e9t\\u00e9/2022"', '"万宁"', 'null', 'true',
           '{"year": 2022, "tags": ["a", {"b": [1, 2]}]}', '[1,"x"]', '1E+2']
    lines = [('{"id": %s, "text": %s}' % (i, json.dumps(text, ensure_ascii=i.startswith('"\\u')))) for i in ids]
    # Members in another order, and a record without an id.
    lines.append('{"text": %s, "id": "last"}' % json.dumps("去年，组建突击队5支，发放慰问金39.6万元。"))
    lines.append('{"text": %s}' % json.dumps("今年，新建站点3至5个。"))
    rc, out, err = run(binary, ["--input", "jsonl", "-j", "2"], ("\n".join(lines) + "\n").encode("utf-8"))
    check(rc == 0 and err == "", f"ids: exit {rc}, stderr {err!r}")
    got = out.decode("utf-8").splitlines()
    check(len(got) == len(lines), f"ids: {len(got)} lines for {len(lines)} records")
    for raw, line in zip(ids, got):
        check(line.startswith('{"id":' + raw + ',"format":"digestx/1"'), f"ids: {raw} echoed as {line[:60]}")
    check(got[-2].startswith('{"id":"last",') and got[-1].startswith('{"format"'), "ids: member order or no id")
    # The spans index the record's text, which is what the mapper was given.
    texts = [text] * len(ids) + [json.loads(x)["text"] for x in lines[-2:]]
    for t, line in zip(texts, got):
        doc = json.loads(line)
        check(doc["source"]["chars"] == len(t), "records: chars")
        for f in facts_of(doc):
            s, e = f["span"]
            check(t[s:e] == f["text"], f"records: span {f['span']} gives {t[s:e]!r}, not {f['text']!r}")


def check_bad_records(binary):
    lines = [
        '{"id": 1, "text": "去年，组建突击队5支。"}',
        'not json',
        '{"id": 2, "body": "no text member"}',
        '["an", "array"]',
        '',
        '{"id": 3, "text": "   "}',
        '{"id": 4, "text": "%s"}' % ("长" * 400),
        '{"id": 5, "text": "今年，新建站点3至5个。"}',
    ]
    rc, out, err = run(binary, ["--input", "jsonl", "--max-bytes", "1000"], "\n".join(lines).encode("utf-8"))
    check(rc == 2, f"bad records: exit {rc}")
    docs = [json.loads(x) for x in out.decode("utf-8").splitlines()]
    codes = [d["error"]["code"] if "error" in d else "ok" for d in docs]
    check(codes == ["ok", "bad_record", "bad_record", "bad_record", "empty", "too_large", "ok"],
          f"bad records: {codes}")
    check([d.get("id") for d in docs] == [1, None, 2, None, 3, None, 5], f"bad records: ids {[d.get('id') for d in docs]}")
    check(len(err.strip().splitlines()) == 5 and "-:2:" in err and "-:7:" in err, f"bad records: stderr {err!r}")


def main():
    binary, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    if shutil.which("parallel") is None:
        print("FAIL GNU parallel is not installed (scripts/install-debian-deps.sh --test)")
        return 1
    tmp = tempfile.mkdtemp(prefix="digestx_records_")
    try:
        check_readme_example(binary, project, tmp)
        check_ids_and_spans(binary, project)
        check_bad_records(binary)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'FAIL' if failures else 'ok'}: records mode, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
