"""``marsad extract --engine spark``: the single-machine pipeline, run per Spark partition.

Why it gives the same records as ``marsad extract``:

* every row goes through :func:`marsad.ingest.readers.document_from_json` (the JSONL reader's own
  per-object path: cleaning, ids, warnings) and :func:`marsad.runner.extract_one` (pipeline +
  ``to_record``); the pipeline is built once per executor Python process (:func:`executor_pipeline`);
* JSONL is read as text and each line parsed with ``json.loads`` (``spark.read.json`` would infer a
  schema and add ``null`` fields to ``meta``); the line number of every row, which local ids and
  ``source`` use, is computed from a tiny per-(partition, file) count table (:class:`LineIndex`);
* row order is kept (range partitioning on a monotonically increasing row id), so the first of two
  identical texts wins, as locally.

Cross-document resolution (``--resolve``, the default, as for ``extract -o``) is the same two passes
as :func:`marsad.resolve.entities.resolve_file`: each partition folds its records into entity
summaries, the driver merges them in row order (:func:`merge_partials`, exact: the summaries' caps
are applied at the merge), clusters them, broadcasts the :class:`Resolution`, and each partition
rewrites its records.  The extracted records are kept on the executors' disks between the passes.

Corpus events (``--events``) are a further step on the resolved records (:func:`events_rdd`), exact
because they are clustered per event category, which joins never cross.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from marsad.ingest.readers import MAX_DOC_BYTES, IngestError, Item, document_from_json
from marsad.pipeline import Pipeline
from marsad.resolve.entities import Collector, Knowledge, Resolution, Summary, apply_record
from marsad.resolve.events import Report, build_events, cluster_items, entity_name, output_order
from marsad.runner import batch_collector, extract_one

try:  # the accumulator's type must be importable on the executors
    from pyspark.accumulators import AccumulatorParam as _AccumulatorBase
except ImportError:  # pyspark absent: the merge helpers still work (and are tested) without it
    _AccumulatorBase = object  # type: ignore[assignment,misc]

_PIPELINES: dict[tuple[str, ...] | None, Pipeline] = {}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WS = " \t\n\r\x0b\x0c"  # what bytes.strip() strips: the local JSONL reader's notion of a blank line
MAX_ERRORS = 1000  # error messages brought back to the driver (all are counted)


def executor_pipeline(components: Iterable[str] | None) -> Pipeline:
    """The pipeline of this Python process, built on first use (Spark reuses its Python workers,
    so this is once per executor worker, not once per partition)."""
    key = tuple(components) if components is not None else None
    pipe = _PIPELINES.get(key)
    if pipe is None:
        pipe = _PIPELINES[key] = Pipeline(list(key) if key is not None else None)
    return pipe


# --------------------------------------------------------------------------- rows -> documents


@dataclass
class LineIndex:
    """(file, partition) -> (first line number, first row id), so any row's line number in its file
    is ``first_line + row_id - first_row_id`` (row ids are consecutive within a partition)."""

    starts: dict[tuple[str, int], tuple[int, int]]

    @classmethod
    def build(cls, counts: Iterable[tuple[str, int, int, int]]) -> LineIndex:
        """From rows (file, partition, count, min row id); partitions of a file are in file order."""
        starts: dict[tuple[str, int], tuple[int, int]] = {}
        nxt: dict[str, int] = {}
        for file, pid, count, first in sorted(counts):
            line = nxt.get(file, 1)
            starts[(file, pid)] = (line, first)
            nxt[file] = line + count
        return cls(starts)

    def line(self, file: str, row_id: int) -> int:
        first_line, first_id = self.starts[(file, row_id >> 33)]
        return first_line + row_id - first_id


def source_namer(given: str) -> Any:
    """file URI (as Spark reports it) -> the ``source`` the local reader would write: the path as
    given for a file, ``given/relative`` below a folder; a URI input keeps Spark's URI."""
    if _SCHEME.match(given) and not given.startswith("file:"):
        return lambda uri: uri
    local = Path(unquote(urlparse(given).path)) if given.startswith("file:") else Path(given)
    base = local.resolve()
    is_dir = local.is_dir()

    def name(uri: str) -> str:
        p = Path(unquote(urlparse(uri).path)) if _SCHEME.match(uri) else Path(uri)
        if is_dir:
            try:
                return str(local / p.relative_to(base))
            except ValueError:
                return str(p)
        if p == base:
            return str(local)
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)

    return name


def _plain(v: Any) -> Any:
    """A Parquet value as the JSON value a JSONL reader would have seen."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items() if x is not None}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes | bytearray):
        return bytes(v).decode("utf-8", "replace")
    return v


def row_items(rows: Iterable[Any], fmt: str, index: LineIndex, namer: Any,
              doc_date: str | None) -> Iterator[tuple[int, Item]]:
    """(row id, Document or IngestError) for Spark rows, exactly as the local JSONL reader makes them."""
    for row in rows:
        file, rid = row["_file"], row["_rid"]
        src = namer(file)
        lineno = index.line(file, rid)
        where = f"{src}:{lineno}"
        if fmt == "parquet":
            obj = _plain({k: v for k, v in row.asDict(recursive=True).items() if k not in ("_file", "_rid")})
        else:
            raw: str = row["value"]
            if not raw.strip(_WS):
                continue
            if lineno == 1 and raw.startswith("\ufeff"):
                raw = raw[1:]
            size = len(raw.encode("utf-8")) + 1
            if size > MAX_DOC_BYTES:
                yield rid, IngestError(where, f"line is {size / 1e6:.1f} MB, larger than one article can be")
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield rid, IngestError(where, f"not valid JSON: {exc.msg} (column {exc.colno})")
                continue
        yield rid, document_from_json(obj, where, f"{Path(src).stem}:{lineno}", doc_date)


# --------------------------------------------------------------------------- resolution on partitions


@contextlib.contextmanager
def _uncapped() -> Iterator[None]:
    """Collect a partition's summaries without the name/surface/role caps: a cap is order-dependent
    (it admits the first keys seen), so it is applied once, at the ordered merge."""
    from marsad.resolve import entities as ent

    saved = ent.CAP_NAMES, ent.CAP_SURFACES, ent.CAP_ROLES
    ent.CAP_NAMES = ent.CAP_SURFACES = ent.CAP_ROLES = sys.maxsize
    try:
        yield
    finally:
        ent.CAP_NAMES, ent.CAP_SURFACES, ent.CAP_ROLES = saved


def partial_summaries(records: Iterable[dict[str, Any]], knowledge: Knowledge | None = None
                      ) -> tuple[dict[str, Summary], int]:
    """Pass 1 on one partition: its entity summaries (small: distinct entities, no texts)."""
    c = Collector(knowledge)
    with _uncapped():
        c.add_all(records)
    return c.nodes, c.n_records


def merge_partials(parts: Iterable[tuple[dict[str, Summary], int]], knowledge: Knowledge | None = None
                   ) -> Collector:
    """Fold partition summaries, in row order, into the Collector a single pass over all records
    would have built (caps included: a key is admitted while the counter has room)."""
    from marsad.resolve import entities as ent

    c = Collector(knowledge)
    caps = {"names": ent.CAP_NAMES, "surfaces": ent.CAP_SURFACES, "roles": ent.CAP_ROLES,
            "sectors": ent.CAP_ROLES}
    for nodes, n in parts:
        c.n_records += n
        for key, s in nodes.items():
            m = c.nodes.get(key)
            if m is None:
                m = c.nodes[key] = Summary(s.id, s.type, s.country, s.known)
            if not m.name_en and s.name_en:
                m.name_en = s.name_en
            for attr, cap in caps.items():
                into = getattr(m, attr)
                for k, v in getattr(s, attr).items():
                    ent._bump(into, k, cap, v)
            m.n_docs += s.n_docs
            m.n_mentions += s.n_mentions
            for d in s.sample_docs:
                if len(m.sample_docs) < ent.CAP_DOCS and d not in m.sample_docs:
                    m.sample_docs.append(d)
    return c


# --------------------------------------------------------------------------- the job


def session(master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    """A SparkSession; run outside spark-submit, workers use this Python (and its marsad)."""
    from pyspark.sql import SparkSession

    if "PYSPARK_PYTHON" not in os.environ and "PYSPARK_GATEWAY_PORT" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName("marsad")
    if master:
        builder = builder.master(master)
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


def input_format(path: str) -> str:
    """parquet for ``*.parquet`` (or a local folder of them), else JSONL."""
    p = path.rstrip("/")
    if p.endswith(".parquet"):
        return "parquet"
    local = Path(p)
    if not _SCHEME.match(p) and local.is_dir() and any(local.rglob("*.parquet")):
        return "parquet"
    return "jsonl"


class _ListParam(_AccumulatorBase):  # type: ignore[misc,valid-type]
    """Accumulator of (row id, message) pairs, capped (retried tasks may repeat one: deduped by row)."""

    def zero(self, value: list[tuple[int, str]]) -> list[tuple[int, str]]:
        return []

    def addInPlace(self, a: list[tuple[int, str]], b: list[tuple[int, str]]) -> list[tuple[int, str]]:
        a.extend(b[: max(0, MAX_ERRORS - len(a))])
        return a


def extract(spark: Any, inputs: str | list[str], output: str, out_format: str = "jsonl",
            partitions: int | None = None, doc_date: str | None = None,
            components: list[str] | None = None, resolve: bool = True,
            events: str | None = None) -> dict[str, Any]:
    """Read articles (JSONL or Parquet, any Hadoop path), extract records on the executors and
    write them to ``output`` (JSONL lines = records, or Parquet with ``id`` and ``record`` columns).
    With ``events`` (needs ``resolve``), also write the corpus events there (JSONL lines, or Parquet
    with ``id``, ``event``, ``sort_date`` and ``corpus_event`` columns)."""
    if events and not resolve:
        raise ValueError("corpus events need cross-document resolution (resolve=True)")
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    paths = [inputs] if isinstance(inputs, str) else list(inputs)
    if out_format not in ("jsonl", "parquet"):
        raise ValueError(f"unknown output format {out_format!r}; use jsonl or parquet")
    fmt = input_format(paths[0])
    reader = spark.read
    df = reader.parquet(*paths) if fmt == "parquet" else reader.text(paths)
    df = df.withColumn("_file", F.input_file_name()).withColumn("_rid", F.monotonically_increasing_id())
    counts = (df.groupBy("_file", F.shiftright("_rid", 33).alias("pid"))
              .agg(F.count(F.lit(1)).alias("n"), F.min("_rid").alias("first")).collect())
    index = LineIndex.build((r["_file"], r["pid"], r["n"], r["first"]) for r in counts)
    sc = spark.sparkContext
    want = partitions or max(df.rdd.getNumPartitions(), 4 * sc.defaultParallelism)
    if want != df.rdd.getNumPartitions():
        df = df.repartitionByRange(want, "_rid").sortWithinPartitions("_rid")
    b_index = sc.broadcast(index)
    namers = {p: source_namer(p) for p in paths}
    namer = _multi_namer(namers) if len(paths) > 1 else namers[paths[0]]
    comps = tuple(components) if components is not None else None
    rows = df.rdd

    def scan(part: Iterable[Any]) -> Iterator[tuple[str, Any, Any]]:
        for rid, item in row_items(part, fmt, b_index.value, namer, doc_date):
            if isinstance(item, IngestError):
                yield "e", rid, str(item)
            else:
                yield "h", hashlib.sha1(item.text.encode("utf-8")).hexdigest(), rid

    scanned = rows.mapPartitions(scan).persist(StorageLevel.MEMORY_AND_DISK)
    errors = sorted(scanned.filter(lambda t: t[0] == "e").map(lambda t: (t[1], t[2])).takeOrdered(MAX_ERRORS))
    n_failed = scanned.filter(lambda t: t[0] == "e").count()
    hashes = scanned.filter(lambda t: t[0] == "h").map(lambda t: (t[1], t[2]))
    n_docs = hashes.count()
    dups = set(hashes.groupByKey().flatMap(lambda kv: sorted(kv[1])[1:]).collect())
    scanned.unpersist()
    b_dups = sc.broadcast(dups)
    failures = sc.accumulator([], _ListParam())

    def work(part: Iterable[Any]) -> Iterator[tuple[str, str]]:
        pipe = executor_pipeline(comps)
        skip = b_dups.value
        bad: list[tuple[int, str]] = []
        with batch_collector():  # as runner.process runs a batch
            for rid, item in row_items(part, fmt, b_index.value, namer, doc_date):
                if isinstance(item, IngestError) or rid in skip:
                    continue
                res = extract_one(pipe, item)
                if res.record is None:
                    bad.append((rid, str(res.error)))
                    continue
                yield res.record["id"], json.dumps(res.record, ensure_ascii=False)
        if bad:
            failures.add(bad)

    records = rows.mapPartitions(work)
    merged = None
    if resolve:
        records = records.persist(StorageLevel.DISK_ONLY)  # extracted once, read by both passes
        out_rdd, res = resolve_rdd(sc, records)
        merged = sum(1 for c in res.clusters.values() if len(c.members) > 1)
    else:
        out_rdd = records
    if events:
        out_rdd = out_rdd.persist(StorageLevel.DISK_ONLY)  # the resolved records feed both outputs
    out = spark.createDataFrame(out_rdd, "id string, record string")
    if out_format == "jsonl":
        out.select("record").write.mode("overwrite").text(output)
    else:
        out.write.mode("overwrite").parquet(output)
    n_events = None
    if events:
        ev_rdd = events_rdd(sc, out_rdd).persist(StorageLevel.DISK_ONLY)
        n_events = ev_rdd.count()
        if out_format == "jsonl":
            spark.createDataFrame(ev_rdd.values().map(lambda v: (v[1],)), "corpus_event string").write.mode(
                "overwrite").text(events)
        else:
            rows = ev_rdd.map(lambda kv: (kv[0][1], kv[1][0], kv[0][0], kv[1][1]))
            spark.createDataFrame(rows, "id string, event string, sort_date string, corpus_event string"
                                  ).write.mode("overwrite").parquet(events)
        ev_rdd.unpersist()
        out_rdd.unpersist()
    if resolve:
        records.unpersist()
    extraction_errors = dict(sorted(failures.value))
    all_errors = sorted(errors + list(extraction_errors.items()))
    return {"documents": n_docs - len(dups) - len(extraction_errors), "failed": n_failed + len(extraction_errors),
            "duplicates": len(dups), "errors": [m for _, m in all_errors], "merged_identities": merged,
            "partitions": want, "input_format": fmt, "output": output, "events": n_events}


def resolve_rdd(sc: Any, records: Any) -> tuple[Any, Resolution]:
    """Cross-document resolution of an RDD of (id, record JSON) in row order: pass 1 folds each
    partition into entity summaries, the driver merges and clusters them; pass 2 rewrites each
    record with the broadcast :class:`Resolution`.  Same result as ``resolve_file`` on one machine."""
    parts = records.mapPartitions(lambda part: [partial_summaries(json.loads(r) for _, r in part)]).collect()
    res = merge_partials(parts).resolve()
    b_res = sc.broadcast(res)

    def rewrite(part: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        for rid, rec in part:
            yield rid, json.dumps(apply_record(json.loads(rec), b_res.value), ensure_ascii=False)

    return records.mapPartitions(rewrite), res


def events_rdd(sc: Any, records: Any) -> Any:
    """Corpus events (:func:`marsad.resolve.events.corpus_events`) of an RDD of (id, record JSON) in
    row order, as an RDD of (order key, (category, corpus event JSON)) sorted like the local output.

    Exact because grouping never crosses event categories: each category is clustered on one
    executor (so one category's events, about 6 KB each in memory, must fit there).  Parties are named after
    the first record naming them, found with a reduce over (row, position) and broadcast."""
    indexed = records.zipWithIndex()

    def named(row: tuple[tuple[str, str], int]) -> Iterator[tuple[str, tuple[int, int, dict[str, Any]]]]:
        (_, rec), i = row
        for pos, e in enumerate(json.loads(rec).get("entities") or []):
            yield e["id"], (i, pos, entity_name(e))

    names = dict(indexed.flatMap(named).reduceByKey(lambda a, b: a if a[:2] <= b[:2] else b)
                 .mapValues(lambda v: v[2]).collect())
    b_names = sc.broadcast(names)

    def reports(row: tuple[tuple[str, str], int]) -> Iterator[tuple[str, Report]]:
        rec = json.loads(row[0][1])
        for ev in rec.get("events") or []:
            yield ev.get("event") or "", Report.of(rec, ev)

    def cluster(kv: tuple[str, Iterable[Report]]) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
        for ev in build_events(cluster_items(list(kv[1])), b_names.value):
            yield output_order(ev), (kv[0], json.dumps(ev.to_dict(), ensure_ascii=False))

    return indexed.flatMap(reports).groupByKey().flatMap(cluster).sortByKey()


def _multi_namer(namers: dict[str, Any]) -> Any:
    """Several inputs: name a file by the input it lies under (the first that claims it)."""
    def name(uri: str) -> str:
        p = unquote(urlparse(uri).path) if _SCHEME.match(uri) else uri
        for given, namer in namers.items():
            g = str(Path(unquote(urlparse(given).path) if given.startswith("file:") else given).resolve())
            if p == g or p.startswith(g.rstrip("/") + "/"):
                return namer(uri)
        return uri

    return name


def run_cli(inputs: list[str], output: str | None, out_format: str, partitions: int | None,
            doc_date: str | None, components: list[str] | None, resolve: bool, console: Any,
            events: str | None = None) -> int:
    """``marsad extract --engine spark``: INPUT... OUTPUT (or -o OUTPUT); returns the exit status."""
    if output is None:
        if len(inputs) < 2:
            console.print("[red]error:[/] --engine spark needs an output: marsad extract --engine spark "
                          "INPUT OUTPUT")
            return 2
        inputs, output = inputs[:-1], inputs[-1]
    if "-" in inputs:
        console.print("[red]error:[/] --engine spark reads files or URIs, not stdin")
        return 2
    if out_format not in ("jsonl", "parquet"):
        console.print(f"[red]error:[/] --engine spark writes jsonl or parquet, not {out_format!r}")
        return 2
    try:
        import pyspark  # noqa: F401
    except ImportError:
        console.print("[red]error:[/] pyspark is not installed: pip install 'marsad[spark]' (needs Java 17+)")
        return 2
    spark = session(conf={"spark.ui.showConsoleProgress": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    summary = extract(spark, inputs, output, out_format, partitions, doc_date, components, resolve, events)
    for msg in summary["errors"]:
        console.print(f"[red]error:[/] {msg}", highlight=False, soft_wrap=True)
    if summary["duplicates"]:
        console.print(f"[yellow]{summary['duplicates']} duplicate(s)[/] (same text as an earlier article) skipped")
    if summary["merged_identities"] is not None:
        console.print(f"resolved entities across documents: {summary['merged_identities']} merged identities")
    console.print(f"wrote {summary['documents']} record(s) to {output} ({summary['partitions']} partitions)")
    if events:
        console.print(f"wrote {summary['events']} corpus event(s) to {events}")
    if summary["failed"]:
        console.print(f"[red]{summary['failed']} input(s) failed[/]; {summary['documents']} processed")
        return 1
    return 0
