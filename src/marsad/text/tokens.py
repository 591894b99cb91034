"""Tokenisation with clitic segmentation that keeps offsets into the original text.

A token is a run of word characters (Arabic letters with their diacritics and tatweel, Latin
letters, digits with their decimal/thousand separators) or a single punctuation mark.  Each word
token is segmented into proclitics (و ف then ب ل ك س), a stem (the definite article ال stays in
it) and an enclitic pronoun.  Whether a leading letter is a clitic is decided by evidence, not
guessed: the reading whose remaining word is more frequent in a large news corpus wins
(``وقطر`` → و + قطر, but ``وزير`` stays whole), see ``models/wordfreq.tsv.gz``.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from marsad.doc import Token
from marsad.text.clitics import ENCLITICS, PROCLITIC_CHAINS
from marsad.text.normalize import normalize

_WORD = re.compile(
    r"""
    [0-9\u0660-\u0669\u06F0-\u06F9]+(?:[.,٫٬][0-9\u0660-\u0669\u06F0-\u06F9]+)*   # numbers 3,000 3.5 ٣٫٥
    | [\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]
      [\u0621-\u065F\u0670-\u06D3\u06FA-\u06FF\u0640]*                           # Arabic word (+ marks)
    | [A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)*                                  # Latin word
    | \S                                                                         # any other mark
    """,
    re.VERBOSE,
)

WORDFREQ_PATH = Path(__file__).resolve().parents[1] / "models" / "wordfreq.tsv.gz"

_MIN_STEM = 2


def _by_letter(affixes: tuple[str, ...], at: int) -> dict[str, tuple[str, ...]]:
    """The affixes grouped by their first (``at=0``) or last (``at=-1``) letter, in their order:
    a word is then checked only against those that can match it."""
    out: dict[str, tuple[str, ...]] = {}
    for a in affixes:
        out[a[at]] = (*out.get(a[at], ()), a)
    return out


_PROCLITICS = _by_letter(PROCLITIC_CHAINS, 0)
_ENCLITICS = _by_letter(ENCLITICS, -1)


@cache
def word_frequencies() -> dict[str, int]:
    """Normalised word → corpus count (empty when the table is absent)."""
    freq: dict[str, int] = {}
    if not WORDFREQ_PATH.exists():
        return freq
    with gzip.open(WORDFREQ_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            w, _, c = line.rstrip("\n").partition("\t")
            if c:
                freq[w] = int(c)
    return freq


def segment(norm: str) -> tuple[int, int, tuple[str, ...]]:
    """Clitic segmentation of a normalised word: (stem start, stem end, proclitics).

    The article stays in the stem; for "لل"+noun the stem starts at the elided article's lam.
    """
    freq = word_frequencies()
    whole = freq.get(norm, 0)
    start, prefixes = 0, ()
    for p in _PROCLITICS.get(norm[:1], ()):
        if not norm.startswith(p) or len(norm) - len(p) < _MIN_STEM:
            continue
        if p.endswith("ال"):  # و+ال...: keep the article in the stem
            cut = len(p) - 2
            rest = norm[cut:]
        elif p.endswith("لل"):  # لل: ل + (ا)ل
            cut = len(p) - 1
            rest = "ا" + norm[cut:]
        else:
            cut = len(p)
            rest = norm[cut:]
        if len(rest) < _MIN_STEM or (rest.startswith("ال") and len(rest) < 4):
            continue
        if p.endswith("ال") or p.endswith("لل") or _more_likely_split(p, freq.get(rest, 0), whole):
            start, prefixes = cut, tuple(norm[:cut])
            break
    end = len(norm)
    stem = norm[start:]
    for e in _ENCLITICS.get(stem[-1:], ()):
        if stem.endswith(e) and len(stem) - len(e) >= 3:
            rest = stem[: -len(e)]
            alt = rest[:-1] + "ه" if rest.endswith("ت") else rest  # زيارته → زياره
            if max(freq.get(rest, 0), freq.get(alt, 0)) > max(freq.get(stem, 0), 1) * 2:
                end = len(norm) - len(e)
            break
    return start, end, prefixes


def _more_likely_split(prefix: str, rest: int, whole: int) -> bool:
    """Is ``prefix`` a clitic, judged by corpus counts of the remaining word and of the whole?

    The conjunctions و/ف are so common that a remainder a third as frequent as the whole word
    still wins (وقال → و + قال, but وزير, وصل, وحدة stay whole); ب/ل/ك need the remainder to be
    clearly more frequent (كما and بحث stay whole, بأنقرة splits).
    """
    if rest < 5:
        return False
    if any(c in "بلكس" for c in prefix):
        return rest >= 3 * whole
    return rest * 3 >= whole


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with exact offsets and clitic segmentation."""
    out: list[Token] = []
    append = out.append
    known = _READINGS.get
    for m in _WORD.finditer(text):
        s, e = m.span()
        raw = m.group()
        norm, stem_start, stem_end, prefixes, suffix = known(raw) or _remember(raw)
        append(Token(s, e, raw, norm, s + stem_start, s + stem_end, prefixes, suffix))
    return out


_Reading = tuple[str, int, int, tuple[str, ...], str]  # norm, stem start, stem end, proclitics, enclitic
# token text -> its reading, stem offsets relative to the token.  News repeats its words, so each
# spelling is read once; a plain dict (a hit is one lookup, no LRU bookkeeping) emptied when full
# so that memory stays flat however large the vocabulary grows.
_READINGS: dict[str, _Reading] = {}
_MAX_READINGS = 200_000


def _remember(raw: str) -> _Reading:
    """Normalise and segment a token text not seen yet, and keep its reading."""
    if len(_READINGS) >= _MAX_READINGS:
        _READINGS.clear()
    norm = normalize(raw)
    reading: _Reading
    if not ("\u0600" <= raw[0] <= "\u06ff" and raw[0].isalpha()):
        reading = (norm, 0, len(raw), (), "")
    else:
        ns, ne, prefixes = segment(norm)
        suffix = norm[ne:] if ne < len(norm) else ""
        if len(norm) == len(raw):  # no diacritics or tatweel: offsets coincide
            reading = (norm, ns, ne, prefixes, suffix)
        else:
            reading = (norm, _norm_to_raw(raw, ns), _norm_to_raw(raw, ne), prefixes, suffix)
    _READINGS[raw] = reading
    return reading


def _norm_to_raw(raw: str, n: int) -> int:
    """Raw index of normalised index ``n`` within one token (diacritics/tatweel are skipped)."""
    if n <= 0:
        return 0
    count = 0
    for i, ch in enumerate(raw):
        if normalize(ch):
            count += 1
            if count == n:
                j = i + 1
                # keep trailing marks with the preceding letter
                while j < len(raw) and not normalize(raw[j]):
                    j += 1
                return j
    return len(raw)


def stem_text(tok: Token, text: str) -> str:
    """The token without its proclitics, as written (the article kept)."""
    return text[tok.stem_start : tok.end]
