"""The HTML workbench pages, over a small store of hand-written records (no extraction model).

Checks that every page answers with the facts it should show and links each fact to its
evidence sentence, that unknown ids give 404 pages, and that untrusted article text (titles, text,
entity names) is always rendered as text, never as markup.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.doc import Document  # noqa: E402
from marsad.serve.app import create_app, prepare  # noqa: E402
from marsad.serve.pages import mark_ranges, nest_spans, paragraphs  # noqa: E402
from marsad.store import Store  # noqa: E402

XSS_TITLE = "<script>alert(1)</script> عنوان خبيث"
XSS_TAGS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>")

# id, type, Arabic name, Latin name, country, sector
ENTITIES = {
    "qatar": ("GPE", "قطر", "Qatar", "QAT", None),
    "turkey": ("GPE", "تركيا", "Turkey", "TUR", None),
    "gaza": ("GPE", "غزة", "Gaza", "PSE", None),
    "hulusi_akar": ("PER", "خلوصي أكار", "Hulusi Akar", "TUR", "MIL"),
    "evil_org": ("ORG", "جمعية <img src=x onerror=alert(1)>", "<b>bold</b> Org", "QAT", None),
}


def _sentences(text: str) -> list[list[int]]:
    """Sentence spans: split after '.', keeping offsets into ``text``."""
    out, start = [], 0
    for m in re.finditer(r"[.!؟]", text):
        out.append([start, m.end()])
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        out.append([start, len(text)])
    return out


def _party(eid: str, text: str) -> dict[str, Any]:
    typ, name, en, cc, sector = ENTITIES[eid]
    return {"entity": eid, "text": text, "country": cc, "sector": sector}


def make_record(doc_id: str, title: str, text: str, outlet: str, date: str, mentions: dict[str, list[str]],
                events: list[dict[str, Any]], framing: list[str] = ()) -> tuple[Document, dict[str, Any]]:
    """A record in the shared format with offsets found in ``text`` (so the test data stays readable)."""
    sents = _sentences(text)
    entities = []
    for eid, surfaces in mentions.items():
        typ, name, en, cc, sector = ENTITIES[eid]
        ms, pos = [], 0
        for s in surfaces:
            i = text.index(s, pos if s in text[pos:] else 0)
            ms.append({"start": i, "end": i + len(s), "text": s})
            pos = i + len(s)
        entities.append({"id": eid, "type": typ, "name": name, "name_en": en, "country": cc, "sector": sector,
                         "roles": ["وزير الدفاع التركي"] if eid == "hulusi_akar" else [], "mentions": ms,
                         "wikidata": "Q312722" if eid == "hulusi_akar" else None})
    evs = []
    for n, e in enumerate(events):
        t = text.index(e["trigger"])
        sn = next(i for i, (a, b) in enumerate(sents) if a <= t < b)
        qs = []
        for qtext, value, unit in e.get("quantities", []):
            q = text.index(qtext)
            qs.append({"value": value, "unit": unit, "text": qtext, "start": q, "end": q + len(qtext)})
        evs.append({"id": f"{doc_id}:e{n}", "event": e["event"], "mode": e.get("mode"), "context": [],
                    "cameo": e.get("cameo"), "actor": [_party(a, ENTITIES[a][1]) for a in e["actor"]],
                    "recipient": [_party(r, ENTITIES[r][1]) for r in e["recipient"]],
                    "date": e.get("date", date), "date_precision": "day", "event_loc": None, "quantities": qs,
                    "status": e.get("status", "asserted"),
                    "attribution": {"entity": None, "text": "مصادر مطلعة", "kind": "anonymous"},
                    "trigger": {"start": t, "end": t + len(e["trigger"]), "text": e["trigger"]},
                    "text_info": {"sentence": sn, "start": sents[sn][0], "end": sents[sn][1]}})
    fr = [{"start": text.index(f), "end": text.index(f) + len(f), "text": f, "kind": "loaded-term"} for f in framing]
    rec = {"id": doc_id, "title": title, "url": None, "outlet": outlet, "date": date, "date_source": "metadata",
           "text": text, "sentences": sents, "entities": entities, "events": evs, "framing": fr, "warnings": []}
    doc = Document(id=doc_id, text=text, title=title, outlet=outlet, date=date, date_source="metadata")
    return doc, rec


TEXT_A = ("التقى وزير الدفاع التركي خلوصي أكار في الدوحة مسؤولين من قطر لبحث التعاون العسكري.\n\n"
          "وأعلنت قطر تقديم منحة بقيمة 30 مليون دولار إلى غزة، بحسب مصادر مطلعة.")
TEXT_B = ("قالت مصادر مطلعة إن قطر قدمت منحة بقيمة 50 مليون دولار إلى غزة.\n"
          "ووصف الإعلام الموالي الخطوة بأنها شراء للذمم.")
TEXT_X = ("هذا نص فيه وسم <script>alert(1)</script> ووسم آخر <img src=x onerror=alert(1)> وكلمة <b>bold</b>.\n"
          "وهاجمت جمعية <img src=x onerror=alert(1)> تركيا في بيان.")


def records() -> list[tuple[Document, dict[str, Any]]]:
    return [
        make_record("akar-doha", "أكار في الدوحة ومنحة قطرية لغزة", TEXT_A, "وكالة الخليج", "2021-03-02",
                    {"hulusi_akar": ["خلوصي أكار"], "qatar": ["قطر", "قطر"], "gaza": ["غزة"]},
                    [{"event": "CONSULT", "mode": "meeting", "cameo": "040", "trigger": "التقى",
                      "actor": ["hulusi_akar"], "recipient": ["qatar"]},
                     {"event": "AID", "cameo": "070", "trigger": "تقديم منحة", "actor": ["qatar"],
                      "recipient": ["gaza"], "quantities": [("30 مليون دولار", 30_000_000, "USD")]}]),
        make_record("gaza-grant", "منحة قطرية جديدة لغزة", TEXT_B, "صحيفة المشرق", "2021-03-02",
                    {"qatar": ["قطر"], "gaza": ["غزة"]},
                    [{"event": "AID", "cameo": "070", "trigger": "قدمت منحة", "actor": ["qatar"],
                      "recipient": ["gaza"], "quantities": [("50 مليون دولار", 50_000_000, "USD")]}],
                    framing=["شراء للذمم"]),
        make_record("xss-doc", XSS_TITLE, TEXT_X, "<script>alert(1)</script>", "2021-04-10",
                    {"evil_org": ["جمعية <img src=x onerror=alert(1)>"], "turkey": ["تركيا"]},
                    [{"event": "ACCUSE", "cameo": "112", "trigger": "وهاجمت", "actor": ["evil_org"],
                      "recipient": ["turkey"]}]),
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("pages") / "pages.db"
    with Store(db) as store:
        store.write_batch(records(), "test")
    prepare(db)
    with TestClient(create_app(db)) as c:
        yield c


def corpus(client: TestClient) -> Any:
    return client.app.state.corpus


def event_id(client: TestClient, category: str) -> str:
    return next(e["id"] for e in corpus(client).events(limit=100) if e["event"] == category)


class _Tags(HTMLParser):
    """What a browser would parse as markup: tags, event-handler attributes, executable script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.scripts: list[str] = []
        self.json_blocks: list[str] = []
        self._in_script = False
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        kind = dict(attrs).get("type") or "text/javascript"
        self._in_script = tag == "script" and "json" not in kind  # JSON data blocks never run
        self._in_json = tag == "script" and "json" in kind

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        if self._in_json:
            self.json_blocks.append(data)


def assert_no_raw_tags(html: str) -> None:
    """No untrusted tag appears as markup: no <img>, <b>, event handler or alert() script is parsed."""
    for tag in XSS_TAGS:
        assert tag not in html
    p = _Tags()
    p.feed(html)
    assert "img" not in p.tags
    assert not p.handlers
    assert not any("alert(" in s for s in p.scripts)
    for block in p.json_blocks:  # figure data: valid JSON with no '<' that could end the element
        assert "<" not in block
        json.loads(block)


# --- pure helpers ---------------------------------------------------------------------------
def test_nest_spans_resolves_overlaps_without_losing_text() -> None:
    text = "قمة العلا في السعودية"
    spans = [{"start": 0, "end": 8, "kind": "entity", "label": "EVENT"},
             {"start": 0, "end": 3, "kind": "trigger", "label": "CONSULT"},
             {"start": 6, "end": 15, "kind": "framing", "label": "x"}]  # crosses the entity's end
    nodes = nest_spans(text, 0, len(text), spans)

    def flat(ns: list[dict[str, Any]]) -> str:
        return "".join(n["text"] if "text" in n else flat(n["children"]) for n in ns)

    assert flat(nodes) == text
    assert nodes[0]["span"]["label"] == "EVENT"
    assert nodes[0]["children"][0]["span"]["label"] == "CONSULT"
    cont = [n for n in nodes if "span" in n and n["span"]["kind"] == "framing"]
    assert cont and cont[0]["cont"]  # the piece after the entity does not repeat the label


def test_paragraphs_anchor_each_sentence_once() -> None:
    text = "جملة أولى. جملة ثانية\nتكملة.\n\nفقرة جديدة."
    sents = [[0, 10], [11, 28], [30, 41]]
    paras = paragraphs(text, sents, [])
    assert len(paras) == 3
    anchors = [p["n"] for para in paras for p in para if p["anchor"]]
    assert anchors == [0, 1, 2]


def test_mark_ranges() -> None:
    parts = mark_ranges("أبو ظبي وقطر", [(8, 12)])
    assert [p["hit"] for p in parts] == [False, True]
    assert parts[1]["text"] == "وقطر"


# --- pages ----------------------------------------------------------------------------------
def test_overview(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="ar" dir="rtl">' in html
    for label in ("نظرة عامة", "الوثائق", "الفاعلون", "الأحداث", "بحث"):
        assert label in html
    assert "قطر" in html and "Qatar" in html  # Arabic and Latin names together
    assert 'id="network"' in html and 'id="timeline"' in html
    m = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S)
    assert m and json.loads(m.group(1))["data"]
    assert '/static/vendor/plotly.min.js' in html


def test_plotly_and_static_are_served_locally(client: TestClient) -> None:
    r = client.get("/static/vendor/plotly.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert client.get("/static/marsad.css").status_code == 200
    assert client.get("/static/marsad.js").status_code == 200
    assert client.get("/static/nope.css").status_code == 404
    assert client.get("/static/%2e%2e/pages.py").status_code == 404


def test_documents_list(client: TestClient) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    assert "أكار في الدوحة" in r.text and "/documents/akar-doha" in r.text
    r = client.get("/documents", params={"q": "منحة"})
    assert r.status_code == 200 and "gaza-grant" in r.text


def test_document_view(client: TestClient) -> None:
    r = client.get("/documents/akar-doha")
    assert r.status_code == 200
    html = r.text
    assert 'class="doc-text" dir="rtl"' in html
    assert html.count("<p>") >= 2  # paragraphs preserved
    assert 'id="s0"' in html and 'id="s1"' in html
    assert "m-entity t-PER" in html and "m-trigger" in html and "m-quantity" in html
    assert "خلوصي أكار · Hulusi Akar" in html  # hover title with both names
    assert 'href="#s1"' in html  # the AID event row links to its evidence sentence
    aid = next(cid for lid, cid in corpus(client).document("akar-doha")["corpus_events"].items()
               if lid.endswith("e1"))
    assert f'/events/{quote(aid, safe="")}' in html
    assert "مصادر مطلعة" in html


def test_document_framing_highlight(client: TestClient) -> None:
    html = client.get("/documents/gaza-grant").text
    assert "m-framing" in html and "شراء للذمم" in html


def test_entities_list_and_filters(client: TestClient) -> None:
    html = client.get("/entities").text
    assert "خلوصي أكار" in html and "Hulusi Akar" in html
    html = client.get("/entities", params={"type": "PER"}).text
    assert "خلوصي أكار" in html and "/entities/qatar" not in html
    html = client.get("/entities", params={"country": "PSE"}).text
    assert "/entities/gaza" in html and "/entities/hulusi_akar" not in html
    html = client.get("/entities", params={"q": "اكار"}).text  # normalised: أكار
    assert "/entities/hulusi_akar" in html


def test_entity_page(client: TestClient) -> None:
    r = client.get("/entities/qatar")
    assert r.status_code == 200
    html = r.text
    assert "قطر · " in html and "Qatar" in html
    assert "/dyads/qatar/gaza" in html  # counterparts link to dyad pages
    assert "/documents/" in html and "#s" in html  # events link to evidence
    html = client.get("/entities/hulusi_akar").text
    assert "wikidata.org/wiki/Q312722" in html
    assert "وزير الدفاع التركي" in html


def test_events_list_and_filters(client: TestClient) -> None:
    html = client.get("/events").text
    assert "AID" in html and "CONSULT" in html
    html = client.get("/events", params={"category": "AID"}).text
    assert "AID" in html and "/documents/akar-doha#s" not in html.replace("#s1", "")
    html = client.get("/events", params={"actor": "hulusi_akar"}).text
    assert "CONSULT" in html and ">AID<" not in html
    html = client.get("/events", params={"date_from": "2021-04", "date_to": "2021-12"}).text
    assert "ACCUSE" in html and ">CONSULT<" not in html
    assert client.get("/events", params={"date_from": "not-a-date", "status": "asserted"}).status_code == 200


def test_event_page_with_contradiction(client: TestClient) -> None:
    aid = event_id(client, "AID")
    r = client.get(f"/events/{quote(aid, safe='')}")
    assert r.status_code == 200
    html = r.text
    ev = corpus(client).event(aid)
    assert len(ev["mentions"]) == 2, "the two reports of the grant should be one corpus event"
    for m in ev["mentions"]:
        assert f'/documents/{m["doc_id"]}#s{m["sentence"]}' in html
    assert "<mark>" in html  # the trigger is marked in the quoted sentence
    assert 'class="side-by-side"' in html
    assert "30" in html and "50" in html and "صحيفة المشرق" in html


def test_dyad_page(client: TestClient) -> None:
    r = client.get("/dyads/qatar/gaza")
    assert r.status_code == 200
    assert 'id="dyad"' in r.text and "dyad-data" in r.text
    assert "/events/" in r.text


def test_search(client: TestClient) -> None:
    r = client.get("/search", params={"q": "اكار"})  # أكار written without hamza
    assert r.status_code == 200
    assert "<mark>أكار</mark>" in r.text
    assert "/documents/akar-doha#s0" in r.text
    r = client.get("/search", params={"q": "منحة", "source": "صحيفة المشرق"})
    assert "gaza-grant" in r.text and "akar-doha#" not in r.text
    assert client.get("/search").status_code == 200


@pytest.mark.parametrize("url", ["/documents/nope", "/entities/nope", "/events/nope", "/dyads/nope/nada"])
def test_unknown_ids_are_404_pages(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"] and 'dir="rtl"' in r.text


def test_untrusted_text_is_escaped_everywhere(client: TestClient) -> None:
    xss_event = event_id(client, "ACCUSE")
    urls = ["/", "/documents", "/documents/xss-doc", "/entities", "/entities/evil_org", "/events",
            f"/events/{quote(xss_event, safe='')}", "/dyads/evil_org/turkey",
            "/search?q=" + quote("alert"), "/search?q=" + quote("<script>alert(1)</script>"),
            "/documents/" + quote("<script>alert(1)</script>", safe="")]
    for url in urls:
        r = client.get(url)
        assert r.status_code in (200, 404), url
        assert_no_raw_tags(r.text)
    html = client.get("/documents/xss-doc").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
