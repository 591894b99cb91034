"""PLOVER event extraction: trigger patterns (knowledge/triggers.yaml) + argument heuristics.

Why rules: the gold set is tiny, the categories are fixed, and an analyst must be able to see why
an event was coded and fix a pattern without retraining.  One pass over the tokens finds the
triggers (a dict lookup per token); arguments come from the actor candidates the entity layer
left on the Doc (entity mentions + ``spans["actor_phrases"]``):

* Arabic is VSO and SVO: the subject is the first candidate right after a verb (no preposition
  before it), else the nearest one before it in the sentence; the object is the next one after.
* A frame per pattern maps subject/object to actor/recipient (``host``: استقبل inverts them;
  ``visit``: the destination place gives the host country; ``mutual``: both sides).
* Candidates joined by و stay one compound argument; "البلدان" stands for the document's two
  main states.  A bare agent noun with no country ("القوات", "الشركة") never hides a named actor;
  in construct with one it takes its identity ("ميليشيات الوفاق"); "X التركية والقطرية" gives a
  second party; "بلاده" is the speaker's state; demonyms after a noun trigger are its doers
  ("الزيارة التركية"); "من قبل X" names the doer; a pronoun on a noun trigger points back to the
  subject (اتفاقهما), on a verb to its object (استقبله); a visited place is never the visitor.
* The same real-world event told again (same category, agreeing actors, compatible recipients,
  status, and both tellings dated with compatible dates) is merged into one event with several
  evidence entries; argument-less nouns (الزيارة) that echo a recent event are merged into it; in
  one sentence, two triggers of one act merge (a visit and its purpose "لبحث").

Status and attribution are computed here too, before merging (two reports of the same act are
only merged when their status agrees); :class:`StatusTagger` and :class:`AttributionTagger`
remain separate components that recompute the same values idempotently.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from operator import not_
from typing import TYPE_CHECKING

from marsad.doc import Argument, Doc, Entity, Event, Quantity, Span
from marsad.extract.attribution import AttributionTagger
from marsad.extract.quantities import vague_quantity
from marsad.extract.status import StatusTagger
from marsad.extract.triggers import TriggerLexicon, TriggerMatch, Words, token_norm
from marsad.knowledge import read_tsv
from marsad.text.normalize import normalize

if TYPE_CHECKING:
    from marsad.knowledge.places import Gazetteer

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_GAP_PUNCT = set(" \t\n،,:-–—()\"“”«»")


@dataclass(slots=True)
class Cand:
    """An actor candidate: an entity mention, an actor phrase, or a "both sides" noun."""

    start: int
    end: int
    text: str
    entity: str | None
    type: str
    country: str | None
    sector: str | None
    wi: int = 0  # first word index
    wj: int = 0  # last word index
    prep: str | None = None
    conj: bool = False
    by_agent: bool = False
    pair: bool = False
    kind: str = "mention"  # mention | phrase | pair

    @property
    def place(self) -> bool:
        return self.type in PLACE_TYPES


@dataclass
class Context:
    """Per-document state shared by the argument finder."""

    doc: Doc
    words: Words
    cands: list[Cand]
    by_sent: dict[int, list[Cand]] = field(default_factory=dict)
    main_states: list[Argument] = field(default_factory=list)


def _ent_index(doc: Doc) -> dict[str, Entity]:
    return {e.id: e for e in doc.entities}


def build_candidates(doc: Doc, words: Words, lex: TriggerLexicon) -> list[Cand]:
    """Entity mentions and actor phrases as one sorted, non-overlapping candidate list."""
    ents = _ent_index(doc)
    raw: list[Cand] = []
    for e in doc.entities:
        for m in e.mentions:
            raw.append(Cand(m.start, m.end, m.text, e.id, e.type, e.country, e.sector))
    for sp in doc.spans.get("actor_phrases", []):
        ent = ents.get(sp.label) if sp.label else None
        attrs = sp.attrs or {}
        sp_end = _phrase_end(sp, ent, doc)
        raw.append(Cand(
            sp.start, sp_end, doc.text[sp.start : sp_end], ent.id if ent else (sp.label or None),
            ent.type if ent else str(attrs.get("type") or "AGENT"),
            attrs.get("country") or (ent.country if ent else None),
            attrs.get("sector") or (ent.sector if ent else None), kind="phrase",
        ))
    raw.sort(key=lambda c: (c.start, -(c.end - c.start), c.kind != "mention"))
    kept: list[Cand] = []
    for c in raw:
        if kept and c.start < kept[-1].end:  # overlap: keep the longer (first after sorting)
            prev = kept[-1]
            if (c.end - c.start) > (prev.end - prev.start):
                kept[-1] = c
            elif prev.kind == "phrase" and prev.entity is None and c.entity and c.type not in PLACE_TYPES:
                prev.entity, prev.type = c.entity, c.type
            continue
        kept.append(c)
    text = doc.text
    # a role phrase next to the person it names is one candidate ("وزير الدفاع التركي، خلوصي أكار")
    merged: list[Cand] = []
    for c in kept:
        if merged:
            p = merged[-1]
            if _same_actor(p, c) and _joinable(text[p.end : c.start]):
                person = c if c.kind == "mention" else p
                other = p if person is c else c
                merged[-1] = Cand(
                    p.start, c.end, text[p.start : c.end], person.entity or other.entity, person.type,
                    person.country or other.country, person.sector or other.sector, kind="mention",
                )
                continue
        merged.append(c)
    merged = _refine(merged, doc, words)
    # pair nouns
    pair_seqs = lex.argument("pair").seqs
    pair_first = {seq.words[0].text for seq in pair_seqs}
    for i in compress(range(len(words)), map(not_, map(pair_first.isdisjoint, words.keys))):
        for seq in pair_seqs:
            if words.seq_at(seq, i):
                t0, t1 = words.tokens[i], words.tokens[i + len(seq.words) - 1]
                merged.append(Cand(t0.start, t1.end, text[t0.start : t1.end], None, "PAIR", None, None,
                                   kind="pair", pair=True))
                break
    merged.sort(key=lambda c: c.start)
    out: list[Cand] = []
    for c in merged:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    _locate(out, doc, words, lex)
    return out


_MAX_ROLE_GAP = 40  # characters between a role phrase and the name it introduces


def _phrase_end(sp: Span, ent: Entity | None, doc: Doc) -> int:
    """End of an actor phrase, never beyond the role and the person's mention right after it.

    A role phrase ("الرئيس التركي رجب طيب أردوغان") may come from the role layer stretched to a
    later mention of the same person; an argument must stay inside one clause."""
    role = (sp.attrs or {}).get("role")
    if not role or sp.end - sp.start <= len(role):
        return sp.end
    role_end = sp.start + len(role)
    if ent is not None:
        for m in sorted(ent.mentions, key=lambda m: m.start):
            if m.start >= role_end:
                if (m.start - role_end <= _MAX_ROLE_GAP and "\n" not in doc.text[role_end : m.start]
                        and doc.sentence_of(m.start) == doc.sentence_of(sp.start)):
                    return min(m.end, sp.end)
                break
    return role_end


@cache
def _own_state_forms() -> frozenset[str]:
    """"بلاده" / "حكومتها" (knowledge/own_state_words.tsv), normalised, bare or with one proclitic."""
    words = {normalize(r["word"]) for r in read_tsv("own_state_words.tsv", ["word"])}
    return frozenset(words | {c + w for c in "وفبل" for w in words})


def _refine(cands: list[Cand], doc: Doc, words: Words) -> list[Cand]:
    """General repairs of the candidate list, in text order:

    * a bare agent noun in construct with a named actor takes its identity ("ميليشيات الوفاق",
      "شركة هافلسان", "وزارتا الداخلية في البلدين");
    * a demonym joined by و to an actor phrase is a second actor ("الاستخبارات التركية والقطرية");
    * "بلاده" / "حكومتها" is the state of the nearest actor before it in the sentence.
    """
    text = doc.text
    g = _gaz()
    out: list[Cand] = []
    k = 0
    while k < len(cands):
        c = cands[k]
        nxt = cands[k + 1] if k + 1 < len(cands) else None
        if (nxt is not None and c.kind == "phrase" and c.entity is None and c.country is None
                and nxt.type != "EVENT" and (nxt.country or nxt.entity)
                and normalize(text[c.end : nxt.start].strip()) in ("", "في")
                and words.sentence_of(c.start) == words.sentence_of(nxt.start)):
            out.append(Cand(c.start, nxt.end, text[c.start : nxt.end], nxt.entity,
                            "AGENT" if nxt.place else nxt.type, nxt.country, c.sector or nxt.sector, kind="phrase"))
            k += 2
            continue
        out.append(c)
        k += 1
    if g is None or not words.tokens:
        return out
    extra: list[Cand] = []
    for c in out:
        if not c.country or c.place:
            continue
        j = bisect.bisect_left(words.starts, c.end)
        if j >= len(words) or words.sent[j] != words.sentence_of(c.start):
            continue
        norm = words.norms[j]
        if norm[:1] == "و" and len(norm) > 4 and text[c.end : words.tokens[j].start].strip() == "":
            iso = g.demonym(norm[1:])
            if iso and iso != c.country:
                t = words.tokens[j]
                extra.append(Cand(t.start + 1, t.end, text[t.start + 1 : t.end], state_id(iso), "AGENT", iso,
                                  c.sector, conj=True, kind="phrase"))
    for j in compress(range(len(words)), map(_own_state_forms().__contains__, words.norms)):
        t = words.tokens[j]
        s = words.sent[j]
        speaker = next((c for c in reversed(out) if c.end <= t.start and words.sentence_of(c.start) == s
                        and c.country and not c.place), None)
        if speaker is not None:
            extra.append(Cand(t.start, t.end, text[t.start : t.end], state_id(speaker.country), "GPE",
                              speaker.country, None, kind="phrase"))
    if extra:
        out = sorted(out + extra, key=lambda c: c.start)
    return out


_GAP_WORD = re.compile(r"\S*[^\W_]\S*")  # a whitespace-separated word with a letter or digit


def _joinable(gap: str) -> bool:
    """Can two candidates this text apart be one actor: at most one word between them, and no و?
    (The gap may be long: the words are read only up to the second one.)"""
    words = _GAP_WORD.finditer(gap)
    first = next(words, None)
    if first is not None and (next(words, None) is not None or normalize(first.group()) == "و"):
        return False
    return not normalize(gap.strip() or " ").startswith("و")


def _same_actor(a: Cand, b: Cand) -> bool:
    """Role phrase + name of the same person (either order)."""
    kinds = {a.kind, b.kind}
    if kinds != {"phrase", "mention"}:
        return False
    phrase, mention = (a, b) if a.kind == "phrase" else (b, a)
    if mention.type != "PER":
        return False
    return phrase.entity in (None, mention.entity)


def _locate(cands: list[Cand], doc: Doc, words: Words, lex: TriggerLexicon) -> None:
    """Word indices, governing preposition and conjunction of each candidate."""
    preps = lex.argument("preps")
    agents = lex.argument("by_agent").seqs
    for c in cands:
        wi = max(bisect.bisect_right(words.starts, c.start) - 1, 0)
        wj = max(bisect.bisect_right(words.starts, c.end - 1) - 1, wi)
        c.wi, c.wj = wi, wj
        if not words.tokens:
            continue
        tok = words.tokens[wi]
        inner = normalize(doc.text[tok.start : c.start]) if c.start > tok.start else ""
        if not inner and c.start == tok.start:
            # the tokenizer may keep clitics inside the token and the mention may include them
            inner = ""
        if inner:
            c.conj = inner[0] in "وف"
            last = inner.replace("ال", "")[-1:] if inner.replace("ال", "") else ""
            if last in ("ب", "ل", "ك"):
                c.prep = last
        if c.prep is None and wi > 0 and words.sent[wi - 1] == words.sent[wi]:
            prev_keys = words.keys[wi - 1]
            for seq in agents:
                n = len(seq.words)
                if wi - n >= 0 and seq.words[-1].matches(prev_keys) and words.seq_at(seq, wi - n):
                    c.by_agent = True
                    c.prep = "by"
                    break
            if c.prep is None and preps.firsts.may_start(words, wi - 1):
                for seq in preps.seqs:
                    if seq.words[0].matches(prev_keys):
                        c.prep = seq.words[0].text
                        c.conj = c.conj or words.norms[wi - 1][:1] in "وف" and len(words.norms[wi - 1]) > 3
                        break
            if words.norms[wi - 1] in ("و", "او"):
                c.conj = True


@cache
def _gaz() -> Gazetteer | None:
    """The place gazetteer (capitals -> their state, demonyms), or None: the event layer must work
    without it."""
    try:
        from marsad.knowledge.places import gazetteer

        return gazetteer()
    except Exception:  # the event layer must work without it
        return None


@cache
def state_id(country: str | None) -> str | None:
    """The entity id of a state ('TUR' -> 'turkey') or None."""
    g = _gaz()
    if g is None or not country:
        return None
    try:
        return g.country_id(country)
    except KeyError:
        return None


def is_capital(entity_id: str | None, country: str | None) -> bool:
    return bool(entity_id and country) and _capital_id(country) == entity_id


@cache
def _capital_id(country: str) -> str | None:
    g = _gaz()
    cap = g.capital(country) if g is not None else None
    return cap.id if cap is not None else None


def main_states(doc: Doc) -> list[Argument]:
    """The two states a document is mostly about (by GPE mention counts), for "البلدان"."""
    counts: Counter[str] = Counter()
    best: dict[str, tuple[int, Entity]] = {}
    for e in doc.entities:
        if e.type != "GPE" or not e.country:
            continue
        n = len(e.mentions)
        counts[e.country] += n
        if e.country not in best or n > best[e.country][0]:
            best[e.country] = (n, e)
    for sp in doc.spans.get("actor_phrases", []):
        cc = (sp.attrs or {}).get("country")
        if cc:
            counts[cc] += 1
    out: list[Argument] = []
    for cc, _ in counts.most_common(2):
        ent = best.get(cc, (0, None))[1]
        sid = state_id(cc)
        out.append(Argument(sid or (ent.id if ent else None), ent.name if ent else cc, cc, None))
    return out


def to_args(c: Cand, ctx: Context) -> list[Argument]:
    if c.pair:
        return [Argument(a.entity, c.text, a.country, a.sector, c.start, c.end) for a in ctx.main_states]
    entity = c.entity
    if c.type == "GPE" and is_capital(entity, c.country):  # "أعلنت أنقرة": the Turkish state acts
        entity = state_id(c.country) or entity
    return [Argument(entity, c.text, c.country, c.sector, c.start, c.end)]


class EventExtractor:
    """Fills ``doc.events`` from trigger patterns; see the module docstring for the heuristics."""

    name = "events"

    def __init__(self, lexicon: TriggerLexicon | None = None) -> None:
        self.lex = lexicon or TriggerLexicon.load()
        self.status = StatusTagger()
        self.attribution = AttributionTagger(self.lex)

    def __call__(self, doc: Doc) -> Doc:
        words = Words.of(doc)
        cands = build_candidates(doc, words, self.lex)
        ctx = Context(doc, words, cands, main_states=main_states(doc))
        for c in cands:
            ctx.by_sent.setdefault(words.sent[c.wi] if words.tokens else 0, []).append(c)
        raw: list[Event] = []
        for m in self.lex.match(words):
            ev = self._event(m, ctx)
            if ev is not None:
                raw.append(ev)
        self.status.tag(doc, raw)
        assign_dates(doc, raw, words)
        self.attribution.tag(doc, raw, words=words, cands=cands)
        events = merge_events(raw)
        for n, ev in enumerate(events):
            ev.id = f"{doc.document.id}:e{n}"
        doc.events = events
        return doc

    # ------------------------------------------------------------------ one trigger
    def _event(self, m: TriggerMatch, ctx: Context) -> Event | None:
        doc, words = ctx.doc, ctx.words
        p = m.pattern
        i, span = m.i, m.span
        s = words.sent[i]
        t0, t1 = words.tokens[i], words.tokens[i + span - 1]
        pool = [c for c in ctx.by_sent.get(s, []) if not (c.wi <= i + span - 1 and c.wj >= i)]
        last = i + span - 1
        after = [c for c in pool if c.wi > last and c.wi - last <= 8]
        before = [c for c in pool if c.wj < i and i - c.wj <= (10 if p.pos == "verb" else 4)]
        before.reverse()
        subj_ok = ("ل",) if p.pos == "noun" else ()
        subj: list[Cand] = []
        sent_cands = ctx.by_sent.get(s, [])
        # a pronoun on a noun trigger is its doer (زيارته, اتفاقهما); on a verb, its object (استقبله)
        possessed = p.pos == "noun" and m.enclitic
        verb_object_pronoun = p.pos == "verb" and m.enclitic
        if possessed:
            before = [c for c in pool if c.wj < i and i - c.wj <= 12]
            before.reverse()

        def subject_after(strong: bool) -> Cand | None:
            return next((c for c in after if (c.prep is None or c.prep in subj_ok) and not c.by_agent
                         and not (c.place and (c.type != "GPE" or p.frame == "visit"))
                         and not (strong and _weak(c)) and not _joined(c, sent_cands)), None)

        if not possessed:
            first = subject_after(True)
            if first is not None and first.wi - last <= 5:
                subj = _group(first, after)
        if not subj:
            prev = next((c for c in before if c.prep is None and c.type not in ("LOC", "FAC") and not _weak(c)
                         and not (p.frame == "visit" and c.place and not possessed)), None)
            if prev is not None:
                subj = _group_back(prev, sent_cands)
        if not subj and not possessed:  # a bare agent noun ("القوات") is better than nothing
            first = subject_after(False)
            if first is not None and first.wi - last <= 5:
                subj = _group(first, after)
        # "الدعم القطري", "الزيارة التركية", "العلاقات القطرية التركية": demonyms name the doers
        demonyms = self._demonyms_after(ctx, m)
        if demonyms and (p.pos == "noun" and demonyms[0].wi == last + 1 or not subj):
            subj = demonyms
        agent = next((c for c in after + before if c.by_agent), None)
        if agent is not None and p.frame != "patient" and agent.wi > last and not possessed:
            subj = _group(agent, after)  # "الدعم العسكري من قبل تركيا وقطر"
        used = {id(c) for c in subj}
        obj: list[Cand] = []
        obj_preps = {None, "ل", "علي", "ضد", "ب", "مع", "الي", "بين", "من", "عن"} if p.frame != "receive" else {None}
        start_after = max([c.wj for c in subj if c.wi > last] + [last])
        for c in after:
            if id(c) in used or c.wi <= start_after or c.by_agent or _weak(c) or _joined(c, sent_cands):
                continue
            if c.entity is not None and any(c.entity == x.entity for x in subj):
                continue
            if c.prep in ("في", "لدي") or (c.place and c.prep not in (None, "الي", "مع", "ل", "بين", "علي", "ضد", "من", "عن")):
                continue
            if c.prep in obj_preps:
                obj = _group(c, after)
                break
        if not obj and p.frame == "agent" and not verb_object_pronoun:
            obj = self._described_object(ctx, m, start_after + 1)
        if not subj and p.frame == "patient":  # "مقتل جنود أتراك على يد …": the described victims
            subj = self._described_object(ctx, m, last + 1)
        if verb_object_pronoun and p.frame in ("host", "agent", "visit"):
            ante = self._antecedent(before, used, sent_cands)
            if ante:
                obj = ante
        from_c = next((c for c in after if c.prep == "من"), None)

        actor: list[Cand]
        recipient: list[Cand]
        place: Cand | None = None
        if p.frame == "host":
            actor, recipient = obj, subj
        elif p.frame == "receive":
            actor, recipient = ([from_c] if from_c else []), subj
        elif p.frame == "patient":
            actor, recipient = ([agent] if agent else []), subj
        elif p.frame == "mutual":
            if not subj and not obj:
                between = [c for c in after if c.prep == "بين"]
                if between:
                    obj = _group(between[0], after)
            if subj and obj:  # "وقعت الإمارات والبحرين اتفاقيتين مع إسرائيل": the subject, its partner
                actor, recipient = subj, [c for c in obj if c not in subj]
            else:
                parties = subj or obj
                if len(parties) == 1 and parties[0].pair:
                    actor, recipient = parties, []
                else:
                    actor, recipient = parties[:1], parties[1:]
        else:
            actor, recipient = subj, obj
        # a place as recipient of a visit: the host country
        if p.frame == "visit":
            if recipient and all(c.place for c in recipient):
                place = recipient[0]
            if not recipient or all(c.place for c in recipient):
                dest = next((c for c in after if c.place and c.prep in ("الي", "في", "ب") and id(c) not in used), None)
                if dest is not None:
                    place = place or dest
                    recipient = recipient or [dest]
        loc = place or self._location(pool, i, last, used | {id(c) for c in actor + recipient})
        actor_args = self._args(actor, ctx)
        recipient_args = self._args(recipient, ctx)
        if p.frame == "mutual" and len(actor) == 1 and actor[0].pair and len(actor_args) == 2 and not recipient:
            actor_args, recipient_args = actor_args[:1], actor_args[1:]
        if (p.frame == "mutual" and not any(a.country for a in actor_args) and len(recipient) == 1
                and recipient[0].pair and len(recipient_args) == 2):
            # "... بين البلدين" with no named doer: the two states are the two sides
            actor_args, recipient_args = recipient_args[:1], recipient_args[1:]
        recipient_args = [a for a in recipient_args if not _same(a, actor_args)]
        if not recipient_args and p.cat in ("MOBILIZE", "ASSAULT") and loc is not None:  # aimed at that place
            recipient_args = self._args([loc], ctx)
        trig = Span(t0.start, t1.end, doc.text[t0.start : t1.end], label=p.cat,
                    attrs={"pattern": p.source, "pos": p.pos, "prefixes": m.prefixes, "frame": p.frame, "tense": p.tense,
                           "word": i})
        context = list(p.ctx)
        for c in self.lex.contexts_near(words, i):
            if c not in context:
                context.append(c)
        mode = m.mode
        if mode is None and p.cat == "AID":
            mode = next((x for x in ("military", "economic", "humanitarian") if x in context), None)
        ev = Event(
            id="", event=p.cat, mode=mode, context=context, cameo=p.cameo or None,
            actor=actor_args, recipient=recipient_args, trigger=trig, sentence=s,
            event_loc=Argument(loc.entity, loc.text, loc.country, None, loc.start, loc.end) if loc else None,
            confidence=round(0.5 + 0.25 * bool(actor_args) + 0.15 * bool(recipient_args), 2),
        )
        self._date_quant(ev, doc)
        ev.evidence = [(s, *self._evidence(doc, s, t0.start, t1.end))]
        return ev

    @staticmethod
    def _demonyms_after(ctx: Context, m: TriggerMatch) -> list[Cand]:
        """Demonym adjectives right after the trigger (or after its complement word): the states
        they name, as candidates.  Up to two other words (the complement, an adjective) are skipped."""
        words, g = ctx.words, _gaz()
        if g is None:
            return []
        out: list[Cand] = []
        j = m.i + m.span
        skipped = 0
        s = words.sent[m.i]
        taken = {c.wi for c in ctx.by_sent.get(s, [])}
        while j < len(words) and words.sent[j] == s and len(out) < 4:
            norm = words.norms[j]
            if j in taken:
                break
            bare = norm[1:] if norm[:1] == "و" and len(norm) > 4 else norm
            iso = g.demonym(bare) if bare.startswith("ال") or out or m.pattern.pos == "noun" else None
            if iso:
                if all(c.country != iso for c in out):
                    tok = words.tokens[j]
                    out.append(Cand(tok.start, tok.end, ctx.doc.text[tok.start : tok.end], state_id(iso), "GPE", iso,
                                    None, wi=j, wj=j, conj=bare != norm))
                j += 1
                continue
            if out or skipped >= 2 or not norm.startswith("ال"):
                break
            skipped += 1
            j += 1
        return out

    @staticmethod
    def _described_object(ctx: Context, m: TriggerMatch, j: int) -> list[Cand]:
        """An unnamed object described by an indefinite noun and a demonym ("سجن قس أمريكي",
        "اعتقال صحفيين أتراك", "عقوبات على مسؤولين إيرانيين"): the demonym tells the affiliation
        of what it qualifies (guidelines §2), so the object's state is the recipient.  Only right
        after the trigger (an optional preposition, the head noun, the demonym) and only where no
        named candidate stands (``j``: the first word after the trigger and its subject)."""
        words, g = ctx.words, _gaz()
        if g is None:
            return []
        s = words.sent[m.i]
        taken = {k for c in ctx.by_sent.get(s, []) for k in range(c.wi, c.wj + 1)}
        if (j + 1 < len(words) and words.sent[j + 1] == s and j not in taken
                and words.norms[j + 1] in _OBJECT_PREPS and words.norms[j] not in _OBJECT_PREPS):
            j += 1  # the complement of a light verb: "فرضت عقوبات على …"
        if j < len(words) and words.sent[j] == s and words.norms[j] in _OBJECT_PREPS and j not in taken:
            j += 1
        if j + 1 >= len(words) or words.sent[j + 1] != s or j in taken or j + 1 in taken:
            return []
        head, adj = words.norms[j], words.norms[j + 1]
        if head.startswith("ال") or adj.startswith("ال") or len(head) < 2 or g.demonym(head):
            return []  # indefinite only: a definite "السفير التركي" is the role layer's
        iso = g.demonym(adj)
        if not iso:
            return []
        t0, t1 = words.tokens[j], words.tokens[j + 1]
        return [Cand(t0.start, t1.end, ctx.doc.text[t0.start : t1.end], state_id(iso), "AGENT", iso, None,
                     wi=j, wj=j + 1, kind="phrase")]

    @staticmethod
    def _antecedent(before: list[Cand], used: set[int], sent_cands: list[Cand]) -> list[Cand]:
        """What an object pronoun on the trigger verb points back to: the nearest actor-like
        candidate before it in the sentence (its subject, not a place)."""
        for c in before:
            if id(c) in used or c.prep is not None or c.place or _weak(c):
                continue
            return _group_back(c, sent_cands)
        return []

    @staticmethod
    def _args(cands: list[Cand], ctx: Context) -> list[Argument]:
        out: list[Argument] = []
        for c in cands:
            for a in to_args(c, ctx):
                if not _same(a, out):
                    out.append(a)
        return out

    @staticmethod
    def _location(pool: list[Cand], i: int, last: int, used: set[int]) -> Cand | None:
        best, dist = None, 11
        for c in pool:
            if id(c) in used or not c.place or c.prep not in ("في", "ب", "الي"):
                continue
            d = c.wi - last if c.wi > last else i - c.wj
            if d < dist:
                best, dist = c, d
        return best

    @staticmethod
    def _date_quant(ev: Event, doc: Doc) -> None:
        s0, s1 = doc.sentences[ev.sentence] if doc.sentences else (0, len(doc.text))
        t = ev.trigger
        for q in doc.quantities:
            if q.start >= s0 and q.end <= s1:
                d = q.start - t.end if q.start >= t.end else t.start - q.end
                if d <= _MAX_QTY_DIST and not any(te.start <= q.start < te.end for te in doc.times) \
                        and _qty_fits(ev, q):
                    ev.quantities.append(q)

    @staticmethod
    def _evidence(doc: Doc, s: int, start: int, end: int) -> tuple[int, int]:
        """The clause around the trigger: its sentence, cut to about 220 characters."""
        text = doc.text
        s0, s1 = doc.sentences[s] if doc.sentences else (0, len(text))
        a = s0 if start - s0 <= 100 else _word_boundary(text, start - 100, s0, forward=True)
        b = s1 if s1 - end <= 120 else _word_boundary(text, end + 120, s1, forward=False)
        while a < b and (text[a].isspace() or text[a] in ".,،"):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ".,،"):
            b -= 1
        return a, b


_OBJECT_PREPS = frozenset(normalize(w) for w in ("على", "ضد", "بحق", "تجاه"))
_REL = frozenset(normalize(w) for w in (
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي"))
_COMP = frozenset(normalize(w) for w in ("أن", "إن", "أنه", "أنها"))
_MAX_DATE_DIST = 150  # characters between a trigger and the time expression that dates it


def _date_blocked(ev: Event, te_start: int, te_end: int, words: Words, triggers: list[int]) -> bool:
    """Is the time expression [te_start, te_end) outside the clause of ``ev``'s trigger?

    * after a verb trigger, a relative clause between them with an act of its own (another
      trigger after the pronoun) takes the time ("هدد … الاتفاق الذي وقع عام 2015"); after a
      noun trigger the relative clause describes the act itself ("التعهد الذي قدمته في يناير");
    * a planned act is not dated by the time of the announcement before "أن" ("أعلن الثلاثاء أن
      بلاده سترسل").
    (Tried and rejected: any other trigger between them blocks; it cost L3 on every set.)"""
    t = ev.trigger
    after = te_start >= t.end
    rel = after and (t.attrs or {}).get("pos") == "verb"
    comp = ev.status == "planned" and not after
    if not rel and not comp:
        return False
    lo, hi = (t.end, te_start) if after else (te_end, t.start)
    i = bisect.bisect_left(words.starts, lo)
    while i < len(words) and words.tokens[i].end <= hi:
        k = words.keys[i]
        if rel and any(x in _REL for x in k) and any(words.tokens[i].end <= a < hi for a in triggers):
            return True
        if comp and any(x in _COMP for x in k):
            return True
        i += 1
    return False


_MAX_QTY_DIST = 80  # characters between a trigger and a quantity attached to it
_POPULATION = frozenset({"people", "displaced", "refugees", "civilians", "children", "women", "migrants", "workers"})
_NO_POPULATION = frozenset({"AID", "SUPPORT", "AGREE", "COOPERATE", "CONCEDE", "SANCTION"})


def _qty_fits(ev: Event, q: Quantity) -> bool:
    """Can ``q`` be a quantity of ``ev``?  Not a vague plural with no number ("ملايين الدولارات"),
    and not a population count for a transfer or an agreement ("المساعدات … 22 مليون شخص").
    (Tried and rejected: each quantity only on its nearest trigger: −0.1 on dev.)"""
    if vague_quantity(q.text):
        return False
    return not (ev.event in _NO_POPULATION and q.unit in _POPULATION)


def assign_dates(doc: Doc, events: list[Event], words: Words) -> None:
    """Date each event by the nearest time expression of its own clause in its sentence."""
    if not doc.times:
        return
    by_sent: dict[int, list[Event]] = {}
    for ev in events:
        by_sent.setdefault(ev.sentence, []).append(ev)
    for s, evs in by_sent.items():
        s0, s1 = doc.sentences[s] if doc.sentences else (0, len(doc.text))
        times = [te for te in doc.times if te.start >= s0 and te.end <= s1 and te.value]
        if not times:
            continue
        triggers = [e.trigger.start for e in evs]
        for ev in evs:
            t = ev.trigger
            best, dist = None, _MAX_DATE_DIST + 1
            for te in times:
                d = te.start - t.end if te.start >= t.end else t.start - te.end
                if d < dist and not _date_blocked(ev, te.start, te.end, words, triggers):
                    best, dist = te, d
            if best is not None:
                ev.date, ev.date_precision = best.value, best.precision


def _word_boundary(text: str, pos: int, limit: int, forward: bool) -> int:
    if forward:
        while pos > limit and not text[pos - 1].isspace():
            pos += 1
            if pos >= len(text):
                break
        return pos
    while pos < limit and pos < len(text) and not text[pos].isspace():
        pos += 1
    return min(pos, limit)


def _weak(c: Cand) -> bool:
    """A candidate that cannot stand for an identifiable actor on its own: a bare agent noun with
    neither entity nor country ("القوات", "الشركة", "الأمن"), or a named event (كأس العالم)."""
    return c.type == "EVENT" or (c.kind == "phrase" and c.entity is None and c.country is None)


def _joined(c: Cand, sent_cands: list[Cand]) -> bool:
    """Is ``c`` the second member of a "X و Y" compound (so not the start of an argument)?"""
    if not c.conj:
        return False
    idx = next((k for k, x in enumerate(sent_cands) if x is c), -1)
    if idx <= 0:
        return False
    prev = sent_cands[idx - 1]
    return 0 < c.wi - prev.wj <= 2 and not _weak(prev)


def _group(first: Cand, pool: list[Cand]) -> list[Cand]:
    """``first`` and the candidates joined to it by و (a compound argument)."""
    out = [first]
    idx = pool.index(first) if first in pool else -1
    if idx < 0:
        return out
    for c in pool[idx + 1 :]:
        if c.conj and c.wi - out[-1].wj <= 2 and (c.prep == first.prep or c.prep is None):
            out.append(c)
        else:
            break
    return out


def _group_back(last: Cand, sent_cands: list[Cand]) -> list[Cand]:
    """``last`` and the candidates before it that it is joined to by و."""
    out = [last]
    idx = sent_cands.index(last)
    cur = last
    for c in reversed(sent_cands[:idx]):
        if cur.conj and cur.wi - c.wj <= 2 and c.prep is None:
            out.insert(0, c)
            cur = c
        else:
            break
    return out


def _same(a: Argument, others: list[Argument]) -> bool:
    for o in others:
        if a.entity is not None and a.entity == o.entity:
            return True
        if a.entity is None and o.entity is None and a.text == o.text:
            return True
    return False


# --------------------------------------------------------------------------- merging
def _countries(args: list[Argument]) -> frozenset[str]:
    return frozenset(a.country for a in args if a.country)


def _compatible_side(a: list[Argument], b: list[Argument]) -> bool:
    """Two sides are compatible when one is unknown or they agree."""
    return not a or not b or _agree(a, b)


def _compatible_date(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _mergeable(a: Event, b: Event) -> bool:
    if a.event != b.event or a.status != b.status:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if not _compatible_date(a.date, b.date):
        return False
    if not (a.actor or a.recipient) or not (b.actor or b.recipient):
        return False
    # the actors must be known and agree (a shared recipient alone does not make one act: Qatar
    # investing in Turkey and Erdogan receiving a gift are two acts)
    if a.actor and b.actor and _agree(a.actor, b.actor):
        return _compatible_side(a.recipient, b.recipient)
    # crossed direction (A->B vs B->A) is the same event for symmetric acts
    if _symmetric(a) and _symmetric(b):
        pa = _countries(a.actor) | _countries(a.recipient)
        pb = _countries(b.actor) | _countries(b.recipient)
        return len(pa) >= 2 and pa == pb
    return False


def _retold(a: Event, b: Event) -> bool:
    """Is ``b`` (a later sentence) a re-telling of ``a``?  Only when both tellings are dated (and
    the dates agree, checked by :func:`_mergeable`): two undated acts between the same parties
    are, as often as not, two acts (a 2014 agreement and the 2019 one)."""
    return a.date is not None and b.date is not None


def _fits(a: Event, b: Event) -> bool:
    """Two triggers of one sentence telling one act, one of them with a side left unnamed
    ("زيارة X إلى أنقرة، حيث استقبله الرئيس التركي")."""
    if a.mode and b.mode and a.mode != b.mode:
        return False
    sides = [(x, y) for x, y in ((a.actor, b.actor), (a.recipient, b.recipient)) if x and y]
    return bool(sides) and all(_agree(x, y) for x, y in sides)


def _purpose(ev: Event) -> bool:
    """A consultation named as the purpose of another one ("زيارة ... لبحث", "اجتماع لمناقشة")."""
    return ev.event == "CONSULT" and "ل" in (ev.trigger.attrs or {}).get("prefixes", "")


def _agree(a: list[Argument], b: list[Argument]) -> bool:
    ea = {x.entity for x in a if x.entity}
    eb = {x.entity for x in b if x.entity}
    if ea & eb:
        return True
    ca, cb = _countries(a), _countries(b)
    return bool(ca) and ca == cb


def _symmetric(ev: Event) -> bool:
    return (ev.trigger.attrs or {}).get("frame") == "mutual"


def _absorb(a: Event, b: Event) -> None:
    """Add ``b``'s evidence and missing details to ``a``."""
    for ev in b.evidence:
        if ev not in a.evidence:
            a.evidence.append(ev)
    if not a.actor:
        a.actor = b.actor
    if not a.recipient:
        a.recipient = [x for x in b.recipient if not _same(x, a.actor)]
    elif len(a.actor) + len(a.recipient) < 2:
        a.recipient += [x for x in b.recipient if not _same(x, a.actor + a.recipient)]
    if a.date is None:
        a.date, a.date_precision = b.date, b.date_precision
    if a.event_loc is None:
        a.event_loc = b.event_loc
    if a.mode is None:
        a.mode = b.mode
    for c in b.context:
        if c not in a.context:
            a.context.append(c)
    for q in b.quantities:
        if all((q.start, q.end) != (x.start, x.end) for x in a.quantities):
            a.quantities.append(q)
    if a.attribution is None:
        a.attribution = b.attribution
    a.confidence = max(a.confidence, b.confidence)


def merge_events(raw: list[Event]) -> list[Event]:
    """One event per real-world act: same-sentence duplicates, re-tellings and echoing nouns."""
    out: list[Event] = []
    for ev in raw:
        # same sentence, same category: one act told with two triggers (تعزيز التعاون)
        same = next((o for o in reversed(out) if o.sentence == ev.sentence and o.event == ev.event
                     and (o.status == ev.status or _purpose(ev))
                     and (_mergeable(o, ev) or not (ev.actor or ev.recipient) or not (o.actor or o.recipient)
                          or _fits(o, ev) or _purpose(ev))),
                    None)
        if same is not None:
            if not (same.actor or same.recipient) and (ev.actor or ev.recipient):
                same.actor, same.recipient = ev.actor, ev.recipient
            _absorb(same, ev)
            continue
        if not (ev.actor or ev.recipient):
            # an echo ("الزيارة", "هذا اللقاء"): evidence of the latest event of its category
            prev = next((o for o in reversed(out) if o.event == ev.event and ev.sentence - o.sentence <= 3
                         and (o.mode == ev.mode or ev.mode is None or o.mode is None)), None)
            if prev is not None:
                _absorb(prev, ev)
            continue
        other = next((o for o in out if _mergeable(o, ev) and _retold(o, ev)), None)
        if other is not None:
            _absorb(other, ev)
            continue
        out.append(ev)
    return out


def trigger_word(ev: Event, words: Words) -> int:
    """Word index of an event's trigger (stored when extracted; recomputed otherwise)."""
    w = ev.trigger.attrs.get("word") if ev.trigger.attrs else None
    if isinstance(w, int) and 0 <= w < len(words) and words.tokens[w].start == ev.trigger.start:
        return w
    return min(max(bisect.bisect_right(words.starts, ev.trigger.start) - 1, 0), max(len(words) - 1, 0))


__all__ = ["EventExtractor", "build_candidates", "merge_events", "Cand", "token_norm"]
