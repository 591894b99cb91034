"""The Spark engine gives the records of the single-machine engine, record for record, and the same
cross-document resolution.  Needs pyspark and Java (skipped cleanly without them)."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from marsad.cli import SAMPLES, app
from marsad.resolve import entities as ent_mod
from marsad.resolve.entities import Collector, Knowledge, KnownEntity, resolve_records
from marsad.spark.runner import LineIndex, merge_partials, partial_summaries


def _java() -> bool:
    return bool(shutil.which("java") or (os.environ.get("JAVA_HOME") and
                                         Path(os.environ["JAVA_HOME"], "bin", "java").exists()))


def ent(eid: str, name: str, etype: str = "PER", country: str | None = None, **kw: Any) -> dict[str, Any]:
    mentions = [{"start": 0, "end": len(s), "text": s} for s in kw.get("surfaces", [name])]
    return {"id": eid, "type": etype, "name": name, "name_en": kw.get("name_en"), "country": country,
            "sector": kw.get("sector"), "roles": kw.get("roles", []), "mentions": mentions}


def rec(doc: str, *ents: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc, "title": None, "text": "نص " + doc, "entities": list(ents), "events": [],
            "framing": [], "warnings": []}


# ---------------------------------------------------------------- without Spark: the exact merge


def _state(c: Collector) -> list[tuple[Any, ...]]:
    """Everything resolution reads, with counter order (caps admit the first keys seen)."""
    return [(k, s.id, s.type, s.country, s.known, list(s.names.items()), list(s.surfaces.items()),
             list(s.roles.items()), list(s.sectors.items()), s.n_docs, s.n_mentions, s.sample_docs, s.name_en)
            for k, s in c.nodes.items()] + [("n", c.n_records)]


def test_partition_merge_equals_one_pass_even_when_caps_bite(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("CAP_NAMES", 2), ("CAP_SURFACES", 3), ("CAP_ROLES", 2), ("CAP_DOCS", 2)):
        monkeypatch.setattr(ent_mod, name, value)
    know = Knowledge({"qatar": KnownEntity("qatar", "GPE", ("قطر",), "Qatar", "QAT")}.get)
    rng = random.Random(7)
    names = ["سالم", "سالم الكعبي", "الكعبي", "سالم ك", "س. الكعبي"]
    records = []
    for i in range(60):
        ents = [ent("per:salem", rng.choice(names), country=rng.choice([None, "ARE"]),
                    surfaces=rng.sample(names, 2), roles=rng.sample(["وزير", "سفير", "رئيس", "نائب"], 2),
                    sector=rng.choice([None, "GOV", "MIL", "DIP"]), name_en=rng.choice([None, None, f"S{i}"])),
                ent("qatar", "قطر", "GPE", surfaces=[rng.choice(["قطر", "الدوحة", "دولة قطر", "قطري"])])]
        records.append(rec(f"d{rng.randrange(20)}", *rng.sample(ents, 2)))
    one_pass = Collector(know).add_all(records)
    for cuts in ([], [1], [7, 8, 30], list(range(0, 60, 5))):
        bounds = [0, *cuts, 60]
        parts = [partial_summaries(records[a:b], know) for a, b in zip(bounds, bounds[1:], strict=False)]
        assert _state(merge_partials(parts, know)) == _state(one_pass), cuts


def test_line_index_numbers_lines_per_file_across_partitions() -> None:
    # file a: partitions 0 (3 lines) and 2 (2 lines); file b: partition 1 (4 lines)
    idx = LineIndex.build([("b", 1, 4, (1 << 33) + 0), ("a", 2, 2, (2 << 33) + 5), ("a", 0, 3, 0)])
    assert [idx.line("a", r) for r in (0, 1, 2)] == [1, 2, 3]
    assert [idx.line("a", (2 << 33) + r) for r in (5, 6)] == [4, 5]
    assert idx.line("b", (1 << 33) + 3) == 4


# ---------------------------------------------------------------- on Spark (local[2])

pytestmark_java = pytest.mark.skipif(not _java(), reason="Java is not installed (Spark needs Java 17+)")


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install 'marsad[spark]')")
    if not _java():
        pytest.skip("Java is not installed (Spark needs Java 17+)")
    from marsad.spark.runner import session

    s = session("local[2]", {"spark.driver.memory": "512m", "spark.ui.enabled": "false",
                             "spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": "2",
                             "spark.default.parallelism": "2"})
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample articles as JSONL, plus the awkward lines: blank, broken, id-less, duplicate."""
    d = tmp_path_factory.mktemp("spark")
    lines = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    first = json.loads(lines[0])
    extra = ["", "{not json", json.dumps({"text": "زار الرئيس التونسي القاهرة أمس والتقى نظيره المصري."},
                                         ensure_ascii=False),
             json.dumps({**first, "id": "copy"}, ensure_ascii=False)]
    path = d / "in.jsonl"
    path.write_text("\n".join(lines[:2] + extra + lines[2:]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local(corpus: Path) -> dict[str, list[dict[str, Any]]]:
    """``marsad extract -o`` on the corpus, without and with the resolution pass."""
    from marsad.resolve.entities import resolve_file

    out = corpus.with_name("local.jsonl")
    res = CliRunner().invoke(app, ["extract", str(corpus), "-o", str(out), "-w", "1", "--no-resolve"])
    assert res.exit_code == 1, res.output  # the broken line
    plain = out.read_text(encoding="utf-8")
    resolve_file(out)  # what 'extract -o' does after writing, unless --no-resolve
    return {"plain": [json.loads(x) for x in plain.splitlines()],
            "resolved": [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]}


def _parts(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for f in sorted(folder.glob("part-*")) for x in f.read_text(encoding="utf-8").splitlines()
            if x.strip()]


@pytestmark_java
def test_spark_records_equal_local_records(spark: Any, corpus: Path, local: dict[str, Any],
                                           tmp_path: Path) -> None:
    from marsad.spark.runner import extract

    want = local["resolved"]
    summary = extract(spark, str(corpus), str(tmp_path / "out"), "jsonl", partitions=2)
    remote = _parts(tmp_path / "out")
    assert [r["id"] for r in remote] == [r["id"] for r in want]  # same order, same ids (incl. in:5)
    assert any(r["id"] == "in:5" for r in remote)
    assert {r["id"]: r for r in remote} == {r["id"]: r for r in want}
    assert summary["documents"] == len(want) == 5
    assert summary["failed"] == 1 and summary["duplicates"] == 1
    assert summary["errors"] == [f"{corpus}:4: not valid JSON: Expecting property name enclosed in double "
                                 "quotes (column 2)"]


@pytestmark_java
def test_spark_parquet_in_and_out(spark: Any, corpus: Path, local: dict[str, Any], tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from marsad.spark.runner import extract

    plain = {r["id"]: r for r in local["plain"]}
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()[:2]]
    keys = list(dict.fromkeys(k for r in rows for k in r))  # a missing field is a null column value
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows]), tmp_path / "in.parquet")
    extract(spark, str(tmp_path / "in.parquet"), str(tmp_path / "out"), "parquet", resolve=False)
    table = pq.read_table(tmp_path / "out").to_pylist()
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    for r in table:
        got, want = json.loads(r["record"]), plain[r["id"]]
        assert got["source"].endswith("in.parquet:" + str(1 + [x["id"] for x in rows].index(r["id"])))
        assert {k: v for k, v in got.items() if k != "source"} == {k: v for k, v in want.items() if k != "source"}


@pytestmark_java
def test_resolution_on_spark_equals_local(spark: Any) -> None:
    from marsad.spark.runner import resolve_rdd

    records = [rec("d1", ent("per:جورج_مالبرونو", "جورج مالبرونو")),
               rec("d2", ent("per:جورج_مالبرنو", "جورج مالبرنو"), ent("per:فرنسوا_ديبوتيه", "فرنسوا ديبوتيه")),
               rec("d3", ent("per:مالبرونو", "مالبرونو")),
               rec("d4", ent("per:فرانسوا_ديبوتيه", "فرانسوا ديبوتيه")),
               rec("d5", ent("qatar", "قطر", "GPE"))]
    want, res_local = resolve_records(records)
    rdd = spark.sparkContext.parallelize([(r["id"], json.dumps(r, ensure_ascii=False)) for r in records], 3)
    out, res = resolve_rdd(spark.sparkContext, rdd)
    assert [json.loads(r) for _, r in out.collect()] == want
    assert {k: c.members for k, c in res.clusters.items()} == {k: c.members for k, c in res_local.clusters.items()}
    assert any(len(c.members) > 1 for c in res.clusters.values())  # something was merged
    cid = res.corpus_id("per:مالبرونو")
    assert res.explain(cid) == res_local.explain(cid)


def _event(eid: str, cat: str, actor: str, recipient: str, date: str | None, qty: float | None = None
           ) -> dict[str, Any]:
    return {"id": eid, "event": cat, "cameo": None, "mode": None, "context": [],
            "actor": [{"entity": actor, "country": None, "text": actor}],
            "recipient": [{"entity": recipient, "country": None, "text": recipient}],
            "date": date, "date_precision": "day" if date else None, "event_loc": None, "status": "asserted",
            "quantities": [{"value": qty, "unit": "soldiers", "text": str(qty)}] if qty else [],
            "trigger": {"start": 0, "end": 2, "text": "نص"}, "text_info": {"sentence": 0, "start": 0, "end": 5}}


def _event_records() -> list[dict[str, Any]]:
    """Three outlets report one deployment (two figures), two report one meeting, the rest stand
    alone; categories interleave so a per-category split is really exercised."""
    out = []
    for i in range(12):
        evs = [_event(f"d{i}:e1", "MOBILIZE", "turkey", "qatar", "2017-06-0" + str(7 + i % 2),
                      3000.0 if i % 3 else 5000.0) if i < 3 else
               _event(f"d{i}:e1", "ASSAULT", f"per:{i}", "iraq", f"2020-01-{10 + i}"),
               _event(f"d{i}:e2", "CONSULT", "per:emir", "per:akar", "2019-12-01" if i in (4, 7) else None)]
        r = rec(f"d{i}", ent("turkey", "تركيا", "GPE"), ent("qatar", "قطر", "GPE"),
                ent("per:emir", "تميم" if i else "الأمير تميم"), ent("per:akar", "أكار"))
        r.update(events=evs, outlet=f"outlet{i % 4}", date=f"2019-12-0{1 + i % 5}", text="نص " * 5)
        out.append(r)
    return out


@pytestmark_java
def test_corpus_events_on_spark_equal_local(spark: Any) -> None:
    from marsad.resolve.events import corpus_events
    from marsad.spark.runner import events_rdd

    records = _event_records()
    want = [e.to_dict() for e in corpus_events(records)]
    assert any(e["n_documents"] == 3 for e in want) and any(e["has_contradiction"] for e in want)
    rdd = spark.sparkContext.parallelize([(r["id"], json.dumps(r, ensure_ascii=False)) for r in records], 3)
    got = [json.loads(x) for _, (_, x) in events_rdd(spark.sparkContext, rdd).collect()]
    assert got == want


@pytestmark_java
def test_extract_writes_corpus_events_like_local(spark: Any, corpus: Path, local: dict[str, Any],
                                                 tmp_path: Path) -> None:
    from marsad.resolve.events import corpus_events
    from marsad.spark.runner import extract

    summary = extract(spark, str(corpus), str(tmp_path / "out"), "jsonl", partitions=2,
                      events=str(tmp_path / "events"))
    got = _parts(tmp_path / "events")
    assert got == [e.to_dict() for e in corpus_events(local["resolved"])]
    assert summary["events"] == len(got) > 0


@pytestmark_java
def test_corpus_events_as_parquet(spark: Any, corpus: Path, local: dict[str, Any], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from marsad.resolve.events import corpus_events
    from marsad.spark.runner import extract

    extract(spark, str(corpus), str(tmp_path / "out"), "parquet", partitions=2, events=str(tmp_path / "ev"))
    rows = pq.read_table(tmp_path / "ev").to_pylist()
    want = [e.to_dict() for e in corpus_events(local["resolved"])]
    assert [json.loads(r["corpus_event"]) for r in rows] == want
    assert [(r["id"], r["event"], r["sort_date"]) for r in rows] == [(e["id"], e["event"], e["sort_date"])
                                                                     for e in want]
