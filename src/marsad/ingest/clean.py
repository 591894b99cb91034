"""General cleaning of scraped article text, recording what was removed.

Rules live in ``knowledge/boilerplate.tsv`` (comment-form footers, share buttons, counters,
"related stories" teasers, section labels, separators).  Nothing here knows about any one site.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from marsad.knowledge import read_tsv
from marsad.text.normalize import normalize

_GLUE = re.compile(r"(?<=\S)\.,[ \t]*")  # "…الزيارة., أتى…" scraped paragraph glue
_LATIN_COMMA_JOIN = re.compile(r"(?<=[\u0621-\u064A\u064B-\u0652]), (?=[\u0621-\u064A])")
_PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]+")
_TRAILING_WS = re.compile(r"[ \t\u00a0]+\n")
_BLANKS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rule:
    action: str  # drop | cut
    kind: str
    pattern: re.Pattern[str]


@cache
def rules() -> tuple[Rule, ...]:
    out = []
    for row in read_tsv("boilerplate.tsv", ["action", "kind", "pattern"]):
        if row["action"] not in ("drop", "cut"):
            raise ValueError(f"boilerplate.tsv: unknown action {row['action']!r}")
        out.append(Rule(row["action"], row["kind"], re.compile(normalize(row["pattern"]), re.IGNORECASE)))
    return tuple(out)


def clean_text(text: str) -> tuple[str, list[str]]:
    """Return the cleaned text and a list of human-readable notes of what was removed."""
    removed: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _PRESENTATION_FORMS.search(text):
        text = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
        removed.append("Arabic presentation forms folded to letters")
    n_glue = len(_GLUE.findall(text))
    if n_glue:
        text = _GLUE.sub(".\n", text)
        removed.append(f"{n_glue} '.,' paragraph glue(s) turned into paragraph breaks")
        # the same scraper joined paragraphs without a final stop with a bare Latin comma
        n_comma = len(_LATIN_COMMA_JOIN.findall(text)) if n_glue >= 2 else 0
        if n_comma:
            text = _LATIN_COMMA_JOIN.sub(",\n", text)
            removed.append(f"{n_comma} Latin-comma paragraph join(s) turned into line breaks")
    kept: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        key = normalize(stripped)
        rule = next((r for r in rules() if r.pattern.fullmatch(key)), None)
        if rule is None:
            kept.append(line.rstrip())
        elif rule.action == "drop":
            removed.append(f"{rule.kind}: {_short(stripped)}")
        else:
            rest = sum(1 for ln in lines[i:] if ln.strip())
            removed.append(f"{rule.kind}: {rest} line(s) from {_short(stripped)!r} to the end")
            break
    text = "\n".join(kept)
    text = _BLANKS.sub("\n\n", _TRAILING_WS.sub("\n", text)).strip()
    return text, removed


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
