"""The SQLite store: migrations, idempotent re-ingest, and no half-written batch after a kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from marsad.cli import ingest_into
from marsad.store import Store
from marsad.store.sqlite import SCHEMA_VERSION

BODY = "استقبل الرئيس المصري في القاهرة وزير الخارجية الأردني وبحثا العلاقات الثنائية رقم {n}."


def _jsonl(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"d{i:04d}", "date": "2022-01-02", "text": BODY.format(n=i)},
                                ensure_ascii=False) + "\n")
    return path


def test_schema_is_versioned_and_wal(tmp_path):
    with Store(tmp_path / "s.db") as st:
        assert st.version() == SCHEMA_VERSION
        assert st.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reingest_is_idempotent_and_updates_changed_docs(tmp_path):
    db = tmp_path / "s.db"
    src = _jsonl(tmp_path / "in.jsonl", 5)
    ingest_into(db, [str(src)], None, components="text")
    with Store(db) as st:
        first = {r["id"]: r for r in st.records()}
        n_runs = st.conn.execute("SELECT COUNT(*) FROM ingest_runs").fetchone()[0]
    assert len(first) == 5 and n_runs == 1
    ingest_into(db, [str(src)], None, components="text")
    with Store(db) as st:
        assert st.count() == 5
        row = st.conn.execute("SELECT added, updated, unchanged FROM ingest_runs ORDER BY id DESC").fetchone()
        assert tuple(row) == (0, 0, 5)
    # change one document's text: it is updated, the rest unchanged
    lines = src.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[2])
    obj["text"] += " وأضاف المتحدث أن اللقاء كان مثمرا."
    lines[2] = json.dumps(obj, ensure_ascii=False)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_into(db, [str(src)], None, components="text")
    with Store(db) as st:
        row = st.conn.execute("SELECT added, updated, unchanged FROM ingest_runs ORDER BY id DESC").fetchone()
        assert tuple(row) == (0, 1, 4)
        assert "مثمرا" in st.record("d0002")["text"]
        assert st.integrity() == []


def test_readonly_store_refuses_missing_file(tmp_path):
    import pytest

    from marsad.store import StoreError

    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "none.db", readonly=True)


SLOW_INGEST = """
import sys, time
import marsad.pipeline as p
orig = p.Pipeline.__call__
def slow(self, d):
    time.sleep(0.02)
    return orig(self, d)
p.Pipeline.__call__ = slow
from marsad.cli import ingest_into
ingest_into(sys.argv[1], [sys.argv[2]], None, batch_size=10, components="text")
"""


def test_killed_ingest_leaves_only_whole_batches(tmp_path):
    db = tmp_path / "k.db"
    src = _jsonl(tmp_path / "many.jsonl", 400)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_INGEST, str(db), str(src)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            done = con.execute("SELECT COUNT(*) FROM records").fetchone()[0]
            con.close()
        except sqlite3.Error:
            continue
        if done >= 30:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 30 <= done < 400, "the ingest should have been killed mid-way"
    with Store(db) as st:
        n = st.count()
        assert st.integrity() == []
        assert n % 10 == 0 and n >= done  # only whole batches, each document with its record
        for rec in st.records():
            assert rec["text"] and rec["sentences"]
    # a new ingest completes the job without duplicating anything
    ingest_into(db, [str(src)], None, batch_size=50, components="text")
    with Store(db) as st:
        assert st.count() == 400 and st.integrity() == []
