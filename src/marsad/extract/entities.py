"""Named entities: knowledge first, then our statistical model for what knowledge lacks.

1. Names from the actor knowledge base (people, organisations) and the gazetteer (countries,
   cities, regions, facilities, named events) are matched longest-first on normalised tokens,
   so spelling variants and clitics do not matter.  They come with ids, country, sector, Latin
   names and Wikidata ids.
2. The bundled CRF model (``marsad.extract.ner``) finds names the knowledge does not list.
   Their ids are corpus-wide keys of their normalised names (the same unknown person gets the
   same id in every document), refined later by cross-document resolution.
3. Within the document, a short form (أردوغان, مالبرونو) joins the full name it ends.

Every mention excludes attached clitics (بالدوحة → الدوحة).  Why two mentions were merged is
recorded in ``Entity.resolution``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.doc import Doc, Entity, Mention, Token
from marsad.extract.names import Match, NameIndex, TokenView
from marsad.knowledge import read_tsv
from marsad.knowledge.actors import actor_kb
from marsad.knowledge.places import gazetteer
from marsad.resolve.transliterate import dictionary, to_latin
from marsad.text.clitics import PREPOSITIONS
from marsad.text.normalize import normalize
from marsad.text.tokens import word_frequencies

NER_TYPES = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE", "FAC": "FAC"}
MIN_NER_CONFIDENCE = 0.65  # lowest token marginal of a model span we accept (chosen on the dev sets)
SURNAME_MAX_FREQ = 3000  # a surname more frequent than this as a word (سعيد، عون) is not propagated alone


@dataclass(frozen=True)
class Entry:
    """What a known name denotes."""

    id: str
    type: str
    name: str
    name_en: str | None
    country: str | None
    sector: str | None
    wikidata: str | None
    source: str  # kb | gazetteer


@cache
def known_names() -> NameIndex[Entry]:
    """The combined name index of the actor KB and the gazetteer (built once per process)."""
    index: NameIndex[Entry] = NameIndex()
    for surface, item in gazetteer().names():
        index.add(surface, Entry(item.id, item.type, item.name_ar, item.name_en, item.country or None, None,
                                 item.wikidata or None, "gazetteer"))
    for surface, actor in actor_kb().names():
        index.add(surface, Entry(actor.id, actor.type, actor.name_ar, actor.name_en, actor.country,
                                 actor.sector, actor.wikidata, "kb"))
    return index


@cache
def honorific_index() -> NameIndex[str]:
    """Honorifics and ranks (الشيخ، الأمير، اللواء…): never part of a person's mention."""
    idx: NameIndex[str] = NameIndex()
    for row in read_tsv("honorifics.tsv", ["word"]):
        idx.add(row["word"], row["word"])
    return idx


@cache
def descriptors() -> dict[str, bool]:
    """Descriptor word (normalised) → strip it from unknown names too?"""
    return {normalize(r["word"]): r["strip_unknown"] == "yes"
            for r in read_tsv("descriptors.tsv", ["word", "strip_unknown"])}


@cache
def non_name_words() -> frozenset[str]:
    """Words that a person's name never starts or ends with: office titles, honorifics, agent nouns
    and demonyms (the NER model sometimes tags "ولي العهد السعودي" as a person)."""
    words: set[str] = set()
    for off in actor_kb().offices():
        for t in off.titles:
            words.update(normalize(t).split())
    for row in read_tsv("honorifics.tsv", ["word"]):
        words.update(normalize(row["word"]).split())
    for row in read_tsv("agents.tsv", ["noun_ar"]):
        for noun in row["noun_ar"].split("|"):
            words.update(normalize(noun).split())
    for form, _iso in gazetteer().demonyms():
        words.update({form, "ال" + form})
    return frozenset(w for w in words if len(w) > 1)


@cache
def confirm_required() -> frozenset[str]:
    """Known names that are also common words: matched only when the NER model agrees."""
    return frozenset(normalize(r["name"]) for r in read_tsv("ambiguous_names.tsv", ["name"]))


def _ner():
    try:
        from marsad.extract.ner import NerTagger

        return NerTagger.load()
    except (ImportError, FileNotFoundError, OSError):
        return None


_GEO_FEATURE = re.compile(r"^(بحر|البحر|نهر|جبل|جبال|صحراء|خليج|مضيق|جزيره|جزر|سهل|وادي|هضبه|بحيره)$")


class EntityRecognizer:
    """Pipeline component: fills ``doc.entities`` with typed, id'd, clitic-free mentions."""

    name = "entities"

    def __init__(self) -> None:
        self.index = known_names()
        self.ner = _ner()
        self.confirm = confirm_required()
        self.honorifics = honorific_index()
        self.descriptors = descriptors()
        self.non_name = non_name_words()
        dictionary()  # the transliteration dictionary loads with the component, not at the first unknown name

    def __call__(self, doc: Doc) -> Doc:
        text, tokens = doc.text, doc.tokens
        view = TokenView.of(doc)
        ner_spans = self._ner_spans(doc)
        ner_tokens = {k for s, e, _t, _c in ner_spans for k in range(s, e)}
        found: list[tuple[Match[Entry], Entry]] = []
        for m in self.index.find_all(view):
            entry = _choose(m.entries, found)
            key = " ".join(m.key)
            if key in self.confirm and not any(k in ner_tokens for k in range(m.first, m.last)):
                continue
            found.append((m, entry))
        covered = {k for m, _ in found for k in range(m.first, m.last)}
        by_id: dict[str, Entity] = {}
        for m, entry in found:
            ent = by_id.get(entry.id)
            if ent is None:
                ent = by_id[entry.id] = Entity(
                    id=entry.id, type=entry.type, name=entry.name, name_en=entry.name_en,
                    country=entry.country, sector=entry.sector, kb_id=entry.id, wikidata=entry.wikidata)
            first = self._name_start(view, m.first, m.last, entry)
            start = m.start if first == m.first else tokens[first].start
            ent.mentions.append(Mention(start, m.end, text[start:m.end], entry.source))
        # names the knowledge does not list, from the statistical model
        for s, e, typ, conf in ner_spans:
            if conf < MIN_NER_CONFIDENCE or any(k in covered for k in range(s, e)):
                continue
            mtype = NER_TYPES.get(typ)
            if mtype is None:
                continue
            s, e = self._trim_unknown(tokens, s, e, mtype)
            if s >= e:
                continue
            start = tokens[s].stem_start if tokens[s].prefixes else tokens[s].start
            end = tokens[e - 1].end
            surface = text[start:end]
            if len(normalize(surface)) < 2:
                continue
            if mtype == "LOC":
                mtype = "LOC" if s > 0 and _GEO_FEATURE.match(tokens[s - 1].norm) else "GPE"
            eid = unknown_id(mtype, surface)
            ent = by_id.get(eid)
            if ent is None:
                ent = by_id[eid] = Entity(id=eid, type=mtype, name=surface, name_en=to_latin(surface))
            ent.mentions.append(Mention(start, end, surface, "ner"))
        entities = _merge_short_forms(list(by_id.values()))
        self._propagate(doc, entities)
        doc.entities = entities
        for ent in doc.entities:
            ent.mentions.sort(key=lambda m: m.start)
        doc.entities.sort(key=lambda x: x.mentions[0].start if x.mentions else 0)
        return doc

    def _name_start(self, view: TokenView, first: int, last: int, entry: Entry) -> int:
        """First token of the name proper: honorifics (PER) and descriptors (when the rest is a name
        of the same entity: "دولة قطر" → قطر, "وكالة فرانس برس" → فرانس برس) are left out."""
        if entry.type == "PER":
            h = self.honorifics.match_at(view, first)
            while h is not None and h.last < last:
                first = h.last
                h = self.honorifics.match_at(view, first)
        if last - first >= 2 and view.norms[first] in self.descriptors:
            rest = " ".join(view.norms[first + 1:last])
            if any(e.id == entry.id for e in self.index.get(rest)):
                first += 1
        return first

    def _trim_unknown(self, tokens: list[Token], s: int, e: int, mtype: str) -> tuple[int, int]:
        """An NER span without the titles, honorifics, demonyms (PER) or descriptors (ORG) around it."""
        if mtype == "PER":
            while s < e and (tokens[s].norm in self.non_name or _stem_norm(tokens[s]) in self.non_name):
                s += 1
            cut = next((k for k in range(s + 1, e) if tokens[k].norm in PREPOSITIONS), e)
            e = cut
            while e > s and (tokens[e - 1].norm in self.non_name or _stem_norm(tokens[e - 1]) in self.non_name):
                e -= 1
        elif mtype == "ORG" and e - s >= 2 and self.descriptors.get(tokens[s].norm):
            s += 1
        return s, e

    def _propagate(self, doc: Doc, entities: list[Entity]) -> None:
        """Every other occurrence of a name already found in this document is a mention too, and so
        is a found person's distinctive surname (the model or the KB may have missed them)."""
        tokens, text = doc.tokens, doc.text
        local: NameIndex[Entity] = NameIndex()
        freq = word_frequencies()
        for ent in entities:
            if ent.type not in ("PER", "ORG", "GPE", "LOC", "FAC"):
                continue
            for m in ent.mentions:
                local.add(m.text, ent)
            if ent.type == "PER" and ent.mentions:
                words = normalize(ent.mentions[0].text).split()
                sur = words[-1] if len(words) >= 2 else None
                if sur and len(sur) >= 3 and freq.get(sur, 0) < SURNAME_MAX_FREQ and sur not in self.non_name:
                    local.add(sur, ent)
        covered = _tokens_covered(tokens, [(m.start, m.end) for e in entities for m in e.mentions])
        for m in local.find_all(TokenView.of(doc), skip=covered):
            if len(m.entries) != 1:
                continue  # a surname shared by two people here: leave it
            ent = m.entries[0]
            key = " ".join(m.key)
            if key in self.confirm:
                continue
            ent.mentions.append(Mention(m.start, m.end, text[m.start:m.end], "propagated"))

    def _ner_spans(self, doc: Doc) -> list[tuple[int, int, str, float]]:
        if self.ner is None or not doc.tokens:
            return []
        # tag sentence by sentence (the model was trained on sentences), all in one batch
        toks = doc.tokens
        starts: list[int] = []
        sentences: list[list[str]] = []
        i = 0
        for _s, e in doc.sentences:
            j = i
            while j < len(toks) and toks[j].start < e:
                j += 1
            if j > i:
                starts.append(i)
                sentences.append([t.text for t in toks[i:j]])
            i = j
        return [(start + a, start + b, typ, conf)
                for start, spans in zip(starts, self.ner.spans_many(sentences), strict=True)
                for a, b, typ, conf in spans]


def _tokens_covered(tokens: list[Token], spans: list[tuple[int, int]]) -> set[int]:
    """Indices of tokens that overlap any of the character spans (one pass over sorted spans)."""
    starts = [t.start for t in tokens]
    out: set[int] = set()
    for a, b in spans:
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(tokens) and tokens[i].start < b:
            if tokens[i].end > a:
                out.add(i)
            i += 1
    return out


def _stem_norm(tok: Token) -> str:
    """The token's normalised form without its proclitics."""
    return tok.norm[len(tok.prefixes):] if tok.prefixes else tok.norm


def unknown_id(etype: str, surface: str) -> str:
    """Corpus-wide id of an entity the knowledge does not list: its type and normalised name."""
    key = re.sub(r"\s+", "_", normalize(surface).strip())
    key = re.sub(r"^ال(?=\w{3})", "", key) if etype in ("ORG",) else key
    return f"{etype.lower()}:{key}"


def _choose(entries: tuple[Entry, ...], found: list[tuple[Match[Entry], Entry]]) -> Entry:
    """Pick among homonyms (طرابلس Libya/Lebanon; عمان Oman/Amman) by the countries already seen."""
    if len(entries) == 1:
        return entries[0]
    seen = {e.country for _, e in found}
    for e in entries:
        if e.country in seen:
            return e
    # prefer a person/organisation over a place, then the first listed (the primary reading)
    return entries[0]


def _merge_short_forms(entities: list[Entity]) -> list[Entity]:
    """A person's surname or partial name (أردوغان, تميم بن حمد) joins the fuller name it is part of."""
    people = [e for e in entities if e.type == "PER"]
    # the words of each name and of each person's mentions, normalised once (kept up to date as
    # mentions move from a short form to its full name)
    name_words = {e.id: _words(e.name) for e in people}
    seen_words = {e.id: name_words[e.id].union(*(_words(m.text) for m in e.mentions)) for e in people}
    merged: set[str] = set()
    for short in people:
        sw = name_words[short.id]
        if not sw:
            continue
        for full in people:
            if full is short or full.id in merged:
                continue
            if len(name_words[full.id]) > len(sw) and sw <= seen_words[full.id] and _is_suffix_or_prefix(sw, full.name):
                # never merge a known person into another known person
                if short.kb_id and full.kb_id:
                    continue
                full.mentions.extend(short.mentions)
                seen_words[full.id] = seen_words[full.id].union(*(_words(m.text) for m in short.mentions))
                full.resolution.append(
                    f"'{short.name}' joined '{full.name}': its words are part of the full name (same document)")
                merged.add(short.id)
                break
    return [e for e in entities if e.id not in merged]


@lru_cache(maxsize=100_000)
def _words(s: str) -> frozenset[str]:
    return frozenset(w for w in normalize(s).split() if len(w) > 1)


def _is_suffix_or_prefix(short: frozenset[str], full_name: str) -> bool:
    fw = normalize(full_name).split()
    n = len(short)
    return set(fw[-n:]) == short or set(fw[:n]) == short or (n == 1 and next(iter(short)) in fw[1:])


def mention_tokens(doc: Doc) -> dict[int, Entity]:
    """Token index → the entity whose mention covers it (for components that follow)."""
    out: dict[int, Entity] = {}
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    for ent in doc.entities:
        for m in ent.mentions:
            i = bisect.bisect_right(starts, m.start) - 1  # the token the mention starts in, if any
            if i < 0 or tokens[i].end <= m.start:
                continue
            while i < len(tokens) and tokens[i].start < m.end:
                out[i] = ent
                i += 1
    return out
