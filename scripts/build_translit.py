"""Build ``src/marsad/models/translit.tsv.gz`` from the CC0 Wikidata English–Arabic name word pairs.

Why: unknown actors need a Latin name, and the most frequent English spelling of each Arabic name
word in Wikidata is a far better guess than rules alone.  Each row is

    normalised Arabic word <TAB> best spelling <TAB> total count <TAB> main spellings (a|b|c)

"main spellings" are those with at least 10% of the word's pairs (resolution uses them to tell
different names apart: حسن hassan / حسين hussein).  Pairs whose spelling shares almost no
consonants with a rule-based reading of the Arabic are alignment noise (الله -> granada) and are
dropped.  A few very common Arab given names get the spelling English-language news uses.

    python scripts/build_translit.py [/path/to/netransliteration_wikidata_ar]
"""

from __future__ import annotations

import csv
import gzip
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from marsad.resolve.transliterate import TRANSLIT_PATH, rule_latin
from marsad.text.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SRC = REPO.parent / "shared" / "data" / "netransliteration_wikidata_ar"
PAIRS_FILE = "wd_arabic.normalized.aligned.tokens.pairs.tsv"  # all 64,973 pairs (= 80 + 20 slices)
MIN_SHARE = 0.10
MIN_SKELETON_SIMILARITY = 30  # rapidfuzz ratio between consonant skeletons; below = noise
SINGLETON_SIMILARITY = 60  # a pair seen once needs more agreement (اوغلو -> beşikçioğlu is a joined compound)

# English-press spellings for the commonest Arab given names (Wikidata favours French/Egyptian ones).
PREFERRED = {
    "محمد": "mohammed", "احمد": "ahmed", "محمود": "mahmoud", "عبد": "abdul", "يوسف": "yousef",
    "العزيز": "aziz",
}


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


_LATIN_FOLD = str.maketrans({"q": "k", "c": "k", "j": "g", "p": "b", "v": "f", "o": "u", "e": "i"})


def _skeleton(latin: str) -> str:
    """Consonant skeleton of a Latin spelling: a rough key comparable across romanisations."""
    s = _ascii(latin).translate(_LATIN_FOLD)
    for a, b in (("kh", "h"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k")):
        s = s.replace(a, b)
    out = [c for i, c in enumerate(s) if c.isalpha() and (i == 0 or c not in "aiuwy")]
    return "".join(c for i, c in enumerate(out) if i == 0 or c != out[i - 1])


def build(src: Path, dest: Path) -> tuple[int, int]:
    """Read the pairs, write the model; returns (rows written, pairs dropped as noise)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    dropped = 0
    with (src / PAIRS_FILE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            en, ar, n = row["english"].strip().lower(), normalize(row["arabic"].strip()), int(row["count"])
            if not en or not ar or " " in ar or not en.replace("-", "").replace("'", "").isalpha():
                continue
            rule = rule_latin(ar)
            sim = fuzz.ratio(_skeleton(en), _skeleton(rule))
            if sim < MIN_SKELETON_SIMILARITY or (n == 1 and (sim < SINGLETON_SIMILARITY
                                                               or len(_ascii(en)) > 1.5 * len(rule) + 2)):
                dropped += 1
                continue
            counts[ar][en] += n
    rows = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# normalised Arabic name word\tbest Latin spelling\tcount\tmain spellings — built by "
                  "scripts/build_translit.py from Wikidata name pairs (CC0, NETransliteration-COLING2018)\n")
        for ar in sorted(counts):
            c = counts[ar]
            total = sum(c.values())
            ranked = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
            best = PREFERRED.get(ar, ranked[0][0])
            main = [en for en, k in ranked if k >= MIN_SHARE * total][:4]
            if best not in main:
                main.insert(0, best)
            out.write(f"{ar}\t{best}\t{total}\t{'|'.join(main)}\n")
            rows += 1
    return rows, dropped


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    rows, dropped = build(src, TRANSLIT_PATH)
    size = TRANSLIT_PATH.stat().st_size
    print(f"{TRANSLIT_PATH}: {rows} words, {dropped} noisy pairs dropped, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
