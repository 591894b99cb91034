"""Framing: loaded or evaluative wording, kept apart from the events (guidelines section 4).

Why a lexicon plus a few general patterns: loaded terms are a closed, reviewable list an analyst
extends (framing.tsv); scare quotes (a short quoted term that names no entity) are a pattern.  The
per-document summary says how much of a text is attributed report, anonymous claim, the outlet's
own opinion, or plain report.
"""

from __future__ import annotations

import re

from marsad.doc import Doc, Span
from marsad.extract.attribution import AttributionTagger
from marsad.extract.triggers import CueLexicon, Words
from marsad.knowledge import read_tsv
from marsad.text.normalize import normalize

_QUOTES = re.compile(r"\"([^\"\n]{2,60})\"|“([^”\n]{2,60})”|«([^»\n]{2,60})»|”([^”“\n]{2,60})”")


class FramingTagger:
    """Fills ``doc.framing`` with Spans (label = kind, attrs = {"term", "note"})."""

    name = "framing"

    def __init__(self) -> None:
        self.lex = CueLexicon(read_tsv("framing.tsv", ["pattern", "kind", "left"]), column="pattern")

    def __call__(self, doc: Doc) -> Doc:
        words = Words.of(doc)
        text = doc.text
        mentions = sorted(
            [(m.start, m.end) for e in doc.entities for m in e.mentions]
            + [(s.start, s.end) for s in doc.spans.get("actor_phrases", [])]
        )
        spans: list[Span] = []
        i = 0
        while i < len(words):
            found = self.lex.at(words, i)
            if not found:
                i += 1
                continue
            cue = found[0]
            n = len(cue.seq.words)
            t0, t1 = words.tokens[i], words.tokens[i + n - 1]
            start = t0.start
            lead = words.norms[i][:1]
            if lead in "وف" and not cue.seq.words[0].text.startswith(lead):
                start += 1  # a peeled conjunction is not part of the framing
            start = self._extend_left(cue.row.get("left", ""), words, i, start, mentions)
            term = text[t0.start : t1.end]
            spans.append(Span(start, t1.end, text[start : t1.end], label=cue.row["kind"],
                              attrs={"term": term, "note": cue.row.get("note", "")}))
            i += n
        spans.extend(self._scare_quotes(doc, mentions))
        doc.framing = _merge(sorted(spans, key=lambda s: (s.start, -s.end)), text)
        doc.summaries["framing"] = framing_summary(doc)
        return doc

    @staticmethod
    def _extend_left(left: str, words: Words, i: int, start: int, mentions: list[tuple[int, int]]) -> int:
        if not left:
            return start
        s = words.sent[i]
        if left == "np":
            before = [m for m in mentions if m[1] <= start and start - m[1] <= 2]
            if before:
                return before[-1][0]
            left = "1"
        try:
            n = int(left)
        except ValueError:
            return start
        j = i
        while n > 0 and j - 1 >= 0 and words.sent[j - 1] == s:
            j -= 1
            n -= 1
        return min(start, words.tokens[j].start) if j < i else start

    @staticmethod
    def _scare_quotes(doc: Doc, mentions: list[tuple[int, int]]) -> list[Span]:
        out: list[Span] = []
        for m in _QUOTES.finditer(doc.text):
            g = next(k for k in range(1, 5) if m.group(k) is not None)
            inner = m.group(g)
            n_words = len(inner.split())
            if not 1 <= n_words <= 4 or any(ch in inner for ch in ".،,:؛"):
                continue
            a, b = m.start(g), m.end(g)
            if any(ms <= a + 1 and me >= b - 1 for ms, me in mentions):  # a quoted name, not a scare quote
                continue
            if not _scare(doc.text, m.start(), inner):
                continue
            out.append(Span(m.start(), m.end(), m.group(0), label="scare-quote", attrs={"term": inner}))
        return out


# words right before a quotation that mark it as the outlet's scare quote ("ما يسمى "الثورة"")
_SCARE_CUES = tuple(normalize(w) for w in ("ما يسمى", "ما تسمى", "ما يعرف ب", "ما تعرف ب", "ما يسمونه", "ما أسموه",
                                           "المزعوم", "المزعومة", "المسماة زورا", "المسمى زورا"))


def _scare(text: str, start: int, inner: str) -> bool:
    """Is the quotation at ``start`` the outlet's own scare quote?  In Arabic news quotation marks
    mostly carry reported speech (توعد بـ"…"، وصفها بأنها "كارثة"، a quoted adverb "بشدة") and
    names or titles (عملية "المخلب-السيف"، مجلة "قانون البحار")—the gold marks none of them—so a
    quotation counts only after an explicit distancing cue ("ما يسمى"، "ما يعرف بـ"، "المزعوم").
    (Tried: any short quote with no speech verb or naming noun before it: framing dev 0.11 against
    0.17 with the cue rule.)"""
    before = normalize(text[max(0, start - 25):start]).rstrip(" \t_ـ")
    return before.endswith(_SCARE_CUES)


def _merge(spans: list[Span], text: str) -> list[Span]:
    """Overlapping or adjacent spans become one (the first span's kind)."""
    out: list[Span] = []
    for sp in spans:
        if out and (sp.start < out[-1].end or (sp.start - out[-1].end <= 1 and not text[out[-1].end : sp.start].strip())):
            last = out[-1]
            if sp.end > last.end:
                last.end = sp.end
                last.text = text[last.start : last.end]
            continue
        out.append(sp)
    return out


def framing_summary(doc: Doc) -> dict:
    """Shares of sentences that are attributed report / anonymous claim / outlet opinion / plain.

    A sentence with a named source is an attributed report, with only an anonymous source an
    anonymous claim; otherwise a sentence with framing is the outlet's opinion, else a plain
    report.  Needs AttributionTagger's ``doc.spans["attribution"]`` (computed here if absent).
    """
    if "attribution" not in doc.spans:
        AttributionTagger().tag(doc, [])
    n = len(doc.sentences) or 1
    named: set[int] = set()
    anon: set[int] = set()
    for sp in doc.spans.get("attribution", []):
        s = sp.attrs.get("sentence", doc.sentence_of(sp.start))
        (named if sp.label == "named" else anon).add(s)
    opinion = {doc.sentence_of(sp.start) for sp in doc.framing}
    counts = {"attributed_report": 0, "anonymous_claim": 0, "outlet_opinion": 0, "plain_report": 0}
    per_sentence: list[str] = []
    for s in range(len(doc.sentences) or 1):
        kind = ("attributed_report" if s in named else "anonymous_claim" if s in anon
                else "outlet_opinion" if s in opinion else "plain_report")
        counts[kind] += 1
        per_sentence.append(kind)
    return {
        "sentences": n,
        "counts": counts,
        "shares": {k: round(v / n, 3) for k, v in counts.items()},
        "framing_spans": len(doc.framing),
        "per_sentence": per_sentence,
    }
