"""Running a lexicon pattern only where one of its matches can start.

The taggers' combined patterns (times, quantities) are long alternations of lexicon words, and
Python's regex engine tries every alternative at every character of a text.  Their matches all
start at a word start (or one proclitic into a word) with a digit or with one of a known set of
words (the first words of the lexicon entries that can open one): the text's words are
intersected with that set, and the pattern is tried only where those words and digits start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from marsad.knowledge import KnowledgeError

_WORD_RUN = re.compile(r"(?<!\w)\w+")


def first_words(entries: Iterable[str]) -> set[str]:
    """The words (runs of letters and digits) the entries start with."""
    out = set()
    for entry in entries:
        m = _WORD_RUN.match(entry)
        if m is None:
            raise KnowledgeError(f"lexicon entry {entry!r} does not start with a letter or digit")
        out.add(m.group())
    return out


def finditer_at_words(pattern: re.Pattern[str], text: str, openers: frozenset[str],
                      proclitics: str = "") -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, for a pattern whose every match starts at a word
    start, or one letter of ``proclitics`` into a word, with a digit or a word of ``openers``."""
    out: list[re.Match[str]] = []
    end = 0
    for pos in _starts(text, openers, proclitics):
        if pos >= end:
            m = pattern.match(text, pos)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def _starts(text: str, openers: frozenset[str], proclitics: str) -> list[int]:
    """Where in ``text`` a digit or an opener starts a word, or one proclitic into a word."""
    glued, digits = _glued(openers, proclitics)
    starts = {m.end() - 1 for m in digits.finditer(text)}
    words = _words(text)
    n = len(text)
    for word, cut in [(w, 0) for w in openers.intersection(words)] + [(w, 1) for w in glued.intersection(words)]:
        size = len(word)
        i = text.find(word)
        while i >= 0:
            if (i == 0 or not _word_char(text[i - 1])) and (i + size == n or not _word_char(text[i + size])):
                starts.add(i + cut)
            i = text.find(word, i + 1)
    return sorted(starts)


@lru_cache(maxsize=1)  # the taggers run one after the other on the same normalised text
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RUN.findall(text))


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \w matches


@lru_cache(maxsize=8)
def _glued(openers: frozenset[str], proclitics: str) -> tuple[frozenset[str], re.Pattern[str]]:
    """The openers with a proclitic glued on, and the pattern of a digit opening a word (after
    one proclitic, if any)."""
    glued = frozenset(c + w for c in proclitics for w in openers)
    digit = rf"(?<!\w)[{re.escape(proclitics)}]?\d" if proclitics else r"(?<!\w)\d"
    return glued, re.compile(digit)
