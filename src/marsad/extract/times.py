"""Time expressions in Arabic news: explicit dates, month/year mentions, relative words.

One combined regex (built once from ``months.tsv`` and ``time_words.tsv``) runs over the
normalised text; each match is interpreted and resolved in Python against the reference date
(annotation guidelines §1).  dateparser is deliberately not used: per-token calls are far too slow
for millions of articles and it does not know the Levantine/Maghrebi month names or the
"يوليو/تموز" pairs; hijridate converts Hijri dates.

Choices (documented for the lead):
- "الأسبوع الماضي/المقبل/هذا الأسبوع": precision "week", value = the Monday, end_value = the Sunday.
- Parts (مطلع/منتصف/أواخر …) keep the precision of what they modify: "منتصف 2017" -> "2017"/year,
  "منتصف يوليو 2016" -> "2016-07"/month.  The span includes the part word.
- Seasons: value "YYYY", precision "season" (the season name is not representable in TimeExpr).
- Hijri month + year without a day: the Gregorian month of the Hijri month's first day.
- Weekday without a date: the latest such day on or before ref_date; with المقبل/القادم or a future
  cue in the sentence, the next one strictly after; with الماضي, the last one strictly before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.doc import Doc, TimeExpr
from marsad.knowledge import read_tsv, split_variants
from marsad.text.anchors import finditer_at_words, first_words
from marsad.text.normalize import NormalizedText, normalize

__all__ = ["TimeTagger", "find_times", "infer_reference_date"]

_SENT_ENDS = ".!?؟\n"
_SENT_END = re.compile(f"[{re.escape(_SENT_ENDS)}]")
# the words of the pattern itself that can open an expression (the rest come from the lexicons)
_MONTH_WORD = ("شهر", "وشهر", "بشهر", "لشهر")  # شهر يوليو
_MONTH_CLITICS = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")  # glued to a month: وبيناير
_SAME = ("نفس", "ذات")  # نفس اليوم
_SAME_UNITS = ("اليوم", "العام", "السنه", "الشهر")  # اليوم نفسه


@dataclass
class _Lex:
    """The knowledge files, normalised, as lookup tables."""

    months: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (calendar, month)
    ambiguous_months: set[str] = field(default_factory=set)
    weekday: dict[str, int] = field(default_factory=dict)
    ambiguous_weekdays: set[str] = field(default_factory=set)
    day_offset: dict[str, int] = field(default_factory=dict)
    rel: dict[str, int] = field(default_factory=dict)
    unit: dict[str, str] = field(default_factory=dict)
    this: set[str] = field(default_factory=set)
    part: dict[str, str] = field(default_factory=dict)
    season: dict[str, str] = field(default_factory=dict)
    year_word: set[str] = field(default_factory=set)
    prep: set[str] = field(default_factory=set)
    ordinal: dict[str, int] = field(default_factory=dict)
    future: set[str] = field(default_factory=set)
    today_block: set[str] = field(default_factory=set)
    day_word: set[str] = field(default_factory=set)
    weekday_block: set[str] = field(default_factory=set)
    duration: set[str] = field(default_factory=set)
    scale: set[str] = field(default_factory=set)  # ألف، جندي… (numbers/units.tsv): not-a-year guard


def _alt(words: object) -> str:
    """A regex alternation of words, longest first so that multi-word names win."""
    ws = sorted({w for w in words if w}, key=lambda w: (-len(w), w))  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in ws)


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    lx = _Lex()
    for row in read_tsv("months.tsv", ["name", "calendar", "month"]):
        for name in split_variants(row["name"]):
            n = normalize(name)
            lx.months[n] = (row["calendar"], int(row["month"]))
            if row.get("ambiguous") == "1":
                lx.ambiguous_months.add(n)
    for row in read_tsv("time_words.tsv", ["name", "kind", "value"]):
        kind, val = row["kind"], row["value"]
        for name in split_variants(row["name"]):
            n = normalize(name)
            if kind == "weekday":
                lx.weekday[n] = int(val)
                if row.get("ambiguous") == "1":
                    lx.ambiguous_weekdays.add(n)
            elif kind == "day_offset":
                lx.day_offset[n] = int(val)
            elif kind == "rel":
                lx.rel[n] = int(val)
            elif kind == "unit":
                lx.unit[n] = val
            elif kind == "ordinal":
                lx.ordinal[n] = int(val)
            elif kind in ("part", "season"):
                getattr(lx, kind)[n] = val
            elif kind in ("this", "year_word", "prep", "future", "today_block", "day_word", "weekday_block",
                          "duration"):
                getattr(lx, kind).add(n)
    for row in read_tsv("numbers.tsv", ["name", "kind"]):
        if row["kind"] in ("scale", "dual"):
            lx.scale.update(normalize(v) for v in split_variants(row["name"]))
    for row in read_tsv("units.tsv", ["name", "unit"]):
        lx.scale.update(normalize(v) for v in split_variants(row["name"]) if v[0].isalpha())
    return lx


@lru_cache(maxsize=1)
def _regex() -> re.Pattern[str]:
    """The one combined pattern over normalised text (see module docstring)."""
    lx = _lex()
    W = r"[ \t]+"  # noqa: N806 - regex building block
    B, E = r"(?<![\w])", r"(?![\w])"  # noqa: N806
    MON = _alt(lx.months)  # noqa: N806
    month = (
        rf"(?:(?:{_alt(_MONTH_WORD)}){W}|(?<![\w])(?:{_alt(_MONTH_CLITICS)})(?=(?:{MON}){E}))?(?P<{{p}}m>{MON}){E}"
        rf"(?:[ \t]*(?:/|\(|-)[ \t]*(?P<{{p}}m2>{MON}){E}(?:[ \t]*\))?)?"
    )
    rel = _alt(lx.rel)
    unit = _alt(lx.unit)
    yw = _alt(lx.year_word)
    year = rf"(?P<{{p}}y>1[3-9]\d\d|20\d\d|2100)(?!\d)(?:[ \t]*(?P<{{p}}h>ه|م){E})?"
    after_month = (
        rf"(?:[ \t]*[,،]?[ \t]*(?:من{W})?(?:{yw}{W})?{year}"
        rf"|{W}(?:من{W})?(?:(?P<{{p}}ru>{unit}){W})?(?P<{{p}}rel>{rel}){E}"
        rf"|{W}من{W}(?P<{{p}}this>هذا){W}(?:العام|السنه)"
        rf"|{W}(?:من|في){W}(?P<{{p}}same>(?:نفس|ذات){W}(?:العام|السنه)|(?:العام|السنه){W}(?:نفسه|نفسها|ذاته|ذاتها)){E})?"
    )
    not_count = rf"(?![ \t]*(?:%|٪|(?:ال)?(?:{_alt(lx.duration | lx.scale)})ا?{E}))"
    day = rf"(?:(?P<{{p}}d>[0-3]?\d)(?!\d)|(?P<{{p}}dw>{_alt(lx.ordinal)}){E})"
    day_month = rf"{day}{W}(?:من{W})?{month}"

    def g(tpl: str, p: str) -> str:
        return tpl.replace("{p}", p)

    parts = [
        # numeric dates: 20/7/2020, 20-07-2020, 2020-07-20, 28 / 7 / 1433هـ
        rf"(?P<nd>{B}(?P<nd_a>\d{{1,4}})[ \t]*(?P<sep>[/.-])[ \t]*(?P<nd_b>\d{{1,2}})[ \t]*(?P=sep)[ \t]*"
        rf"(?P<nd_c>\d{{1,4}})(?!\d)(?![.,]\d)(?:[ \t]*(?P<nd_h>ه|م){E})?)",
        # ranges of days: من 21 نوفمبر إلى 18 ديسمبر 2022 ; يومي 4 و 5 جوان الجاري ; من 4 إلى 6 أغسطس
        rf"(?P<rg>{B}{g(day, 'r1')}(?:{W}(?:من{W})?{g(month, 'r1')})?"
        rf"[ \t]*(?:-|الي|حتي|و|{W}و|{W}(?:الي|حتي|و))[ \t]*{g(day_month, 'r2')}{g(after_month, 'r2')})",
        # a day and a month: 20 يوليو/تموز 2020 ; الثاني من يوليو الجاري ; 15 رمضان 1443 هـ
        rf"(?P<dm>{B}{g(day_month, 'a')}{g(after_month, 'a')})",
        # a month with a year or relative word, or after a preposition
        rf"(?P<my>{B}(?:(?P<mp>{_alt(lx.prep | lx.part.keys())}){W})?{g(month, 'b')}{g(after_month, 'b')})",
        # ranges of years: بين 1985 و2008 ; 2016-2017
        rf"(?P<yr>{B}(?:(?P<yrp>{_alt(lx.prep | lx.year_word)}){W})?(?P<y1>19\d\d|20\d\d)[ \t]*(?:-|و|الي|حتي|{W}(?:الي|حتي|و))"
        rf"[ \t]*(?:(?:{yw}){W})?(?P<y2>19\d\d|20\d\d)(?!\d))",
        # season + year or relative: صيف 2016 ; الصيف الماضي ; صيف العام الماضي
        rf"(?P<se>{B}(?P<sn>{_alt(lx.season)}){E}(?:[ \t]*(?:{yw})?[ \t]*(?P<sy>19\d\d|20\d\d)(?!\d)"
        rf"|{W}(?:(?P<su>{unit}){W})?(?P<srel>{rel}){E}|{W}(?P<sthis>هذا){W}(?:العام|السنه)))",
        # part + year: منتصف 2017 ; مطلع العام 2016
        rf"(?P<py>{B}(?P<pp>{_alt(lx.part)}){W}(?:من{W})?(?:(?:{yw}){W})?(?P<pyy>19\d\d|20\d\d)(?!\d))",
        # a year with a context word: عام 2016 ; منذ 2017 ; في 2015
        rf"(?P<yc>{B}(?P<ycw>{_alt(lx.prep | lx.year_word)}){W}(?:(?P<ycw2>{yw}){W})?"
        rf"(?P<ycy>19\d\d|20\d\d|2100)(?!\d)(?![.,]\d){not_count}(?:[ \t]*م{E})?)",
        rf"(?P<ym>{B}(?P<ymy>19\d\d|20\d\d)[ \t]*م{E})",
        # relative unit: العام الماضي ; الشهر المقبل ; هذا الأسبوع ; الأسبوع الجاري
        rf"(?P<ru>{B}(?:(?P<rup>{_alt(lx.part)}){W}(?:من{W})?)?(?:(?P<ruthis>{_alt(lx.this)}){W}(?P<ruu1>{unit}){E}"
        rf"|(?P<ruu2>{unit}){W}(?P<rurel>{rel}){E}))",
        # anaphora: اليوم نفسه ; في ذات اليوم ; العام نفسه ; الشهر ذاته -> the previous expression
        rf"(?P<an>{B}(?:(?P<anw>{_alt(lx.day_word)}){W})?(?:(?:{'|'.join(_SAME)}){W}(?P<anu1>{'|'.join(_SAME_UNITS)})"
        rf"|(?P<anu2>{'|'.join(_SAME_UNITS)}){W}(?:نفسه|نفسها|ذاته|ذاتها)){E})",
        # day offsets: اليوم ; أمس ; غدا ; بعد غد
        rf"(?P<do>{B}(?P<dow>{_alt(lx.day_offset)}){E})",
        # weekdays: الأحد ; يوم الاثنين المقبل
        rf"(?P<wd>{B}(?:(?P<wdw>{_alt(lx.day_word)}){W})?(?P<wdn>{_alt(lx.weekday)}){E}"
        rf"(?:{W}(?P<wdrel>{rel}){E})?)",
    ]
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _openers() -> frozenset[str]:
    """Every word an expression of :func:`_regex` can start with, besides digits: the first word of
    each lexicon entry that can open one of its alternatives, and of the pattern's own words."""
    lx = _lex()
    months = first_words(lx.months)
    return frozenset(first_words([*lx.prep, *lx.part, *lx.year_word, *lx.ordinal, *lx.season, *lx.this, *lx.unit,
                                  *lx.day_word, *lx.day_offset, *lx.weekday, *_MONTH_WORD, *_SAME, *_SAME_UNITS])
                     | months | {c + m for c in _MONTH_CLITICS for m in months})


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _hijri_to_greg(y: int, m: int, d: int) -> dt.date | None:
    try:
        from hijridate import Hijri

        g = Hijri(y, m, d).to_gregorian()
        return dt.date(g.year, g.month, g.day)
    except (ValueError, OverflowError, ImportError):
        return None


def _future_context(norm: str, start: int, end: int, lx: _Lex) -> bool:
    """Whether the sentence around [start, end) has a future cue (سوف، سيعقد، من المقرر …)."""
    lo = max(0, start - 301)
    s = max(norm.rfind(c, lo, start) for c in _SENT_ENDS) + 1 or lo  # after the last sentence end
    m = _SENT_END.search(norm, end, min(len(norm), end + 300))
    e = m.start() if m else min(len(norm), end + 300)
    words = re.findall(r"\w+", norm[s:e])
    if any(w in lx.future or (w[:1] in "وف" and w[1:] in lx.future) for w in words):
        return True
    joined = " ".join(words)
    return any(" " in f and f in joined for f in lx.future)


def _word_before(norm: str, pos: int) -> str:
    m = re.search(r"(\w+)[ \t]*$", norm[max(0, pos - 30):pos])
    return m.group(1) if m else ""


@dataclass
class _Res:
    """A resolved match in normalised coordinates."""

    start: int
    end: int
    value: str | None
    precision: str | None
    end_value: str | None = None
    full: bool = False  # an explicit full date (for infer_reference_date)
    explicit: bool = False  # a written date (day + month), which a weekday before it joins
    weekday: int | None = None
    offset: bool = False  # a day offset word (اليوم، أمس، غدا): a weekday right after it joins it


def _same_value(prev: list[_Res], unit: str) -> str | None:
    """The value of "اليوم نفسه / العام ذاته / الشهر نفسه": the last expression before it, cut to
    the unit (a day needs a day-precise antecedent)."""
    n = {"day": 10, "month": 7, "year": 4}[unit]
    for r in reversed(prev):
        if r.value and len(r.value) >= n and (unit != "day" or r.precision == "day"):
            return r.value[:n]
    return None


def _month_num(lx: _Lex, name: str | None) -> tuple[str, int] | None:
    return lx.months.get(name) if name else None


def _resolve_month_year(
    cal_m: tuple[str, int], day: int | None, year: int | None, hijri_mark: bool, rel: int | None,
    rel_unit: str | None, this: bool, ref: dt.date | None, future: bool,
) -> tuple[str | None, str]:
    """(value, precision) for a month with optional day/year/relative word."""
    cal, m = cal_m
    prec = "day" if day else "month"
    if cal == "hijri" or (hijri_mark and year is not None and year < 1600):
        if year is None or cal != "hijri":
            return None, prec
        g = _hijri_to_greg(year, m, day or 1)
        if g is None:
            return None, prec
        return (_fmt(g.year, g.month, g.day) if day else _fmt(g.year, g.month)), prec
    if year is not None:
        if not 1900 <= year <= 2100:
            return None, prec
        if day and _safe_date(year, m, day) is None:
            return None, prec
        return _fmt(year, m, day), prec
    if ref is None:
        return None, prec
    if rel_unit:  # "من العام الماضي": the year is relative, the month explicit
        y = ref.year + (rel or 0)
    elif this or rel == 0:
        y = ref.year
    elif rel == -1:
        y = ref.year if m < ref.month else ref.year - 1
    elif rel == 1:
        y = ref.year if m > ref.month else ref.year + 1
    else:
        cand = _safe_date(ref.year, m, day or 1)
        if future:
            y = ref.year if (cand and (cand >= ref if day else m >= ref.month)) else ref.year + 1
        else:
            y = ref.year if (cand and (cand <= ref if day else m <= ref.month)) else ref.year - 1
    if day and _safe_date(y, m, day) is None:
        return None, prec
    return _fmt(y, m, day), prec


def _unit_value(unit: str, rel: int, ref: dt.date | None) -> tuple[str | None, str | None, str]:
    """(value, end_value, precision) of "العام/الشهر/الأسبوع" shifted by ``rel``."""
    if unit == "year":
        return (_fmt(ref.year + rel) if ref else None), None, "year"
    if unit == "month":
        if ref is None:
            return None, None, "month"
        k = ref.year * 12 + ref.month - 1 + rel
        return _fmt(k // 12, k % 12 + 1), None, "month"
    if ref is None:
        return None, None, "week"
    monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=rel)
    sunday = monday + dt.timedelta(days=6)
    return monday.isoformat(), sunday.isoformat(), "week"


def _interpret(m: re.Match[str], norm: str, ref: dt.date | None, lx: _Lex,
               prev: list[_Res] | None = None) -> _Res | None:
    kind = m.lastgroup
    gd = m.groupdict()
    s, e = m.start(), m.end()

    def fut() -> bool:
        return _future_context(norm, s, e, lx)

    if kind == "nd":
        a, b, c = int(gd["nd_a"]), int(gd["nd_b"]), int(gd["nd_c"])
        hijri = gd["nd_h"] == "ه"
        if len(gd["nd_a"]) == 4 and len(gd["nd_c"]) <= 2:
            y, mo, d = a, b, c
        elif len(gd["nd_c"]) == 4 and len(gd["nd_a"]) <= 2:
            y, mo, d = c, b, a
        else:
            return None
        if hijri or 1300 <= y < 1600:
            g = _hijri_to_greg(y, mo, d) if 1 <= mo <= 12 and 1 <= d <= 30 else None
            if g is None:
                return None
            return _Res(s, e, g.isoformat(), "day", full=True, explicit=True)
        if not 1900 <= y <= 2100 or _safe_date(y, mo, d) is None:
            return None
        return _Res(s, e, _fmt(y, mo, d), "day", full=True, explicit=True)

    if kind in ("dm", "my", "rg"):
        p = {"dm": "a", "my": "b", "rg": "r2"}[kind]
        name = gd[p + "m"]
        cal_m = lx.months[name]
        m2 = gd.get(p + "m2")
        if m2 and lx.months.get(m2, ("", 0))[1] != cal_m[1] and lx.months[m2][0] == cal_m[0]:
            return None  # "يوليو/أغسطس": two different months, not a pair of names
        day = None
        if kind != "my":
            day = int(gd[p + "d"]) if gd[p + "d"] else lx.ordinal.get(re.sub(r"[ \t]+", " ", gd[p + "dw"] or ""))
            if not day or day > 31:
                return None
        year = int(gd[p + "y"]) if gd[p + "y"] else None
        if gd.get(p + "same"):  # "في ديسمبر من العام نفسه": the year of the expression before
            same = _same_value(prev or [], "year")
            if same is None:
                return None
            year = int(same)
        rel = lx.rel.get(gd[p + "rel"]) if gd[p + "rel"] else None
        rel_unit = lx.unit.get(gd[p + "ru"]) if gd[p + "ru"] else None
        this = bool(gd[p + "this"])
        hijri_mark = gd[p + "h"] == "ه"
        anchored = day is not None or year is not None or rel is not None or this or bool(m2)
        if kind == "my":
            prep = gd["mp"]
            if not anchored and (prep is None or name in lx.ambiguous_months):
                return None
            if not anchored and prep and len(name) <= 3 and prep not in ("في", "شهر"):
                return None
        elif name in lx.ambiguous_months and not anchored:
            return None
        if cal_m[0] == "hijri" and year is None:
            return None
        if year is not None and cal_m[0] == "gregorian" and not 1900 <= year <= 2100:
            return None
        need_future = year is None and rel is None and not this
        value, prec = _resolve_month_year(
            cal_m, day, year, hijri_mark, rel, rel_unit, this, ref, fut() if need_future else False
        )
        start = s
        if kind == "my" and gd["mp"] and gd["mp"] not in lx.part:
            start = m.start("bm")
            # keep "شهر" in the span when it directly precedes the month
            w = re.search(rf"(?:{_alt(_MONTH_WORD)})[ \t]+$", norm[s:start])
            if w:
                start = s + w.start()
        res = _Res(start, e, value, prec, full=bool(day and year), explicit=day is not None)
        if kind == "rg":
            d1 = int(gd["r1d"]) if gd["r1d"] else lx.ordinal.get(re.sub(r"[ \t]+", " ", gd["r1dw"] or ""))
            if not d1 or d1 > 31 or value is None:
                res.full = False
                return res if value is None else None
            y2, m2n = int(value[:4]), int(value[5:7])
            m1 = lx.months[gd["r1m"]][1] if gd["r1m"] else m2n
            y1 = y2 if m1 <= m2n else y2 - 1
            if lx.months.get(gd["r1m"] or "", ("gregorian", 0))[0] == "hijri" or cal_m[0] == "hijri":
                return None
            first = _safe_date(y1, m1, d1)
            if first is None:
                return None
            res.end_value = res.value
            res.value = first.isoformat()
            res.full = False
        return res

    if kind == "yr":
        y1, y2 = int(gd["y1"]), int(gd["y2"])
        if not y1 < y2 <= y1 + 100:
            return None
        return _Res(s if gd["yrp"] in lx.year_word or not gd["yrp"] else m.start("y1"), e, _fmt(y1), "year",
                    end_value=_fmt(y2))

    if kind == "se":
        if gd["sy"]:
            return _Res(s, e, gd["sy"], "season")
        rel = 0 if gd["sthis"] else lx.rel[gd["srel"]]
        return _Res(s, e, _fmt(ref.year + rel) if ref else None, "season")

    if kind == "py":
        return _Res(s, e, gd["pyy"], "year")

    if kind == "yc":
        y = gd["ycy"]
        start = s if gd["ycw"] in lx.year_word else (m.start("ycw2") if gd["ycw2"] else m.start("ycy"))
        return _Res(start, e, y, "year")

    if kind == "ym":
        return _Res(s, e, gd["ymy"], "year")

    if kind == "ru":
        if gd["ruthis"]:
            unit, rel = lx.unit[gd["ruu1"]], 0
        else:
            unit, rel = lx.unit[gd["ruu2"]], lx.rel[gd["rurel"]]
        value, end_value, prec = _unit_value(unit, rel, ref)
        return _Res(s, e, value, prec, end_value=end_value)

    if kind == "an":
        unit = {"اليوم": "day", "الشهر": "month"}.get(gd["anu1"] or gd["anu2"], "year")
        value = _same_value(prev or [], unit)
        if value is None:
            return None
        return _Res(s, e, value, unit)

    if kind == "do":
        w = gd["dow"]
        off = lx.day_offset[w]
        if w == "اليوم":
            before = _word_before(norm, s)
            after = norm[e:e + 20].lstrip(" \t")
            nxt = re.match(r"\w+", after)
            nxt_w = nxt.group(0) if nxt else ""
            if before in lx.today_block:
                return None
            if nxt_w.startswith("ال") and nxt_w not in lx.weekday:
                return None  # اليوم التالي / اليوم الوطني
        value = (ref + dt.timedelta(days=off)).isoformat() if ref else None
        return _Res(s, e, value, "day", offset=True)

    if kind == "wd":
        name = gd["wdn"]
        wd = lx.weekday[name]
        if name in lx.ambiguous_weekdays and not gd["wdw"] and not gd["wdrel"]:
            before = _word_before(norm, s)
            if before in lx.weekday_block:
                return None
        rel = lx.rel.get(gd["wdrel"]) if gd["wdrel"] else None
        if ref is None:
            return _Res(s, e, None, "day", weekday=wd)
        delta = (ref.isoweekday() - wd) % 7
        if rel == 1 or (rel is None and fut()):
            # "سيزور … الأحد" on a Sunday is today; "الأحد المقبل" is the next one
            ahead = (wd - ref.isoweekday()) % 7 or (7 if rel == 1 else 0)
            day = ref + dt.timedelta(days=ahead)
        elif rel == -1:
            day = ref - dt.timedelta(days=delta or 7)
        else:
            day = ref - dt.timedelta(days=delta)
        return _Res(s, e, day.isoformat(), "day", weekday=wd)
    return None


def _merge(res: list[_Res], norm: str) -> list[_Res]:
    """Join a weekday or "اليوم" directly before a written date into one expression: the date
    gives the value, the weekday is kept to check it."""
    out: list[_Res] = []
    for r in res:
        if out and r.weekday is not None and out[-1].offset and _GAP.fullmatch(norm[out[-1].end:r.start]):
            prev = out[-1]  # "أمس السبت", "اليوم الخميس": the offset gives the day
            out[-1] = _Res(prev.start, r.end, prev.value, "day", weekday=r.weekday)
            continue
        if out and r.explicit:
            prev = out[-1]
            gap = norm[prev.end:r.start]
            is_today = prev.precision == "day" and norm[prev.start:prev.end] == "اليوم"
            if (prev.weekday is not None or is_today) and _GAP.fullmatch(gap):
                out[-1] = _Res(prev.start, r.end, r.value, r.precision, r.end_value, r.full, True, prev.weekday)
                if len(out) > 1 and norm[out[-2].start:out[-2].end] == "اليوم" \
                        and _GAP.fullmatch(norm[out[-2].end:prev.start]):
                    cur = out.pop()
                    out[-1] = _Res(out[-1].start, cur.end, cur.value, cur.precision, cur.end_value, cur.full, True,
                                   cur.weekday)
                continue
        out.append(r)
    return out


_GAP = re.compile(r"[ \t]*[,،-]?[ \t]*")


def _to_date(ref_date: dt.date | dt.datetime | str | None) -> dt.date | None:
    if ref_date is None:
        return None
    if isinstance(ref_date, dt.datetime):
        return ref_date.date()
    if isinstance(ref_date, dt.date):
        return ref_date
    try:
        return dt.date.fromisoformat(str(ref_date)[:10])
    except ValueError:
        return None


def _find(text: str, ref_date: dt.date | None,
          nt: NormalizedText | None = None) -> list[_Res | tuple[_Res, int, int]]:
    nt = nt if nt is not None else NormalizedText.of(text)
    norm = nt.norm
    lx = _lex()
    ref = _to_date(ref_date)
    res = []
    for m in finditer_at_words(_regex(), norm, _openers()):
        r = _interpret(m, norm, ref, lx, res)
        if r is not None and r.end > r.start:
            res.append(r)
    out: list[_Res | tuple[_Res, int, int]] = []
    for r in _merge(res, norm):
        s, e = nt.span_to_orig(r.start, r.end)
        if e > s:
            out.append((r, s, e))
    return out


def find_times(text: str, ref_date: dt.date | None, normalized: NormalizedText | None = None) -> list[TimeExpr]:
    """Time expressions in ``text`` with exact original offsets, resolved against ``ref_date``
    (relative ones get value None when it is None).  Pass the Doc's ``normalized`` to reuse it."""
    out = []
    for r, s, e in _find(text, ref_date, normalized):  # type: ignore[misc]
        out.append(TimeExpr(start=s, end=e, text=text[s:e], value=r.value, precision=r.precision,
                            end_value=r.end_value))
    return out


def infer_reference_date(text: str, normalized: NormalizedText | None = None) -> tuple[dt.date, str] | None:
    """A publication-date guess from explicit full dates in the text.

    Conservative: a full date introduced by "اليوم" or a weekday that agrees with it wins;
    otherwise the most recent explicit full date, but only if it is not in a future-tense sentence.
    Pass the Doc's ``normalized`` to reuse it.
    """
    lx = _lex()
    nt = normalized if normalized is not None else NormalizedText.of(text)
    best: tuple[dt.date, str] | None = None
    plain: list[dt.date] = []
    for r, s, e in _find(text, None, nt):  # type: ignore[misc]
        if not r.full or r.value is None or len(r.value) != 10:
            continue
        d = dt.date.fromisoformat(r.value)
        ns = nt.orig_to_norm(s)
        if r.weekday is not None:
            if r.weekday != d.isoweekday():
                continue
            if best is None or d > best[0]:
                best = (d, f"weekday and full date: {text[s:e]!r}")
        elif nt.norm.startswith("اليوم", ns):
            if best is None or d > best[0]:
                best = (d, f"'today' with full date: {text[s:e]!r}")
        elif not _future_context(nt.norm, ns, nt.orig_to_norm(e), lx):
            plain.append(d)
    if best is not None:
        return best
    if plain:
        d = max(plain)
        return d, f"most recent explicit full date in the text ({len(plain)} found)"
    return None


class TimeTagger:
    """Pipeline component: fills ``doc.times`` resolved against the document's reference date.

    When the document has no date, it tries :func:`infer_reference_date` and records that the
    date was inferred (``date_source: inferred``) with the reason in the warnings.
    """

    name = "times"

    def __call__(self, doc: Doc) -> Doc:
        d = doc.document
        ref: dt.date | None = None
        if d.date:
            ref = dt.date.fromisoformat(d.date)
        else:
            inferred = infer_reference_date(doc.text, doc.normalized)
            if inferred is not None:
                ref, why = inferred
                d.date, d.date_source = ref.isoformat(), "inferred"
                doc.warnings.append(f"date: reference date {d.date} inferred from the text ({why})")
        doc.times = find_times(doc.text, ref, doc.normalized)
        return doc
