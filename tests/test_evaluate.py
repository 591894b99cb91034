"""Tests for marsad.evaluate: hand-computed numbers on small fixtures, plus a self-consistency check
that a record set rebuilt from the shared gold scores perfectly."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from rich.console import Console

from marsad.evaluate import _assign, _date_ok, evaluate, find_all, render, to_json

FIX = Path(__file__).resolve().parent / "fixtures" / "eval"
GOLD = FIX / "gold"
RECORDS = FIX / "records.jsonl"
SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared"))


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD, RECORDS)


def _check(m: dict, tp: int, n_sys: int, n_gold: int) -> None:
    assert (m["tp"], m["n_sys"], m["n_gold"]) == (tp, n_sys, n_gold)
    p = tp / n_sys
    r = tp / n_gold
    assert m["p"] == pytest.approx(p)
    assert m["r"] == pytest.approx(r)
    assert m["f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


def test_entity_mentions(report):
    # fx_a: 7 gold forms, 7 system (Israel typed ORG, demonym المصري spurious, petra missed);
    # fx_b: 5/5 all right (عمّان vs عمان matches through normalisation); fx_c: no record, 3 gold missed.
    _check(report.entities["typed"], 10, 12, 15)
    _check(report.entities["untyped"], 11, 12, 15)
    per = report.entities["per_type"]
    _check(per["GPE"], 5, 6, 8)
    _check(per["ORG"], 1, 2, 2)
    _check(per["PER"], 4, 4, 5)


def test_resolution_pairs(report):
    # 11 matched items.  Gold same-pairs: شكري/سامح شكري, قطر(a)/قطر(b) = 2.  System same-pairs: the
    # cluster s-qat holds قطر(a), قطر(b), الدوحة(b) = 3.  Both: only قطر(a)/قطر(b) = 1.
    assert report.resolution["items"] == 11
    _check(report.resolution["pairs"], 1, 3, 2)
    rows = {r["gold_id"]: r for r in report.resolution["entities"]}
    assert rows["sameh_shoukry"]["verdict"] == "split"
    assert rows["qatar"]["verdict"] == "merged"
    assert rows["qatar"]["conflated_with"] == ["doha"]
    assert (rows["qatar"]["found"], rows["qatar"]["items"]) == (2, 3)
    assert rows["erdogan"]["docs"] == 2 and rows["erdogan"]["found"] == 1
    assert "doha" not in rows  # one form in one doc: not a cross-document entity


def test_events_levels(report):
    ev = report.events
    _check(ev["L1"], 4, 6, 6)  # fx_a 2 of 3, fx_b 2 of 2 (+1 spurious), fx_c 0 of 1
    _check(ev["L2"]["strict"], 3, 6, 6)  # SUPPORT in fx_a has actor/recipient swapped
    _check(ev["L2"]["lenient"], 3, 6, 6)
    _check(ev["L2"]["undirected"], 4, 6, 6)
    _check(ev["L3"]["strict"], 2, 6, 6)  # AID in fx_b: gold date null, system 2022
    _check(ev["L3"]["undirected"], 3, 6, 6)
    cat = ev["per_category"]
    _check(cat["CONSULT"], 1, 2, 2)
    _check(cat["MOBILIZE"], 1, 1, 1)
    assert cat["ACCUSE"]["tp"] == 0 and cat["ACCUSE"]["n_gold"] == 1
    assert ev["confusion"] == {"ACCUSE": {"REJECT": 1}}
    assert {(m["doc_id"], m["type"]) for m in report.missed_events} == {
        ("fx_a", "ACCUSE"),
        ("fx_c", "CONSULT"),
    }
    assert {(s["doc_id"], s["type"]) for s in report.spurious_events} == {
        ("fx_a", "REJECT"),
        ("fx_b", "CONSULT"),
    }


def test_attributes(report):
    assert report.quantities["pair_accuracy"]["correct"] == 3  # 500 soldiers vs 500 troops
    assert report.quantities["pair_accuracy"]["total"] == 4
    _check(report.quantities["mentions"], 1, 2, 2)
    assert report.attribution["kind"]["accuracy"] == pytest.approx(3 / 4)  # anonymous for none
    # both named sources right: by text, and أردوغان via a form seen in another gold document
    assert (report.attribution["named_source"]["correct"], report.attribution["named_source"]["total"]) == (
        2,
        2,
    )
    assert report.attributes["status"]["accuracy"] == pytest.approx(3 / 4)
    assert report.attributes["mode"]["accuracy"] == pytest.approx(3 / 4)
    assert report.attributes["context_exact"]["accuracy"] == pytest.approx(3 / 4)
    _check(report.attributes["context_labels"], 4, 5, 4)


def test_framing(report):
    # fx_a: system span inside the gold string (overlap, not exact) + one spurious; fx_b: exact span.
    _check(report.framing["overlap"], 2, 3, 2)
    _check(report.framing["exact"], 1, 3, 2)


def test_warnings(report):
    assert report.missing_records == ["fx_c"]
    assert report.unknown_records == ["fx_unknown"]
    assert [(e["doc_id"], e["event"]) for e in report.evidence_not_found] == [("fx_a", 0)]
    text = "\n".join(report.warnings)
    assert "fx_a.json" in text and "not found" in text
    assert "fx_c" in text and "fx_unknown" in text


def test_offsets_outside_text_and_malformed_gold(tmp_path):
    gold = json.loads((GOLD / "fx_b.json").read_text(encoding="utf-8"))
    gold["events"][0]["evidence_spans"] = [[0, 10_000]]
    (tmp_path / "fx_b.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "nodoc.json").write_text("{}", encoding="utf-8")
    rep = evaluate([tmp_path], RECORDS)
    text = "\n".join(rep.warnings)
    assert "broken.json" in text and "nodoc.json" in text
    assert "outside record fx_b" in text and "fixture-corpus.jsonl" in text
    assert rep.n_docs == 1
    _check(rep.events["L1"], 1, 3, 2)  # the MOBILIZE event lost its evidence, so it cannot match


def test_several_gold_dirs_and_iterable_records(tmp_path):
    recs = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    other = tmp_path / "other"
    other.mkdir()
    (other / "fx_a.json").write_text((GOLD / "fx_a.json").read_text(encoding="utf-8"), encoding="utf-8")
    rep = evaluate([GOLD, other], iter(recs))
    assert rep.n_docs == 3
    assert any("duplicate gold for fx_a" in w for w in rep.warnings)
    assert rep.events["L1"]["tp"] == 4


def test_render_and_json(report):
    out = io.StringIO()
    render(report, Console(file=out, width=200), verbose=True)
    s = out.getvalue()
    assert "Missed gold events" in s and "REJECT" in s and "واتهم شكري" in s
    blob = json.dumps(to_json(report), ensure_ascii=False)
    assert json.loads(blob)["events"]["L1"]["tp"] == 4


def test_helpers():
    assert _date_ok("2020-07", "month", "2020-07-19")
    assert not _date_ok("2020-07", "month", "2020")
    assert _date_ok("2016", "season", "2016-07")
    assert _date_ok(None, None, None) and not _date_ok(None, None, "2020")
    # normalised fallback maps back to original offsets (hamza and diacritics differ)
    text = "قال أردوغانُ إن أنقرة"
    assert [text[s:e] for s, e in find_all(text, "اردوغان")] == ["أردوغانُ"]
    # optimal, not greedy: the heavy pair (0,0) would block both others
    assert _assign([[3, 2], [2, 0]]) == [(0, 1), (1, 0)]
    assert _assign([[0, 0, 5]]) == [(0, 2)]


# ------------------------------------------------------------------- consistency with the shared gold


def _split_sentences(text: str) -> list[list[int]]:
    """A deliberately simple splitter: '.', '., ' and newlines end a sentence."""
    out, start = [], 0
    for m in re.finditer(r"\.,\s|\.|\n", text):
        if text[start : m.end()].strip():
            out.append([start, m.end()])
        start = m.end()
    if text[start:].strip():
        out.append([start, len(text)])
    return out


def _perfect_record(gold: dict, text: str) -> dict:
    """A record that says exactly what the gold says, placed where its evidence is."""
    sentences = _split_sentences(text)
    forms = {e["id"]: e["mentions"] for e in gold["entities"]}
    entities = []
    for e in gold["entities"]:
        mentions = []
        for m in e["mentions"]:
            i = text.find(m)
            mentions.append({"start": i, "end": i + len(m), "text": m})
        entities.append(
            {
                "id": e["id"],
                "type": e["type"],
                "name": e["mentions"][0] if e["mentions"] else "",
                "mentions": mentions,
            }
        )
    events = []
    for n, ev in enumerate(gold["events"]):
        start = text.find(ev["evidence"][0])
        sent = next(i for i, (a, b) in enumerate(sentences) if a <= start < b)
        att = ev["attribution"]
        attribution = (
            None
            if att is None
            else {"entity": None, "text": "مصادر", "kind": "anonymous"}
            if att == "anonymous"
            else {"entity": att, "text": forms[att][0], "kind": "named"}
        )
        events.append(
            {
                "id": f"e{n}",
                "event": ev["type"],
                "mode": ev["mode"],
                "context": ev["context"],
                "actor": [{"entity": None, "text": "", "country": c} for c in ev["actor_country"]],
                "recipient": [{"entity": None, "text": "", "country": c} for c in ev["recipient_country"]],
                "date": ev["date"],
                "date_precision": ev["date_precision"],
                "quantities": ev["quantities"],
                "status": ev["status"],
                "attribution": attribution,
                "trigger": {"start": start, "end": start, "text": ""},
                "text_info": {"sentence": sent, "start": sentences[sent][0], "end": sentences[sent][1]},
            }
        )
    framing = []
    for f in gold["framing"]:
        i = text.find(f)
        framing.append({"start": i, "end": i + len(f), "text": f, "kind": "loaded-term"})
    return {
        "id": gold["doc_id"],
        "text": text,
        "sentences": sentences,
        "entities": entities,
        "events": events,
        "framing": framing,
        "warnings": [],
    }


@pytest.mark.shared
def test_perfect_records_from_shared_gold():
    gold_dir, seeds = SHARED / "gold-dev", SHARED / "seeds" / "seeds.jsonl"
    if not gold_dir.is_dir() or not seeds.is_file():
        pytest.skip(f"shared gold not present at {SHARED}")
    texts = {}
    for line in seeds.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    records = [_perfect_record(g, texts[g["doc_id"]]) for g in golds if g["doc_id"] in texts]
    assert records
    rep = evaluate(gold_dir, records)
    assert not rep.evidence_not_found and not rep.missing_records
    assert rep.events["L1"]["n_gold"] > 0
    for m in (
        rep.events["L1"],
        rep.events["L2"]["strict"],
        rep.events["L3"]["strict"],
        rep.entities["typed"],
        rep.entities["untyped"],
        rep.resolution["pairs"],
        rep.framing["exact"],
    ):
        assert m["f1"] == 1.0, m
    for a in (
        rep.quantities["pair_accuracy"],
        rep.attribution["kind"],
        rep.attribution["named_source"],
        rep.attributes["status"],
        rep.attributes["mode"],
        rep.attributes["context_exact"],
    ):
        assert a["accuracy"] == 1.0, a
    # and it is sensitive: one wrong category costs exactly one L1 match and shows as a confusion
    gold_type = records[0]["events"][0]["event"]
    records[0]["events"][0]["event"] = "THREATEN" if gold_type != "THREATEN" else "ACCUSE"
    worse = evaluate(gold_dir, records)
    assert worse.events["L1"]["tp"] == rep.events["L1"]["tp"] - 1
    assert sum(sum(row.values()) for row in worse.events["confusion"].values()) == 1
