"""The corpus knowledge layer: what the store knows across documents, and the query API the web
workbench (``marsad.serve``) and the exports read.

Why a separate layer: records are per document; an analyst asks about the corpus -- one event told
by three outlets, one minister spelled three ways, the cooperation-conflict trend of a dyad.
:meth:`Corpus.rebuild` derives those answers from all records once (schema v2 tables, see
``marsad.store.sqlite``) so that every query is a cheap read.  Interface (all dict keys exact):

- ``overview()`` -> ``{counts: {documents, sentences, entities, entities_by_type: {PER: n, ...},
  events, events_by_category: {CONSULT: n, ...}, sources}, top_actors: [{id, name, name_en, type,
  country, events}], timeline: [{month, category, count}], network: {nodes: [{id, name, name_en,
  type, country, events}], edges: [{source, target, events, score}]}, built_at}``
- ``documents(q, limit, offset)`` -> ``[{id, title, date, outlet, url, events, entities}]``
- ``document(doc_id)`` -> the (resolved) record + ``spans: [{start, end, kind, label, ref}]`` (kind:
  entity | trigger | quantity | time | framing | attribution; ref: entity id or corpus event id; spans
  may overlap, the page resolves that) + ``corpus_events: {local event id: corpus event id}``
- ``entities(q, type, country, limit, offset)`` -> ``[{id, name, name_en, type, country, sector,
  mentions, documents, events}]``
- ``entity(id)`` -> ``{id, name, name_en, type, country, sector, wikidata, mentions, documents, events,
  spellings: [{text, count}], roles: [{role, first_seen, last_seen}], events_as_actor: [corpus event],
  events_as_recipient: [corpus event], counterparts: [{id, name, name_en, events, score}],
  sources: [{outlet, documents}], resolution: [str]}`` or None
- ``events(actor, category, date_from, date_to, country, status, source, limit, offset)`` -> corpus
  events ``[{id, event, mode, cameo, context, date, date_precision, actors: [{id, name, name_en,
  country}], recipients: [...], location: {id, name, country} | None, status, quantities: [{value,
  unit, text}], score, n_mentions, n_documents, n_sources, has_contradiction, first_evidence: {doc_id,
  sentence, text}}]``
- ``event(id)`` -> corpus event + ``mentions: [{doc_id, doc_title, outlet, date, url, local_id,
  sentence, start, end, text, trigger, quantities, attribution, status}]``, ``contradictions:
  [{field, values: [{value, doc_ids}]}]``, ``match_explanation: [str]`` or None
- ``dyad(a, b)`` -> ``{a: entity summary, b: entity summary, events: [corpus event, by date],
  trend: {slope, mean_score, by_month: [{month, mean_score, count}]}}``
- ``search(q, actor, category, date_from, date_to, country, status, source, limit)`` ->
  ``[{doc_id, title, date, outlet, sentence, start, end, text, highlight: [[s, e]], events: [ids]}]``
  (highlight offsets index ``text``, the sentence)

Filters: ``actor`` an entity id; ``category`` a PLOVER category; ``date_from``/``date_to``
YYYY[-MM[-DD]] compared on the event date (or the document date when the event has none);
``country`` ISO3 of any actor, recipient or location; ``status`` asserted|planned|negated|
hypothetical; ``source`` an outlet name (or a document id for documents without outlet).

Methods are thread-safe (one lock) so one Corpus can serve a threaded web app.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

from marsad.resolve.entities import Resolution, apply, collect
from marsad.resolve.events import (
    country_entity,
    fmt_qty,
    group_events,
    most_common,
)
from marsad.store.sqlite import Store
from marsad.text.normalize import NormalizedText, normalize

F = TypeVar("F", bound=Callable[..., Any])

def _locked(fn: F) -> F:
    @wraps(fn)
    def wrapper(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return fn(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


PROFILE_MAX_EVENTS = 200  # events listed per side on a profile (the rest: /events?actor=ID)


def _least_squares_slope(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def _month_index(month: str) -> int:
    y, m = month.split("-")[:2]
    return int(y) * 12 + int(m) - 1


def trend(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Mean score per month and the least-squares slope of the monthly means against the month
    index (score points per month; > 0 means the relation is getting more cooperative)."""
    by_month: dict[str, list[float]] = defaultdict(list)
    scores: list[float] = []
    for e in events:
        if e.get("score") is None:
            continue
        scores.append(e["score"])
        if e.get("month"):
            by_month[e["month"]].append(e["score"])
    rows = [
        {"month": m, "mean_score": round(sum(v) / len(v), 3), "count": len(v)}
        for m, v in sorted(by_month.items())
    ]
    slope = _least_squares_slope([(_month_index(r["month"]), r["mean_score"]) for r in rows])
    return {
        "slope": round(slope, 4),
        "mean_score": round(sum(scores) / len(scores), 3) if scores else None,
        "by_month": rows,
    }


# -- resolution -------------------------------------------------------------------------------
def _resolution_notes(res: Resolution) -> dict[str, list[str]]:
    """Why each merged entity is one identity, one line per member (shown on its profile)."""
    per: dict[str, list[str]] = {}
    for cid in res.clusters:
        expl = res.explain(cid)
        if len(expl) > 1:
            per[str(cid)] = [f"{member}: {rule} ({score:.0f})" for member, rule, score in expl]
    return per


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _EntityStats:
    """Per-entity profile counters, folded one resolved record at a time (memory follows the
    number of entities, not of documents)."""

    def __init__(self) -> None:
        self.agg: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _new() -> dict[str, Any]:
        return {
            "names": Counter(),
            "name_en": Counter(),
            "type": Counter(),
            "country": Counter(),
            "sector": Counter(),
            "wikidata": Counter(),
            "mentions": 0,
            "docs": 0,
            "spellings": Counter(),
            "roles": {},
            "outlets": Counter(),
            "resolution": [],
        }

    def add(self, r: dict[str, Any]) -> None:
        d = r.get("date")
        seen: set[str] = set()  # an entity counts once per document
        for e in r.get("entities") or []:
            a = self.agg.get(e["id"])
            if a is None:
                a = self.agg[e["id"]] = self._new()
            a["names"][e.get("name")] += 1
            for k in ("name_en", "type", "country", "sector", "wikidata"):
                if e.get(k):
                    a[k][e[k]] += 1
            a["mentions"] += len(e.get("mentions") or [])
            for mn in e.get("mentions") or []:
                a["spellings"][mn.get("text")] += 1
            for role in e.get("roles") or []:
                lo, hi = a["roles"].get(role, (d, d))
                a["roles"][role] = (
                    min(x for x in (lo, d) if x) if (lo or d) else None,
                    max(x for x in (hi, d) if x) if (hi or d) else None,
                )
            if e["id"] not in seen:
                seen.add(e["id"])
                a["docs"] += 1
                a["outlets"][r.get("outlet") or f"doc:{r['id']}"] += 1
            a["resolution"] += [n for n in e.get("resolution") or [] if n not in a["resolution"]]

    def rows(self, parties: list[tuple[Any, ...]], notes: dict[str, list[str]]) -> list[dict[str, Any]]:
        """One corpus entity per id seen in a record or as an event party (known only by country)."""
        per_ent: dict[str, set[str]] = defaultdict(set)
        for cid, eid, role, _c in parties:
            if eid and role in ("actor", "recipient"):
                per_ent[eid].add(cid)
        out = []
        for eid in sorted(set(self.agg) | set(per_ent)):
            a = self.agg.get(eid)
            if a is None:  # known only as an event argument by country
                ce = country_entity(next((c for _, e, _, c in parties if e == eid and c), None)) or {}
                a = self._new()
                a["names"][ce.get("name") or eid] += 1
                for k in ("name_en", "type", "country"):
                    if ce.get(k):
                        a[k][ce[k]] += 1
            name = most_common(a["names"].elements()) or eid
            spellings = [{"text": t, "count": n} for t, n in _fold_elided(a["spellings"]).most_common()]
            out.append(
                {
                    "id": eid,
                    "name": name,
                    "name_en": most_common(a["name_en"].elements()),
                    "type": most_common(a["type"].elements()),
                    "country": most_common(a["country"].elements()),
                    "sector": most_common(a["sector"].elements()),
                    "wikidata": most_common(a["wikidata"].elements()),
                    "mentions": a["mentions"],
                    "documents": a["docs"],
                    "events": len(per_ent.get(eid, ())),
                    "spellings": spellings,
                    "roles": [
                        {"role": k, "first_seen": v[0], "last_seen": v[1]}
                        for k, v in sorted(a["roles"].items())
                    ],
                    "sources": [
                        {"outlet": o, "documents": n}
                        for o, n in sorted(a["outlets"].items(), key=lambda kv: -kv[1])
                    ],
                    "resolution": a["resolution"]
                    + [n for n in notes.get(eid, []) if n not in a["resolution"]],
                    "_norm": " ".join(normalize(x) for x in dict.fromkeys([name, *(s["text"] for s in spellings)]) if x)
                    + " "
                    + (most_common(a["name_en"].elements()) or "").lower()
                    + " "
                    + eid.lower(),
                }
            )
        return out


def _evidence_sentences(ev: dict[str, Any]) -> set[int]:
    """Indices of the sentences an event rests on (its evidence and its main sentence)."""
    refs = (ev.get("evidence") or []) + [ev.get("text_info") or {}]
    return {int(ref["sentence"]) for ref in refs if ref.get("sentence") is not None}


class Corpus:
    """Corpus knowledge over a :class:`Store`: derived by :meth:`rebuild`, read by the rest."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self._lock = threading.RLock()

    # -- building ----------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """What the corpus tables were built from: the records' ids, pipelines and times."""
        row = self.conn.execute(
            "SELECT COUNT(*), MAX(created_at), GROUP_CONCAT(doc_id || pipeline, '|') FROM records"
        ).fetchone()
        h = hashlib.sha1(str(row[2]).encode("utf-8")).hexdigest()[:12]
        return f"{row[0]}:{row[1]}:{h}"

    @_locked
    def is_stale(self) -> bool:
        row = self.conn.execute("SELECT value FROM corpus_meta WHERE key='fingerprint'").fetchone()
        return row is None or row[0] != self.fingerprint()

    @_locked
    def rebuild(self) -> None:
        """Derive every corpus table from all records, in one transaction (idempotent).

        Two streamed passes over the stored records, so memory follows the corpus's entities and
        events, never its texts: the first collects what cross-document resolution needs, the
        second resolves each record, stores and indexes it, and feeds it to the event grouping."""
        res = collect(self.store.records())
        stats = _EntityStats()
        # doc id -> (rowid of its sentence 0, number of sentences): a document's rowids are consecutive
        first_sentence: dict[str, tuple[int, int]] = {}
        with self.conn:
            for t in (
                "corpus_meta",
                "corpus_records",
                "corpus_documents",
                "corpus_entities",
                "corpus_events",
                "event_parties",
                "event_sources",
                "corpus_sentences",
                "sentence_events",
                "sentences_fts",
            ):
                self.conn.execute(f"DELETE FROM {t}")

            def stored(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
                for r in records:
                    self.conn.execute(
                        "INSERT INTO corpus_records VALUES (?,?)", (r["id"], json.dumps(r, ensure_ascii=False))
                    )
                    first_sentence[r["id"]] = (self._index_document(r), len(r.get("sentences") or [])
                                               or int(bool(r.get("text"))))
                    stats.add(r)
                    yield r

            parties: list[tuple[Any, ...]] = []
            sentence_events: list[tuple[int, str]] = []
            # each corpus event is written as it is built and then dropped
            for ev in group_events(stored(apply(self.store.records(), res)), sentences=False):
                s = ev.summary
                self.conn.execute(
                    "INSERT INTO corpus_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        s["id"],
                        s["event"],
                        s["mode"],
                        s["cameo"],
                        s["date"],
                        s["date_precision"],
                        s["sort_date"],
                        s["month"],
                        s["status"],
                        s["score"],
                        s["n_mentions"],
                        s["n_documents"],
                        s["n_sources"],
                        int(s["has_contradiction"]),
                        json.dumps(s, ensure_ascii=False),
                        json.dumps(ev.detail, ensure_ascii=False),
                    ),
                )
                parties.extend((ev.id, *p) for p in ev.parties)
                self.conn.executemany(
                    "INSERT INTO event_sources VALUES (?,?,?,?)",
                    [(ev.id, m.doc_id, m.local_id, m.source) for m in ev.members],
                )
                sentence_events.extend(
                    (first_sentence[m.doc_id][0] + i, ev.id)
                    for m in ev.members
                    for i in _evidence_sentences(m.ev)
                    if 0 <= i < first_sentence[m.doc_id][1]
                )
            self.conn.executemany("INSERT INTO event_parties VALUES (?,?,?,?)", parties)
            self.conn.executemany("INSERT INTO sentence_events VALUES (?,?)", sorted(sentence_events))
            self.conn.executemany(
                "INSERT INTO corpus_entities VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        e["id"],
                        e["name"],
                        e["name_en"],
                        e["type"],
                        e["country"],
                        e["sector"],
                        e["wikidata"],
                        e["mentions"],
                        e["documents"],
                        e["events"],
                        e.pop("_norm"),
                        json.dumps(e, ensure_ascii=False),
                    )
                    for e in stats.rows(parties, _resolution_notes(res))
                ),
            )
            meta = {"fingerprint": self.fingerprint(), "built_at": _now()}
            self.conn.executemany("INSERT INTO corpus_meta VALUES (?,?)", list(meta.items()))

    def _index_document(self, r: dict[str, Any]) -> int:
        """Store a document's row and its sentences (with their search index); returns the rowid of
        its first sentence (the rest follow it)."""
        text = r.get("text") or ""
        sentences = r.get("sentences") or ([[0, len(text)]] if text else [])
        first = -1
        for i, (s, e) in enumerate(sentences):
            cur = self.conn.execute(
                'INSERT INTO corpus_sentences (doc_id, idx, start, "end") VALUES (?,?,?,?)',
                (r["id"], i, s, e),
            )
            rowid = cur.lastrowid
            if i == 0:
                first = rowid
            elif rowid != first + i:
                raise RuntimeError("corpus_sentences rowids are not consecutive")
            self.conn.execute(
                "INSERT INTO sentences_fts (rowid, norm) VALUES (?, ?)", (rowid, normalize(text[s:e]))
            )
        self.conn.execute(
            "INSERT INTO corpus_documents VALUES (?,?,?,?,?,?,?,?,?)",
            (
                r["id"],
                r.get("title"),
                r.get("date"),
                r.get("outlet"),
                r.get("url"),
                len(r.get("events") or []),
                len(r.get("entities") or []),
                len(sentences),
                normalize(r.get("title") or ""),
            ),
        )
        return first

    # -- reading -----------------------------------------------------------------------------
    def _record(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT record FROM corpus_records WHERE doc_id=?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else self.store.record(doc_id)

    def _sentence_text(
        self, doc_id: str, start: int | None, end: int | None, cache: dict[str, str] | None = None
    ) -> str | None:
        if start is None or end is None:
            return None
        if cache is not None and doc_id in cache:
            text = cache[doc_id]
        else:
            row = self.conn.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
            text = row[0] if row else ""
            if cache is not None:
                cache[doc_id] = text
        return text[start:end]

    def _summaries(self, rows: Iterable[Any]) -> list[dict[str, Any]]:
        cache: dict[str, str] = {}
        out = []
        for (summary,) in rows:
            s = json.loads(summary)
            fe = s["first_evidence"]
            fe["text"] = self._sentence_text(fe["doc_id"], fe.get("start"), fe.get("end"), cache)
            out.append(s)
        return out

    @staticmethod
    def _event_filters(
        actor: str | None = None,
        category: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        status: str | None = None,
        source: str | None = None,
        alias: str = "ce",
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if actor:
            where.append(
                f"{alias}.id IN (SELECT event_id FROM event_parties WHERE entity_id=? "
                "AND role IN ('actor','recipient'))"
            )
            args.append(actor)
        if category:
            where.append(f"{alias}.event=?")
            args.append(category.upper())
        if date_from:
            where.append(f"{alias}.sort_date>=?")
            args.append(date_from)
        if date_to:
            where.append(f"{alias}.sort_date<=?")
            args.append(date_to + "~")  # '2020-07' includes '2020-07-19'
        if country:
            where.append(f"{alias}.id IN (SELECT event_id FROM event_parties WHERE country=?)")
            args.append(country.upper())
        if status:
            where.append(f"{alias}.status=?")
            args.append(status)
        if source:
            where.append(f"{alias}.id IN (SELECT event_id FROM event_sources WHERE source=? OR source=?)")
            args += [source, f"doc:{source}"]
        return where, args

    @_locked
    def overview(self, top: int = 20, max_edges: int = 300) -> dict[str, Any]:
        """Counts, top actors, the monthly timeline by category and the actor network (see module doc)."""
        q = self.conn.execute
        by_type = {
            t or "?": n
            for t, n in q(
                "SELECT type, COUNT(*) FROM corpus_entities WHERE mentions>0 "
                "GROUP BY type ORDER BY COUNT(*) DESC"
            )
        }
        by_cat = {
            c or "?": n
            for c, n in q("SELECT event, COUNT(*) FROM corpus_events GROUP BY event ORDER BY COUNT(*) DESC")
        }
        counts = {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "sentences": q("SELECT COUNT(*) FROM corpus_sentences").fetchone()[0],
            "entities": sum(by_type.values()),
            "entities_by_type": by_type,
            "events": sum(by_cat.values()),
            "events_by_category": by_cat,
            "event_mentions": q("SELECT COUNT(*) FROM event_sources").fetchone()[0],
            "sources": q(
                "SELECT COUNT(DISTINCT COALESCE(outlet, 'doc:' || id)) FROM corpus_documents"
            ).fetchone()[0],
        }
        cols = "id, name, name_en, type, country, events"
        top_actors = [
            dict(r)
            for r in q(
                f"SELECT {cols} FROM corpus_entities WHERE events>0 "
                "ORDER BY events DESC, mentions DESC, id LIMIT ?",
                (top,),
            )
        ]
        timeline = [
            {"month": m, "category": c, "count": n}
            for m, c, n in q(
                "SELECT month, event, COUNT(*) FROM corpus_events WHERE month IS NOT NULL "
                "GROUP BY month, event ORDER BY month, event"
            )
        ]
        edges = [
            {"source": a, "target": b, "events": n, "score": round(s, 3) if s is not None else None}
            for a, b, n, s in q(
                "SELECT a.entity_id, r.entity_id, COUNT(DISTINCT ce.id), AVG(ce.score) FROM event_parties a "
                "JOIN event_parties r ON r.event_id=a.event_id AND r.role='recipient' AND a.role='actor' "
                "JOIN corpus_events ce ON ce.id=a.event_id "
                "WHERE a.entity_id IS NOT NULL AND r.entity_id IS NOT NULL AND a.entity_id != r.entity_id "
                "GROUP BY a.entity_id, r.entity_id ORDER BY COUNT(DISTINCT ce.id) DESC LIMIT ?",
                (max_edges,),
            )
        ]
        ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
        nodes = self._entity_rows(ids, cols)
        built = q("SELECT value FROM corpus_meta WHERE key='built_at'").fetchone()
        return {
            "counts": counts,
            "top_actors": top_actors,
            "timeline": timeline,
            "network": {"nodes": nodes, "edges": edges},
            "built_at": built[0] if built else None,
        }

    def _entity_rows(self, ids: list[str], cols: str) -> list[dict[str, Any]]:
        out = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out += [
                dict(r)
                for r in self.conn.execute(
                    f"SELECT {cols} FROM corpus_entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            ]
        return sorted(out, key=lambda r: r["id"])

    @_locked
    def documents(self, q: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Documents newest first; ``q`` matches the title or any sentence (Arabic-normalised)."""
        where, args = "", []
        if q:
            nq = normalize(q.strip())
            where = (
                "WHERE norm_title LIKE ? OR id IN (SELECT s.doc_id FROM corpus_sentences s WHERE s.rowid IN "
                "(SELECT rowid FROM sentences_fts WHERE norm LIKE ?))"
            )
            args = [f"%{nq}%", f"%{nq}%"]
        rows = self.conn.execute(
            f"SELECT id, title, date, outlet, url, events, entities FROM corpus_documents "
            f"{where} ORDER BY date DESC, id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return [dict(r) for r in rows]

    @_locked
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """The resolved record with highlight ``spans`` and the local -> corpus event id map."""
        rec = self._record(doc_id)
        if rec is None:
            return None
        cmap = {
            lid: cid
            for lid, cid in self.conn.execute(
                "SELECT local_id, event_id FROM event_sources WHERE doc_id=?", (doc_id,)
            )
        }
        text = rec.get("text") or ""
        spans: list[dict[str, Any]] = []
        for e in rec.get("entities") or []:
            for m in e.get("mentions") or []:
                spans.append(
                    {
                        "start": m["start"],
                        "end": m["end"],
                        "kind": "entity",
                        "label": e.get("type"),
                        "ref": e["id"],
                    }
                )
        for ev in rec.get("events") or []:
            cid = cmap.get(str(ev.get("id")), ev.get("id"))
            tr = ev.get("trigger") or {}
            if tr.get("end", 0) > tr.get("start", 0):
                spans.append(
                    {
                        "start": tr["start"],
                        "end": tr["end"],
                        "kind": "trigger",
                        "label": ev.get("event"),
                        "ref": cid,
                        "event": cid,
                    }
                )
            for qt in ev.get("quantities") or []:
                if (qt.get("end") or 0) > (qt.get("start") or 0):
                    spans.append(
                        {
                            "start": qt["start"],
                            "end": qt["end"],
                            "kind": "quantity",
                            "label": fmt_qty(qt),
                            "ref": cid,
                            "event": cid,
                        }
                    )
            att = ev.get("attribution") or {}
            ti = ev.get("text_info") or {}
            if att.get("text") and ti.get("end") is not None:
                pos = text.find(att["text"], ti.get("start") or 0, ti["end"])
                if pos < 0:
                    pos = text.find(att["text"])
                if pos >= 0:
                    spans.append(
                        {
                            "start": pos,
                            "end": pos + len(att["text"]),
                            "kind": "attribution",
                            "label": att.get("kind"),
                            "ref": att.get("entity") or cid,
                            "event": cid,
                        }
                    )
        for t in rec.get("times") or []:
            if t.get("end") is not None:
                spans.append(
                    {
                        "start": t["start"],
                        "end": t["end"],
                        "kind": "time",
                        "label": t.get("value"),
                        "ref": None,
                    }
                )
        for f in rec.get("framing") or []:
            spans.append(
                {"start": f["start"], "end": f["end"], "kind": "framing", "label": f.get("kind"), "ref": None}
            )
        spans.sort(key=lambda s: (s["start"], -s["end"]))
        return {**rec, "spans": spans, "corpus_events": cmap}

    @_locked
    def entities(
        self,
        q: str | None = None,
        type: str | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Entities by number of events then mentions; ``q`` matches any spelling (normalised), the
        Latin name or the id."""
        where, args = ["1=1"], []
        if q:
            where.append("norm LIKE ?")
            args.append(f"%{normalize(q.strip()).lower()}%")
        if type:
            where.append("type=?")
            args.append(type.upper())
        if country:
            where.append("country=?")
            args.append(country.upper())
        rows = self.conn.execute(
            "SELECT id, name, name_en, type, country, sector, mentions, documents, events "
            "FROM corpus_entities "
            f"WHERE {' AND '.join(where)} ORDER BY events DESC, mentions DESC, id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return [dict(r) for r in rows]

    @_locked
    def entity(self, entity_id: str, max_events: int = PROFILE_MAX_EVENTS) -> dict[str, Any] | None:
        """An entity's profile (see module doc), or None.  Counterparts are computed from all its
        events; the two event lists keep the latest ``max_events`` each (totals in ``n_events_as_*``)."""
        row = self.conn.execute("SELECT profile FROM corpus_entities WHERE id=?", (entity_id,)).fetchone()
        if row is None:
            return None
        prof = json.loads(row[0])
        as_actor = self._summaries(
            self.conn.execute(
                "SELECT summary FROM corpus_events WHERE id IN "
                "(SELECT event_id FROM event_parties WHERE entity_id=? "
                "AND role='actor') ORDER BY sort_date, id",
                (entity_id,),
            )
        )
        as_rec = self._summaries(
            self.conn.execute(
                "SELECT summary FROM corpus_events WHERE id IN "
                "(SELECT event_id FROM event_parties WHERE entity_id=? "
                "AND role='recipient') ORDER BY sort_date, id",
                (entity_id,),
            )
        )
        counter: dict[str, list[float]] = defaultdict(list)
        for ev in as_actor:
            for r in ev["recipients"]:
                if r["id"] and r["id"] != entity_id:
                    counter[r["id"]].append(ev["score"] or 0.0)
        for ev in as_rec:
            for a in ev["actors"]:
                if a["id"] and a["id"] != entity_id:
                    counter[a["id"]].append(ev["score"] or 0.0)
        info = {r["id"]: r for r in self._entity_rows(sorted(counter), "id, name, name_en")}
        counterparts = sorted(
            (
                {
                    "id": k,
                    "name": info.get(k, {}).get("name", k),
                    "name_en": info.get(k, {}).get("name_en"),
                    "events": len(v),
                    "score": round(sum(v) / len(v), 3),
                }
                for k, v in counter.items()
            ),
            key=lambda c: (-c["events"], c["id"]),
        )
        return {
            **prof,
            "events_as_actor": as_actor[-max_events:],
            "events_as_recipient": as_rec[-max_events:],
            "n_events_as_actor": len(as_actor),
            "n_events_as_recipient": len(as_rec),
            "counterparts": counterparts,
        }

    @_locked
    def events(
        self,
        actor: str | None = None,
        category: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        status: str | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Corpus events by date, filtered (see module doc)."""
        where, args = self._event_filters(actor, category, date_from, date_to, country, status, source)
        sql = (
            "SELECT summary FROM corpus_events ce "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY ce.sort_date, ce.id LIMIT ? OFFSET ?"
        )
        return self._summaries(self.conn.execute(sql, [*args, limit, offset]))

    def all_events(self) -> list[dict[str, Any]]:
        """Every corpus event summary (for exports)."""
        with self._lock:
            return self._summaries(
                self.conn.execute("SELECT summary FROM corpus_events ORDER BY sort_date, id")
            )

    @_locked
    def event(self, event_id: str) -> dict[str, Any] | None:
        """A corpus event with its mentions, contradictions and why its reports were merged."""
        row = self.conn.execute(
            "SELECT summary, detail FROM corpus_events WHERE id=?", (event_id,)
        ).fetchone()
        if row is None:
            return None
        s = self._summaries([(row[0],)])[0]
        d = json.loads(row[1])
        cache: dict[str, str] = {}
        for m in d["mentions"]:
            m["text"] = self._sentence_text(m["doc_id"], m.get("start"), m.get("end"), cache)
        return {**s, **d}

    @_locked
    def dyad(self, a: str, b: str) -> dict[str, Any]:
        """Events between two entities (either direction) with scores and the score trend."""
        evs = self._summaries(
            self.conn.execute(
                "SELECT summary FROM corpus_events WHERE id IN (SELECT x.event_id FROM event_parties x "
                "JOIN event_parties y ON x.event_id=y.event_id WHERE x.entity_id=? AND y.entity_id=? "
                "AND x.role IN ('actor','recipient') AND y.role IN ('actor','recipient')) "
                "ORDER BY sort_date, id",
                (a, b),
            )
        )
        cols = "id, name, name_en, type, country, sector, mentions, documents, events"
        info = {r["id"]: r for r in self._entity_rows([a, b], cols)}
        for e in evs:
            e["direction"] = (
                "a->b"
                if any(x["id"] == a for x in e["actors"]) and any(x["id"] == b for x in e["recipients"])
                else "b->a"
                if any(x["id"] == b for x in e["actors"]) and any(x["id"] == a for x in e["recipients"])
                else "mutual"
            )
        return {
            "a": info.get(a) or {"id": a},
            "b": info.get(b) or {"id": b},
            "events": evs,
            "trend": trend(evs),
        }

    @_locked
    def search(
        self,
        q: str,
        actor: str | None = None,
        category: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        status: str | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Sentences containing every word of ``q`` after Arabic normalisation (so أكار finds آكار,
        and a word inside a clitic-joined form is found: trigram FTS5 matches substrings).

        Event filters (actor, category, country, status) keep sentences that are evidence of a
        matching corpus event; date and source filters apply to the document."""
        terms = [t for t in normalize(q or "").split() if t]
        if not terms:
            return []
        long_terms = [t for t in terms if len(t) >= 3]
        where: list[str] = []
        args: list[Any] = []
        if long_terms:
            where.append("cs.rowid IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)")
            args.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for t in terms:
            if len(t) < 3:
                where.append("cs.rowid IN (SELECT rowid FROM sentences_fts WHERE norm LIKE ?)")
                args.append(f"%{t}%")
        if date_from:
            where.append("d.date>=?")
            args.append(date_from)
        if date_to:
            where.append("d.date<=?")
            args.append(date_to + "~")
        if source:
            where.append("(d.outlet=? OR (d.outlet IS NULL AND d.id=?))")
            args += [source, source.removeprefix("doc:")]
        ev_where, ev_args = self._event_filters(actor, category, None, None, country, status, None)
        if ev_where:
            where.append(
                "cs.rowid IN (SELECT se.sentence_rowid FROM sentence_events se JOIN corpus_events ce "
                f"ON ce.id=se.event_id WHERE {' AND '.join(ev_where)})"
            )
            args += ev_args
        rows = self.conn.execute(
            'SELECT cs.rowid, cs.doc_id, cs.idx, cs.start, cs."end", d.title, d.date, d.outlet, doc.text '
            "FROM corpus_sentences cs JOIN corpus_documents d ON d.id=cs.doc_id "
            "JOIN documents doc ON doc.id=cs.doc_id "
            f"WHERE {' AND '.join(where)} ORDER BY d.date DESC, cs.doc_id, cs.idx LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        out = []
        for rowid, doc_id, idx, s, e, title, d, outlet, text in rows:
            sent = text[s:e]
            nt = NormalizedText.of(sent)
            hl: list[list[int]] = []
            for t in terms:
                pos = nt.norm.find(t)
                while pos >= 0:
                    hl.append(list(nt.span_to_orig(pos, pos + len(t))))
                    pos = nt.norm.find(t, pos + len(t))
            evs = [
                r[0]
                for r in self.conn.execute(
                    "SELECT event_id FROM sentence_events WHERE sentence_rowid=?", (rowid,)
                )
            ]
            out.append(
                {
                    "doc_id": doc_id,
                    "title": title,
                    "date": d,
                    "outlet": outlet,
                    "sentence": idx,
                    "start": s,
                    "end": e,
                    "text": sent,
                    "highlight": sorted(hl),
                    "events": evs,
                }
            )
        return out


def _fold_elided(counts: Counter[str]) -> Counter[str]:
    """"للسعودية" gives the mention "لسعودية" (ل + the article with its alef elided): count it under
    the spelling "السعودية" when that spelling is seen too, so profiles list real spellings."""
    out: Counter[str] = Counter()
    for text, n in counts.items():
        if text and text.startswith("ل") and not text.startswith("ال") and ("ا" + text) in counts:
            out["ا" + text] += n
        else:
            out[text] += n
    return out
