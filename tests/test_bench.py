"""``marsad bench``: it runs on the bundled samples and reports every number (never asserts speed)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.bench import prepare_corpus
from marsad.cli import SAMPLES, app

STAGES = ["ingest/clean", "text", "entities", "roles", "times", "quantities", "events", "status",
          "attribution", "framing", "serialisation"]


def test_samples_are_repeated_as_distinct_articles(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    info = prepare_corpus(None, 30, out, SAMPLES)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert info["lines"] == len(rows) == 30
    assert len({r["id"] for r in rows}) == 30 and len({r["text"] for r in rows}) == 30


def test_corpus_head_is_taken(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": "نص"}) + "\n" for i in range(10)), encoding="utf-8")
    info = prepare_corpus(src, 4, tmp_path / "c.jsonl", SAMPLES)
    assert info["lines"] == 4
    assert [json.loads(x)["id"] for x in (tmp_path / "c.jsonl").read_text().splitlines()] == ["a0", "a1", "a2", "a3"]


def test_bench_cli_reports_every_number(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", "--n", "16", "--workers", "2", "--json", str(out)])
    assert result.exit_code == 0, result.output
    for word in ("machine", "Per stage", "Full pipeline", "speed-up", "peak RSS", "serialisation"):
        assert word in result.output
    res = json.loads(out.read_text(encoding="utf-8"))
    assert {"machine", "corpus", "stages", "runs", "speedup", "peak_rss_mb", "pipeline"} <= set(res)
    assert res["machine"]["cores"] >= 1 and res["machine"]["cpu"] and res["machine"]["python"]
    assert res["corpus"]["articles"] == 16 and res["corpus"]["sentences"] > 0 and res["corpus"]["mb"] > 0
    assert list(res["stages"]) == [s for s in STAGES if s in res["pipeline"] or s in ("ingest/clean",
                                                                                      "serialisation")]
    for name, s in res["stages"].items():
        assert s["seconds"] > 0 and s["ms_per_article"] > 0 and 0 < s["share"] < 1, name
    assert abs(sum(s["share"] for s in res["stages"].values()) - 1) < 0.01
    assert [r["workers"] for r in res["runs"]] == [1, 2]
    for r in res["runs"]:
        assert r["articles"] == 16
        for key in ("articles_per_s", "articles_per_s_per_core", "mb_per_s", "sentences_per_s", "seconds",
                    "cpu_seconds", "cores_used"):
            assert r[key] > 0, key
    assert res["speedup"] > 0 and res["speedup_cpu_bound"] > 0 and res["machine_speedup"] > 0
    assert res["peak_rss_mb"]["self"] > 0 and res["peak_rss_mb"]["children"] > 0
