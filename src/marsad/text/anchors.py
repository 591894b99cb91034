"""Running a lexicon pattern only where one of its matches can start.

The taggers' combined patterns (times, quantities) are long alternations of lexicon words, and
Python's regex engine tries every alternative at every character of a text.  Their matches all
start at a word start with a digit or with one of a known set of words (the first words of the
lexicon entries that can open one), so those words are looked up in a set and the pattern is
tried only there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def finditer_at_words(pattern: re.Pattern[str], text: str, openers: frozenset[str] | set[str],
                      proclitics: str = "") -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, for a pattern whose every match starts at a word
    start, or one letter of ``proclitics`` into a word, with a digit or a word of ``openers``."""
    out: list[re.Match[str]] = []
    end = 0
    for w in _WORD_RUN.finditer(text):
        pos, word = w.start(), w.group()
        for cut in (0, 1) if proclitics and word[0] in proclitics else (0,):
            rest = word[cut:]
            if pos + cut < end or not rest or not (rest[0].isdecimal() or rest in openers):  # \d is isdecimal
                continue
            m = pattern.match(text, pos + cut)
            if m is not None:
                out.append(m)
                end = m.end()
    return out
