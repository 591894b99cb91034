"""Run the pipeline over inputs: the one loop behind ``marsad extract``, ``marsad ingest``, the
API and the tests.  Errors become results (never exceptions) so a batch always goes through."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.doc import Document
from marsad.ingest.readers import IngestError, read_inputs
from marsad.pipeline import Pipeline
from marsad.records import to_record


@dataclass
class Result:
    """One input's outcome: a record, an error, or a skipped duplicate."""

    document: Document | None = None
    record: dict[str, Any] | None = None
    error: IngestError | None = None
    duplicate_of: str | None = None


def process(inputs: Iterable[str | Path], pipeline: Pipeline, doc_date: str | None = None) -> Iterator[Result]:
    """Read, extract and serialise every input, in order; exact duplicates are reported, not redone."""
    seen: dict[str, str] = {}
    for item in read_inputs(inputs, doc_date=doc_date):
        if isinstance(item, IngestError):
            yield Result(error=item)
            continue
        h = hashlib.sha1(item.text.encode("utf-8")).hexdigest()
        if h in seen:
            yield Result(document=item, duplicate_of=seen[h])
            continue
        seen[h] = item.id
        try:
            doc = pipeline(item)
            yield Result(document=item, record=to_record(doc))
        except Exception as exc:  # one bad document must not stop the batch
            yield Result(document=item, error=IngestError(item.source or item.id,
                                                          f"extraction failed: {type(exc).__name__}: {exc}"))


@dataclass
class Summary:
    """What a batch found, for the end-of-run report."""

    documents: int = 0
    failed: int = 0
    duplicates: int = 0
    sentences: int = 0
    chars: int = 0
    entity_types: Counter[str] = field(default_factory=Counter)
    event_types: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    warnings: int = 0

    def add(self, res: Result) -> None:
        if res.error is not None:
            self.failed += 1
            return
        if res.duplicate_of is not None:
            self.duplicates += 1
            return
        rec = res.record or {}
        self.documents += 1
        self.sentences += len(rec.get("sentences", []))
        self.chars += len(rec.get("text", ""))
        self.warnings += len(rec.get("warnings", []))
        for e in rec.get("entities", []):
            self.entity_types[e["type"]] += 1
        for ev in rec.get("events", []):
            self.event_types[ev["event"]] += 1
            for a in ev.get("actor", []):
                self.actors[a.get("text") or "?"] += 1
