#!/usr/bin/env python3
"""docs/format.md and schema/digestx.schema.json describe the same fields: every
property of the schema is named in a field table of format.md, and every field a
table names is a property of the schema; the same for the panel's tables and
schema/panel.schema.json.

usage: format_doc_test.py SOURCE_DIR
"""
import glob
import json
import os
import re
import sys


def schema_properties(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out.update(value.keys())
            schema_properties(value, out)
    elif isinstance(node, list):
        for value in node:
            schema_properties(value, out)
    return out


def table_fields(markdown, header):
    """Names in the first column of the tables whose first header cell is `header`."""
    names, in_table = set(), False
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            in_table = False
            continue
        if cells[0] == header:
            in_table = True
            continue
        m = re.fullmatch(r"`([a-z_]+)`", cells[0])
        if in_table and m:
            names.add(m.group(1))
    return names


def compare(what, documented, schema):
    ok = True
    for name in sorted(schema - documented):
        print(f"FAIL {what}: schema property {name!r} is not named in docs/format.md")
        ok = False
    for name in sorted(documented - schema):
        print(f"FAIL {what}: docs/format.md names {name!r}, which the schema does not have")
        ok = False
    if ok:
        print(f"ok   {what}: {len(schema)} fields, each in both")
    return ok


def main():
    root = sys.argv[1]
    markdown = open(os.path.join(root, "docs", "format.md"), encoding="utf-8").read()
    # The document schema is generated at build time (schema/digestx.schema.json.in with the
    # kinds and aspects of rules/kinds.json); its path is the second argument.
    schema_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "schema", "digestx.schema.json")
    schema = schema_properties(json.load(open(schema_path)), set())
    ok = compare("document", table_fields(markdown, "field"), schema)
    panel_schemas = glob.glob(os.path.join(root, "schema", "*panel*.json"))
    if panel_schemas:
        panel = set()
        for path in panel_schemas:
            schema_properties(json.load(open(path)), panel)
        ok &= compare("panel", table_fields(markdown, "panel field"), panel)
    else:
        print("ok   panel: no panel schema yet; its fields are described, not checked")
    # The README and --help point at it.
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    if "docs/format.md" not in readme:
        print("FAIL README.md does not link docs/format.md")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
