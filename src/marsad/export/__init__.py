"""Exports for the field's tools: PLOVER JSONL, GDELT TSV, CSV, GraphML, Parquet."""

from __future__ import annotations

from pathlib import Path


def run_export(
    db: str | Path, fmt: str, out: str | Path, header: bool = False, entities: bool = True
) -> list[Path]:
    """Export the corpus of the store ``db`` in ``fmt``; returns the files written.

    Opens the store read-only when its corpus tables are current, else rebuilds them first."""
    from marsad.store import Store
    from marsad.store.corpus import Corpus

    out = Path(out)
    with Store(db) as store:
        corpus = Corpus(store)
        if corpus.is_stale():
            corpus.rebuild()
        if fmt == "plover-jsonl":
            from marsad.export.plover import export_plover

            return [export_plover(corpus, out)]
        if fmt == "gdelt-tsv":
            from marsad.export.gdelt import export_gdelt

            return [export_gdelt(corpus, out, header=header)]
        if fmt in ("csv", "parquet"):
            from marsad.export.tables import export_tables

            return export_tables(corpus, out, fmt, entities=entities)
        if fmt == "graphml":
            from marsad.export.graph import export_graphml

            return [export_graphml(corpus, out)]
    raise ValueError(f"unknown export format {fmt!r}")
