"""The JSON API: every endpoint answers, unknown ids are 404 with JSON, the schema lists every
route with its parameters, and the app is read-only unless ingest is allowed."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from marsad.serve.app import create_app
from test_corpus import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("api") / "api.db")


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def test_overview_documents_entities(client):
    ov = client.get("/api/overview").json()
    assert ov["counts"]["documents"] == 5
    docs = client.get("/api/documents", params={"limit": 2}).json()
    assert len(docs) == 2 and {"id", "title", "date", "outlet", "url", "events", "entities"} <= docs[0].keys()
    ents = client.get("/api/entities", params={"type": "PER", "country": "TUR"}).json()
    assert {e["id"] for e in ents} == {"hulusi_akar", "suleyman_soylu"}
    prof = client.get("/api/entities/hulusi_akar").json()
    assert prof["events_as_actor"] or prof["events_as_recipient"]


def test_events_event_dyad_search(client):
    evs = client.get("/api/events", params={"category": "MOBILIZE", "country": "QAT"}).json()
    assert len(evs) == 2
    full = max(evs, key=lambda e: e["n_documents"])
    ev = client.get(f"/api/events/{full['id']}").json()
    assert ev["n_sources"] == 2 and ev["contradictions"] and ev["match_explanation"]
    d = client.get("/api/dyads/turkey/qatar").json()
    assert len(d["events"]) == 3 and "slope" in d["trend"]
    hits = client.get("/api/search", params={"q": "أكار", "source": "قناة الجزيرة"}).json()
    assert [h["doc_id"] for h in hits] == ["d2"]


def test_unknown_ids_are_404_json(client):
    for url in ("/api/documents/nope", "/api/entities/nope", "/api/events/nope", "/api/dyads/nope/qatar"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "detail" in r.json()


def test_bad_parameters_are_422(client):
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


def test_openapi_lists_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for p in (
        "/api/overview",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/events",
        "/api/events/{event_id}",
        "/api/dyads/{a}/{b}",
        "/api/search",
        "/api/ingest",
    ):
        assert p in paths, p
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {
        "actor",
        "category",
        "date_from",
        "date_to",
        "country",
        "status",
        "source",
        "limit",
        "offset",
    } <= params
    assert "q" in {p["name"] for p in paths["/api/search"]["get"]["parameters"]}


def test_script_comes_back_as_json_data(client):
    doc = client.get("/api/documents/d5")
    assert doc.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in doc.json()["text"]


def test_read_only_by_default(client, db):
    r = client.post("/api/ingest", content=b'{"text": "\\u0646\\u0635"}\n')
    assert r.status_code == 403
    assert "read-only" in r.json()["detail"]


def test_ingest_when_allowed(tmp_path):
    db = build_store(tmp_path / "w.db")
    line = {
        "id": "new1",
        "date": "2022-11-02",
        "outlet": "منبر",
        "text": "استقبل الرئيس التركي رجب طيب أردوغان في أنقرة أمير قطر تميم بن حمد آل ثاني.",
    }
    with TestClient(create_app(db, allow_ingest=True)) as c:
        r = c.post(
            "/api/ingest",
            content=(json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"),
            headers={"content-type": "application/x-ndjson"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["documents"] == 1
        assert c.get("/api/documents/new1").status_code == 200
        assert c.get("/api/overview").json()["counts"]["documents"] == 6
        up = {"id": "new2", "date": "2022-11-03", "text": line["text"].replace("أنقرة", "إسطنبول")}
        r = c.post("/api/ingest", files={"file": ("more.jsonl", json.dumps(up).encode("utf-8"))})
        assert r.status_code == 200, r.text
        assert c.get("/api/documents/new2").status_code == 200
        bad = c.post("/api/ingest", content=b"not json\n")
        assert bad.status_code == 400
