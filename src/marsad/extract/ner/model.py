"""Runtime CRF named-entity tagger: the crfsuite model's weights, decoded with numpy.

python-crfsuite maps every attribute string of every token to an id on each call (about 12k
strings per article) and answers marginals one Python call at a time.  Here each distinct word is
analysed once into the model rows of its attributes (:class:`_Vocab`), a document's emission
scores are gathered in one go, and Viterbi and forward-backward run over all its sentences at
once.  State scores are summed in crfsuite's attribute order and Viterbi does crfsuite's
operations, so the tags are the same bit for bit; marginals agree to about 1e-15.
"""

from __future__ import annotations

import gzip
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from marsad.extract.ner.features import WordRows, shape
from marsad.text.normalize import normalize

MODELS = Path(__file__).resolve().parents[2] / "models"
MODEL_PATH = MODELS / "ner.crfsuite"
CLUSTERS_PATH = MODELS / "clusters.tsv.gz"
WORD_CACHE_MAX = 100_000  # distinct words kept between documents (~250 bytes each with the index)
GAZETTEER_PATH = MODELS / "gazetteer.tsv.gz"

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
        self.dtype = np.uint16 if len(weights.state) <= 2**16 else np.int32
        self.widths = [6, 11, 11, 6]  # enough for two gazetteer tags; widened for more
        self._bigram_tables(weights.attrs)
        self.own_sum = np.zeros((capacity + 1, weights.state.shape[1]))
        self.near = np.zeros((capacity + 1, sum(self.widths)), self.dtype)
        self.counts = np.zeros((capacity + 1, len(_OFFSETS)), np.int16)
        self.stem_id = np.full(capacity + 1, self.n_stems, np.intp)
        self.k1_id = np.full(capacity + 1, self.n_k1, np.intp)
        self.index: dict[str, int] = {}  # word -> slot
        self.forms: dict[tuple[str, str], int] = {}  # (normalised form, shape) -> slot
        self.primed: dict[tuple[str, str], int] = {}  # forms kept when the cache is emptied
        self._pending_clear()
        self._slots.append(0)
        self._sizes.extend((0, 1, 1, 1, 1))
        self._rows.extend(weights.attrs.get(_BOUNDARY[off], 0) for off in _OFFSETS)
        self._stems.append(self.n_stems)
        self._k1s.append(self.n_k1)
        self.flush()

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
        """Make room for ``n`` more words: the cache is emptied when full (memory stays flat on
        endless corpora) and grows only for a single batch larger than it."""
        if len(self.forms) + n > self.capacity:
            self.index.clear()
            self.forms = dict(self.primed)
            if n > self.capacity:
                extra = n - self.capacity
                self.own_sum = np.concatenate([self.own_sum, np.zeros((extra, self.own_sum.shape[1]))])
                self.near = np.concatenate([self.near, np.zeros((extra, self.near.shape[1]), self.dtype)])
                self.counts = np.concatenate([self.counts, np.zeros((extra, len(_OFFSETS)), np.int16)])
                self.stem_id = np.concatenate([self.stem_id, np.full(extra, self.n_stems, np.intp)])
                self.k1_id = np.concatenate([self.k1_id, np.full(extra, self.n_k1, np.intp)])
                self.capacity = n

    def _pending_clear(self) -> None:
        """Words added since the last flush, in flat lists (one numpy conversion per flush)."""
        self._slots: list[int] = []
        self._rows: list[int] = []  # each word's WordRows rows ...
        self._sizes: list[int] = []  # ... and the sizes of their five parts
        self._stems: list[int] = []
        self._k1s: list[int] = []

    def prime(self, forms: Sequence[str]) -> None:
        """Analyse frequent normalised words ahead and keep them for good."""
        for n in forms:
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
            rows, sizes, stem, k1 = self.word_rows(*form)
            self._slots.append(slot)
            self._rows.extend(rows)
            self._sizes.extend(sizes)
            self._stems.append(self.stem_index.get(stem, self.n_stems))
            self._k1s.append(self.k1_index.get(k1, self.n_k1))
        self.index[word] = slot
        return slot

    def flush(self) -> None:
        """Write the words added since the last flush into the tables."""
        if not self._slots:
            return
        slots = _int_array(self._slots)
        rows = _int_array(self._rows)
        sizes = _int_array(self._sizes).reshape(len(slots), 1 + len(_OFFSETS))
        own, counts = sizes[:, 0], sizes[:, 1:]
        if (counts > self.widths).any():
            self._widen(counts.max(axis=0))
        total = sizes.sum(axis=1)
        within = np.arange(len(rows)) - np.repeat(np.cumsum(total) - total, total)
        is_own = within < np.repeat(own, total)
        # own attributes, padded with row 0: a sum over the leading axis adds them one by one
        table = np.zeros((len(slots), max(int(own.max()), 1)), np.intp)
        table[np.arange(table.shape[1]) < own[:, None]] = rows[is_own]
        self.own_sum[slots] = self.state[table.T].sum(axis=0)
        widths = np.array(self.widths)
        section = np.repeat(np.arange(len(widths)), widths)
        at = np.arange(widths.sum()) - np.repeat(np.cumsum(widths) - widths, widths)
        block = np.zeros((len(slots), widths.sum()), self.dtype)
        block[at < counts[:, section]] = rows[~is_own]
        self.near[slots] = block
        self.counts[slots] = counts
        self.stem_id[slots] = self._stems
        self.k1_id[slots] = self._k1s
        self._pending_clear()

    def _widen(self, needed: np.ndarray) -> None:
        """Widen the neighbour sections a word overflows (the bundled model never does)."""
        new = [max(w, int(x)) for w, x in zip(self.widths, needed, strict=True)]
        parts, start = [], 0
        for w, nw in zip(self.widths, new, strict=True):
            parts += [self.near[:, start: start + w], np.zeros((len(self.near), nw - w), self.dtype)]
            start += w
        self.near = np.concatenate(parts, axis=1)
        self.widths = new

    def state_scores(self, q: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """(tokens, labels) state scores of the tokens at ``pos`` in the slot sequence ``q``
        (sentences separated by two boundary slots), summed in crfsuite's order: own attributes,
        the neighbours' from 2 before to 2 after, then the stem and cluster bigrams."""
        need = self.counts[q].max(axis=0).tolist()
        n = len(pos)
        ids = np.empty((sum(need) + 4, n), np.intp)
        at = start = 0
        for off, w, width in zip(_OFFSETS, need, self.widths, strict=True):
            ids[at: at + w] = self.near[q[pos + off], start: start + w].T
            at += w
            start += width
        left, here, right = q[pos - 1], q[pos], q[pos + 1]
        stem, k1 = self.stem_id, self.k1_id
        ns = self.n_stems + 1
        keys = np.concatenate([stem[left] * ns + stem[here], stem[here] * ns + stem[right]])
        found = np.searchsorted(self.pair_keys, keys)
        hit = self.pair_keys[found] == keys
        ids[at] = np.where(hit[:n], self.pair_rows[found[:n], 0], 0)
        ids[at + 1] = self.k1_rows[k1[left], k1[here], 0]
        ids[at + 2] = np.where(hit[n:], self.pair_rows[found[n:], 1], 0)
        ids[at + 3] = self.k1_rows[k1[here], k1[right], 1]
        terms = np.empty((len(ids) + 1, n, self.state.shape[1]))
        terms[0] = self.own_sum[here]
        np.take(self.state, ids, axis=0, out=terms[1:], mode="clip")  # ids are valid; no buffering
        return terms.sum(axis=0)  # one by one along the leading axis, as crfsuite adds them


class NerTagger:
    """BIO tagger over raw whitespace-level news tokens (clitics attached, punctuation split)."""

    def __init__(self, model_path: Path = MODEL_PATH, clusters_path: Path = CLUSTERS_PATH,
                 gazetteer_path: Path = GAZETTEER_PATH, cache_size: int = WORD_CACHE_MAX) -> None:
        self.clusters = read_clusters(clusters_path) if clusters_path.exists() else {}
        self.gazetteer = read_gazetteer(gazetteer_path) if gazetteer_path.exists() else {}
        w = read_crfsuite(model_path)
        self.labels = w.labels
        self._trans = w.trans
        # forward-backward in the probability domain with exp(trans) scaled to max 1: a step can
        # shrink the largest entry by at most exp(-range of trans) and grow it by at most
        # len(labels), so rescaling every `_rescale` steps keeps all within 1e+-260
        spread = float(w.trans.max() - w.trans.min())
        self._exp_trans = np.exp(w.trans - w.trans.max())
        self._rescale = max(1, int(600 // max(spread, math.log(len(w.labels)), 1.0)))
        m = len(w.labels)
        self._fb_step = np.zeros((2 * m, 2 * m))  # forward by exp_trans, backward by its transpose
        self._fb_step[:m, :m] = self._exp_trans
        self._fb_step[m:, m:] = self._exp_trans.T
        self._vocab = _Vocab(w, self.clusters, self.gazetteer, cache_size)
        import os
        k = int(os.environ.get("NER_PRIME", "0"))
        if k:
            with gzip.open(MODELS / "wordfreq.tsv.gz", "rt", encoding="utf-8") as fh:
                words = [line.split("\t", 1)[0] for line in fh if not line.startswith("#")][:k]
            self._vocab.prime(words)

    @classmethod
    @cache
    def load(cls) -> NerTagger:
        """The bundled model, loaded once per process."""
        return cls()

    # ------------------------------------------------------------------ public API

    def tag(self, words: Sequence[str]) -> list[str]:
        """One BIO tag per input token."""
        return self.tag_many([words])[0]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """:meth:`tag` for several sentences at once (faster than one by one)."""
        batch = _Batch(self, sentences)
        labels = self.labels
        return [[labels[y] for y in path] for path in batch.viterbi()]

    def spans(self, words: Sequence[str]) -> list[Span]:
        """Entities as (start, end exclusive, type, confidence); confidence is the lowest
        per-token marginal probability of the predicted label inside the span."""
        return self.spans_many([words])[0]

    def spans_many(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        """:meth:`spans` for several sentences at once (a document's: one pass of numpy)."""
        batch = _Batch(self, sentences)
        labels = self.labels
        found: list[list[tuple[int, int, str]]] = []
        cells: list[tuple[int, int, int]] = []  # (sentence, token, label) whose marginal is needed
        for b, path in enumerate(batch.viterbi()):
            tags = [labels[y] for y in path]
            found.append(chunks := _chunks(tags))
            cells += [(b, t, path[t]) for s, e, _typ in chunks for t in range(s, e)]
        if not cells:
            return [[] for _ in found]
        probs = iter(batch.marginals(cells).tolist())
        return [[(s, e, typ, round(min(next(probs) for _ in range(s, e)), 4)) for s, e, typ in chunks]
                for chunks in found]

    def marginals(self, words: Sequence[str]) -> np.ndarray:
        """(tokens, labels) marginal probabilities, columns in ``self.labels`` order."""
        batch = _Batch(self, [words])
        n, m = len(words), len(self.labels)
        cells = [(0, t, y) for t in range(n) for y in range(m)]
        return batch.marginals(cells).reshape(n, m) if cells else np.zeros((0, m))


def _chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
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


class _Batch:
    """State scores of a batch of sentences, laid out (tokens, labels, sentences) so that all
    sentences are decoded in lock step; steps past a sentence's end are padding."""

    def __init__(self, tagger: NerTagger, sentences: Sequence[Sequence[str]]) -> None:
        self.tagger = tagger
        self.n_sentences = len(sentences)
        self.which = [b for b, s in enumerate(sentences) if s]  # empty sentences are not decoded
        self.lens = np.array([len(sentences[b]) for b in self.which], np.intp)
        n_labels = len(tagger.labels)
        if not self.which:
            return
        vocab = tagger._vocab
        n = int(self.lens.sum())
        vocab.reserve(n)
        index, add = vocab.index, vocab.add
        q = [0, 0]
        for b in self.which:
            q += [index.get(w) or add(w) for w in sentences[b]]
            q += (0, 0)
        vocab.flush()
        lane = np.repeat(np.arange(len(self.which)), self.lens)
        token = np.arange(n)
        scores = vocab.state_scores(np.array(q, np.intp), token + 2 * (lane + 1))
        self.scores = np.zeros((int(self.lens.max()), n_labels, len(self.which)))
        self.scores[token - np.repeat(np.cumsum(self.lens) - self.lens, self.lens), :, lane] = scores

    def viterbi(self) -> list[list[int]]:
        """Best label ids per sentence (``[]`` for empty ones), with crfsuite's arithmetic and
        tie-breaking (the lowest label id wins)."""
        out: list[list[int]] = [[] for _ in range(self.n_sentences)]
        if not self.which:
            return out
        em, trans = self.scores, self.tagger._trans
        steps, n_labels, width = em.shape
        score = np.empty_like(em)
        score[0] = em[0]
        cand = np.empty((n_labels, n_labels, width))  # [from, to, sentence]
        step = trans[:, :, None]
        prev = score[0]
        for t in range(1, steps):
            cur = score[t]
            np.add(prev[:, None, :], step, out=cand)
            np.maximum.reduce(cand, axis=0, out=cur)
            cur += em[t]
            prev = cur
        # back pointers, recomputed after the loop in chunks (the same sums; bounded memory): the
        # first "from" label reaching the maximum, as crfsuite's strict comparison picks
        back = np.empty((max(steps - 1, 0), n_labels, width), np.intp)  # [step, to, sentence]
        for a in range(0, steps - 1, 256):
            cand = score[a: min(a + 256, steps - 1), :, None, :] + step  # [step, from, to, sentence]
            best = np.maximum.reduce(cand, axis=1)
            chunk = back[a: a + 256]
            chunk[...] = n_labels - 1
            for i in range(n_labels - 2, -1, -1):
                np.copyto(chunk, i, where=cand[:, i] == best)
        pointers = memoryview(back.ravel())  # indexing it gives ints: the fastest walk from Python
        last = score[self.lens - 1, :, np.arange(width)].argmax(axis=1).tolist()
        for k, (b, n) in enumerate(zip(self.which, self.lens.tolist(), strict=True)):
            y = last[k]
            path = [y]
            for t in range(n - 2, -1, -1):
                y = pointers[(t * n_labels + y) * width + k]
                path.append(y)
            path.reverse()
            out[b] = path
        return out

    def marginals(self, cells: Sequence[tuple[int, int, int]]) -> np.ndarray:
        """Marginal probability of each (sentence, token, label) cell.

        Forward-backward over the sentences that have cells, in the probability domain: the
        backward pass runs on each sentence reversed, so that all start at step 0, and both
        passes share each step's product by a block-diagonal matrix."""
        tagger = self.tagger
        lane_of = {b: k for k, b in enumerate(self.which)}
        need = sorted({lane_of[b] for b, _t, _y in cells})
        lens = self.lens[need]
        steps, n_labels = int(lens.max()), len(tagger.labels)
        em = self.scores[:steps, :, need].transpose(0, 2, 1)  # (steps, sentences, labels)
        odds = np.exp(em - em.max(axis=2, keepdims=True))  # a per-token factor cancels out
        lanes = np.arange(len(need))
        rev_odds = odds[np.maximum(lens - 1 - np.arange(steps)[:, None], 0), lanes]
        both = np.concatenate([odds, rev_odds], axis=2)
        # z[t] = [alpha[t] | g[t]], g[k] = beta[n-1-k] * odds[n-1-k]; each half rescaled apart
        z = np.empty_like(both)
        z[0] = both[0]
        step, every = tagger._fb_step, tagger._rescale
        halves = (len(need), 2, n_labels)
        for t in range(1, steps):
            cur = z[t]
            np.dot(z[t - 1], step, out=cur)
            cur *= both[t]
            if t % every == 0:
                h = cur.reshape(halves)
                h /= h.max(axis=2, keepdims=True)
        row_of = {k: i for i, k in enumerate(need)}
        lane = np.array([row_of[lane_of[b]] for b, _t, _y in cells])
        t = np.array([t for _b, t, _y in cells])
        y = np.array([y for _b, _t, y in cells])
        k = lens[lane] - 1 - t  # beta[t] = g[k - 1] @ exp_trans.T, and 1 at a sentence's end
        beta = z[np.maximum(k - 1, 0), lane, n_labels:] @ tagger._exp_trans.T
        beta[k == 0] = 1.0
        # alpha and beta may each be ~1e-260 here, so their product is formed in logs
        with np.errstate(divide="ignore"):
            joint = np.log(z[t, lane, :n_labels]) + np.log(beta)
        joint = np.exp(joint - joint.max(axis=1, keepdims=True))
        return joint[np.arange(len(cells)), y] / joint.sum(axis=1)
