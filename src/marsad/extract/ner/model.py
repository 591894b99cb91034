"""Runtime CRF named-entity tagger (python-crfsuite + stdlib only)."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pycrfsuite

from marsad.extract.ner.features import WordFeatures, sentence_features

MODELS = Path(__file__).resolve().parents[2] / "models"
MODEL_PATH = MODELS / "ner.crfsuite"
CLUSTERS_PATH = MODELS / "clusters.tsv.gz"
WORD_CACHE_MAX = 30_000  # distinct words whose features are kept between sentences (~5 KB each)
GAZETTEER_PATH = MODELS / "gazetteer.tsv.gz"

#: Entity types the bundled model emits (BIO over them).
LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")


def read_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """word -> cluster ids at each granularity (coarse to fine), from a ``.tsv.gz`` table."""
    table: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            table[parts[0]] = tuple(parts[1:])
    return table


def read_gazetteer(path: Path) -> dict[str, str]:
    """normalised clitic-stripped word -> ``|``-joined gazetteer tags (e.g. ``PER|WD``)."""
    table: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, _, tags = line.rstrip("\n").partition("\t")
            table[word] = tags
    return table


class NerTagger:
    """BIO tagger over raw whitespace-level news tokens (clitics attached, punctuation split)."""

    def __init__(self, model_path: Path = MODEL_PATH, clusters_path: Path = CLUSTERS_PATH,
                 gazetteer_path: Path = GAZETTEER_PATH) -> None:
        self.clusters = read_clusters(clusters_path) if clusters_path.exists() else {}
        self.gazetteer = read_gazetteer(gazetteer_path) if gazetteer_path.exists() else {}
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self._words: dict[str, WordFeatures] = {}  # per-word features, bounded (see tag)

    @classmethod
    @cache
    def load(cls) -> NerTagger:
        """The bundled model, loaded once per process."""
        return cls()

    def tag(self, words: Sequence[str]) -> list[str]:
        """One BIO tag per input token."""
        if not words:
            return []
        if len(self._words) > WORD_CACHE_MAX:  # keep memory flat on endless corpora
            self._words.clear()
        return list(self._tagger.tag(sentence_features(words, self.clusters, self.gazetteer, self._words)))

    def spans(self, words: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Entities as (start, end exclusive, type, confidence); confidence is the lowest
        per-token marginal probability of the predicted label inside the span."""
        tags = self.tag(words)
        out: list[tuple[int, int, str, float]] = []
        start, typ = -1, ""
        for i, t in enumerate([*tags, "O"]):
            if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
                if start >= 0:
                    conf = min(self._tagger.marginal(tags[j], j) for j in range(start, i))
                    out.append((start, i, typ, round(conf, 4)))
                    start, typ = -1, ""
                if t != "O":
                    start, typ = i, t[2:]
        return out
