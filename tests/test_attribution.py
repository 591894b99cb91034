"""Attribution: named sources (according-to phrases, reporting verbs) and anonymous ones."""

from __future__ import annotations

import pytest

from marsad.extract.attribution import AttributionTagger, _candidates_key
from marsad.extract.events import EventExtractor
from marsad.extract.triggers import Words
from test_events import make_doc


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


def events(extractor, text):
    doc = extractor(make_doc(text))
    AttributionTagger(extractor.lex)(doc)
    return doc


def test_according_to_named_entity(extractor):
    doc = events(extractor, "وزار وزير الدفاع التركي خلوصي أكار الدوحة، بحسب ما أفادت وكالة الأنباء القطرية.")
    ev = doc.events[0]
    assert ev.attribution is not None
    assert ev.attribution.kind == "named" and ev.attribution.entity == "qna"
    assert doc.text[ev.attribution.start : ev.attribution.end] == "وكالة الأنباء القطرية"


def test_reporting_verb_subject(extractor):
    doc = events(extractor, "وقال أردوغان إن تركيا ستنشر قوات إضافية في قطر.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution.entity == "erdogan" and ev.attribution.kind == "named"


def test_anonymous_sources(extractor):
    doc = events(extractor, "وقالت مصادر مطلعة إن تركيا نشرت قوات إضافية في قطر.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution.kind == "anonymous" and ev.attribution.entity is None


def test_observers_anonymous(extractor):
    doc = events(extractor, "ويرى مراقبون أن قطر قدمت دعما ماليا كبيرا إلى تركيا.")
    ev = next(e for e in doc.events if e.event == "AID")
    assert ev.attribution.kind == "anonymous"


def test_continuation_inherits_previous_source(extractor):
    text = "وقال أردوغان إن العلاقات جيدة. وأضاف أن تركيا ستنشر قوات في قطر."
    doc = events(extractor, text)
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution is not None and ev.attribution.entity == "erdogan"


def test_own_voice_has_no_attribution(extractor):
    doc = events(extractor, "ونشرت تركيا قوات في قطر.")
    assert doc.events[0].attribution is None


def test_capital_as_source(extractor):
    doc = events(extractor, "وأعلنت أنقرة توقيع الجانبين اتفاقيات مالية جديدة بين تركيا وقطر.")
    ev = next(e for e in doc.events if e.event == "SUPPORT")
    assert ev.attribution.kind == "named" and ev.attribution.text == "أنقرة"


# ---------------------------------------------------------------- round 3: general attribution rules
def test_source_text_is_the_name_not_the_role_phrase(extractor):
    doc = events(extractor, "وقال وزير الدفاع التركي، خلوصي أكار، إن تركيا ستنشر قوات إضافية في قطر.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution.entity == "hulusi_akar" and ev.attribution.text == "خلوصي أكار"


def test_role_phrase_then_person_speaker_is_the_person(extractor):
    doc = events(extractor, "وأكد سفير تركيا لدى الدوحة خلوصي أكار أن تركيا ستنشر قوات إضافية في قطر.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution.entity == "hulusi_akar"


def test_act_in_the_speakers_frame_is_not_attributed(extractor):
    doc = events(extractor, "وقال أردوغان في مؤتمر صحفي مع أمير قطر في الدوحة إن تركيا ستنشر قوات إضافية في قطر.")
    meeting = next(e for e in doc.events if e.event == "CONSULT")
    assert meeting.attribution is None
    sent = next(e for e in doc.events if e.event == "MOBILIZE")
    assert sent.attribution is not None and sent.attribution.entity == "erdogan"


def test_new_clause_does_not_attribute_backwards(extractor):
    doc = events(extractor, "ونشرت تركيا قوات إضافية في قطر، وقالت في بيان إنها ستبقى هناك.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution is None


def test_pro_drop_speaker_is_previous_subject(extractor):
    text = "ودافع أردوغان عن سياسة حكومته أمام النواب. وقال إن تركيا ستنشر قوات إضافية في قطر."
    doc = events(extractor, text)
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution is not None and ev.attribution.entity == "erdogan"


def test_short_according_to_sentence_attributes_previous(extractor):
    doc = events(extractor, "ونشرت تركيا قوات إضافية في قطر. وفقا لوكالة الأنباء القطرية.")
    ev = next(e for e in doc.events if e.event == "MOBILIZE")
    assert ev.attribution is not None and ev.attribution.entity == "qna"


def test_outlet_named_after_media_noun_and_its_anaphor(extractor):
    text = ("وكشفت صحيفة الشروق أن تركيا نشرت قوات إضافية في قطر. "
            "وأشارت الصحيفة إلى أن قطر قدمت دعما ماليا كبيرا إلى تركيا.")
    doc = events(extractor, text)
    mob = next(e for e in doc.events if e.event == "MOBILIZE")
    aid = next(e for e in doc.events if e.event == "AID")
    assert "الشروق" in mob.attribution.text and mob.attribution.kind == "named"
    assert "الشروق" in aid.attribution.text


_TEXTS = [
    "وقال أردوغان إن تركيا ستنشر قوات إضافية في قطر. وأضاف أن الاتفاق يخدم البلدين.",
    "وزار وزير الدفاع التركي خلوصي أكار الدوحة، بحسب ما أفادت وكالة الأنباء القطرية.",
    "وقالت مصادر مطلعة إن تركيا نشرت قوات إضافية في قطر، وفقا لمسؤول طلب عدم الكشف عن اسمه.",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_the_stage_reuses_the_candidates_of_the_events_pass(extractor, text, monkeypatch):
    """The attribution stage after the events stage finds what it finds from fresh candidates."""
    reused = extractor(make_doc(text))
    with monkeypatch.context() as m:
        m.setattr("marsad.extract.events.build_candidates", None)  # not called again
        AttributionTagger(extractor.lex)(reused)
    fresh = extractor(make_doc(text))
    del fresh.__dict__["_marsad_candidates"]
    AttributionTagger(extractor.lex)(fresh)
    assert [e.attribution for e in reused.events] == [e.attribution for e in fresh.events]
    assert reused.spans["attribution"] == fresh.spans["attribution"]
    # candidates kept for other entities are not taken
    other = make_doc(text)
    other.entities = []
    assert _candidates_key(other, Words.of(other)) != reused.__dict__["_marsad_candidates"][0]
