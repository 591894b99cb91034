"""Runtime CRF named-entity tagger over the bundled crfsuite model.

Handing crfsuite ~60 attribute strings per token (about 12k per article, each built and then
hashed to an id) cost most of the tagging time.  Instead the weights are read from the model
file, each distinct word is analysed once into the model rows of its attributes
(:class:`_Vocab`, :class:`~marsad.extract.ner.features.WordRows`), and a document's state scores
are summed with numpy, in crfsuite's order.  crfsuite then decodes those scores (Viterbi and
marginals) through a model that passes them through unchanged (:func:`_score_decoder`), so tags
and confidences are exactly those of crfsuite on the attribute strings.
"""

from __future__ import annotations

import gzip
import struct
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pycrfsuite

from marsad.extract.ner.features import WordRows, shape
from marsad.text.normalize import normalize

MODELS = Path(__file__).resolve().parents[2] / "models"
MODEL_PATH = MODELS / "ner.crfsuite"
CLUSTERS_PATH = MODELS / "clusters.tsv.gz"
WORD_CACHE_MAX = 100_000  # distinct words kept between documents (~250 bytes each with the index)
GAZETTEER_PATH = MODELS / "gazetteer.tsv.gz"
WORDFREQ_PATH = MODELS / "wordfreq.tsv.gz"  # normalised news words, most frequent first
PRIME_WORDS = 30_000  # analysed at load (~0.4 s); they cover ~90% of news tokens

#: Entity types the bundled model emits (BIO over them).
LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")

Span = tuple[int, int, str, float]


def read_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """word -> cluster ids at each granularity (coarse to fine), from a ``.tsv.gz`` table."""
    table: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            table[parts[0]] = tuple(parts[1:])
    return table


def read_gazetteer(path: Path) -> dict[str, str]:
    """normalised clitic-stripped word -> ``|``-joined gazetteer tags (e.g. ``PER|WD``)."""
    table: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, _, tags = line.rstrip("\n").partition("\t")
            table[word] = tags
    return table


def read_frequent_words(path: Path, n: int) -> list[str]:
    """The first ``n`` words of a ``word<TAB>count`` table (``#`` lines are comments)."""
    words: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(words) >= n:
                break
            if not line.startswith("#"):
                words.append(line.partition("\t")[0])
    return words


@dataclass(frozen=True)
class CrfWeights:
    """A linear-chain CRF as crfsuite stores it, with the weights' exact doubles."""

    labels: tuple[str, ...]
    attrs: dict[str, int]  # attribute -> row of ``state``; row 0 (all zero) stands for unknown ones
    state: np.ndarray  # (attributes + 1, labels)
    trans: np.ndarray  # (labels, labels), from -> to


def _cqdb_strings(buf: bytes, base: int, n: int) -> list[str]:
    """The ``n`` keys of a crfsuite CQDB chunk, in id order (through its id -> record array)."""
    bwd_offset = struct.unpack_from("<I", buf, base + 20)[0]
    out = []
    for off in struct.unpack_from(f"<{n}I", buf, base + bwd_offset):
        size = struct.unpack_from("<I", buf, base + off + 4)[0]
        out.append(buf[base + off + 8: base + off + 7 + size].decode("utf-8"))  # size counts the NUL
    return out


def read_crfsuite(path: Path) -> CrfWeights:
    """Parse a crfsuite 1st-order CRF model file (``lCRF``/``FOMC``, crfsuite's crf1d_model.c).

    ``Tagger.info()`` would give the weights printed with 6 decimals; reading the file keeps them
    exact, which keeps the tags identical to crfsuite's."""
    buf = path.read_bytes()
    magic, _size, kind, _version, _nfeat, nlab, nattr, off_feat, off_lab, off_attr = struct.unpack_from(
        "<4sI4s7I", buf, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    labels = tuple(_cqdb_strings(buf, off_lab, nlab))
    attrs = {a: i + 1 for i, a in enumerate(_cqdb_strings(buf, off_attr, nattr))}
    chunk, _csize, num = struct.unpack_from("<4sII", buf, off_feat)
    if chunk != b"FEAT":
        raise ValueError(f"{path}: no feature chunk")
    feats = np.frombuffer(buf, np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
                          num, off_feat + 12)
    state = np.zeros((nattr + 1, nlab))
    trans = np.zeros((nlab, nlab))
    st, tr = feats[feats["type"] == 0], feats[feats["type"] == 1]
    state[st["src"].astype(np.intp) + 1, st["dst"]] = st["w"]
    trans[tr["src"], tr["dst"]] = tr["w"]
    return CrfWeights(labels, attrs, state, trans)


def _int_array(values: list[int]) -> np.ndarray:
    """``np.array(values, np.int64)``, through struct: about 3x faster for lists of Python ints."""
    return np.frombuffer(struct.pack(f"{len(values)}q", *values), np.int64)


_OFFSETS = (-2, -1, 1, 2)  # neighbours whose attributes a token takes, in crfsuite's order
_BOUNDARY = {-2: "-2:BOS", -1: "-1:BOS", 1: "1:EOS", 2: "2:EOS"}


class _Vocab:
    """Bounded per-word cache of what each distinct word adds to a token's state scores.

    For a word: the sum of its own attributes' weights (they come first in a token's list, so
    their running sum is the start of crfsuite's), the model rows of what it gives each neighbour
    (row 0, all zero, for attributes the model lacks) and ids of its stem and coarse cluster for
    the bigram attributes.  Slot 0 is the sentence boundary: as a neighbour it gives
    ``-2:BOS``, ``1:EOS``..., and it is in no bigram.
    """

    def __init__(self, weights: CrfWeights, clusters: Mapping[str, tuple[str, ...]],
                 gazetteer: Mapping[str, str] | None, capacity: int) -> None:
        self.state = weights.state
        self.word_rows = WordRows(weights.attrs, clusters, gazetteer)
        self.capacity = capacity
        self._bigram_tables(weights.attrs)
        own, *near = self.word_rows.widths
        self.own_width = own
        self.near_starts = np.cumsum([0, *near])  # sections for the tokens 2, 1 before, 1, 2 after
        self._near_offset = np.repeat(_OFFSETS, near)
        self._near_column = np.arange(sum(near))
        self.own_sum = np.zeros((capacity + 1, weights.state.shape[1]))
        dtype = np.uint16 if len(weights.state) <= 2**16 else np.int32
        self.near = np.zeros((capacity + 1, sum(near)), dtype)
        self.stem_id = np.full(capacity + 1, self.n_stems, np.intp)
        self.k1_id = np.full(capacity + 1, self.n_k1, np.intp)
        self.index: dict[str, int] = {}  # word -> slot
        self.forms: dict[tuple[str, str], int] = {}  # (normalised form, shape) -> slot
        self.primed: dict[tuple[str, str], int] = {}  # forms kept when the cache is emptied
        self._pending_clear()
        for start, off in zip(self.near_starts[:-1], _OFFSETS, strict=True):
            self.near[0, start] = weights.attrs.get(_BOUNDARY[off], 0)

    def _bigram_tables(self, attrs: Mapping[str, int]) -> None:
        """Look-up tables for the bigram attributes ``-1|0=a|b`` (given to the right word) and
        ``0|1=a|b`` (to the left one), over stems, and the same over coarse clusters (``k``).  A
        value with several ``|`` is entered under every split: each split rebuilds the same name."""
        pairs: dict[str, dict[tuple[str, str], list[int]]] = {"": {}, "k": {}}
        for name, row in attrs.items():
            for side, prefix in enumerate(("-1|0", "0|1")):
                for kind in ("", "k"):
                    head = prefix + kind + "="
                    if name.startswith(head):
                        value = name[len(head):]
                        for i, ch in enumerate(value):
                            if ch == "|":
                                pairs[kind].setdefault((value[:i], value[i + 1:]), [0, 0])[side] = row
        stems = sorted({x for pair in pairs[""] for x in pair})
        self.stem_index = {s: i for i, s in enumerate(stems)}
        self.n_stems = n = len(stems)  # the id of every other stem
        keys = sorted((self.stem_index[a] * (n + 1) + self.stem_index[b], rows)
                      for (a, b), rows in pairs[""].items())
        # a last key no word pair makes keeps every searchsorted position inside the array
        self.pair_keys = np.array([k for k, _ in keys] + [np.iinfo(np.intp).max], np.intp)
        self.pair_rows = np.array([r for _, r in keys] + [[0, 0]], np.intp)
        k1s = sorted({x for pair in pairs["k"] for x in pair})
        self.k1_index = {k: i for i, k in enumerate(k1s)}
        self.n_k1 = m = len(k1s)
        self.k1_rows = np.zeros((m + 1, m + 1, 2), np.intp)
        for (a, b), rows in pairs["k"].items():
            self.k1_rows[self.k1_index[a], self.k1_index[b]] = rows

    def reserve(self, n: int) -> None:
        """Make room for ``n`` more words: the cache (and the word -> slot index, which several
        spellings share) is emptied when full, so memory stays flat on endless corpora; it grows
        only for a single batch larger than it."""
        if len(self.forms) + n > self.capacity or len(self.index) + n > 2 * self.capacity:
            self.index.clear()
            self.forms = dict(self.primed)
            if len(self.forms) + n > self.capacity:
                extra = len(self.forms) + n - self.capacity
                self.own_sum = np.concatenate([self.own_sum, np.zeros((extra, self.own_sum.shape[1]))])
                self.near = np.concatenate([self.near, np.zeros((extra, self.near.shape[1]), self.near.dtype)])
                self.stem_id = np.concatenate([self.stem_id, np.full(extra, self.n_stems, np.intp)])
                self.k1_id = np.concatenate([self.k1_id, np.full(extra, self.n_k1, np.intp)])
                self.capacity += extra

    def _pending_clear(self) -> None:
        """Words added since the last flush (one numpy conversion per flush)."""
        self._slots: list[int] = []
        self._rows: list[int] = []  # each word's WordRows rows, fixed width
        self._stems: list[int] = []
        self._k1s: list[int] = []

    def prime(self, words: Sequence[str]) -> None:
        """Analyse frequent (normalised) words at start-up and keep them when the cache is emptied:
        a word's first sighting costs ~20 us, and most of a news stream's words are frequent ones."""
        self.reserve(len(words))
        for start in range(0, len(words), 1000):  # flush in chunks: bounded temporary arrays
            for n in words[start: start + 1000]:
                self.add(n)
            self.flush()
        self.index.clear()
        self.primed = dict(self.forms)

    def add(self, word: str) -> int:
        """Slot of a word not yet cached: that of a cached word with the same normalised form and
        shape (the features depend on nothing else), else a new one, written at :meth:`flush`."""
        form = (normalize(word), shape(word))
        slot = self.forms.get(form)
        if slot is None:
            slot = self.forms[form] = len(self.forms) + 1
            rows, stem, k1 = self.word_rows(*form)
            self._slots.append(slot)
            self._rows += rows
            self._stems.append(self.stem_index.get(stem, self.n_stems))
            self._k1s.append(self.k1_index.get(k1, self.n_k1))
        self.index[word] = slot
        return slot

    def flush(self) -> None:
        """Write the words added since the last flush into the tables."""
        if not self._slots:
            return
        slots = _int_array(self._slots)
        rows = _int_array(self._rows).reshape(len(slots), -1)
        # a sum over the leading axis adds a word's own rows one by one, in crfsuite's order
        own = np.ascontiguousarray(rows[:, : self.own_width].T)
        self.own_sum[slots] = np.take(self.state, own, axis=0).sum(axis=0)
        self.near[slots] = rows[:, self.own_width:]
        self.stem_id[slots] = self._stems
        self.k1_id[slots] = self._k1s
        self._pending_clear()

    def state_scores(self, q: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """(tokens, labels) state scores of the tokens at ``pos`` in the slot sequence ``q``
        (sentences separated by two boundary slots), summed in crfsuite's order: own attributes,
        the neighbours' from 2 before to 2 after, then the stem and cluster bigrams."""
        n = len(pos)
        width = self.near.shape[1]
        ids = np.empty((width + 4, n), np.intp)
        # column c of the neighbour rows comes from the word at offset _near_offset[c]
        words = q[pos + self._near_offset[:, None]]
        ids[:width] = self.near.ravel()[words * width + self._near_column[:, None]]
        # bigram rows of every adjacent pair of slots (pair p is q[p], q[p + 1]): a token takes
        # the "-1|0" rows of the pair ending on it, then the "0|1" rows of the one starting on it
        a, b = q[:-1], q[1:]
        keys = self.stem_id[a] * (self.n_stems + 1) + self.stem_id[b]
        found = np.searchsorted(self.pair_keys, keys)
        stem_rows = np.where((self.pair_keys[found] == keys)[:, None], self.pair_rows[found], 0)
        k1_rows = self.k1_rows[self.k1_id[a], self.k1_id[b]]
        ids[width] = stem_rows[pos - 1, 0]
        ids[width + 1] = k1_rows[pos - 1, 0]
        ids[width + 2] = stem_rows[pos, 1]
        ids[width + 3] = k1_rows[pos, 1]
        terms = np.empty((width + 5, n, self.state.shape[1]))
        terms[0] = self.own_sum[q[pos]]
        np.take(self.state, ids, axis=0, out=terms[1:], mode="clip")  # ids are valid; no buffering
        return terms.sum(axis=0)  # one by one along the leading axis, as crfsuite adds them


def _score_decoder(weights: CrfWeights) -> bytes:
    """A crfsuite model for state scores computed outside it.

    Its attribute ``"k"`` has weight 1 for label ``k`` only and its transitions are the model's,
    so a token given as ``{"0": score_0, ..., "8": score_8}`` gets exactly those state scores
    (crfsuite adds ``1.0 * score`` to 0) and Viterbi and the marginals are crfsuite's own: the
    same tags and probabilities, bit for bit, as the full model on the attribute strings.  It is
    made by training on a sequence that shows every label and label pair, then setting weights.
    """
    labels = weights.labels
    names = [str(k) for k in range(len(labels))]
    xseq: list[dict[str, float]] = []
    yseq: list[str] = []
    for a in range(len(labels)):  # label ids follow first appearance: the model's order
        for b in range(len(labels)):
            xseq += ({names[a]: 1.0}, {names[b]: 1.0})
            yseq += (labels[a], labels[b])
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append(xseq, yseq)
    trainer.set_params({"max_iterations": 1, "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory(prefix="marsad-ner-") as tmp:
        path = Path(tmp) / "decoder.crfsuite"
        trainer.train(str(path))
        buf = bytearray(path.read_bytes())
    _, _, _, _, _, n_labels, n_attrs, off_feat, off_lab, off_attr = struct.unpack_from("<4sI4s7I", buf, 0)
    own_labels = _cqdb_strings(bytes(buf), off_lab, n_labels)
    attrs = _cqdb_strings(bytes(buf), off_attr, n_attrs)
    num = struct.unpack_from("<I", buf, off_feat + 8)[0]
    seen = set()
    for f in range(num):
        at = off_feat + 12 + 20 * f
        kind, src, dst = struct.unpack_from("<3I", buf, at)
        # a state feature (attribute, label) or a transition (label, label)
        weight = float(attrs[src] == str(dst)) if kind == 0 else float(weights.trans[src, dst])
        if weight:
            seen.add((kind, src, dst))
        struct.pack_into("<d", buf, at + 12, weight)
    expected = {(0, i, int(a)) for i, a in enumerate(attrs)}
    expected |= {(1, i, j) for i in range(n_labels) for j in range(n_labels) if weights.trans[i, j]}
    if tuple(own_labels) != labels or sorted(attrs) != sorted(names) or not expected <= seen:
        raise RuntimeError("crfsuite did not build the expected score decoder")
    return bytes(buf)


def _item_maker(n: int) -> Callable[[list[list[float]]], list[dict[str, float]]]:
    """``rows -> [{"0": row[0], ..., str(n - 1): row[n - 1]} for row in rows]``, compiled for ``n``
    labels: a dict display is twice as fast as ``dict(zip(...))``, and this runs for every token."""
    values = ", ".join(f"v{k}" for k in range(n))
    pairs = ", ".join(f"'{k}': v{k}" for k in range(n))
    return eval(f"lambda rows: [{{{pairs}}} for {values} in rows]")


class NerTagger:
    """BIO tagger over raw whitespace-level news tokens (clitics attached, punctuation split)."""

    def __init__(self, model_path: Path = MODEL_PATH, clusters_path: Path = CLUSTERS_PATH,
                 gazetteer_path: Path = GAZETTEER_PATH, cache_size: int = WORD_CACHE_MAX,
                 vocabulary_path: Path = WORDFREQ_PATH, prime: int = PRIME_WORDS) -> None:
        self.clusters = read_clusters(clusters_path) if clusters_path.exists() else {}
        self.gazetteer = read_gazetteer(gazetteer_path) if gazetteer_path.exists() else {}
        w = read_crfsuite(model_path)
        self.labels = w.labels
        self._make_items = _item_maker(len(w.labels))
        self._decoder_model = _score_decoder(w)  # crfsuite reads it in place: keep it alive
        self._decoder = pycrfsuite.Tagger()
        self._decoder.open_inmemory(self._decoder_model)
        self._vocab = _Vocab(w, self.clusters, self.gazetteer, cache_size)
        if prime and vocabulary_path.exists():
            self._vocab.prime(read_frequent_words(vocabulary_path, prime))

    @classmethod
    @cache
    def load(cls) -> NerTagger:
        """The bundled model, loaded once per process."""
        return cls()

    def tag(self, words: Sequence[str]) -> list[str]:
        """One BIO tag per input token."""
        return self.tag_many([words])[0]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """:meth:`tag` for several sentences (one pass of numpy for their state scores)."""
        tag = self._decoder.tag
        return [tag(items) if items else [] for items in self._items(sentences)]

    def spans(self, words: Sequence[str]) -> list[Span]:
        """Entities as (start, end exclusive, type, confidence); confidence is the lowest
        per-token marginal probability of the predicted label inside the span."""
        return self.spans_many([words])[0]

    def spans_many(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        """:meth:`spans` for several sentences (a document's: one pass of numpy)."""
        tag, marginal = self._decoder.tag, self._decoder.marginal
        out: list[list[Span]] = []
        for items in self._items(sentences):
            if not items:
                out.append([])
                continue
            tags = tag(items)
            out.append([(s, e, typ, round(min(marginal(tags[t], t) for t in range(s, e)), 4))
                        for s, e, typ in bio_spans(tags)])
        return out

    def marginals(self, words: Sequence[str]) -> np.ndarray:
        """(tokens, labels) marginal probabilities, columns in ``self.labels`` order."""
        if not words:
            return np.zeros((0, len(self.labels)))
        decoder = self._decoder
        decoder.set(self._items([words])[0])
        return np.array([[decoder.marginal(y, t) for y in self.labels] for t in range(len(words))])

    def _items(self, sentences: Sequence[Sequence[str]]) -> list[list[dict[str, float]]]:
        """crfsuite items for the score decoder: per sentence, each token's state scores, summed
        as crfsuite sums them (see :meth:`_Vocab.state_scores`)."""
        vocab = self._vocab
        n = sum(len(s) for s in sentences)
        if not n:
            return [[] for _ in sentences]
        vocab.reserve(n)
        index, add = vocab.index, vocab.add
        q = [0, 0]
        for words in sentences:
            if words:
                q += [index.get(w) or add(w) for w in words]
                q += (0, 0)
        vocab.flush()
        q_arr = _int_array(q)
        pos = np.flatnonzero(q_arr[2:]) + 2  # slots of tokens are > 0, boundaries are 0
        items = self._make_items(vocab.state_scores(q_arr, pos).tolist())
        out, at = [], 0
        for words in sentences:
            out.append(items[at: at + len(words)])
            at += len(words)
        return out


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans of a BIO sequence (conlleval style: a stray ``I-`` starts an entity)."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if start >= 0:
                out.append((start, i, typ))
                start, typ = -1, ""
            if t != "O":
                start, typ = i, t[2:]
    return out
