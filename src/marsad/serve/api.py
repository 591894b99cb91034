"""The JSON API of the workbench: thin FastAPI routes over :class:`marsad.store.corpus.Corpus`.

Read-only: the only writing route, ``POST /api/ingest``, answers 403 unless the app was created
with ``allow_ingest=True``.  Unknown ids answer 404 with ``{"detail": "..."}``.  Ids may contain
'/' (document ids come from paths), so id routes use the ``path`` converter.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, UploadFile

from marsad.store.corpus import Corpus

router = APIRouter(tags=["corpus"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Rows to return.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]
Actor = Annotated[str | None, Query(description="Entity id taking part as actor or recipient.")]
Category = Annotated[str | None, Query(description="PLOVER category, e.g. CONSULT.")]
DateFrom = Annotated[str | None, Query(description="YYYY[-MM[-DD]], inclusive.")]
DateTo = Annotated[str | None, Query(description="YYYY[-MM[-DD]], inclusive.")]
Country = Annotated[str | None, Query(description="ISO 3166 alpha-3 of an actor, recipient or place.")]
Status = Annotated[str | None, Query(description="asserted | planned | negated | hypothetical.")]
Source = Annotated[str | None, Query(description="Outlet name (or document id for documents without one).")]


def event_filters(actor: Actor = None, category: Category = None, date_from: DateFrom = None,
                  date_to: DateTo = None, country: Country = None, status: Status = None,
                  source: Source = None) -> dict[str, str | None]:
    """The filters shared by /events and /search, gathered once (a FastAPI dependency)."""
    return {"actor": actor, "category": category, "date_from": date_from, "date_to": date_to,
            "country": country, "status": status, "source": source}


Filters = Annotated[dict[str, str | None], Depends(event_filters)]


def corpus(request: Request) -> Corpus:
    """The app's corpus (``app.state.corpus``); the pages router reads the same one."""
    c = getattr(request.app.state, "corpus", None)
    if c is None:
        raise HTTPException(503, "no corpus attached to this app")
    return c


def _found(value: Any, what: str, key: str) -> Any:
    if value is None:
        raise HTTPException(404, f"no {what} {key!r}")
    return value


@router.get("/overview")
def overview(request: Request) -> dict[str, Any]:
    """Counts, top actors, timeline by month and category, actor network."""
    return corpus(request).overview()


@router.get("/documents")
def documents(
    request: Request,
    q: Annotated[str | None, Query(description="Words in the title or text.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Documents, newest first."""
    return corpus(request).documents(q=q, limit=limit, offset=offset)


@router.get("/documents/{doc_id:path}")
def document(request: Request, doc_id: str) -> dict[str, Any]:
    """One record with highlight spans and its corpus event ids."""
    return _found(corpus(request).document(doc_id), "document", doc_id)


@router.get("/entities")
def entities(
    request: Request,
    q: Annotated[str | None, Query(description="Any spelling, Latin name or id.")] = None,
    type: Annotated[str | None, Query(description="PER | ORG | GPE | LOC | FAC | EVENT.")] = None,
    country: Country = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Entities by number of events."""
    return corpus(request).entities(q=q, type=type, country=country, limit=limit, offset=offset)


@router.get("/entities/{entity_id:path}")
def entity(request: Request, entity_id: str) -> dict[str, Any]:
    """An entity profile: spellings, roles, events, counterparts, sources, resolution notes."""
    return _found(corpus(request).entity(entity_id), "entity", entity_id)


@router.get("/events")
def events(request: Request, filters: Filters, limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
    """Corpus events (one per real-world act, with all its reports), by date."""
    return corpus(request).events(**filters, limit=limit, offset=offset)


@router.get("/events/{event_id:path}")
def event(request: Request, event_id: str) -> dict[str, Any]:
    """A corpus event with its mentions, contradictions and merge explanation."""
    return _found(corpus(request).event(event_id), "event", event_id)


@router.get("/dyads/{a}/{b}")
def dyad(request: Request, a: str, b: str) -> dict[str, Any]:
    """Events between two entities with cooperation-conflict scores and their monthly trend."""
    c = corpus(request)
    for x in (a, b):
        _found(c.entity(x), "entity", x)
    return c.dyad(a, b)


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, description="Arabic words (normalised).")],
    filters: Filters,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Sentences containing the words, with highlight offsets and the events they evidence."""
    return corpus(request).search(q, **filters, limit=limit, offset=offset)


@router.post("/ingest")
async def ingest(request: Request, file: UploadFile | None = None) -> dict[str, Any]:
    """Ingest articles: a JSONL body (``application/x-ndjson`` or ``application/json``) or an uploaded
    file (multipart ``file``: .jsonl .json .txt .html).  403 unless the server allows ingest."""
    if not getattr(request.app.state, "allow_ingest", False):
        raise HTTPException(403, "this server is read-only; start it with --allow-ingest to accept articles")
    if file is not None:
        data = await file.read()
        suffix = Path(file.filename or "upload.jsonl").suffix or ".jsonl"
    else:
        data = await request.body()
        suffix = ".jsonl"
    if not data.strip():
        raise HTTPException(400, "empty body: send JSONL lines with a 'text' field, or upload a file")
    if suffix == ".jsonl":
        for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
            if line.strip():
                try:
                    json.loads(line)
                except json.JSONDecodeError as exc:
                    raise HTTPException(400, f"line {n}: not JSON ({exc.msg})") from None
    from marsad.cli import ingest_into

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"api-{uuid.uuid4().hex[:8]}{suffix}"  # ids derive from the name: keep unique
        path.write_bytes(data)
        c = corpus(request)
        with c._lock:  # one writer; readers of this app wait for the rebuild
            summary, failed = ingest_into(Path(request.app.state.db_path), [str(path)], doc_date=None)
    return {"documents": summary.documents, "failed": failed}
