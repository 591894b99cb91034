"""Compile word patterns from knowledge files into dictionaries and match them on tokens.

Why a dictionary: every pattern (trigger, cue, framing term) is keyed by one normalised word, so
matching a document is one lookup per token and per clitic reading of it, whatever the number of
patterns.  The same word-pattern syntax is shared by triggers.yaml, the cue TSVs and framing.tsv:

    word        the normalised word (after clitics are peeled off the token)
    word*       any word starting with ``word``
    w1 w2       consecutive words

Most words start no pattern: each lexicon keeps the set of its first words (:class:`FirstWords`)
and rejects such a word with one set test, and a word's readings are computed once per spelling
(:class:`Words` memoises them by token text), so cost follows the text, not the lexicons.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, not_

from marsad.doc import Doc, Token
from marsad.knowledge import KnowledgeError, read_tsv, read_yaml
from marsad.text.normalize import normalize

PROCLITIC_CONJ = "وف"
PROCLITIC_PREP = "بلكس"
ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ني", "ه", "ك")
PRES_PREFIXES = "يتن"

CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
FRAMES = frozenset({"agent", "host", "visit", "mutual", "receive", "patient"})


@lru_cache(maxsize=100_000)
def word_keys(w: str) -> tuple[str, ...]:
    """Readings of a normalised word with clitics peeled: the word, without و/ف, without ب/ل/ك/س
    (لل -> ال), and without an enclitic pronoun (a ت left before it may be a ة).  Longest first,
    so a word that is itself a key (بحث) wins over a peeled reading (حث)."""
    out: list[str] = [w]
    bases = [w]
    if len(w) >= 4 and w[0] in PROCLITIC_CONJ:
        bases.append(w[1:])
    for b in list(bases):
        if len(b) >= 4 and b[0] in PROCLITIC_PREP:
            if b.startswith("لل") and len(b) >= 4:
                bases.append("ال" + b[2:])
            bases.append(b[1:])
    for b in bases:
        if b not in out:
            out.append(b)
    for b in bases:
        enc = _enclitic(b)
        if enc and len(b) - len(enc) >= 3:
            s = b[: -len(enc)]
            for cand in (s, s[:-1] + "ه" if s.endswith("ت") else "", s + "ا" if s.endswith("و") else ""):
                if cand and cand not in out:
                    out.append(cand)
    return tuple(out)


_ENCLITICS_BY_LENGTH = tuple((n, frozenset(e for e in ENCLITICS if len(e) == n))
                             for n in sorted({len(e) for e in ENCLITICS}, reverse=True))


def _enclitic(word: str) -> str:
    """The enclitic pronoun ``word`` ends with, or ''.  No enclitic ends another one, so there is
    at most one: its last letters are looked up by length instead of trying each pronoun."""
    for n, encs in _ENCLITICS_BY_LENGTH:
        if word[-n:] in encs:
            return word[-n:]
    return ""


def token_norm(tok: Token) -> str:
    return tok.norm or normalize(tok.text)


HEAD = 3  # letters of a reading that stand for it in Words.marks (see FirstWords)
_HEAD_MARK = "\x00"  # marks a HEAD-letter beginning among the readings (no reading contains it)
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: exactly the characters str.isalnum accepts


def _readings(norm: str, raw: str, stem: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All readings of a token (``raw``, normalised ``norm``; ``stem`` is the tokenizer's stem as
    written, added as one more reading), and its marks: the readings and their marked first HEAD
    letters (see FirstWords).

    A word written with ة ends in no pronoun: readings that peel its ه as an enclitic are dropped
    (وزارة is not و + زار + ه, "visited him")."""
    keys = word_keys(norm)
    stem = normalize(stem)
    if stem and stem not in keys:
        keys = (*keys, stem)
    if norm.endswith("ه") and "ة" in raw[-3:]:
        keys = tuple([k for k in keys if not norm.endswith(k + "ه")])
    return keys, keys + tuple([_HEAD_MARK + k[:HEAD] for k in keys])


# token text -> (the token's norm and stem offsets within it, the norm used, readings, marks): the
# same words recur in every document.  Plain tuples of strings, which the garbage collector stops
# tracking, so a large memo does not slow full collections down.
_Reading = tuple[str, int, int, str, tuple[str, ...], tuple[str, ...]]
_NOT_A_WORD = ()  # memo value of a token without letters or digits
_MEMO: dict[str, _Reading | tuple[()]] = {}
_MEMO_SIZE = 200_000


def _word_readings(tokens: list[Token], text: str) -> tuple[list[Token], list[_Reading]]:
    """The word tokens (those with a letter or digit) and their readings (memoised by token
    text; a hit is checked against the token's own norm and stem offsets, so it is never stale)."""
    memo = _MEMO
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    words: list[Token] = []
    out: list[_Reading] = []
    for t, r in zip(tokens, map(memo.get, map(_TEXT, tokens)), strict=True):
        if r is None or (r and (r[0] != t.norm or r[1] != t.stem_start - t.start or r[2] != t.stem_end - t.start)):
            r = memo[t.text] = _reading(t, text)
        if r:
            words.append(t)
            out.append(r)
    return words, out


def _reading(t: Token, text: str) -> _Reading | tuple[()]:
    """The memo entry of a token (computed on a miss)."""
    if not _WORD_CHAR.search(t.text):
        return _NOT_A_WORD
    norm = t.norm or normalize(t.text)
    return (t.norm, t.stem_start - t.start, t.stem_end - t.start, norm,
            *_readings(norm, t.text, text[t.stem_start : t.stem_end]))


@dataclass(frozen=True, slots=True)
class WordPat:
    """One word of a pattern: exact or prefix (``word*``)."""

    text: str
    prefix: bool

    def matches(self, keys: tuple[str, ...]) -> bool:
        if not self.prefix:
            return self.text in keys
        for k in keys:  # noqa: SIM110 - any(genexpr) is slower, and this runs for every word tried
            if k.startswith(self.text):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Seq:
    """A sequence of consecutive words, optionally carrying a value (e.g. a mode)."""

    words: tuple[WordPat, ...]
    value: str | None = None


def parse_seq(spec: str) -> Seq:
    """``"w1 w2*=value"`` -> Seq."""
    value = None
    if "=" in spec:
        spec, value = spec.split("=", 1)
        value = value.strip() or None
    words = []
    for w in spec.split():
        prefix = w.endswith("*")
        words.append(WordPat(normalize(w.rstrip("*")), prefix))
    if not words:
        raise KnowledgeError(f"empty word pattern {spec!r}")
    return Seq(tuple(words), value)


class FirstWords:
    """The first words of a set of word sequences, to reject with one set test a position that
    none of them can start at (most positions): an exact word must be a reading of the word there,
    a prefix ``word*`` must share its first HEAD letters with one (both are among Words.marks)."""

    def __init__(self) -> None:
        self.marks: set[str] = set()
        self.everywhere = False  # a prefix shorter than HEAD letters: no quick test

    def add(self, wp: WordPat) -> None:
        if not wp.prefix:
            self.marks.add(wp.text)
        elif len(wp.text) >= HEAD:
            self.marks.add(_HEAD_MARK + wp.text[:HEAD])
        else:
            self.everywhere = True

    def may_start(self, words: Words, i: int) -> bool:
        return self.everywhere or not self.marks.isdisjoint(words.marks[i])


@dataclass(frozen=True)
class Alternatives:
    """Word sequences tried in order at a position (a pattern's ``with`` or ``not`` list)."""

    seqs: tuple[Seq, ...]
    firsts: FirstWords = field(compare=False)

    @classmethod
    def of(cls, seqs: Iterable[Seq]) -> Alternatives:
        seqs = tuple(seqs)
        firsts = FirstWords()
        for seq in seqs:
            firsts.add(seq.words[0])
        return cls(seqs, firsts)

    def __bool__(self) -> bool:
        return bool(self.seqs)

    def first_at(self, words: Words, i: int) -> Seq | None:
        """The first sequence that matches at word ``i``."""
        if not self.firsts.may_start(words, i):
            return None
        for seq in self.seqs:
            if words.seq_at(seq, i):
                return seq
        return None


class Words:
    """The word tokens of a document with their readings, for window searches."""

    def __init__(self, doc: Doc) -> None:
        self.tokens, readings = _word_readings(doc.tokens, doc.text)
        self.norms: list[str] = [r[3] for r in readings]
        self.keys: list[tuple[str, ...]] = [r[4] for r in readings]
        self.marks: list[tuple[str, ...]] = [r[5] for r in readings]  # see FirstWords
        self.starts: list[int] = list(map(_START, self.tokens))
        self.sentence_starts = [a for a, _ in doc.sentences]
        # the sentence of each word: as Doc.sentence_of (the last sentence starting at or before it)
        self.sent: list[int] = list(map(bisect.bisect_right, repeat(self.sentence_starts[1:]), self.starts))

    def __len__(self) -> int:
        return len(self.tokens)

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The (cached) word view of a Doc; rebuilt when its tokens or sentences change."""
        key = (id(doc.tokens), len(doc.tokens), id(doc.sentences), len(doc.sentences))
        cached = doc.__dict__.get("_marsad_words")
        if cached is not None and cached[0] == key:
            return cached[1]
        w = cls(doc)
        doc.__dict__["_marsad_words"] = (key, w)
        return w

    def seq_at(self, seq: Seq, i: int) -> bool:
        """Does ``seq`` match starting at word ``i`` (within one sentence)?"""
        if i < 0 or i + len(seq.words) > len(self.keys):
            return False
        sent, keys = self.sent, self.keys
        s = sent[i]
        for j, wp in enumerate(seq.words, i):  # noqa: SIM110 - as in WordPat.matches
            if sent[j] != s or not wp.matches(keys[j]):
                return False
        return True

    def find_near(self, alts: Alternatives, i: int, win: int, span: int = 1) -> tuple[int, Seq] | None:
        """The nearest word index (and which seq) within ``win`` words of the match [i, i+span)
        on either side, same sentence."""
        s, sent, n = self.sent[i], self.sent, len(self.keys)
        for d in range(1, win + 1):
            for j in (i + span - 1 + d, i - d):
                if 0 <= j < n and sent[j] == s:
                    seq = alts.first_at(self, j)
                    if seq is not None:
                        return j, seq
        return None

    def index_at(self, pos: int) -> int:
        """Index of the first word token starting at or after character ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def sentence_of(self, pos: int) -> int:
        """As Doc.sentence_of, without rebuilding the list of sentence starts at each call."""
        return max(bisect.bisect_right(self.sentence_starts, pos) - 1, 0)


_START = attrgetter("start")
_TEXT = attrgetter("text")


# --------------------------------------------------------------------------- verb morphology
def verb_forms(spec: str) -> set[str]:
    """All 3rd-person forms of ``"PAST/PRESENT"`` (normalised), see triggers.yaml header."""
    past_f, pres_f = verb_forms_by_tense(spec)
    return past_f | pres_f


def verb_forms_by_tense(spec: str) -> tuple[set[str], set[str]]:
    """(past forms, present forms) of a verb spec."""
    past, _, pres = (normalize(p.strip()) for p in spec.partition("/"))
    forms = {past}
    if past.endswith("ي") and len(past) >= 3:  # التقى -> التقت التقوا التقيا
        b = past[:-1]
        forms |= {b + "ت", b + "وا", b + "يا", b + "يتا"}
    elif past.endswith("ا") and len(past) >= 3:  # دعا -> دعت دعوا
        b = past[:-1]
        forms |= {b + "ت", b + "وا", b + "تا"}
    else:
        forms |= {past + sfx for sfx in ("ت", "ا", "تا", "وا", "ن", "تم")}
    pforms: set[str] = set()
    if pres and pres != "-":
        body = pres[1:] if pres[0] in "يت" else pres
        forms, past_forms = pforms, forms
        for p in PRES_PREFIXES:
            forms.add(p + body)
            if body.endswith("ي"):  # يلتقي -> يلتقون يلتقيان; jussive/subjunctive لم يلتق، أن يلتقوا
                forms |= {p + body[:-1] + "ون", p + body + "ان", p + body[:-1], p + body[:-1] + "وا", p + body + "ا"}
            elif body.endswith("و"):  # يدعو -> يدعون يدعوان; jussive لم يدع، أن يدعوا
                forms |= {p + body + "ن", p + body + "ان", p + body[:-1], p + body + "ا"}
            else:  # + subjunctive/jussive plural and dual: أن يزوروا، لم يوقعا
                forms |= {p + body + sfx for sfx in ("ون", "ان", "ين", "ن", "وا", "ا")}
        forms = past_forms
    return {f for f in forms if len(f) >= 2}, {f for f in pforms if len(f) >= 2}


def noun_forms(spec: str) -> set[str]:
    out: set[str] = set()
    for f in spec.split("|"):
        f = normalize(f.strip())
        if not f:
            continue
        out.add(f)
        if not f.startswith("ال"):
            out.add("ال" + f)
        if f.endswith("اء") and len(f) >= 4:
            # hamza on a seat before an enclitic: لقائه -> لقايه، لقاؤه -> لقاوه (the matcher
            # peels the pronoun and looks up لقاي / لقاو)
            for seat in ("ي", "و"):
                out.add(f[:-1] + seat)
                if not f.startswith("ال"):
                    out.add("ال" + f[:-1] + seat)
    return out


# --------------------------------------------------------------------------- trigger patterns
@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled trigger pattern (see triggers.yaml for the meaning of each field)."""

    pid: int
    cat: str
    cameo: str
    mode: str | None
    ctx: tuple[str, ...]
    frame: str
    pos: str  # verb | noun | form
    tense: str  # past | pres | '' (nouns, or forms that are both)
    rest: tuple[WordPat, ...]  # further words of a multiword form
    with_: Alternatives
    win: int
    not_: Alternatives
    notwin: int
    prio: int
    source: str


@dataclass(slots=True)
class TriggerMatch:
    i: int  # word index of the trigger
    span: int  # number of words of the trigger
    pattern: Pattern
    with_index: int | None = None
    mode: str | None = None
    prefixes: str = ""  # the clitic letters peeled off the trigger word (e.g. "وس")
    key: str = ""  # the reading of the word that matched
    norm: str = ""  # the whole normalised word

    @property
    def enclitic(self) -> bool:
        """Did the trigger word carry a pronoun suffix (زيارته, استقبله, اتفاقهما)?"""
        rest = self.norm[len(self.prefixes):]
        return bool(self.key) and len(rest) > len(self.key) and rest.endswith(ENCLITICS)


@dataclass
class TriggerLexicon:
    """Trigger patterns compiled into a dict keyed by normalised word."""

    by_key: dict[str, list[Pattern]] = field(default_factory=dict)
    contexts: list[tuple[Seq, str]] = field(default_factory=list)
    _ctx_lex: CueLexicon | None = None
    arguments: dict[str, Alternatives] = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    default_cameo: dict[str, str] = field(default_factory=dict)
    _never_set: frozenset[str] | None = None

    @classmethod
    def load(cls) -> TriggerLexicon:
        lex = cls()
        arguments: dict[str, list[Seq]] = {}
        for row in read_tsv("plover.tsv", ["category", "cameo", "default_cameo", "score", "description"]):
            lex.default_cameo[row["category"]] = row["default_cameo"]
        for doc in read_yaml("triggers.yaml"):
            if not isinstance(doc, dict):
                raise KnowledgeError("triggers.yaml: top level must be a mapping")
            for word, ctx in (doc.get("contexts") or {}).items():
                lex.contexts.append((parse_seq(str(word)), str(ctx)))
            for name, words in (doc.get("arguments") or {}).items():
                arguments.setdefault(name, []).extend(parse_seq(str(w)) for w in words)
            for entry in doc.get("patterns") or []:
                lex._add(entry)
        lex.arguments = {name: Alternatives.of(seqs) for name, seqs in arguments.items()}
        return lex

    def argument(self, name: str) -> Alternatives:
        """The word sequences of one ``arguments`` list of triggers.yaml (none when absent)."""
        return self.arguments.get(name) or Alternatives.of(())

    def _add(self, e: dict) -> None:
        where = f"triggers.yaml pattern {e!r}"
        cat = e.get("cat")
        if cat not in CATEGORIES:
            raise KnowledgeError(f"{where}: unknown category {cat!r}")
        frame = e.get("frame", "agent")
        if frame not in FRAMES:
            raise KnowledgeError(f"{where}: unknown frame {frame!r}")
        forms: set[str] = set()
        tense: dict[str, str] = {}
        pos = "form"
        if e.get("verb"):
            past_f, pres_f = verb_forms_by_tense(str(e["verb"]))
            forms |= past_f | pres_f
            tense = {f: ("" if f in past_f and f in pres_f else "past" if f in past_f else "pres") for f in forms}
            pos = "verb"
        if e.get("noun"):
            forms |= noun_forms(str(e["noun"]))
            pos = "noun" if pos == "form" else pos
        if e.get("forms"):
            forms |= {normalize(f.strip()) for f in str(e["forms"]).split("|") if f.strip()}
        if not forms:
            raise KnowledgeError(f"{where}: needs verb, noun or forms")
        with_ = Alternatives.of(parse_seq(str(w)) for w in e.get("with") or [])
        not_ = Alternatives.of(parse_seq(str(w)) for w in e.get("not") or [])
        base = dict(
            cat=cat,
            cameo=str(e.get("cameo") or self.default_cameo.get(cat, "")),
            mode=e.get("mode"),
            ctx=tuple(e.get("ctx") or ()),
            frame=frame,
            pos=pos,
            with_=with_,
            win=int(e.get("win", 4)),
            not_=not_,
            notwin=int(e.get("notwin", 2)),
            prio=int(e.get("prio", 0)) + (10 if with_ else 0),
            source=str(e.get("verb") or e.get("noun") or e.get("forms")),
        )
        for form in sorted(forms):
            words = form.split()
            pat = Pattern(pid=len(self.patterns), tense=tense.get(form, ""), rest=tuple(WordPat(w, False) for w in words[1:]), **base)
            self.patterns.append(pat)
            self.by_key.setdefault(words[0], []).append(pat)

    # ------------------------------------------------------------------ matching
    def match(self, words: Words) -> list[TriggerMatch]:
        """Trigger matches in document order; at most one per word, the highest priority."""
        out: list[TriggerMatch] = []
        consumed: set[int] = set()
        never = self._never()
        # the words with a reading some pattern is keyed by, found in C (most words are none)
        for i in compress(range(len(words)), map(not_, map(self.by_key.keys().isdisjoint, words.keys))):
            if i in consumed or words.norms[i] in never:
                continue
            best: TriggerMatch | None = None
            for k in words.keys[i]:
                pats = self.by_key.get(k)
                if not pats:
                    continue
                for p in pats:
                    m = self._check(words, i, p)
                    if m and (best is None or p.prio > best.pattern.prio):
                        best = m
                if best:
                    best.prefixes = _peeled(words.norms[i], k)
                    best.key = k
                    best.norm = words.norms[i]
                    break
            if best:
                out.append(best)
                if best.with_index is not None and best.with_index > i:
                    # every complement word of the light verb is part of this trigger
                    # ("عقد جلسة مباحثات": جلسة and مباحثات)
                    p = best.pattern
                    s = words.sent[i]
                    for j in range(i + best.span, min(len(words), i + best.span + p.win)):
                        if words.sent[j] != s:
                            break
                        if j <= best.with_index or p.with_.first_at(words, j) is not None:
                            consumed.add(j)
        return out

    def _never(self) -> frozenset[str]:
        if self._never_set is None:
            self._never_set = frozenset(" ".join(w.text for w in q.words) for q in self.argument("never").seqs)
        return self._never_set

    def _check(self, words: Words, i: int, p: Pattern) -> TriggerMatch | None:
        span = 1
        if p.rest:
            if not words.seq_at(Seq(p.rest), i + 1) or words.sent[i] != words.sent[min(i + 1, len(words) - 1)]:
                return None
            span += len(p.rest)
        with_index, mode = None, p.mode
        if p.with_:
            hit = words.find_near(p.with_, i, p.win, span)
            if hit is None:
                return None
            with_index = hit[0]
            mode = hit[1].value or mode
        if p.not_ and words.find_near(p.not_, i, p.notwin, span) is not None:
            return None
        return TriggerMatch(i, span, p, with_index, mode)

    def contexts_near(self, words: Words, i: int, win: int = 8) -> list[str]:
        """PLOVER contexts named by words within ``win`` of word ``i`` (same sentence)."""
        if self._ctx_lex is None:
            self._ctx_lex = CueLexicon([], column="cue")
            for seq, ctx in self.contexts:
                self._ctx_lex.add(seq, {"ctx": ctx})
        found: list[str] = []
        s = words.sent[i]
        for j in range(max(0, i - win), min(len(words), i + win + 1)):
            if words.sent[j] != s:
                continue
            for cue in self._ctx_lex.at(words, j):
                if cue.row["ctx"] not in found:
                    found.append(cue.row["ctx"])
        return found


def _peeled(norm: str, key: str) -> str:
    """The proclitic letters in front of ``key`` in ``norm`` ('' when none)."""
    core = key[:-1] if len(key) > 3 else key  # a final ة may have become ت before an enclitic
    for n in range(0, 4):
        rest = norm[n:]
        if rest.startswith(core):
            return norm[:n]
        if key.startswith("ال") and rest.startswith("ل" + key[2:-1]):
            return norm[:n]
    return ""


# --------------------------------------------------------------------------- simple lexicons
@dataclass(frozen=True, slots=True)
class Cue:
    seq: Seq
    row: dict[str, str]


class CueLexicon:
    """Word-sequence cues from a TSV, keyed by their first word (exact or prefix)."""

    def __init__(self, rows: Iterable[dict[str, str]], column: str = "cue") -> None:
        self.exact: dict[str, list[Cue]] = {}
        self.prefix: dict[str, list[Cue]] = {}  # bucketed by the first two letters
        self.firsts = FirstWords()
        self._by_keys: dict[tuple[str, ...], tuple[Cue, ...]] = {}  # readings of a word -> _first_word_at
        for row in rows:
            spec = row[column]
            seqs: list[Seq]
            if "/" in spec and " " not in spec:  # a verb spec: generate its forms
                seqs = [Seq((WordPat(f, False),)) for f in sorted(verb_forms(spec))]
            else:
                seqs = [parse_seq(v) for v in spec.split("|") if v.strip()]
            for seq in seqs:
                self.add(seq, row)

    def add(self, seq: Seq, row: dict[str, str]) -> None:
        cue = Cue(seq, row)
        first = seq.words[0]
        self.firsts.add(first)
        if first.prefix:
            self.prefix.setdefault(first.text[:2], []).append(cue)
        else:
            self.exact.setdefault(first.text, []).append(cue)

    def at(self, words: Words, i: int) -> list[Cue]:
        """Cues whose full sequence matches starting at word ``i``, longest first."""
        if not self.firsts.may_start(words, i):
            return []
        keys = words.keys[i]
        cues = self._by_keys.get(keys)
        if cues is None:
            if len(self._by_keys) > _MEMO_SIZE:
                self._by_keys.clear()
            cues = self._by_keys[keys] = self._first_word_at(keys)
        found = [cue for cue in cues if len(cue.seq.words) == 1 or words.seq_at(cue.seq, i)]
        found.sort(key=lambda c: -len(c.seq.words))
        return found

    def _first_word_at(self, keys: tuple[str, ...]) -> tuple[Cue, ...]:
        """The cues whose first word is one of the readings ``keys`` of a word: exact cues, then
        prefix cues, each in the order of the readings (the order ``at`` reports ties in)."""
        out: list[Cue] = []
        for k in keys:
            for cue in self.exact.get(k, ()):
                if cue not in out:
                    out.append(cue)
        if self.prefix:
            for k in keys:
                for cue in self.prefix.get(k[:2], ()):
                    if cue not in out and cue.seq.words[0].matches(keys):
                        out.append(cue)
        return tuple(out)
