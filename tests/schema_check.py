"""Validate JSON documents against the project's JSON Schemas.

Usage:
  schema_check.py SCHEMA[#/json/pointer] FILE...       each FILE must be valid
  schema_check.py --dms SCHEMA_DIR FILE...              each FILE holds DMS
        messages, one JSON object a line; each is checked against the schema
        its "schema" field names (obdgw.dms.scan -> SCHEMA_DIR/scan.json)
  --drop PATH    before validating, delete the member at PATH (keys and array
                 indexes separated by '/', e.g. findings/0/source): used to
                 show that a schema notices a missing required field
  --lines        FILE holds one JSON document a line

Exit 0 when everything is valid, 1 when anything is not (each problem is
printed with the document and the place), 2 on usage errors.

Runs with Debian's python3-jsonschema (4.10; Draft 2020-12); relative
"$ref"s between the schema files are resolved from the files themselves,
never over the network.
"""
import json
import os
import sys
from urllib.parse import urljoin, urldefrag

import jsonschema

DMS_SCHEMAS = {
    "obdgw.dms.scan": "scan.json",
    "obdgw.dms.uds_scan": "uds_scan.json",
    "obdgw.dms.finding": "finding.json",
    "obdgw.dms.comeback": "comeback.json",
    "obdgw.dms.qc": "qc.json",
    "obdgw.dms.report": "report.json",
    "obdgw.dms.health": "health.json",
    "obdgw.dms.bay_status": "status.json",
    "obdgw.dms.gateway_status": "status.json",
    "obdgw.dms.error": "error.json",
    "dms.wo": "wo.json",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def build_store(path, store, seen):
    """Map every URI a schema file (and the files it refers to) is known by
    to its document: its $id, and each relative $ref resolved against the
    referring document's $id."""
    path = os.path.abspath(path)
    if path in seen:
        return seen[path]
    doc = load(path)
    seen[path] = doc
    base = doc.get("$id", "file://" + path)
    store[base] = doc
    store["file://" + path] = doc
    for r in refs(doc):
        target, _ = urldefrag(r)
        if not target or "://" in target:
            continue
        sub = build_store(os.path.join(os.path.dirname(path), target), store, seen)
        store[urljoin(base, target)] = sub
    return doc


def validator_for(spec):
    path, _, pointer = spec.partition("#")
    store = {}
    doc = build_store(path, store, {})
    base = doc.get("$id", "file://" + os.path.abspath(path))
    resolver = jsonschema.RefResolver(base, doc, store=store)
    schema = resolver.resolve("#" + pointer)[1] if pointer else doc
    cls = jsonschema.validators.validator_for(doc, default=jsonschema.Draft202012Validator)
    cls.check_schema(doc)
    return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def drop(doc, path):
    node = doc
    parts = path.split("/")
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last = parts[-1]
    if isinstance(node, list):
        del node[int(last)]
    elif last in node:
        del node[last]
    else:
        raise KeyError(path)


def documents(path, lines):
    with open(path, encoding="utf-8") as f:
        if not lines:
            yield path, json.load(f)
            return
        for n, line in enumerate(f, 1):
            if line.strip():
                yield "%s:%d" % (path, n), json.loads(line)


def main(argv):
    dms_dir = None
    drop_path = None
    lines = False
    args = []
    it = iter(argv)
    for a in it:
        if a == "--dms":
            dms_dir = next(it, None)
            lines = True
        elif a == "--drop":
            drop_path = next(it, None)
        elif a == "--lines":
            lines = True
        else:
            args.append(a)
    if (dms_dir is None and len(args) < 2) or (dms_dir is not None and not args):
        print(__doc__, file=sys.stderr)
        return 2
    files = args if dms_dir else args[1:]
    cache = {}
    bad = 0
    checked = 0
    for path in files:
        for where, doc in documents(path, lines):
            if dms_dir:
                name = DMS_SCHEMAS.get(doc.get("schema") if isinstance(doc, dict) else None)
                if not name:
                    print("%s: no schema for message type %r" % (where, doc.get("schema")))
                    bad += 1
                    continue
                spec = os.path.join(dms_dir, name)
            else:
                spec = args[0]
            if spec not in cache:
                cache[spec] = validator_for(spec)
            if drop_path:
                drop(doc, drop_path)
            errors = sorted(cache[spec].iter_errors(doc), key=lambda e: list(e.absolute_path))
            checked += 1
            for e in errors[:10]:
                place = "/".join(str(p) for p in e.absolute_path) or "(top)"
                msg = e.message if len(e.message) <= 300 else e.message[:300] + "..."
                print("%s: %s: %s (schema %s)" % (where, place, msg, os.path.basename(spec.split("#")[0])))
                # oneOf/anyOf: why each alternative failed
                for sub in sorted(e.context, key=lambda x: list(x.relative_schema_path))[:6]:
                    if sub.validator in ("type", "const") and sub.instance is not None:
                        continue  # the null alternative of a nullable object
                    sp = "/".join(str(x) for x in sub.absolute_path) or place
                    print("%s:   %s: %s" % (where, sp, sub.message[:300]))
            if errors:
                bad += 1
    print("schema_check: %d document(s), %d invalid" % (checked, bad))
    return 1 if bad or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
