"""Extract and score every gold set we have; print one table (the README's quality numbers).

Gold sets:
  seeds        ../shared/gold-dev           the three seed articles (Turkey–Qatar, partisan outlets)
  samples      gold/samples                 our twelve sample articles (all 16 categories)
  corpus-dev   gold/corpus-dev              12 real articles from ../shared/corpus/politics.jsonl
  corpus-test  gold/corpus-test             7 held-out real articles: never tune on these

    python scripts/evaluate_all.py [--set NAME ...] [--verbose NAME] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from marsad.evaluate import evaluate, render, to_json
from marsad.pipeline import Pipeline
from marsad.runner import process

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
ROWS = [
    ("entities (typed)", ("entities", "typed")),
    ("resolution (pairs)", ("resolution", "pairs")),
    ("events L1", ("events", "L1")),
    ("events L2 strict", ("events", "L2", "strict")),
    ("events L2 undirected", ("events", "L2", "undirected")),
    ("events L3 strict", ("events", "L3", "strict")),
    ("quantity mentions", ("quantities", "mentions")),
    ("framing (overlap)", ("framing", "overlap")),
]


def _gold_ids(gold: Path) -> set[str]:
    return {json.loads(p.read_text(encoding="utf-8"))["doc_id"] for p in gold.glob("*.json")}


def _corpus_subset(gold: Path, out: Path) -> Path:
    ids = _gold_ids(gold)
    with (SHARED / "corpus" / "politics.jsonl").open(encoding="utf-8") as fh, out.open("w", encoding="utf-8") as o:
        for line in fh:
            if json.loads(line)["id"] in ids:
                o.write(line)
    return out


def gold_sets(tmp: Path) -> dict[str, tuple[Path, list[str]]]:
    sets: dict[str, tuple[Path, list[str]]] = {}
    if (SHARED / "gold-dev").is_dir():
        sets["seeds"] = (SHARED / "gold-dev", [str(SHARED / "seeds" / "seeds.jsonl")])
    sets["samples"] = (REPO / "gold" / "samples", [str(REPO / "samples")])
    if (SHARED / "corpus" / "politics.jsonl").is_file():
        for name in ("corpus-dev", "corpus-test"):
            gold = REPO / "gold" / name
            if gold.is_dir():
                sets[name] = (gold, [str(_corpus_subset(gold, tmp / f"{name}.jsonl"))])
    return sets


def _get(d: dict, path: tuple[str, ...]) -> dict:
    for k in path:
        d = d.get(k, {}) if isinstance(d, dict) else {}
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", help="only these gold sets")
    ap.add_argument("--verbose", action="append", default=[], help="print the full report of this set")
    ap.add_argument("--json", type=Path, help="write all reports as JSON")
    args = ap.parse_args()
    console = Console()
    pipeline = Pipeline()
    reports = {}
    with tempfile.TemporaryDirectory() as td:
        for name, (gold, inputs) in gold_sets(Path(td)).items():
            if args.set and name not in args.set:
                continue
            records = [r.record for r in process(inputs, pipeline) if r.record is not None]
            report = evaluate(gold, records)
            reports[name] = to_json(report)
            if name in args.verbose:
                render(report, console, verbose=True)
    table = Table(title="marsad quality (F1; P/R in --json)")
    table.add_column("metric")
    for name in reports:
        table.add_column(name, justify="right")
    for label, path in ROWS:
        cells = []
        for rep in reports.values():
            m = _get(rep, path)
            f1 = m.get("f1") if isinstance(m, dict) else None
            cells.append("–" if f1 is None else f"{f1:.3f}")
        table.add_row(label, *cells)
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
