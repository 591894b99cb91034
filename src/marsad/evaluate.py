"""Score system records against gold annotations (``marsad evaluate GOLD_DIR RECORDS``).

Gold files follow ``shared/gold-dev/FORMAT.md``.  A second variant, for corpus articles whose text may
not be copied into the repo, replaces ``evidence`` strings by ``evidence_spans`` and ``framing`` strings
by ``framing_spans`` (offsets into the *record's* text).  Every metric is micro-averaged: counts are
summed over documents before dividing.

Metric conventions (chosen so numbers are comparable across runs):

* Entity mentions: sets of (normalised surface form, type) per document, plus an untyped variant.
* Resolution: pairwise P/R over (doc, form) items whose form is found in both gold and system.
* Events: one-to-one optimal matching per document.  L1 = same PLOVER category and the system event's
  sentence is one of the gold event's evidence sentences; L2 adds actor/recipient country agreement
  (``strict`` set equality, ``lenient`` non-empty intersection or both empty, ``undirected`` equality of
  actor∪recipient); L3 adds the date at the gold precision.  Each level is matched separately, so
  L3 <= L2 <= L1 always holds.
* Attribute scores (quantities, attribution, status, mode, context) use the L1 matched pairs.
* Framing: one-to-one matching of spans; ``overlap`` needs an overlap of at least half of the shorter
  span, ``exact`` identical offsets.
* P is 1.0 when neither side has anything, 0.0 when only gold has items (and symmetrically for R).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marsad.text.normalize import NormalizedText, normalize

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC", "EVENT")
PLOVER = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
COUNTRY_VARIANTS = ("strict", "lenient", "undirected")
_PREC_LEN = {"day": 10, "month": 7, "year": 4, "season": 4}
_MATCH = 1000  # base weight of a candidate pair; bonuses below it only break ties


# --------------------------------------------------------------------------------------------- data


@dataclass
class GoldEvent:
    index: int
    type: str
    mode: str | None
    context: list[str]
    actor_country: set[str]
    recipient_country: set[str]
    date: str | None
    date_precision: str | None
    quantities: set[tuple[float, str]]
    status: str | None
    attribution: str | None
    evidence: list[str]
    evidence_spans: list[tuple[int, int]]


@dataclass
class GoldDoc:
    doc_id: str
    path: Path
    entities: list[dict[str, Any]]
    events: list[GoldEvent]
    framing: list[str]
    framing_spans: list[tuple[int, int]]
    text_source: str | None = None


@dataclass
class Report:
    """Everything ``evaluate`` measured; plain nested dicts and lists so it serialises to JSON as is."""

    n_docs: int = 0
    n_records: int = 0
    entities: dict[str, Any] = field(default_factory=dict)
    resolution: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)
    quantities: dict[str, Any] = field(default_factory=dict)
    attribution: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    framing: dict[str, Any] = field(default_factory=dict)
    missed_events: list[dict[str, Any]] = field(default_factory=list)
    spurious_events: list[dict[str, Any]] = field(default_factory=list)
    event_errors: list[dict[str, Any]] = field(default_factory=list)
    evidence_not_found: list[dict[str, Any]] = field(default_factory=list)
    missing_records: list[str] = field(default_factory=list)
    unknown_records: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict (for ``--json`` output and regression files)."""
    return asdict(report)


# ------------------------------------------------------------------------------------------ helpers


def _key(s: str) -> str:
    """Lenient comparison key: Arabic normalisation plus collapsed whitespace."""
    return " ".join(normalize(s or "").split())


def _prf(tp: int, n_sys: int, n_gold: int, tp_gold: int | None = None) -> dict[str, Any]:
    tp_gold = tp if tp_gold is None else tp_gold
    p = tp / n_sys if n_sys else (1.0 if n_gold == 0 else 0.0)
    r = tp_gold / n_gold if n_gold else (1.0 if n_sys == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "n_sys": n_sys, "n_gold": n_gold, "p": p, "r": r, "f1": f}


def _acc(correct: int, total: int) -> dict[str, Any]:
    return {"correct": correct, "total": total, "accuracy": correct / total if total else None}


def _qty_set(items: Iterable[Any]) -> set[tuple[float, str]]:
    out: set[tuple[float, str]] = set()
    for q in items or []:
        if not isinstance(q, dict):
            continue
        try:
            value = round(float(q.get("value")), 6)
        except (TypeError, ValueError):
            continue
        out.add((value, str(q.get("unit") or "").strip().lower()))
    return out


def _countries(parts: Any) -> set[str]:
    """Country codes of a system actor/recipient list (entries may be dicts or bare codes)."""
    out: set[str] = set()
    for a in parts or []:
        c = a.get("country") if isinstance(a, dict) else a
        if c:
            out.add(str(c).upper())
    return out


def _assign(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one matching (Hungarian algorithm); pairs of weight <= 0 never match.

    Written out rather than imported so the scorer needs nothing beyond the standard library.
    """
    n = len(weights)
    m = len(weights[0]) if n else 0
    if not n or not m:
        return []
    transposed = n > m
    w = [list(col) for col in zip(*weights, strict=True)] if transposed else weights
    if transposed:
        n, m = m, n
    cost = [[-max(x, 0) for x in row] for row in w]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        if p[j] and w[p[j] - 1][j - 1] > 0:
            pairs.append((j - 1, p[j] - 1) if transposed else (p[j] - 1, j - 1))
    return sorted(pairs)


def _match(n_gold: int, n_sys: int, weight: Any) -> list[tuple[int, int]]:
    """One-to-one matching of gold x system items given ``weight(i, j)`` (0 = not a candidate)."""
    return _assign([[weight(i, j) for j in range(n_sys)] for i in range(n_gold)])


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every span of ``needle`` in ``text``: exact first, then normalised (offsets mapped back),
    then normalised with flexible whitespace."""
    if not needle or not text:
        return []
    spans = []
    start = text.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    if spans:
        return spans
    nt = NormalizedText.of(text)
    key = normalize(needle)
    if key:
        start = nt.norm.find(key)
        while start >= 0:
            spans.append(nt.span_to_orig(start, start + len(key)))
            start = nt.norm.find(key, start + 1)
    if spans:
        return spans
    words = key.split()
    if words:
        pattern = re.compile(r"\s+".join(re.escape(wd) for wd in words))
        spans = [nt.span_to_orig(mt.start(), mt.end()) for mt in pattern.finditer(nt.norm)]
    return spans


def _sentences_of(span: tuple[int, int], sentences: list[tuple[int, int]]) -> set[int]:
    s, e = span
    if e <= s:
        return {i for i, (a, b) in enumerate(sentences) if a <= s < b}
    return {i for i, (a, b) in enumerate(sentences) if s < b and e > a}


def _overlap_ok(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter > 0 and inter >= 0.5 * shorter


def _date_ok(gold: str | None, precision: str | None, system: Any) -> bool:
    """System date equals the gold date at the gold precision; gold null requires system null."""
    if not gold:
        return not system
    if not system:
        return False
    gold, system = str(gold), str(system)
    n = min(_PREC_LEN.get(precision or "", len(gold)), len(gold))
    return len(system) >= n and system[:n] == gold[:n]


def _countries_ok(variant: str, ga: set[str], gr: set[str], sa: set[str], sr: set[str]) -> bool:
    if variant == "strict":
        return ga == sa and gr == sr
    if variant == "lenient":
        return all((g & s) or (not g and not s) for g, s in ((ga, sa), (gr, sr)))
    return ga | gr == sa | sr


def _attr_kind(value: Any, system: bool) -> str:
    if system:
        if not isinstance(value, dict):
            return "none"
        kind = value.get("kind")
        return kind if kind in ("named", "anonymous") else ("named" if value.get("text") else "none")
    if not value:
        return "none"
    return "anonymous" if value == "anonymous" else "named"


# ------------------------------------------------------------------------------------------ loading


def _strings(raw: Any) -> list[str]:
    """A list of strings, tolerating a bare string where a list was meant."""
    if isinstance(raw, str):
        return [raw]
    return [s for s in raw or [] if isinstance(s, str)]


def _spans(raw: Any) -> list[tuple[int, int]]:
    out = []
    for sp in raw or []:
        if isinstance(sp, (list, tuple)) and len(sp) == 2 and all(isinstance(x, int) for x in sp):
            out.append((sp[0], sp[1]))
        else:
            raise ValueError(f"bad span {sp!r}")
    return out


def _load_gold_file(path: Path) -> GoldDoc:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("doc_id"):
        raise ValueError("not a gold document (no doc_id)")
    entities = [e for e in data.get("entities") or [] if isinstance(e, dict) and e.get("id")]
    events = []
    for i, ev in enumerate(data.get("events") or []):
        if not isinstance(ev, dict) or not ev.get("type"):
            raise ValueError(f"event {i} has no type")
        events.append(
            GoldEvent(
                index=i,
                type=str(ev["type"]).upper(),
                mode=ev.get("mode"),
                context=[str(c).lower() for c in ev.get("context") or []],
                actor_country={str(c).upper() for c in ev.get("actor_country") or [] if c},
                recipient_country={str(c).upper() for c in ev.get("recipient_country") or [] if c},
                date=ev.get("date"),
                date_precision=ev.get("date_precision"),
                quantities=_qty_set(ev.get("quantities")),
                status=ev.get("status"),
                attribution=ev.get("attribution"),
                evidence=_strings(ev.get("evidence")),
                evidence_spans=_spans(ev.get("evidence_spans")),
            )
        )
    return GoldDoc(
        doc_id=str(data["doc_id"]),
        path=path,
        entities=entities,
        events=events,
        framing=_strings(data.get("framing")),
        framing_spans=_spans(data.get("framing_spans")),
        text_source=data.get("text_source"),
    )


def load_gold(gold_dirs: Path | str | list[Path] | list[str], warnings: list[str]) -> list[GoldDoc]:
    """All gold documents under the given directories (or files); bad files become warnings."""
    roots = [Path(p) for p in gold_dirs] if isinstance(gold_dirs, (list, tuple)) else [Path(gold_dirs)]
    docs: dict[str, GoldDoc] = {}
    for root in roots:
        if root.is_file():
            files = [root]
        elif root.is_dir():
            files = sorted(root.glob("*.json"))
        else:
            warnings.append(f"gold path {root} does not exist")
            continue
        for path in files:
            try:
                doc = _load_gold_file(path)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                warnings.append(f"skipped malformed gold file {path}: {exc}")
                continue
            if doc.doc_id in docs:
                warnings.append(
                    f"duplicate gold for {doc.doc_id}: {path} ignored, using {docs[doc.doc_id].path}"
                )
                continue
            docs[doc.doc_id] = doc
    _spans_to_strings(list(docs.values()), roots, warnings)
    return list(docs.values())


def _source_candidates(name: str, roots: list[Path]) -> list[Path]:
    """Where an offset-gold file's ``text_source`` may live: $MARSAD_SHARED/corpus, then a
    ``shared/corpus`` folder beside or above the gold folders, then the current directory."""
    import os

    cands = []
    if os.environ.get("MARSAD_SHARED"):
        cands.append(Path(os.environ["MARSAD_SHARED"]) / "corpus" / name)
    for root in roots:
        for up in list(root.resolve().parents)[:4]:
            cands += [up / "shared" / "corpus" / name, up.parent / "shared" / "corpus" / name]
    cands.append(Path.cwd() / name)
    return cands


def _spans_to_strings(docs: list[GoldDoc], roots: list[Path], warnings: list[str]) -> None:
    """Offset gold (spans into a corpus text we may not copy) → evidence strings, read from the
    corpus at evaluation time.  Strings survive the system's cleaning; raw offsets would not."""
    import hashlib

    by_source: dict[str, list[GoldDoc]] = {}
    for d in docs:
        if d.text_source and (d.framing_spans or any(e.evidence_spans for e in d.events)):
            by_source.setdefault(d.text_source, []).append(d)
    for source, gdocs in by_source.items():
        path = next((c for c in _source_candidates(source, roots) if c.is_file()), None)
        if path is None:
            warnings.append(f"text source {source} not found; {len(gdocs)} offset gold file(s) scored by "
                            "offsets into the record text (set MARSAD_SHARED)")
            continue
        wanted = {d.doc_id for d in gdocs}
        texts: dict[str, str] = {}
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                if str(obj.get("id")) in wanted:
                    texts[str(obj["id"])] = obj.get("text", "")
        for d in gdocs:
            text = texts.get(d.doc_id)
            if text is None:
                warnings.append(f"{d.path}: doc {d.doc_id} not in {path}")
                continue
            sha = json.loads(d.path.read_text(encoding="utf-8")).get("text_sha1")
            if sha and hashlib.sha1(text.encode("utf-8")).hexdigest() != sha:
                warnings.append(f"{d.path}: text of {d.doc_id} in {path} has changed (sha1 differs)")
                continue
            for ev in d.events:
                ev.evidence = ev.evidence + [text[a:b] for a, b in ev.evidence_spans]
                ev.evidence_spans = []
            d.framing = d.framing + [text[a:b] for a, b in d.framing_spans]
            d.framing_spans = []


def load_records(records: Path | str | Iterable[dict[str, Any]], warnings: list[str]) -> dict[str, dict]:
    """System records by id, from a JSONL file or an iterable of dicts."""
    out: dict[str, dict] = {}
    if isinstance(records, (str, Path)):
        path = Path(records)
        items: list[Any] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            warnings.append(f"cannot read records {path}: {exc}")
            lines = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                warnings.append(f"{path}:{n}: malformed JSON line skipped ({exc.msg})")
    else:
        items = list(records)
    for rec in items:
        if not isinstance(rec, dict) or rec.get("id") is None:
            warnings.append("a record without an id was skipped")
            continue
        rid = str(rec["id"])
        if rid in out:
            warnings.append(f"duplicate record id {rid}: first one kept")
            continue
        out[rid] = rec
    return out


# ------------------------------------------------------------------------------------------ scoring


@dataclass
class _SysEvent:
    index: int
    type: str
    sentence: int | None
    actor: set[str]
    recipient: set[str]
    raw: dict[str, Any]


class _Scorer:
    """Accumulates counts over documents; ``report()`` turns them into rates."""

    def __init__(self, golds: list[GoldDoc]) -> None:
        self.r = Report()
        self.c: Counter[str] = Counter()
        self.ent_type: dict[str, Counter[str]] = defaultdict(Counter)
        self.cat: dict[str, Counter[str]] = defaultdict(Counter)
        self.confusion: dict[str, Counter[str]] = defaultdict(Counter)
        self.items: list[tuple[str, str, str, str]] = []  # (doc, form, gold id, system id)
        self.gold_items: dict[str, set[tuple[str, str]]] = defaultdict(set)  # gold id -> {(doc, form)}
        # every surface form of a gold entity across the corpus (for attribution sources)
        self.gold_forms: dict[str, set[str]] = defaultdict(set)
        for g in golds:
            for e in g.entities:
                for m in e.get("mentions") or []:
                    if isinstance(m, str) and _key(m):
                        self.gold_forms[e["id"]].add(_key(m))
                        self.gold_items[e["id"]].add((g.doc_id, _key(m)))

    # -- entities
    def entities(self, g: GoldDoc, rec: dict[str, Any]) -> None:
        gold: set[tuple[str, str]] = set()
        gold_id: dict[str, str] = {}
        for e in g.entities:
            for m in e.get("mentions") or []:
                if isinstance(m, str) and _key(m):
                    gold.add((_key(m), str(e.get("type") or "").upper()))
                    gold_id.setdefault(_key(m), e["id"])
        sys: set[tuple[str, str]] = set()
        sys_ids: dict[str, Counter[str]] = defaultdict(Counter)
        for e in rec.get("entities") or []:
            if not isinstance(e, dict):
                continue
            for m in e.get("mentions") or []:
                text = m.get("text") if isinstance(m, dict) else m
                if isinstance(text, str) and _key(text):
                    sys.add((_key(text), str(e.get("type") or "").upper()))
                    sys_ids[_key(text)][str(e.get("id"))] += 1
        self.c["ent_tp"] += len(gold & sys)
        self.c["ent_sys"] += len(sys)
        self.c["ent_gold"] += len(gold)
        gu, su = {f for f, _ in gold}, {f for f, _ in sys}
        self.c["entu_tp"] += len(gu & su)
        self.c["entu_sys"] += len(su)
        self.c["entu_gold"] += len(gu)
        for t in {t for _, t in gold | sys}:
            gt, st = {x for x in gold if x[1] == t}, {x for x in sys if x[1] == t}
            self.ent_type[t]["tp"] += len(gt & st)
            self.ent_type[t]["sys"] += len(st)
            self.ent_type[t]["gold"] += len(gt)
        for form in sorted(gu & su):
            self.items.append((g.doc_id, form, gold_id[form], sys_ids[form].most_common(1)[0][0]))

    # -- events
    def events(self, g: GoldDoc, rec: dict[str, Any] | None) -> None:
        text = (rec or {}).get("text") or ""
        sentences = self._sentences(g, rec, text)
        gold_sents: list[set[int]] = []
        for ev in g.events:
            spans: list[tuple[int, int]] = []
            for s in ev.evidence:
                found = find_all(text, s)
                if not found and rec is not None:
                    self.r.evidence_not_found.append(
                        {"doc_id": g.doc_id, "file": str(g.path), "event": ev.index, "evidence": s}
                    )
                spans += found
            spans += self._checked_spans(g, ev.evidence_spans, text, rec, f"event {ev.index}")
            gold_sents.append(
                set().union(*(_sentences_of(sp, sentences) for sp in spans)) if spans else set()
            )

        sys_events = self._sys_events(rec, sentences) if rec else []
        ng, ns = len(g.events), len(sys_events)
        self.c["ev_gold"] += ng
        self.c["ev_sys"] += ns
        for ev in g.events:
            self.cat[ev.type]["gold"] += 1
        for se in sys_events:
            self.cat[se.type]["sys"] += 1

        def cand(i: int, j: int) -> bool:
            return sys_events[j].type == g.events[i].type and sys_events[j].sentence in gold_sents[i]

        def ctry(v: str, i: int, j: int) -> bool:
            ge, se = g.events[i], sys_events[j]
            return _countries_ok(v, ge.actor_country, ge.recipient_country, se.actor, se.recipient)

        def date(i: int, j: int) -> bool:
            ge = g.events[i]
            return _date_ok(ge.date, ge.date_precision, sys_events[j].raw.get("date"))

        def l1_weight(i: int, j: int) -> int:
            if not cand(i, j):
                return 0
            ge, raw = g.events[i], sys_events[j].raw
            bonus = 8 * ctry("strict", i, j) + 4 * ctry("undirected", i, j) + 4 * date(i, j)
            bonus += (ge.status == raw.get("status")) + (ge.quantities == _qty_set(raw.get("quantities")))
            return _MATCH + bonus

        l1 = _match(ng, ns, l1_weight)
        self.c["l1_tp"] += len(l1)
        for i, _j in l1:
            self.cat[g.events[i].type]["tp"] += 1
        for v in COUNTRY_VARIANTS:
            l2 = _match(ng, ns, lambda i, j, v=v: int(cand(i, j) and ctry(v, i, j)))
            l3 = _match(ng, ns, lambda i, j, v=v: int(cand(i, j) and ctry(v, i, j) and date(i, j)))
            self.c[f"l2_{v}_tp"] += len(l2)
            self.c[f"l3_{v}_tp"] += len(l3)

        for i, j in l1:
            self._attributes(g, rec or {}, g.events[i], sys_events[j])
        self._report_errors(g, text, sentences, gold_sents, sys_events, l1)

        # category confusions among what L1 left unmatched
        mg = [i for i in range(ng) if i not in {a for a, _ in l1}]
        ms = [j for j in range(ns) if j not in {b for _, b in l1}]
        conf = _match(len(mg), len(ms), lambda a, b: int(sys_events[ms[b]].sentence in gold_sents[mg[a]]))
        for a, b in conf:
            self.confusion[g.events[mg[a]].type][sys_events[ms[b]].type] += 1

        gq = set().union(*(ev.quantities for ev in g.events)) if g.events else set()
        sq = set().union(*(_qty_set(se.raw.get("quantities")) for se in sys_events)) if sys_events else set()
        self.c["qm_tp"] += len(gq & sq)
        self.c["qm_sys"] += len(sq)
        self.c["qm_gold"] += len(gq)

        self._framing(g, rec, text)

    def _sentences(self, g: GoldDoc, rec: dict[str, Any] | None, text: str) -> list[tuple[int, int]]:
        if rec is None:
            return []
        out = []
        for s in rec.get("sentences") or []:
            if isinstance(s, (list, tuple)) and len(s) >= 2:
                out.append((int(s[0]), int(s[1])))
        if not out and text:
            self.r.warnings.append(f"record {g.doc_id} has no sentences; the whole text is sentence 0")
            out = [(0, len(text))]
        return out

    def _checked_spans(
        self, g: GoldDoc, spans: list[tuple[int, int]], text: str, rec: dict[str, Any] | None, what: str
    ) -> list[tuple[int, int]]:
        """Offset-based gold spans that fit the record text (others are reported, not used)."""
        if rec is None:
            return []
        ok = []
        for s, e in spans:
            if 0 <= s <= e <= len(text):
                ok.append((s, e))
            else:
                self.r.warnings.append(
                    f"{g.path}: {what} span [{s}, {e}] lies outside record {g.doc_id} text "
                    f"(length {len(text)}; source {g.text_source or 'unknown'})"
                )
        return ok

    @staticmethod
    def _sys_events(rec: dict[str, Any], sentences: list[tuple[int, int]]) -> list[_SysEvent]:
        out = []
        for j, ev in enumerate(rec.get("events") or []):
            if not isinstance(ev, dict):
                continue
            info = ev.get("text_info") or {}
            sent = info.get("sentence") if isinstance(info, dict) else None
            if not isinstance(sent, int):
                trig = ev.get("trigger") or {}
                pos = trig.get("start") if isinstance(trig, dict) else None
                if not isinstance(pos, int) and isinstance(info, dict):
                    pos = info.get("start")
                hits = _sentences_of((pos, pos), sentences) if isinstance(pos, int) else set()
                sent = min(hits) if hits else None
            out.append(
                _SysEvent(
                    j,
                    str(ev.get("event") or ev.get("type") or "").upper(),
                    sent,
                    _countries(ev.get("actor")),
                    _countries(ev.get("recipient")),
                    ev,
                )
            )
        return out

    def _attributes(self, g: GoldDoc, rec: dict[str, Any], ge: GoldEvent, se: _SysEvent) -> None:
        raw = se.raw
        c = self.c
        c["pairs"] += 1
        sq = _qty_set(raw.get("quantities"))
        c["q_ok"] += ge.quantities == sq
        if ge.quantities or sq:
            c["q_ne"] += 1
            c["q_ne_ok"] += ge.quantities == sq
        gk, sk = _attr_kind(ge.attribution, False), _attr_kind(raw.get("attribution"), True)
        c["att_kind_ok"] += gk == sk
        if gk == "named":
            c["att_named"] += 1
            forms = self.gold_forms.get(str(ge.attribution))
            if not forms:
                self.r.warnings.append(
                    f"{g.path}: attribution '{ge.attribution}' of event {ge.index} is not a gold entity"
                )
            elif sk == "named" and self._source_ok(rec, raw.get("attribution") or {}, forms):
                c["att_src_ok"] += 1
        c["status_ok"] += ge.status == raw.get("status")
        c["mode_ok"] += (ge.mode or None) == (raw.get("mode") or None)
        gc = set(ge.context)
        sc = {str(x).lower() for x in raw.get("context") or []}
        c["ctx_ok"] += gc == sc
        c["ctx_tp"] += len(gc & sc)
        c["ctx_sys"] += len(sc)
        c["ctx_gold"] += len(gc)

    @staticmethod
    def _source_ok(rec: dict[str, Any], att: dict[str, Any], forms: set[str]) -> bool:
        """Named source agrees: its text contains a gold form of the source entity, or the system
        entity it links to has a mention equal to one (ids differ across systems, forms do not)."""
        text = _key(att.get("text") or "")
        if text and any(f in text for f in forms):
            return True
        eid = att.get("entity")
        for e in rec.get("entities") or []:
            if isinstance(e, dict) and eid is not None and e.get("id") == eid:
                names = [m.get("text") for m in e.get("mentions") or [] if isinstance(m, dict)]
                if any(_key(n or "") in forms for n in [*names, e.get("name")]):
                    return True
        return False

    def _report_errors(
        self,
        g: GoldDoc,
        text: str,
        sentences: list[tuple[int, int]],
        gold_sents: list[set[int]],
        sys_events: list[_SysEvent],
        l1: list[tuple[int, int]],
    ) -> None:
        def sent_text(i: int | None) -> str:
            if i is None or not (0 <= i < len(sentences)):
                return ""
            a, b = sentences[i]
            return text[a:b].strip()

        matched_g, matched_s = {i for i, _ in l1}, {j for _, j in l1}
        for ev in g.events:
            if ev.index in matched_g:
                continue
            sents = sorted(gold_sents[ev.index])
            self.r.missed_events.append(
                {
                    "doc_id": g.doc_id,
                    "gold_event": ev.index,
                    "type": ev.type,
                    "actor_country": sorted(ev.actor_country),
                    "recipient_country": sorted(ev.recipient_country),
                    "date": ev.date,
                    "sentences": sents,
                    "text": sent_text(sents[0]) if sents else (ev.evidence[0] if ev.evidence else ""),
                }
            )
        for se in sys_events:
            if se.index in {sys_events[j].index for j in matched_s}:
                continue
            self.r.spurious_events.append(
                {
                    "doc_id": g.doc_id,
                    "sys_event": se.index,
                    "type": se.type,
                    "actor_country": sorted(se.actor),
                    "recipient_country": sorted(se.recipient),
                    "date": se.raw.get("date"),
                    "sentence": se.sentence,
                    "text": sent_text(se.sentence),
                }
            )
        for i, j in l1:
            ge, se = g.events[i], sys_events[j]
            problems = []
            if not _countries_ok("strict", ge.actor_country, ge.recipient_country, se.actor, se.recipient):
                problems.append(
                    f"countries gold {sorted(ge.actor_country)}→{sorted(ge.recipient_country)} "
                    f"system {sorted(se.actor)}→{sorted(se.recipient)}"
                )
            if not _date_ok(ge.date, ge.date_precision, se.raw.get("date")):
                problems.append(f"date gold {ge.date} ({ge.date_precision}) system {se.raw.get('date')}")
            if problems:
                self.r.event_errors.append(
                    {
                        "doc_id": g.doc_id,
                        "gold_event": i,
                        "sys_event": se.index,
                        "type": ge.type,
                        "problems": problems,
                        "text": sent_text(se.sentence),
                    }
                )

    def _framing(self, g: GoldDoc, rec: dict[str, Any] | None, text: str) -> None:
        gold: list[list[tuple[int, int]]] = []  # each gold item: the spans it may occupy
        for s in g.framing:
            found = find_all(text, s)
            if not found and rec is not None:
                self.r.evidence_not_found.append(
                    {"doc_id": g.doc_id, "file": str(g.path), "event": None, "evidence": s, "framing": True}
                )
            gold.append(found)
        gold += [[sp] for sp in self._checked_spans(g, g.framing_spans, text, rec, "framing")]
        sys = []
        for f in (rec or {}).get("framing") or []:
            if isinstance(f, dict) and isinstance(f.get("start"), int) and isinstance(f.get("end"), int):
                sys.append((f["start"], f["end"]))
        over = _match(len(gold), len(sys), lambda i, j: int(any(_overlap_ok(sp, sys[j]) for sp in gold[i])))
        exact = _match(len(gold), len(sys), lambda i, j: int(sys[j] in gold[i]))
        self.c["fr_tp"] += len(over)
        self.c["fr_exact_tp"] += len(exact)
        self.c["fr_sys"] += len(sys)
        self.c["fr_gold"] += len(gold)

    # -- resolution
    def resolution(self) -> dict[str, Any]:
        def pairs(counter: Counter[Any]) -> int:
            return sum(n * (n - 1) // 2 for n in counter.values())

        same_gold = pairs(Counter(it[2] for it in self.items))
        same_sys = pairs(Counter(it[3] for it in self.items))
        same_both = pairs(Counter((it[2], it[3]) for it in self.items))
        prf = _prf(same_both, same_sys, same_gold)
        sys_to_gold: dict[str, set[str]] = defaultdict(set)
        for _, _, gid, sid in self.items:
            sys_to_gold[sid].add(gid)
        rows = []
        for gid, gitems in sorted(self.gold_items.items()):
            docs = {d for d, _ in gitems}
            forms = {f for _, f in gitems}
            if len(forms) < 2 and len(docs) < 2:
                continue
            found = [it for it in self.items if it[2] == gid]
            clusters = {it[3] for it in found}
            verdict = (
                "missed"
                if not found
                else "split"
                if len(clusters) > 1
                else "single"
                if len(found) == 1
                else "merged"
            )
            rows.append(
                {
                    "gold_id": gid,
                    "docs": len(docs),
                    "forms": len(forms),
                    "items": len(gitems),
                    "found": len(found),
                    "clusters": len(clusters),
                    "verdict": verdict,
                    "conflated_with": sorted(set().union(*(sys_to_gold[s] for s in clusters)) - {gid})
                    if clusters
                    else [],
                }
            )
        return {"pairs": prf, "items": len(self.items), "entities": rows}

    def report(self) -> Report:
        c, r = self.c, self.r
        r.entities = {
            "typed": _prf(c["ent_tp"], c["ent_sys"], c["ent_gold"]),
            "untyped": _prf(c["entu_tp"], c["entu_sys"], c["entu_gold"]),
            "per_type": {
                t: _prf(v["tp"], v["sys"], v["gold"])
                for t, v in sorted(self.ent_type.items(), key=lambda kv: (kv[0] not in ENTITY_TYPES, kv[0]))
            },
        }
        r.resolution = self.resolution()
        r.events = {
            "L1": _prf(c["l1_tp"], c["ev_sys"], c["ev_gold"]),
            "L2": {v: _prf(c[f"l2_{v}_tp"], c["ev_sys"], c["ev_gold"]) for v in COUNTRY_VARIANTS},
            "L3": {v: _prf(c[f"l3_{v}_tp"], c["ev_sys"], c["ev_gold"]) for v in COUNTRY_VARIANTS},
            "per_category": {
                t: _prf(v["tp"], v["sys"], v["gold"])
                for t, v in sorted(self.cat.items(), key=lambda kv: (kv[0] not in PLOVER, kv[0]))
            },
            "confusion": {gt: dict(sorted(row.items())) for gt, row in sorted(self.confusion.items())},
        }
        r.quantities = {
            "pair_accuracy": _acc(c["q_ok"], c["pairs"]),
            "pair_accuracy_nonempty": _acc(c["q_ne_ok"], c["q_ne"]),
            "mentions": _prf(c["qm_tp"], c["qm_sys"], c["qm_gold"]),
        }
        r.attribution = {
            "kind": _acc(c["att_kind_ok"], c["pairs"]),
            "named_source": _acc(c["att_src_ok"], c["att_named"]),
        }
        r.attributes = {
            "status": _acc(c["status_ok"], c["pairs"]),
            "mode": _acc(c["mode_ok"], c["pairs"]),
            "context_exact": _acc(c["ctx_ok"], c["pairs"]),
            "context_labels": _prf(c["ctx_tp"], c["ctx_sys"], c["ctx_gold"]),
        }
        r.framing = {
            "overlap": _prf(c["fr_tp"], c["fr_sys"], c["fr_gold"]),
            "exact": _prf(c["fr_exact_tp"], c["fr_sys"], c["fr_gold"]),
        }
        for miss in r.evidence_not_found:
            kind = "framing string" if miss.get("framing") else f"evidence of event {miss['event']}"
            r.warnings.append(
                f"{miss['file']}: {kind} not found in record {miss['doc_id']}: {miss['evidence'][:60]!r}"
            )
        return r


def evaluate(
    gold_dir: Path | str | list[Path] | list[str], records: Path | str | Iterable[dict[str, Any]]
) -> Report:
    """Score ``records`` against every gold document in ``gold_dir`` (one or several directories)."""
    warnings: list[str] = []
    golds = load_gold(gold_dir, warnings)
    recs = load_records(records, warnings)
    scorer = _Scorer(golds)
    scorer.r.warnings = warnings
    gold_ids = {g.doc_id for g in golds}
    for g in golds:
        rec = recs.get(g.doc_id)
        if rec is None:
            scorer.r.missing_records.append(g.doc_id)
        scorer.entities(g, rec or {})
        scorer.events(g, rec)
    r = scorer.report()
    r.n_docs = len(golds)
    r.n_records = sum(1 for g in golds if g.doc_id in recs)
    r.unknown_records = sorted(set(recs) - gold_ids)
    if not golds:
        warnings.append("no gold documents found")
    if r.missing_records:
        warnings.append(
            f"{len(r.missing_records)} gold document(s) have no record, scored as empty output: "
            + ", ".join(r.missing_records)
        )
    if r.unknown_records:
        shown = ", ".join(r.unknown_records[:10]) + (" …" if len(r.unknown_records) > 10 else "")
        warnings.append(f"{len(r.unknown_records)} record(s) have no gold and were ignored: {shown}")
    return r


# ---------------------------------------------------------------------------------------- rendering


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def render(report: Report, console: Any, verbose: bool = False) -> None:
    """Print the report as rich tables; ``verbose`` adds every missed/spurious event and entity row."""
    from rich.table import Table

    console.print(
        f"[bold]marsad evaluate[/bold]: {report.n_docs} gold documents, {report.n_records} with a record"
    )
    limit = None if verbose else 15
    for w in report.warnings[:limit]:
        console.print(f"[yellow]warning:[/yellow] {w}", markup=True, highlight=False)
    if limit is not None and len(report.warnings) > limit:
        console.print(f"[yellow]… {len(report.warnings) - limit} more warnings (use --verbose)[/yellow]")

    def prf_table(title: str, rows: list[tuple[str, dict[str, Any]]]) -> Table:
        t = Table(title=title)
        for col in ("", "TP", "sys", "gold", "P", "R", "F1"):
            t.add_column(col, justify="left" if not col else "right")
        for name, m in rows:
            t.add_row(
                name,
                str(m["tp"]),
                str(m["n_sys"]),
                str(m["n_gold"]),
                _fmt(m["p"]),
                _fmt(m["r"]),
                _fmt(m["f1"]),
            )
        return t

    ev = report.events
    summary = [
        ("entities (typed)", report.entities["typed"]),
        ("entities (untyped)", report.entities["untyped"]),
        ("resolution (pairs)", report.resolution["pairs"]),
        ("events L1", ev["L1"]),
    ]
    summary += [(f"events L2 {v}", ev["L2"][v]) for v in COUNTRY_VARIANTS]
    summary += [(f"events L3 {v}", ev["L3"][v]) for v in COUNTRY_VARIANTS]
    summary += [
        ("quantity mentions", report.quantities["mentions"]),
        ("framing (overlap)", report.framing["overlap"]),
        ("framing (exact)", report.framing["exact"]),
    ]
    console.print(prf_table("Summary (micro-averaged)", summary))
    console.print(prf_table("Entity mentions per type", list(report.entities["per_type"].items())))
    console.print(prf_table("Events L1 per category", list(ev["per_category"].items())))

    acc = Table(title="Attributes over L1-matched event pairs")
    for col in ("", "correct", "total", "accuracy"):
        acc.add_column(col, justify="left" if not col else "right")
    for name, a in [
        ("quantities (value, unit)", report.quantities["pair_accuracy"]),
        ("quantities, non-empty pairs", report.quantities["pair_accuracy_nonempty"]),
        ("attribution kind", report.attribution["kind"]),
        ("attribution named source", report.attribution["named_source"]),
        ("status", report.attributes["status"]),
        ("mode", report.attributes["mode"]),
        ("context (exact set)", report.attributes["context_exact"]),
    ]:
        acc.add_row(name, str(a["correct"]), str(a["total"]), _fmt(a["accuracy"]))
    console.print(acc)

    if ev["confusion"]:
        conf = Table(title="Category confusions (gold → system, same sentence)")
        conf.add_column("gold")
        conf.add_column("system")
        conf.add_column("n", justify="right")
        for gt, row in ev["confusion"].items():
            for st, n in row.items():
                conf.add_row(gt, st, str(n))
        console.print(conf)

    rows = report.resolution["entities"]
    shown = rows if verbose else [r for r in rows if r["verdict"] == "split" or r["conflated_with"]]
    if shown:
        t = Table(title="Cross-document entities" + ("" if verbose else " (split or conflated)"))
        for col in ("gold id", "docs", "forms", "found/items", "clusters", "verdict", "conflated with"):
            t.add_column(col)
        for r in shown:
            t.add_row(
                r["gold_id"],
                str(r["docs"]),
                str(r["forms"]),
                f"{r['found']}/{r['items']}",
                str(r["clusters"]),
                r["verdict"],
                ", ".join(r["conflated_with"]),
            )
        console.print(t)

    if verbose:

        def short(s: str) -> str:
            s = " ".join(s.split())
            return s if len(s) <= 110 else s[:107] + "…"

        for title, items in (
            ("Missed gold events", report.missed_events),
            ("Spurious system events", report.spurious_events),
        ):
            t = Table(title=f"{title} ({len(items)})")
            for col in ("doc", "#", "type", "actor→recipient", "date", "sentence"):
                t.add_column(col)
            for e in items:
                idx = e.get("gold_event", e.get("sys_event"))
                t.add_row(
                    e["doc_id"],
                    str(idx),
                    e["type"],
                    f"{','.join(e['actor_country'])}→{','.join(e['recipient_country'])}",
                    str(e["date"]),
                    short(e["text"]),
                )
            console.print(t)
        if report.event_errors:
            t = Table(title=f"L1-matched events with L2/L3 errors ({len(report.event_errors)})")
            for col in ("doc", "gold#", "sys#", "type", "problems", "sentence"):
                t.add_column(col)
            for e in report.event_errors:
                t.add_row(
                    e["doc_id"],
                    str(e["gold_event"]),
                    str(e["sys_event"]),
                    e["type"],
                    "; ".join(e["problems"]),
                    short(e["text"]),
                )
            console.print(t)
