#!/usr/bin/env python3
"""The panel view in a real browser (Debian's chromium, headless, offline, through
tests/cdp.py): `digestx panel --render` and `digestx render` of several years'
digests (tests/data/panel/). The page loads without a script error or a blocked
resource (its CSP allows only its own style and script) and fetches nothing but
itself; it draws one chart per organisation with a bar per year, one table row with
a ratio bar per link, one timeline entry per row, a marked entry per secretary
change; bars have a size. Screenshots go to OUT_DIR. Exits 77 without chromium.

usage: panel_browser_test.py DIGESTX_BINARY OUT_DIR
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from cdp import Browser  # noqa: E402
from render_browser_test import find_chromium  # noqa: E402

FAILURES = []
DATA = "tests/data/panel/"

VIEW = """(() => {
  const orgs = [...document.querySelectorAll('article.panel-org')];
  return {
    orgs: orgs.length,
    charts: document.querySelectorAll('svg.panel-chart').length,
    years: orgs.map(o => o.querySelectorAll('svg.panel-chart rect.bar-facts').length),
    links: document.querySelectorAll('table.panel-links tbody tr').length,
    bars: [...document.querySelectorAll('svg.ratio-bar')].map(b => b.getBoundingClientRect().width),
    timeline: document.querySelectorAll('ol.panel-timeline li').length,
    changed: [...document.querySelectorAll('ol.panel-timeline li.changed')].map(l => l.textContent),
    chart_height: document.querySelector('svg.panel-chart').getBoundingClientRect().height,
    docs: document.querySelectorAll('section.doc').length,
  };
})()"""


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def check_page(browser, html, panel, name, out_dir, docs):
    page = browser.new_page(1280, 1000)
    url = "file://" + html
    page.navigate(url)
    page.screenshot(os.path.join(out_dir, name + ".png"))
    v = page.eval(VIEW)
    orgs = {(r["region"], r["organization"]) for r in panel["rows"]}
    check(v["orgs"] == len(orgs) and v["charts"] == len(orgs), f"{name}: {v['charts']} charts for {len(orgs)} organisations")
    years = {}
    for r in panel["rows"]:
        years.setdefault((r["region"], r["organization"]), set()).add(r["year"])
    check(sorted(v["years"]) == sorted(len(y) for y in years.values()), f"{name}: one bar per year")
    check(v["links"] == len(panel["links"]) and len(v["bars"]) == len(panel["links"]), f"{name}: {v['links']} link rows")
    check(all(w > 50 for w in v["bars"]) and v["chart_height"] > 50, f"{name}: charts and bars are drawn")
    check(v["timeline"] == len(panel["rows"]), f"{name}: one timeline entry per row")
    check(len(v["changed"]) == len(panel["secretary_changes"]) and
          all(any(c["to"] in t for t in v["changed"]) for c in panel["secretary_changes"]), f"{name}: changes marked")
    check(v["docs"] == docs, f"{name}: {v['docs']} document sections")
    requests = [p["request"]["url"] for p in page.events("Network.requestWillBeSent")]
    check(requests == [url], f"{name}: fetched only itself {requests}")
    problems = [p["entry"]["text"] for p in page.events("Log.entryAdded") if p["entry"]["level"] in ("error", "warning")]
    problems += [p["exceptionDetails"].get("text", "") for p in page.events("Runtime.exceptionThrown")]
    check(not problems, f"{name}: no console errors or CSP reports {problems}")


def main():
    binary, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no chromium")
        return 77
    os.makedirs(out_dir, exist_ok=True)
    panel = json.loads(subprocess.run([binary, "panel", DATA], cwd=ROOT, capture_output=True, check=True).stdout)
    files = sorted(DATA + f for f in os.listdir(os.path.join(ROOT, DATA)) if f.endswith(".txt"))
    pages = [("panel", [binary, "panel", "--render", "-o"], [DATA], 0),
             ("render-years", [binary, "render", "-o"], files, len(files))]
    with Browser(chromium) as browser:
        for name, cmd, inputs, docs in pages:
            html = os.path.join(out_dir, name + ".html")
            code = subprocess.run(cmd + [html] + inputs, cwd=ROOT).returncode
            check(code == 0, f"{name}: exit {code}")
            check_page(browser, html, panel, name, out_dir, docs)
    print(f"{len(FAILURES)} failed" if FAILURES else "all browser checks passed; screenshots in " + out_dir)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
