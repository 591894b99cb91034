"""Build src/marsad/models/wordfreq.tsv.gz: normalised word frequencies from the unlabeled corpus.

The tokenizer uses it to decide whether a leading و/ف/ب/ل/ك is a clitic (``وقطر`` → و + قطر)
or part of the word (``وزير``), by comparing how often each reading occurs as a whole word.
Only counts of normalised single words are kept — no text.

    python scripts/build_wordfreq.py ../shared/corpus/unlabeled.jsonl.gz [--top 200000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from marsad.text.normalize import normalize

WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0670-\u06D3\u0640\u064B-\u065F]+")
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "models" / "wordfreq.tsv.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--top", type=int, default=200_000)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    counts: Counter[str] = Counter()
    opener = gzip.open if args.corpus.suffix == ".gz" else open
    with opener(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text", "")
            counts.update(normalize(w) for w in WORD.findall(text))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# normalised word\tcount — built by scripts/build_wordfreq.py from unlabeled Arabic news\n")
        for w, c in counts.most_common(args.top):
            if c < args.min_count:
                break
            out.write(f"{w}\t{c}\n")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {min(len(counts), args.top)} words)")


if __name__ == "__main__":
    main()
