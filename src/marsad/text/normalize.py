"""Arabic normalisation with an exact map back to the original text.

Matching (lexicons, gazetteers, search, resolution) works on a *normalised* form in which
spelling variants collapse: أكار and آكار, قطر and قطرُ, ٣٠٠٠ and 3000.  Every span found in
the normalised form must still index the original text exactly, so normalisation never
rewrites a character into several and records, for each normalised character, the offset of
the original character it came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

# One original character -> one normalised character.
_CHAR_MAP: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك",
    "٫": ".", "٬": ",", "،": "،",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ",
}
for _i in range(10):
    _CHAR_MAP[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _CHAR_MAP[chr(0x06F0 + _i)] = str(_i)  # Persian / Urdu digits

# Characters dropped from the normalised form: harakat, tanwin, shadda, sukun, dagger alef,
# Quranic marks, tatweel and invisible direction / joiner marks.
_REMOVED = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u06E1", "\u06ED"]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c",
       "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"]
)


# str.translate table: the whole normalisation runs in C.  Latin letters up to U+024F are
# lower-cased through the table; other scripts' case is left alone (news Arabic has no case).
_CHANGES: dict[int, str | None] = {ord(c): None for c in _REMOVED}
_CHANGES.update({ord(k): v for k, v in _CHAR_MAP.items()})
for _c in range(0x41, 0x250):
    _ch = chr(_c)
    if _ch not in _CHAR_MAP and len(_ch.lower()) == 1 and _ch.lower() != _ch:
        _CHANGES[_c] = _ch.lower()
# The table as a list indexed by code point, up to the last one that changes (translate leaves
# the characters past its end alone): three times faster than the dict, which translate looks
# up with a new int object for every non-Latin character.
_TABLE: list[int | str | None] = [_CHANGES.get(c, c) for c in range(max(_CHANGES) + 1)]
_REMOVED_RE = re.compile("[" + "".join(sorted(_REMOVED)) + "]")


def normalize(text: str) -> str:
    """The matching key of a string: alef/ya/ta-marbuta/hamza-carrier variants folded,
    diacritics and tatweel dropped, Eastern digits made ASCII, Latin lower-cased."""
    return text.translate(_TABLE)


def strip_diacritics(text: str) -> str:
    """Remove harakat and tatweel but keep letters as written (for display keys)."""
    return _REMOVED_RE.sub("", text)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised copy of ``original`` with offsets back into it.

    ``to_orig[i]`` is the index in ``original`` of normalised character ``i``;
    ``to_orig[len(norm)] == len(original)`` is a sentinel so that end offsets map too.
    """

    original: str
    norm: str
    to_orig: Sequence[int]

    @classmethod
    def of(cls, original: str) -> NormalizedText:
        norm = original.translate(_TABLE)
        n = len(original)
        if len(norm) == n:  # nothing dropped: the map is the identity
            return cls(original, norm, range(n + 1))
        to_orig: list[int] = []
        prev = 0
        for m in _REMOVED_RE.finditer(original):
            to_orig.extend(range(prev, m.start()))
            prev = m.end()
        to_orig.extend(range(prev, n + 1))
        return cls(original, norm, tuple(to_orig))

    def span_to_orig(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original text.

        Diacritics that follow the last character of the span belong to it, so the end maps to
        the original position just before the next kept character.
        """
        if end <= start:
            pos = self.to_orig[start]
            return pos, pos
        o_start = self.to_orig[start]
        o_end = self.to_orig[end - 1] + 1
        nxt = self.to_orig[end]
        # include combining marks (dropped from norm) that trail the last kept character
        while o_end < nxt and self.original[o_end] in _REMOVED and not self.original[o_end].isspace():
            if self.original[o_end] in "\u200e\u200f\u061c\ufeff\u200b":
                break
            o_end += 1
        return o_start, o_end

    def orig_to_norm(self, pos: int) -> int:
        """Index of the first normalised character at or after original position ``pos``."""
        return bisect.bisect_left(self.to_orig, pos)
