"""The embedded store: documents and their records in one SQLite file.

WAL mode so readers (the web UI) never block an ingest; one transaction per batch so that a
killed ingest leaves every earlier batch complete and nothing of the interrupted one; the schema
is versioned (``PRAGMA user_version``) and upgraded by the ordered migrations below.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.doc import Document
from marsad.ingest.readers import content_hash

DEFAULT_DB = "marsad.db"

# (version, SQL): append new migrations; never edit one that has shipped.
MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT, url TEXT, outlet TEXT,
        date TEXT, date_source TEXT,
        text TEXT NOT NULL,
        source TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_hash ON documents(content_hash);
    CREATE INDEX documents_date ON documents(date);
    CREATE TABLE records (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        record TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ingest_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL, finished_at TEXT,
        inputs TEXT NOT NULL, added INTEGER DEFAULT 0, updated INTEGER DEFAULT 0,
        unchanged INTEGER DEFAULT 0, failed INTEGER DEFAULT 0, errors TEXT NOT NULL DEFAULT '[]'
    );
    """),
    # v2: corpus knowledge derived from all records by marsad.store.corpus.Corpus.rebuild()
    (2, """
    CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE corpus_records (doc_id TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE corpus_documents (
        id TEXT PRIMARY KEY, title TEXT, date TEXT, outlet TEXT, url TEXT,
        events INTEGER NOT NULL DEFAULT 0, entities INTEGER NOT NULL DEFAULT 0,
        sentences INTEGER NOT NULL DEFAULT 0, norm_title TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX corpus_documents_date ON corpus_documents(date);
    CREATE TABLE corpus_entities (
        id TEXT PRIMARY KEY, name TEXT, name_en TEXT, type TEXT, country TEXT, sector TEXT,
        wikidata TEXT, mentions INTEGER NOT NULL DEFAULT 0, documents INTEGER NOT NULL DEFAULT 0,
        events INTEGER NOT NULL DEFAULT 0, norm TEXT NOT NULL DEFAULT '', profile TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX corpus_entities_type ON corpus_entities(type);
    CREATE INDEX corpus_entities_country ON corpus_entities(country);
    CREATE TABLE corpus_events (
        id TEXT PRIMARY KEY, event TEXT, mode TEXT, cameo TEXT, date TEXT, date_precision TEXT,
        sort_date TEXT, month TEXT, status TEXT, score REAL,
        n_mentions INTEGER, n_documents INTEGER, n_sources INTEGER, has_contradiction INTEGER,
        summary TEXT NOT NULL, detail TEXT NOT NULL
    );
    CREATE INDEX corpus_events_event ON corpus_events(event);
    CREATE INDEX corpus_events_sort_date ON corpus_events(sort_date);
    CREATE TABLE event_parties (event_id TEXT NOT NULL, entity_id TEXT, role TEXT NOT NULL, country TEXT);
    CREATE INDEX event_parties_entity ON event_parties(entity_id);
    CREATE INDEX event_parties_event ON event_parties(event_id);
    CREATE INDEX event_parties_country ON event_parties(country);
    CREATE TABLE event_sources (event_id TEXT NOT NULL, doc_id TEXT NOT NULL, local_id TEXT, source TEXT);
    CREATE INDEX event_sources_event ON event_sources(event_id);
    CREATE INDEX event_sources_doc ON event_sources(doc_id);
    CREATE INDEX event_sources_source ON event_sources(source);
    CREATE TABLE corpus_sentences (
        rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, idx INTEGER NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL
    );
    CREATE INDEX corpus_sentences_doc ON corpus_sentences(doc_id, idx);
    CREATE TABLE sentence_events (sentence_rowid INTEGER NOT NULL, event_id TEXT NOT NULL);
    CREATE INDEX sentence_events_sentence ON sentence_events(sentence_rowid);
    CREATE VIRTUAL TABLE sentences_fts USING fts5(norm, tokenize='trigram');
    """),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


class StoreError(RuntimeError):
    pass


@dataclass
class BatchResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: BatchResult) -> BatchResult:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A marsad store file.  Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path = DEFAULT_DB, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise StoreError(f"{self.path}: no such store (run 'marsad ingest' first)")
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.row_factory = sqlite3.Row
        if not readonly:
            self.migrate()
        elif self.version() != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {self.version()}, this marsad needs "
                             f"{SCHEMA_VERSION}; open it once read-write (e.g. 'marsad ingest') to upgrade")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {current} is newer than this marsad "
                             f"({SCHEMA_VERSION}); upgrade marsad")
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.conn:  # one transaction per migration
                self.conn.executescript(f"BEGIN; {sql}; PRAGMA user_version = {version}; COMMIT;")

    # -- writing -----------------------------------------------------------------------------
    def write_batch(self, items: Iterable[tuple[Document, dict[str, Any]]], pipeline: str) -> BatchResult:
        """Store documents with their records in ONE transaction: all of the batch or none."""
        res = BatchResult()
        now = _now()
        with self.conn:
            for doc, record in items:
                h = content_hash(doc.text)
                row = self.conn.execute(
                    "SELECT d.content_hash, r.pipeline FROM documents d LEFT JOIN records r ON r.doc_id = d.id "
                    "WHERE d.id = ?", (doc.id,)).fetchone()
                if row is not None and row[0] == h and row[1] == pipeline:
                    res.unchanged += 1
                    continue
                self.conn.execute(
                    "INSERT INTO documents (id, title, url, outlet, date, date_source, text, source, meta, "
                    "content_hash, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET title=excluded.title, url=excluded.url, "
                    "outlet=excluded.outlet, date=excluded.date, date_source=excluded.date_source, "
                    "text=excluded.text, source=excluded.source, meta=excluded.meta, "
                    "content_hash=excluded.content_hash, ingested_at=excluded.ingested_at",
                    (doc.id, doc.title, doc.url, doc.outlet, doc.date, doc.date_source, doc.text,
                     doc.source, json.dumps(doc.meta, ensure_ascii=False, default=str), h, now))
                self.conn.execute(
                    "INSERT INTO records (doc_id, record, pipeline, created_at) VALUES (?,?,?,?) "
                    "ON CONFLICT(doc_id) DO UPDATE SET record=excluded.record, pipeline=excluded.pipeline, "
                    "created_at=excluded.created_at",
                    (doc.id, json.dumps(record, ensure_ascii=False), pipeline, now))
                if row is None:
                    res.added += 1
                else:
                    res.updated += 1
        return res

    def start_run(self, inputs: list[str]) -> int:
        with self.conn:
            cur = self.conn.execute("INSERT INTO ingest_runs (started_at, inputs) VALUES (?, ?)",
                                    (_now(), json.dumps(inputs, ensure_ascii=False)))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, result: BatchResult, errors: list[str]) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE ingest_runs SET finished_at=?, added=?, updated=?, unchanged=?, failed=?, errors=? "
                "WHERE id=?", (_now(), result.added, result.updated, result.unchanged, len(errors),
                               json.dumps(errors, ensure_ascii=False), run_id))

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def find_hash(self, h: str) -> str | None:
        row = self.conn.execute("SELECT id FROM documents WHERE content_hash = ? LIMIT 1", (h,)).fetchone()
        return row[0] if row else None

    def record(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT record FROM records WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def records(self) -> Iterator[dict[str, Any]]:
        """All records, streamed in id order."""
        cur = self.conn.execute("SELECT record FROM records ORDER BY doc_id")
        for (rec,) in cur:
            yield json.loads(rec)

    def integrity(self) -> list[str]:
        """Problems found: documents without a record or records without a document."""
        problems = [f"document {r[0]} has no record" for r in self.conn.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM records)")]
        problems += [f"record {r[0]} has no document" for r in self.conn.execute(
            "SELECT doc_id FROM records WHERE doc_id NOT IN (SELECT id FROM documents)")]
        ok = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            problems.append(f"sqlite integrity_check: {ok}")
        return problems
