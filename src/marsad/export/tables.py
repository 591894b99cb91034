"""Flat tables of the corpus for spreadsheets and dataframes: CSV (``csv`` module) and Parquet
(``pyarrow``).

``events``: one row per corpus event; list-valued fields are joined with ``|`` (ids, names,
countries) so each cell is a plain value.  ``entities``: one row per entity.  Both share their
column lists (:data:`EVENT_COLUMNS`, :data:`ENTITY_COLUMNS`) so the two formats agree.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from marsad.store.corpus import Corpus

EVENT_COLUMNS = [
    "id",
    "event",
    "mode",
    "cameo",
    "context",
    "date",
    "date_precision",
    "status",
    "score",
    "actor_ids",
    "actor_names",
    "actor_names_en",
    "actor_countries",
    "recipient_ids",
    "recipient_names",
    "recipient_names_en",
    "recipient_countries",
    "location_id",
    "location_name",
    "location_country",
    "quantities",
    "n_mentions",
    "n_documents",
    "n_sources",
    "has_contradiction",
    "first_doc_id",
    "first_sentence",
    "evidence",
]
ENTITY_COLUMNS = ["id", "name", "name_en", "type", "country", "sector", "mentions", "documents", "events"]
NUMERIC = {
    "score": float,
    "n_mentions": int,
    "n_documents": int,
    "n_sources": int,
    "first_sentence": int,
    "mentions": int,
    "documents": int,
    "events": int,
}


def _join(values: list[Any]) -> str:
    return "|".join("" if v is None else str(v) for v in values)


def event_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """The events table as dicts (values typed; lists joined with '|')."""
    rows = []
    for e in corpus.all_events():
        loc = e.get("location") or {}
        fe = e.get("first_evidence") or {}
        rows.append(
            {
                "id": e["id"],
                "event": e["event"],
                "mode": e.get("mode"),
                "cameo": e.get("cameo"),
                "context": _join(e.get("context") or []),
                "date": e.get("date"),
                "date_precision": e.get("date_precision"),
                "status": e.get("status"),
                "score": e.get("score"),
                "actor_ids": _join([a["id"] for a in e["actors"]]),
                "actor_names": _join([a["name"] for a in e["actors"]]),
                "actor_names_en": _join([a.get("name_en") for a in e["actors"]]),
                "actor_countries": _join([a.get("country") for a in e["actors"]]),
                "recipient_ids": _join([a["id"] for a in e["recipients"]]),
                "recipient_names": _join([a["name"] for a in e["recipients"]]),
                "recipient_names_en": _join([a.get("name_en") for a in e["recipients"]]),
                "recipient_countries": _join([a.get("country") for a in e["recipients"]]),
                "location_id": loc.get("id"),
                "location_name": loc.get("name"),
                "location_country": loc.get("country"),
                "quantities": _join(
                    [f"{q.get('value')} {q.get('unit') or ''}".strip() for q in e.get("quantities") or []]
                ),
                "n_mentions": e["n_mentions"],
                "n_documents": e["n_documents"],
                "n_sources": e["n_sources"],
                "has_contradiction": bool(e["has_contradiction"]),
                "first_doc_id": fe.get("doc_id"),
                "first_sentence": fe.get("sentence"),
                "evidence": fe.get("text"),
            }
        )
    return rows


def entity_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """The entities table as dicts."""
    out: list[dict[str, Any]] = []
    offset = 0
    while batch := corpus.entities(limit=1000, offset=offset):
        out += [{k: r.get(k) for k in ENTITY_COLUMNS} for r in batch]
        offset += len(batch)
    return out


def write_csv(rows: list[dict[str, Any]], columns: list[str], path: Path) -> None:
    """UTF-8 with BOM so that spreadsheet programs open Arabic correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        w.writerows({k: ("" if r.get(k) is None else r.get(k)) for k in columns} for r in rows)


def write_parquet(rows: list[dict[str, Any]], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for c in columns:
        typ = (
            pa.bool_()
            if c == "has_contradiction"
            else (
                pa.float64()
                if NUMERIC.get(c) is float
                else pa.int64()
                if NUMERIC.get(c) is int
                else pa.string()
            )
        )
        fields.append(pa.field(c, typ))
    schema = pa.schema(fields)
    table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)
    pq.write_table(table, path)


def export_tables(corpus: Corpus, out: Path, fmt: str = "csv", entities: bool = True) -> list[Path]:
    """Write the events table to ``out`` and, when ``entities``, the entities table beside it
    (``<stem>.entities.<ext>``).  Returns the paths written."""
    write = write_csv if fmt == "csv" else write_parquet
    write(event_rows(corpus), EVENT_COLUMNS, out)
    paths = [out]
    if entities:
        ent = out.with_name(f"{out.stem}.entities{out.suffix or '.' + fmt}")
        write(entity_rows(corpus), ENTITY_COLUMNS, ent)
        paths.append(ent)
    return paths
