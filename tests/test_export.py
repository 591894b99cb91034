"""Exports read back with the libraries their users would use: csv, pyarrow, networkx, json."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.export import run_export
from marsad.export.gdelt import COLUMNS, goldstein
from marsad.export.tables import ENTITY_COLUMNS, EVENT_COLUMNS
from test_corpus import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("export") / "x.db")


def _mobilize(rows, key="event"):
    return max(
        (r for r in rows if r[key] == "MOBILIZE"),
        key=lambda r: int(r.get("n_documents") or r.get("num_documents") or 0),
    )


def test_plover_jsonl(db, tmp_path):
    out = run_export(db, "plover-jsonl", tmp_path / "e.jsonl")[0]
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(events) == 5
    m = _mobilize(events, "event_type")
    assert m["actor_country"] == "TUR" and m["recipient"] == "Qatar" and m["recipient_country"] == "QAT"
    assert m["num_sources"] == 2 and len(m["sources"]) == 3 and m["contradictions"]
    assert m["event_text"] and m["url"].startswith("https://") and m["publisher"]
    assert {"id", "date", "event_type", "mode", "context", "location", "quantities"} <= m.keys()


def test_gdelt_tsv_columns(db, tmp_path):
    out = run_export(db, "gdelt-tsv", tmp_path / "e.tsv")[0]
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 5 and all(len(r) == 61 for r in rows)
    by_code = {r[26]: r for r in sorted(rows, key=lambda r: int(r[33]))}  # column 27: EventCode
    m = by_code["150"]  # the MOBILIZE told by three documents
    assert m[1].isdigit() and len(m[1]) == 8  # SQLDATE
    assert m[27] == "150" and m[28] == "15"  # EventBaseCode, EventRootCode
    assert m[29] == "4" and float(m[30]) == goldstein("150")[0] == -7.2  # QuadClass, GoldsteinScale
    assert m[31] == "3" and m[32] == "2" and m[33] == "3"  # NumMentions, NumSources, NumArticles
    assert m[15] == "QAT" and m[17] == "QAT"  # Actor2Code (no sector for the state), Actor2CountryCode
    assert m[45] == "QA"  # Actor2Geo_CountryCode is FIPS
    assert m[60].startswith("https://")  # SOURCEURL
    coop = by_code["062"]
    assert coop[29] == "2" and float(coop[30]) == 7.4
    header = run_export(db, "gdelt-tsv", tmp_path / "h.tsv", header=True)[0]
    first = header.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first == COLUMNS and first[26] == "EventCode" and first[30] == "GoldsteinScale"


def test_gdelt_actor_codes(db, tmp_path):
    out = run_export(db, "gdelt-tsv", tmp_path / "e.tsv")[0]
    rows = list(csv.reader(out.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    consult = next(r for r in rows if r[28] == "04")
    assert {consult[5], consult[15]} == {"TURMIL", "QATGOV"}
    assert {consult[12], consult[22]} == {"MIL", "GOV"}  # Actor1Type1Code, Actor2Type1Code
    assert consult[53] == "QA"  # ActionGeo_CountryCode of Doha


def test_csv_tables(db, tmp_path):
    paths = run_export(db, "csv", tmp_path / "events.csv")
    assert [p.name for p in paths] == ["events.csv", "events.entities.csv"]
    with paths[0].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == EVENT_COLUMNS and len(rows) == 5
    m = _mobilize(rows)
    assert m["n_sources"] == "2" and m["has_contradiction"] == "True"
    with paths[1].open(encoding="utf-8-sig", newline="") as fh:
        ents = list(csv.DictReader(fh))
    assert list(ents[0].keys()) == ENTITY_COLUMNS
    assert any(e["name"] == "خلوصي أكار" for e in ents)


def test_parquet_tables(db, tmp_path):
    paths = run_export(db, "parquet", tmp_path / "events.parquet")
    t = pq.read_table(paths[0])
    assert t.column_names == EVENT_COLUMNS and t.num_rows == 5
    rows = t.to_pylist()
    m = _mobilize(rows)
    assert m["n_sources"] == 2 and m["has_contradiction"] is True and m["score"] == -7.0
    assert pq.read_table(paths[1]).num_rows >= 6


def test_graphml(db, tmp_path):
    out = run_export(db, "graphml", tmp_path / "g.graphml")[0]
    g = nx.read_graphml(out)
    assert g.is_directed()
    assert g.nodes["turkey"]["name"] == "تركيا" and g.nodes["qatar"]["country"] == "QAT"
    e = g.edges["turkey", "qatar"]
    assert e["events"] == 3 and e["score"] == pytest.approx((6.0 - 7.0 - 7.0) / 3, abs=1e-3)


def test_cli_export_and_resolve(db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["resolve", "--db", str(db)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "cli.tsv"
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt-tsv", "-o", str(out), "--header"])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("GLOBALEVENTID\tSQLDATE")
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "xml", "-o", str(out)])
    assert r.exit_code == 2
