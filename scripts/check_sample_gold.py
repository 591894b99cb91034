"""Check the sample corpus gold annotations against the sample texts.

Usage:  python samples/check_gold.py

For every file in gold/samples/ it loads the article body the way the gold
evidence indexes it:
  - articles.jsonl : the record's `text` field
  - *.txt          : the whole file (decoded: utf-8-sig, or cp1256 for *-cp1256.txt)
                     after the first non-empty line (the title), stripped
  - *.html         : the <p> paragraphs inside <article>, joined with "\n"
and asserts that every evidence string, entity mention and framing string is an
exact substring of that body, plus some sanity checks on the fields.
Stdlib only.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "samples"
GOLD = HERE.parent / "gold" / "samples"

PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
STATUS = {"asserted", "planned", "negated", "hypothetical"}
PRECISION = {"day", "month", "season", "year", None}
ENT_TYPES = {"PER", "ORG", "GPE", "LOC", "FAC", "EVENT"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _ArticleParagraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.in_p = False
        self.paras: list[str] = []
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article += 1
        elif tag == "p" and self.in_article:
            self.in_p, self._buf = True, []

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1
        elif tag == "p" and self.in_p:
            self.in_p = False
            self.paras.append("".join(self._buf).strip())

    def handle_data(self, data):
        if self.in_p:
            self._buf.append(data)


def txt_body(path: Path) -> str:
    raw = path.read_bytes()
    enc = "cp1256" if path.stem.endswith("cp1256") else "utf-8-sig"
    text = raw.decode(enc).replace("\r\n", "\n")
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    return "\n".join(lines[i + 1:]).strip()


def html_body(path: Path) -> str:
    p = _ArticleParagraphs()
    p.feed(path.read_text(encoding="utf-8"))
    return "\n".join(x for x in p.paras if x)


def load_bodies() -> dict[str, str]:
    bodies: dict[str, str] = {}
    with open(HERE / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                bodies[rec["id"]] = rec["text"]
    for path in sorted(HERE.glob("*.txt")):
        bodies[path.stem] = txt_body(path)
    for path in sorted(HERE.glob("*.html")):
        bodies[path.stem] = html_body(path)
    return bodies


def main() -> int:
    bodies = load_bodies()
    errors: list[str] = []
    warnings: list[str] = []
    types = Counter()
    global_ents: dict[str, tuple] = {}
    n_events = 0
    gold_files = sorted(GOLD.glob("*.json"))
    missing = set(bodies) - {p.stem for p in gold_files}
    if missing:
        errors.append(f"articles without gold: {sorted(missing)}")
    for gp in gold_files:
        g = json.loads(gp.read_text(encoding="utf-8"))
        doc_id = g["doc_id"]
        if doc_id != gp.stem:
            errors.append(f"{gp.name}: doc_id {doc_id!r} does not match file name")
        body = bodies.get(doc_id)
        if body is None:
            errors.append(f"{gp.name}: no article with id {doc_id!r}")
            continue
        if not DATE_RE.match(g["doc_date"]) or len(g["doc_date"]) != 10:
            errors.append(f"{doc_id}: bad doc_date {g['doc_date']!r}")
        ids = set()
        for e in g["entities"]:
            ids.add(e["id"])
            if e["type"] not in ENT_TYPES:
                errors.append(f"{doc_id}: entity {e['id']} bad type {e['type']}")
            key = (e["type"], e["name_en"], e["country"])
            if e["id"] in global_ents and global_ents[e["id"]] != key:
                errors.append(f"{doc_id}: entity {e['id']} inconsistent across files: {key} vs {global_ents[e['id']]}")
            global_ents[e["id"]] = key
            for m in e["mentions"]:
                if m not in body:
                    errors.append(f"{doc_id}: mention of {e['id']} not in text: {m!r}")
        for k, ev in enumerate(g["events"]):
            n_events += 1
            where = f"{doc_id} event {k} ({ev['type']})"
            types[ev["type"]] += 1
            if ev["type"] not in PLOVER:
                errors.append(f"{where}: unknown type")
            if ev["status"] not in STATUS:
                errors.append(f"{where}: bad status {ev['status']!r}")
            if ev["date_precision"] not in PRECISION:
                errors.append(f"{where}: bad precision {ev['date_precision']!r}")
            if (ev["date"] is None) != (ev["date_precision"] is None):
                errors.append(f"{where}: date/precision mismatch")
            if ev["date"] is not None and not DATE_RE.match(ev["date"]):
                errors.append(f"{where}: bad date {ev['date']!r}")
            for x in ev["actor"] + ev["recipient"]:
                if x not in ids:
                    errors.append(f"{where}: unknown entity {x!r}")
            if ev["location"] is not None and ev["location"] not in ids:
                errors.append(f"{where}: unknown location {ev['location']!r}")
            if ev["attribution"] not in (None, "anonymous") and ev["attribution"] not in ids:
                errors.append(f"{where}: unknown attribution {ev['attribution']!r}")
            if not ev["evidence"]:
                errors.append(f"{where}: no evidence")
            for s in ev["evidence"]:
                if s not in body:
                    errors.append(f"{where}: evidence not in text: {s!r}")
                elif not 30 <= len(s) <= 200:
                    warnings.append(f"{where}: evidence length {len(s)}")
            for q in ev["quantities"]:
                if q["text"] not in body:
                    errors.append(f"{where}: quantity text not in text: {q['text']!r}")
        for s in g["framing"]:
            if s not in body:
                errors.append(f"{doc_id}: framing not in text: {s!r}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    absent = PLOVER - set(types)
    print(f"{len(gold_files)} documents, {n_events} events, {len(global_ents)} distinct entities")
    print("per type:", dict(sorted(types.items())))
    if absent:
        print("ERROR: categories not covered:", sorted(absent))
    ok = not errors and not absent
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
