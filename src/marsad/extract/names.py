"""A longest-match dictionary of names over tokens, tolerant of clitics and spelling variants.

Keys are sequences of normalised words (so أكار/آكار and الدوحة/الدوحه match alike).  The first
token of a match may carry proclitics (وبالدوحة → الدوحة; للرئيس → الرئيس with the elided
article); the mention offsets then start after them, as the guidelines require.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from marsad.doc import Token
from marsad.text.clitics import PROCLITIC_CHAINS
from marsad.text.normalize import normalize
from marsad.text.tokens import tokenize

T = TypeVar("T")

# proclitic prefixes a name's first word may carry: all chains but the future particle س
_CUTS = tuple(c for c in PROCLITIC_CHAINS if "س" not in c)


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int  # character offsets into the text (clitics excluded)
    end: int
    first: int  # token indices [first, last)
    last: int
    entries: tuple[T, ...]
    key: tuple[str, ...]


def words_of(surface: str) -> tuple[str, ...]:
    """The normalised word sequence of a name, tokenised exactly as running text is."""
    return tuple(t.norm for t in tokenize(surface))


def first_word_forms(tok: Token) -> tuple[tuple[str, int], ...]:
    """Readings of a token as the first word of a name: (normalised form, chars of clitics cut).

    The whole token comes first; then forms with each possible proclitic sequence removed.  For
    "لل"+noun the elided article is restored (للرئيس → الرئيس) and the cut keeps the second lam.
    """
    return _forms(tok.norm)


@lru_cache(maxsize=100_000)
def _forms(norm: str) -> tuple[tuple[str, int], ...]:
    forms = [(norm, 0)]
    for cut in _CUTS:
        if not norm.startswith(cut) or len(norm) - len(cut) < 2:
            continue
        if cut.endswith("ال"):
            k = len(cut) - 2
            forms.append((norm[k:], k))
        elif cut.endswith("لل"):
            k = len(cut) - 1
            forms.append(("ا" + norm[k:], k))
        else:
            forms.append((norm[len(cut):], len(cut)))
    return tuple(forms)


class NameIndex(Generic[T]):
    """Maps normalised word sequences to entries; finds the longest matches in a token list."""

    def __init__(self, max_words: int = 8):
        self.max_words = max_words
        self._by_first: dict[str, dict[tuple[str, ...], list[T]]] = {}

    def add(self, surface: str, entry: T) -> None:
        key = words_of(surface)
        if not key or len(key) > self.max_words:
            return
        bucket = self._by_first.setdefault(key[0], {}).setdefault(key[1:], [])
        if entry not in bucket:
            bucket.append(entry)

    def add_all(self, pairs: Iterable[tuple[str, T]]) -> None:
        for surface, entry in pairs:
            self.add(surface, entry)

    def get(self, surface: str) -> list[T]:
        key = words_of(surface)
        return list(self._by_first.get(key[0], {}).get(key[1:], [])) if key else []

    def match_at(self, tokens: Sequence[Token], i: int, text: str) -> Match[T] | None:
        """The longest entry starting at token ``i`` (with clitics allowed on that token)."""
        best: Match[T] | None = None
        tok = tokens[i]
        for form, cut in first_word_forms(tok):
            rests = self._by_first.get(form)
            if not rests:
                continue
            for rest, entries in rests.items():
                n = len(rest)
                if i + 1 + n > len(tokens) or (best is not None and n + 1 <= best.last - best.first):
                    continue
                if all(tokens[i + 1 + j].norm == rest[j] for j in range(n)):
                    last = i + 1 + n
                    # words of one name are separated by spaces only (no line break, no punctuation)
                    if any("\n" in text[tokens[k].end:tokens[k + 1].start] for k in range(i, last - 1)):
                        continue
                    start = tok.start + _raw_offset(tok.text, cut)
                    best = Match(start, tokens[last - 1].end, i, last, tuple(entries), (form, *rest))
        return best

    def find_all(self, tokens: Sequence[Token], text: str, skip: set[int] | None = None) -> list[Match[T]]:
        """Non-overlapping longest matches, left to right; tokens in ``skip`` are not used."""
        out: list[Match[T]] = []
        i = 0
        skip = skip or set()
        while i < len(tokens):
            if i in skip or not tokens[i].is_word:
                i += 1
                continue
            m = self.match_at(tokens, i, text)
            if m is not None and not any(k in skip for k in range(m.first, m.last)):
                out.append(m)
                i = m.last
            else:
                i += 1
        return out


def _raw_offset(raw: str, n_norm: int) -> int:
    """Offset in the raw token of the ``n_norm``-th normalised character (marks skipped)."""
    if n_norm == 0:
        return 0
    seen = 0
    for i, ch in enumerate(raw):
        if normalize(ch):
            if seen == n_norm:
                return i
            seen += 1
    return len(raw)
