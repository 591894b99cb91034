"""The Arabic text layer: normalisation with offset maps, sentences, clitic-aware tokens."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.doc import Doc, Document
from marsad.knowledge import KnowledgeError
from marsad.text import tokens
from marsad.text.anchors import finditer_at_words, first_words
from marsad.text.normalize import NormalizedText, normalize
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

ARABIC_CHARS = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةـ") + ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652",
                                                   "\u064b", "\u0670", "\u200f"]
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲0123456789") + list(" .,،؛:؟!«»“”\"()\n-") + list("abcXYZé")
)
ARABIC_TEXT = st.text(ARABIC_CHARS, max_size=200)


def test_spelling_variants_share_a_key():
    assert normalize("أكار") == normalize("آكار") == normalize("اكار")
    assert normalize("الدوحة") == normalize("الدوحه")
    assert normalize("مصطفى") == normalize("مصطفي")
    assert normalize("الرئيـــس") == normalize("الرئيس") == normalize("الرَّئِيسُ")
    assert normalize("٣٠٠٠") == "3000" == normalize("۳۰۰۰")
    assert normalize("MIT") == "mit"


def test_characters_past_the_table_pass_through():
    assert normalize("😀\ufeffأ\U0001d400") == "😀ا\U0001d400"
    assert normalize("ＡΣЖ") == "ＡΣЖ"  # case is folded only up to U+024F


@given(ARABIC_TEXT)
@settings(max_examples=300)
def test_normalized_offsets_map_back_exactly(text):
    nt = NormalizedText.of(text)
    assert len(nt.to_orig) == len(nt.norm) + 1 and nt.to_orig[-1] == len(text)
    assert nt.norm == normalize(text)
    for i, ch in enumerate(nt.norm):
        assert normalize(text[nt.to_orig[i]]) == ch
    # every normalised span maps to an original span whose normal form is that span
    for a in range(0, len(nt.norm), 7):
        for b in range(a + 1, min(len(nt.norm), a + 12) + 1):
            s, e = nt.span_to_orig(a, b)
            assert 0 <= s < e <= len(text)
            assert normalize(text[s:e]) == nt.norm[a:b]
            assert nt.orig_to_norm(s) == a


def test_span_keeps_trailing_diacritics():
    text = "قال أكارُ أمس"
    nt = NormalizedText.of(text)
    a = nt.norm.index("اكار")
    s, e = nt.span_to_orig(a, a + 4)
    assert text[s:e] == "أكارُ"


@given(ARABIC_TEXT)
@settings(max_examples=300)
def test_tokens_index_the_text(text):
    prev_end = 0
    for tok in tokenize(text):
        assert text[tok.start:tok.end] == tok.text
        assert tok.start >= prev_end
        assert tok.start <= tok.stem_start <= tok.stem_end <= tok.end
        assert tok.norm == normalize(tok.text)
        assert tok.is_word == any(ch.isalnum() for ch in tok.text)
        prev_end = tok.end


@given(ARABIC_TEXT)
@settings(max_examples=200)
def test_remembered_readings_are_the_readings(text):
    """Token readings are kept per spelling: a text read with the memory emptied gets the same
    tokens, and so does the same spelling at another offset."""
    first = tokenize(text)
    tokens._READINGS.clear()
    assert tokenize(text) == first
    shifted = tokenize("  " + text)
    assert [(t.start - 2, t.end - 2, t.stem_start - 2, t.stem_end - 2, t.prefixes, t.suffix) for t in shifted] \
        == [(t.start, t.end, t.stem_start, t.stem_end, t.prefixes, t.suffix) for t in first]


def test_diacritics_stay_out_of_the_stem_offsets():
    text = "وَقَطَرُ وقطر"
    voweled, plain = tokenize(text)
    assert voweled.norm == plain.norm and voweled.prefixes == plain.prefixes == ("و",)
    assert text[voweled.stem_start:voweled.stem_end] == "قَطَرُ"


def test_sentence_of_finds_the_sentence_before_a_position():
    doc = Doc(Document(id="x", text="أ. ب. ج."), sentences=[(0, 2), (3, 5), (6, 8)])
    assert [doc.sentence_of(p) for p in (0, 1, 2, 3, 5, 6, 9)] == [0, 0, 0, 1, 1, 2, 2]
    assert Doc(Document(id="y", text="")).sentence_of(4) == 0


@given(ARABIC_TEXT)
@settings(max_examples=300)
def test_sentences_are_ordered_stripped_spans(text):
    prev = 0
    for s, e in split_sentences(text):
        assert prev <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        prev = e


def _stem(t, text):
    return text[t.stem_start:t.stem_end]


def test_clitics_are_segmented_by_evidence():
    text = "وقال وزير الخارجية بالدوحة إن وقطر وكما وسيزور للرئيس"
    toks = {t.text: t for t in tokenize(text)}
    assert toks["وقال"].prefixes == ("و",) and _stem(toks["وقال"], text) == "قال"
    assert toks["وزير"].prefixes == ()  # و is part of the word
    assert _stem(toks["بالدوحة"], text) == "الدوحة"  # the article stays with the name
    assert _stem(toks["وقطر"], text) == "قطر"
    assert toks["وسيزور"].prefixes == ("و", "س")
    assert toks["للرئيس"].prefixes == ("ل",)


def test_numbers_are_single_tokens():
    text = "نشر 3,000 جندي و٣٫٥ مليار"
    assert [t.text for t in tokenize(text)] == ["نشر", "3,000", "جندي", "و", "٣٫٥", "مليار"]


def test_sentence_boundaries():
    text = ("قال الوزير، في بيان، إن النمو بلغ 3.5 في المئة. وأضاف د. محمد أن الأمر انتهى! "
            "بعد أردوغان.. وزير الدفاع في قطر\nوصل الوفد «وقال: سنعود.» ثم غادر؟ نعم.,وانتهى")
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert sents == [
        "قال الوزير، في بيان، إن النمو بلغ 3.5 في المئة.",
        "وأضاف د. محمد أن الأمر انتهى!",
        "بعد أردوغان.. وزير الدفاع في قطر",
        "وصل الوفد «وقال: سنعود.»",  # the closing quote stays with its sentence
        "ثم غادر؟",
        "نعم.,",
        "وانتهى",
    ]


def test_patterns_run_only_where_an_opener_or_digit_starts():
    text = "أرسلت نحو 30 جنديا وبعشرات جندي و12 جندي"
    at_word = re.compile(r"(?<![\w])(?:نحو )?(?:\d+|عشرات) جندي")
    assert [m.group() for m in finditer_at_words(at_word, text, frozenset({"نحو", "عشرات"}))] == ["نحو 30 جندي"]
    # one proclitic in: و12 is found, وبعشرات (two) is not
    glued = re.compile(r"(?<![\w])(?:\d+|عشرات) جندي|(?<=\b[وب])(?:\d+|عشرات) جندي")
    assert [m.group() for m in finditer_at_words(glued, text, frozenset({"عشرات"}), "وب")] == ["30 جندي", "12 جندي"]
    assert [m.group() for m in glued.finditer(text)] == ["30 جندي", "12 جندي"]
    assert first_words(["كانون الثاني", "2020م"]) == {"كانون", "2020م"}
    with pytest.raises(KnowledgeError):
        first_words(["%"])
