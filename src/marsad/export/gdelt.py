"""GDELT 2.0 event table (the 61 columns of ``*.export.CSV``, tab-separated, no header unless asked).

One row per corpus event.  Choices, where marsad knows less or other than GDELT:

- ``GLOBALEVENTID``: a stable integer from the corpus event id (SHA-1, 15 digits).
- Dates: ``SQLDATE`` is the event date, padded with 01 for month/year precision; undated events
  take the date of their first report.  ``DATEADDED`` is the corpus build time (YYYYMMDDHHMMSS).
- Actor1/Actor2: the first actor and the first recipient.  ``ActorCode`` is CAMEO-style: the ISO3
  country plus the sector code (``TURGOV``, ``QATMIL``); ``ActorName`` the upper-case Latin name
  (Arabic when none); ``ActorCountryCode`` ISO3; ``ActorType1Code`` the sector.  Known-group,
  ethnic, religion and type 2/3 codes stay empty.
- ``EventCode``/``EventBaseCode``/``EventRootCode`` from the record's ``cameo``; ``QuadClass`` and
  ``GoldsteinScale`` from ``knowledge/cameo_goldstein.tsv`` (full code, then base, then root).
- ``IsRootEvent`` 1 when the first report's evidence is the lead sentence.  ``NumMentions``
  evidence sentences, ``NumSources`` independent outlets, ``NumArticles`` documents.  ``AvgTone``
  is empty (marsad measures framing, not tone).
- Geo: ``Actor*Geo`` is the actor's country (type 1); ``ActionGeo`` the event place (type 1 for a
  country, 4 for a city or other place, with ``FullName`` "Doha, Qatar").  Geo country codes are
  FIPS 10-4 as in GDELT (``knowledge/fips_countries.tsv``); ADM codes, lat/long, feature ids empty.
- ``SOURCEURL``: the URL of the first report (its document id when it has none).
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.knowledge import read_tsv
from marsad.resolve.events import place_gazetteer
from marsad.store.corpus import Corpus

COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
assert len(COLUMNS) == 61


@lru_cache(maxsize=1)
def goldstein_table() -> dict[str, tuple[float, int]]:
    return {
        r["code"]: (float(r["goldstein"]), int(r["quadclass"]))
        for r in read_tsv("cameo_goldstein.tsv", ["code", "goldstein", "quadclass"])
    }


@lru_cache(maxsize=1)
def fips_table() -> dict[str, str]:
    return {r["iso3"]: r["fips"] for r in read_tsv("fips_countries.tsv", ["iso3", "fips"])}


def goldstein(cameo: str | None) -> tuple[float | None, int | None]:
    """(GoldsteinScale, QuadClass) of a CAMEO code: the full code, then its base, then its root."""
    if not cameo:
        return None, None
    table = goldstein_table()
    for key in (cameo, cameo[:3], cameo[:2]):
        if key in table:
            return table[key]
    return None, None


def actor_code(p: dict[str, Any]) -> str:
    return f"{p.get('country') or ''}{p.get('sector') or ''}"


def _country_name(iso3: str | None) -> str:
    gz = place_gazetteer()
    c = gz.country(iso3) if gz is not None and iso3 else None
    return c.name_en if c is not None else (iso3 or "")


def _actor(p: dict[str, Any]) -> list[str]:
    if not p:
        return [""] * 10
    name = (p.get("name_en") or p.get("name") or "").upper()
    return [actor_code(p), name, p.get("country") or "", "", "", "", "", p.get("sector") or "", "", ""]


def _geo(iso3: str | None, full_name: str | None = None, typ: int = 1) -> list[str]:
    if not iso3 and not full_name:
        return [""] * 8
    return [str(typ), full_name or _country_name(iso3), fips_table().get(iso3 or "", ""), "", "", "", "", ""]


def _dates(e: dict[str, Any]) -> tuple[date | None, str]:
    raw = e.get("date") or (e.get("first_report_date") or "")
    parts = (raw or "")[:10].split("-")
    try:
        d = date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None, raw
    return d, raw


def gdelt_row(e: dict[str, Any], date_added: str) -> list[str]:
    d, _ = _dates(e)
    gid = int(hashlib.sha1(e["id"].encode("utf-8")).hexdigest(), 16) % 10**15
    if d is not None:
        frac = d.year + (d.timetuple().tm_yday - 1) / 365.0
        dcols = [d.strftime("%Y%m%d"), d.strftime("%Y%m"), str(d.year), f"{frac:.4f}"]
    else:
        dcols = ["", "", "", ""]
    a = e["actors"][0] if e["actors"] else {}
    r = e["recipients"][0] if e["recipients"] else {}
    cameo = e.get("cameo") or ""
    gs, quad = goldstein(cameo)
    fe = e.get("first_evidence") or {}
    loc = e.get("location") or {}
    if loc:
        gz = place_gazetteer()
        c = gz.country(loc.get("country") or "") if gz is not None else None
        is_country = c is not None and loc.get("id") == c.id
        name = loc.get("name_en") or loc.get("name") or ""
        full = name if is_country else ", ".join(x for x in (name, _country_name(loc.get("country"))) if x)
        action_geo = _geo(loc.get("country"), full, 1 if is_country else 4)
    else:
        action_geo = [""] * 8
    return [
        str(gid),
        *dcols,
        *_actor(a),
        *_actor(r),
        "1" if fe.get("sentence") == 0 else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        "" if quad is None else str(quad),
        "" if gs is None else f"{gs:.1f}",
        str(e["n_mentions"]),
        str(e["n_sources"]),
        str(e["n_documents"]),
        "",
        *_geo(a.get("country")),
        *_geo(r.get("country")),
        *action_geo,
        date_added,
        e.get("source_url") or "",
    ]


def gdelt_rows(corpus: Corpus) -> list[list[str]]:
    ov_built = corpus.conn.execute("SELECT value FROM corpus_meta WHERE key='built_at'").fetchone()
    built = ov_built[0] if ov_built else ""
    date_added = "".join(ch for ch in built[:19] if ch.isdigit()).ljust(14, "0") if built else ""
    rows = []
    for summary in corpus.all_events():
        full = corpus.event(summary["id"]) or summary
        mentions = full.get("mentions") or []
        first = mentions[0] if mentions else {}
        summary["first_report_date"] = first.get("date")
        summary["source_url"] = first.get("url") or first.get("doc_id") or ""
        rows.append(gdelt_row(summary, date_added))
    return rows


def export_gdelt(corpus: Corpus, out: Path, header: bool = False) -> Path:
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        if header:
            w.writerow(COLUMNS)
        for row in gdelt_rows(corpus):
            w.writerow([c.replace("\t", " ").replace("\n", " ") for c in row])
    return out
