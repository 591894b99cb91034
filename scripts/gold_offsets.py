#!/usr/bin/env python3
"""Gold annotations over the licensed corpus, stored as character offsets.

The corpus texts (politics.jsonl) belong to their outlets, so the gold files in
gold/corpus-dev/ must not contain sentences from them: evidence and framing are
stored as [start, end) offsets into the article's ``text`` field (Python str
indices), together with the SHA-1 of that text so that any drift is detected.

Two sub-commands:

  validate  check every gold file in a folder against politics.jsonl
            python scripts/gold_offsets.py validate gold/corpus-dev \
                --corpus ../shared/corpus/politics.jsonl

  convert   turn a private working file (FORMAT.md layout, with verbatim
            "evidence" / "framing" strings) into the offset form
            python scripts/gold_offsets.py convert /tmp/annot/X.json \
                --corpus ../shared/corpus/politics.jsonl --out gold/corpus-dev

In a working file an evidence or framing item is either a string, which must
occur exactly once in the text, or {"s": "<string>", "n": k} to pick the k-th
(0-based) occurrence of a string that occurs several times.

This script embeds no article text.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ENTITY_TYPES = {"PER", "ORG", "GPE", "LOC", "FAC", "EVENT"}
SECTORS = {"GOV", "MIL", "COP", "SPY", "BUS", "MED", "LEG", "JUD", "OPP", "REB",
           "UAF", "IGO", "CVL", "NGO", "EDU", "REL", None}
EVENT_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
               "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
               "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
STATUS = {"asserted", "planned", "negated", "hypothetical"}
PRECISION = {"day", "month", "season", "year", None}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
# the length the guidelines ask for; outside it we only warn
SPAN_MIN, SPAN_MAX = 30, 200
# any run of this many characters shared by the notes and the text is an error
LEAK_WINDOW = 40


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_corpus(path: Path) -> dict[str, dict]:
    docs = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                row = json.loads(line)
                docs[row["id"]] = row
    return docs


# ---------------------------------------------------------------- convert
def locate(text: str, item, what: str) -> list[int]:
    if isinstance(item, str):
        s, n = item, None
    else:
        s, n = item["s"], item.get("n")
    starts = [m.start() for m in re.finditer(re.escape(s), text)]
    if not starts:
        raise ValueError(f"{what}: string not found: {s[:60]!r}")
    if n is None:
        if len(starts) > 1:
            raise ValueError(f"{what}: string occurs {len(starts)} times, give 'n': {s[:60]!r}")
        n = 0
    if n >= len(starts):
        raise ValueError(f"{what}: occurrence {n} requested, only {len(starts)}: {s[:60]!r}")
    return [starts[n], starts[n] + len(s)]


def convert(work_path: Path, corpus: dict, out_dir: Path) -> Path:
    work = json.loads(work_path.read_text(encoding="utf-8"))
    doc = corpus[work["doc_id"]]
    text = doc["text"]
    events = []
    for i, ev in enumerate(work["events"]):
        ev = dict(ev)
        spans = [locate(text, e, f"event {i} ({ev['type']})") for e in ev.pop("evidence")]
        out = {}
        for k, v in ev.items():
            out[k] = v
        out["evidence_spans"] = spans
        events.append(out)
    framing = [locate(text, f, "framing") for f in work.get("framing", [])]
    gold = {
        "doc_id": work["doc_id"],
        "text_source": "politics.jsonl",
        "text_sha1": sha1(text),
        "doc_date": work.get("doc_date") or doc.get("date"),
        "outlet": doc.get("outlet"),
        "entities": work["entities"],
        "events": events,
        "framing_spans": framing,
        "notes": work.get("notes", ""),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{work['doc_id']}.json"
    out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


# ---------------------------------------------------------------- validate
def check_span(span, text, where, errors, warnings):
    if (not isinstance(span, list) or len(span) != 2
            or not all(isinstance(x, int) for x in span)):
        errors.append(f"{where}: span must be [start, end] ints: {span!r}")
        return
    a, b = span
    if not (0 <= a < b <= len(text)):
        errors.append(f"{where}: span {span} outside text (len {len(text)})")
        return
    if text[a:b] != text[a:b].strip():
        warnings.append(f"{where}: span {span} starts/ends with whitespace")
    if not (SPAN_MIN <= b - a <= SPAN_MAX):
        warnings.append(f"{where}: span {span} is {b - a} chars (guideline {SPAN_MIN}-{SPAN_MAX})")


def leaks(s: str, text: str) -> list[str]:
    found = []
    i = 0
    while i + LEAK_WINDOW <= len(s):
        w = s[i:i + LEAK_WINDOW]
        if w in text:
            found.append(w)
            i += LEAK_WINDOW
        else:
            i += 1
    return found


def validate_file(path: Path, corpus: dict) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    try:
        g = json.loads(path.read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        return [f"not valid JSON: {e}"], []
    did = g.get("doc_id")
    if did not in corpus:
        return [f"doc_id {did!r} not in corpus"], []
    if path.stem != did:
        errors.append(f"file name {path.name} does not match doc_id {did}")
    text = corpus[did]["text"]
    if g.get("text_source") != "politics.jsonl":
        errors.append("text_source must be 'politics.jsonl'")
    if g.get("text_sha1") != sha1(text):
        errors.append("text_sha1 does not match the corpus text")
    if not isinstance(g.get("doc_date"), str) or not DATE_RE.match(g["doc_date"]):
        errors.append(f"doc_date invalid: {g.get('doc_date')!r}")
    for forbidden in ("evidence", "framing"):
        if forbidden in g:
            errors.append(f"top-level key {forbidden!r} not allowed (use spans)")

    ids = set()
    for j, ent in enumerate(g.get("entities", [])):
        w = f"entity {j} ({ent.get('id')})"
        eid = ent.get("id")
        if not isinstance(eid, str) or not SLUG_RE.match(eid):
            errors.append(f"{w}: id must be a lowercase latin slug")
        if eid in ids:
            errors.append(f"{w}: duplicate id")
        ids.add(eid)
        if ent.get("type") not in ENTITY_TYPES:
            errors.append(f"{w}: bad type {ent.get('type')!r}")
        if ent.get("sector") not in SECTORS:
            errors.append(f"{w}: bad sector {ent.get('sector')!r}")
        c = ent.get("country")
        if c is not None and not ISO3_RE.match(c):
            errors.append(f"{w}: bad country {c!r}")
        if not ent.get("name_en"):
            errors.append(f"{w}: name_en missing")
        if not isinstance(ent.get("roles", []), list):
            errors.append(f"{w}: roles must be a list")
        ments = ent.get("mentions")
        if not isinstance(ments, list):
            errors.append(f"{w}: mentions must be a list")
            ments = []
        elif not ments:
            # allowed only for an entity that acts in an event but is named in
            # the text only through a demonym adjective or a nominal phrase
            used = any(eid in ev.get("actor", []) + ev.get("recipient", [])
                       + [ev.get("location"), ev.get("attribution")]
                       for ev in g.get("events", []))
            if used:
                warnings.append(f"{w}: no named mention (demonym/nominal only)")
            else:
                errors.append(f"{w}: no mention and not used by any event")
        for m in ments:
            if not isinstance(m, str) or m not in text:
                errors.append(f"{w}: mention not in text: {m!r}")
        if len(set(ments)) != len(ments):
            warnings.append(f"{w}: repeated mention")

    for i, ev in enumerate(g.get("events", [])):
        w = f"event {i} ({ev.get('type')})"
        if "evidence" in ev:
            errors.append(f"{w}: 'evidence' strings not allowed, use evidence_spans")
        if ev.get("type") not in EVENT_TYPES:
            errors.append(f"{w}: bad type {ev.get('type')!r}")
        if ev.get("status") not in STATUS:
            errors.append(f"{w}: bad status {ev.get('status')!r}")
        if not isinstance(ev.get("context"), list):
            errors.append(f"{w}: context must be a list")
        for role in ("actor", "recipient"):
            lst = ev.get(role)
            if not isinstance(lst, list):
                errors.append(f"{w}: {role} must be a list")
                continue
            for a in lst:
                if a not in ids:
                    errors.append(f"{w}: {role} {a!r} is not an entity id")
            cc = ev.get(f"{role}_country")
            if not isinstance(cc, list) or not all(isinstance(x, str) and ISO3_RE.match(x) for x in cc):
                errors.append(f"{w}: {role}_country must be a list of ISO3 codes")
        if not ev.get("actor") and ev.get("type") not in {"ASSAULT"}:
            warnings.append(f"{w}: no actor")
        d, p = ev.get("date"), ev.get("date_precision")
        if d is None:
            if p is not None:
                errors.append(f"{w}: date_precision without date")
        else:
            if not isinstance(d, str) or not DATE_RE.match(d):
                errors.append(f"{w}: bad date {d!r}")
            if p not in PRECISION or p is None:
                errors.append(f"{w}: bad date_precision {p!r}")
            elif p == "day" and len(d) != 10:
                errors.append(f"{w}: precision day needs YYYY-MM-DD")
            elif p == "month" and len(d) != 7:
                errors.append(f"{w}: precision month needs YYYY-MM")
            elif p == "year" and len(d) != 4:
                errors.append(f"{w}: precision year needs YYYY")
        loc = ev.get("location")
        if loc is not None and loc not in ids:
            errors.append(f"{w}: location {loc!r} is not an entity id")
        att = ev.get("attribution")
        if att is not None and att != "anonymous" and att not in ids:
            errors.append(f"{w}: attribution {att!r} is not an entity id / 'anonymous' / null")
        for q in ev.get("quantities", []):
            if not isinstance(q.get("value"), (int, float)) or not q.get("unit"):
                errors.append(f"{w}: quantity needs numeric value and unit: {q!r}")
            if q.get("text") and q["text"] not in text:
                errors.append(f"{w}: quantity text not in document: {q['text']!r}")
        spans = ev.get("evidence_spans")
        if not isinstance(spans, list) or not spans:
            errors.append(f"{w}: evidence_spans must be a non-empty list")
            spans = []
        for s in spans:
            check_span(s, text, w, errors, warnings)

    fr = g.get("framing_spans")
    if not isinstance(fr, list):
        errors.append("framing_spans must be a list")
        fr = []
    for s in fr:
        check_span(s, text, "framing", errors, [])  # framing can be short

    for lk in leaks(g.get("notes", ""), text):
        errors.append(f"notes quote the article text: {lk!r}")
    return errors, warnings


def validate(folder: Path, corpus: dict, show_warnings: bool) -> int:
    files = sorted(folder.glob("*.json"))
    n_err = 0
    for f in files:
        errors, warnings = validate_file(f, corpus)
        n_err += len(errors)
        status = "OK " if not errors else "ERR"
        print(f"{status} {f.name}  ({len(errors)} errors, {len(warnings)} warnings)")
        for e in errors:
            print(f"     error: {e}")
        if show_warnings:
            for w in warnings:
                print(f"     warn:  {w}")
    print(f"{len(files)} files, {n_err} errors")
    return 1 if n_err or not files else 0


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent.parent
    default_corpus = here.parent / "shared" / "corpus" / "politics.jsonl"
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate")
    v.add_argument("folder", type=Path, nargs="?", default=here / "gold" / "corpus-dev")
    v.add_argument("--corpus", type=Path, default=default_corpus)
    v.add_argument("--warnings", action="store_true", help="also print warnings")
    c = sub.add_parser("convert")
    c.add_argument("work", type=Path, nargs="+")
    c.add_argument("--corpus", type=Path, default=default_corpus)
    c.add_argument("--out", type=Path, default=here / "gold" / "corpus-dev")
    args = ap.parse_args(argv)
    corpus = load_corpus(args.corpus)
    if args.cmd == "validate":
        return validate(args.folder, corpus, args.warnings)
    rc = 0
    for w in args.work:
        try:
            print("wrote", convert(w, corpus, args.out))
        except (ValueError, KeyError) as e:
            print(f"FAILED {w}: {e}", file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
