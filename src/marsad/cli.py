"""The ``marsad`` command.  Thin: it parses arguments and calls the functions the API and the
tests call.  Records go to stdout (or --output); progress and problems go to stderr."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from marsad import __version__
from marsad.pipeline import Pipeline, available
from marsad.runner import Result, Summary, process

app = typer.Typer(
    help="marsad (مرصد) — read Arabic news, extract who did what to whom, when, where, "
         "with how many, who says so, and how it is framed.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
err = Console(stderr=True)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

InputsArg = Annotated[list[str], typer.Argument(
    help="Files (.txt .html .htm .jsonl .json), folders (searched recursively) or - for stdin.",
    show_default=False)]
DocDateOpt = Annotated[str | None, typer.Option(
    "--doc-date", help="Reference date YYYY-MM-DD for inputs that carry none (resolves 'الأحد', "
                       "'ديسمبر الماضي'…).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", "-w", min=1, help="Processes to extract with (default: all cores).")]
ComponentsOpt = Annotated[str | None, typer.Option(
    "--components", help="Comma-separated pipeline components to run (default: all available). "
                         "See 'marsad components'.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"marsad {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """marsad: Arabic news → source-linked event data."""


def _pipeline(components: str | None) -> Pipeline:
    names = [c.strip() for c in components.split(",") if c.strip()] if components else None
    return Pipeline(names)


def _workers(n: int | None) -> int:
    return n if n is not None else (os.cpu_count() or 1)


def _check_date(doc_date: str | None) -> None:
    if doc_date is None:
        return
    from datetime import date

    try:
        date.fromisoformat(doc_date)
    except ValueError:
        err.print(f"[red]error:[/] --doc-date {doc_date!r} is not a date (expected YYYY-MM-DD)")
        raise typer.Exit(2) from None


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                    console=err, transient=True)


def _report(res: Result) -> None:
    if res.error is not None:
        err.print(f"[red]error:[/] {res.error}", highlight=False, soft_wrap=True)
    elif res.duplicate_of is not None and res.document is not None:
        err.print(f"[yellow]duplicate:[/] {res.document.source or res.document.id}: same text as "
                  f"{res.duplicate_of}; skipped", highlight=False, soft_wrap=True)


@app.command()
def extract(
    inputs: InputsArg,
    doc_date: DocDateOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl (one record per line) or json "
                                                             "(one array).")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write records here "
                                                                       "instead of stdout.")] = None,
    components: ComponentsOpt = None,
    workers: WorkersOpt = None,
    resolve: Annotated[bool, typer.Option(
        "--resolve/--no-resolve", help="With -o: a second pass gives each real-world entity one id "
                                       "across all documents (spelling variants, partial names).")] = True,
    engine: Annotated[str, typer.Option(
        "--engine", help="local (this machine) or spark: 'marsad extract --engine spark INPUT OUTPUT' runs "
                         "the same pipeline on Spark (JSONL/Parquet in, --format jsonl|parquet out; "
                         "see bench/README.md).")] = "local",
    partitions: Annotated[int | None, typer.Option(
        "--partitions", min=1, help="--engine spark: partitions to extract in (default: 4 per core).")] = None,
    events: Annotated[str | None, typer.Option(
        "--events", help="With -o (or OUTPUT): also group the events of all documents into corpus events "
                         "(one act told by several outlets, with why they were joined and what the sources "
                         "disagree on) and write them here as JSONL (--engine spark: --format "
                         "jsonl|parquet).")] = None,
) -> None:
    """Extract records (spec/record-format.md) from articles and write them as JSON."""
    _check_date(doc_date)
    if events and not resolve:
        err.print("[red]error:[/] --events needs cross-document resolution (drop --no-resolve): corpus "
                  "events join reports of the same entities")
        raise typer.Exit(2)
    if engine not in ("local", "spark"):
        err.print(f"[red]error:[/] unknown --engine {engine!r}; use local or spark")
        raise typer.Exit(2)
    if engine == "spark":
        from marsad.spark.runner import run_cli

        names = [c.strip() for c in components.split(",") if c.strip()] if components else None
        raise typer.Exit(run_cli(inputs, str(output) if output else None, fmt, partitions, doc_date, names,
                                 resolve, err, events))
    if fmt not in ("jsonl", "json"):
        err.print(f"[red]error:[/] unknown --format {fmt!r}; use jsonl or json")
        raise typer.Exit(2)
    if events and not output:
        err.print("[red]error:[/] --events needs -o: corpus events are built from the written records")
        raise typer.Exit(2)
    pipeline = _pipeline(components)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    summary = Summary()
    first = True
    try:
        if fmt == "json":
            out.write("[")
        with _progress() as progress:
            task = progress.add_task("extracting", total=None, rate="")
            for res in process(inputs, pipeline, doc_date, workers=_workers(workers)):
                summary.add(res)
                _report(res)
                if res.record is not None:
                    line = json.dumps(res.record, ensure_ascii=False)
                    if fmt == "json":
                        out.write(("" if first else ",") + "\n" + line)
                    else:
                        out.write(line + "\n")
                    first = False
                progress.update(task, advance=1, rate=f"{summary.documents} ok, {summary.failed} failed")
        if fmt == "json":
            out.write("\n]\n")
    finally:
        if output:
            out.close()
    if output:
        if resolve and summary.documents:
            from marsad.resolve.entities import resolve_file

            res = resolve_file(output, fmt)
            merged = sum(1 for c in res.clusters.values() if len(c.members) > 1)
            err.print(f"resolved entities across documents: {merged} merged identities")
        err.print(f"wrote {summary.documents} record(s) to {output}")
        if events:
            from marsad.resolve.entities import read_records
            from marsad.resolve.events import corpus_events, write_events

            n = write_events(corpus_events(read_records(output, fmt)), Path(events))
            err.print(f"wrote {n} corpus event(s) to {events}")
    if summary.failed:
        err.print(f"[red]{summary.failed} input(s) failed[/]; {summary.documents} processed")
        raise typer.Exit(1)


@app.command()
def ingest(
    inputs: InputsArg,
    db: Annotated[Path, typer.Option("--db", help="The store file (created if missing).")] = Path("marsad.db"),
    doc_date: DocDateOpt = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per "
                                                                        "transaction.")] = 200,
    components: ComponentsOpt = None,
    workers: WorkersOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
) -> None:
    """Extract and store articles in the embedded store (idempotent: re-ingesting changes nothing)."""
    _check_date(doc_date)
    summary, failed = ingest_into(db, inputs, doc_date, batch_size, components, _workers(workers))
    if not quiet:
        print_summary(summary, title=f"Ingested into {db}")
    if failed:
        err.print(f"[red]{failed} input(s) failed[/]; the others were stored")
        raise typer.Exit(1)


def ingest_into(db: Path, inputs: list[str], doc_date: str | None, batch_size: int = 200,
                components: str | None = None, workers: int = 1) -> tuple[Summary, int]:
    """Ingest ``inputs`` into the store at ``db``; returns the summary and the failure count."""
    from marsad.store import BatchResult, Store
    from marsad.store.corpus import Corpus

    pipeline = _pipeline(components)
    summary = Summary()
    errors: list[str] = []
    total = BatchResult()
    with Store(db) as store, _progress() as progress:
        run = store.start_run([str(i) for i in inputs])
        task = progress.add_task("ingesting", total=None, rate="")
        batch: list[tuple] = []
        for res in process(inputs, pipeline, doc_date, workers=workers):
            summary.add(res)
            _report(res)
            if res.error is not None:
                errors.append(str(res.error))
            if res.record is not None and res.document is not None:
                batch.append((res.document, res.record))
            if len(batch) >= batch_size:
                total += store.write_batch(batch, ",".join(pipeline.names))
                batch = []
            progress.update(task, advance=1, rate=f"{summary.documents} ok, {summary.failed} failed")
        if batch:
            total += store.write_batch(batch, ",".join(pipeline.names))
        store.finish_run(run, total, errors)
        if total.added or total.updated or Corpus(store).is_stale():
            Corpus(store).rebuild()  # corpus knowledge (cross-document events, search) follows the records
    err.print(f"store {db}: {total.added} added, {total.updated} updated, {total.unchanged} unchanged")
    return summary, len(errors)


def print_summary(summary: Summary, title: str = "Summary") -> None:
    console = Console()
    t = Table(title=title, show_header=False, title_justify="left")
    t.add_row("documents", str(summary.documents))
    t.add_row("failed inputs", str(summary.failed))
    if summary.duplicates:
        t.add_row("duplicates skipped", str(summary.duplicates))
    t.add_row("sentences", str(summary.sentences))
    t.add_row("characters", f"{summary.chars:,}")
    t.add_row("entities", ", ".join(f"{k} {v}" for k, v in summary.entity_types.most_common()) or "—")
    t.add_row("events", ", ".join(f"{k} {v}" for k, v in summary.event_types.most_common()) or "—")
    if summary.actors:
        t.add_row("top actors", "، ".join(f"{k} ({v})" for k, v in summary.actors.most_common(8)))
    t.add_row("warnings", str(summary.warnings))
    console.print(t)


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files (format of ../shared/gold-dev).")],
    records: Annotated[Path, typer.Argument(help="System records (JSONL from 'marsad extract').")],
    more_gold: Annotated[list[Path] | None, typer.Option("--gold", help="Another gold folder to "
                                                                        "pool (repeatable).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every missed and "
                                                                  "spurious event.")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as "
                                                                 "JSON here.")] = None,
) -> None:
    """Score records against gold annotations: entities, resolution, events (3 levels), framing."""
    from marsad.evaluate import evaluate as run_eval
    from marsad.evaluate import render, to_json

    for p in [gold_dir, records, *(more_gold or [])]:
        if not p.exists():
            err.print(f"[red]error:[/] {p}: no such file or folder")
            raise typer.Exit(2)
    report = run_eval([gold_dir, *(more_gold or [])], records)
    render(report, Console(), verbose=verbose)
    if json_out:
        json_out.write_text(json.dumps(to_json(report), ensure_ascii=False, indent=1), encoding="utf-8")


@app.command()
def components() -> None:
    """List the pipeline components that can run here, in order."""
    for name in available():
        typer.echo(name)


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="Where to build the demo store.")] = Path("marsad-demo.db"),
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Open the workbench on the demo "
                                                                       "store afterwards.")] = True,
    port: Annotated[int, typer.Option("--port", help="Workbench port.")] = 8000,
) -> None:
    """Ingest the bundled sample articles, show what was found, and open the workbench on them."""
    if not SAMPLES.is_dir():
        err.print(f"[red]error:[/] bundled samples not found at {SAMPLES}")
        raise typer.Exit(2)
    inputs = [str(p) for p in sorted(SAMPLES.iterdir())
              if p.is_file() and p.suffix.lower() in {".txt", ".html", ".htm", ".jsonl"}]
    summary, failed = ingest_into(db, inputs, doc_date=None)
    print_summary(summary, title=f"marsad demo — {len(inputs)} sample file(s) → {db}")
    if failed:
        raise typer.Exit(1)
    if serve_after:
        err.print("Open the address below in a browser; Ctrl+C stops the workbench.")
        serve(db=db, host="127.0.0.1", port=port, allow_ingest=False)


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="The store to explore.")] = Path("marsad.db"),
    host: Annotated[str, typer.Option("--host", help="Interface to bind (default: this machine only).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    allow_ingest: Annotated[bool, typer.Option("--allow-ingest", help="Accept POST /api/ingest "
                                                                      "(the store becomes writable).")] = False,
) -> None:
    """Serve the analyst's workbench (HTML pages and the JSON API under /api) over a store."""
    import uvicorn

    from marsad.serve.app import create_app, prepare
    from marsad.store import StoreError

    if not db.exists():
        err.print(f"[red]error:[/] {db}: no such store (run 'marsad ingest' first)")
        raise typer.Exit(2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[bold red]WARNING:[/] binding {host}: anyone who can reach this machine can read the "
                  "store" + (" and ADD documents to it" if allow_ingest else "") + ". There is no login.")
    try:
        if prepare(db):
            err.print(f"rebuilt the corpus tables of {db}")
        application = create_app(db, allow_ingest=allow_ingest)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    err.print(f"marsad workbench on http://{host}:{port}/  (API: /api, schema: /openapi.json)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


EXPORT_FORMATS = ("plover-jsonl", "gdelt-tsv", "csv", "graphml", "parquet")


@app.command()
def export(
    db: Annotated[Path, typer.Option("--db", help="The store to export.")] = Path("marsad.db"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="plover-jsonl | gdelt-tsv | csv | graphml | "
                                                             "parquet")] = "plover-jsonl",
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file.")] = Path("marsad-export"),
    header: Annotated[bool, typer.Option("--header", help="gdelt-tsv: write the column names first.")] = False,
    no_entities: Annotated[bool, typer.Option("--no-entities", help="csv/parquet: skip the entities table "
                                                                    "(<stem>.entities.<ext>).")] = False,
) -> None:
    """Export corpus events: PLOVER JSONL, GDELT 2.0 TSV, CSV or Parquet tables, GraphML network."""
    from marsad.export import run_export
    from marsad.store import StoreError

    if fmt not in EXPORT_FORMATS:
        err.print(f"[red]error:[/] unknown --format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    if not db.exists():
        err.print(f"[red]error:[/] {db}: no such store")
        raise typer.Exit(2)
    try:
        paths = run_export(db, fmt, output, header=header, entities=not no_entities)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    err.print("wrote " + ", ".join(str(p) for p in paths))


@app.command()
def resolve(
    db: Annotated[Path, typer.Option("--db", help="The store to rebuild.")] = Path("marsad.db"),
) -> None:
    """Rebuild the corpus knowledge: cross-document entities and events, contradictions, search index."""
    from marsad.store import Store
    from marsad.store.corpus import Corpus

    if not db.exists():
        err.print(f"[red]error:[/] {db}: no such store")
        raise typer.Exit(2)
    with Store(db) as store:
        corpus = Corpus(store)
        corpus.rebuild()
        c = corpus.overview()["counts"]
    err.print(f"{db}: {c['documents']} documents, {c['entities']} entities, {c['events']} corpus events "
              f"from {c['event_mentions']} reports, {c['sources']} sources")


@app.command()
def bench(
    corpus: Annotated[Path | None, typer.Argument(
        help="A JSONL corpus; its first --n articles are used (default: the bundled samples, repeated).",
        show_default=False)] = None,
    n: Annotated[int | None, typer.Option("--n", min=1, help="Articles to use (default: the first 2000 of "
                                                              "CORPUS, or the samples repeated to 200).")] = None,
    workers: WorkersOpt = None,
    components: ComponentsOpt = None,
    stages: Annotated[bool, typer.Option("--stages/--no-stages", help="Also time every stage "
                                                                      "(one more serial pass).")] = True,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the numbers as JSON "
                                                                 "here.")] = None,
) -> None:
    """Measure throughput (per stage and end to end), the 1 → N worker speed-up and peak memory."""
    from marsad.bench import render, run

    if corpus is not None and not corpus.is_file():
        err.print(f"[red]error:[/] {corpus}: no such file")
        raise typer.Exit(2)
    names = [c.strip() for c in components.split(",") if c.strip()] if components else None
    result = run(corpus, n, _workers(workers), SAMPLES, names, stages)
    render(result, Console())
    if json_out:
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    app()
