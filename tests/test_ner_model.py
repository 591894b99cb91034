"""The bundled NER model: loads standalone, tags a hand-written sentence, keeps its ANERcorp score."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from marsad.extract.ner import LABELS, NerTagger

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))

# Entity-level micro F1 of the shipped model on the ANERcorp CAMeL test split (bench/ner_scores.md).
MEASURED_F1 = 73.0

SENTENCE = "واستقبل الرئيس التركي رجب طيب أردوغان في أنقرة وفدا من شركة أسيلسان للصناعات الدفاعية ."


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.load()


def test_load_is_cached(tagger: NerTagger) -> None:
    assert NerTagger.load() is tagger


def test_tags_known_names(tagger: NerTagger) -> None:
    words = SENTENCE.split()
    tags = tagger.tag(words)
    assert len(tags) == len(words)
    assert all(t == "O" or (t[:2] in ("B-", "I-") and t[2:] in LABELS) for t in tags)
    spans = tagger.spans(words)
    assert (3, 6, "PER") in [s[:3] for s in spans]
    assert (7, 8, "LOC") in [s[:3] for s in spans]
    for _s, _e, _t, conf in spans:
        assert 0.0 <= conf <= 1.0


def test_empty_and_punctuation(tagger: NerTagger) -> None:
    assert tagger.tag([]) == []
    assert tagger.spans([]) == []
    assert tagger.tag(["."]) == ["O"]


@pytest.fixture(scope="module")
def anercorp_test() -> Path:
    p = SHARED / "data" / "anercorp_camel_split" / "test.tsv"
    if not p.is_file():
        pytest.skip(f"shared data not present at {SHARED}")
    return p


@pytest.mark.shared
def test_anercorp_test_score(tagger: NerTagger, anercorp_test: Path) -> None:
    from marsad.train.ner import read_conll, score

    sents = read_conll(anercorp_test)
    t0 = time.time()
    pred = [tagger.tag(w) for w, _ in sents]
    elapsed = time.time() - t0
    f1 = score([t for _, t in sents], pred)["ALL"][2]
    assert f1 >= MEASURED_F1 - 1.0, f1
    assert sum(len(w) for w, _ in sents) / elapsed > 1000  # tokens per second
