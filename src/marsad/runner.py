"""Run the pipeline over inputs: the one loop behind ``marsad extract``, ``marsad ingest``, the
API and the tests.  Errors become results (never exceptions) so a batch always goes through."""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.doc import Document
from marsad.ingest.readers import IngestError, content_hash, read_inputs
from marsad.pipeline import Pipeline
from marsad.records import to_record


@dataclass
class Result:
    """One input's outcome: a record, an error, or a skipped duplicate."""

    document: Document | None = None
    record: dict[str, Any] | None = None
    error: IngestError | None = None
    duplicate_of: str | None = None


def process(inputs: Iterable[str | Path], pipeline: Pipeline | None = None, doc_date: str | None = None,
            workers: int = 1, components: list[str] | None = None) -> Iterator[Result]:
    """Read, extract and serialise every input, in input order.

    Exact duplicates are reported, not redone.  With ``workers > 1`` documents are extracted in a
    pool of processes, each building the pipeline once; input is read in bounded windows so
    memory stays flat however large the corpus is.
    """
    items = _dedup(read_inputs(inputs, doc_date=doc_date))
    with batch_collector():
        if workers <= 1:
            pipe = pipeline or Pipeline(components)
            for res in items:
                yield res if res.error or res.duplicate_of else extract_one(pipe, res.document)
            return
        yield from _parallel(items, workers, pipeline or Pipeline(components))


BATCH_GC_THRESHOLD = 100_000  # objects that survive before the collector runs (Python's default: 700)


@contextlib.contextmanager
def batch_collector() -> Iterator[None]:
    """The cyclic garbage collector set for a batch of documents, and restored afterwards.

    Why: a document's objects are freed by reference counting once its record is made, but the
    collector, started every 700 surviving allocations, kept walking them, and now and then the
    whole heap of loaded models: about 1 ms per article.  During a batch what is already loaded
    is frozen out of collections, and the collector starts only after ``BATCH_GC_THRESHOLD``
    objects have survived (cycles are still collected, in larger and rarer rounds)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def extract_one(pipeline: Pipeline, document: Document) -> Result:
    """Run the pipeline on one document; an exception becomes an error result naming it."""
    try:
        return Result(document=document, record=to_record(pipeline(document)))
    except Exception as exc:  # one bad document must not stop the batch
        return Result(document=document, error=IngestError(
            document.source or document.id, f"extraction failed: {type(exc).__name__}: {exc}"))


def _dedup(items: Iterable[Document | IngestError]) -> Iterator[Result]:
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, IngestError):
            yield Result(error=item)
            continue
        h = content_hash(item.text)
        if h in seen:
            yield Result(document=item, duplicate_of=seen[h])
            continue
        seen[h] = item.id
        yield Result(document=item)


_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(pipeline: Pipeline | None, components: list[str]) -> None:
    """Worker start: a forked worker inherits the parent's built pipeline; a spawned one builds it."""
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline if pipeline is not None else Pipeline(components)


def _work(document: Document) -> tuple[dict[str, Any] | None, IngestError | None]:
    """Only the record (or error) travels back: the parent still has the document."""
    assert _WORKER_PIPELINE is not None
    res = extract_one(_WORKER_PIPELINE, document)
    return res.record, res.error


_WARMUP_TEXT = ("قال وزير الخارجية الأمريكي في بيان يوم الأحد 12 مارس 2023 إن الولايات المتحدة ستقدم "
                "مساعدات بقيمة 3 مليارات دولار، فيما أعلنت مصادر مطلعة أن الرئيس زار القاهرة أمس.")


def warm_up(pipeline: Pipeline) -> None:
    """Run one small document before forking, so lexicons and regexes that components load lazily
    are loaded once in the parent and shared (copy-on-write) instead of once per worker."""
    with contextlib.suppress(Exception):  # a failing warm-up only costs the workers the lazy loads
        pipeline(Document(id="warmup", text=_WARMUP_TEXT, date="2023-03-13", date_source="metadata"))


def _parallel(items: Iterator[Result], workers: int, pipeline: Pipeline,
              window_per_worker: int = 64) -> Iterator[Result]:
    """Extract in a process pool over bounded windows of documents, preserving input order.

    Double-buffered: window k+1 is queued before the results of window k are handed back, so the
    workers never wait for the parent (reading, the caller's writing) at a window boundary; at most
    two windows are in flight, so memory stays flat.
    """
    import multiprocessing as mp

    forking = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork") if forking else mp.get_context("spawn")
    window = workers * window_per_worker
    if forking:
        warm_up(pipeline)
    init = (pipeline if forking else None, pipeline.names)
    # the forked workers' collector then never touches (and copies) the inherited heap; the
    # batch's collector settings (process) unfreeze it in the parent at the end
    gc.freeze()
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=init)
    with pool:
        previous: tuple[list[Result], Any] | None = None
        pending: list[Result] = []
        for res in items:
            pending.append(res)
            if len(pending) >= window:
                submitted = _submit(pool, pending, workers)
                if previous is not None:
                    yield from _collect(*previous)
                previous, pending = submitted, []
        if pending:
            submitted = _submit(pool, pending, workers)
            if previous is not None:
                yield from _collect(*previous)
            previous = submitted
        if previous is not None:
            yield from _collect(*previous)


def _submit(pool: Any, pending: list[Result], workers: int) -> tuple[list[Result], Any]:
    todo = [r.document for r in pending if r.error is None and r.duplicate_of is None]
    return pending, pool.map_async(_work, todo, chunksize=max(1, len(todo) // (workers * 4)))


def _collect(pending: list[Result], job: Any) -> Iterator[Result]:
    done = iter(job.get())
    for r in pending:
        if r.error is not None or r.duplicate_of is not None:
            yield r
            continue
        record, error = next(done)
        yield Result(document=r.document, record=record, error=error)


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
        names = {}
        for e in rec.get("entities", []):
            self.entity_types[e["type"]] += 1
            names[e["id"]] = f"{e['name']} · {e['name_en']}" if e.get("name_en") else e["name"]
        for ev in rec.get("events", []):
            self.event_types[ev["event"]] += 1
            for a in ev.get("actor", []):
                # count resolved actors; arguments without an entity are only descriptions
                if a.get("entity"):
                    self.actors[names.get(a["entity"], a["entity"])] += 1
