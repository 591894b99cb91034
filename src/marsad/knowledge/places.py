"""The place gazetteer: countries (``countries.tsv``) and other places (``places.tsv``).

Why one object: entity recognition, resolution and affiliation all need the same answers -- which
country or place a surface form may denote (:meth:`Gazetteer.lookup`), which country a demonym
adjective points to (:meth:`Gazetteer.demonym`), and every surface form for a longest-match
matcher (:meth:`Gazetteer.names`).  Keys are :func:`marsad.text.normalize.normalize` forms, so
hamza, ta-marbuta, alef-maqsura and diacritic variants need no listing.

Entity ids: a place's id is its ``id`` column; a country's id is :func:`slug` of its English
name (``turkey``, ``qatar``, ``united_states``, ``saudi_arabia``, ``united_arab_emirates``), so
it is stable as long as ``name_en`` is.  :class:`Country` exposes ``id``, ``type`` ('GPE') and
``country`` (its own ISO3) so that countries and places can be handled alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product

from marsad.knowledge import KnowledgeError, read_tsv, split_variants
from marsad.text.normalize import normalize, strip_diacritics

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC", "EVENT"})
COUNTRY_COLUMNS = ["iso3", "iso2", "name_en", "name_ar", "variants", "demonym_m", "demonym_f",
                   "demonym_pl", "capital_ar", "capital_en", "region"]
PLACE_COLUMNS = ["id", "type", "name_ar", "variants", "name_en", "country", "wikidata", "parent"]

_ARTICLE = "ال"
_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q\d+$")
_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")

# Article-less forms that are everyday words: never index them ("رياض" gardens, "مغرب" sunset,
# "جزائر" islands, "خليج" gulf, "منامه" dream, ...).
_BARE_STOP_WORDS = """
    رياض مغرب جزائر بحرين خليج ساحل مملكة منامة قاهرة يمن هند خرطوم رباط أقصر جليل عقبة
    مفرق زرقاء رمادي حديدة مهرة نكبة نكسة قدس ضفة بقاع نيل فرات جنوب شمال شرق غرب
    اتحاد عاصمة مدينة كرك سلط بيضاء أبيض عين خبر شرقية غربية منطقة جزيرة بحر محيط
"""
_BARE_STOP = frozenset(normalize(w) for w in _BARE_STOP_WORDS.split())


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Côte d’Ivoire' -> 'cote_divoire'.  The entity-id scheme; keep it
    identical to ``scripts/build_countries.py``."""
    text = text.replace("'", "").replace("\u2019", "")
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


@dataclass(frozen=True)
class Country:
    """A row of countries.tsv.  Demonyms carry no article."""

    iso3: str
    iso2: str
    name_en: str
    name_ar: str
    variants: tuple[str, ...]
    demonyms_m: tuple[str, ...]
    demonyms_f: tuple[str, ...]
    demonyms_pl: tuple[str, ...]
    capital_ar: str
    capital_en: str
    region: str

    @property
    def id(self) -> str:
        """The entity id of the country (see module docstring)."""
        return slug(self.name_en)

    @property
    def type(self) -> str:
        return "GPE"

    @property
    def country(self) -> str:
        return self.iso3

    @property
    def wikidata(self) -> str:
        return ""

    @property
    def parent(self) -> str:
        return ""

    def surface_forms(self) -> tuple[str, ...]:
        return (self.name_ar, *self.variants)

    def demonyms(self) -> tuple[str, ...]:
        return self.demonyms_m + self.demonyms_f + self.demonyms_pl

    def as_place(self) -> Place:
        """The country as a GPE :class:`Place`, for code that wants one record type."""
        return Place(self.id, "GPE", self.name_ar, self.variants, self.name_en, self.iso3, "", "")


@dataclass(frozen=True)
class Place:
    """A row of places.tsv: a GPE, LOC, FAC or EVENT with an optional country (ISO3)."""

    id: str
    type: str
    name_ar: str
    variants: tuple[str, ...]
    name_en: str
    country: str
    wikidata: str
    parent: str

    def surface_forms(self) -> tuple[str, ...]:
        return (self.name_ar, *self.variants)


Entry = Country | Place


def _has_article(form: str) -> bool:
    """True for a one-word name written with the article: 'الدوحة' yes, 'ألمانيا' (hamza) no.
    Multi-word names keep their article: 'دار البيضاء' is not a form anyone writes."""
    bare = strip_diacritics(form).strip()
    return bare.startswith(_ARTICLE) and " " not in bare and len(bare) > len(_ARTICLE) + 2


def _strip_article(key: str) -> str:
    """A normalised key without its leading article (unchanged when too short to have one)."""
    return key[len(_ARTICLE):] if key.startswith(_ARTICLE) and len(key) > len(_ARTICLE) + 2 else key


def _key(text: str) -> str:
    return " ".join(normalize(text).split())


class Gazetteer:
    """Countries and places indexed by normalised surface form, demonym and id."""

    def __init__(self, countries: Iterable[Country], places: Iterable[Place]) -> None:
        self._countries: dict[str, Country] = {}
        for c in countries:
            self._countries[c.iso3] = c  # a later row (analyst file) replaces an earlier one
        self._places: dict[str, Place] = {}
        for p in places:
            self._places[p.id] = p
        self._by_id: dict[str, Entry] = {c.id: c for c in self._countries.values()}
        for p in self._places.values():
            if p.id in self._by_id and isinstance(self._by_id[p.id], Country):
                raise KnowledgeError(f"places.tsv: id {p.id!r} is already the id of a country")
            self._by_id[p.id] = p
        self._exact: dict[str, list[Entry]] = {}
        self._bare: dict[str, list[Entry]] = {}
        entries: list[Entry] = [*self._countries.values(), *self._places.values()]
        for e in entries:
            for form in e.surface_forms():
                _add(self._exact, _key(form), e)
        for e in entries:
            for form in e.surface_forms():
                if not _has_article(form):
                    continue
                bare = _strip_article(_key(form))
                if bare not in _BARE_STOP and bare not in self._exact:
                    _add(self._bare, bare, e)
        self._demonyms: dict[str, str | None] = {}
        for c in self._countries.values():
            for form in c.demonyms():
                k = _key(form)
                prev = self._demonyms.get(k, c.iso3)
                self._demonyms[k] = c.iso3 if prev == c.iso3 else None  # None: shared, ambiguous

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def load(cls) -> Gazetteer:
        """The shared, cached gazetteer (see :func:`gazetteer`)."""
        return gazetteer()

    @classmethod
    def read(cls) -> Gazetteer:
        """A fresh gazetteer from the knowledge files (bundled plus ``MARSAD_KNOWLEDGE``)."""
        countries = [_country(r) for r in read_tsv("countries.tsv", COUNTRY_COLUMNS)]
        iso3s = {c.iso3 for c in countries}
        places = [_place(r, iso3s) for r in read_tsv("places.tsv", PLACE_COLUMNS)]
        return cls(countries, places)

    # -- access -------------------------------------------------------------------------------
    def country(self, iso3: str) -> Country | None:
        return self._countries.get(iso3.upper())

    def countries(self) -> Iterator[Country]:
        return iter(self._countries.values())

    def places(self) -> Iterator[Place]:
        return iter(self._places.values())

    def place(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def entity(self, entity_id: str) -> Entry | None:
        """A country (by :meth:`country_id`) or a place (by id)."""
        return self._by_id.get(entity_id)

    def country_id(self, iso3: str) -> str:
        """The entity id used for a country, e.g. 'TUR' -> 'turkey'.  KeyError when unknown."""
        return self._countries[iso3.upper()].id

    def capital(self, iso3: str) -> Place | None:
        """The capital of a country as a Place, when the gazetteer has it."""
        c = self.country(iso3)
        if c is None or not c.capital_ar:
            return None
        return next((e for e in self._exact.get(_key(c.capital_ar), [])
                     if isinstance(e, Place) and e.country == c.iso3), None)

    # -- matching -----------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Entry]:
        """Every country or place ``name`` may denote, countries first, then places in file order.

        Exact match on the normalised form; failing that, the article-less index ('دوحة' ->
        doha); failing that, the form without a leading 'ال' ('القطر' -> Qatar).  Ambiguous names
        return several candidates (طرابلس: Tripoli in Libya, then in Lebanon) for context to pick.
        """
        key = _key(name)
        if not key:
            return []
        hits = self._exact.get(key) or self._bare.get(key)
        if not hits and (bare := _strip_article(key)) != key:
            hits = self._exact.get(bare)
        return list(hits or [])

    def demonym(self, word: str) -> str | None:
        """The ISO3 a demonym adjective or plural points to: 'التركية', 'الأتراك' -> 'TUR',
        'الأمريكيين' -> 'USA', 'الكوري الجنوبي' -> 'KOR'.  The article is handled (on each word);
        other clitics (و ب ل ك ف) are the caller's.  None when unknown or shared by two states."""
        tokens = _key(word).split()
        if not tokens:
            return None
        options = [[t, _strip_article(t)] if _strip_article(t) != t else [t] for t in tokens]
        for combo in product(*options):
            iso3 = self._demonyms.get(" ".join(combo))
            if iso3:
                return iso3
        return None

    def demonyms(self) -> Iterator[tuple[str, str]]:
        """Every (normalised demonym form without article, ISO3), ambiguous forms left out."""
        return ((k, v) for k, v in self._demonyms.items() if v)

    def names(self, bare: bool = False) -> Iterator[tuple[str, Entry]]:
        """Every (normalised surface form, entry) pair, for building a longest-match matcher.

        A form shared by several entries is yielded once per entry.  ``bare=True`` adds the
        article-less forms of names written with 'ال' (minus everyday words); they are off by
        default because a matcher should strip clitics and match names as written.
        """
        for key, entries in self._exact.items():
            for e in entries:
                yield key, e
        if bare:
            for key, entries in self._bare.items():
                for e in entries:
                    yield key, e


def _add(index: dict[str, list[Entry]], key: str, entry: Entry) -> None:
    if key:
        bucket = index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)


def _country(row: dict[str, str]) -> Country:
    iso3 = row["iso3"]
    if not _ISO3.match(iso3):
        raise KnowledgeError(f"countries.tsv: bad iso3 {iso3!r}")
    if not row["name_ar"] or not row["name_en"]:
        raise KnowledgeError(f"countries.tsv: {iso3} lacks name_ar or name_en")
    return Country(
        iso3=iso3, iso2=row["iso2"], name_en=row["name_en"], name_ar=row["name_ar"],
        variants=tuple(split_variants(row["variants"])),
        demonyms_m=tuple(split_variants(row["demonym_m"])),
        demonyms_f=tuple(split_variants(row["demonym_f"])),
        demonyms_pl=tuple(split_variants(row["demonym_pl"])),
        capital_ar=row["capital_ar"], capital_en=row["capital_en"], region=row["region"],
    )


def _place(row: dict[str, str], iso3s: set[str]) -> Place:
    pid = row["id"]
    problem = None
    if not _ID.match(pid):
        problem = "id must be a lower-case slug"
    elif row["type"] not in PLACE_TYPES:
        problem = f"type {row['type']!r} not in {sorted(PLACE_TYPES)}"
    elif not row["name_ar"]:
        problem = "empty name_ar"
    elif row["country"] and row["country"] not in iso3s:
        problem = f"unknown country {row['country']!r}"
    elif row["wikidata"] and not _QID.match(row["wikidata"]):
        problem = f"bad wikidata id {row['wikidata']!r}"
    if problem:
        raise KnowledgeError(f"places.tsv: {pid or '(no id)'}: {problem}")
    return Place(
        id=pid, type=row["type"], name_ar=row["name_ar"], variants=tuple(split_variants(row["variants"])),
        name_en=row["name_en"], country=row["country"], wikidata=row["wikidata"], parent=row["parent"],
    )


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process."""
    return Gazetteer.read()
