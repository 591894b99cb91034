"""Token features for the CRF NER tagger.

Runtime tokens are raw news words (clitics attached, hamza kept); WikiFANE is clitic-split and
alef-normalised.  Every lexical feature is therefore computed on the ``normalize()`` key and on a
clitic-stripped *stem* of it, so both spellings of a word share most of their features, and the
word-cluster table is keyed on the same forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from marsad.text.normalize import normalize

# Proclitic chains (longest first), on normalised text.  "لل" is ل + ال with the alef dropped.
_PROCLITICS: tuple[str, ...] = (
    "وبال", "وكال", "فبال",
    "وال", "فال", "بال", "كال", "ولل", "فلل",
    "لل", "ال", "وب", "ول", "وك", "فب", "فل", "وس",
    "و", "ف", "ب", "ل", "ك",
)
_ENCLITICS: tuple[str, ...] = ("هما", "كما", "هم", "هن", "كم", "نا", "ها", "ه", "ك")

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"^[^\w]+$")


def strip_proclitics(norm: str) -> str:
    """Longest proclitic chain (including the article) removed, keeping at least two letters, so
    والرئيس, بالرئيس, للرئيس and WikiFANE's split و + الرئيس all share the stem رييس."""
    for p in _PROCLITICS:
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            return norm[len(p):]
    return norm


def strip_enclitic(stem: str) -> str:
    """Pronoun suffix removed when the remainder keeps three letters (noisy, used as a back-off)."""
    for s in _ENCLITICS:
        if stem.endswith(s) and len(stem) - len(s) >= 3:
            return stem[: -len(s)]
    return stem


def shape(word: str) -> str:
    """Coarse orthographic class of a raw token."""
    if _PUNCT.match(word):
        return "P"
    has_ar = bool(_ARABIC.search(word))
    has_lat = bool(_LATIN.search(word))
    has_dig = bool(_DIGIT.search(word))
    if has_dig and not (has_ar or has_lat):
        return "D"
    if has_lat:
        return "LD" if has_dig else ("Lu" if word[:1].isupper() else "L")
    if has_ar:
        return "AD" if has_dig else "A"
    return "O"


# Words that typically precede (title, role, kind of place/organisation) or follow a name.
_TRIGGERS: dict[str, str] = {}
for _w in ("الرييس", "رييس", "وزير", "الوزير", "الملك", "الامير", "امير", "الشيخ", "السيد", "السيده",
           "الدكتور", "د", "النايب", "المستشار", "الجنرال", "العقيد", "اللواء", "العميد", "الفريق",
           "المتحدث", "الناطق", "المبعوث", "السفير", "الزعيم", "القايد", "المرشد", "البابا", "الحاج",
           "المدرب", "اللاعب", "الفنان", "الفنانه", "الكاتب", "الشاعر", "الاستاذ", "المهندس", "الامام",
           "الرياسه", "نايب", "مساعد", "وزيره", "رييسه", "زعيم", "قايد", "الرييسه", "المستشاره",
           "الملكه", "الاميره", "السلطان", "ولي", "الراحل", "الشهيد", "الصحافي", "الصحفي", "المخرج",
           "المطرب", "المطربه", "النجم", "النجمه", "بن", "ابن", "بنت", "ابو", "ام", "عبد"):
    _TRIGGERS[_w] = "PER"
for _w in ("مدينه", "المدينه", "دوله", "ولايه", "محافظه", "منطقه", "جزيره", "جزر", "عاصمه", "العاصمه",
           "قريه", "بلده", "اقليم", "مقاطعه", "بحر", "نهر", "جبل", "جبال", "مطار", "ميناء",
           "شارع", "حي", "مخيم", "جمهوريه", "مملكه", "اماره", "سلطنه", "بلاد", "قطاع", "الضفه", "شمال",
           "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي"):
    _TRIGGERS[_w] = "LOC"
for _w in ("شركه", "الشركه", "وكاله", "جامعه", "حزب", "حركه", "منظمه", "مجلس", "هييه", "مجموعه",
           "بنك", "مصرف", "صحيفه", "جريده", "مجله", "قناه", "اذاعه", "نادي", "فريق", "منتخب", "اتحاد",
           "جمعيه", "مؤسسه", "موسسه", "معهد", "مركز", "وزاره", "محكمه", "لجنه", "جبهه", "تنظيم",
           "ميليشيا", "جيش", "كتايب", "مستشفى", "مستشفي", "برلمان", "صندوق", "تحالف", "ايتلاف", "رابطه",
           "نقابه", "اكاديميه", "كليه", "مدرسه", "الامم", "الاتحاد", "مجمع"):
    _TRIGGERS[_w] = "ORG"
for _w in ("قال", "قالت", "اكد", "اكدت", "اعلن", "اعلنت", "اضاف", "اضافت", "صرح", "ذكر", "ذكرت",
           "اوضح", "اوضحت", "اشار", "اشارت", "افاد", "افادت", "التقى", "استقبل", "بحث", "دعا", "طالب"):
    _TRIGGERS[_w] = "SAY"


class TokenInfo:
    """Pre-computed per-token forms shared by the window features."""

    __slots__ = ("raw", "norm", "stem", "core", "shape", "clusters")

    def __init__(self, raw: str, clusters: Mapping[str, tuple[str, ...]]) -> None:
        self.raw = raw
        self.norm = normalize(raw)
        self.stem = strip_proclitics(self.norm)
        self.core = strip_enclitic(self.stem)
        self.shape = shape(raw)
        c = clusters.get(self.norm)
        if c is None:
            c = clusters.get(self.stem)
        if c is None:
            c = clusters.get(self.core, ())
        self.clusters = c  # cluster ids, coarse to fine


def _cl(info: TokenInfo, n: int) -> str:
    c = info.clusters
    return c[n] if len(c) > n else "-"


class WordFeatures:
    """Everything a word contributes to its own and its neighbours' feature lists.

    News vocabulary is Zipfian, so computing this once per distinct word (see
    :func:`sentence_features`) instead of once per token makes tagging several times faster; the
    features are exactly those of the per-token definition in :func:`token_features`.
    """

    __slots__ = ("info", "own", "near", "stem", "k1")

    def __init__(self, info: TokenInfo, gazetteer: Mapping[str, str] | None) -> None:
        self.info = info
        self.stem = info.stem
        self.k1 = _cl(info, 1)
        self.own = tuple(_own_features(info, gazetteer))
        self.near = {off: tuple(_neighbour_features(info, off, gazetteer)) for off in (-2, -1, 1, 2)}


def _own_features(t: TokenInfo, gazetteer: Mapping[str, str] | None) -> list[str]:
    n, s = t.norm, t.stem
    f = [
        "b",
        "n=" + n,
        "s=" + s,
        "c=" + t.core,
        "sh=" + t.shape,
        "len=" + str(min(len(n), 10)),
        "al=" + str(n != s),
    ]
    for k in (1, 2, 3, 4):
        if len(n) > k:
            f.append(f"p{k}=" + n[:k])
            f.append(f"x{k}=" + n[-k:])
        if len(s) > k:
            f.append(f"sp{k}=" + s[:k])
            f.append(f"sx{k}=" + s[-k:])
    if s != n:
        f.append("pc=" + n[: len(n) - len(s)])
    for p in range(len(t.clusters) or 1):
        f.append(f"k{p}=" + _cl(t, p))
    trig = _TRIGGERS.get(s) or _TRIGGERS.get(n)
    if trig:
        f.append("tr=" + trig)
    if gazetteer:
        g = gazetteer.get(s) or gazetteer.get(n)
        if g:
            f.extend("gz=" + x for x in g.split("|"))
    return f


def _neighbour_features(u: TokenInfo, off: int, gazetteer: Mapping[str, str] | None) -> list[str]:
    """What word ``u`` contributes to the token ``off`` positions away from it."""
    f = [f"{off}:s=" + u.stem, f"{off}:sh=" + u.shape, f"{off}:k1=" + _cl(u, 1), f"{off}:k2=" + _cl(u, 2)]
    g = (gazetteer.get(u.stem) or gazetteer.get(u.norm)) if gazetteer else None
    if g and abs(off) == 2:
        f.extend(f"{off}:gz=" + x for x in g.split("|"))
    if abs(off) == 1:
        f.append(f"{off}:n=" + u.norm)
        f.append(f"{off}:x2=" + u.norm[-2:])
        f.append(f"{off}:k0=" + _cl(u, 0))
        f.append(f"{off}:c=" + u.core)
        trig = _TRIGGERS.get(u.stem) or _TRIGGERS.get(u.norm)
        if trig:
            f.append(f"{off}:tr=" + trig)
        if g:
            f.extend(f"{off}:gz=" + x for x in g.split("|"))
    return f


def _window_features(words: Sequence[WordFeatures], i: int) -> list[str]:
    f = list(words[i].own)
    for off in (-2, -1, 1, 2):
        j = i + off
        if j < 0:
            f.append(f"{off}:BOS")
        elif j >= len(words):
            f.append(f"{off}:EOS")
        else:
            f.extend(words[j].near[off])
    s, k1 = words[i].stem, words[i].k1
    if i > 0:
        f.append("-1|0=" + words[i - 1].stem + "|" + s)
        f.append("-1|0k=" + words[i - 1].k1 + "|" + k1)
    if i + 1 < len(words):
        f.append("0|1=" + s + "|" + words[i + 1].stem)
        f.append("0|1k=" + k1 + "|" + words[i + 1].k1)
    return f


def token_features(infos: Sequence[TokenInfo], i: int, gazetteer: Mapping[str, str] | None = None) -> list[str]:
    """CRFsuite attribute strings for token ``i`` (the reference definition; training uses it)."""
    words = [WordFeatures(t, gazetteer) for t in infos[max(0, i - 2): i + 3]]
    return _window_features(words, min(i, 2))


def sentence_features(words: Sequence[str], clusters: Mapping[str, tuple[str, ...]],
                      gazetteer: Mapping[str, str] | None = None,
                      cache: dict[str, WordFeatures] | None = None) -> list[list[str]]:
    """Attribute lists for every token of a sentence; ``cache`` (word → WordFeatures) is reused
    across sentences by the tagger, so each distinct word is analysed once."""
    if cache is None:
        cache = {}
    feats = []
    for w in words:
        wf = cache.get(w)
        if wf is None:
            wf = cache[w] = WordFeatures(TokenInfo(w, clusters), gazetteer)
        feats.append(wf)
    return [_window_features(feats, i) for i in range(len(feats))]
