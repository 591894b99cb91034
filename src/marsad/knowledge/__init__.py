"""Knowledge as data: gazetteers, actor KB, trigger patterns and lexicons live in TSV/YAML files
in this folder, so an analyst can extend them without touching Python.

Loaders elsewhere read them through :func:`read_tsv` / :func:`read_yaml`, which check the
columns and name the file and line of any problem.  ``MARSAD_KNOWLEDGE`` may name an extra
folder whose files of the same name are read *after* the bundled ones (analyst extensions).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent
# libyaml's C parser when PyYAML has it (10x faster on actors.yaml), else the pure-Python one
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file and line."""


def data_paths(name: str) -> list[Path]:
    """The bundled file ``name`` and, if present, the analyst's file of the same name."""
    paths = [KNOWLEDGE_DIR / name]
    extra = os.environ.get("MARSAD_KNOWLEDGE")
    if extra:
        p = Path(extra) / name
        if p.exists():
            paths.append(p)
    return [p for p in paths if p.exists()]


def read_tsv(name: str, required: list[str]) -> Iterator[dict[str, str]]:
    """Rows of a TSV knowledge file as dicts; '#' lines are comments, empty cells are ''.

    Raises :class:`KnowledgeError` naming the file when a required column is missing.
    """
    for path in data_paths(name):
        with path.open(encoding="utf-8", newline="") as fh:
            lines = (ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#"))
            reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise KnowledgeError(f"{path}: missing column(s) {', '.join(missing)}")
            for row in reader:
                yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def load_yaml_file(path: Path) -> Any:
    """One YAML file, parsed safely; a syntax error becomes a :class:`KnowledgeError` naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc


def read_yaml(name: str) -> list[Any]:
    """The documents of a YAML knowledge file (bundled first, then the analyst's), concatenated
    when they are lists."""
    out: list[Any] = []
    for path in data_paths(name):
        data = load_yaml_file(path)
        if data is None:
            continue
        if isinstance(data, list):
            out.extend(data)
        else:
            out.append(data)
    return out


def split_variants(cell: str) -> list[str]:
    """A '|'-separated cell as a list of non-empty strings."""
    return [v.strip() for v in cell.split("|") if v.strip()]
