"""Roles and nominal actors: "وزير الدفاع التركي خلوصي أكار", "أمير قطر", "المخابرات التركية".

A title from ``offices.tsv`` followed by a country marker (a demonym adjective, a country name
in construct, or "في" + country) names an office.  When a person's name stands right after it
(honorifics such as الشيخ skipped) or right before it, the person gets that role, and the
office's country and sector if the knowledge did not give them.  Without a name, the phrase is a
*nominal* mention of whoever held the office on the document's date, so "الرئيس الأمريكي" is
Trump in a 2018 article and Biden in a 2021 one.  Generic agents ("القوات التركية",
"قوات الأمن") become actor phrases with a sector and a country.  All go to
``doc.spans["actor_phrases"]`` for the event extractor.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from itertools import compress

from marsad.doc import Doc, Entity, Mention, Span, Token
from marsad.extract.entities import mention_tokens
from marsad.extract.names import NameIndex, TokenView, words_of
from marsad.knowledge import read_tsv, split_variants
from marsad.knowledge.actors import ActorKB, Office, actor_kb
from marsad.knowledge.places import gazetteer
from marsad.resolve.transliterate import to_latin
from marsad.text.normalize import normalize

_SEPARATORS = {"،", ",", "-", "–", ":"}
ADJACENT_CHARS = 40  # a role and the name it introduces are at most this far apart (honorifics between)


@cache
def _institutions() -> dict[tuple[str, ...], str]:
    """Normalised word sequences of institution nouns (knowledge/institutions.tsv) → English label."""
    return {words_of(n): r["note"] for r in read_tsv("institutions.tsv", ["noun_ar", "note"])
            for n in split_variants(r["noun_ar"])}


@cache
def _epithets() -> NameIndex[tuple[str, str]]:
    """State epithets ("المملكة", "دولة الاحتلال") → (ISO3, kind)."""
    idx: NameIndex[tuple[str, str]] = NameIndex()
    for row in read_tsv("state_epithets.tsv", ["epithet", "iso3", "kind"]):
        idx.add(row["epithet"], (row["iso3"], row["kind"]))
    return idx


@cache
def _indexes() -> tuple[NameIndex[str], NameIndex[str], NameIndex[str]]:
    """Title, agent-noun and honorific indexes (entries are the normalised phrase / sector)."""
    kb = actor_kb()
    titles: NameIndex[str] = NameIndex()
    for off in kb.offices():
        for t in off.titles:
            titles.add(t, t)
    agents: NameIndex[str] = NameIndex()
    for row in read_tsv("agents.tsv", ["noun_ar", "sector"]):
        for noun in split_variants(row["noun_ar"]):
            agents.add(noun, row["sector"])
            if noun.startswith("ال") and len(noun) > 4:  # construct state drops it: سفير الدوحة
                agents.add(noun[2:], row["sector"])
    honor: NameIndex[str] = NameIndex()
    for row in read_tsv("honorifics.tsv", ["word"]):
        honor.add(row["word"], row["word"])
    return titles, agents, honor


def _detail(phrase: str, office: Office | None, iso: str | None) -> dict[str, str | None]:
    """What a role phrase denotes: the office (key and English title), its state and sector."""
    return {"role": phrase, "office": office.key if office else None,
            "title_en": office.title_en if office else None,
            "country": (office.country if office else None) or iso,
            "sector": office.sector if office else None}


class RoleTagger:
    """Pipeline component: person roles, nominal office mentions and agent phrases."""

    name = "roles"

    def __init__(self) -> None:
        self.kb: ActorKB = actor_kb()
        self.gaz = gazetteer()
        self.titles, self.agents, self.honorifics = _indexes()
        self.epithets = _epithets()
        self.institutions = _institutions()
        self._first_words = frozenset().union(*(ix.first_words for ix in (self.epithets, self.titles, self.agents)))

    def __call__(self, doc: Doc) -> Doc:
        text, toks = doc.text, doc.tokens
        view = TokenView.of(doc)
        ref = dt.date.fromisoformat(doc.document.date) if doc.document.date else None
        covered = mention_tokens(doc)
        by_id = {e.id: e for e in doc.entities}
        phrases: list[Span] = []
        pos = 0  # the next token not yet part of a phrase
        for i in self._starts(view):
            if i < pos or i in covered:
                continue
            ep = self.epithets.match_at(view, i)
            if ep is not None:
                iso, _kind = ep.entries[0]
                phrases.append(Span(ep.start, ep.end, text[ep.start:ep.end], self.gaz.country_id(iso),
                                    {"country": iso, "sector": None, "type": "GPE", "epithet": True}))
                pos = ep.last
                continue
            m = self.titles.match_at(view, i)
            kind = "title"
            if m is None:
                m = self.agents.match_at(view, i)
                kind = "agent"
            if m is None:
                iso = _plural_demonym(toks[i].norm)
                if iso:
                    s = toks[i].stem_start if toks[i].prefixes else toks[i].start
                    phrases.append(Span(s, toks[i].end, text[s:toks[i].end], "",
                                        {"country": iso, "sector": None, "type": "AGENT"}))
                continue
            j, iso = self._country_marker(toks, m.last, covered)
            start, end = m.start, toks[j - 1].end
            phrase = text[start:end]
            if kind == "agent":
                sector = m.entries[0]
                label = ""
                if iso and m.key in self.institutions:
                    label = self._institution(doc, by_id, start, end, phrase, iso, sector, m.key)
                phrases.append(Span(start, end, phrase, label, {"country": iso, "sector": sector,
                                                                "type": "ORG" if label else "AGENT"}))
                pos = j
                continue
            title = " ".join(m.key)
            office = self.kb.office_by_title(title, iso) if iso else None
            sector = office.sector if office else None
            person = self._adjacent_person(view, j, m.first, covered)
            if person is not None:
                if phrase not in person.roles:
                    person.roles.append(phrase)
                    person.role_details.append(_detail(phrase, office, iso))
                person.country = person.country or iso
                person.sector = person.sector or sector
                # the phrase runs to the end of the adjacent name, not of a later mention
                after = [mm for mm in person.mentions if mm.start >= end]
                p_end = min(after, key=lambda mm: mm.start).end if after and \
                    min(mm.start for mm in after) - end <= ADJACENT_CHARS else end
                phrases.append(Span(start, max(end, p_end), text[start:max(end, p_end)], person.id,
                                    {"country": person.country, "sector": person.sector, "type": "PER",
                                     "office": office.key if office else None, "role": phrase}))
            elif iso:
                holder = self.kb.holder(office.key, ref) if office else None
                label = ""
                if holder is not None:
                    label = holder.id
                    ent = by_id.get(holder.id)
                    if ent is None:
                        ent = by_id[holder.id] = Entity(
                            id=holder.id, type="PER", name=holder.name_ar, name_en=holder.name_en,
                            country=holder.country or iso, sector=holder.sector or sector,
                            kb_id=holder.id, wikidata=holder.wikidata)
                        doc.entities.append(ent)
                    if phrase not in ent.roles:
                        ent.roles.append(phrase)
                        ent.role_details.append(_detail(phrase, office, iso))
                    note = (f"'{phrase}' denotes {holder.id}: holder of {office.key} on "
                            f"{ref or 'the latest date known'}")
                    if note not in ent.resolution:
                        ent.resolution.append(note)
                phrases.append(Span(start, end, phrase, label,
                                    {"country": iso, "sector": sector, "type": "PER",
                                     "office": office.key if office else None, "role": phrase}))
            pos = j
        doc.spans["actor_phrases"] = phrases
        return doc

    def _starts(self, view: TokenView) -> list[int]:
        """Tokens where a phrase may start: an epithet, title or agent noun, or a plural demonym."""
        starts = view.starts(self._first_words)
        peoples = set(filter(_plural_demonym, set(view.norms)))  # memoised: no Python frame per word
        if peoples:
            starts = sorted(set(starts).union(compress(range(len(view)), map(peoples.__contains__, view.norms))))
        return starts

    def _institution(self, doc: Doc, by_id: dict[str, Entity], start: int, end: int, phrase: str,
                     iso: str, sector: str, noun: tuple[str, ...]) -> str:
        """"الحكومة العراقية", "وزارة الخارجية الإيرانية": a state institution named by its kind and
        its country is an organisation; one id per (country, kind) across all documents."""
        key = "_".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in noun)
        eid = f"org:{iso.lower()}:{key}"
        ent = by_id.get(eid)
        if ent is None:
            country = self.gaz.country(iso)
            label = self.institutions.get(noun)
            name_en = f"{country.name_en} {label}" if country and label else to_latin(phrase)
            ent = by_id[eid] = Entity(id=eid, type="ORG", name=phrase, name_en=name_en,
                                      country=iso, sector=sector)
            ent.resolution.append(f"'{phrase}': institution of {iso} named by kind and country")
            doc.entities.append(ent)
        ent.mentions.append(Mention(start, end, phrase, "institution"))
        return eid

    def _country_marker(self, toks: list[Token], j: int, covered: dict[int, Entity]) -> tuple[int, str | None]:
        """After a title/agent at token j: a demonym, a country in construct, or في + country."""
        if j >= len(toks):
            return j, None
        iso = self.gaz.demonym(toks[j].norm)
        if iso:
            return j + 1, iso
        for k in (j, j + 1):
            if k == j + 1 and toks[j].norm != "في":
                break
            ent = covered.get(k)
            if ent is not None and ent.type == "GPE" and ent.country and self._stands_for_state(ent):
                end = k
                while end < len(toks) and covered.get(end) is ent:
                    end += 1
                return end, ent.country
        return j, None

    def _stands_for_state(self, ent: Entity) -> bool:
        """A country, or its capital in construct ("سفير أنقرة" = Turkey's ambassador)."""
        if ent.id == self.gaz.country_id(ent.country):
            return True
        cap = self.gaz.capital(ent.country)
        return cap is not None and cap.id == ent.id

    def _adjacent_person(self, view: TokenView, j: int, title_first: int,
                         covered: dict[int, Entity]) -> Entity | None:
        """A PER named right after the role (separators and honorifics skipped) or right before it."""
        toks = view.tokens
        k = j
        for _ in range(4):
            if k < len(toks) and toks[k].text in _SEPARATORS:
                k += 1
                continue
            h = self.honorifics.match_at(view, k) if k < len(toks) else None
            if h is not None and covered.get(k) is None:
                k = h.last
                continue
            break
        ent = covered.get(k)
        if ent is not None and ent.type == "PER":
            return ent
        b = title_first - 1
        if b >= 0 and toks[b].text in _SEPARATORS:
            b -= 1
        ent = covered.get(b)
        return ent if ent is not None and ent.type == "PER" else None



@lru_cache(maxsize=100_000)
def _plural_demonym(norm: str) -> str | None:
    """"الأتراك", "القطريين" (a normalised token): a people standing for its state or population."""
    if not norm.startswith(("ال", "وال", "فال", "بال", "لل")):
        return None
    gaz = gazetteer()
    iso = gaz.demonym(norm)
    if iso is None:
        return None
    c = gaz.country(iso)
    forms = {normalize(f) for f in (c.demonyms_pl if c else ())}
    stem = norm[norm.find("ال") + 2:]
    return iso if stem in forms else None
