"""Serialise a Doc as the record of spec/record-format.md — the one place records are written.

Every key is always present: absent scalars are ``null``, absent lists ``[]``.
"""

from __future__ import annotations

from typing import Any

from marsad.doc import Argument, Attribution, Doc, Entity, Event, Quantity

FORMAT_VERSION = 1


def to_record(doc: Doc) -> dict[str, Any]:
    d = doc.document
    rec: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "url": d.url,
        "outlet": d.outlet,
        "date": d.date,
        "date_source": d.date_source or "none",
        "text": d.text,
        "sentences": [[s, e] for s, e in doc.sentences],
        "entities": [_entity(e) for e in doc.entities],
        "events": [_event(e, doc.sentences) for e in doc.events],
        "framing": [
            {"start": s.start, "end": s.end, "text": s.text, "kind": s.label or "loaded-term"}
            for s in doc.framing
        ],
        "warnings": list(d.warnings) + list(doc.warnings),
        "framing_summary": doc.summaries.get("framing"),
    }
    if d.removed:
        rec["cleaning"] = list(d.removed)
    if d.meta:
        rec["meta"] = dict(d.meta)
    if d.source:
        rec["source"] = d.source
    rec["format_version"] = FORMAT_VERSION
    return rec


def _entity(e: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.id,
        "type": e.type,
        "name": e.name,
        "name_en": e.name_en,
        "country": e.country,
        "sector": e.sector,
        "roles": list(e.roles),
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
    }
    if e.role_details:
        out["role_details"] = [dict(r) for r in e.role_details]
    out["wikidata"] = e.wikidata
    if e.resolution:
        out["resolution"] = list(e.resolution)
    return out


def _arg(a: Argument | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"entity": a.entity, "text": a.text, "country": a.country, "sector": a.sector}


def _qty(q: Quantity) -> dict[str, Any]:
    value: float | int = q.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return {"value": value, "unit": q.unit, "text": q.text, "start": q.start, "end": q.end,
            "approx": q.approx}


def _attribution(a: Attribution | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"entity": a.entity, "text": a.text, "kind": a.kind}


def _event(ev: Event, sentences: list[tuple[int, int]]) -> dict[str, Any]:
    loc = _arg(ev.event_loc)
    if loc is not None:
        loc.pop("sector", None)
    if 0 <= ev.sentence < len(sentences):
        sent_start, sent_end = sentences[ev.sentence]
    else:
        sent_start, sent_end = ev.trigger.start, ev.trigger.end
    return {
        "id": ev.id,
        "event": ev.event,
        "mode": ev.mode,
        "context": list(ev.context),
        "cameo": ev.cameo,
        "actor": [_arg(a) for a in ev.actor],
        "recipient": [_arg(a) for a in ev.recipient],
        "date": ev.date,
        "date_precision": ev.date_precision,
        "event_loc": loc,
        "quantities": [_qty(q) for q in ev.quantities],
        "status": ev.status,
        "attribution": _attribution(ev.attribution),
        "trigger": {"start": ev.trigger.start, "end": ev.trigger.end, "text": ev.trigger.text},
        "text_info": {"sentence": ev.sentence, "start": sent_start, "end": sent_end},
        "evidence": [{"sentence": s, "start": a, "end": b} for s, a, b in ev.evidence],
        "confidence": round(ev.confidence, 3),
    }
