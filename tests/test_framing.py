"""Framing: lexicon terms, actor-extended spans, scare quotes and the per-document summary."""

from __future__ import annotations

from marsad.extract.attribution import AttributionTagger
from marsad.extract.framing import FramingTagger, framing_summary
from test_events import make_doc


def framing(text):
    doc = FramingTagger()(make_doc(text))
    return doc, [(sp.start, sp.end, sp.text, sp.label) for sp in doc.framing]


def test_loaded_terms_exact_offsets():
    text = "وأرسلت تركيا المرتزقة إلى ليبيا لخدمة مطامعها الاستعمارية."
    doc, spans = framing(text)
    texts = [t for _, _, t, _ in spans]
    assert "المرتزقة" in texts
    assert "مطامعها الاستعمارية" in texts
    for s, e, t, _ in spans:
        assert text[s:e] == t
    start = text.index("المرتزقة")
    assert (start, start + len("المرتزقة")) in [(s, e) for s, e, _, _ in spans]


def test_evaluative_adjective_extends_to_actor():
    text = "والتقى أكار ممثلي حزب النهضة الغير شرعية في تونس."
    _, spans = framing(text)
    assert any(t == "حزب النهضة الغير شرعية" and k == "loaded-term" for _, _, t, k in spans)


def test_scare_quote_needs_a_distancing_cue():
    text = ('ودافع الحزب عما يسمى "الإصلاح السياسي" في البلاد، وتعاقدت شركة "حزب النهضة" مع الحكومة، '
            'ووصف الوزير القرار بأنه "خطأ"، وتوعد بـ"رد حازم".')
    _, spans = framing(text)
    quotes = [t for _, _, t, k in spans if k == "scare-quote"]
    assert quotes == ['"الإصلاح السياسي"']


def test_partisan_labels_are_framing():
    _, spans = framing("وندد البيان بجرائم الكيان الصهيوني في غزة. وأدان المتحدث القصف الوحشي على المدنيين.")
    texts = [t for _, _, t, _ in spans]
    assert "الكيان الصهيوني" in texts
    assert any("الوحشي" in t for t in texts)


def test_neutral_text_has_no_framing():
    _, spans = framing("وزار أردوغان الدوحة يوم الأحد والتقى أمير قطر.")
    assert spans == []


def test_summary_shares():
    text = ("وقالت وكالة الأنباء القطرية إن أردوغان زار الدوحة. "
            "وقالت مصادر إن تركيا نشرت قوات. "
            "وتخدم القاعدة مطامعها الاستعمارية. "
            "ووصل أكار إلى الدوحة.")
    doc = make_doc(text)
    AttributionTagger().tag(doc, [])
    FramingTagger()(doc)
    summary = framing_summary(doc)
    assert summary["per_sentence"] == ["attributed_report", "anonymous_claim", "outlet_opinion", "plain_report"]
    assert abs(sum(summary["shares"].values()) - 1.0) < 1e-6
