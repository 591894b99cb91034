"""A longest-match dictionary of names over tokens, tolerant of clitics and spelling variants.

Keys are sequences of normalised words (so أكار/آكار and الدوحة/الدوحه match alike).  The first
token of a match may carry proclitics (وبالدوحة → الدوحة; للرئيس → الرئيس with the elided
article); the mention offsets then start after them, as the guidelines require.

Why a :class:`TokenView`: the entity, role and honorific indexes all read the same per-token
readings; they are computed once per document, and the tokens that may start a name are found by
one set intersection, so the many tokens that start none cost (almost) nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import not_
from typing import Generic, TypeVar

from marsad.doc import Doc, Token
from marsad.text.clitics import PROCLITIC_CHAINS
from marsad.text.normalize import normalize
from marsad.text.tokens import tokenize

T = TypeVar("T")

# proclitic prefixes a name's first word may carry: all chains but the future particle س, by
# their first letter (only those can start a given word), each list in the order of PROCLITIC_CHAINS
_CUTS: dict[str, tuple[str, ...]] = {}
for _chain in PROCLITIC_CHAINS:
    if "س" not in _chain:
        _CUTS[_chain[0]] = (*_CUTS.get(_chain[0], ()), _chain)


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int  # character offsets into the text (clitics excluded)
    end: int
    first: int  # token indices [first, last)
    last: int
    entries: tuple[T, ...]
    key: tuple[str, ...]


@lru_cache(maxsize=100_000)
def words_of(surface: str) -> tuple[str, ...]:
    """The normalised word sequence of a name, tokenised exactly as running text is."""
    return tuple([t.norm for t in tokenize(surface)])


@lru_cache(maxsize=100_000)
def _forms(norm: str) -> tuple[tuple[str, int], ...]:
    """Readings of a token as the first word of a name: (normalised form, chars of clitics cut).

    The whole token comes first; then forms with each possible proclitic sequence removed.  For
    "لل"+noun the elided article is restored (للرئيس → الرئيس) and the cut keeps the second lam.
    """
    forms = [(norm, 0)]
    for cut in _CUTS.get(norm[:1], ()):
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


@lru_cache(maxsize=100_000)
def _first_words(norm: str) -> tuple[str, ...]:
    return tuple([f for f, _ in _forms(norm)])


@dataclass(frozen=True, slots=True)
class TokenView:
    """The per-token readings every name index needs, computed once per document."""

    tokens: Sequence[Token]
    text: str
    norms: list[str]
    firsts: list[tuple[str, ...]]  # the first-word readings of each token (see _forms)
    vocab: frozenset[str]  # every first-word reading in the document

    @classmethod
    def build(cls, tokens: Sequence[Token], text: str) -> TokenView:
        norms = [t.norm for t in tokens]
        firsts = list(map(_first_words, norms))
        return cls(tokens, text, norms, firsts, frozenset().union(*firsts))

    @classmethod
    def of(cls, doc: Doc) -> TokenView:
        """The (cached) view of a Doc's tokens; rebuilt when its tokens change."""
        key = (id(doc.tokens), len(doc.tokens))
        cached = doc.__dict__.get("_marsad_token_view")
        if cached is not None and cached[0] == key:
            return cached[1]
        view = cls.build(doc.tokens, doc.text)
        doc.__dict__["_marsad_token_view"] = (key, view)
        return view

    def __len__(self) -> int:
        return len(self.norms)

    def starts(self, words: Set[str]) -> list[int]:
        """Indices of the word tokens that have a first-word reading in ``words``, in order.

        The scan runs in C (``compress``/``map``): most tokens start no name, and a Python loop
        over them would cost more than all the matching."""
        present = self.vocab & words
        if not present:
            return []
        hit = compress(range(len(self.firsts)), map(not_, map(present.isdisjoint, self.firsts)))
        return [i for i in hit if self.tokens[i].is_word]


class NameIndex(Generic[T]):
    """Maps normalised word sequences to entries; finds the longest matches in a token list.

    Entries are grouped by their first word, then by the rest of their words; for each first
    word the lengths of the rests are kept longest first, so a match is one dict lookup per
    length instead of a comparison with every name that starts with that word."""

    def __init__(self, max_words: int = 8):
        self.max_words = max_words
        self._by_first: dict[str, tuple[list[int], dict[tuple[str, ...], list[T]]]] = {}

    @property
    def first_words(self) -> Iterable[str]:
        """Every normalised first word of a name (a live view)."""
        return self._by_first.keys()

    def add(self, surface: str, entry: T) -> None:
        key = words_of(surface)
        if not key or len(key) > self.max_words:
            return
        lens, rests = self._by_first.setdefault(key[0], ([], {}))
        bucket = rests.get(key[1:])
        if bucket is None:
            bucket = rests[key[1:]] = []
            if len(key) - 1 not in lens:
                lens.append(len(key) - 1)
                lens.sort(reverse=True)
        if entry not in bucket:
            bucket.append(entry)

    def add_all(self, pairs: Iterable[tuple[str, T]]) -> None:
        for surface, entry in pairs:
            self.add(surface, entry)

    def get(self, surface: str) -> list[T]:
        key = words_of(surface)
        node = self._by_first.get(key[0]) if key else None
        return list(node[1].get(key[1:], [])) if node else []

    def match_at(self, view: TokenView, i: int) -> Match[T] | None:
        """The longest entry starting at token ``i`` (with clitics allowed on that token); the
        words of one name are separated by spaces only (never a line break)."""
        best: Match[T] | None = None
        size = 0
        norms, tokens = view.norms, view.tokens
        for form, cut in _forms(norms[i]):
            node = self._by_first.get(form)
            if node is None:
                continue
            lens, rests = node
            for n in lens:
                last = i + 1 + n
                if n + 1 <= size:
                    break
                if last > len(norms):
                    continue
                entries = rests.get(tuple(norms[i + 1 : last]))
                if entries is None or any("\n" in view.text[tokens[k].end : tokens[k + 1].start]
                                          for k in range(i, last - 1)):
                    continue
                start = tokens[i].start + _raw_offset(tokens[i].text, cut)
                best = Match(start, tokens[last - 1].end, i, last, tuple(entries), (form, *norms[i + 1 : last]))
                size = n + 1
                break
        return best

    def find_all(self, view: TokenView, skip: set[int] | None = None) -> list[Match[T]]:
        """Non-overlapping longest matches, left to right; tokens in ``skip`` are not used."""
        out: list[Match[T]] = []
        pos = 0
        for i in view.starts(self._by_first.keys()):
            if i < pos or (skip and i in skip):
                continue
            m = self.match_at(view, i)
            if m is not None and not (skip and not skip.isdisjoint(range(m.first, m.last))):
                out.append(m)
                pos = m.last
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
