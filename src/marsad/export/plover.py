"""PLOVER event JSONL: one corpus event per line, in PLOVER's field names.

Mapping (PLOVER / POLECAT name <- marsad corpus event):

=================  ==========================================================================
``id``             corpus event id
``date``           event date (YYYY[-MM[-DD]]); ``date_precision`` day | month | season | year
``event_type``     PLOVER category (``event``);  ``mode``, ``context`` as extracted
``actor``          Latin name of the first actor (Arabic when none); ``actor_country`` ISO3,
                   ``actor_sector`` CAMEO-style sector, ``actor_id`` marsad entity id
``recipient``      the same for the first recipient (``recipient_country`` …)
``actors``         every actor ``[{id, name, name_en, country, sector}]``; ``recipients`` likewise
``location``       ``{id, name, name_en, country}`` of the event place or null
``quantities``     ``[{value, unit, text}]``
``status``         asserted | planned | negated | hypothetical (marsad extension)
``cameo``          CAMEO code (PLOVER keeps a CAMEO cross-walk)
``event_text``     the evidence sentence of the first report; ``event_anchor`` its trigger words
``url``, ``publisher``, ``story_date``, ``headline``   of the first report
``num_mentions``, ``num_sources``, ``num_documents``    corroboration counts
``sources``        every report ``[{doc_id, url, publisher, date, sentence, text}]``
``contradictions`` ``[{field, values: [{value, doc_ids}]}]`` (marsad extension)
=================  ==========================================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.store.corpus import Corpus


def _party(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p.get("id"),
        "name": p.get("name"),
        "name_en": p.get("name_en"),
        "country": p.get("country"),
        "sector": p.get("sector"),
    }


def plover_events(corpus: Corpus) -> Iterator[dict[str, Any]]:
    for summary in corpus.all_events():
        e = corpus.event(summary["id"]) or summary
        mentions = e.get("mentions") or []
        first = mentions[0] if mentions else {}
        a = e["actors"][0] if e["actors"] else {}
        r = e["recipients"][0] if e["recipients"] else {}
        yield {
            "id": e["id"],
            "date": e.get("date"),
            "date_precision": e.get("date_precision"),
            "event_type": e["event"],
            "mode": e.get("mode"),
            "context": e.get("context") or [],
            "actor": a.get("name_en") or a.get("name"),
            "actor_country": a.get("country"),
            "actor_sector": a.get("sector"),
            "actor_id": a.get("id"),
            "recipient": r.get("name_en") or r.get("name"),
            "recipient_country": r.get("country"),
            "recipient_sector": r.get("sector"),
            "recipient_id": r.get("id"),
            "actors": [_party(x) for x in e["actors"]],
            "recipients": [_party(x) for x in e["recipients"]],
            "location": e.get("location"),
            "quantities": e.get("quantities") or [],
            "status": e.get("status"),
            "cameo": e.get("cameo"),
            "event_text": first.get("text"),
            "event_anchor": (first.get("trigger") or {}).get("text"),
            "url": first.get("url"),
            "publisher": first.get("outlet"),
            "story_date": first.get("date"),
            "headline": first.get("doc_title"),
            "num_mentions": e["n_mentions"],
            "num_sources": e["n_sources"],
            "num_documents": e["n_documents"],
            "sources": [
                {
                    "doc_id": m["doc_id"],
                    "url": m.get("url"),
                    "publisher": m.get("outlet"),
                    "date": m.get("date"),
                    "sentence": m.get("sentence"),
                    "text": m.get("text"),
                }
                for m in mentions
            ],
            "contradictions": e.get("contradictions") or [],
        }


def export_plover(corpus: Corpus, out: Path) -> Path:
    with out.open("w", encoding="utf-8") as fh:
        for ev in plover_events(corpus):
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
    return out
