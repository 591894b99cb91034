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
    clause: int | None = None  # word index where the reported clause starts (أن/إن/:/quote)
    conj: bool = False  # the cue word carries و/ف (a new clause, not an inverted "…، قال X")


_THAT = frozenset(normalize(w) for w in ("أن", "إن", "بأن", "وأن", "إنه", "أنه", "بأنه", "إنها", "أنها", "بأنها",
                                         "إنهم", "أنهم", "بأنهم", "إنهما", "أنهما"))
_OPEN_QUOTES = ":\"“«"
_LEAD_SENTENCES = 0  # lead-outlet scope: tried and rejected (see bench/event_quality.md, round 3)
_SHORT_SOURCE_SENTENCE = 8  # words: "وفقا لوزارة الخارجية." cut off as a sentence of its own
_MEDIA_WORDS = frozenset(normalize(w) for w in (
    "وكالة", "وكاله", "صحيفة", "صحيفه", "قناة", "قناه", "موقع", "إذاعة", "اذاعه", "تلفزيون", "مجلة", "مجله"))


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
        key = _candidates_key(doc, words)
        if cands is None:
            kept = doc.__dict__.get("_marsad_candidates")
            cands = kept[1] if kept is not None and kept[0] == key else build_candidates(doc, words, self.lex)
        doc.__dict__["_marsad_candidates"] = (key, cands)
        sources = self.sentence_sources(doc, words, cands)
        doc.spans["attribution"] = [
            Span(src.attribution.start or 0, src.attribution.end or 0, src.attribution.text,
                 label=src.attribution.kind,
                 attrs={"entity": src.attribution.entity, "sentence": s, "cue": src.kind})
            for s, lst in sorted(sources.items()) for src in lst
        ]
        lead = self._lead_source(doc, words, sources)
        for ev in events:
            if not words.tokens:
                continue
            i = trigger_word(ev, words)
            s = words.sent[i]
            ev.attribution = self._pick(words, i, sources.get(s, []))
            if ev.attribution is None and s + 1 in sources:
                # "… السويد. وفقا لوزارة الخارجية." — a short according-to sentence of its own
                nxt = [x for x in sources[s + 1] if x.kind == "prep"]
                n_words = sum(1 for w in words.sent if w == s + 1)
                if nxt and n_words <= _SHORT_SOURCE_SENTENCE and not any(
                        trigger_word(e, words) in range(len(words)) and words.sent[trigger_word(e, words)] == s + 1
                        for e in events):
                    ev.attribution = nxt[0].attribution
            if ev.attribution is None and lead is not None and s not in sources:
                ev.attribution = lead

    @staticmethod
    def _pick(words: Words, i: int, lst: list[SentenceSource]) -> Attribution | None:
        """The source of the trigger at word ``i`` among its sentence's sources.

        * the nearest source before it, unless the trigger stands in the speaker's own frame,
          between the reporting verb and the reported clause ("وقال X في مؤتمر صحفي مع Y إن…":
          the press conference is told in the outlet's voice);
        * else a source after it only when it can scope backwards: an according-to phrase
          ("…، وفقا لروسيا اليوم") or an inverted reporting verb ("…"، قال X); "رفضت X …، وقالت
          في بيان" starts a new clause and does not attribute what came before."""
        lst = [x for x in lst if x.word != i]
        before = [x for x in lst if x.word < i]
        if before:
            pick = before[-1]
            if pick.kind in ("verb", "cont", "inherited") and pick.clause is not None and i < pick.clause:
                earlier = [x for x in before[:-1] if x.clause is None or x.clause <= i]
                return earlier[-1].attribution if earlier else None
            return pick.attribution
        after = [x for x in lst if x.word > i and (x.kind == "prep" or x.kind == "anon_phrase" or not x.conj)]
        return after[0].attribution if after else None

    def _lead_source(self, doc: Doc, words: Words, sources: dict[int, list[SentenceSource]]) -> Attribution | None:
        """An outlet cited by an according-to phrase in the lead ("…، وفق ما أوردت وكالة الأنباء
        السعودية") is the source of the whole article: wire-based reports name the agency once
        and tell the rest in its words.  Only media outlets (وكالة، صحيفة، قناة، موقع …) count."""
        for s in range(min(_LEAD_SENTENCES, len(doc.sentences) or 1)):
            for src in sources.get(s, []):
                att = src.attribution
                if src.kind != "prep" or att.kind != "named" or att.start is None:
                    continue
                if _is_media(doc, att):
                    return att
        return None

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
                if att is None and kind in ("cont", "verb"):
                    if last is not None and s - last[0] <= 1:
                        att = last[1]
                    elif i == 0 or words.sent[i - 1] != s:
                        # pro-drop at the head of a sentence ("ودافعت ماي عن … . وقالت أمام
                        # البرلمان إن"): the previous sentence's subject
                        att = self._previous_subject(doc, words, i, cands)
                        if att is None and last is not None and s - last[0] <= 2:
                            att = last[1]
                    kind = "inherited" if att is not None else kind
            if att is None:
                continue
            att = self._media_name(doc, words, att, out)
            clause = self._clause_start(doc, words, i + n) if kind in ("verb", "cont", "inherited") else None
            conj = words.tokens[i].stem_start > words.tokens[i].start and text[words.tokens[i].start] in "وف"
            out.setdefault(s, []).append(SentenceSource(i, att, kind, clause, conj))
            last = (s, att)
        return out

    @staticmethod
    def _media_name(doc: Doc, words: Words, att: Attribution, found: dict[int, list[SentenceSource]]) -> Attribution:
        """A media noun with no entity behind it names its outlet by the word after it ("صحيفة
        اعتماد", "موقع \"قرار\""); the definite noun alone ("الصحيفة", "الوكالة") is the outlet of
        that kind cited last.  The source's text is then the outlet's name."""
        if att.kind != "named" or att.entity is not None or att.start is None or att.end is None:
            return att
        head = normalize(doc.text[att.start : att.end]).split()
        if len(head) != 1:
            return att
        noun = head[0]
        bare = noun[2:] if noun.startswith("ال") else noun
        if bare not in _MEDIA_WORDS:
            return att
        if noun.startswith("ال"):
            for lst in sorted(found.items(), reverse=True):
                for src in reversed(lst[1]):
                    a = src.attribution
                    if a.kind == "named" and a.start is not None and a.start < att.start and \
                            normalize(doc.text[a.start : a.end]).split()[:1] == [bare]:
                        return Attribution(a.entity, a.text, "named", a.start, a.end)
            return att
        j = words.index_at(att.end)
        if j >= len(words) or words.sent[j] != doc.sentence_of(att.start):
            return att
        gap = doc.text[att.end : words.tokens[j].start]
        if gap.strip(" \"“”«»'") or _demonym(words.norms[j]):
            return att
        t = words.tokens[j]
        end = t.end
        while end > t.start and doc.text[end - 1] in "\"“”«»'":
            end -= 1
        return Attribution(None, doc.text[att.start : end], "named", att.start, end)

    @staticmethod
    def _clause_start(doc: Doc, words: Words, j0: int) -> int | None:
        """Word index where the reported clause of a reporting verb starts: the first أن/إن, or
        the first word after a colon or an opening quote, within the sentence (None if none)."""
        if j0 >= len(words):
            return None
        s = words.sent[j0 - 1] if j0 > 0 else 0
        text = doc.text
        for j in range(j0, min(len(words), j0 + 30)):
            if words.sent[j] != s:
                return None
            if words.norms[j] in _THAT:
                return j
            gap = text[words.tokens[j - 1].end : words.tokens[j].start] if j > 0 else ""
            if any(ch in _OPEN_QUOTES for ch in gap):
                return j
        return None

    @staticmethod
    def _previous_subject(doc: Doc, words: Words, i: int, cands: list) -> Attribution | None:
        """The subject of the previous sentence (its first actor candidate that stands after no
        preposition and is not a place), for a reporting verb with no subject of its own."""
        s = words.sent[i]
        if s == 0:
            return None
        for c in cands:
            if c.wi >= len(words.sent) or words.sent[c.wi] != s - 1:
                continue
            if c.prep is None and not c.place and not c.pair and c.type != "EVENT" and (c.entity or c.country):
                return _named(c, doc)
        # the same sentence, before the cue ("… وقال" after a first clause)
        return None

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
                if stop_at_that and got.kind == "named":
                    return self._person_in_subject(doc, words, j, by_word) or got
                return got
        return None

    @staticmethod
    def _person_in_subject(doc: Doc, words: Words, j: int, by_word: dict) -> Attribution | None:
        """The person a role phrase introduces, further on in the same subject noun phrase
        ("قال سفير السعودية لدى واشنطن الأمير خالد بن سلمان إن", "كشف وزير دفاع دولة X فلان عن"):
        the speaker is the person, not the state in the role.  The phrase ends at the reported
        clause (أن/إن), a colon or quote, or a comma after a named person."""
        c0 = by_word.get(j)
        if c0 is None or c0.type == "PER":
            return None
        text = doc.text
        s = words.sent[j]
        k = c0.wj + 1
        while k < len(words) and k <= c0.wj + 6 and words.sent[k] == s:
            if words.norms[k] in _THAT:
                return None
            gap = text[words.tokens[k - 1].end : words.tokens[k].start]
            if any(ch in _OPEN_QUOTES for ch in gap):
                return None
            c = by_word.get(k)
            if c is not None:
                if c.type == "PER" and c.prep is None:
                    return _named(c, doc)
                k = c.wj + 1
                continue
            k += 1
        return None

    def _source_before(self, doc: Doc, words: Words, i: int, win: int, by_word: dict) -> Attribution | None:
        s = words.sent[i]
        for j in range(i - 1, max(-1, i - 1 - win), -1):
            if words.sent[j] != s:
                return None
            c = _cand_ending_at(by_word, j)
            if c is not None and c.prep is None:
                return _named(c, doc)
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
            return _named(c, doc)
        return None


def _candidates_key(doc: Doc, words: Words) -> tuple:
    """What the actor candidates of a Doc are built from.  The events stage builds them (from the
    same trigger knowledge) and hands them to its own attribution pass; the attribution stage
    after it reuses them, instead of building them again, while these are the same (stages
    replace or extend these lists, never edit them in place)."""
    phrases = doc.spans.get("actor_phrases", [])
    return (words, doc.entities, len(doc.entities), sum(len(e.mentions) for e in doc.entities), phrases,
            len(phrases))


def _cand_ending_at(by_word: dict, j: int):
    for c in by_word.values():
        if c.wj == j:
            return c
    return None


def _named(c, doc: Doc | None = None) -> Attribution:
    """A named source: the entity and its NAME as written (the person's mention inside a merged
    "role، name" candidate), not the whole phrase."""
    if c.pair:
        return Attribution(None, c.text, "named", c.start, c.end)
    if doc is not None and c.entity:
        for e in doc.entities:
            if e.id != c.entity:
                continue
            inner = [m for m in e.mentions if c.start <= m.start and m.end <= c.end]
            if inner:
                m = max(inner, key=lambda m: m.end - m.start)
                return Attribution(c.entity, m.text, "named", m.start, m.end)
            break
    return Attribution(c.entity, c.text, "named", c.start, c.end)


def _demonym(norm: str) -> bool:
    try:
        from marsad.knowledge.places import gazetteer

        g = gazetteer()
    except Exception:  # the attribution layer must work without the gazetteer
        return False
    return bool(g and g.demonym(norm))


def _is_media(doc: Doc, att: Attribution) -> bool:
    """Is a named source a media outlet (its entity's sector, or a media noun in its name)?"""
    if att.entity:
        for e in doc.entities:
            if e.id == att.entity:
                if e.sector == "MED":
                    return True
                break
    start = att.start or 0
    head = doc.text[max(0, start - 8) : (att.end or start)].split()
    return any(n[k:] in _MEDIA_WORDS for n in map(normalize, head[:3]) for k in (0, 1, 2))
