#!/usr/bin/env python3
"""`digestx panel` from the command line.

  panel_test.py DIGESTX ROOT score   the gold of tests/data/panel/ with the issue's bars:
                                     link precision >= 0.9, recall >= 0.8, every alias and
                                     secretary change found (tests/panel_score.py)
  panel_test.py DIGESTX ROOT heldout the link bars on tests/data/panel-heldout/
  panel_test.py DIGESTX ROOT cli     formats (json, jsonl, panel-csv, links-csv) against
                                     each other and the JSON Schema, --explain, --render,
                                     records mode, -j 1 = -j 2, exit statuses, spans
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)
    return ok


def run(binary, args, cwd, stdin=None):
    return subprocess.run([binary, "panel", *args], cwd=cwd, capture_output=True, input=stdin)


def score(binary, root, folder="panel", bars=("--all-changes", "--all-aliases")):
    data = os.path.join(root, "tests", "data", folder)
    r = run(binary, ["--format", "json", f"tests/data/{folder}/"], root)
    if not check(r.returncode == 0, f"panel exit {r.returncode}: {r.stderr.decode()}"):
        return
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
        f.write(r.stdout)
    s = subprocess.run([sys.executable, os.path.join(root, "tests", "panel_score.py"), f.name,
                        os.path.join(data, "gold.json"), data, "--min-precision", "0.9", "--min-recall", "0.8",
                        *bars], capture_output=True, text=True)
    os.unlink(f.name)
    print(s.stdout, end="")
    check(s.returncode == 0, f"bars of the panel issue on tests/data/{folder}")


def texts_at_spans(root, items):
    """Every fact's span slices its text out of its source."""
    cache = {}
    for side in items:
        path = os.path.join(root, side["source"])
        if path not in cache:
            cache[path] = open(path, encoding="utf-8").read().lstrip("\ufeff")
        s, e = side["span"]
        if cache[path][s:e] != side["text"]:
            return f"{side['source']} {side['span']}: {cache[path][s:e]!r} != {side['text']!r}"
    return None


def check_formats(binary, root, panel):
    lines = [json.loads(l) for l in run(binary, ["--format", "jsonl", "tests/data/panel/"], root).stdout.splitlines()]
    for list_name, type_name in (("rows", "row"), ("links", "link"), ("unmatched_plans", "unmatched_plan"),
                                 ("secretary_changes", "secretary_change")):
        items = [{k: v for k, v in l.items() if k != "type"} for l in lines if l["type"] == type_name]
        check(items == panel[list_name], f"jsonl {type_name} lines = json {list_name} ({len(items)})")
    rows_csv = run(binary, ["--format", "panel-csv", "tests/data/panel/"], root).stdout.decode()
    check("\r\n" in rows_csv and not rows_csv.startswith("\ufeff"), "panel-csv: CRLF, no BOM")
    rows = list(csv.DictReader(io.StringIO(rows_csv, newline="")))
    check(len(rows) == len(panel["rows"]), f"panel-csv: {len(rows)} rows")
    check(all(r["organization"] == j["organization"] and r["year"] == str(j["year"]) and r["name"] == j["name"]
              and r["facts"] == str(j["facts"]) and r["aliases"] == ";".join(j["aliases"])
              for r, j in zip(rows, panel["rows"])), "panel-csv cells = json")
    links = list(csv.DictReader(io.StringIO(run(binary, ["--format", "links-csv", "tests/data/panel/"], root)
                                            .stdout.decode(), newline="")))
    check(len(links) == len(panel["links"]), f"links-csv: {len(links)} rows")
    check(all(r["planned_text"] == j["planned"]["text"] and r["achieved_value"] == str(j["achieved"]["value"])
              and r["planned_start"] == str(j["planned"]["span"][0])
              and (r["ratio"] == "" if j["ratio"] is None else float(r["ratio"]) == j["ratio"])
              for r, j in zip(links, panel["links"])), "links-csv cells = json")
    return lines


def check_schema(root, panel, lines):
    try:
        import jsonschema
    except ImportError:
        print("skip schema: no python3-jsonschema")
        return
    schema = json.load(open(os.path.join(root, "schema", "panel.schema.json"), encoding="utf-8"))
    v = jsonschema.Draft202012Validator(schema)
    errors = [e.message for e in v.iter_errors(panel)] + [e.message for l in lines for e in v.iter_errors(l)]
    check(not errors, f"schema/panel.schema.json validates json and jsonl {errors[:3]}")


def check_explain(binary, root):
    r = run(binary, ["--explain", "--format", "json", "tests/data/panel/"], root)
    p = json.loads(r.stdout)
    check(p["links"] and all(l.get("rule", "").startswith("subject.") for l in p["links"]), "--explain: every link names its rule")
    aliased = [row for row in p["rows"] if row["aliases"]]
    check(aliased and all(len(row["alias_rules"]) == len(row["aliases"]) for row in aliased), "--explain: alias rules")
    check(p["secretary_changes"] and all(c.get("rule") == "name.differs" for c in p["secretary_changes"]),
          "--explain: secretary changes are name.differs (not name.same_after_spacing)")


def check_path_region(binary):
    """--path-fields '{region}/{year}.txt' gives each row its region, as extract does: 石桥镇党委
    of 桐溪县 and of 柳江县 (no region in the text) are two organisations, with no change of
    secretary across counties (王立新 -> 韦刚 was made up)."""
    folder = tempfile.mkdtemp()
    texts = {("桐溪县", 2022): "### 石桥镇党委书记王立新：红色网格\n\n今年，石桥镇将发展党员30名。\n",
             ("桐溪县", 2023): "### 石桥镇党委书记王立新：红色网格\n\n去年，石桥镇发展党员28名。\n",
             ("柳江县", 2022): "### 石桥镇党委书记韦刚：边城新貌\n\n今年，石桥镇将发展党员15名。\n",
             ("柳江县", 2023): "### 石桥镇党委书记韦刚：边城新貌\n\n去年，石桥镇发展党员12名。\n"}
    for (region, year), text in texts.items():
        os.makedirs(os.path.join(folder, region), exist_ok=True)
        with open(os.path.join(folder, region, f"{year}.txt"), "w", encoding="utf-8") as f:
            f.write(text)
    r = run(binary, ["--path-fields", "{region}/{year}.txt", "."], folder)
    panel = json.loads(r.stdout)
    check(sorted({row["region"] for row in panel["rows"]}) == ["柳江县", "桐溪县"], "--path-fields: rows get the path's region")
    check(panel["secretary_changes"] == [] and len(panel["links"]) == 2 and
          all(l["planned"]["source"].split("/")[-2] == l["achieved"]["source"].split("/")[-2] for l in panel["links"]),
          "--path-fields: no link nor change of secretary across regions")


def check_no_targets(binary):
    """A target or a forecast is neither plan nor outcome (panel.json unlinkable_statuses): the
    goal 1万亩 restated beside the 9800亩 done was linked to the plan of 1万亩 at ratio 1, a
    shortfall reported as met; the 9800亩 is the outcome. Both ways: the bare 目标 before a
    clause break (status.target.before_bare_name) and 的目标 (status.target.before_name)."""
    for wording in ("1万亩目标，全年新增高标准农田9800亩", "1万亩的目标，全年新增高标准农田9800亩"):
        folder = tempfile.mkdtemp()
        texts = {2019: "### 石桥镇党委书记刘建平：让土地生金\n\n今年，石桥镇将新增高标准农田1万亩。\n",
                 2020: f"### 石桥镇党委书记刘建平：让土地生金\n\n去年，石桥镇对照年初确定的新增高标准农田{wording}。\n"}
        for year, text in texts.items():
            with open(os.path.join(folder, f"fengyan-{year}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
        panel = json.loads(run(binary, ["--format", "json", "--path-fields", "fengyan-{year}.txt", "."], folder).stdout)
        got = [(l["planned"]["text"], l["achieved"]["text"]) for l in panel["links"]]
        check(got == [("1万亩", "9800亩")], f"a target is no outcome ({wording}): {got}")


def check_cli(binary, root):
    r = run(binary, ["--format", "json", "tests/data/panel/"], root)
    panel = json.loads(r.stdout)
    check(panel["format"] == "digestx-panel/1", "format digestx-panel/1")
    sides = [l["planned"] for l in panel["links"]] + [l["achieved"] for l in panel["links"]]
    sides += [u["planned"] for u in panel["unmatched_plans"]]
    bad = texts_at_spans(root, sides)
    check(bad is None, f"spans slice the fact texts ({bad})")
    lines = check_formats(binary, root, panel)
    check_schema(root, panel, lines)
    check_explain(binary, root)
    one = run(binary, ["-j", "1", "--compact", "tests/data/panel/"], root).stdout
    two = run(binary, ["-j", "2", "--compact", "tests/data/panel/"], root).stdout
    check(one == two, "-j 1 and -j 2 give the same bytes")
    # Records: one {"id", "text"} per file; sources are the ids.
    names = sorted(f for f in os.listdir(os.path.join(root, "tests/data/panel")) if f.endswith(".txt"))
    recs = "".join(json.dumps({"id": "tests/data/panel/" + n, "text": open(os.path.join(root, "tests/data/panel", n),
                               encoding="utf-8").read()}, ensure_ascii=False) + "\n" for n in names)
    r = run(binary, ["--input", "jsonl", "--format", "json", "--compact"], root, recs.encode())
    check(r.returncode == 0 and json.loads(r.stdout)["links"] == json.loads(one)["links"],
          "records mode gives the links of the files")
    html = run(binary, ["--render", "tests/data/panel/"], root)
    page = html.stdout.decode()
    check(html.returncode == 0 and "Content-Security-Policy" in page and page.count("<svg class=\"panel-chart\"") ==
          len({(row["region"], row["organization"]) for row in panel["rows"]}), "--render: one chart per organisation")
    check("http://" not in page and "https://" not in page.replace("http://www.w3.org", ""), "--render: no URL")
    # Exit statuses: a missing input among others is 2 with the rest still done; no input 2; bad rules 2.
    r = run(binary, ["tests/data/panel/nanlan-2021.txt", "no-such-file.txt", "tests/data/panel/nanlan-2022.txt"], root)
    check(r.returncode == 2 and b"no-such-file.txt" in r.stderr and json.loads(r.stdout)["links"],
          "missing input: exit 2, message, panel of the others")
    check(run(binary, [], root).returncode == 2, "no input: exit 2")
    empty = tempfile.mkdtemp()
    check(run(binary, [empty], root).returncode == 2, "empty folder: exit 2")
    with open(os.path.join(empty, "panel.json"), "w") as f:
        f.write('{"ignore_chars": " "}')
    r = run(binary, ["--rules", empty, "tests/data/panel/"], root)
    check(r.returncode == 2 and b"panel.json" in r.stderr, "bad rules/panel.json: exit 2 naming the file")
    r = run(binary, ["-"], root, "没有数字的一段话。".encode())
    check(r.returncode == 1, f"no unit: exit 1 ({r.returncode})")
    check_path_region(binary)
    check_no_targets(binary)


def main():
    binary, root, what = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    if what == "score":
        score(binary, root)
    elif what == "heldout":  # links only: the region of its bureau digest is not extracted (null)
        score(binary, root, "panel-heldout", ())
    elif what == "fengyan":  # a new reader's archive: renamed bodies, a township made a town, three layouts
        score(binary, root, "panel-fengyan")
    else:
        check_cli(binary, root)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
