"""The bundled NER model: loads standalone, tags a hand-written sentence, keeps its ANERcorp score,
and its numpy state scores + crfsuite decoding give exactly what crfsuite gives on the attribute
strings (tags and marginal probabilities, bit for bit)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from marsad.extract.ner import LABELS, NerTagger
from marsad.extract.ner.features import TokenInfo, WordFeatures, WordRows, sentence_features, shape
from marsad.extract.ner.model import MODEL_PATH, read_crfsuite
from marsad.text.normalize import normalize

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))

# Entity-level micro F1 of the shipped model on the ANERcorp CAMeL test split (bench/ner_scores.md).
MEASURED_F1 = 73.0

SENTENCE = "واستقبل الرئيس التركي رجب طيب أردوغان في أنقرة وفدا من شركة أسيلسان للصناعات الدفاعية ."

# Written for these tests: news-style sentences with names, titles, clitics, diacritics, hamza
# variants, digits (Arabic and Eastern), Latin words, punctuation and the attribute separators.
SENTENCES = [
    SENTENCE,
    "أعلن وزير الخارجية المصري سامح شكري اليوم الثلاثاء في القاهرة أن بلاده ستستضيف قمة عربية طارئة .",
    "وقال المتحدث باسم الأمم المتحدة ستيفان دوجاريك إن المنظمة تتابع الوضع في مدينة حلب عن كثب .",
    "التقى الرئيس الفرنسي إيمانويل ماكرون رئيس الوزراء البريطاني في باريس لبحث ملف الهجرة .",
    "ذكرت وكالة رويترز أن شركة أرامكو السعودية رفعت أسعار النفط لعملائها في آسيا بنسبة 3 % .",
    "وأكدت حركة حماس في بيان أن الاحتلال يتحمل مسؤولية التصعيد في قطاع غزة والضفة الغربية .",
    "قال مدرب ريال مدريد كارلو أنشيلوتي لصحيفة ماركا ( Marca ) إن الفريق جاهز لمباراة الأحد .",
    "وَصَلَ الأمينُ العامُّ لجامعةِ الدولِ العربيةِ أحمد أبو الغيط إلى بيروتَ مساءَ أمسِ .",
    "أسفر الزلزال الذي ضرب ولاية هاتاي التركية في 6 فبراير 2023 عن مقتل أكثر من ٤٠ ألف شخص .",
    "كتب المحلل على منصة X = تويتر سابقا | أن القرار a|b مفاجئ للأسواق والمستثمرين .",
    "NASA و ESA تطلقان مسبارا نحو المريخ من قاعدة كيب كانافيرال في فلوريدا .",
]
LONG = " ".join(s[:-2] for s in SENTENCES * 3).split()  # ~400 tokens, no sentence break


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.load()


@pytest.fixture(scope="module")
def reference() -> pycrfsuite.Tagger:
    ref = pycrfsuite.Tagger()
    ref.open(str(MODEL_PATH))
    return ref


def crfsuite_reference(ref: pycrfsuite.Tagger, tagger: NerTagger,
                       words: list[str]) -> tuple[list[str], np.ndarray]:
    """Tags and (token, label) marginals from crfsuite on the attribute strings (the old runtime)."""
    ref.set(sentence_features(words, tagger.clusters, tagger.gazetteer))
    tags = ref.tag()
    return tags, np.array([[ref.marginal(y, t) for y in tagger.labels] for t in range(len(words))])


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
    assert tagger.tag_many([]) == []
    assert tagger.spans_many([[], []]) == [[], []]
    assert tagger.marginals([]).shape == (0, len(tagger.labels))
    assert tagger.tag(["."]) == ["O"]


@pytest.mark.parametrize("words", [s.split() for s in SENTENCES] + [LONG, ["."], ["القاهرة"], ["Trump"], ["|"]],
                         ids=[f"s{i}" for i in range(len(SENTENCES))] + ["long", "dot", "one-word", "latin", "bar"])
def test_same_as_crfsuite_on_strings(tagger: NerTagger, reference: pycrfsuite.Tagger, words: list[str]) -> None:
    tags, marginals = crfsuite_reference(reference, tagger, words)
    assert tagger.tag(words) == tags
    assert np.array_equal(tagger.marginals(words), marginals)  # bit for bit


def test_spans_match_crfsuite_marginals(tagger: NerTagger, reference: pycrfsuite.Tagger) -> None:
    for words in [s.split() for s in SENTENCES] + [LONG]:
        tags, marginals = crfsuite_reference(reference, tagger, words)
        index = {y: k for k, y in enumerate(tagger.labels)}
        for s, e, typ, conf in tagger.spans(words):
            assert {tags[s][2:], *(t[2:] for t in tags[s:e])} == {typ}
            assert conf == round(min(marginals[t, index[tags[t]]] for t in range(s, e)), 4)


def test_batch_equals_one_by_one(tagger: NerTagger) -> None:
    sentences = [s.split() for s in SENTENCES] + [[], LONG, ["."]]
    assert tagger.spans_many(sentences) == [tagger.spans(w) for w in sentences]
    assert tagger.tag_many(sentences) == [tagger.tag(w) for w in sentences]


def test_small_cache_empties_and_grows(reference: pycrfsuite.Tagger) -> None:
    """A cache smaller than a batch grows for it; a full one is emptied; answers never change."""
    small = NerTagger(cache_size=30, prime=100)
    big = NerTagger.load()
    for words in [s.split() for s in SENTENCES] + [LONG] + [s.split() for s in SENTENCES]:
        tags, _ = crfsuite_reference(reference, big, words)
        assert small.tag(words) == tags
        assert small.spans(words) == big.spans(words)
    assert small._vocab.capacity >= len(LONG)


def test_weights_read_from_the_model_file(reference: pycrfsuite.Tagger) -> None:
    weights = read_crfsuite(MODEL_PATH)
    info = reference.info()
    assert list(weights.labels) == reference.labels()
    assert set(weights.attrs) == set(info.attributes)
    label = {y: k for k, y in enumerate(weights.labels)}
    for (attr, y), w in info.state_features.items():  # the dump prints 6 decimals
        assert abs(weights.state[weights.attrs[attr], label[y]] - w) < 1e-6
    for (a, b), w in info.transitions.items():
        assert abs(weights.trans[label[a], label[b]] - w) < 1e-6
    assert not weights.state[0].any()


def _words() -> list[str]:
    extra = ["", "و", "وال", "ال", "لل", "بالكتابهما", "كتابهم", "ـ", "ًً", "١٢", "A1", "Ab", "?!", "x|y", "=", "a=b"]
    return sorted({w for s in SENTENCES for w in s.split()} | set(extra))


def test_word_rows_mirror_word_features(tagger: NerTagger) -> None:
    """With attribute rows made from WordFeatures' own strings, WordRows must give every one of
    them, in order, including finer cluster tables and more gazetteer tags than the bundled ones."""
    words = _words()
    gazetteer = {**tagger.gazetteer, "كتاب": "PER|LOC|WD", "ريال": "ORG"}
    clusters = {**tagger.clusters, "مدريد": ("1", "2", "3", "4"), "ماكرون": ("7",)}
    for gz, cl in ((tagger.gazetteer, tagger.clusters), (gazetteer, clusters), (None, {})):
        feats = {w: WordFeatures(TokenInfo(w, cl), gz) for w in words}
        names = sorted({f for wf in feats.values() for part in (wf.own, *wf.near.values()) for f in part})
        attrs = {name: k for k, name in enumerate(names, 1)}
        rows = WordRows(attrs, cl, gz)
        for w, wf in feats.items():
            got, stem, k1 = rows(normalize(w), shape(w))
            assert len(got) == sum(rows.widths)
            parts = []
            for width in rows.widths:
                parts.append([r for r in got[:width] if r])
                got = got[width:]
            expected = [[attrs[f] for f in part] for part in (wf.own, *(wf.near[o] for o in (-2, -1, 1, 2)))]
            assert parts == expected, w
            assert (stem, k1) == (wf.stem, wf.k1)


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
