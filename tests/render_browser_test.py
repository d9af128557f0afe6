#!/usr/bin/env python3
"""The review page in a real browser: Debian's chromium, headless, no network,
driven through the Chrome DevTools protocol (tests/cdp.py). For every sample (and
every digest of tests/data): the
page loads without a script error or a blocked resource and fetches nothing but
itself; the summary table has one row per unit; the kind filter and the period
filter hide the other facts; sorting by value sorts; a row of the facts table
scrolls its fact into view; hovering a fact shows its value. Screenshots go to
OUT_DIR. Exits 77 (skipped) when chromium is absent.

usage: render_browser_test.py DIGESTX_BINARY OUT_DIR
"""
import json
import os
import shutil
import csv
import io
import subprocess
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from cdp import Browser  # noqa: E402
from testlib import check  # noqa: E402
from testlib import failures as FAILURES  # noqa: E402

def digests(folder):
    path = os.path.join(ROOT, folder)
    return sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".txt")) if os.path.isdir(path) else []


# The samples, and our own digests in other layouts.
DIGESTS = digests("samples") + digests(os.path.join("tests", "data"))


def find_chromium():
    """DIGESTX_CHROMIUM when set (to a path, or to "none" to skip), else Debian's chromium."""
    candidates = [os.environ["DIGESTX_CHROMIUM"]] if "DIGESTX_CHROMIUM" in os.environ else \
        [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


# Facts by kind and period as the page sees them: which marks are highlighted and
# which rows of the facts table are displayed.
STATE = """(() => {
  const sec = document.querySelector('section.doc');
  const clear = 'rgba(0, 0, 0, 0)';
  const lit = m => { const s = getComputedStyle(m);
    return s.backgroundColor !== clear || s.boxShadow !== 'none' || (s.borderBottomStyle !== 'none' && s.borderBottomColor !== clear); };
  return {
    marks: [...sec.querySelectorAll('mark.f[data-path]')].map(m => ({kind: m.dataset.kind, period: m.dataset.period, lit: lit(m), off: m.classList.contains('is-off')})),
    rows: [...sec.querySelectorAll('table.facts tbody tr')].map(r => ({kind: r.dataset.kind, period: r.dataset.period, shown: r.getClientRects().length > 0})),
    side: [...sec.querySelectorAll('.side li')].map(li => ({kind: li.dataset.kind, shown: li.getClientRects().length > 0})),
    faded: [...sec.querySelectorAll('.text .s')].map(s => ({period: s.dataset.period, opacity: parseFloat(getComputedStyle(s).opacity)})),
    shown: sec.querySelector('.shown').textContent,
  };
})()"""


def click(page, selector):
    found = page.eval("(() => { const e = document.querySelector(%s); if (e) e.click(); return !!e; })()"
                      % json.dumps(selector))
    check(found, "no element " + selector)


def check_filter_kind(page, name, doc, kind):
    click(page, '.filter[data-filter="kind"] button[data-value="%s"]' % kind)
    st = page.eval(STATE)
    n = sum(1 for _, f in facts_of(doc) if f["kind"] == kind)
    check(sum(r["shown"] for r in st["rows"]) == n, "%s kind=%s: %d rows shown, want %d" %
          (name, kind, sum(r["shown"] for r in st["rows"]), n))
    check(all(r["shown"] == (r["kind"] == kind) for r in st["rows"]), "%s kind=%s: other kinds' rows shown" % (name, kind))
    check(all(m["off"] == (m["kind"] != kind) for m in st["marks"]), "%s kind=%s: marks switched" % (name, kind))
    check(not any(m["lit"] for m in st["marks"] if m["kind"] != kind), "%s kind=%s: other kinds still highlighted" %
          (name, kind))
    check(all(m["lit"] for m in st["marks"] if m["kind"] == kind), "%s kind=%s: its facts not highlighted" % (name, kind))
    check(all(li["shown"] == (li["kind"] == kind) for li in st["side"]), "%s kind=%s: side notes" % (name, kind))
    # "9 of 93 facts" while some are hidden; a digest of one kind hides none: "5 facts".
    want = ("%d of " % n if n < len(st["rows"]) else "") + ("%d facts" % len(st["rows"]))
    check(st["shown"] == want, "%s kind=%s: counter %r, want %r" % (name, kind, st["shown"], want))
    click(page, '.filter[data-filter="kind"] button[data-value=""]')
    st = page.eval(STATE)
    check(all(r["shown"] for r in st["rows"]) and all(m["lit"] for m in st["marks"]), name + ": 'all' shows all again")


def check_filter_period(page, name, doc, period):
    click(page, '.filter[data-filter="period"] button[data-value="%s"]' % period)
    st = page.eval(STATE)
    n = sum(1 for _, f in facts_of(doc) if (f["period"] or "none") == period)
    check(sum(r["shown"] for r in st["rows"]) == n, "%s period=%s: rows shown" % (name, period))
    check(not any(m["lit"] for m in st["marks"] if m["period"] != period), "%s period=%s: other periods lit" %
          (name, period))
    check(all(s["opacity"] < 1 for s in st["faded"] if s["period"] != period), "%s period=%s: others not faded" %
          (name, period))
    check(all(s["opacity"] == 1 for s in st["faded"] if s["period"] == period), "%s period=%s: its text faded" %
          (name, period))
    click(page, '.filter[data-filter="period"] button[data-value=""]')


def check_sort(page, name):
    click(page, "table.facts thead th:nth-child(6) button")  # value
    values = page.eval("[...document.querySelectorAll('table.facts tbody tr')].map(r => r.cells[5].dataset.v)")
    numbers = [Decimal(v) for v in values if v]
    empty_last = all(not v for v in values[len(numbers):])
    check(numbers == sorted(numbers) and empty_last, name + ": value sort ascending, empty cells last")
    click(page, "table.facts thead th:nth-child(6) button")
    values = page.eval("[...document.querySelectorAll('table.facts tbody tr')].map(r => r.cells[5].dataset.v)")
    numbers = [Decimal(v) for v in values if v]
    check(numbers == sorted(numbers, reverse=True), name + ": value sort descending")
    click(page, "table.facts thead th:nth-child(1) button")  # back to text order
    order = page.eval("[...document.querySelectorAll('table.facts tbody tr')].map(r => +r.cells[0].dataset.v)")
    check(order == sorted(order), name + ": # sort restores the text order")


def check_row_finds_fact(page, name):
    page.eval("scrollTo(0, 0)")
    found = page.eval("""(() => {
      const rows = document.querySelectorAll('table.facts tbody tr');
      const row = rows[Math.floor(rows.length / 2)];
      row.cells[3].click();
      const mark = document.getElementById(row.dataset.fact);
      const r = mark.getBoundingClientRect();
      return {inView: r.top >= 0 && r.bottom <= innerHeight, focused: document.activeElement === mark,
              tip: !document.getElementById('tip').hidden, value: mark.dataset.value || null,
              tipText: document.getElementById('tip').textContent};
    })()""")
    check(found["inView"] and found["focused"], name + ": row click scrolls to and focuses its fact: %s" % found)
    check(found["tip"], name + ": focused fact shows its tooltip")


def check_hover(page, name, shot):
    page.eval("scrollTo(0, 0)")
    box = page.eval("""(() => {
      const m = document.querySelector('mark.f[data-qualifier][data-subject]') ||
                document.querySelector('mark.f.k-money[data-path]') || document.querySelector('mark.f[data-value][data-path]') ||
                document.querySelector('mark.f[data-path]');
      m.scrollIntoView({block: 'center'});
      const r = m.getClientRects()[0];
      return {x: r.left + r.width / 2, y: r.top + r.height / 2, value: m.dataset.value, unit: m.dataset.unit || ''};
    })()""")
    page.mouse_move(box["x"], box["y"])
    tip = page.eval("(() => { const t = document.getElementById('tip'); return {hidden: t.hidden, text: t.textContent}; })()")
    # A digest with no money and no qualified figure: a figure with a value, else one
    # without (a date: its tooltip shows —).
    grouped = "{:,}".format(Decimal(box["value"])) if box.get("value") else "—"
    check(not tip["hidden"] and grouped in tip["text"], name + ": hover shows value %s: %r" % (grouped, tip))
    page.screenshot(shot)
    page.mouse_move(1, 1)
    check(page.eval("document.getElementById('tip').hidden"), name + ": tooltip hides when the pointer leaves")


def check_layout(page, name, out_dir):
    """At 1366 px the facts table fits: its last column (rules) is not cut off; the
    toolbar's links bring the "Text" and "All facts" headings into view below the
    sticky toolbar, not under it."""
    page.eval("scrollTo(0, 0)")
    fit = page.eval("""(() => {
      const scroll = document.querySelector('table.facts').closest('.scroll');
      const rules = document.querySelector('table.facts thead th:last-child').getBoundingClientRect();
      const box = scroll.getBoundingClientRect();
      return {scrollWidth: scroll.scrollWidth, clientWidth: scroll.clientWidth, rulesRight: rules.right, boxRight: box.right};
    })()""")
    check(fit["scrollWidth"] <= fit["clientWidth"] and fit["rulesRight"] <= fit["boxRight"] + 0.5,
          name + ": the facts table is wider than the page at 1366 px: %s" % fit)
    for which in ("text", "facts"):
        click(page, '.toolbar .jump a[href$="-%s"]' % which)
        seen = page.eval("""(() => {
          const h = document.getElementById(document.querySelector('section.doc').id + '-%s');
          const bar = document.querySelector('section.doc .toolbar').getBoundingClientRect();
          const r = h.getBoundingClientRect();
          return {top: r.top, bottom: r.bottom, barBottom: bar.bottom, height: innerHeight};
        })()""" % which)
        check(seen["top"] >= seen["barBottom"] - 0.5 and seen["bottom"] <= seen["height"],
              name + ": the %s heading is hidden by the toolbar: %s" % (which, seen))
        if which == "facts":
            page.screenshot(os.path.join(out_dir, name + "-facts.png"))
    page.eval("scrollTo(0, 0)")


def wait_for_download(path, deadline):
    """Until the file exists, is not empty and its size has held for 0.3 s. Chromium
    creates the file before it writes it: under ASan a read right after the file
    appeared once found it empty."""
    last_size, steady_since = -1, None
    while time.time() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else -1
        if size > 0 and size == last_size:
            if time.time() - steady_since >= 0.3:
                return
        else:
            last_size, steady_since = size, time.time()
        time.sleep(0.05)


def check_export(browser, page, name, doc, out_dir):
    """The CSV export holds the facts shown: after a kind filter, those of that kind,
    with their exact values, in the table's order."""
    downloads = os.path.join(out_dir, name + "-downloads")
    shutil.rmtree(downloads, ignore_errors=True)
    os.makedirs(downloads)
    browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    kinds = sorted({f["kind"] for _, f in facts_of(doc)})
    kind = "money" if "money" in kinds else kinds[0]
    click(page, '.filter[data-filter="kind"] button[data-value="%s"]' % kind)
    click(page, "section.doc .export")
    want_file = os.path.join(downloads, os.path.basename(doc["source"]["path"])[:-4] + "." + kind + ".facts.csv")
    wait_for_download(want_file, deadline=time.time() + 20)
    click(page, '.filter[data-filter="kind"] button[data-value=""]')
    if not check(os.path.exists(want_file), name + ": no download %s (got %s)" % (want_file, os.listdir(downloads))):
        return
    text = open(want_file, encoding="utf-8", newline="").read()
    rows = list(csv.reader(io.StringIO(text)))
    check(text.endswith("\r\n") and rows[0][:2] == ["source", "#"] and rows[0][-1] == "rules",
          name + ": CSV header %s" % rows[0])
    facts = [f for _, f in facts_of(doc) if f["kind"] == kind]
    value = rows[0].index("value")
    by_order = sorted(facts, key=lambda f: f["span"][0])
    got = [(r[0], r[rows[0].index("kind")], Decimal(r[value]) if r[value] else None) for r in rows[1:]]
    # Both sides as Decimal: the rows are sorted by their text, and 28000000 and
    # Decimal('28000000') sort apart once a value such as 1.5 sits among them.
    want = [(doc["source"]["path"], kind, None if f["value"] is None else Decimal(str(f["value"]))) for f in by_order]
    check(sorted(got, key=str) == sorted(want, key=str), name + ": CSV rows %s, want %s" % (got[:3], want[:3]))


def facts_of(doc):
    for holder in doc["units"] + doc["sidebars"]:
        for f in holder["facts"]:
            yield holder, f


def check_page(browser, binary, sample, out_dir):
    name = os.path.basename(sample)[:-4]
    html = os.path.abspath(os.path.join(out_dir, name + ".html"))
    sample = os.path.relpath(sample, ROOT)  # the page shows the path as given: samples/…
    code = subprocess.run([binary, "render", "-o", html, sample], cwd=ROOT).returncode
    if not check(code == 0, name + ": render exit %d" % code):
        return
    doc = json.loads(subprocess.run([binary, sample], cwd=ROOT, capture_output=True).stdout, parse_float=Decimal)
    page = browser.new_page(1366, 900)
    url = "file://" + html
    page.navigate(url)
    page.screenshot(os.path.join(out_dir, name + ".png"))

    rows = page.eval("document.querySelectorAll('section.doc table.summary tbody tr').length")
    check(rows == len(doc["units"]), "%s: %s summary rows for %d units" % (name, rows, len(doc["units"])))
    organizations = page.eval("[...document.querySelectorAll('table.summary tbody tr')].map(r => r.cells[1].textContent)")
    check(organizations == [u["organization"] or "no heading" for u in doc["units"]], name + ": summary organizations")
    marks = page.eval("document.querySelectorAll('mark.f[data-path]').length")
    check(marks == sum(1 for _ in facts_of(doc)), name + ": one mark per fact")

    kinds = sorted({f["kind"] for _, f in facts_of(doc)})
    for kind in kinds:
        check_filter_kind(page, name, doc, kind)
    for period in ("last_year", "this_year", "none"):
        check_filter_period(page, name, doc, period)
    check_sort(page, name)
    check_row_finds_fact(page, name)
    check_hover(page, name, os.path.join(out_dir, name + "-tooltip.png"))

    requests = [p["request"]["url"] for p in page.events("Network.requestWillBeSent")]
    check(requests == [url], name + ": the page fetched %s" % requests)
    problems = [p["entry"]["text"] for p in page.events("Log.entryAdded") if p["entry"]["level"] in ("error", "warning")]
    problems += [p["exceptionDetails"].get("text", "") for p in page.events("Runtime.exceptionThrown")]
    problems += [str(p["args"]) for p in page.events("Runtime.consoleAPICalled") if p["type"] in ("error", "warning")]
    check(not problems, name + ": console errors %s" % problems)
    check_layout(page, name, out_dir)
    check_export(browser, page, name, doc, out_dir)
    print("ok %s: %d units, %d facts, kinds %s" % (name, rows, marks, ", ".join(kinds)))


def main():
    binary, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no chromium (Debian package chromium; scripts/install-debian-deps.sh --test installs it)")
        return 77
    os.makedirs(out_dir, exist_ok=True)
    with Browser(chromium) as browser:
        for digest in DIGESTS:
            check_page(browser, binary, digest, out_dir)
    if FAILURES:
        print("%d failures" % len(FAILURES))
        return 1
    print("all browser checks passed; screenshots in " + out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
