"""Cross-document entity resolution: one corpus-wide id per real-world entity.

Extraction gives a known entity its KB / gazetteer id and an unknown one an id made from its
normalised name (``per:جورج_مالبرونو``), so the same spelling already shares an id across documents.
What remains is spelling variation (صويلو / صولي, مالبرونو / مالبرنو) and partial names
(تميم بن حمد ⊂ الشيخ تميم بن حمد آل ثاني).  This module merges those, conservatively:

1. KB / gazetteer ids are kept; two different KB ids never merge.
2. Unknown entities merge when their names are orthographic or transliteration variants
   (blocked on an Arabic consonant skeleton, confirmed with rapidfuzz), or when a person's name
   is a contiguous part of exactly one longer person's name in the corpus.
3. Never merged: different types, different known countries, names differing in a non-variant
   token (محمد بن سلمان / محمد بن زايد), a lone common given name (محمد), two names the
   transliteration dictionary knows as different names (حسن / حسين).
4. Analyst overrides in ``knowledge/resolution_overrides.tsv`` (merge / split) come first.

It is streaming-friendly: :class:`Collector` keeps one small summary per distinct entity (never
texts or per-document data), :meth:`Collector.resolve` clusters the summaries, and :func:`apply`
rewrites records in a second pass.  Every merge is explained (member id, rule, score).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

from marsad.knowledge import read_tsv
from marsad.resolve.transliterate import name_count, spellings, to_latin
from marsad.text.normalize import normalize

# --------------------------------------------------------------------------- thresholds

VARIANT_RATIO = 60.0  # fuzz.ratio of folded tokens with equal skeletons (صويلو/صولي = 67)
NEAR_RATIO = 85.0  # folded ratio for tokens whose skeletons differ slightly
NEAR_SKELETON = 80.0  # ... and the skeleton ratio they need
NEAR_MIN_LEN = 5  # ... only for tokens at least this long
MIN_TOKEN_LEN = 3  # shorter tokens must match exactly (after folding)
SINGLE_MIN_LEN = 4  # a one-word name must be at least this long to merge as a variant (جدي ≠ جاويد)
SINGLE_PLACE_RATIO = 85.0  # one-word places/organisations need this ratio (ساوند ≠ السند)
PARTIAL_TOKEN_MIN = 90.0  # every word of a partial name must match this well (جورج ميسون ⊄ هانز جورج ماسن)
COMMON_NAME = 50  # a word seen this often as a Wikidata name token is a common given name
KNOWN_NAME = 3  # two dictionary words seen this often with disjoint spellings are different names
BLOCK_CAP = 200  # compare at most this many nodes per blocking key (keeps the worst case linear)
MAX_FORMS = 3  # name forms per entity used for matching
CAP_NAMES, CAP_SURFACES, CAP_ROLES, CAP_DOCS = 32, 16, 12, 3

PER_TYPES = frozenset({"PER"})
_CONNECT_END = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ال", "ام", "عبد", "ولد"})
_CONNECT_START = frozenset({"ال"})  # آل ثاني alone is a family, not a person
_PATRONYMIC = frozenset({"بن", "ابن", "بنت"})

# Transliteration alternations folded for matching (normalize() already folds alef/ya/ta-marbuta).
_FOLD = str.maketrans({"ص": "س", "ث": "س", "ط": "ت", "ق": "ك", "ظ": "ز", "ض": "ز", "ذ": "ز", "ء": None,
                       "گ": "ك", "چ": "ج", "پ": "ب", "ڤ": "ف"})
_SKEL_FOLD = str.maketrans({"غ": "ج"})
_VOWELS = frozenset("اوي")
_NON_LETTER = re.compile(r"[^\w\s]|[\d_]")


# --------------------------------------------------------------------------- name keys


@cache
def honorifics() -> tuple[tuple[str, ...], ...]:
    """Honorific token sequences (normalised), longest first, from ``honorifics.tsv``."""
    seqs = {tuple(normalize(r["word"]).split()) for r in read_tsv("honorifics.tsv", ["word"]) if r["word"]}
    return tuple(sorted((s for s in seqs if s), key=lambda s: (-len(s), s)))


def _collapse(s: str) -> str:
    return "".join(c for i, c in enumerate(s) if i == 0 or c != s[i - 1])


def fold_token(tok: str) -> str:
    """Matching form of one normalised token: article dropped, alternations folded, doubles collapsed."""
    if tok.startswith("ال") and len(tok) >= 5:
        tok = tok[2:]
    return _collapse(tok.translate(_FOLD)) or tok


def skeleton(folded: str) -> str:
    """Blocking key of a folded token: first letter plus consonants (long vowels and a final ه
    dropped), so صويلو/صولي -> سل and مالبرونو/مالبرنو -> ملبرن."""
    s = folded.translate(_SKEL_FOLD)
    if len(s) > 2 and s.endswith("ه"):
        s = s[:-1]
    return _collapse(s[:1] + "".join(c for c in s[1:] if c not in _VOWELS)) or s


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name as tokens: normalised (for the dictionary), folded (for ratios), skeletons (for blocking)."""

    norm: tuple[str, ...]
    folded: tuple[str, ...]
    skel: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.norm)


@cache
def name_key(name: str, etype: str = "PER") -> NameKey:
    """The matching key of a name; a person's leading honorifics (الشيخ، الدكتور…) are removed."""
    n = _NON_LETTER.sub(" ", normalize(name))
    n = re.sub(r"(?<!\S)عبد\s+ال", "عبدال", n)
    toks = n.split()
    if etype in PER_TYPES:
        stripped = True
        while stripped and toks:
            stripped = False
            for h in honorifics():
                if len(toks) > len(h) and tuple(toks[: len(h)]) == h:
                    toks, stripped = toks[len(h):], True
                    break
    folded = tuple(fold_token(t) for t in toks)
    return NameKey(tuple(toks), folded, tuple(skeleton(f) for f in folded))


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def _different_names(a: str, b: str) -> bool:
    """True when the dictionary knows both words as names with no spelling in common (حسن/حسين)."""
    if name_count(a) < KNOWN_NAME or name_count(b) < KNOWN_NAME:
        return False
    return not ({_ascii(s) for s in spellings(a)} & {_ascii(s) for s in spellings(b)})


def token_score(a: NameKey, i: int, b: NameKey, j: int) -> float | None:
    """How well token i of ``a`` matches token j of ``b`` as a spelling variant (None: it does not)."""
    fa, fb = a.folded[i], b.folded[j]
    if fa == fb:
        return 100.0
    if min(len(fa), len(fb)) < MIN_TOKEN_LEN or _different_names(a.norm[i], b.norm[j]):
        return None
    ratio = fuzz.ratio(fa, fb)
    if a.skel[i] == b.skel[j] and ratio >= VARIANT_RATIO:
        return ratio
    if (min(len(fa), len(fb)) >= NEAR_MIN_LEN and ratio >= NEAR_RATIO
            and fuzz.ratio(a.skel[i], b.skel[j]) >= NEAR_SKELETON):
        return ratio
    return None


def is_common_alone(key: NameKey) -> bool:
    """A one-word name that is a common given name (محمد) names nobody in particular."""
    return len(key.norm) == 1 and (name_count(key.norm[0]) >= COMMON_NAME or len(key.folded[0]) < MIN_TOKEN_LEN)


def variant_score(a: NameKey, b: NameKey, etype: str = "PER") -> float | None:
    """Mean token score when two names have the same number of tokens, each a variant of the other.

    One-word names are weak evidence (many short words share a consonant skeleton), so they must be
    long enough, and places and organisations must be near-identical."""
    if len(a.norm) != len(b.norm) or not a.norm or is_common_alone(a) or is_common_alone(b):
        return None
    scores = []
    for i in range(len(a.norm)):
        s = token_score(a, i, b, i)
        if s is None:
            return None
        scores.append(s)
    if len(a.norm) == 1 and scores[0] < 100.0:
        if min(len(a.folded[0]), len(b.folded[0])) < SINGLE_MIN_LEN:
            return None
        if etype != "PER" and scores[0] < SINGLE_PLACE_RATIO:
            return None
    return sum(scores) / len(scores)


def partial_score(short: NameKey, long: NameKey) -> float | None:
    """Score when ``short`` is a contiguous run of ``long``'s tokens that can name the same person:
    a single word must be the last (family) name and not a common given name; a run must not end in
    a connector (بن، أبو…) nor begin with آل nor be a father's name after بن."""
    m, n = len(short.norm), len(long.norm)
    if not 0 < m < n or is_common_alone(short):
        return None
    if short.norm[-1] in _CONNECT_END or short.norm[0] in _CONNECT_START:
        return None
    starts = [n - 1] if m == 1 else range(n - m + 1)
    best: float | None = None
    for s in starts:
        if s > 0 and long.norm[s - 1] in _PATRONYMIC:
            continue
        scores = []
        for k in range(m):
            sc = token_score(short, k, long, s + k)
            if sc is None or sc < PARTIAL_TOKEN_MIN:
                break
            scores.append(sc)
        else:
            score = sum(scores) / m * (0.5 + 0.5 * m / n)  # a larger share of the name is stronger
            best = score if best is None or score > best else best
    return best


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class KnownEntity:
    """What the knowledge says about a KB / gazetteer id."""

    id: str
    type: str
    names: tuple[str, ...]
    name_en: str | None
    country: str | None


class Knowledge:
    """Which ids are knowledge ids; defaults to the actor KB and the gazetteer (tests pass their own)."""

    def __init__(self, lookup: Callable[[str], KnownEntity | None],
                 seeds: Callable[[], Iterable[KnownEntity]] = lambda: ()) -> None:
        self._lookup = lookup
        self._seeds = seeds
        self._cache: dict[str, KnownEntity | None] = {}

    def get(self, entity_id: str) -> KnownEntity | None:
        if entity_id not in self._cache:
            self._cache[entity_id] = self._lookup(entity_id)
        return self._cache[entity_id]

    def seeds(self) -> Iterable[KnownEntity]:
        """Known people and organisations that unknown names may resolve to even when unseen."""
        return self._seeds()

    @classmethod
    def default(cls) -> Knowledge:
        from marsad.knowledge.actors import actor_kb
        from marsad.knowledge.places import gazetteer

        def lookup(eid: str) -> KnownEntity | None:
            a = actor_kb().get(eid)
            if a is not None:
                return KnownEntity(a.id, a.type, a.surfaces(), a.name_en, a.country)
            g = gazetteer().entity(eid)
            if g is not None:
                return KnownEntity(g.id, g.type, g.surface_forms(), g.name_en or None, g.country or None)
            return None

        def seeds() -> Iterator[KnownEntity]:
            for a in actor_kb():
                if not a.ambiguous:
                    yield KnownEntity(a.id, a.type, a.surfaces(), a.name_en, a.country)

        return cls(lookup, seeds)


# --------------------------------------------------------------------------- pass 1: summaries


def _bump(counter: Counter[str], key: str, cap: int, n: int = 1) -> None:
    """Count ``key``; a new key is admitted only while the counter holds fewer than ``cap``."""
    if key in counter or len(counter) < cap:
        counter[key] += n


@dataclass
class Summary:
    """Everything resolution needs about one entity id (per known country): no texts, no offsets."""

    id: str
    type: str
    country: str | None
    known: bool
    names: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    sectors: Counter[str] = field(default_factory=Counter)
    n_docs: int = 0
    n_mentions: int = 0
    sample_docs: list[str] = field(default_factory=list)
    name_en: str | None = None

    @property
    def key(self) -> str:
        return self.id if self.known or not self.country else f"{self.id}|{self.country}"

    def canonical_name(self) -> str:
        """Most frequent name form; ties -> the longer, then the alphabetically first."""
        if not self.names:
            return self.id.split(":", 1)[-1].replace("_", " ")
        return min(self.names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]

    def forms(self) -> list[NameKey]:
        """Distinct matching keys of the most frequent name forms (at most MAX_FORMS)."""
        out: list[NameKey] = []
        for name, _ in sorted(self.names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
            k = name_key(name, self.type)
            if k.norm and k not in out:
                out.append(k)
            if len(out) >= MAX_FORMS:
                break
        return out


def node_key(entity_id: str, country: str | None, known: bool) -> str:
    """The summary key of an entity as seen in one document."""
    return entity_id if known or not country else f"{entity_id}|{country}"


class Collector:
    """Pass 1: fold records into per-entity summaries (memory ~ distinct entities, not documents)."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or Knowledge.default()
        self.nodes: dict[str, Summary] = {}
        self.n_records = 0

    def add(self, record: dict[str, Any]) -> None:
        self.n_records += 1
        doc_id = str(record.get("id") or "")
        for ent in record.get("entities") or []:
            eid = ent.get("id")
            if not eid:
                continue
            known = self.knowledge.get(eid)
            country = (known.country if known else ent.get("country")) or None
            key = node_key(eid, country, known is not None)
            s = self.nodes.get(key)
            if s is None:
                s = self.nodes[key] = Summary(eid, (known.type if known else ent.get("type")) or "",
                                              country, known is not None)
            if not s.name_en and (ent.get("name_en") or (known and known.name_en)):
                s.name_en = (known.name_en if known else None) or ent.get("name_en")
            if ent.get("name"):
                _bump(s.names, str(ent["name"]).strip(), CAP_NAMES)
            for m in ent.get("mentions") or []:
                if m.get("text"):
                    _bump(s.surfaces, normalize(str(m["text"]).strip()), CAP_SURFACES)
            for r in ent.get("roles") or []:
                _bump(s.roles, str(r), CAP_ROLES)
            if ent.get("sector"):
                _bump(s.sectors, str(ent["sector"]), CAP_ROLES)
            s.n_docs += 1
            s.n_mentions += len(ent.get("mentions") or [])
            if len(s.sample_docs) < CAP_DOCS and doc_id not in s.sample_docs:
                s.sample_docs.append(doc_id)

    def add_all(self, records: Iterable[dict[str, Any]]) -> Collector:
        for r in records:
            self.add(r)
        return self

    def resolve(self, overrides: Iterable[dict[str, str]] | None = None) -> Resolution:
        """Cluster the summaries (overrides default to ``resolution_overrides.tsv``)."""
        rows = list(overrides) if overrides is not None else load_overrides()
        return _Clusterer(self.nodes, self.knowledge, rows).run()


def load_overrides() -> list[dict[str, str]]:
    """Rows of ``resolution_overrides.tsv`` (action, a, b, note)."""
    rows = []
    for r in read_tsv("resolution_overrides.tsv", ["action", "a", "b", "note"]):
        if r["action"] not in ("merge", "split"):
            from marsad.knowledge import KnowledgeError

            raise KnowledgeError(f"resolution_overrides.tsv: unknown action {r['action']!r} (merge|split)")
        rows.append(r)
    return rows


# --------------------------------------------------------------------------- clustering


@dataclass(frozen=True)
class Merge:
    """Why ``member`` belongs to its cluster: the rule, its score and the node it was matched with."""

    member: str
    rule: str
    score: float
    other: str


@dataclass
class Cluster:
    """One corpus entity: its id, members (summary keys) and explanations."""

    id: str
    type: str
    name: str
    name_en: str | None
    country: str | None
    head: str
    members: list[str]
    merges: list[Merge]
    known: bool


class _Clusterer:
    """Union-find over summaries with cannot-link constraints (types, KB ids, countries, splits)."""

    def __init__(self, nodes: dict[str, Summary], knowledge: Knowledge, overrides: list[dict[str, str]]):
        self.nodes = dict(nodes)
        self.knowledge = knowledge
        self.overrides = overrides
        for k in knowledge.seeds():
            if k.id not in self.nodes:
                s = Summary(k.id, k.type, k.country, True, name_en=k.name_en)
                for i, n in enumerate(k.names):
                    s.names[n] = len(k.names) - i  # the primary name first
                self.nodes[k.id] = s
        self.keys = sorted(self.nodes)
        self.parent = {k: k for k in self.keys}
        self.kb: dict[str, set[str]] = {k: ({self.nodes[k].id} if self.nodes[k].known else set()) for k in self.keys}
        self.countries: dict[str, set[str]] = {
            k: ({self.nodes[k].country} if self.nodes[k].country else set()) for k in self.keys}
        self.tags: dict[str, set[tuple[int, str]]] = {k: set() for k in self.keys}
        self.merges: list[Merge] = []
        self.forms = {k: self.nodes[k].forms() for k in self.keys}

    # -- union-find ---------------------------------------------------------------------------
    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def blocked(self, a: str, b: str) -> str | None:
        """Why the clusters of a and b may not merge (None: they may)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return "same"
        if self.nodes[ra].type != self.nodes[rb].type:
            return "type"
        if len(self.kb[ra] | self.kb[rb]) > 1:
            return "kb"
        if len(self.countries[ra] | self.countries[rb]) > 1:
            return "country"
        if any((i, "b" if side == "a" else "a") in self.tags[rb] for i, side in self.tags[ra]):
            return "split"
        return None

    def union(self, a: str, b: str, rule: str, score: float) -> bool:
        if self.blocked(a, b):
            return False
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra
        self.kb[ra] |= self.kb.pop(rb)
        self.countries[ra] |= self.countries.pop(rb)
        self.tags[ra] |= self.tags.pop(rb)
        self.merges.append(Merge(b, rule, round(score, 1), a))
        return True

    # -- rules --------------------------------------------------------------------------------
    def _match_override(self, value: str) -> list[str]:
        """Summary keys an override cell names: an entity id, or a (normalised) name."""
        hits = [k for k in self.keys if self.nodes[k].id == value or k == value]
        if hits:
            return hits
        target = normalize(value).strip()
        tkey = name_key(value).text
        return [k for k in self.keys
                if any(normalize(n) == target or name_key(n, self.nodes[k].type).text == tkey
                       for n in self.nodes[k].names)]

    def apply_overrides(self) -> None:
        for i, row in enumerate(self.overrides):
            a, b = self._match_override(row["a"]), self._match_override(row["b"])
            if row["action"] == "split":
                for k in a:
                    self.tags[self.find(k)].add((i, "a"))
                for k in b:
                    self.tags[self.find(k)].add((i, "b"))
        for _i, row in enumerate(self.overrides):
            if row["action"] != "merge":
                continue
            a, b = self._match_override(row["a"]), self._match_override(row["b"])
            for x in a:
                for y in b:
                    if self.nodes[x].type == self.nodes[y].type:
                        self.union(x, y, "override", 100.0)

    def same_id(self) -> None:
        """Country-split summaries of one unknown id join when compatible (extraction gave one id)."""
        by_id: dict[str, list[str]] = {}
        for k in self.keys:
            by_id.setdefault(self.nodes[k].id, []).append(k)
        for ks in by_id.values():
            if len(ks) < 2:
                continue
            bare = [k for k in ks if not self.nodes[k].country]
            with_c = [k for k in ks if self.nodes[k].country]
            if bare and len(with_c) == 1:
                self.union(with_c[0], bare[0], "same-id", 100.0)

    def variant_edges(self) -> list[tuple[float, str, str]]:
        """Candidate variant pairs from skeleton blocks, with the ambiguity guard applied."""
        blocks: dict[tuple[str, str], list[str]] = {}
        for k in self.keys:
            for f in self.forms[k]:
                lst = blocks.setdefault((self.nodes[k].type, " ".join(f.skel)), [])
                if len(lst) < BLOCK_CAP and k not in lst:
                    lst.append(k)
        best: dict[tuple[str, str], float] = {}
        for members in blocks.values():
            for a, b in combinations(members, 2):
                if self.nodes[a].known and self.nodes[b].known:
                    continue
                pair = (a, b) if a < b else (b, a)
                if pair in best:
                    continue
                scores = [s for fa in self.forms[a] for fb in self.forms[b]
                          if (s := variant_score(fa, fb, self.nodes[a].type)) is not None]
                if scores:
                    best[pair] = max(scores)
        # ambiguity guard: a node that matches two KB ids, or (having no country) two countries,
        # merges with neither of them
        neigh: dict[str, list[str]] = {}
        for a, b in best:
            neigh.setdefault(a, []).append(b)
            neigh.setdefault(b, []).append(a)
        drop: set[tuple[str, str]] = set()
        for u, vs in neigh.items():
            nu = self.nodes[u]
            kb_ids = {self.nodes[v].id for v in vs if self.nodes[v].known}
            if not nu.known and len(kb_ids) > 1:
                drop |= {tuple(sorted((u, v))) for v in vs if self.nodes[v].known}
            if not nu.country and len({self.nodes[v].country for v in vs if self.nodes[v].country}) > 1:
                drop |= {tuple(sorted((u, v))) for v in vs if self.nodes[v].country}
        edges = [(s, a, b) for (a, b), s in best.items() if (a, b) not in drop]
        edges.sort(key=lambda e: (-e[0], e[1], e[2]))
        return edges

    def partial_names(self) -> None:
        """A person's partial name joins the one longer name (cluster) in the corpus that contains it."""
        index: dict[tuple[str, ...], set[str]] = {}
        for k in self.keys:
            if self.nodes[k].type not in PER_TYPES:
                continue
            for f in self.forms[k]:
                n = len(f.skel)
                for i in range(n):
                    for j in range(i + 1, n + 1):
                        if j - i < n:
                            index.setdefault(f.skel[i:j], set()).add(k)
        shorts = [k for k in self.keys if self.nodes[k].type in PER_TYPES and not self.nodes[k].known]
        shorts.sort(key=lambda k: (-max((len(f.norm) for f in self.forms[k]), default=0), k))
        for u in shorts:
            found: dict[str, tuple[float, str]] = {}
            for f in self.forms[u]:
                if is_common_alone(f) or len(found) > 1:
                    continue
                for v in sorted(index.get(f.skel, ())):
                    if len(found) > 1:
                        break  # ambiguous already
                    if v == u or self.find(v) == self.find(u) or self.blocked(u, v):
                        continue
                    scores = [s for g in self.forms[v] if (s := partial_score(f, g)) is not None]
                    if scores:
                        r = self.find(v)
                        if r not in found or max(scores) > found[r][0]:
                            found[r] = (max(scores), v)
            if len(found) == 1:
                score, v = next(iter(found.values()))
                self.union(v, u, "partial-name", score)

    def run(self) -> Resolution:
        self.apply_overrides()
        self.same_id()
        for score, a, b in self.variant_edges():
            self.union(a, b, "variant", score)
        self.partial_names()
        return self._finish()

    # -- output -------------------------------------------------------------------------------
    def _finish(self) -> Resolution:
        groups: dict[str, list[str]] = {}
        for k in self.keys:
            groups.setdefault(self.find(k), []).append(k)
        merges_by_root: dict[str, list[Merge]] = {}
        for m in self.merges:
            merges_by_root.setdefault(self.find(m.member), []).append(m)
        chosen: list[tuple[Summary, list[str], str]] = []
        for root, members in groups.items():
            seen = [k for k in members if self.nodes[k].n_docs > 0]
            if not seen:
                continue  # a KB seed nobody mentioned
            kb = [k for k in members if self.nodes[k].known]
            if kb:
                head = self.nodes[kb[0]]
            else:
                head = min((self.nodes[k] for k in seen), key=lambda s: (
                    -max((len(f.norm) for f in s.forms()), default=0), -s.n_docs, -s.n_mentions,
                    -len(s.canonical_name()), s.id, s.country or ""))
            chosen.append((head, members, root))
        # two clusters may pick the same id (one unknown name in two countries): qualify the smaller
        chosen.sort(key=lambda c: (c[0].id, -sum(self.nodes[k].n_docs for k in c[1]), c[0].country or ""))
        clusters: dict[str, Cluster] = {}
        member_of: dict[str, str] = {}
        for head, members, root in chosen:
            cid = head.id
            if cid in clusters:
                cid = f"{head.id}@{(head.country or 'x').lower()}"
            known = self.knowledge.get(head.id) if head.known else None
            name = known.names[0] if known and known.names else head.canonical_name()
            name_en = (known.name_en if known else head.name_en) or to_latin(_display(name, head.type))
            countries = sorted(self.countries.get(root, set()))
            clusters[cid] = Cluster(cid, head.type, name, name_en, countries[0] if countries else None,
                                    head.key, sorted(self.nodes[k].key for k in members),
                                    merges_by_root.get(root, []), bool(known))
            for k in members:
                member_of[k] = cid
        return Resolution(clusters, member_of, {k: self.nodes[k].known for k in self.keys})


def _display(name: str, etype: str) -> str:
    """The name without leading honorifics, as written (for the Latin name)."""
    words = name.split()
    if etype in PER_TYPES:
        norm = [normalize(w) for w in words]
        for h in honorifics():
            if len(norm) > len(h) and tuple(norm[: len(h)]) == h:
                return _display(" ".join(words[len(h):]), etype)
    return name


# --------------------------------------------------------------------------- the result


class Resolution:
    """Summary key -> corpus id, with one :class:`Cluster` (members, explanations) per corpus id.

    The per-document mapping (doc_id, entity_id) -> corpus id is :meth:`for_record`: an unknown
    entity's key includes the country it has in that document, so it needs the record, not a
    table of every document (which would grow with the corpus).
    """

    def __init__(self, clusters: dict[str, Cluster], member_of: dict[str, str], known: dict[str, bool]) -> None:
        self.clusters = clusters
        self._member_of = member_of
        self._known = known

    def __len__(self) -> int:
        return len(self.clusters)

    def corpus_id(self, entity_id: str, country: str | None = None) -> str:
        """The corpus id of an entity id (as seen with ``country``); unseen ids map to themselves."""
        for key in (entity_id if self._known.get(entity_id) else node_key(entity_id, country, False), entity_id):
            cid = self._member_of.get(key)
            if cid is not None:
                return cid
        return entity_id

    def for_record(self, record: dict[str, Any]) -> dict[str, str]:
        """entity id -> corpus id for the entities of one record (the (doc_id, entity_id) mapping)."""
        return {e["id"]: self.corpus_id(e["id"], e.get("country")) for e in record.get("entities") or []
                if e.get("id")}

    def cluster(self, corpus_id: str) -> Cluster | None:
        return self.clusters.get(corpus_id)

    def explain(self, corpus_id: str) -> list[tuple[str, str, float]]:
        """(member id, rule, score) for every member of a corpus entity; the head is 'kb' or 'canonical'."""
        c = self.clusters.get(corpus_id)
        if c is None:
            return []
        if len(c.members) == 1:
            return [(c.head.split("|", 1)[0], "kb" if c.known else "canonical", 100.0)]
        first: dict[str, Merge] = {}
        for m in c.merges:
            first.setdefault(m.member, m)
            first.setdefault(m.other, Merge(m.other, m.rule, m.score, m.member))
        out: list[tuple[str, str, float]] = []
        for key in c.members:
            eid = key.split("|", 1)[0]
            if key == c.head:
                out.append((eid, "kb" if c.known else "canonical", 100.0))
            elif key in first:
                out.append((eid, first[key].rule, first[key].score))
            else:
                out.append((eid, "same-id", 100.0))
        return out


# --------------------------------------------------------------------------- pass 2: apply

_ARG_KEYS = ("actor", "recipient")
_SINGLE_KEYS = ("event_loc", "attribution")


def _note(old: str, cid: str, res: Resolution) -> str:
    rule, score = next(((r, s) for m, r, s in res.explain(cid) if m == old), ("", 0.0))
    return f"cross-document: {old} -> {cid} ({rule}, {score:.0f})"


def apply_record(record: dict[str, Any], res: Resolution) -> dict[str, Any]:
    """A copy of ``record`` with entity ids replaced by corpus ids (in entities and event arguments);
    entities of one document that now share an id are merged; nothing else changes."""
    out = copy.deepcopy(record)
    mapping = res.for_record(record)
    merged: dict[str, dict[str, Any]] = {}
    entities: list[dict[str, Any]] = []
    for ent in out.get("entities") or []:
        old = ent.get("id")
        cid = mapping.get(old, old) if old else old
        c = res.clusters.get(cid) if cid else None
        notes = list(ent.get("resolution") or [])
        if cid != old:
            notes.append(_note(old, cid, res))
        elif c is not None and len(c.members) > 1:
            notes.append(f"cross-document: {cid} also covers {len(c.members) - 1} other name form(s)")
        ent["id"] = cid
        if c is not None and not ent.get("name_en"):
            ent["name_en"] = c.name_en
        ent["resolution"] = notes
        prev = merged.get(cid) if cid else None
        if prev is None:
            if cid:
                merged[cid] = ent
            entities.append(ent)
            continue
        prev["mentions"] = sorted((prev.get("mentions") or []) + [m for m in ent.get("mentions") or []
                                                                   if m not in (prev.get("mentions") or [])],
                                  key=lambda m: (m.get("start", 0), m.get("end", 0)))
        prev["roles"] = list(dict.fromkeys((prev.get("roles") or []) + (ent.get("roles") or [])))
        if ent.get("role_details"):
            seen = {d.get("role") for d in prev.get("role_details") or []}
            prev["role_details"] = (prev.get("role_details") or []) + [
                d for d in ent["role_details"] if d.get("role") not in seen]
        for k in ("country", "sector", "name_en"):
            if not prev.get(k) and ent.get(k):
                prev[k] = ent[k]
        prev["resolution"] = prev.get("resolution", []) + [f"in-document: merged {old} into {cid}"]
    if "entities" in out:
        out["entities"] = entities
    for ev in out.get("events") or []:
        for key in _ARG_KEYS:
            for arg in ev.get(key) or []:
                if isinstance(arg, dict) and arg.get("entity") in mapping:
                    arg["entity"] = mapping[arg["entity"]]
        for key in _SINGLE_KEYS:
            arg = ev.get(key)
            if isinstance(arg, dict) and arg.get("entity") in mapping:
                arg["entity"] = mapping[arg["entity"]]
    return out


def apply(records: Iterable[dict[str, Any]], resolution: Resolution) -> Iterator[dict[str, Any]]:
    """Pass 2: rewrite each record with corpus ids (a generator, so it streams)."""
    for r in records:
        yield apply_record(r, resolution)


def collect(records: Iterable[dict[str, Any]], knowledge: Knowledge | None = None,
            overrides: Iterable[dict[str, str]] | None = None) -> Resolution:
    """Pass 1 over an iterable of records -> :class:`Resolution`."""
    return Collector(knowledge).add_all(records).resolve(overrides)


def resolve_records(records: Iterable[dict[str, Any]], knowledge: Knowledge | None = None,
                    overrides: Iterable[dict[str, str]] | None = None
                    ) -> tuple[list[dict[str, Any]], Resolution]:
    """Both passes over records held in memory (use :func:`collect` + :func:`apply` to stream)."""
    recs = list(records)
    res = collect(recs, knowledge, overrides)
    return list(apply(recs, res)), res


def read_records(path: Any, fmt: str = "jsonl") -> Iterator[dict[str, Any]]:
    """Stream the records of a file ``marsad extract`` wrote (JSONL, or one JSON array)."""
    import json
    from pathlib import Path

    path = Path(path)
    if fmt == "json":
        yield from json.loads(path.read_text(encoding="utf-8"))
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def resolve_file(path: Any, fmt: str = "jsonl") -> Resolution:
    """Resolve a records file in place: pass 1 streams it to collect entity summaries, pass 2
    rewrites it through a temporary file that replaces the original only when complete."""
    import json
    import os
    from pathlib import Path

    path = Path(path)
    res = collect(read_records(path, fmt))
    tmp = path.with_name(path.name + ".resolving")
    with tmp.open("w", encoding="utf-8") as out:
        if fmt == "json":
            out.write("[")
        for i, rec in enumerate(apply(read_records(path, fmt), res)):
            line = json.dumps(rec, ensure_ascii=False)
            out.write((("," if i else "") + "\n" + line) if fmt == "json" else line + "\n")
        if fmt == "json":
            out.write("\n]\n")
    os.replace(tmp, path)
    return res
