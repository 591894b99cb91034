"""``marsad bench``: how fast is the pipeline, where does the time go, and does memory stay flat?

Three passes over the same corpus file:

1. a serial pass that times every stage (ingest/clean, each pipeline component, serialisation) by
   wrapping the components of a built :class:`~marsad.pipeline.Pipeline` (pipeline.py is untouched);
2. the real ``extract`` loop (:func:`marsad.runner.process` + ``json.dumps``) with 1 worker;
3. the same with N workers, for the speed-up.

Peak RSS is ``getrusage(ru_maxrss)`` of this process and of its largest child (a worker).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.doc import Doc, Document
from marsad.ingest.readers import content_hash, read_inputs
from marsad.pipeline import Pipeline
from marsad.records import to_record
from marsad.runner import batch_collector, process, warm_up

MIN_SAMPLE_ARTICLES = 200  # the bundled samples are repeated up to this many articles (unless --n)
DEFAULT_N = 2000  # articles taken from a corpus file


@dataclass
class _Timed:
    """A component wrapper that adds up the time spent in it."""

    inner: Any
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return str(self.inner.name)

    def __call__(self, doc: Doc) -> Doc:
        t = time.perf_counter()
        try:
            return self.inner(doc)
        finally:
            self.seconds += time.perf_counter() - t


def machine() -> dict[str, Any]:
    """Cores, CPU model, Python and the current load: numbers mean nothing without them."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count() or 1, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "load": _load()}


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def peak_rss_mb() -> dict[str, float]:
    """High-water RSS of this process and of the largest finished child (Linux reports KiB)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024
    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale, 1)}


def _sample_lines(samples: Path) -> list[str]:
    """The bundled samples as JSONL lines (read and cleaned like any input)."""
    files = sorted(p for p in samples.iterdir() if p.is_file() and not p.name.endswith(".meta.json")
                   and p.suffix.lower() in {".txt", ".html", ".htm", ".jsonl"})
    out = []
    for item in read_inputs(files):
        if isinstance(item, Document):
            out.append({"id": item.id, "title": item.title, "text": item.text, "date": item.date,
                        "url": item.url, "outlet": item.outlet})
    return [json.dumps(o, ensure_ascii=False) for o in out]


def prepare_corpus(corpus: Path | None, n: int | None, dest: Path, samples: Path) -> dict[str, Any]:
    """Write the benchmark input to ``dest`` (JSONL): the first ``n`` lines of ``corpus``, or the
    samples repeated (each copy made unique, so no copy is skipped as a duplicate)."""
    count = 0
    with dest.open("w", encoding="utf-8") as out:
        if corpus is None:
            base = _sample_lines(samples)
            if not base:
                raise ValueError(f"no sample articles in {samples}")
            target = n or MIN_SAMPLE_ARTICLES
            while count < target:
                for line in base:
                    obj = json.loads(line)
                    copy = count // len(base)
                    if copy:
                        obj["id"] = f"{obj['id']}~{copy}"
                        obj["text"] = f"{obj['text']}\n\nنسخة {copy}"
                    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                    count += 1
                    if count >= target:
                        break
        else:
            with corpus.open("rb") as fh:
                for raw in fh:
                    if not raw.strip():
                        continue
                    out.write(raw.decode("utf-8-sig") if count == 0 else raw.decode("utf-8"))
                    if not raw.endswith(b"\n"):
                        out.write("\n")
                    count += 1
                    if count >= (n or DEFAULT_N):
                        break
    return {"path": str(corpus) if corpus else f"{samples} (repeated)", "lines": count,
            "mb": round(dest.stat().st_size / 1e6, 3)}


def _timed_items(items: Iterator[Any], acc: list[float]) -> Iterator[Any]:
    """Yield from ``items``, adding the time spent producing each one to ``acc[0]``."""
    while True:
        t = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            acc[0] += time.perf_counter() - t
            return
        acc[0] += time.perf_counter() - t
        yield item


def stage_pass(path: Path, pipeline: Pipeline) -> dict[str, Any]:
    """The serial extract loop, with every stage timed (ingest includes the duplicate check)."""
    timed = [_Timed(c) for c in pipeline.components]
    original = pipeline.components
    pipeline.components = timed  # type: ignore[assignment]
    ingest = [0.0]
    ser = 0.0
    docs = sentences = chars = 0
    seen: set[str] = set()
    t0 = time.perf_counter()
    try:
        with batch_collector():  # as the real loop runs (runner.process)
            for item in _timed_items(read_inputs([path]), ingest):
                t = time.perf_counter()
                if not isinstance(item, Document):
                    ingest[0] += time.perf_counter() - t
                    continue
                h = content_hash(item.text)
                ingest[0] += time.perf_counter() - t
                if h in seen:
                    continue
                seen.add(h)
                doc = pipeline(item)
                t = time.perf_counter()
                rec = to_record(doc)
                json.dumps(rec, ensure_ascii=False)
                ser += time.perf_counter() - t
                docs += 1
                sentences += len(rec["sentences"])
                chars += len(rec["text"])
    finally:
        pipeline.components = original
    wall = time.perf_counter() - t0
    stages = {"ingest/clean": ingest[0], **{c.name: c.seconds for c in timed}, "serialisation": ser}
    total = sum(stages.values()) or 1e-9
    return {
        "articles": docs, "sentences": sentences, "chars": chars, "seconds": round(wall, 3),
        "stages": {name: {"seconds": round(s, 4), "ms_per_article": round(1000 * s / max(docs, 1), 3),
                          "share": round(s / total, 4),
                          "articles_per_s": round(docs / s, 1) if s > 0 else None}
                   for name, s in stages.items()},
    }


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def machine_speedup(workers: int, n: int = 5_000_000) -> float:
    """The speed-up the machine gives right now to ``workers`` copies of a pure-Python loop.  On a
    shared or overcommitted VM this is well below ``workers``; the pipeline cannot beat it."""
    import multiprocessing as mp

    t = time.perf_counter()
    _spin(n)
    one = time.perf_counter() - t
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    with ctx.Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)  # start-up is not part of the measurement
        t = time.perf_counter()
        pool.map(_spin, [n] * workers, chunksize=1)
        many = time.perf_counter() - t
    return round(workers * one / many, 2)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def throughput(path: Path, pipeline: Pipeline, workers: int, mb: float) -> dict[str, Any]:
    """The real ``marsad extract`` loop (read, extract, serialise) with ``workers`` processes."""
    docs = sentences = 0
    cpu0 = _cpu()
    t0 = time.perf_counter()
    for res in process([path], pipeline, workers=workers):
        if res.record is not None:
            json.dumps(res.record, ensure_ascii=False)
            docs += 1
            sentences += len(res.record["sentences"])
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    return {"workers": workers, "articles": docs, "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
            "cores_used": round(cpu / wall, 2), "load": _load(),
            "articles_per_s": round(docs / wall, 1), "articles_per_s_per_core": round(docs / wall / workers, 1),
            "mb_per_s": round(mb / wall, 3), "sentences_per_s": round(sentences / wall, 1)}


def run(corpus: Path | None = None, n: int | None = None, workers: int | None = None, samples: Path | None = None,
        components: list[str] | None = None, stages: bool = True) -> dict[str, Any]:
    """Measure everything; returns the numbers ``marsad bench --json`` writes."""
    workers = workers or os.cpu_count() or 1
    samples = samples or Path(__file__).resolve().parents[2] / "samples"
    before = machine()
    t_build = time.perf_counter()
    pipeline = Pipeline(components)
    warm_up(pipeline)  # lazy loads are start-up cost, not per-article cost
    build = time.perf_counter() - t_build
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        info = prepare_corpus(corpus, n, path, samples)
        out: dict[str, Any] = {"machine": before, "corpus": info, "pipeline": pipeline.names,
                               "pipeline_build_seconds": round(build, 3)}
        if stages:
            sp = stage_pass(path, pipeline)
            out["corpus"].update(articles=sp["articles"], sentences=sp["sentences"], chars=sp["chars"])
            out["stage_pass"] = {k: v for k, v in sp.items() if k != "stages"}
            out["stages"] = sp["stages"]
        runs = [throughput(path, pipeline, 1, info["mb"])]
        if workers > 1:
            runs.append(throughput(path, pipeline, workers, info["mb"]))
        out["runs"] = runs
        out["speedup"] = round(runs[-1]["articles_per_s"] / runs[0]["articles_per_s"], 2)
        # what the speed-up would be with the cores to ourselves: N x (CPU per article, 1 worker) /
        # (CPU per article, N workers); differs from the measured one when other jobs take the CPU
        out["machine_speedup"] = machine_speedup(workers)
        cpu1, cpun = runs[0]["cpu_seconds"], runs[-1]["cpu_seconds"]
        out["speedup_cpu_bound"] = round(runs[-1]["workers"] * cpu1 / cpun, 2) if cpun > 0 else None
        out["corpus"].setdefault("articles", runs[0]["articles"])
    out["peak_rss_mb"] = peak_rss_mb()
    out["load_after"] = _load()
    return out


def render(res: dict[str, Any], console: Any) -> None:
    """The numbers as rich tables."""
    from rich.table import Table

    m, c = res["machine"], res["corpus"]
    console.print(f"[bold]machine[/]: {m['cores']} cores, {m['cpu']}, Python {m['python']}; "
                  f"load {m['load']} before, {res.get('load_after')} after")
    console.print(f"[bold]corpus[/]: {c['path']}: {c.get('articles')} articles, {c['mb']} MB"
                  + (f", {c['sentences']} sentences" if "sentences" in c else ""))
    if "stages" in res:
        t = Table(title="Per stage (1 process)", title_justify="left")
        for col in ("stage", "ms/article", "share", "articles/s"):
            t.add_column(col, justify="left" if col == "stage" else "right")
        for name, s in res["stages"].items():
            t.add_row(name, f"{s['ms_per_article']:.2f}", f"{100 * s['share']:.1f}%",
                      f"{s['articles_per_s']:,.0f}" if s["articles_per_s"] else "—")
        console.print(t)
    t = Table(title="Full pipeline (read → extract → JSON)", title_justify="left")
    for col in ("workers", "articles/s", "per core", "MB/s", "sentences/s", "seconds", "cores used", "load"):
        t.add_column(col, justify="right")
    for r in res["runs"]:
        t.add_row(str(r["workers"]), f"{r['articles_per_s']:,.1f}", f"{r['articles_per_s_per_core']:,.1f}",
                  f"{r['mb_per_s']:.3f}", f"{r['sentences_per_s']:,.0f}", f"{r['seconds']:.1f}",
                  f"{r['cores_used']:.2f}", f"{r['load'][0] if r['load'] else '?'}")
    console.print(t)
    rss = res["peak_rss_mb"]
    console.print(f"speed-up 1 → {res['runs'][-1]['workers']} workers: [bold]{res['speedup']:.2f}x[/] measured, "
                  f"{res.get('speedup_cpu_bound') or 0:.2f}x from CPU time per article; the machine gives "
                  f"{res.get('machine_speedup') or 0:.2f}x to a plain Python loop right now; "
                  f"peak RSS: {rss['self']:.0f} MB (this process), {rss['children']:.0f} MB (largest worker)")
