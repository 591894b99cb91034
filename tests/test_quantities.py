"""Quantities: numbers with units, money, people, percentages; never bare numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.extract.quantities import _PROCLITICS, _lex, _openers, _regex, find_quantities
from marsad.text.anchors import finditer_at_words
from marsad.text.normalize import normalize


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "approx", "kind"),
    [
        ("أعلنت الدوحة استثمار 3 مليارات دولار في تركيا", "3 مليارات دولار", 3_000_000_000, "USD", False, "money"),
        ("تعهدت الحكومة بملياري دولار لدعم العملة", "ملياري دولار", 2_000_000_000, "USD", False, "money"),
        ("قدم البنك قرضا بقيمة 3.5 مليار يورو", "3.5 مليار يورو", 3_500_000_000, "EUR", False, "money"),
        ("بلغ العجز 3,5 مليار دولار هذا العام", "3,5 مليار دولار", 3_500_000_000, "USD", False, "money"),
        ("خصصت الوزارة 1,500 دولار لكل أسرة", "1,500 دولار", 1500, "USD", False, "money"),
        ("تعهدت بتقديم مليار دولار للاجئين", "مليار دولار", 1_000_000_000, "USD", False, "money"),
        ("ضخ البنك المركزي 15 مليار دولار", "15 مليار دولار", 15_000_000_000, "USD", False, "money"),
        ("بلغت قيمة الصفقة 500 مليون ليرة تركية", "500 مليون ليرة تركية", 500_000_000, "TRY", False, "money"),
        ("قدمت المؤسسة 200 مليون ريال قطري", "200 مليون ريال قطري", 200_000_000, "QAR", False, "money"),
        ("دفعت الشركة 40 مليون جنيه إسترليني", "40 مليون جنيه إسترليني", 40_000_000, "GBP", False, "money"),
        ("تبرعت الجمعية بنحو مليون ونصف يورو", "نحو مليون ونصف يورو", 1_500_000, "EUR", True, "money"),
        ("خسر المستثمرون مئات ملايين الدولارات", "مئات ملايين الدولارات", 100_000_000, "USD", True, "money"),
        ("نشرت أنقرة 3 آلاف شرطي في العاصمة", "3 آلاف شرطي", 3000, "police", False, "people"),
        ("أرسلت الحكومة ثلاثة آلاف جندي إلى الحدود", "ثلاثة آلاف جندي", 3000, "soldiers", False, "people"),
        ("انتشر نحو ٣٠٠٠ جندي في المدينة", "نحو ٣٠٠٠ جندي", 3000, "soldiers", True, "people"),
        ("يتمركز أكثر من 500 عسكري في القاعدة", "أكثر من 500 عسكري", 500, "soldiers", True, "people"),
        ("أسفر الهجوم عن سقوط بين 10 و15 قتيلا", "بين 10 و15 قتيلا", 10, "killed", True, "casualties"),
        ("أصيب 12 شخصا في الانفجار", "12 شخصا", 12, "people", False, "people"),
        ("نقل 40 جريحا إلى المستشفى", "40 جريحا", 40, "injured", False, "casualties"),
        ("فر عشرات الآلاف من اللاجئين عبر الحدود", "عشرات الآلاف من اللاجئين", 10_000, "refugees", True, "people"),
        ("قتل خمسة عشر مدنيا في القصف", "خمسة عشر مدنيا", 15, "civilians", False, "people"),
        ("أفرج عن 3000 من المعتقلين", "3000 من المعتقلين", 3000, "detainees", False, "people"),
        ("يحتاج أكثر من 20 مليون شخص إلى المساعدة", "أكثر من 20 مليون شخص", 20_000_000, "people", True, "people"),
        ("وقع البلدان 7 اتفاقيات للتعاون", "7 اتفاقيات", 7, "agreements", False, "count"),
        ("وقع الجانبان مذكرتي تفاهم في مجال الطاقة", "مذكرتي تفاهم", 2, "MoUs", False, "count"),
        ("تشتري البحرية 24 طائرة مقاتلة", "24 طائرة", 24, "aircraft", False, "count"),
        ("أطلق المسلحون 20 صاروخا على المدينة", "20 صاروخا", 20, "missiles", False, "count"),
        ("أسقطت الدفاعات ثماني طائرات مسيرة", "ثماني طائرات مسيرة", 8, "drones", False, "count"),
        ("ارتفعت البطالة بنسبة 12 في المئة", "12 في المئة", 12, "percent", False, "percent"),
        ("تراجع الإنتاج 40 % خلال عامين", "40 %", 40, "percent", False, "percent"),
        ("تملك الشركة 42.5% من الأسهم", "42.5%", 42.5, "percent", False, "percent"),
        ("انخفضت الليرة لـ40 بالمئة من قيمتها", "40 بالمئة", 40, "percent", False, "percent"),
        ("تراجع المؤشر 0.9 في المائة", "0.9 في المائة", 0.9, "percent", False, "percent"),
        ("سيطر التنظيم على نحو ثلاثين في المئة من الأراضي", "نحو ثلاثين في المئة", 30, "percent", True, "percent"),
        ("يضخ الحقل قرابة 40 ألف برميل يوميا", "قرابة 40 ألف برميل", 40_000, "barrels", True, "measure"),
        ("يمتد السياج على طول 120 كيلومترا", "120 كيلومترا", 120, "km", False, "measure"),
        ("شحنت السفينة 5 آلاف طن من القمح", "5 آلاف طن", 5000, "tons", False, "measure"),
        ("استقبل الأردن نصف مليون لاجئ", "نصف مليون لاجئ", 500_000, "refugees", False, "people"),
        ("قتل اثنان وعشرون جنديا", "اثنان وعشرون جنديا", 22, "soldiers", False, "people"),
    ],
)
def test_quantities(text: str, span: str, value: float, unit: str, approx: bool, kind: str) -> None:
    q = one(text)
    assert q.text == span
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.approx is approx
    assert q.kind == kind


def test_range_shares_scale() -> None:
    q = one("قدرت الأصول بين 100 و 150 مليار دولار")
    assert (q.value, q.unit, q.approx) == (100_000_000_000, "USD", True)
    assert one("بلغ الدين نحو 66.49 مليون دولار").value == 66_490_000


def test_currency_by_context() -> None:
    assert one("رصدت الحكومة 100 مليون درهم للمشروع").unit == "AED"
    assert one("في المغرب رصدت الحكومة المغربية 100 مليون درهم للمشروع").unit == "MAD"
    assert one("أعلنت الكويت منحة بقيمة 5 ملايين دينار").unit == "KWD"


def test_two_amounts_are_two_quantities() -> None:
    found = find_quantities("قدمت 3 مليارات دولار و500 مليون يورو")
    assert [(q.text, q.value, q.unit) for q in found] == [
        ("3 مليارات دولار", 3_000_000_000, "USD"), ("500 مليون يورو", 500_000_000, "EUR")]


@pytest.mark.parametrize(
    "text",
    [
        "تلقى الرئيس طائرة بوينغ 747 هدية",
        "تسلمت القوات الجوية طائرات إف-16 جديدة",
        "وقع الانقلاب عام 2016 في تركيا",
        "أعلن ذلك في 20 يوليو 2020",
        "للاستفسار اتصل على 0551234567",
        "قرار مجلس الأمن 2216 واضح",
        "تقدر ثروته بالمليارات",
        "صدر العدد 125 من المجلة",
        "استمرت الحرب 15 عاما",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


_PIECES = [
    "3 مليارات دولار", "نحو 3000 جندي", "ملياري دولار", "بين 10 و15 قتيلا", "90 في المئة", "42.5%",
    "عشرات الآلاف", "مليون ونصف", "٣٠٠٠", "بوينغ 747", "إف-16", "2020", "ـ", "\u064b", "\u0651", "\u200f",
    " ", "،", ",", ".", "-", "و", "ب", "%", "مذكرتي تفاهم",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=12))
def test_spans_are_exact(parts: list[str]) -> None:
    text = "".join(parts)
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.value >= 0


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("أسفر الانفجار عن مقتل 12 شخصا في السوق", 12, "killed"),
        ("وأدى القصف إلى إصابة 30 آخرين بجروح", 30, "injured"),
        ("ما أدى إلى إصابة شخصين بجروح طفيفة", 2, "injured"),
        ("وتسببت الحرب بمقتل نحو 5 آلاف مدني", 5000, "killed"),
        ("ونشرت القوات 400 جندي على الحدود", 400, "soldiers"),
    ],
)
def test_casualty_noun_sets_the_unit(text: str, value: float, unit: str) -> None:
    q = one(text)
    assert (q.value, q.unit) == (value, unit)


def test_members_take_the_unit_of_the_context() -> None:
    (q,) = find_quantities("وقررت الحكومة إرسال 600 عنصر من الشرطة لتأمين الانتخابات")
    assert q.unit == "police"
    (q,) = find_quantities("وأرسل الجيش 600 عنصر إلى القاعدة العسكرية")
    assert q.unit == "soldiers"


def test_vague_quantity() -> None:
    from marsad.extract.quantities import vague_quantity

    assert vague_quantity("ملايين الدولارات")
    assert vague_quantity("ومئات من عناصر")
    assert not vague_quantity("3 ملايين دولار")


_WORDS = sorted({*_lex().num, *_lex().scale, *_lex().dual, *_lex().vague, *_lex().approx, *_lex().dual_units,
                 *list(_lex().units)[:40], "بين", "و", "ب", "من", "3", "15", "2,500", "-", "%", "ال", "."})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_PIECES), st.text(max_size=4)), max_size=14),
       st.sampled_from([" ", "", "و", " و", "-"]))
def test_matches_only_skip_places_no_quantity_starts(parts: list[str], sep: str) -> None:
    """The tagger tries its pattern at word starts (or one proclitic in) that open a quantity; it
    must find what trying at every position finds."""
    norm = normalize(sep.join(parts))
    assert [(m.span(), m.groupdict()) for m in finditer_at_words(_regex(), norm, _openers(), _PROCLITICS)] \
        == [(m.span(), m.groupdict()) for m in _regex().finditer(norm)]
