"""Latin spellings for Arabic names the knowledge base does not know.

Every entity should carry a Latin-script name (annotation guidelines §2), but the KB only covers
known actors.  For the rest we spell the name word by word: first from a dictionary of English
spellings mined from Wikidata person names (CC0, built by ``scripts/build_translit.py`` into
``models/translit.tsv.gz``), then by readable rules (consonant map, long vowels, article "al-",
"عبد ال" -> "Abdul", "بن" -> "bin").  The dictionary also tells how common a word is as a *name*
(:func:`name_count`) and which spellings it takes (:func:`spellings`), which cross-document
resolution uses to keep apart different names that look alike (حسن / حسين).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from marsad.text.normalize import normalize

TRANSLIT_PATH = Path(__file__).resolve().parents[1] / "models" / "translit.tsv.gz"

# Consonants (and hamza forms) -> Latin.  Vowel letters ا و ي ى ة are handled by position.
_CONS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "", "ئ": "",
    "ؤ": "", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g", "ک": "k", "ژ": "zh",
}
_ALEFS = frozenset("اأإآٱ")
_VOWELISH = frozenset("اأإآٱوؤيىئة")
# Whole words with a fixed conventional spelling (particles of Arabic names).
_FIXED: dict[str, str] = {
    "بن": "bin", "ابن": "Ibn", "بنت": "bint", "ابو": "Abu", "ابي": "Abi", "ام": "Umm", "ال": "Al",
    "الله": "Allah", "عبدالله": "Abdullah", "عبد": "Abd", "ولد": "Ould", "بو": "Bou",
}
_CLITICS = ("و", "ب", "ل")


@dataclass(frozen=True, slots=True)
class DictEntry:
    """A name word in the CC0 dictionary: best spelling, how often it was seen, its spellings."""

    best: str
    count: int
    spellings: tuple[str, ...]


@cache
def dictionary() -> dict[str, DictEntry]:
    """Normalised Arabic word -> :class:`DictEntry` (empty when the model file is absent)."""
    out: dict[str, DictEntry] = {}
    if not TRANSLIT_PATH.exists():
        return out
    with gzip.open(TRANSLIT_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            alts = tuple(a for a in parts[3].split("|") if a) if len(parts) > 3 else ()
            out[parts[0]] = DictEntry(parts[1], int(parts[2]), alts or (parts[1],))
    return out


def _dict_key(word: str) -> str:
    return normalize(word).strip()


def name_count(word: str) -> int:
    """How many Wikidata person-name tokens spelled this word (0 when unseen): a proxy for how
    common it is as a given name (محمد ~1200, أردوغان ~10)."""
    e = dictionary().get(_dict_key(word))
    return e.count if e else 0


def spellings(word: str) -> tuple[str, ...]:
    """Lower-case Latin spellings the dictionary knows for this word (main ones only)."""
    e = dictionary().get(_dict_key(word))
    return e.spellings if e else ()


def _cap(word: str) -> str:
    """Capitalise a word and each hyphen/apostrophe part after 'al-' ('al-thani' -> 'al-Thani')."""
    if not word:
        return word
    if word.lower().startswith("al-") and len(word) > 3:
        return "al-" + _cap(word[3:])
    return word[0].upper() + word[1:]


def rule_latin(word: str) -> str:
    """Rule-based spelling of one unvowelled Arabic word (lower case, no article handling).

    Short vowels are not written in Arabic, so an 'a' is inserted where two consonants meet after
    the first consonant and before a final consonant (حفتر -> haftar, سلمان -> salman)."""
    chars = [c for c in word if c in _CONS or c in _VOWELISH]
    chars = [c for i, c in enumerate(chars) if i == 0 or c != chars[i - 1] or c in _VOWELISH]
    out: list[str] = []
    n = len(chars)
    prev_cons = False  # previous letter was a consonant not yet followed by a vowel
    n_cons = 0
    for i, ch in enumerate(chars):
        last = i == n - 1
        after_vowel = bool(out) and out[-1][-1:] in ("a", "e", "i", "o", "u")
        if ch == "ـ":
            continue
        if ch in _ALEFS:
            if i == 0 and not last and chars[1] == "و":
                out.append("o")  # أو... -> O..., the و is the vowel
                chars[1] = "ـ"
            elif i == 0:
                out.append("i" if ch == "إ" else "a")
            elif not (out and out[-1].endswith("a")):
                out.append("a")
            prev_cons = False
        elif ch in "ةى":
            out.append("a")
            prev_cons = False
        elif ch in "وي" and (i == 0 or (after_vowel and not last)):
            out.append("w" if ch == "و" else "y")
            prev_cons, n_cons = True, n_cons + 1
        elif ch == "و":
            out.append("ou" if last and n > 3 else "u" if not after_vowel else "w")
            prev_cons = False
        elif ch == "ي":
            out.append("i" if not after_vowel else "y")
            prev_cons = False
        elif ch in "ءئؤ":
            out.append("" if after_vowel or i == 0 else "'")
            prev_cons = False
        elif ch == "ع":
            nxt = chars[i + 1] if not last else ""
            if i == 0:
                out.append("o" if nxt == "و" else "i" if nxt == "ي" else "a")
            elif not after_vowel:
                out.append("a")
            prev_cons = False
            n_cons += 1
        else:
            if prev_cons and (n_cons == 1 or last):
                out.append("a")
            out.append(_CONS.get(ch, ""))
            prev_cons, n_cons = True, n_cons + 1
    return "".join(out)


def _spell_word(word: str) -> tuple[str, bool]:
    """(spelling, starts_with_article) for one word: dictionary, then without article/clitics,
    then rules."""
    key = _dict_key(word)
    if not key:
        return "", False
    d = dictionary()
    if key in _FIXED:
        return _FIXED[key], False
    if key in d:
        return d[key].best, False
    candidates = [(key, False)]
    for c in _CLITICS:
        if key.startswith(c) and len(key) > 3:
            candidates.append((key[1:], False))
    for k, _ in list(candidates):
        if k.startswith("لل") and len(k) > 4:
            candidates.append((k[2:], True))
        if k.startswith("ال") and len(k) > 3:
            candidates.append((k[2:], True))
    for k, art in candidates[1:]:
        if k in _FIXED:
            return _FIXED[k], art
        if k in d:
            return d[k].best, art
    if key.startswith("ال") and len(key) > 3:
        raw = word.strip()
        idx = next((i for i, ch in enumerate(raw) if normalize(ch) == "ل"), 1)
        return rule_latin(raw[idx + 1:]), True
    return rule_latin(word), False


@lru_cache(maxsize=100_000)
def to_latin(arabic_name: str) -> str:
    """Best-effort Latin spelling of an Arabic name, each word capitalised: 'خليفة حفتر' ->
    'Khalifa Haftar'.  Latin input is returned with its words capitalised."""
    words = arabic_name.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        key = _dict_key(w)
        if key == "عبد" and i + 1 < len(words) and _dict_key(words[i + 1]).startswith("ال"):
            rest_key = _dict_key(words[i + 1])
            if rest_key == "الله":
                out.append("Abdullah")
            else:
                rest, _ = _spell_word(rest_key)
                out.append("Abdul" + rest.lower().removeprefix("al-").removeprefix("el-"))
            i += 2
            continue
        if key.startswith("عبدال") and len(key) > 5 and key not in dictionary():
            rest, _ = _spell_word(key[5:])
            out.append("Abdullah" if key == "عبدالله" else "Abdul" + rest.lower())
            i += 1
            continue
        spelled, article = _spell_word(w)
        if spelled:
            spelled = _cap(spelled) if spelled not in ("bin", "bint") else spelled
            out.append(("al-" + spelled) if article else spelled)
        i += 1
    if out:
        out[0] = _cap(out[0])
        if out[0].startswith("al-"):
            out[0] = "Al-" + out[0][3:]
    return " ".join(out)
