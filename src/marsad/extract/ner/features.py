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
_ARABIC_LETTERS = re.compile(r"[\u0621-\u063A\u0641-\u064A]+")


def _by_length(affixes: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """Affixes grouped by length, longest first: one slice and set test per length instead of a
    ``startswith`` per affix (runs once per distinct word)."""
    return tuple((k, frozenset(a for a in affixes if len(a) == k))
                 for k in sorted({len(a) for a in affixes}, reverse=True))


_PRO_BY_LEN = _by_length(_PROCLITICS)
_ENC_BY_LEN = _by_length(_ENCLITICS)


def strip_proclitics(norm: str) -> str:
    """Longest proclitic chain (including the article) removed, keeping at least two letters, so
    والرئيس, بالرئيس, للرئيس and WikiFANE's split و + الرئيس all share the stem رييس."""
    n = len(norm)
    for k, chains in _PRO_BY_LEN:
        if n - k >= 2 and norm[:k] in chains:
            return norm[k:]
    return norm


def strip_enclitic(stem: str) -> str:
    """Pronoun suffix removed when the remainder keeps three letters (noisy, used as a back-off)."""
    n = len(stem)
    for k, suffixes in _ENC_BY_LEN:
        if n - k >= 3 and stem[-k:] in suffixes:
            return stem[:-k]
    return stem


def shape(word: str) -> str:
    """Coarse orthographic class of a raw token."""
    if _ARABIC_LETTERS.fullmatch(word):  # most tokens: one regex instead of four
        return "A"
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


# Attribute templates that share a value: one look-up per value gives the model rows of all.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "n": ("n", "-1:n", "1:n"),
    "s": ("s", "-2:s", "-1:s", "1:s", "2:s"),
    "c": ("c", "-1:c", "1:c"),
    "sh": ("sh", "-2:sh", "-1:sh", "1:sh", "2:sh"),
    "k0": ("k0", "-1:k0", "1:k0"),
    "k1": ("k1", "-2:k1", "-1:k1", "1:k1", "2:k1"),
    "k2": ("k2", "-2:k2", "-1:k2", "1:k2", "2:k2"),
    "tr": ("tr", "-1:tr", "1:tr"),
    "gz": ("gz", "-2:gz", "-1:gz", "1:gz", "2:gz"),
    "x2": ("-1:x2", "1:x2"),
}
_ZERO = (0, 0, 0, 0, 0)


class WordRows:
    """A word's :class:`WordFeatures` as model rows (``attrs``: attribute -> row id > 0), without
    building the ~70 strings: templates that share a value are looked up together, and so are
    the rows of each cluster-id tuple.  Same attributes in the same order, with row 0 (no weight)
    for unknown ones and as padding to fixed widths; it mirrors :class:`WordFeatures` (the tests
    compare the two on many words).
    """

    def __init__(self, attrs: Mapping[str, int], clusters: Mapping[str, tuple[str, ...]],
                 gazetteer: Mapping[str, str] | None) -> None:
        self.gazetteer = gazetteer or {}
        tags = max((v.count("|") + 1 for v in self.gazetteer.values() if v), default=0)
        levels = max((len(v) for v in clusters.values()), default=1) or 1
        #: widths of the five parts: own attributes (7 + 16 affixes + proclitic chain + clusters
        #: + trigger + tags), then what a word gives the tokens 2, 1 before and 1, 2 after it
        self.widths = (25 + levels + tags, 4 + tags, 9 + tags, 9 + tags, 4 + tags)
        self._zeros = (0,) * max(self.widths)
        self._no_tags = (0,) * tags
        by_template: dict[str, dict[str, int]] = {}
        for name, row in attrs.items():
            template, eq, value = name.partition("=")
            if eq:
                by_template.setdefault(template, {})[value] = row
        self.bias = attrs.get("b", 0)

        def family(*templates: str) -> dict[str, tuple[int, ...]]:
            tables = [by_template.get(t, {}) for t in templates]
            return {v: tuple(t.get(v, 0) for t in tables) for v in set().union(*tables)}

        self.n, self.s, self.c, self.sh, self.x2, self.tr, self.gz = (
            family(*_FAMILIES[f]) for f in ("n", "s", "c", "sh", "x2", "tr", "gz"))
        self.len = tuple(by_template.get("len", {}).get(str(k), 0) for k in range(11))
        self.al = tuple(by_template.get("al", {}).get(str(b), 0) for b in (False, True))
        self.pc = by_template.get("pc", {})
        # the k-letter prefix of the word and of its stem, and their common k-letter suffix
        self.affixes = tuple((k, family(f"p{k}", f"sp{k}"), family(f"x{k}", f"sx{k}")) for k in (1, 2, 3, 4))
        self.k0, self.k1, self.k2 = (family(*_FAMILIES[f]) for f in ("k0", "k1", "k2"))
        self.templates = by_template
        self.clusters = clusters
        self._cluster_rows: dict[tuple[str, ...], tuple] = {}  # at most one entry per table row

    def cluster_rows(self, c: tuple[str, ...]) -> tuple:
        """Rows of a word's own cluster attributes, the k0, k1 and k2 families' rows, and k1."""
        rows = self._cluster_rows.get(c)
        if rows is None:
            c0, c1, c2 = (c + ("-", "-", "-"))[:3]
            r0, r1, r2 = self.k0.get(c0, _ZERO), self.k1.get(c1, _ZERO), self.k2.get(c2, _ZERO)
            own = (r0[0], r1[0], r2[0])[: len(c) or 1]
            own += tuple(self.templates.get(f"k{p}", {}).get(x, 0) for p, x in enumerate(c[3:], 3))
            rows = self._cluster_rows[c] = (own, r0, r1, r2, c1)
        return rows

    def __call__(self, n: str, word_shape: str) -> tuple[list[int], str, str]:
        """For a word with ``normalize()`` form ``n`` and ``shape()`` ``word_shape`` (its features
        depend on nothing else): the rows of its own attributes followed by those of what it
        gives the tokens 2 and 1 before and 1 and 2 after it (each part padded to
        :attr:`widths`), then its stem and coarse cluster (for the bigram attributes)."""
        s = strip_proclitics(n)
        core = strip_enclitic(s)
        c = self.clusters.get(n)
        if c is None:
            c = self.clusters.get(s)
        if c is None:
            c = self.clusters.get(core, ())
        own_k, rk0, rk1, rk2, k1 = self.cluster_rows(c)
        rn = self.n.get(n, _ZERO)
        rs = self.s.get(s, _ZERO)
        rc = self.c.get(core, _ZERO)
        rsh = self.sh.get(word_shape, _ZERO)
        rx2 = self.x2.get(n[-2:], _ZERO)
        trig = _TRIGGERS.get(s) or _TRIGGERS.get(n)
        rtr = self.tr.get(trig, _ZERO) if trig else _ZERO
        ln, ls = len(n), len(s)
        rows = [self.bias, rn[0], rs[0], rc[0], rsh[0], self.len[min(ln, 10)], self.al[n != s]]
        if s == n:
            for k, pre, suf in self.affixes:
                if ln > k:
                    p = pre.get(n[:k], _ZERO)
                    x = suf.get(n[-k:], _ZERO)
                    rows += (p[0], x[0], p[1], x[1])
        else:
            for k, pre, suf in self.affixes:
                if ln > k:
                    x = suf.get(n[-k:], _ZERO)
                    rows += (pre.get(n[:k], _ZERO)[0], x[0])
                    if ls > k:
                        rows += (pre.get(s[:k], _ZERO)[1], x[1])
            rows.append(self.pc.get(n[: ln - ls], 0))
        rows += own_k
        rows.append(rtr[0])
        gz = self.gazetteer.get(s) or self.gazetteer.get(n)
        if gz:
            g = [self.gz.get(tag, _ZERO) for tag in gz.split("|")]
            t0, t1, t2, t3, t4 = ([r[i] for r in g] + [0] * (len(self._no_tags) - len(g)) for i in range(5))
        else:
            t0 = t1 = t2 = t3 = t4 = self._no_tags
        rows += t0
        rows += self._zeros[: self.widths[0] - len(rows)]
        rows += (rs[1], rsh[1], rk1[1], rk2[1], *t1,
                 rs[2], rsh[2], rk1[2], rk2[2], rn[1], rx2[0], rk0[1], rc[1], rtr[1], *t2,
                 rs[3], rsh[3], rk1[3], rk2[3], rn[2], rx2[1], rk0[2], rc[2], rtr[2], *t3,
                 rs[4], rsh[4], rk1[4], rk2[4], *t4)
        return rows, s, k1


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
    """Attribute lists for every token of a sentence (training's input); ``cache`` (word →
    WordFeatures) can be shared across sentences, so each distinct word is analysed once."""
    if cache is None:
        cache = {}
    feats = []
    for w in words:
        wf = cache.get(w)
        if wf is None:
            wf = cache[w] = WordFeatures(TokenInfo(w, clusters), gazetteer)
        feats.append(wf)
    return [_window_features(feats, i) for i in range(len(feats))]
