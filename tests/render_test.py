#!/usr/bin/env python3
"""`digestx render`, from the outside: every sample's page against its own JSON
(every fact a highlighted element carrying its value, every sentence tinted by its
period, one summary row per unit), nothing external anywhere in the file, hostile
input kept inert, and the command line's files, exit statuses and messages.

usage: render_test.py DIGESTX_BINARY
"""
import base64
import hashlib
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from testlib import WARNINGS_LINE, check, run  # noqa: E402
from testlib import failures as FAILURES  # noqa: E402

# The kinds that are quantities, from the one registry of kinds (rules/kinds.json).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules", "kinds.json"), encoding="utf-8") as _fh:
    QUANTITY_KINDS = {k["name"] for k in json.load(_fh)["kinds"] if k["quantity"]}

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = sorted(os.path.join(ROOT, "samples", f) for f in os.listdir(os.path.join(ROOT, "samples"))
                 if f.endswith(".txt"))
# Our own digests in other layouts (tests/data), checked like the samples.
DIGESTS = SAMPLES + sorted(os.path.join(ROOT, "tests", "data", f) for f in os.listdir(os.path.join(ROOT, "tests", "data"))
                           if f.endswith(".txt")) if os.path.isdir(os.path.join(ROOT, "tests", "data")) else SAMPLES


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Elements and strings, in order

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.walk()


VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"}


class Tree(html.parser.HTMLParser):
    """The page as elements, with the raw contents of <style> and <script>."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [], None)
        self.at = self.root
        self.raw = {"style": [], "script": []}
        self.errors = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.at)
        self.at.children.append(e)
        if tag not in VOID:
            self.at = e

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.at.tag != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.at.tag))
            return
        self.at = self.at.parent

    def handle_data(self, data):
        if self.at.tag in self.raw:
            self.raw[self.at.tag].append(data)
        self.at.children.append(data)


def squeeze(s):
    return re.sub(r"\s+", "", s)


def facts_of(doc):
    for kind in ("units", "sidebars"):
        for i, holder in enumerate(doc[kind]):
            for j, fact in enumerate(holder["facts"]):
                yield ".%s[%d].facts[%d]" % (kind, i, j), fact


def check_no_outside_reference(name, page, tree):
    """Nothing that a browser could fetch, and only our own style and script."""
    check(not re.search(r"(?i)\b(?:https?|ftp|wss?|file):", page), name + ": a URL in the file")
    check(not re.search(r"(?i)<(?:link|img|iframe|object|embed|base|form|audio|video|source)\b", page),
          name + ": an element that loads something")
    # CSS url(...) (the script's URL.createObjectURL makes a download, not a fetch).
    check(not re.search(r"(?i)@import|(?<![A-Za-z.])url\(", page), name + ": a CSS fetch")
    elements = list(tree.root.walk())
    scripts = [e for e in elements if e.tag == "script"]
    check(len(scripts) == 1 and "src" not in scripts[0].attrs, name + ": one inline script")
    check(len([e for e in elements if e.tag == "style"]) == 1, name + ": one style element")
    for e in elements:
        for k, v in e.attrs.items():
            check(not k.startswith("on"), name + ": event handler attribute " + k)
            if k in ("href", "src", "action", "formaction", "xlink:href"):
                check((v or "").startswith("#"), name + ": %s=%r" % (k, v))
    check(not tree.errors, name + ": markup does not nest: %s" % tree.errors[:3])


def check_csp(name, page, tree):
    """The policy names the hashes of exactly the inline style and script."""
    m = re.search(r"style-src 'sha256-([^']+)'; script-src 'sha256-([^']+)'", page)
    if not check(m is not None and "default-src 'none'" in page, name + ": Content-Security-Policy"):
        return
    for kind, want in (("style", m.group(1)), ("script", m.group(2))):
        body = "".join(tree.raw[kind]).encode("utf-8")
        got = base64.b64encode(hashlib.sha256(body).digest()).decode()
        check(got == want, name + ": CSP hash of the %s" % kind)


def unmarked(f, furniture):
    """The fact's text without the page furniture inside its span, which the page shows
    apart, unmarked: 86 / — 2 — / 澜川区2021年度述职报告摘编 / 0万元 is marked 86, 0万元."""
    text = f["text"]
    for piece in furniture:
        if f["span"][0] <= piece["span"][0] and piece["span"][1] <= f["span"][1]:
            text = text.replace(piece["text"], "", 1)
    return text


def check_facts(name, doc, tree, furniture=()):
    marks = {}
    continuations = {}
    for e in tree.root.walk():
        if e.tag == "mark" and "f" in e.classes():
            if "data-of" in e.attrs:
                continuations.setdefault(e.attrs["data-of"], []).append(e)
            else:
                marks[e.attrs.get("data-path")] = e
    facts = list(facts_of(doc))
    check(len(marks) == len(facts), name + ": %d marks for %d facts" % (len(marks), len(facts)))
    # Beside each paragraph, its quantities (not dates or names), each pointing at its mark.
    notes = [e for e in tree.root.walk() if e.tag == "li" and e.parent.tag == "ul" and "side" in e.parent.classes()]
    quantities = [p for p, f in facts if f["kind"] in QUANTITY_KINDS]
    check(sorted(marks[p].attrs.get("id") for p in quantities if p in marks) ==
          sorted(e.attrs.get("data-fact") for e in notes), name + ": side notes are the quantities")
    for path, f in facts:
        m = marks.get(path)
        if not check(m is not None, name + ": no mark for " + path):
            continue
        a = m.attrs
        where = "%s %s %r" % (name, path, f["text"])
        check("k-" + f["kind"] in m.classes() and a.get("data-kind") == f["kind"], where + ": kind")
        if f["value"] is None:
            check("data-value" not in a, where + ": value should be absent")
        else:
            check(a.get("data-value") is not None and Decimal(a["data-value"]) == f["value"],
                  where + ": value %s, mark says %s" % (f["value"], a.get("data-value")))
        check(a.get("data-unit") == f["unit"], where + ": unit")
        check(a.get("data-qualifier") == f["qualifier"], where + ": qualifier")
        want_range = None if not f.get("range") else "%s,%s" % tuple(f["range"])
        check(a.get("data-range") is None if want_range is None else
              [Decimal(x) for x in a.get("data-range", "").split(",")] == [Decimal(x) for x in f["range"]],
              where + ": range")
        check(a.get("data-subject") == f["subject"], where + ": subject")
        check(a.get("data-period") == (f["period"] or "none"), where + ": period")
        check(a.get("data-span") == "%d,%d" % tuple(f["span"]), where + ": span")
        check(a.get("tabindex") == "0", where + ": focusable")
        text = m.text() + "".join(c.text() for c in continuations.get(a.get("id"), []))
        check(squeeze(text) == squeeze(unmarked(f, furniture)), where + ": marked text %r" % text)


def check_sentences(name, doc, tree):
    spans = [e for e in tree.root.walk() if e.tag == "span" and "s" in e.classes()]
    sentences = [s for holder in doc["units"] + doc["sidebars"] for p in holder["paragraphs"] for s in p["sentences"]]
    if not check(len(spans) == len(sentences), name + ": %d sentence spans for %d sentences" %
                 (len(spans), len(sentences))):
        return
    by_text = {}
    for e in spans:
        by_text.setdefault(squeeze(e.text()), []).append(e.attrs.get("data-period"))
    for s in sentences:
        periods = by_text.get(squeeze(s["text"]), [])
        check((s["period"] or "none") in periods, name + ": sentence %r period %s" % (s["text"][:20], s["period"]))
        # The same words may stand twice with different periods (a photo caption, 记者 孙磊 摄,
        # under two paragraphs): one of the spans holding them has the sentence's tint.
        check(any(("p-" + (s["period"] or "none")) in e.classes() for e in spans
                  if squeeze(e.text()) == squeeze(s["text"])),
              name + ": sentence tint class")


def check_summary(name, doc, tree):
    tables = [e for e in tree.root.walk() if e.tag == "table" and "summary" in e.classes()]
    if not check(len(tables) == 1, name + ": one summary table"):
        return
    rows = [e for e in tables[0].walk() if e.tag == "tr" and e.parent.tag == "tbody"]
    check(len(rows) == len(doc["units"]), name + ": %d summary rows for %d units" % (len(rows), len(doc["units"])))
    for row, unit in zip(rows, doc["units"]):
        cells = [c for c in row.children if isinstance(c, Element)]
        if unit["organization"]:
            check(squeeze(cells[1].text()) == squeeze(unit["organization"]), name + ": organization of unit %d" %
                  unit["index"])
            # A heading with no name (城关镇　党委书记) shows a dash, as other empty cells do.
            want_name = unit["name"] if unit["name"] is not None else "—"
            check(cells[3].text() == want_name, name + ": name of unit %d" % unit["index"])
        check(cells[4].text() == str(len(unit["facts"])), name + ": fact count of unit %d" % unit["index"])
    table = [e for e in tree.root.walk() if e.tag == "table" and "facts" in e.classes()][0]
    rows = [e for e in table.walk() if e.tag == "tr" and e.parent.tag == "tbody"]
    check(len(rows) == len(list(facts_of(doc))), name + ": one facts-table row per fact")


def check_samples(binary):
    for path in DIGESTS:
        name = os.path.basename(path)
        code, out, err = run(binary, ["render", path])
        page = out.decode("utf-8")
        extract_code, out, extract_err = run(binary, [path])
        # stderr: nothing, or the same one warnings line as extract's for the file.
        if not check(code == 0 and err == extract_err and (err == "" or WARNINGS_LINE.fullmatch(err.strip())),
                     name + ": render exit %d, stderr %r (extract's: %r)" % (code, err, extract_err)):
            continue
        doc = json.loads(out, parse_float=Decimal)
        tree = Tree(page)
        check_no_outside_reference(name, page, tree)
        check_csp(name, page, tree)
        _, explained, _ = run(binary, ["--explain", path])
        furniture = json.loads(explained, parse_float=Decimal).get("furniture") or []
        check_facts(name, doc, tree, furniture)
        check_sentences(name, doc, tree)
        check_summary(name, doc, tree)
        if doc["title"]:
            check(doc["title"] in page, name + ": title")
        check("<p class=\"subtitle\">" in page if doc["subtitle"] else True, name + ": subtitle")
        print("ok %s: %d facts, %d units" % (name, len(list(facts_of(doc))), len(doc["units"])))


HOSTILE = """<!DOCTYPE html><html><head><title>x</title>
<script src="http://evil.example/x.js"></script><link rel=stylesheet href=https://cdn.example/a.css>
<style>@import url(https://cdn.example/b.css);</style></head><body>
### 海棠区委书记鲁正兰: <img src=x onerror=alert(1)>开拓

去年,"'><svg onload=alert(1)>发放慰问金39.6万元,<a href="javascript:alert(1)">经费</a>200万元。\u202e今年,新建3个站点\x00。</script><iframe src=//x>

</textarea></title><!-- -->]]>去年,<b onclick="x">组建</b>突击队5支。
</body></html>
"""


def check_hostile(binary, tmp, page_read_as_html=False):
    """HOSTILE after a line of text is a text file with markup in it, shown as written;
    HOSTILE alone is an HTML page, its markup blanked (layout.html_page): either way the
    review page is inert."""
    path = os.path.join(tmp, "saved-page.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HOSTILE if page_read_as_html else "述职报告摘登\n" + HOSTILE)
    code, out, err = run(binary, ["render", path])
    check(code == 0, "hostile: exit %d %s" % (code, err))
    page = out.decode("utf-8")
    tree = Tree(page)
    elements = list(tree.root.walk())
    allowed = {"#root", "html", "head", "meta", "title", "style", "body", "main", "section", "header", "h1", "h2", "h3",
               "p", "dl", "dt", "dd", "div", "span", "b", "i", "small", "code", "button", "output", "table", "thead",
               "tbody", "tfoot", "tr", "th", "td", "a", "mark", "article", "aside", "ul", "li", "script", "nav", "ol", "br"}
    check({e.tag for e in elements} <= allowed, "hostile: unexpected elements %s" % ({e.tag for e in elements} - allowed))
    check(len([e for e in elements if e.tag == "script"]) == 1, "hostile: one script")
    for e in elements:
        for k, v in e.attrs.items():
            check(not k.startswith("on"), "hostile: attribute " + k)
            if k in ("href", "src"):
                check(v.startswith("#"), "hostile: %s=%s" % (k, v))
            check("http" not in (v or "") or k.startswith("data-") or k == "title",
                  "hostile: URL in attribute %s=%r" % (k, v))
    check(not tree.errors, "hostile: markup does not nest: %s" % tree.errors[:3])
    check("\u202e" not in page and "\x00" not in page, "hostile: bidi override or NUL passed through")
    code, out, _ = run(binary, [path])
    doc = json.loads(out, parse_float=Decimal)
    check_facts("hostile", doc, tree)
    check_csp("hostile", page, tree)
    # The text is all there, as text: what the page showed is what the file said.
    body = "".join(e.text() for e in elements if e.tag == "div" and "text" in e.classes())
    if page_read_as_html:
        check("<svg" not in body and "onload" not in body and "发放慰问金39.6万元" in body and "突击队5支" in body,
              "hostile page: its markup blanked, its text shown")
    else:
        check("<svg onload=alert(1)>" in body and "</textarea></title>" in body, "hostile: text shown as written")


def check_cli(binary, tmp):
    sanya = os.path.join(ROOT, "samples", "sanya-2022.txt")
    missing = os.path.join(tmp, "nope.txt")
    page = os.path.join(tmp, "page.html")

    code, out, err = run(binary, ["render", "-o", page, sanya])
    check(code == 0 and out == b"" and err == "" and os.path.exists(page), "cli -o: %d %r" % (code, err))
    check(not [f for f in os.listdir(tmp) if ".tmp." in f], "cli -o: a temporary file left behind")

    code, out, err = run(binary, ["render", "-"], open(sanya, "rb").read())
    check(code == 0 and b"<mark class=\"f k-money\"" in out, "cli stdin: %d %r" % (code, err))

    code, out, err = run(binary, ["render"] + SAMPLES)
    text = out.decode("utf-8")
    check(code == 0 and text.count("<section class=\"doc\"") == len(SAMPLES) and "<nav class=\"toc\">" in text,
          "cli several inputs, one page: %d %r" % (code, err))

    pages = os.path.join(tmp, "pages", "deeper")
    code, out, err = run(binary, ["render", "--output-dir", pages] + SAMPLES)
    names = sorted(os.listdir(pages)) if os.path.isdir(pages) else []
    want = sorted(os.path.basename(p)[:-4] + ".html" for p in SAMPLES)
    check(code == 0 and out == b"" and names == want, "cli --output-dir: %d %r %s" % (code, err, names))
    if names:
        one = open(os.path.join(pages, names[0]), encoding="utf-8").read()
        check(one.count("<section class=\"doc\"") == 1 and "<nav class=\"toc\"" not in one,
              "cli --output-dir: one document a page")

    code, out, err = run(binary, ["render", "--output-dir", os.path.join(tmp, "stdin"), "-"], open(sanya, "rb").read())
    check(code == 0 and os.path.exists(os.path.join(tmp, "stdin", "stdin.html")), "cli --output-dir stdin.html")

    code, out, err = run(binary, ["render", "-o", os.path.join(tmp, "never.html"), missing])
    check(code == 2 and "nope.txt: no such file" in err and not os.path.exists(os.path.join(tmp, "never.html")),
          "cli missing input: %d %r" % (code, err))

    code, out, err = run(binary, ["render", sanya, missing])
    check(code == 2 and "nope.txt: no such file" in err and b"<code>not_found</code>" in out
          and out.count(b"<section class=\"doc\"") == 1, "cli one input of two missing: %d %r" % (code, err))

    code, out, err = run(binary, ["render", "--output-dir", os.path.join(tmp, "mixed"), sanya, missing])
    check(code == 2 and os.listdir(os.path.join(tmp, "mixed")) == ["sanya-2022.html"],
          "cli --output-dir with a missing input: %d %r" % (code, err))

    other = os.path.join(tmp, "other")
    os.mkdir(other)
    clash = os.path.join(other, "sanya-2022.txt")
    with open(clash, "wb") as fh:
        fh.write(open(sanya, "rb").read())
    # Names are planned as extract plans them: the second input of one name is an
    # error in its place, never an overwrite; the first one's page is written.
    code, out, err = run(binary, ["render", "--output-dir", os.path.join(tmp, "clash"), sanya, clash])
    check(code == 2 and "is already that of" in err and os.listdir(os.path.join(tmp, "clash")) == ["sanya-2022.html"],
          "cli --output-dir name clash: %d %r" % (code, err))

    # A directory stands for its *.txt files, as for extract.
    from_dir = os.path.join(tmp, "from-dir")
    code, out, err = run(binary, ["render", "--output-dir", from_dir, os.path.join(ROOT, "samples")])
    got = sorted(os.listdir(from_dir)) if os.path.isdir(from_dir) else []
    check(code == 0 and got == want, "cli render of a directory: %d %r %s" % (code, err, got))
    code, out, err = run(binary, ["render", "-o", page, "--output-dir", tmp, sanya])
    check(code == 2 and err, "cli -o with --output-dir: %d" % code)

    code, out, err = run(binary, ["render", "-"], "去年，工作扎实推进。".encode())
    check(code == 1 and b"<section class=\"doc\"" in out, "cli no facts: exit %d" % code)

    code, out, err = run(binary, ["render", "--year", "2019", "-"], "去年，组建突击队5支。".encode())
    check(code == 0 and b"last year 2019" in out and b"data-year=\"2019\"" in out, "cli --year: %d %r" % (code, err))

    code, out, err = run(binary, ["render", "--encoding", "GB18030", os.path.join(ROOT, "samples", "wanning-2021.txt")])
    check(code == 0 and "万宁市".encode() in out, "cli --encoding: %d %r" % (code, err))

    code, out, err = run(binary, ["render", "--rules", os.path.join(tmp, "no-rules-here"), sanya])
    check(code == 2 and "rules" in err, "cli bad --rules: %d %r" % (code, err))

    code, out, err = run(binary, ["render", "--help"])
    check(code == 0 and b"--output-dir" in out, "cli --help")

    code, out, err = run(binary, ["render"])
    check(code == 2, "cli no input: %d" % code)

    # A closed pipe downstream ends quietly: the page is larger than a pipe's buffer.
    p = subprocess.run("'%s' render %s | head -c 100 >/dev/null; echo ${PIPESTATUS[0]}" %
                       (binary, " ".join("'%s'" % s for s in SAMPLES * 4)),
                       shell=True, executable="/bin/bash", capture_output=True, timeout=120)
    check(p.stdout.strip() == b"0" and p.stderr == b"", "cli broken pipe: %r %r" % (p.stdout, p.stderr))


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="digestx_render_")
    check_samples(binary)
    check_hostile(binary, tmp)
    check_hostile(binary, tmp, page_read_as_html=True)
    check_cli(binary, tmp)
    if FAILURES:
        print("%d failures" % len(FAILURES))
        return 1
    print("all render checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
