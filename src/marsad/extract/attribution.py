"""Attribution: who the text says reports or claims an event (attribution.tsv).

Why sentence scope: Arabic news attributes with a reporting verb (قال، أفاد، أعلن) or an
"according to" phrase (بحسب، وفقا لـ) inside the sentence that carries the claim; continuation
verbs (وأضاف، وتابع) without a subject carry the previous sentence's source over.  The source is
a known entity when an actor candidate stands where the source stands, else anonymous when an
anonymous noun does (مصادر، مراقبون، مسؤول طلب عدم الكشف عن اسمه).
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.doc import Attribution, Doc, Event, Span
from marsad.extract.triggers import CueLexicon, TriggerLexicon, Words
from marsad.knowledge import read_tsv
from marsad.text.normalize import normalize


@dataclass
class SentenceSource:
    word: int  # word index of the cue
    attribution: Attribution
    kind: str  # prep | verb | cont | inherited | anon_phrase


_THAT = frozenset(normalize(w) for w in ("أن", "إن", "بأن", "وأن", "إنه", "أنه", "بأنه"))


class AttributionTagger:
    """Sets ``event.attribution`` and records sentence sources in ``doc.spans["attribution"]``."""

    name = "attribution"

    def __init__(self, lexicon: TriggerLexicon | None = None) -> None:
        rows = list(read_tsv("attribution.tsv", ["cue", "kind"]))
        self.cues = CueLexicon([r for r in rows if r["kind"] in ("prep", "verb", "cont", "anon_phrase")])
        self.anon = CueLexicon([r for r in rows if r["kind"] == "anon"])
        self._lex = lexicon

    @property
    def lex(self) -> TriggerLexicon:
        if self._lex is None:
            self._lex = TriggerLexicon.load()
        return self._lex

    def __call__(self, doc: Doc) -> Doc:
        self.tag(doc, doc.events)
        return doc

    def tag(self, doc: Doc, events: list[Event], words: Words | None = None, cands: list | None = None) -> None:
        from marsad.extract.events import build_candidates, trigger_word

        words = words or Words.of(doc)
        if cands is None:
            cands = build_candidates(doc, words, self.lex)
        sources = self.sentence_sources(doc, words, cands)
        doc.spans["attribution"] = [
            Span(src.attribution.start or 0, src.attribution.end or 0, src.attribution.text,
                 label=src.attribution.kind,
                 attrs={"entity": src.attribution.entity, "sentence": s, "cue": src.kind})
            for s, lst in sorted(sources.items()) for src in lst
        ]
        for ev in events:
            if not words.tokens:
                continue
            i = trigger_word(ev, words)
            lst = [x for x in sources.get(words.sent[i], []) if x.word != i]
            if not lst:
                ev.attribution = None
                continue
            before = [x for x in lst if x.word < i]
            pick = before[-1] if before else lst[0]
            ev.attribution = pick.attribution

    def sentence_sources(self, doc: Doc, words: Words, cands: list) -> dict[int, list[SentenceSource]]:
        """Sources found in each sentence (by sentence index)."""
        out: dict[int, list[SentenceSource]] = {}
        text = doc.text
        last: tuple[int, Attribution] | None = None
        by_word: dict[int, object] = {}
        for c in cands:
            by_word.setdefault(c.wi, c)
        for i in range(len(words)):
            found = self.cues.at(words, i)
            if not found:
                continue
            cue = found[0]
            kind = cue.row["kind"]
            s = words.sent[i]
            n = len(cue.seq.words)
            att: Attribution | None = None
            if kind == "anon_phrase":
                t0, t1 = words.tokens[i], words.tokens[i + n - 1]
                att = Attribution(None, text[t0.start : t1.end], "anonymous", t0.start, t1.end)
            else:
                win = 5 if kind == "prep" else 3
                att = self._source_after(doc, words, i + n, win, by_word, stop_at_that=kind != "prep")
                if att is None and kind != "prep":
                    att = self._source_before(doc, words, i, 3, by_word)
                if att is None and kind in ("cont", "verb") and last is not None and s - last[0] <= 2:
                    att = last[1]
                    kind = "inherited"
            if att is None:
                continue
            out.setdefault(s, []).append(SentenceSource(i, att, kind))
            last = (s, att)
        return out

    def _source_after(self, doc: Doc, words: Words, j0: int, win: int, by_word: dict,
                      stop_at_that: bool = False) -> Attribution | None:
        if j0 >= len(words):
            return None
        s = words.sent[j0 - 1] if j0 > 0 else 0
        for j in range(j0, min(len(words), j0 + win)):
            if words.sent[j] != s:
                return None
            if stop_at_that and words.norms[j] in _THAT:  # the reported clause starts: no subject here
                return None
            got = self._source_at(doc, words, j, by_word)
            if got is not None:
                return got
        return None

    def _source_before(self, doc: Doc, words: Words, i: int, win: int, by_word: dict) -> Attribution | None:
        s = words.sent[i]
        for j in range(i - 1, max(-1, i - 1 - win), -1):
            if words.sent[j] != s:
                return None
            c = _cand_ending_at(by_word, j)
            if c is not None and c.prep is None:
                return _named(c)
            anon = self.anon.at(words, j)
            if anon:
                t = words.tokens[j]
                return Attribution(None, doc.text[t.start : t.end], "anonymous", t.start, t.end)
        return None

    def _source_at(self, doc: Doc, words: Words, j: int, by_word: dict) -> Attribution | None:
        anon = self.anon.at(words, j)
        c = by_word.get(j)
        if anon and (c is None or c.entity is None):
            t = words.tokens[j]
            end = c.end if c is not None else t.end
            return Attribution(None, doc.text[t.start : end], "anonymous", t.start, end)
        if c is not None and c.prep in (None, "ل", "عن") and not c.place or (c is not None and c.type == "GPE"):
            return _named(c)
        return None


def _cand_ending_at(by_word: dict, j: int):
    for c in by_word.values():
        if c.wj == j:
            return c
    return None


def _named(c) -> Attribution:
    if c.pair:
        return Attribution(None, c.text, "named", c.start, c.end)
    return Attribution(c.entity, c.text, "named", c.start, c.end)
