"""Quantities in Arabic news: money, people, casualties, percentages, counts and measures.

One combined regex (built once from ``numbers.tsv`` and ``units.tsv``) runs over the normalised
text.  A quantity is a number (digits, number words, scale words, duals, vague plurals) *followed by
a unit*; a bare number is never a quantity, which keeps years, dates, phone and model numbers
(بوينغ 747، إف-16) out.

Choices (documented for the lead):
- Vague plurals without a number (عشرات، مئات، آلاف، ملايين، "المليارات") are approx with the base value
  (10, 100, 1000, 1e6, 1e9); chained ones multiply: "عشرات الآلاف" = 10000, approx.
- Ranges "بين 10 و15 قتيلا": value = the lower bound, approx = True (Quantity has no upper field).
- Percent keeps the number (90 for "90 في المئة"), unit "percent".
- Ambiguous currencies (درهم، دينار، ريال، ليرة، جنيه) take the code whose context words occur most in the
  document (units.tsv "context" column), else the default row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.doc import Doc, Quantity
from marsad.knowledge import read_tsv, split_variants
from marsad.text.anchors import finditer_at_words, first_words
from marsad.text.clitics import PROCLITIC_CHAINS
from marsad.text.normalize import NormalizedText, normalize

__all__ = ["find_quantities", "vague_quantity"]


@dataclass
class _Unit:
    unit: str
    kind: str
    context: tuple[str, ...] = ()


@dataclass
class _Lex:
    num: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    dual: dict[str, float] = field(default_factory=dict)
    vague: dict[str, float] = field(default_factory=dict)
    fraction: dict[str, float] = field(default_factory=dict)
    approx: set[str] = field(default_factory=set)
    approx_post: set[str] = field(default_factory=set)
    units: dict[str, list[_Unit]] = field(default_factory=dict)
    dual_units: dict[str, _Unit] = field(default_factory=dict)  # مذكرتي تفاهم -> 2 MoUs


def _alt(words: object) -> str:
    """A regex alternation, longest first so multi-word names win."""
    ws = sorted({w for w in words if w}, key=lambda w: (-len(w), w))  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in ws)


def _key(s: str) -> str:
    return re.sub(r"[ \t]+", " ", s)


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    lx = _Lex()
    for row in read_tsv("numbers.tsv", ["name", "kind", "value"]):
        kind = row["kind"]
        for name in split_variants(row["name"]):
            n = normalize(name)
            if kind in ("num", "scale", "dual", "vague", "fraction"):
                getattr(lx, kind)[n] = float(row["value"])
            elif kind in ("approx", "approx_post"):
                getattr(lx, kind).add(n)
    for row in read_tsv("units.tsv", ["name", "unit", "kind"]):
        ctx = tuple(normalize(c) for c in split_variants(row.get("context", "")))
        for name in split_variants(row["name"]):
            lx.units.setdefault(normalize(name), []).append(_Unit(row["unit"], row["kind"], ctx))
        for name in split_variants(row.get("dual", "")):
            lx.dual_units[normalize(name)] = _Unit(row["unit"], row["kind"], ctx)
    return lx


# one single-letter proclitic (و ف ب ل ك) may come before a quantity: بملياري، و500، لـ40
_PROCLITICS = "".join(c for c in PROCLITIC_CHAINS if len(c) == 1)
_BETWEEN = "بين"  # بين 10 و15


@lru_cache(maxsize=1)
def _regex() -> re.Pattern[str]:
    lx = _lex()
    # start of a word, or after one proclitic
    B = rf"(?:(?<![\w.,/-])|(?<=(?<![\w.,/-])[{_PROCLITICS}]))"  # noqa: N806
    E, W = r"(?!\w)", r"[ \t]+"  # noqa: N806
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
    word_num = rf"(?:{_alt(lx.num)})(?:{W}و[ \t]*(?:{_alt(lx.num)}))*"
    scale = _alt(lx.scale)
    frac = _alt(lx.fraction)
    # a number: digits or words, then scale words; or a dual; or a fraction of a scale; or vague plurals
    number = (
        rf"(?:(?:{digits})|(?:{word_num}){E})(?:[ \t]*(?:{scale}){E}(?:{W}و[ \t]*(?:{frac}|\d+(?:[.,]\d+)?"
        rf"(?:{W}(?:{scale}))?){E})?)*"
        rf"|(?:{_alt(lx.dual)}){E}(?:{W}و[ \t]*(?:{frac}){E})?"
        rf"|(?:{frac}){W}(?:{scale}){E}"
        rf"|(?:{_alt(lx.vague)}){E}(?:{W}(?:من{W})?(?:{_alt(lx.vague)}){E})*"
        rf"|(?:{scale}){E}(?:{W}و[ \t]*(?:{frac}){E})?"
    )
    unit_names = _alt(k for k in lx.units if k[0].isalpha())
    unit = rf"(?:[ \t]*(?P<sym>%|٪)|{W}(?:من{W})?(?P<unit>(?:ال)?(?:{unit_names}))(?:ا|ين|ون)?{E})"
    return re.compile(
        rf"{B}(?:(?P<approx2>{_alt(lx.approx)}){W})?(?P<dualunit>{_alt(lx.dual_units)}){E}|"
        rf"{B}(?:(?P<approx>{_alt(lx.approx)}){W})?"
        rf"(?:(?P<between>{_BETWEEN}){W})?"
        rf"(?P<num>{number})"
        rf"(?:[ \t]*(?:-|(?:{W})?(?:الي|حتي))[ \t]*(?P<num2>{number})"
        rf"|(?(between)[ \t]*(?:{W})?و[ \t]*(?P<num3>{number})))?"
        rf"{unit}"
        rf"(?:{W}(?P<post>{_alt(lx.approx_post)}){E})?"
    )


@lru_cache(maxsize=1)
def _openers() -> frozenset[str]:
    """Every word a quantity can start with, besides digits (see :func:`_regex`)."""
    lx = _lex()
    return frozenset(first_words([*lx.approx, *lx.dual_units, _BETWEEN, *lx.num, *lx.scale, *lx.dual,
                                  *lx.fraction, *lx.vague]))


def _parse_digits(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


def _parse_number(s: str, lx: _Lex) -> tuple[float, bool] | None:
    """(value, approx) of a number phrase matched by the regex."""
    s = _key(s.strip())
    toks = s.split(" ")
    total = 0.0
    cur: float | None = None
    approx = False
    i = 0
    while i < len(toks):
        t = toks[i]
        t2 = " ".join(toks[i:i + 2])
        if t2 in lx.num or t2 in lx.units:  # two-word number (خمسة عشر)
            t, i = t2, i + 1
        bare = t[1:] if t[:1] == "و" and len(t) > 1 else t
        if t == "و" or t == "من":
            pass
        elif re.fullmatch(r"\d+(?:[.,]\d+)*", bare):
            val = _parse_digits(bare)
            cur = val if cur is None or t == bare else cur + val
        elif bare in lx.num:
            cur = (cur or 0.0) + lx.num[bare]
        elif t != bare and bare in lx.fraction and cur is None and total:
            total += lx.fraction[bare] * _last_scale(toks[:i], lx)
        elif bare in lx.fraction:
            cur = lx.fraction[bare] if cur is None else cur + lx.fraction[bare]
        elif t in lx.dual and cur is None:
            total += lx.dual[t]
        elif t in lx.scale and cur is not None:
            total += cur * lx.scale[t]
            cur = None
        elif t in lx.vague and cur is None:
            v = lx.vague[t]
            total = total * v if total else v
            approx = True
        elif t in lx.scale and cur is None:
            total = total * lx.scale[t] if total else lx.scale[t]
        else:
            return None
        i += 1
    if cur is not None:
        total += cur
    return (total, approx) if total else None


def _last_scale(toks: list[str], lx: _Lex) -> float:
    for t in reversed(toks):
        if t in lx.scale:
            return lx.scale[t]
        if t in lx.dual:
            return lx.dual[t] / 2
    return 1.0


def _pick_unit(name: str, norm_text: str, lx: _Lex) -> _Unit | None:
    key = _key(name)
    cands = lx.units.get(key) or (lx.units.get(key[2:]) if key.startswith("ال") else None)
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    best, best_n = None, 0
    for c in cands:
        n = sum(norm_text.count(w) for w in c.context) if c.context else 0
        if n > best_n:
            best, best_n = c, n
    return best or next((c for c in cands if not c.context), cands[0])


def find_quantities(text: str, normalized: NormalizedText | None = None) -> list[Quantity]:
    """Quantities with a unit in ``text``, with exact original offsets.  Pass the Doc's
    ``normalized`` to reuse it."""
    lx = _lex()
    nt = normalized if normalized is not None else NormalizedText.of(text)
    norm = nt.norm
    out: list[Quantity] = []
    for m in finditer_at_words(_regex(), norm, _openers(), _PROCLITICS):
        if m.group("dualunit"):
            du = lx.dual_units[_key(m.group("dualunit"))]
            if du.kind == "people":
                du = _casualty_unit(norm, m.start()) or du
            s, e = nt.span_to_orig(m.start(), m.end())
            if e > s:
                out.append(Quantity(value=2, unit=du.unit, text=text[s:e], start=s, end=e,
                                    approx=bool(m.group("approx2")), kind=du.kind))
            continue
        if m.group("sym"):
            u: _Unit | None = lx.units.get(m.group("sym")) and lx.units[m.group("sym")][0]
        else:
            u = _pick_unit(m.group("unit"), norm, lx)
        if u is None:
            continue
        parsed = _parse_number(m.group("num"), lx)
        if parsed is None:
            continue
        value, approx = parsed
        if m.group("num2") or m.group("num3"):
            p2 = _parse_number(m.group("num2") or m.group("num3"), lx)
            if p2 is None:
                continue
            approx = True
            toks1 = _key(m.group("num")).split(" ")
            if not any(t in lx.scale or t in lx.dual for t in toks1):  # "بين 100 و150 مليار": shared scale
                value *= _last_scale(_key(m.group("num2") or m.group("num3")).split(" "), lx)
            value = min(value, p2[0])
        if m.group("approx") or m.group("post") or m.group("between"):
            approx = True
        if _model_number(norm, m.start(), lx):
            continue
        if u.kind == "people":
            u = _casualty_unit(norm, m.start()) or u
        s, e = nt.span_to_orig(m.start(), m.end())
        if e <= s:
            continue
        value = round(value, 6)
        val: float = int(value) if value.is_integer() else value
        out.append(Quantity(value=val, unit=u.unit, text=text[s:e], start=s, end=e, approx=approx, kind=u.kind))
    return out


@lru_cache(maxsize=1)
def _governing() -> dict[str, _Unit]:
    """Casualty nouns (knowledge/casualty_nouns.tsv) → the unit their count takes."""
    return {normalize(r["noun"]): _Unit(r["unit"], "casualties")
            for r in read_tsv("casualty_nouns.tsv", ["noun", "unit"])}


def _casualty_unit(norm: str, start: int) -> _Unit | None:
    """A count of people governed by a casualty noun counts the casualties: "مقتل 10 أشخاص" are
    10 killed, "إصابة شخصين" 2 injured (the noun may carry a proclitic: بمقتل، وإصابة)."""
    m = re.search(r"(\w+)[ \t]+$", norm[max(0, start - 20):start])
    if not m:
        return None
    w = m.group(1)
    governing = _governing()
    for cand in (w, w[1:], w[2:]):
        if cand in governing and (cand == w or w[: len(w) - len(cand)] in ("و", "ب", "ل", "ف", "وب", "فب")):
            return governing[cand]
    return None


def vague_quantity(text: str) -> bool:
    """A quantity with no number, only vague plurals ("ملايين الدولارات", "مئات من عناصر")."""
    words = normalize(text).split()
    if not words:
        return False
    w, vague = words[0], _lex().vague
    return w in vague or (w[:1] in "وبلف" and w[1:] in vague)


def _model_number(norm: str, start: int, lx: _Lex) -> bool:
    """A number glued to a product/model name by a hyphen (إف-16، S-400) is not a count."""
    return start > 0 and norm[start - 1] in "-/"


class QuantityTagger:
    """Pipeline component: fills ``doc.quantities`` (money, people, casualties, percentages…)."""

    name = "quantities"

    def __call__(self, doc: Doc) -> Doc:
        doc.quantities = find_quantities(doc.text, doc.normalized)
        return doc
