"""Cross-document event resolution: which record events are one act told by several documents.

Why a stage of its own: the same meeting, strike or deposit is reported by many outlets, with other
dates, figures or spellings.  :func:`corpus_events` groups record events into *corpus events*,
explains every join (same category, matching parties, compatible dates, a shared figure or place)
and lists what the sources disagree on.  It reads plain records, so the store
(:class:`marsad.store.corpus.Corpus`), ``marsad extract --events`` and the Spark runner
(``marsad.spark.runner``) all give the same answer.

Grouping never crosses categories, so a corpus can be split by category and each part clustered
on its own (that is how Spark runs it): the result is the same as one pass over everything.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.knowledge import read_tsv
from marsad.text.normalize import normalize

# Categories where "A with B" and "B with A" are the same act (meetings, agreements, cooperation).
SYMMETRIC = frozenset({"CONSULT", "AGREE", "SUPPORT", "COOPERATE"})


@lru_cache(maxsize=1)
def category_scores() -> dict[str, float]:
    """PLOVER category -> cooperation(+)/conflict(-) score, from plover.tsv's ``score`` column."""
    return {row["category"]: float(row["score"]) for row in read_tsv("plover.tsv", ["category", "score"])
            if row["score"]}


def score_of(category: str | None) -> float | None:
    return category_scores().get(category or "")


@lru_cache(maxsize=1)
def _unit_kinds() -> dict[str, str]:
    """unit -> kind (money | people | casualties | percent | count | measure) from units.tsv."""
    out: dict[str, str] = {}
    try:
        for row in read_tsv("units.tsv", ["unit", "kind"]):
            out.setdefault(row["unit"], row["kind"])
    except (OSError, ValueError):
        pass
    return out


def quantity_kind(unit: str | None) -> str:
    """What a figure measures, for comparing two sources: all people (troops, police, soldiers) are
    one kind, all money is one kind; other units (killed, tanks, agreements) are their own kind."""
    kind = _unit_kinds().get(unit or "", "")
    return kind if kind in ("people", "money", "percent") else (unit or "?")


@lru_cache(maxsize=1)
def place_gazetteer() -> Any:
    try:
        from marsad.knowledge.places import gazetteer

        return gazetteer()
    except Exception:  # noqa: BLE001 -- the corpus still works without the gazetteer
        return None


def country_entity(iso3: str | None) -> dict[str, Any] | None:
    """The GPE entity of a country (id ``turkey`` for TUR), used for arguments known only by country."""
    gz = place_gazetteer()
    c = gz.country(iso3) if gz is not None and iso3 else None
    if c is None:
        return None
    return {"id": c.id, "name": c.name_ar, "name_en": c.name_en, "type": "GPE", "country": c.iso3}


@lru_cache(maxsize=1)
def country_ids() -> frozenset[str]:
    gz = place_gazetteer()
    return frozenset(c.id for c in gz.countries()) if gz is not None else frozenset()


# -- dates ------------------------------------------------------------------------------------
def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    parts = str(value)[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        d = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}


def date_precision(value: str | None, precision: str | None) -> str | None:
    if not value:
        return None
    if precision in PRECISION_RANK:
        return precision
    n = len(str(value).split("-"))
    return {1: "year", 2: "month"}.get(n, "day")


def month_of(value: str | None, precision: str | None) -> str | None:
    """YYYY-MM of a date precise to the month or better."""
    if value and date_precision(value, precision) in ("day", "week", "month") and len(value) >= 7:
        return value[:7]
    return None


def dates_match(a: str | None, pa: str | None, b: str | None, pb: str | None) -> tuple[bool, str]:
    """Whether two dated reports can be one act: same day ±1 (day precision), within a week (week),
    same month (month), same year (season, year).  The coarser precision decides."""
    da, db = parse_date(a), parse_date(b)
    pa, pb = date_precision(a, pa), date_precision(b, pb)
    coarse = _dates_ok(da, pa, db, pb)
    if coarse is None:
        return False, "undated"
    ok = coarse[0]
    if coarse[1] == "day":
        return ok, f"dates {a} and {b} {'within' if ok else 'more than'} one day"
    if coarse[1] == "week":
        return ok, f"dates {a} and {b} {'within' if ok else 'more than'} a week"
    return ok, f"dates {a} and {b} {'in the same' if ok else 'in different'} {coarse[1]}"


def _dates_ok(da: date | None, pa: str | None, db: date | None, pb: str | None) -> tuple[bool, str] | None:
    """(compatible?, the coarser precision as a word) of two parsed dates; None if one is missing."""
    if da is None or db is None:
        return None
    coarse = max(pa or "year", pb or "year", key=lambda p: PRECISION_RANK.get(p, 4))
    if coarse == "day":
        return abs((da - db).days) <= 1, coarse
    if coarse == "week":
        return abs((da - db).days) <= 7, coarse
    if coarse == "month":
        return (da.year, da.month) == (db.year, db.month), coarse
    return da.year == db.year, "year"


# -- one event as told by one document --------------------------------------------------------
def arg_key(arg: dict[str, Any]) -> str | None:
    if arg.get("entity"):
        return str(arg["entity"])
    ce = country_entity(arg.get("country"))
    return ce["id"] if ce else None


def fmt_qty(q: dict[str, Any]) -> str:
    v = q.get("value")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v} {q.get('unit') or ''}".strip()


@dataclass
class Report:
    """One record event with what matching needs."""

    doc_id: str
    local_id: str
    ev: dict[str, Any]
    doc_date: str | None
    outlet: str | None
    title: str | None
    url: str | None
    actors: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    actor_countries: set[str] = field(default_factory=set)
    recipient_countries: set[str] = field(default_factory=set)
    sentence: str | None = None  # the text of its evidence sentence
    # what matching compares most often, computed once: the event date parsed and its precision,
    # the figures, the place key
    cat: str | None = None
    date: str | None = None
    day: date | None = None
    precision: str | None = None
    figs: frozenset[tuple[Any, str]] = frozenset()
    loc: str | None = None

    @classmethod
    def of(cls, rec: dict[str, Any], ev: dict[str, Any], sentence: bool = True) -> Report:
        it = cls(
            rec["id"],
            str(ev.get("id")),
            ev,
            rec.get("date"),
            rec.get("outlet"),
            rec.get("title"),
            rec.get("url"),
        )
        it.figs = frozenset((q.get("value"), q.get("unit") or "") for q in ev.get("quantities") or [])
        place = ev.get("event_loc") or None
        it.loc = (place.get("entity") or place.get("country") or normalize(place.get("text") or "")) if place else None
        it.cat, it.date = ev.get("event"), ev.get("date")
        it.day = parse_date(it.date)
        it.precision = date_precision(it.date, ev.get("date_precision"))
        ti = ev.get("text_info") or {}
        if sentence and rec.get("text") and ti.get("start") is not None and ti.get("end") is not None:
            it.sentence = rec["text"][ti["start"]:ti["end"]]
        for arg in ev.get("actor") or []:
            if (k := arg_key(arg)) is not None:
                it.actors.add(k)
            if arg.get("country"):
                it.actor_countries.add(arg["country"])
        for arg in ev.get("recipient") or []:
            if (k := arg_key(arg)) is not None:
                it.recipients.add(k)
            if arg.get("country"):
                it.recipient_countries.add(arg["country"])
        return it

    @property
    def source(self) -> str:
        """Independent source key: the outlet, or the document when it has none."""
        return self.outlet or f"doc:{self.doc_id}"

    @property
    def sort_date(self) -> str:
        return self.date or self.doc_date or ""


    @property
    def loc_country(self) -> str | None:
        loc = self.ev.get("event_loc") or None
        return loc.get("country") if loc else None


def _sides_match(a: set[str], ac: set[str], b: set[str], bc: set[str], required: bool) -> str | None:
    """'entity' | 'country' | 'unknown' | None (incompatible) for one side (actors or recipients)."""
    if a & b:
        return "entity"
    if ac & bc:
        return "country"
    if not (a or ac) or not (b or bc):
        return None if required else "unknown"
    return None


def match_items(a: Report, b: Report) -> tuple[bool, list[str], int]:
    """Whether two record events from different documents are one act; the reasons; a strength."""
    ev = a.cat
    if ev != b.cat or a.doc_id == b.doc_id:
        return False, [], 0
    # the cheap tests that rule most pairs out first (the same verdicts as the full test below)
    if a.date and b.date:
        if not (_dates_ok(a.day, a.precision, b.day, b.precision) or (False,))[0]:
            return False, [], 0
    elif not (a.figs & b.figs) and (a.loc is None or a.loc != b.loc):
        return False, [], 0  # an undated report needs a shared figure or place
    reasons = [f"same category {ev}"]
    strength = 0
    direct = (
        _sides_match(a.actors, a.actor_countries, b.actors, b.actor_countries, True),
        _sides_match(a.recipients, a.recipient_countries, b.recipients, b.recipient_countries, False),
    )
    if direct[0] and direct[1]:
        levels = direct
        reasons.append(f"actors match ({levels[0]}), recipients match ({levels[1]})")
    elif ev in SYMMETRIC:
        pa, pb = a.actors | a.recipients, b.actors | b.recipients
        ca, cb = a.actor_countries | a.recipient_countries, b.actor_countries | b.recipient_countries
        need_e, need_c = min(2, len(pa), len(pb)), min(2, len(ca), len(cb))
        if need_e and len(pa & pb) >= need_e:
            levels = ("entity", "entity")
        elif need_c and len(ca & cb) >= need_c:
            levels = ("country", "country")
        else:
            return False, [], 0
        reasons.append(f"the same parties in either direction ({levels[0]} level; {ev} is symmetric)")
    else:
        return False, [], 0
    strength += sum({"entity": 3, "country": 1}.get(lv, 0) for lv in levels)
    if a.loc_country and b.loc_country and a.loc_country != b.loc_country:
        return False, [], 0
    same_place = a.loc is not None and a.loc == b.loc
    if same_place:
        reasons.append(f"same place ({(a.ev.get('event_loc') or {}).get('text')})")
        strength += 2
    shared = a.figs & b.figs
    if shared:
        reasons.append(
            "same figure " + ", ".join(fmt_qty({"value": v, "unit": u}) for v, u in sorted(shared, key=str))
        )
        strength += 2
    if a.date and b.date:
        ok, why = dates_match(a.date, a.ev.get("date_precision"), b.date, b.ev.get("date_precision"))
        if not ok:
            return False, [], 0
        reasons.append(why)
        strength += 2
    else:
        # undated: only a strong match -- the same actor entity and the same figure or place
        if levels[0] != "entity" or not (shared or same_place):
            return False, [], 0
        reasons.append(
            "one report is undated: merged on the same actor, category and "
            + ("figure" if shared else "place")
        )
    return True, reasons, strength


def cluster_items(items: list[Report]) -> list[tuple[list[Report], list[str]]]:
    """Group record events into corpus events.  Greedy in date order: an event joins the strongest
    matching cluster that has no event of its own document yet (the extractor already merged within
    a document); each join is explained."""
    clusters: list[tuple[list[Report], list[str]]] = []
    docs: list[set[str]] = []  # the documents of each cluster
    # (category, party key) -> clusters: a match needs a shared entity or country, so only the
    # clusters sharing one are compared (keeps the pass near-linear on a large corpus)
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    # and by (category, party key, year of a member; None = undated): a dated report can only
    # join a cluster with a member dated in the year before, of or after it, or an undated one
    by_year: dict[tuple[str, str, int | None], set[int]] = defaultdict(set)

    def keys(it: Report) -> set[str]:
        return (it.actors | it.recipients) | {f"c:{c}" for c in it.actor_countries | it.recipient_countries}

    for it in sorted(items, key=lambda i: (i.sort_date, i.doc_id, i.local_id)):
        cat = it.ev.get("event") or ""
        best: tuple[int, int, list[str], Report] | None = None
        d = it.day
        if d is None:
            candidates = set().union(*(index.get((cat, k), set()) for k in keys(it)))
        else:
            candidates = set().union(
                *(
                    by_year.get((cat, k, y), set())
                    for k in keys(it)
                    for y in (d.year - 1, d.year, d.year + 1, None)
                )
            )
        for ci in sorted(candidates):
            if it.doc_id in docs[ci]:
                continue
            members = clusters[ci][0]
            for m in members:
                ok, reasons, strength = match_items(it, m)
                if ok and (best is None or strength > best[0]):
                    best = (strength, ci, reasons, m)
        if best is None:
            ci = len(clusters)
            clusters.append(([it], []))
            docs.append({it.doc_id})
        else:
            _, ci, reasons, m = best
            clusters[ci][0].append(it)
            docs[ci].add(it.doc_id)
            clusters[ci][1].append(
                f"{it.local_id} ({it.doc_id}) joined {m.local_id} ({m.doc_id}): " + "; ".join(reasons)
            )
        for k in keys(it):
            index[(cat, k)].add(ci)
            by_year[(cat, k, d.year if d is not None else None)].add(ci)
    return clusters


def contradictions(members: list[Report]) -> list[dict[str, Any]]:
    """Differences between sources about one corpus event: figures of the same kind, dates of the
    same precision, actor entities that cannot both be right, asserted against negated."""
    out: list[dict[str, Any]] = []
    if len({m.doc_id for m in members}) < 2:
        return out

    def add(fld: str, per_doc: dict[str, str]) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc, val in per_doc.items():
            groups[val].append(doc)
        if len(groups) > 1:
            out.append(
                {
                    "field": fld,
                    "values": [{"value": v, "doc_ids": sorted(d)} for v, d in sorted(groups.items())],
                }
            )

    kinds: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in members:
        for q in m.ev.get("quantities") or []:
            kinds[quantity_kind(q.get("unit"))][m.doc_id].add(fmt_qty(q))
    for kind, per_doc in sorted(kinds.items()):
        add(f"quantity:{kind}", {d: ", ".join(sorted(v)) for d, v in per_doc.items()})
    by_prec: dict[str, dict[str, str]] = defaultdict(dict)
    for m in members:
        if m.date:
            by_prec[date_precision(m.date, m.ev.get("date_precision")) or "year"].setdefault(m.doc_id, m.date)
    for _prec, per_doc in sorted(by_prec.items()):
        add("date", per_doc)
    countries = country_ids()
    sides: tuple[tuple[str, Callable[[Report], set[str]]], ...] = (
        ("actor", lambda m: m.actors),
        ("recipient", lambda m: m.recipients),
    )
    if members[0].ev.get("event") in SYMMETRIC:  # A meets B = B meets A: compare all parties
        sides = (("parties", lambda m: m.actors | m.recipients),)
    for side, get in sides:
        sets = {m.doc_id: get(m) - countries for m in members if get(m) - countries}
        if len(sets) > 1:
            vals = list(sets.values())
            if any(not (x & y) for i, x in enumerate(vals) for y in vals[i + 1 :]):
                add(side, {d: ", ".join(sorted(s)) for d, s in sets.items()})
    statuses = {m.doc_id: m.ev.get("status") or "asserted" for m in members}
    if {"asserted", "negated"} <= set(statuses.values()):
        add("status", statuses)
    return out


def most_common(values: Iterable[Any]) -> Any:
    c = Counter(v for v in values if v not in (None, ""))
    return c.most_common(1)[0][0] if c else None


def corpus_event(
    cid: str, members: list[Report], explanation: list[str], names: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple]]:
    evs = [m.ev for m in members]
    dated = [
        (e.get("date"), date_precision(e.get("date"), e.get("date_precision"))) for e in evs if e.get("date")
    ]
    date_val = prec = None
    if dated:
        best = min(PRECISION_RANK.get(p or "year", 4) for _, p in dated)
        date_val = most_common(d for d, p in dated if PRECISION_RANK.get(p or "year", 4) == best)
        prec = date_precision(date_val, next(p for d, p in dated if d == date_val))

    def args(role: str) -> tuple[list[dict[str, Any]], list[tuple]]:
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        rows: list[tuple] = []
        for e in evs:
            for a in e.get(role) or []:
                key = arg_key(a)
                dedup = key or normalize(a.get("text") or "")
                if dedup in seen:
                    continue
                seen.add(dedup)
                ce = (
                    names.get(a["entity"]) if a.get("entity") else country_entity(a.get("country"))
                ) or {}
                out.append(
                    {
                        "id": key,
                        "name": ce.get("name") or a.get("text"),
                        "name_en": ce.get("name_en"),
                        "country": a.get("country"),
                        "sector": a.get("sector") or ce.get("sector"),
                        "text": a.get("text"),
                    }
                )
                rows.append((key, role, a.get("country")))
        return out, rows

    actors, pa = args("actor")
    recipients, pr = args("recipient")
    locs = [e.get("event_loc") for e in evs if e.get("event_loc")]
    loc = None
    if locs:
        lk = most_common((x.get("entity") or x.get("text")) for x in locs)
        src = next(x for x in locs if (x.get("entity") or x.get("text")) == lk)
        known = names.get(src.get("entity") or "") or {}
        loc = {
            "id": src.get("entity"),
            "name": known.get("name") or src.get("text"),
            "name_en": known.get("name_en"),
            "text": src.get("text"),
            "country": src.get("country"),
        }
    qtys: dict[tuple[Any, str], dict[str, Any]] = {}
    for e in evs:
        for q in e.get("quantities") or []:
            qtys.setdefault(
                (q.get("value"), q.get("unit") or ""),
                {"value": q.get("value"), "unit": q.get("unit"), "text": q.get("text")},
            )
    statuses = Counter(e.get("status") or "asserted" for e in evs)
    status = max(statuses, key=lambda s: (statuses[s], s == "asserted"))
    cameos = Counter(e.get("cameo") for e in evs if e.get("cameo"))
    cameo = max(cameos, key=lambda c: (cameos[c], len(c))) if cameos else None
    context: list[str] = []
    for e in evs:
        context += [c for c in e.get("context") or [] if c not in context]
    category = evs[0].get("event")
    first = members[0]
    fs = first.ev.get("text_info") or {}
    contra = contradictions(members)
    mentions = []
    for m in members:
        ti = m.ev.get("text_info") or {}
        mentions.append(
            {
                "doc_id": m.doc_id,
                "doc_title": m.title,
                "outlet": m.outlet,
                "date": m.doc_date,
                "url": m.url,
                "local_id": m.local_id,
                "sentence": ti.get("sentence"),
                "start": ti.get("start"),
                "end": ti.get("end"),
                "text": None,
                "trigger": m.ev.get("trigger"),
                "quantities": m.ev.get("quantities") or [],
                "attribution": m.ev.get("attribution"),
                "status": m.ev.get("status"),
                "event_date": m.ev.get("date"),
                "evidence": m.ev.get("evidence") or ([ti] if ti else []),
                "confidence": m.ev.get("confidence"),
            }
        )
    sort_date = date_val or first.doc_date or ""
    summary = {
        "id": cid,
        "event": category,
        "mode": most_common(e.get("mode") for e in evs),
        "cameo": cameo,
        "context": context,
        "date": date_val,
        "date_precision": prec,
        "sort_date": sort_date,
        # undated events are placed at their first report; coarse dates (year) on no month
        "month": month_of(date_val, prec) if date_val else (first.doc_date or "")[:7] or None,
        "actors": actors,
        "recipients": recipients,
        "location": loc,
        "status": status,
        "quantities": list(qtys.values()),
        "score": score_of(category),
        "n_mentions": sum(max(1, len(m["evidence"])) for m in mentions),
        "n_documents": len({m.doc_id for m in members}),
        "n_sources": len({m.source for m in members}),
        "has_contradiction": bool(contra),
        "first_evidence": {
            "doc_id": first.doc_id,
            "sentence": fs.get("sentence"),
            "text": None,
            "start": fs.get("start"),
            "end": fs.get("end"),
        },
    }
    detail = {
        "mentions": mentions,
        "contradictions": contra,
        "match_explanation": explanation if len(members) > 1 else ["reported by one document only"],
    }
    loc_rows = [(loc["id"], "location", loc["country"])] if loc else []
    return summary, detail, pa + pr + loc_rows


@dataclass
class CorpusEvent:
    """One act and every report of it: the summary the workbench lists, the detail it shows (each
    mention, contradictions, why the reports were joined) and the party rows it indexes."""

    summary: dict[str, Any]
    detail: dict[str, Any]
    parties: list[tuple[Any, ...]]  # (entity id, role, country)
    members: list[Report]

    @property
    def id(self) -> str:
        return str(self.summary["id"])

    def to_dict(self) -> dict[str, Any]:
        """The corpus event as one JSON object (what ``marsad extract --events`` writes), with the
        text of every evidence sentence (the store looks those up when asked instead)."""
        mentions = [{**m, "text": r.sentence} for m, r in zip(self.detail["mentions"], self.members, strict=True)]
        first = {**self.summary["first_evidence"], "text": self.members[0].sentence}
        return {**self.summary, "first_evidence": first, **self.detail, "mentions": mentions}


def entity_name(e: dict[str, Any]) -> dict[str, Any]:
    """What corpus events show of a party: its name, Latin name and sector (from its first record)."""
    return {"name": e.get("name"), "name_en": e.get("name_en"), "sector": e.get("sector")}


def build_events(clusters: list[tuple[list[Report], list[str]]], names: dict[str, dict[str, Any]]
                 ) -> Iterator[CorpusEvent]:
    """Corpus events from clusters of reports, one at a time (a caller that stores them need not
    hold them all); a corpus event's id is its smallest local event id, so it does not depend on
    the order clusters were found in."""
    for members, explanation in clusters:
        members.sort(key=lambda m: (m.doc_date or "9999", m.doc_id, m.local_id))
        cid = min(m.local_id for m in members)
        summary, detail, parties = corpus_event(cid, members, explanation, names)
        yield CorpusEvent(summary, detail, parties, members)


def output_order(ev: CorpusEvent) -> tuple[str, str]:
    """Corpus events are written by date (undated at their first report), then id."""
    return ev.summary["sort_date"] or "", ev.id


def group_events(records: Iterable[dict[str, Any]], sentences: bool = True) -> Iterator[CorpusEvent]:
    """Group the events of (resolved) records into corpus events, yielded in no particular order.

    Holds the events of the corpus, not its texts (only, with ``sentences``, each event's evidence
    sentence, which :meth:`CorpusEvent.to_dict` writes out)."""
    names: dict[str, dict[str, Any]] = {}
    items: list[Report] = []
    for r in records:
        for e in r.get("entities") or []:
            names.setdefault(e["id"], entity_name(e))
        items.extend(Report.of(r, ev, sentences) for ev in r.get("events") or [])
    return build_events(cluster_items(items), names)


def corpus_events(records: Iterable[dict[str, Any]]) -> list[CorpusEvent]:
    """:func:`group_events` in :func:`output_order` (what ``marsad extract --events`` writes)."""
    return sorted(group_events(records), key=output_order)


def write_events(events: Iterable[CorpusEvent], path: Path) -> int:
    """Write corpus events as JSONL through a temporary file that replaces ``path`` only when
    complete (a failure never leaves half a file); returns how many were written."""
    tmp = path.with_name(path.name + ".writing")
    n = 0
    with tmp.open("w", encoding="utf-8") as out:
        for ev in events:
            out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    os.replace(tmp, path)
    return n
