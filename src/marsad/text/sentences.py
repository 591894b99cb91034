"""Sentence splitting for Arabic news.

Splits at sentence-final punctuation (. ! ? ؟ and the scraped ".," glue) and at line breaks,
keeps closing quotes and brackets with the sentence they close, and does *not* split at the
Arabic comma, at decimals (3.5), at the headline pause "..", or after one-letter initials
("د. محمد").  Spans exclude surrounding whitespace.
"""

from __future__ import annotations

import re

_CLOSERS = "\"'”’»)]}›"
# a boundary: terminal punctuation (not a lone dot between digits), optional ".," glue,
# then closing quotes; or a line break.
_BOUNDARY = re.compile(
    r"""
    (?P<term>
        (?<!\.)[.!?؟]+(?:\s*[,،])?       # . ! ? ؟ runs, with scraped glue ".,"
        [\"'”’»)\]}›]*                   # closing quotes / brackets stay in the sentence
    )(?=\s|$|[\u0600-\u06FF"“«(])
    | (?P<nl>\n)
    """,
    re.VERBOSE,
)
_INITIAL = re.compile(r"(?:^|\s)[\u0621-\u064A]$")  # one Arabic letter before the dot: an initial


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``; every span is non-empty and stripped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group("term"):
            term = m.group("term")
            before = text[max(0, m.start() - 2) : m.start()]
            dots = term.rstrip(_CLOSERS + ",، ")
            after = text[m.end() : m.end() + 1]
            # "3.5" decimals, "2.." headline pauses, "د." initials are not sentence ends
            if dots == "." and m.start() > 0 and text[m.start() - 1].isdigit() and after.isdigit():
                continue
            if dots in ("..",) and "," not in term and "،" not in term:
                continue
            if dots == "." and _INITIAL.search(before):
                continue
            end = m.end()
        else:
            end = m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))
    elif end > start and spans:
        # punctuation-only remainder (e.g. a stray "." or quote): attach to the previous sentence
        ps, pe = spans[-1]
        if text[pe:start].strip() == "":
            spans[-1] = (ps, end)
