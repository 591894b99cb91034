"""Time expressions: explicit, relative and Hijri dates resolved against a reference date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.extract.times import _lex, _openers, _regex, find_times, infer_reference_date
from marsad.text.anchors import finditer_at_words
from marsad.text.normalize import normalize

REF = dt.date(2020, 7, 20)  # a Monday


def one(text: str, ref: dt.date | None = REF):
    found = find_times(text, ref)
    assert len(found) == 1, found
    t = found[0]
    assert text[t.start:t.end] == t.text
    return t


@pytest.mark.parametrize(
    ("text", "span", "value", "precision"),
    [
        ("وصل الوفد إلى العاصمة يوم 20/7/2020 في زيارة رسمية", "20/7/2020", "2020-07-20", "day"),
        ("نشر البيان بتاريخ 2019-03-05 على الموقع", "2019-03-05", "2019-03-05", "day"),
        ("عقد المجلس جلسته في 14 فبراير 2019 بحضور الأعضاء", "14 فبراير 2019", "2019-02-14", "day"),
        ("أعلن الاتفاق في 3 يوليو/تموز 2018 بعد مفاوضات", "3 يوليو/تموز 2018", "2018-07-03", "day"),
        ("أعلن الاتفاق في 3 يوليو/ تموز 2018 بعد مفاوضات", "3 يوليو/ تموز 2018", "2018-07-03", "day"),
        ("في ٢٠ يوليو ٢٠٢٠ أعلنت الحكومة", "٢٠ يوليو ٢٠٢٠", "2020-07-20", "day"),
        ("التقى الوزيران في 5 جوان 2017 بتونس", "5 جوان 2017", "2017-06-05", "day"),
        ("انعقدت القمة في 9 كانون الأول 2019", "9 كانون الأول 2019", "2019-12-09", "day"),
        ("انطلقت الاحتجاجات في 25 يناير (كانون الثاني) 2011", "25 يناير (كانون الثاني) 2011", "2011-01-25", "day"),
        ("وقعت الحادثة في الثالث من شهر مارس/آذار 2016", "الثالث من شهر مارس/آذار 2016", "2016-03-03", "day"),
        ("زار الرئيس العاصمة في الثاني من يوليو الجاري", "الثاني من يوليو الجاري", "2020-07-02", "day"),
        ("صرح بذلك في 23 مايو الماضي", "23 مايو الماضي", "2020-05-23", "day"),
        ("جرى التصويت في ديسمبر الماضي", "ديسمبر الماضي", "2019-12", "month"),
        ("ستجرى الانتخابات في أكتوبر/تشرين الأول المقبل", "أكتوبر/تشرين الأول المقبل", "2020-10", "month"),
        ("تغير الموقف في يوليو/تموز الماضي", "يوليو/تموز الماضي", "2019-07", "month"),
        ("وقع ذلك في 10 أبريل من العام الماضي", "10 أبريل من العام الماضي", "2019-04-10", "day"),
        ("كان ذلك في شهر سبتمبر 2015", "شهر سبتمبر 2015", "2015-09", "month"),
        ("أبرم الاتفاق في منتصف يوليو 2016 في جنيف", "منتصف يوليو 2016", "2016-07", "month"),
        ("بدأ الانسحاب في أواخر نوفمبر من عام 2015", "أواخر نوفمبر من عام 2015", "2015-11", "month"),
        ("تأسست الشراكة منذ العام 2017 بين البلدين", "العام 2017", "2017", "year"),
        ("تأسست الشراكة منذ 2014 بين البلدين", "2014", "2014", "year"),
        ("جرى الاستفتاء عام 2005 في البلاد", "عام 2005", "2005", "year"),
        ("بعد محاولة الانقلاب في صيف 2016 تغير كل شيء", "صيف 2016", "2016", "season"),
        ("ارتفعت الأسعار في شتاء العام الماضي", "شتاء العام الماضي", "2019", "season"),
        ("يتوقع أن يتعافى الاقتصاد منتصف 2017", "منتصف 2017", "2017", "year"),
        ("صدر القرار مطلع العام الجاري", "مطلع العام الجاري", "2020", "year"),
        ("تراجعت الصادرات العام الماضي", "العام الماضي", "2019", "year"),
        ("سيفتتح المصنع العام المقبل", "العام المقبل", "2021", "year"),
        ("ارتفع التضخم الشهر الماضي", "الشهر الماضي", "2020-06", "month"),
        ("وصل الوزير أمس إلى الرباط", "أمس", "2020-07-19", "day"),
        ("يصل الوفد غدا إلى عمّان", "غدا", "2020-07-21", "day"),
        ("قال المتحدث اليوم إن المفاوضات مستمرة", "اليوم", "2020-07-20", "day"),
        ("استقبل الملك الخميس في قصره رئيس الحكومة", "الخميس", "2020-07-16", "day"),
        ("استقبل الملك الاثنين في قصره رئيس الحكومة", "الاثنين", "2020-07-20", "day"),
        ("يلتقي الوزيران الأحد المقبل في القاهرة", "الأحد المقبل", "2020-07-26", "day"),
        ("ومن المقرر أن يجتمع المجلس يوم الأربعاء", "يوم الأربعاء", "2020-07-22", "day"),
        ("اجتمع المجلس الأربعاء الماضي", "الأربعاء الماضي", "2020-07-15", "day"),
        ("أعلن عن الخطة في 20 مايو أمام البرلمان", "20 مايو", "2020-05-20", "day"),
        ("أعلن عن الخطة في 20 أغسطس أمام البرلمان", "20 أغسطس", "2019-08-20", "day"),
        ("ذكر التقرير أن الوفد زار البلاد في سبتمبر", "سبتمبر", "2019-09", "month"),
        ("أعلن ذلك في 15 رمضان 1443 هـ", "15 رمضان 1443 هـ", "2022-04-16", "day"),
        ("صدر المرسوم وتاريخ 29 / 11 / 1433هـ", "29 / 11 / 1433هـ", "2012-10-15", "day"),
        ("وفي العام 1955م وقعت المعاهدة", "العام 1955م", "1955", "year"),
    ],
)
def test_single_expressions(text: str, span: str, value: str, precision: str) -> None:
    t = one(text)
    assert t.text == span
    assert t.value == value
    assert t.precision == precision


def test_range_inherits_year() -> None:
    t = one("تستمر البطولة من 21 نوفمبر إلى 18 ديسمبر 2022 في الدوحة")
    assert t.text == "21 نوفمبر إلى 18 ديسمبر 2022"
    assert (t.value, t.end_value, t.precision) == ("2022-11-21", "2022-12-18", "day")


def test_range_of_days_in_one_month() -> None:
    t = one("يزور الرئيس تونس يومي 4 و 5 جوان الجاري")
    assert (t.value, t.end_value) == ("2020-06-04", "2020-06-05")
    t = one("يقيم المعرض من 4 إلى 6 أغسطس 2021")
    assert (t.value, t.end_value) == ("2021-08-04", "2021-08-06")


def test_range_across_year_boundary() -> None:
    t = one("من 28 ديسمبر إلى 3 يناير 2021")
    assert (t.value, t.end_value) == ("2020-12-28", "2021-01-03")


def test_year_range() -> None:
    t = one("تمت الصفقة بين 1985 و2008 على مراحل")
    assert (t.value, t.end_value, t.precision) == ("1985", "2008", "year")


def test_weekday_joins_date() -> None:
    t = one("قال الوزير اليوم الاثنين 20 يوليو 2020 إن الاتفاق جاهز")
    assert t.text == "اليوم الاثنين 20 يوليو 2020"
    assert t.value == "2020-07-20"
    t = one("صادق البرلمان، الأربعاء 7 يونيو 2017، على الاتفاقيات")
    assert t.text == "الأربعاء 7 يونيو 2017"


def test_week_precision() -> None:
    t = one("يزور الوفد البلاد الأسبوع المقبل")
    assert (t.value, t.end_value, t.precision) == ("2020-07-27", "2020-08-02", "week")


def test_future_verb_moves_weekday_forward() -> None:
    assert one("سيزور الرئيس أنقرة السبت").value == "2020-07-25"


def test_future_cue_counts_only_in_its_own_sentence() -> None:
    assert find_times("سيزور الرئيس أنقرة. وصل الوفد السبت", REF)[0].value == "2020-07-18"
    assert find_times("وصل الوفد أنقرة. سيزور الرئيس البلاد السبت", REF)[0].value == "2020-07-25"
    far = "سيزور الرئيس " + "البلاد " * 60 + "السبت"  # the cue is more than 300 characters back
    assert find_times(far, REF)[0].value == "2020-07-18"
    assert one("وسيعقد الطرفان اجتماعا السبت").value == "2020-07-25"
    assert one("زار الرئيس أنقرة السبت").value == "2020-07-18"


def test_relative_without_reference_date() -> None:
    for text in ("وصل أمس", "في ديسمبر الماضي", "العام المقبل", "الأحد", "في 20 مايو"):
        t = one(text, None)
        assert t.value is None
    assert one("في 20 مايو 2019", None).value == "2019-05-20"


@pytest.mark.parametrize(
    "text",
    [
        "نشرت أنقرة 3000 جندي في المنطقة",
        "تلقى هدية هي طائرة بوينغ 747 فاخرة",
        "قالت تيريزا ماي إن بلادها ملتزمة",
        "مارس الضغط على الحكومة",
        "التقى رجب طيب أردوغان نظيره",
        "وفقا لقناة روسيا اليوم",
        "وفي اليوم التالي غادر",
        "قرار مجلس الأمن 2216 بشأن اليمن",
        "أرسل قبل 2000 جندي إلى الحدود",
        "الفرق بين الاثنين كبير",
        "اتصل على الرقم 0551234567",
        "عاش في البلاد 2000 عام",
    ],
)
def test_not_times(text: str) -> None:
    assert find_times(text, REF) == []


def test_offsets_with_diacritics_and_tatweel() -> None:
    text = "وَصَلَ الوَفْدُ فِي ٢٠ يـــوليو ٢٠٢٠ إلى الدّوحةِ"
    t = one(text)
    assert t.text == "٢٠ يـــوليو ٢٠٢٠"
    assert t.value == "2020-07-20"


def test_infer_reference_date() -> None:
    d, why = infer_reference_date("قال الوزير اليوم الاثنين 20 يوليو 2020 إن الاتفاق وقع في 7 مايو 2017")
    assert d == dt.date(2020, 7, 20)
    assert why
    d, _ = infer_reference_date("وقع الاتفاق في 7 مايو 2017. وسيزور الوفد البلاد في 9 مايو 2019")
    assert d == dt.date(2017, 5, 7)
    assert infer_reference_date("وصل الرئيس أمس إلى الدوحة") is None
    # a weekday that contradicts the date is not trusted
    d, _ = infer_reference_date("السبت 20 يوليو 2020 ثم في 1 مايو 2019")
    assert d == dt.date(2020, 7, 20) or d == dt.date(2019, 5, 1)


_PIECES = [
    "20 يوليو/تموز 2020", "الأحد المقبل", "العام الماضي", "صيف 2016", "منذ 2017", "أمس", "اليوم",
    "من 21 نوفمبر إلى 18 ديسمبر 2022", "15 رمضان 1443 هـ", "٢٠/٧/٢٠٢٠", "ديسمبر الماضي", "3000 جندي",
    "ـ", "\u064e", "\u0651", "\u200f", " ", "،", "/", "-", "0", "9", "٩", "هـ", "ماي", "و",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=12),
       st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31))))
def test_spans_are_exact(parts: list[str], ref: dt.date | None) -> None:
    text = "".join(parts)
    for t in find_times(text, ref):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
    infer_reference_date(text)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("ووقع البلدان اتفاقا بيونيو الماضي", "بيونيو الماضي", "2020-06"),
        ("وافتتح المقر وبأكتوبر 2018 بدأ العمل", "وبأكتوبر 2018", "2018-10"),
        ("وقال الوزير أمس الأحد إن المحادثات ستستأنف", "أمس الأحد", "2020-07-19"),
    ],
)
def test_round2_forms(text: str, span: str, value: str) -> None:
    t = one(text)
    assert (t.text, t.value) == (span, value)


def test_same_day_and_same_year_anaphora() -> None:
    text = "اعتقل الصحافي في 9 مارس 2016، وفي اليوم نفسه داهمت الشرطة مكتبه، ثم أفرج عنه في أكتوبر من العام ذاته."
    found = [(t.text, t.value, t.precision) for t in find_times(text, REF)]
    assert ("اليوم نفسه", "2016-03-09", "day") in found
    assert ("أكتوبر من العام ذاته", "2016-10", "month") in found


def test_future_weekday_on_that_day_is_today() -> None:
    # REF is a Monday: "سيزور … الاثنين" is today, "الاثنين المقبل" the next one
    assert one("سيزور الوزير العاصمة الاثنين").value == "2020-07-20"
    assert one("سيزور الوزير العاصمة يوم الاثنين المقبل").value == "2020-07-27"


_WORDS = sorted({*_lex().months, *_lex().weekday, *_lex().day_offset, *_lex().part, *_lex().prep, *_lex().unit,
                 *_lex().rel, *_lex().ordinal, "شهر", "وبيناير", "لشهر", "نفس", "اليوم", "نفسه", "2020", "15"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_PIECES), st.text(max_size=4)), max_size=14),
       st.sampled_from([" ", "", "\t", "، ", "-"]))
def test_matches_only_skip_places_no_expression_starts(parts: list[str], sep: str) -> None:
    """The tagger tries its pattern at word starts that open an expression; it must find what
    trying at every position finds."""
    norm = normalize(sep.join(parts))
    assert [(m.span(), m.groupdict()) for m in finditer_at_words(_regex(), norm, _openers())] \
        == [(m.span(), m.groupdict()) for m in _regex().finditer(norm)]
