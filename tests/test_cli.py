"""The marsad command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from marsad.cli import app

runner = CliRunner()
BODY = "وقع وزيرا الدفاع التركي والقطري في الدوحة يوم الأحد اتفاقية للتعاون العسكري بين البلدين."
RECORD_KEYS = {"id", "title", "url", "outlet", "date", "date_source", "text", "sentences", "entities",
               "events", "framing", "warnings"}


def test_help_explains_commands():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("extract", "ingest", "evaluate", "demo"):
        assert cmd in res.output


def test_extract_writes_complete_records_and_reports_bad_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("اتفاقية دفاعية\n" + BODY, encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "' + BODY + ' مرة ثانية"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", str(good), str(bad),
                          str(tmp_path / "missing.txt"), "--doc-date", "2021-11-14", "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    assert f"{bad}:2: not valid JSON" in res.stderr
    assert "missing.txt: no such file" in res.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["good", "ok"]
    for r in recs:
        assert set(r) >= RECORD_KEYS
        assert r["date"] == "2021-11-14" and r["date_source"] == "metadata"
        for s, e in r["sentences"]:
            assert r["text"][s:e].strip() == r["text"][s:e] and e > s
        for ent in r["entities"]:
            for m in ent["mentions"]:
                assert r["text"][m["start"]:m["end"]] == m["text"]
        for ev in r["events"]:
            assert r["text"][ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"]
            for q in ev["quantities"]:
                assert r["text"][q["start"]:q["end"]] == q["text"]
        for f in r["framing"]:
            assert r["text"][f["start"]:f["end"]] == f["text"]


def test_duplicates_are_reported_not_repeated(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 0
    assert len(res.stdout.splitlines()) == 1
    assert "duplicate:" in res.stderr and "same text as a" in res.stderr


def test_bad_doc_date_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    res = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--doc-date", "20-07-2020"])
    assert res.exit_code == 2


def test_stdin(tmp_path):
    res = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", "-", "--format", "json"],
                         input=BODY, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    [rec] = json.loads(res.stdout)
    assert rec["text"] == BODY and rec["id"].startswith("sha1-")


def test_extract_events_groups_one_act_told_by_two_outlets(tmp_path):
    src = tmp_path / "two.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (
        {"id": "a1", "outlet": "صحيفة أ", "date": "2021-11-15",
         "text": "استقبل أمير قطر الشيخ تميم بن حمد آل ثاني وزير الدفاع التركي خلوصي أكار في الدوحة يوم "
                 "الأحد، وبحث معه التعاون العسكري بين البلدين."},
        {"id": "b1", "outlet": "موقع ب", "date": "2021-11-16",
         "text": "التقى الشيخ تميم بن حمد أمير دولة قطر في الدوحة أمس الأول وزير الدفاع التركي آكار، وجرى "
                 "بحث العلاقات الدفاعية."})) + "\n", encoding="utf-8")
    out, events = tmp_path / "out.jsonl", tmp_path / "events.jsonl"
    res = runner.invoke(app, ["extract", str(src), "-o", str(out), "--events", str(events), "-w", "1"])
    assert res.exit_code == 0, res.output
    texts = {r["id"]: r["text"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    evs = [json.loads(x) for x in events.read_text(encoding="utf-8").splitlines()]
    joint = [e for e in evs if e["n_documents"] == 2]
    assert joint and all(e["n_sources"] == 2 and e["date"] == "2021-11-14" for e in joint)
    for e in joint:
        assert {m["doc_id"] for m in e["mentions"]} == {"a1", "b1"}
        assert "joined" in e["match_explanation"][0]
        for m in e["mentions"]:
            assert m["text"] == texts[m["doc_id"]][m["start"]:m["end"]] and m["text"]
    assert [e["sort_date"] for e in evs] == sorted(e["sort_date"] for e in evs)
    # corpus events need the written, resolved records
    assert runner.invoke(app, ["extract", str(src), "--events", str(events)]).exit_code == 2
    assert runner.invoke(app, ["extract", str(src), "-o", str(out), "--no-resolve", "--events",
                               str(events)]).exit_code == 2
