"""The place gazetteer: data integrity of countries.tsv / places.tsv and the lookup API."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from marsad.knowledge import KNOWLEDGE_DIR, KnowledgeError
from marsad.knowledge.places import Country, Gazetteer, Place, gazetteer, slug


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of the bundled file only (no analyst extension), to check the shipped data."""
    with (KNOWLEDGE_DIR / name).open(encoding="utf-8", newline="") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


# -- data integrity -------------------------------------------------------------------------------

def test_counts(g: Gazetteer) -> None:
    assert len(list(g.countries())) >= 240
    assert len(list(g.places())) >= 400


def test_country_rows_well_formed() -> None:
    rows = _rows("countries.tsv")
    assert all(len(r) == 11 and None not in r for r in rows)
    iso3 = [r["iso3"] for r in rows]
    assert len(iso3) == len(set(iso3))
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in iso3)
    iso2 = [r["iso2"] for r in rows]
    assert len(iso2) == len(set(iso2))
    assert all(r["name_ar"].strip() and r["name_en"].strip() and r["region"] for r in rows)
    ids = [slug(r["name_en"]) for r in rows]
    assert len(ids) == len(set(ids)), "two countries would share an entity id"


def test_many_demonyms_and_capitals() -> None:
    rows = _rows("countries.tsv")
    assert sum(1 for r in rows if r["demonym_m"]) >= 80
    assert sum(1 for r in rows if r["capital_ar"]) >= 190
    assert all(bool(r["capital_ar"]) == bool(r["capital_en"]) for r in rows)


def test_place_rows_well_formed(g: Gazetteer) -> None:
    rows = _rows("places.tsv")
    assert all(len(r) == 8 and None not in r for r in rows)
    ids = [r["id"] for r in rows]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup
    known = {c.iso3 for c in g.countries()}
    for r in rows:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", r["id"]), r["id"]
        assert r["type"] in {"GPE", "LOC", "FAC", "EVENT"}, r["id"]
        assert r["name_ar"].strip(), r["id"]
        assert r["country"] in known or r["country"] == "", r["id"]
        assert not r["wikidata"] or re.fullmatch(r"Q\d+", r["wikidata"]), r["id"]
        assert not r["parent"] or g.entity(r["parent"]) is not None, (r["id"], r["parent"])


def test_place_ids_do_not_clash_with_country_ids(g: Gazetteer) -> None:
    country_ids = {c.id for c in g.countries()}
    assert not country_ids & {p.id for p in g.places()}


def test_every_capital_is_a_place(g: Gazetteer) -> None:
    for c in g.countries():
        if c.capital_ar:
            cap = g.capital(c.iso3)
            assert cap is not None and cap.type == "GPE" and cap.country == c.iso3, c.iso3


def test_no_demonym_points_to_two_countries(g: Gazetteer) -> None:
    seen: dict[str, str] = {}
    for c in g.countries():
        for form in c.demonyms():
            assert seen.setdefault(form, c.iso3) == c.iso3, form


# -- lookup ---------------------------------------------------------------------------------------

def test_lookup_country(g: Gazetteer) -> None:
    hits = g.lookup("تركيا")
    assert isinstance(hits[0], Country) and hits[0].iso3 == "TUR"
    assert g.lookup("أمريكا")[0].iso3 == "USA"
    assert g.lookup("اميركا")[0].iso3 == "USA"
    assert g.lookup("السعودية")[0].iso3 == "SAU"
    assert g.lookup("اسرائيل")[0].iso3 == "ISR"
    assert g.lookup("الامارات العربية المتحدة")[0].iso3 == "ARE"


@pytest.mark.parametrize("name", ["الدوحة", "الدوحه", "الدوحةُ", "دوحة"])
def test_lookup_doha(g: Gazetteer, name: str) -> None:
    hits = g.lookup(name)
    assert hits and hits[0].id == "doha" and hits[0].country == "QAT" and hits[0].type == "GPE"


@pytest.mark.parametrize("name", ["أنقرة", "انقرة", "آنقره"])
def test_lookup_ankara(g: Gazetteer, name: str) -> None:
    hits = g.lookup(name)
    assert [h.id for h in hits] == ["ankara"] and hits[0].country == "TUR"


def test_lookup_spelling_variants(g: Gazetteer) -> None:
    for name in ("اسطنبول", "إسطنبول", "استانبول"):
        assert g.lookup(name)[0].id == "istanbul"
    assert g.lookup("مصراتة")[0].id == "misrata"
    assert g.lookup("قاعدة العديد")[0].type == "FAC"
    assert g.lookup("مونديال 2022")[0].id == "fifa_world_cup_2022"
    assert g.lookup("البحر المتوسط")[0].type == "LOC"


def test_tripoli_is_ambiguous(g: Gazetteer) -> None:
    hits = g.lookup("طرابلس")
    assert [h.id for h in hits] == ["tripoli_libya", "tripoli_lebanon"]
    assert [h.country for h in hits] == ["LBY", "LBN"]


def test_lookup_unknown_and_empty(g: Gazetteer) -> None:
    assert g.lookup("") == []
    assert g.lookup("كلمةغيرموجودة") == []


def test_article_only_for_names_that_take_it(g: Gazetteer) -> None:
    assert g.lookup("القطر")[0].iso3 == "QAT"  # fallback: article stripped from the query
    keys = {k for k, _ in g.names(bare=True)}
    assert "دوحه" in keys and "الدوحه" in keys
    assert "المانيا" in keys and "مانيا" not in keys  # أ of ألمانيا is not the article
    assert "رياض" not in keys  # everyday word, never indexed bare
    assert "دوحه" not in {k for k, _ in g.names()}


# -- countries as entities ------------------------------------------------------------------------

def test_country_ids(g: Gazetteer) -> None:
    expected = {"TUR": "turkey", "QAT": "qatar", "USA": "united_states", "SAU": "saudi_arabia",
                "ARE": "united_arab_emirates", "GBR": "united_kingdom", "PSE": "palestine"}
    for iso3, cid in expected.items():
        assert g.country_id(iso3) == cid
        e = g.entity(cid)
        assert e is not None and e.type == "GPE" and e.country == iso3
    with pytest.raises(KeyError):
        g.country_id("XXX")


def test_country_as_place(g: Gazetteer) -> None:
    qat = g.country("QAT")
    assert qat is not None
    p = qat.as_place()
    assert isinstance(p, Place) and p.id == "qatar" and p.type == "GPE" and p.country == "QAT"
    assert g.capital("QAT").id == "doha"


def test_load_is_cached(g: Gazetteer) -> None:
    assert Gazetteer.load() is g is gazetteer()


# -- demonyms -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "iso3"), [
    ("التركية", "TUR"), ("التركي", "TUR"), ("الأتراك", "TUR"), ("تركية", "TUR"),
    ("الأمريكيين", "USA"), ("الأميركية", "USA"), ("أمريكي", "USA"),
    ("القطري", "QAT"), ("القطريين", "QAT"), ("السعودية", "SAU"), ("المصريون", "EGY"),
    ("البريطانية", "GBR"), ("الإسرائيليين", "ISR"), ("الألماني", "DEU"), ("ألمانية", "DEU"),
    ("الروس", "RUS"), ("المغاربة", "MAR"), ("الكوري الجنوبي", "KOR"), ("الكورية الشمالية", "PRK"),
    ("الإيرانية", "IRN"), ("الليبي", "LBY"), ("الفرنسية", "FRA"), ("الصينية", "CHN"),
])
def test_demonym(g: Gazetteer, word: str, iso3: str) -> None:
    assert g.demonym(word) == iso3


@pytest.mark.parametrize("word", ["", "المالية", "مالي", "القمري", "الكوري", "الحكومة"])
def test_demonym_none(g: Gazetteer, word: str) -> None:
    assert g.demonym(word) is None


# -- loader validation ----------------------------------------------------------------------------

def test_bad_analyst_row_is_reported(tmp_path, monkeypatch) -> None:
    (tmp_path / "places.tsv").write_text(
        "id\ttype\tname_ar\tvariants\tname_en\tcountry\twikidata\tparent\n"
        "my_town\tGPE\tبلدتي\t\tMy Town\tZZZ\t\t\n", encoding="utf-8")
    monkeypatch.setenv("MARSAD_KNOWLEDGE", str(tmp_path))
    with pytest.raises(KnowledgeError, match="my_town"):
        Gazetteer.read()


def test_analyst_rows_extend_the_gazetteer(tmp_path, monkeypatch) -> None:
    (tmp_path / "places.tsv").write_text(
        "id\ttype\tname_ar\tvariants\tname_en\tcountry\twikidata\tparent\n"
        "my_town\tGPE\tبلدتي\t\tMy Town\tQAT\t\t\n", encoding="utf-8")
    monkeypatch.setenv("MARSAD_KNOWLEDGE", str(tmp_path))
    hits = Gazetteer.read().lookup("بلدتي")
    assert [h.id for h in hits] == ["my_town"]
