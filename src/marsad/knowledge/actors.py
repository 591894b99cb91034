"""The actor knowledge base: named people and organisations, the offices they held, and generic
agent nouns, loaded from ``actors.yaml``, ``offices.tsv`` and ``agents.tsv``.

Why a KB: one real-world actor must get one corpus-wide id whatever the spelling (أكار/آكار,
صويلو/صولي), and a nominal mention ("وزير الدفاع التركي") must resolve to whoever held the office
on the event date.  All matching keys go through :func:`marsad.text.normalize.normalize`.

Validation is strict and names the file and entry, so an analyst's edit fails loudly rather than
silently mis-resolving.  An analyst file (``MARSAD_KNOWLEDGE``) may add entries; an entry whose
id already exists *replaces* the bundled one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from marsad.knowledge import KnowledgeError, data_paths, load_yaml_file, read_tsv, split_variants
from marsad.text.normalize import normalize

SECTORS = frozenset(
    ["GOV", "MIL", "COP", "SPY", "BUS", "MED", "LEG", "JUD", "OPP", "REB", "UAF", "IGO", "CVL"]
)
TYPES = frozenset({"PER", "ORG"})
_ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_QID_RE = re.compile(r"^Q\d+$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_OFFICE_RE = re.compile(r"^[A-Z]{2,5}\.[a-z0-9_]+$")
_KNOWN_KEYS = frozenset(
    {
        "id",
        "type",
        "name_ar",
        "variants",
        "name_en",
        "country",
        "sector",
        "wikidata",
        "roles",
        "ambiguous",
        "note",
    }
)


@dataclass(frozen=True)
class Office:
    """An office a title denotes: key like ``TUR.defence_minister``; ``country`` None for IGOs."""

    key: str
    country: str | None
    titles: tuple[str, ...]
    sector: str | None
    title_en: str
    plural: bool = False  # several people hold it at once (deputy PMs): no tenure-overlap check


@dataclass(frozen=True)
class Role:
    """One tenure of an office; ``end`` None means still in office (as far as the KB knows)."""

    office: str
    country: str | None
    title_ar: str
    title_en: str
    sector: str | None
    start: date | None
    end: date | None
    acting: bool = False

    def covers(self, on: date) -> bool:
        """True when ``on`` falls inside the tenure (both ends inclusive)."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Actor:
    """A named person or organisation with its stable corpus-wide id."""

    id: str
    type: str
    name_ar: str
    variants: tuple[str, ...]
    name_en: str
    country: str | None
    sector: str | None
    wikidata: str | None
    roles: tuple[Role, ...]
    ambiguous: bool = False

    def surfaces(self) -> tuple[str, ...]:
        """The Arabic name followed by its variants (as written)."""
        return (self.name_ar, *self.variants)

    def role_on(self, on: date | None) -> Role | None:
        """The role held on ``on`` (latest-starting if several); None date -> the latest role."""
        cands = [r for r in self.roles if on is None or r.covers(on)]
        return max(cands, key=lambda r: r.start or date.min) if cands else None


# --------------------------------------------------------------------------- loading helpers


def _date(value: Any, where: str) -> date | None:
    """A YAML date cell: a date, 'YYYY-MM-DD', 'YYYY-MM' (-> 1st) or 'YYYY' (-> Jan 1), or null."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    s = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", s):
            return date(int(s), 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", s):
            y, m = s.split("-")
            return date(int(y), int(m), 1)
        return date.fromisoformat(s)
    except ValueError as exc:
        raise KnowledgeError(f"{where}: bad date {value!r}") from exc


def _load_offices() -> dict[str, Office]:
    """offices.tsv -> {key: Office}; one title may name only one office per country."""
    offices: dict[str, Office] = {}
    seen_title: dict[tuple[str, str | None], str] = {}
    for row in read_tsv("offices.tsv", ["office", "country", "title_ar", "sector", "title_en"]):
        key = row["office"]
        where = f"offices.tsv: office {key!r}"
        if not _OFFICE_RE.match(key):
            raise KnowledgeError(f"{where}: key must look like 'TUR.defence_minister'")
        country = row["country"] or None
        if country is not None and not _ISO3_RE.match(country):
            raise KnowledgeError(f"{where}: bad country {country!r}")
        sector = row["sector"] or None
        if sector is not None and sector not in SECTORS:
            raise KnowledgeError(f"{where}: unknown sector {sector!r}")
        titles = tuple(split_variants(row["title_ar"]))
        if not titles:
            raise KnowledgeError(f"{where}: no title_ar")
        for t in titles:
            k = (normalize(t), country)
            other = seen_title.get(k)
            if other is not None and other != key:
                raise KnowledgeError(f"{where}: title {t!r} already names {other} for {country}")
            seen_title[k] = key
        plural = row.get("plural", "").lower() in {"yes", "true", "1", "plural"}
        offices[key] = Office(key, country, titles, sector, row["title_en"], plural)
    return offices


def _load_agents() -> dict[str, str]:
    """agents.tsv -> {normalised noun: sector}; both with and without the article."""
    agents: dict[str, str] = {}
    for row in read_tsv("agents.tsv", ["noun_ar", "sector", "note"]):
        sector = row["sector"]
        if sector not in SECTORS:
            raise KnowledgeError(f"agents.tsv: {row['noun_ar']!r}: unknown sector {sector!r}")
        for noun in split_variants(row["noun_ar"]):
            n = normalize(noun)
            agents.setdefault(n, sector)
            if n.startswith("ال") and len(n) > 4:
                agents.setdefault(n[2:], sector)
    return agents


def _parse_actor(raw: Any, where: str, offices: dict[str, Office]) -> Actor:
    """One actors.yaml entry -> Actor, or KnowledgeError naming the entry."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: entry is not a mapping")
    aid = raw.get("id")
    where = f"{where} (id {aid!r})"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise KnowledgeError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not isinstance(aid, str) or not _ID_RE.match(aid):
        raise KnowledgeError(f"{where}: id must be a lowercase latin slug")
    if raw.get("type") not in TYPES:
        raise KnowledgeError(f"{where}: type must be PER or ORG, got {raw.get('type')!r}")
    name_ar = raw.get("name_ar")
    if not isinstance(name_ar, str) or not name_ar.strip():
        raise KnowledgeError(f"{where}: name_ar missing")
    variants = raw.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise KnowledgeError(f"{where}: variants must be a list of strings")
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3_RE.match(country)):
        raise KnowledgeError(f"{where}: country must be ISO3 or null, got {country!r}")
    sector = raw.get("sector")
    if sector is not None and sector not in SECTORS:
        raise KnowledgeError(f"{where}: unknown sector {sector!r}")
    qid = raw.get("wikidata")
    if qid is not None and not (isinstance(qid, str) and _QID_RE.match(qid)):
        raise KnowledgeError(f"{where}: wikidata must look like Q123 or be null, got {qid!r}")
    roles: list[Role] = []
    for i, r in enumerate(raw.get("roles") or []):
        rw = f"{where} role {i + 1}"
        if not isinstance(r, dict) or "office" not in r:
            raise KnowledgeError(f"{rw}: role needs an 'office'")
        off = offices.get(r["office"])
        if off is None:
            raise KnowledgeError(f"{rw}: unknown office {r['office']!r} (not in offices.tsv)")
        start, end = _date(r.get("start"), rw), _date(r.get("end"), rw)
        if start and end and end < start:
            raise KnowledgeError(f"{rw}: end {end} before start {start}")
        roles.append(
            Role(
                off.key,
                off.country,
                off.titles[0],
                off.title_en,
                off.sector,
                start,
                end,
                bool(r.get("acting", False)),
            )
        )
    seen: set[str] = set()
    uniq: list[str] = []
    for v in variants:
        n = normalize(v.strip())
        if n != normalize(name_ar) and n not in seen:
            seen.add(n)
            uniq.append(v.strip())
    return Actor(
        aid,
        raw["type"],
        name_ar.strip(),
        tuple(uniq),
        str(raw.get("name_en") or aid),
        country,
        sector,
        qid,
        tuple(roles),
        bool(raw.get("ambiguous", False)),
    )


def _load_actors(offices: dict[str, Office]) -> list[Actor]:
    """actors.yaml files in order; duplicate id in one file is an error, a later file overrides."""
    by_id: dict[str, Actor] = {}
    for path in data_paths("actors.yaml"):
        data = load_yaml_file(Path(path)) or []
        if not isinstance(data, list):
            raise KnowledgeError(f"{path}: must be a YAML list of entries")
        in_file: set[str] = set()
        for i, raw in enumerate(data):
            actor = _parse_actor(raw, f"{path.name} entry {i + 1}", offices)
            if actor.id in in_file:
                raise KnowledgeError(f"{path.name} entry {i + 1}: duplicate id {actor.id!r}")
            in_file.add(actor.id)
            by_id[actor.id] = actor
    return list(by_id.values())


def _check_tenures(actors: list[Actor], offices: dict[str, Office]) -> None:
    """Two people may hold one office at once only if one of the tenures is marked acting (or the
    office is marked plural in offices.tsv)."""
    per_office: dict[str, list[tuple[Role, str]]] = {}
    for a in actors:
        for r in a.roles:
            if not offices[r.office].plural:
                per_office.setdefault(r.office, []).append((r, a.id))
    for office, held in per_office.items():
        held.sort(key=lambda x: x[0].start or date.min)
        for j, (r2, id2) in enumerate(held):
            for r1, id1 in held[:j]:
                if id1 == id2 or r1.acting or r2.acting:
                    continue
                # touching on the hand-over day is fine
                if (r1.end is None or r1.end > (r2.start or date.min)) and r2.start is not None:
                    raise KnowledgeError(
                        f"actors.yaml: {office}: tenures of {id1} ({r1.start}..{r1.end}) and {id2} "
                        f"({r2.start}..{r2.end}) overlap; mark one 'acting: true' or fix the dates"
                    )


# --------------------------------------------------------------------------- the KB


class ActorKB:
    """Lookup over actors, offices and agent nouns; build it with :func:`actor_kb`."""

    def __init__(self, actors: list[Actor], offices: dict[str, Office], agents: dict[str, str]) -> None:
        self._by_id = {a.id: a for a in actors}
        self._offices = offices
        self._agents = agents
        self._index: dict[str, list[Actor]] = {}
        self._surfaces: dict[str, list[Actor]] = {}
        for a in actors:
            for s in a.surfaces():
                self._add(self._surfaces, normalize(s), a)
                self._add(self._index, normalize(s), a)
            self._add(self._index, normalize(a.name_en), a)
        for key, acts in self._surfaces.items():
            if len(acts) > 1 and not all(a.ambiguous for a in acts):
                ids = ", ".join(a.id for a in acts)
                raise KnowledgeError(
                    f"actors.yaml: name {key!r} is shared by {ids}; give distinctive variants or mark "
                    "every entry sharing it 'ambiguous: true'"
                )
        self._by_title: dict[tuple[str, str | None], Office] = {}
        for off in offices.values():
            for t in off.titles:
                self._by_title.setdefault((normalize(t), off.country), off)

    @staticmethod
    def _add(index: dict[str, list[Actor]], key: str, actor: Actor) -> None:
        lst = index.setdefault(key, [])
        if actor not in lst:
            lst.append(actor)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._by_id.values())

    def get(self, id: str) -> Actor | None:
        """The actor with this corpus-wide id."""
        return self._by_id.get(id)

    def lookup(self, name: str) -> list[Actor]:
        """Actors whose Arabic name, a variant or the English name equals ``name`` after normalize()."""
        return list(self._index.get(normalize(name.strip()), ()))

    def names(self) -> Iterator[tuple[str, Actor]]:
        """(normalised Arabic surface form, actor) pairs for a longest-match matcher; an ambiguous
        surface yields one pair per actor."""
        for key, acts in self._surfaces.items():
            for a in acts:
                yield key, a

    def holder(self, office: str, on: date | None = None) -> Actor | None:
        """Who held ``office`` on ``on``: a substantive holder before an acting one; None date -> the
        most recent holder (the latest tenure to start)."""
        best: tuple[tuple[bool, date], Actor] | None = None
        for a in self._by_id.values():
            for r in a.roles:
                if r.office != office or (on is not None and not r.covers(on)):
                    continue
                rank = (not r.acting, r.start or date.min) if on is not None else (True, r.start or date.min)
                if best is None or rank > best[0]:
                    best = (rank, a)
        return best[1] if best else None

    def holders(self, office: str) -> list[tuple[Role, Actor]]:
        """Every tenure of ``office`` in start order (for timelines and tests)."""
        out = [(r, a) for a in self._by_id.values() for r in a.roles if r.office == office]
        return sorted(out, key=lambda x: x[0].start or date.min)

    def offices(self) -> list[Office]:
        """All offices in file order."""
        return list(self._offices.values())

    def office(self, key: str) -> Office | None:
        """The office with this key."""
        return self._offices.get(key)

    def office_by_title(self, title: str, country: str | None) -> Office | None:
        """The office a bare title denotes in ``country`` ('وزير خارجية', 'TUR' -> TUR.foreign_minister);
        ``country`` None looks among offices of no country (UN, EU, ...)."""
        return self._by_title.get((normalize(title.strip()), country))

    def agent_sector(self, noun: str) -> str | None:
        """Sector of a generic agent noun; trailing words (demonyms, 'في ...') are dropped until a
        listed noun remains: 'قوات الأمن التركية' -> COP."""
        words = normalize(noun.strip()).split()
        while words:
            s = self._agents.get(" ".join(words))
            if s is not None:
                return s
            words.pop()
        return None


@cache
def actor_kb() -> ActorKB:
    """The KB from the bundled files (plus ``MARSAD_KNOWLEDGE`` extensions), loaded once."""
    offices = _load_offices()
    actors = _load_actors(offices)
    _check_tenures(actors, offices)
    return ActorKB(actors, offices, _load_agents())
