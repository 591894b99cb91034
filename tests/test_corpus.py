"""Corpus knowledge: one event told by several outlets, contradictions, search, dyads, profiles.

Synthetic records (Arabic sentences written for these tests) so that the tests do not depend on
the extractor; ``build_store`` is reused by test_api.py and test_export.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marsad.doc import Document
from marsad.resolve.events import dates_match, quantity_kind
from marsad.store import Store
from marsad.store.corpus import Corpus, trend

ENTITIES: dict[str, dict[str, Any]] = {
    "suleyman_soylu": {
        "type": "PER",
        "name": "سليمان صويلو",
        "name_en": "Suleyman Soylu",
        "country": "TUR",
        "sector": "COP",
    },
    "hulusi_akar": {
        "type": "PER",
        "name": "خلوصي أكار",
        "name_en": "Hulusi Akar",
        "country": "TUR",
        "sector": "MIL",
    },
    "tamim": {
        "type": "PER",
        "name": "تميم بن حمد آل ثاني",
        "name_en": "Tamim bin Hamad Al Thani",
        "country": "QAT",
        "sector": "GOV",
    },
    "turkey": {"type": "GPE", "name": "تركيا", "name_en": "Turkey", "country": "TUR", "sector": None},
    "qatar": {"type": "GPE", "name": "قطر", "name_en": "Qatar", "country": "QAT", "sector": None},
    "syria": {"type": "GPE", "name": "سوريا", "name_en": "Syria", "country": "SYR", "sector": None},
    "doha": {"type": "GPE", "name": "الدوحة", "name_en": "Doha", "country": "QAT", "sector": None},
}


def _arg(eid: str, text: str) -> dict[str, Any]:
    e = ENTITIES[eid]
    return {"entity": eid, "text": text, "country": e["country"], "sector": e["sector"]}


def record(
    doc_id: str,
    outlet: str | None,
    date: str,
    sentences: list[str],
    mentions: list[tuple[str, str]],
    events: list[dict[str, Any]],
    title: str | None = None,
) -> dict:
    """A record in the spec's format; ``mentions`` (entity id, surface text) are located in the text,
    events give ``sentence`` (index), ``trigger`` and ``quantities`` as surface text."""
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append([pos, pos + len(s)])
        pos += len(s) + 1
    ents: dict[str, dict[str, Any]] = {}
    for eid, surface in mentions:
        start = text.find(surface)
        assert start >= 0, surface
        e = ents.setdefault(eid, {"id": eid, **ENTITIES[eid], "roles": [], "mentions": [], "wikidata": None})
        e["mentions"].append({"start": start, "end": start + len(surface), "text": surface})
    evs = []
    for i, ev in enumerate(events):
        s0, s1 = spans[ev["sentence"]]
        trig = text.find(ev["trigger"], s0)
        qs = []
        for value, unit, qt in ev.get("quantities", []):
            qs_start = text.find(qt, s0)
            qs.append(
                {"value": value, "unit": unit, "text": qt, "start": qs_start, "end": qs_start + len(qt)}
            )
        loc = ev.get("loc")
        evs.append(
            {
                "id": f"{doc_id}:e{i}",
                "event": ev["event"],
                "mode": ev.get("mode"),
                "context": ev.get("context", []),
                "cameo": ev.get("cameo"),
                "actor": ev.get("actor", []),
                "recipient": ev.get("recipient", []),
                "date": ev.get("date"),
                "date_precision": ev.get("precision", "day" if ev.get("date") else None),
                "event_loc": {
                    "entity": loc,
                    "text": ENTITIES[loc]["name"],
                    "country": ENTITIES[loc]["country"],
                }
                if loc
                else None,
                "quantities": qs,
                "status": ev.get("status", "asserted"),
                "attribution": ev.get("attribution"),
                "trigger": {"start": trig, "end": trig + len(ev["trigger"]), "text": ev["trigger"]},
                "text_info": {"sentence": ev["sentence"], "start": s0, "end": s1},
                "evidence": [{"sentence": ev["sentence"], "start": s0, "end": s1}],
                "confidence": 0.8,
            }
        )
    return {
        "id": doc_id,
        "title": title or sentences[0][:40],
        "url": f"https://example.org/{doc_id}",
        "outlet": outlet,
        "date": date,
        "date_source": "metadata",
        "text": text,
        "sentences": spans,
        "entities": list(ents.values()),
        "events": evs,
        "framing": [],
        "warnings": [],
    }


def corpus_records() -> list[dict[str, Any]]:
    d1 = record(
        "d1",
        "وكالة الأناضول",
        "2022-10-25",
        [
            "أعلن وزير الداخلية التركي سليمان صويلو أن تركيا سترسل 3000 شرطي إلى قطر لتأمين كأس العالم.",
            "والتقى وزير الدفاع التركي خلوصي أكار أمير قطر تميم بن حمد آل ثاني في الدوحة.",
        ],
        [
            ("suleyman_soylu", "سليمان صويلو"),
            ("turkey", "تركيا"),
            ("qatar", "قطر"),
            ("hulusi_akar", "خلوصي أكار"),
            ("tamim", "تميم بن حمد آل ثاني"),
            ("doha", "الدوحة"),
        ],
        [
            {
                "event": "MOBILIZE",
                "mode": "police",
                "cameo": "150",
                "sentence": 0,
                "trigger": "سترسل",
                "actor": [_arg("suleyman_soylu", "سليمان صويلو")],
                "recipient": [_arg("qatar", "قطر")],
                "date": "2022-10-25",
                "quantities": [(3000, "police", "3000 شرطي")],
            },
            {
                "event": "CONSULT",
                "mode": "meeting",
                "cameo": "040",
                "sentence": 1,
                "trigger": "والتقى",
                "actor": [_arg("hulusi_akar", "خلوصي أكار")],
                "recipient": [_arg("tamim", "تميم بن حمد آل ثاني")],
                "date": "2022-10-24",
                "loc": "doha",
            },
        ],
    )
    d2 = record(
        "d2",
        "قناة الجزيرة",
        "2022-10-26",
        [
            "قالت مصادر مطلعة إن تركيا سترسل 3000 جندي إلى قطر خلال المونديال.",
            "واستقبل أمير قطر تميم بن حمد وزير الدفاع التركي آكار في الدوحة أمس.",
        ],
        [
            ("turkey", "تركيا"),
            ("qatar", "قطر"),
            ("tamim", "تميم بن حمد"),
            ("hulusi_akar", "آكار"),
            ("doha", "الدوحة"),
        ],
        [
            {
                "event": "MOBILIZE",
                "mode": "troops",
                "cameo": "150",
                "sentence": 0,
                "trigger": "سترسل",
                "actor": [_arg("turkey", "تركيا")],
                "recipient": [_arg("qatar", "قطر")],
                "date": "2022-10-26",
                "quantities": [(3000, "soldiers", "3000 جندي")],
                "attribution": {"entity": None, "text": "مصادر مطلعة", "kind": "anonymous"},
            },
            {
                "event": "CONSULT",
                "mode": "visit",
                "cameo": "043",
                "sentence": 1,
                "trigger": "واستقبل",
                "actor": [_arg("tamim", "أمير قطر تميم بن حمد")],
                "recipient": [_arg("hulusi_akar", "آكار")],
                "date": "2022-10-25",
                "loc": "doha",
            },
        ],
    )
    d3 = record(
        "d3",
        "وكالة الأناضول",
        "2022-10-25",
        [
            "وتستعد تركيا لإرسال 3000 شرطي إلى قطر.",
        ],
        [("turkey", "تركيا"), ("qatar", "قطر")],
        [
            {
                "event": "MOBILIZE",
                "mode": "police",
                "cameo": "150",
                "sentence": 0,
                "trigger": "لإرسال",
                "actor": [_arg("turkey", "تركيا")],
                "recipient": [_arg("qatar", "قطر")],
                "date": "2022-10-25",
                "quantities": [(3000, "police", "3000 شرطي")],
                "status": "planned",
            },
        ],
    )
    d4 = record(
        "d4",
        None,
        "2022-10-25",
        [
            "قصفت تركيا مواقع في شمال سوريا.",
            "وأرسلت تركيا 5000 جندي إلى قطر في مارس 2023.",
        ],
        [("turkey", "تركيا"), ("syria", "سوريا"), ("qatar", "قطر")],
        [
            {
                "event": "ASSAULT",
                "cameo": "195",
                "sentence": 0,
                "trigger": "قصفت",
                "actor": [_arg("turkey", "تركيا")],
                "recipient": [_arg("syria", "سوريا")],
                "date": "2022-10-25",
            },
            {
                "event": "MOBILIZE",
                "cameo": "150",
                "sentence": 1,
                "trigger": "وأرسلت",
                "actor": [_arg("turkey", "تركيا")],
                "recipient": [_arg("qatar", "قطر")],
                "date": "2023-03",
                "precision": "month",
                "quantities": [(5000, "soldiers", "5000 جندي")],
            },
        ],
    )
    d5 = record(
        "d5",
        "قناة الجزيرة",
        "2022-01-10",
        [
            "وقعت تركيا وقطر اتفاقية تعاون عسكري <script>alert(1)</script> في أنقرة.",
        ],
        [("turkey", "تركيا"), ("qatar", "قطر")],
        [
            {
                "event": "COOPERATE",
                "cameo": "062",
                "sentence": 0,
                "trigger": "وقعت",
                "context": ["military"],
                "actor": [_arg("turkey", "تركيا")],
                "recipient": [_arg("qatar", "قطر")],
                "date": "2022-01-09",
            },
        ],
    )
    return [d1, d2, d3, d4, d5]


def build_store(path: Path, records: list[dict[str, Any]] | None = None) -> Path:
    """A store with the synthetic records and its corpus tables built."""
    recs = records if records is not None else corpus_records()
    with Store(path) as st:
        st.write_batch(
            [
                (
                    Document(
                        id=r["id"],
                        text=r["text"],
                        title=r["title"],
                        url=r["url"],
                        outlet=r["outlet"],
                        date=r["date"],
                        date_source="metadata",
                    ),
                    r,
                )
                for r in recs
            ],
            "test",
        )
        Corpus(st).rebuild()
    return path


@pytest.fixture()
def corpus(tmp_path):
    with Store(build_store(tmp_path / "c.db")) as st:
        yield Corpus(st)


def _event_of(corpus: Corpus, local_id: str) -> dict[str, Any]:
    doc = corpus.document(local_id.split(":")[0])
    assert doc is not None
    ev = corpus.event(doc["corpus_events"][local_id])
    assert ev is not None
    return ev


def test_same_event_from_two_outlets_is_one_corpus_event(corpus):
    ev = _event_of(corpus, "d1:e0")
    assert ev["event"] == "MOBILIZE"
    assert {m["doc_id"] for m in ev["mentions"]} == {"d1", "d2", "d3"}
    assert ev["n_documents"] == 3
    assert ev["n_sources"] == 2  # d1 and d3 are the same outlet
    assert len(ev["match_explanation"]) == 2
    assert all("same category MOBILIZE" in x for x in ev["match_explanation"])
    assert ev["mentions"][0]["text"].startswith("أعلن وزير الداخلية")


def test_different_figures_are_a_contradiction(corpus):
    ev = _event_of(corpus, "d1:e0")
    assert ev["has_contradiction"]
    people = [c for c in ev["contradictions"] if c["field"] == "quantity:people"]
    assert people, ev["contradictions"]
    values = {v["value"]: v["doc_ids"] for v in people[0]["values"]}
    assert values == {"3000 police": ["d1", "d3"], "3000 soldiers": ["d2"]}


def test_symmetric_meeting_matches_in_either_direction(corpus):
    ev = _event_of(corpus, "d1:e1")
    assert {m["doc_id"] for m in ev["mentions"]} == {"d1", "d2"}
    assert ev["n_sources"] == 2
    assert any("either direction" in x for x in ev["match_explanation"])
    assert [c["field"] for c in ev["contradictions"]] == ["date"]  # 24th against 25th October


def test_other_category_or_month_stays_separate(corpus):
    assert len(corpus.events(limit=100)) == 5
    later = _event_of(corpus, "d4:e1")
    assert later["n_documents"] == 1 and later["date"] == "2023-03"
    assault = _event_of(corpus, "d4:e0")
    assert assault["n_sources"] == 1 and assault["mentions"][0]["doc_id"] == "d4"


def test_event_filters(corpus):
    assert {e["event"] for e in corpus.events(category="MOBILIZE")} == {"MOBILIZE"}
    assert [e["event"] for e in corpus.events(country="SYR")] == ["ASSAULT"]
    assert len(corpus.events(actor="hulusi_akar")) == 1
    assert len(corpus.events(date_from="2022-10", date_to="2022-10")) == 3
    assert len(corpus.events(source="قناة الجزيرة")) == 3
    assert corpus.events(source="d4")  # a document without outlet is its own source


def test_search_is_arabic_normalised(corpus):
    hits = corpus.search("أكار")
    assert {h["doc_id"] for h in hits} == {"d1", "d2"}  # d2 spells it آكار
    d2 = next(h for h in hits if h["doc_id"] == "d2")
    s, e = d2["highlight"][0]
    assert d2["text"][s:e] == "آكار"
    assert d2["events"]
    assert {h["doc_id"] for h in corpus.search("آكار")} == {"d1", "d2"}
    assert [h["doc_id"] for h in corpus.search("قطر", category="COOPERATE")] == ["d5"]
    assert corpus.search("لا يوجد هذا النص") == []


def test_dyad_scores_and_trend(corpus):
    d = corpus.dyad("turkey", "qatar")
    assert d["a"]["name_en"] == "Turkey"
    cats = [e["event"] for e in d["events"]]
    assert cats == ["COOPERATE", "MOBILIZE", "MOBILIZE"]
    assert [r["month"] for r in d["trend"]["by_month"]] == ["2022-01", "2022-10", "2023-03"]
    assert d["trend"]["slope"] < 0  # from cooperation to force posture
    assert all(e["score"] is not None for e in d["events"])


def test_entity_profile(corpus):
    p = corpus.entity("hulusi_akar")
    assert p is not None
    assert {s["text"] for s in p["spellings"]} == {"خلوصي أكار", "آكار"}
    assert p["documents"] == 2 and p["events"] == 1
    assert [c["name"] for c in p["counterparts"]] == ["تميم بن حمد آل ثاني"]
    assert {s["outlet"] for s in p["sources"]} == {"وكالة الأناضول", "قناة الجزيرة"}
    assert corpus.entity("nobody") is None
    assert corpus.entities(q="اكار")[0]["id"] == "hulusi_akar"
    assert {e["id"] for e in corpus.entities(type="PER", country="TUR")} == {"hulusi_akar", "suleyman_soylu"}


def test_overview_and_document_spans(corpus):
    ov = corpus.overview()
    assert ov["counts"]["documents"] == 5 and ov["counts"]["events"] == 5
    assert ov["counts"]["events_by_category"]["MOBILIZE"] == 2
    assert ov["counts"]["sources"] == 3
    assert ov["top_actors"][0]["id"] == "turkey"
    assert {"source": "turkey", "target": "qatar"}.items() <= ov["network"]["edges"][0].items()
    assert {(t["month"], t["category"]) for t in ov["timeline"]} >= {("2022-10", "MOBILIZE")}
    doc = corpus.document("d2")
    kinds = {s["kind"] for s in doc["spans"]}
    assert {"entity", "trigger", "quantity", "attribution"} <= kinds
    for s in doc["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(doc["text"])
    assert corpus.document("missing") is None
    assert [d["id"] for d in corpus.documents(q="اكار")] == ["d2", "d1"]


def test_rebuild_is_idempotent_and_tracks_staleness(corpus):
    first = corpus.events(limit=100)
    assert not corpus.is_stale()
    corpus.rebuild()
    assert corpus.events(limit=100) == first


def test_undated_reports_need_a_strong_match(tmp_path):
    def aid(doc_id: str, outlet: str, date: str | None, amount: int, text: str) -> dict[str, Any]:
        return record(
            doc_id,
            outlet,
            "2022-05-01",
            [f"قدمت تركيا إلى قطر {text}."],
            [("turkey", "تركيا"), ("qatar", "قطر")],
            [
                {
                    "event": "AID",
                    "cameo": "071",
                    "sentence": 0,
                    "trigger": "قدمت",
                    "date": date,
                    "actor": [_arg("turkey", "تركيا")],
                    "recipient": [_arg("qatar", "قطر")],
                    "quantities": [(amount, "USD", text)],
                }
            ],
        )

    recs = [
        aid("a1", "o1", "2022-04-30", 2_000_000_000, "2 مليار دولار"),
        aid("a2", "o2", None, 2_000_000_000, "ملياري دولار"),
        aid("a3", "o3", None, 5_000_000_000, "5 مليارات دولار"),
    ]
    with Store(build_store(tmp_path / "u.db", recs)) as st:
        c = Corpus(st)
        evs = c.events(limit=10)
        assert sorted(e["n_documents"] for e in evs) == [1, 2]
        merged = next(e for e in evs if e["n_documents"] == 2)
        assert any("undated" in x for x in c.event(merged["id"])["match_explanation"])


def test_dates_and_kinds():
    assert dates_match("2022-10-25", "day", "2022-10-26", "day")[0]
    assert not dates_match("2022-10-25", "day", "2022-10-27", "day")[0]
    assert dates_match("2022-10", "month", "2022-10-27", "day")[0]
    assert not dates_match("2022-10", "month", "2022-11-01", "day")[0]
    assert dates_match("2022", "year", "2022-03-01", "day")[0]
    assert quantity_kind("police") == quantity_kind("soldiers") == "people"
    assert quantity_kind("killed") != quantity_kind("injured")
    t = trend([{"month": "2022-01", "score": 6.0}, {"month": "2022-03", "score": -6.0}])
    assert t["slope"] == pytest.approx(-6.0) and t["mean_score"] == 0.0


def test_elided_article_forms_count_under_the_real_spelling():
    from collections import Counter

    from marsad.store.corpus import _fold_elided

    folded = _fold_elided(Counter({"السعودية": 5, "لسعودية": 2, "لبنان": 3}))
    assert folded == Counter({"السعودية": 7, "لبنان": 3})  # لبنان is a name, not ل + an elided article


def test_profile_lists_the_latest_events_but_counts_them_all(corpus):
    full = corpus.entity("qatar")
    n_actor, n_rec = len(full["events_as_actor"]), len(full["events_as_recipient"])
    assert (full["n_events_as_actor"], full["n_events_as_recipient"]) == (n_actor, n_rec)
    assert n_actor + n_rec >= 2
    short = corpus.entity("qatar", max_events=1)
    assert len(short["events_as_actor"]) == min(n_actor, 1) and len(short["events_as_recipient"]) == min(n_rec, 1)
    assert short["n_events_as_actor"] == n_actor and short["counterparts"] == full["counterparts"]
    if n_actor:
        assert short["events_as_actor"][0] == full["events_as_actor"][-1]  # the latest one
