"""The workbench app: the JSON API under ``/api`` and, when installed, the HTML pages at ``/``.

One :class:`Corpus` per app, on ``app.state.corpus``, shared by the API and the pages.  The store
is opened read-only unless ingest is allowed, so a served store cannot be changed by accident.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from fastapi import FastAPI

from marsad import __version__
from marsad.serve.api import router as api_router
from marsad.store import Store, StoreError
from marsad.store.corpus import Corpus

log = logging.getLogger(__name__)


def prepare(db_path: str | Path) -> bool:
    """Upgrade the store's schema and rebuild stale corpus tables (a write: call it from the CLI,
    before serving).  Returns whether anything was rebuilt."""
    with Store(db_path) as store:
        corpus = Corpus(store)
        if corpus.is_stale():
            corpus.rebuild()
            return True
    return False


def create_app(db_path: str | Path, allow_ingest: bool = False) -> FastAPI:
    """The FastAPI app over the store at ``db_path``.

    Raises :class:`StoreError` when the store is missing or its schema is older than this marsad
    (run ``marsad resolve --db`` once to upgrade it)."""
    db_path = Path(db_path)
    if allow_ingest:
        store = Store(db_path)
    else:
        if not db_path.exists():
            raise StoreError(f"{db_path}: no such store (run 'marsad ingest' first)")
        store = Store(db_path, readonly=True)
    corpus = Corpus(store)
    if allow_ingest and corpus.is_stale():
        corpus.rebuild()
    app = FastAPI(
        title="marsad workbench",
        version=__version__,
        description="Arabic news → source-linked PLOVER events: documents, entities, corpus "
        "events, dyads and search over one marsad store.",
    )
    app.state.corpus = corpus
    app.state.store = store
    app.state.db_path = str(db_path)
    app.state.allow_ingest = allow_ingest
    app.include_router(api_router, prefix="/api")
    try:
        pages = importlib.import_module("marsad.serve.pages")
    except ImportError as exc:
        log.info("HTML pages not available: %s", exc)
    else:
        if getattr(pages, "router", None) is not None:
            app.include_router(pages.router)
    app.router.on_shutdown.append(store.close)
    return app
