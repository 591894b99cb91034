"""The actor KB: data quality of actors.yaml / offices.tsv / agents.tsv and the lookup API."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
import yaml

from marsad.knowledge import KNOWLEDGE_DIR, KnowledgeError, read_tsv
from marsad.knowledge.actors import SECTORS, ActorKB, actor_kb
from marsad.text.normalize import normalize


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return actor_kb()


def _ids(actors) -> list[str]:
    return [a.id for a in actors]


def test_size_ids_sectors(kb: ActorKB) -> None:
    assert len(kb) >= 500
    raw = yaml.safe_load((KNOWLEDGE_DIR / "actors.yaml").read_text(encoding="utf-8"))
    ids = [e["id"] for e in raw]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for a in kb:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", a.id), a.id
        assert a.sector is None or a.sector in SECTORS, a.id
        assert a.type in {"PER", "ORG"}
        assert a.wikidata is None or re.fullmatch(r"Q\d+", a.wikidata), a.id
        assert a.country is None or re.fullmatch(r"[A-Z]{3}", a.country), a.id


def test_gold_ids_present(kb: ActorKB) -> None:
    for i in [
        "erdogan",
        "hulusi_akar",
        "tamim_al_thani",
        "qna",
        "mit",
        "suleyman_soylu",
        "mustafa_goksu",
        "khalifa_haftar",
        "fathi_bashagha",
        "khalid_al_attiyah",
        "havelsan",
        "le_figaro",
        "rt",
        "muslim_brotherhood",
        "gna",
        "qatar_central_bank",
        "turkey_central_bank",
        "amiri_diwan",
    ]:
        assert kb.get(i) is not None, i


def test_lookup_spelling_variants(kb: ActorKB) -> None:
    assert _ids(kb.lookup("آكار")) == ["hulusi_akar"]
    assert _ids(kb.lookup("أكار")) == ["hulusi_akar"]
    assert _ids(kb.lookup("خلوصي آكار")) == ["hulusi_akar"]
    assert _ids(kb.lookup("صويلو")) == ["suleyman_soylu"]
    assert _ids(kb.lookup("صولي")) == ["suleyman_soylu"]
    assert _ids(kb.lookup("كوكسو")) == ["mustafa_goksu"]
    assert _ids(kb.lookup("اردوغان")) == ["erdogan"]
    assert _ids(kb.lookup("إردوغان")) == ["erdogan"]
    assert _ids(kb.lookup("ترمب")) == ["donald_trump"]
    assert _ids(kb.lookup("نتانياهو")) == ["benjamin_netanyahu"]
    assert _ids(kb.lookup("تميم بن حمد")) == ["tamim_al_thani"]
    assert _ids(kb.lookup("وكالة الأنباء القطرية")) == ["qna"]
    assert _ids(kb.lookup("قسد")) == ["sdf"]
    assert _ids(kb.lookup("تنظيم الدولة")) == ["isis"]
    assert _ids(kb.lookup("Hulusi Akar")) == ["hulusi_akar"]
    assert kb.lookup("محمد") == []
    assert kb.lookup("آل ثاني") == []


def test_holder_by_date(kb: ActorKB) -> None:
    def h(office: str, on: date | None) -> str | None:
        a = kb.holder(office, on)
        return a.id if a else None

    assert h("USA.president", date(2018, 5, 1)) == "donald_trump"
    assert h("USA.president", date(2021, 6, 1)) == "joe_biden"
    assert h("USA.president", date(2012, 1, 1)) == "barack_obama"
    assert h("TUR.defence_minister", date(2020, 7, 19)) == "hulusi_akar"
    assert h("TUR.chief_of_staff", date(2016, 7, 15)) == "hulusi_akar"
    assert h("TUR.interior_minister", date(2020, 7, 19)) == "suleyman_soylu"
    assert h("TUR.mit_head", date(2019, 1, 1)) == "hakan_fidan"
    assert h("QAT.emir", date(2020, 1, 1)) == "tamim_al_thani"
    assert h("QAT.emir", date(2012, 1, 1)) == "hamad_bin_khalifa_al_thani"
    assert h("SAU.king", date(2020, 1, 1)) == "king_salman"
    assert h("SAU.crown_prince", date(2020, 1, 1)) == "mohammed_bin_salman"
    assert h("EGY.president", date(2020, 1, 1)) == "abdel_fattah_el_sisi"
    assert h("TUR.president", None) == "erdogan"
    assert h("TUR.president", date(1990, 1, 1)) is None


def test_office_by_title(kb: ActorKB) -> None:
    def o(title: str, country: str | None) -> str | None:
        off = kb.office_by_title(title, country)
        return off.key if off else None

    assert o("وزير الخارجية", "TUR") == "TUR.foreign_minister"
    assert o("وزير خارجية", "TUR") == "TUR.foreign_minister"
    assert o("وزير الدفاع", "TUR") == "TUR.defence_minister"
    assert o("وزير الدفاع الوطني", "TUR") == "TUR.defence_minister"
    assert o("أمير", "QAT") == "QAT.emir"
    assert o("العاهل", "SAU") == "SAU.king"
    assert o("ولي العهد", "SAU") == "SAU.crown_prince"
    assert o("رئيس الوزراء", "ISR") == "ISR.prime_minister"
    assert o("رئيس وزراء", "ISR") == "ISR.prime_minister"
    assert o("الأمين العام", None) == "UN.secretary_general"
    assert o("وزير الطاقة الذرية", "TUR") is None


def test_roles_and_offices_consistent(kb: ActorKB) -> None:
    keys = {o.key for o in kb.offices()}
    for a in kb:
        for r in a.roles:
            assert r.office in keys, (a.id, r.office)
            assert r.end is None or r.start is None or r.start <= r.end, (a.id, r.office)
    rows = list(read_tsv("offices.tsv", ["office", "country", "title_ar", "sector", "title_en"]))
    assert len(rows) == len(keys)
    assert all(r["sector"] in SECTORS for r in rows if r["sector"])


def test_no_unflagged_shared_variants(kb: ActorKB) -> None:
    by_key: dict[str, list] = {}
    for key, a in kb.names():
        by_key.setdefault(key, []).append(a)
    for key, acts in by_key.items():
        if len(acts) > 1:
            assert all(a.ambiguous for a in acts), (key, _ids(acts))
    for key, _ in kb.names():
        assert key == normalize(key) and len(key) >= 2


def test_agent_sector(kb: ActorKB) -> None:
    rows = list(read_tsv("agents.tsv", ["noun_ar", "sector", "note"]))
    assert len(rows) >= 60
    assert kb.agent_sector("المخابرات") == "SPY"
    assert kb.agent_sector("الاستخبارات") == "SPY"
    assert kb.agent_sector("المخابرات التركية") == "SPY"
    assert kb.agent_sector("الجيش") == "MIL"
    assert kb.agent_sector("قوات الأمن") == "COP"
    assert kb.agent_sector("الشرطة") == "COP"
    assert kb.agent_sector("البرلمان") == "LEG"
    assert kb.agent_sector("المعارضة") == "OPP"
    assert kb.agent_sector("المحتجين") == "CVL"
    assert kb.agent_sector("وكالة الأنباء") == "MED"
    assert kb.agent_sector("الطماطم") is None


def test_validation_errors_name_the_entry(tmp_path, monkeypatch) -> None:
    (tmp_path / "actors.yaml").write_text(
        "- {id: bad_guy, type: PER, name_ar: فلان الفلاني, sector: XXX}\n", encoding="utf-8"
    )
    monkeypatch.setenv("MARSAD_KNOWLEDGE", str(tmp_path))
    actor_kb.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="bad_guy.*XXX"):
            actor_kb()
        (tmp_path / "actors.yaml").write_text(
            "- {id: bad_guy, type: PER, name_ar: فلان الفلاني, roles: [{office: TUR.nonexistent}]}\n",
            encoding="utf-8",
        )
        with pytest.raises(KnowledgeError, match="TUR.nonexistent"):
            actor_kb()
        (tmp_path / "actors.yaml").write_text(
            "- {id: usurper, type: PER, name_ar: فلان الفلاني, roles: "
            "[{office: USA.president, start: 2019-01-01, end: 2019-06-01}]}\n",
            encoding="utf-8",
        )
        with pytest.raises(KnowledgeError, match="overlap"):
            actor_kb()
    finally:
        monkeypatch.delenv("MARSAD_KNOWLEDGE")
        actor_kb.cache_clear()
