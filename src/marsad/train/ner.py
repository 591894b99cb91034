"""Train and evaluate the bundled CRF NER model.

Rebuilds ``src/marsad/models/clusters.tsv.gz`` (word2vec + k-means word clusters from the unlabeled
news corpus) and ``src/marsad/models/ner.crfsuite`` from /work/shared/data.  Training-only
dependencies: gensim and scikit-learn (clusters step).  Seeds are fixed; word2vec uses one worker
by default so that the cluster table is bit-for-bit reproducible.

    python -m marsad.train.ner clusters    # word2vec + k-means, ~20 CPU-minutes
    python -m marsad.train.ner train       # CRF on ANERcorp train + gazetteer, ~3-5 min, prints scores
    python -m marsad.train.ner eval --aqmar
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from marsad.extract.ner.features import sentence_features, strip_proclitics
from marsad.extract.ner.model import bio_spans
from marsad.text.normalize import normalize

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
MODELS = REPO / "src" / "marsad" / "models"

Sentence = tuple[list[str], list[str]]

# ---------------------------------------------------------------------------- data


def read_conll(path: Path) -> list[Sentence]:
    """``token<TAB>tag`` sentences; PERS is renamed PER (the product's label)."""
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    out.append((words, tags))
                    words, tags = [], []
                continue
            w, _, t = line.partition("\t")
            t = t.strip() or "O"
            words.append(w)
            tags.append(t.replace("PERS", "PER"))
    if words:
        out.append((words, tags))
    return out


_PRO = frozenset({"و", "ف", "ب", "ل", "ك", "س"})
_ENC = frozenset({"ها", "هم", "هما", "هن", "كم", "كما", "نا", "ه", "ي", "ك", "ني"})


def rejoin_clitics(sent: Sentence) -> Sentence:
    """Glue WikiFANE's split clitics back onto their host so tokens look like news tokens.

    A proclitic takes the label of the word it joins (``و`` + ``B-LOC`` -> ``B-LOC``, as in
    ANERcorp); ``ل`` + ``ال...`` is written ``لل...``.  Enclitics join the previous word.
    """
    words, tags = sent
    ow: list[str] = []
    ot: list[str] = []
    pending_w = ""
    pending_t: str | None = None
    for w, t in zip(words, tags, strict=True):
        if w in _PRO and t == "O":
            pending_w += w
            pending_t = pending_t or t
            continue
        if w in _ENC and t == "O" and ow and not pending_w and re.search(r"[\u0600-\u06FF]$", ow[-1]):
            host = ow[-1]
            ow[-1] = (host[:-1] + "ت" if host.endswith("ة") else host) + w
            continue
        if pending_w:
            w = pending_w + w[1:] if pending_w.endswith("ل") and w.startswith("ال") else pending_w + w
            pending_w, pending_t = "", None
        ow.append(w)
        ot.append(t)
    if pending_w:
        ow.append(pending_w)
        ot.append("O")
    return ow, ot


def load_sets(names: Iterable[str]) -> list[tuple[str, Sentence]]:
    """(corpus name, sentence) pairs for the named corpora (never NewsFANE or CLEANANERCorp)."""
    out: list[tuple[str, Sentence]] = []
    for name in names:
        if name == "anercorp":
            sents = read_conll(DATA / "anercorp_camel_split" / "train.tsv")
        elif name == "aqmar":
            sents = read_conll(DATA / "aqmar" / "aqmar.conll4.tsv")
        elif name == "aqmar3":  # AQMAR minus the held-out articles
            sents = aqmar_split()[0]
        elif name == "wojood":
            sents = [s for part in ("train", "val", "test")
                     for s in read_conll(DATA / "wojood_sample" / f"{part}.conll4.tsv")]
        elif name == "wikifane":
            sents = [rejoin_clitics(s) for s in read_conll(DATA / "wikifane_newsfane_gold" /
                                                          "wikifane_gold.conll4.tsv")]
        elif name == "wikifane_raw":
            sents = read_conll(DATA / "wikifane_newsfane_gold" / "wikifane_gold.conll4.tsv")
        else:
            raise SystemExit(f"unknown data set {name!r}")
        out += [(name, s) for s in sents]
    return out


def wikidata_names() -> set[str]:
    """Normalised Arabic person-name words from Wikidata (CC0 transliteration pairs)."""
    path = DATA / "netransliteration_wikidata_ar" / "wd_arabic.normalized.aligned.tokens.pairs.tsv"
    names: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and len(parts[1]) >= 2:
                names.add(normalize(parts[1]))
    return names


def build_gazetteer(sents: Iterable[Sentence], names: set[str], min_rate: float = 0.3) -> dict[str, str]:
    """Stem -> tags: the majority entity type of words that are mostly inside entities in the
    labelled data, plus ``WD`` for Wikidata person-name words."""
    total: Counter[str] = Counter()
    typed: dict[str, Counter[str]] = {}
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            k = strip_proclitics(normalize(w))
            total[k] += 1
            if t != "O":
                typed.setdefault(k, Counter())[t[2:]] += 1
    gaz: dict[str, str] = {}
    for k, c in typed.items():
        n = sum(c.values())
        if n / total[k] >= min_rate:
            gaz[k] = c.most_common(1)[0][0]
    for k in names:
        gaz[k] = gaz[k] + "|WD" if k in gaz else "WD"
    return gaz


def write_table(path: Path, table: dict[str, str]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as gz:
        for k in sorted(table):
            gz.write(f"{k}\t{table[k]}\n".encode())


# ---------------------------------------------------------------------------- clusters

_TOKEN = re.compile(r"\w+|[^\w\s]")


def corpus_sentences(path: Path) -> Iterator[list[str]]:
    """Normalised tokens of the unlabeled corpus, one list per line of article text."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for para in (d.get("title") or "", *(d.get("text") or "").split("\n")):
                toks = _TOKEN.findall(normalize(para))
                if toks:
                    yield toks


def _hash(s: str) -> int:
    """Deterministic replacement for Python's salted ``hash`` in gensim's seeding."""
    return zlib.crc32(s.encode("utf-8"))


def build_clusters(out: Path, ks: Sequence[int] = (64, 256, 1024), vocab: int = 150_000,
                   workers: int = 1, dim: int = 100, epochs: int = 5) -> None:
    """word2vec (skip-gram) on the normalised corpus, then k-means at several granularities.

    The table covers the ``vocab`` most frequent normalised words plus their clitic-stripped stems
    (so clitic-split WikiFANE words and unseen clitic combinations still find a cluster).
    """
    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import MiniBatchKMeans

    src = SHARED / "corpus" / "unlabeled.jsonl.gz"
    t0 = time.time()
    sents = list(corpus_sentences(src))
    # Add the clitic-stripped view of every sentence so stems get their own vectors.
    stems = [[strip_proclitics(w) for w in s] for s in sents]
    print(f"corpus: {len(sents)} lines, {sum(map(len, sents))} tokens ({time.time() - t0:.0f}s)", flush=True)
    model = Word2Vec(sentences=sents + stems, vector_size=dim, window=5, min_count=5, sg=1, negative=5,
                     epochs=epochs, workers=workers, seed=13, hashfxn=_hash)
    print(f"word2vec: {len(model.wv)} words ({time.time() - t0:.0f}s)", flush=True)
    words = [w for w in model.wv.index_to_key if re.search(r"\w", w)][:vocab]
    vecs = np.stack([model.wv[w] for w in words]).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    cols = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=13, batch_size=4096, n_init=3, max_iter=100)
        cols.append(km.fit_predict(vecs))
        print(f"k-means {k} ({time.time() - t0:.0f}s)", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as gz:
        gz.write(("#word\t" + "\t".join(f"k{k}" for k in ks) + "\n").encode())
        for i, w in enumerate(words):
            gz.write((w + "\t" + "\t".join(str(c[i]) for c in cols) + "\n").encode("utf-8"))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)", flush=True)


# ---------------------------------------------------------------------------- evaluation


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Exact-match entity spans (conlleval style: a stray I- starts a new entity)."""
    return set(bio_spans(tags))


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, tuple[float, float, float, int]]:
    """Per-type and micro P/R/F1 (percent) with gold support."""
    tp: Counter[str] = Counter()
    ng: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = chunks(g), chunks(p)
        for s in gs:
            ng[s[2]] += 1
        for s in ps:
            npred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1
    res: dict[str, tuple[float, float, float, int]] = {}

    def prf(a: int, b: int, c: int) -> tuple[float, float, float]:
        p = 100 * a / b if b else 0.0
        r = 100 * a / c if c else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    for t in sorted(set(ng) | set(npred)):
        res[t] = (*prf(tp[t], npred[t], ng[t]), ng[t])
    res["ALL"] = (*prf(sum(tp.values()), sum(npred.values()), sum(ng.values())), sum(ng.values()))
    return res


def format_scores(res: dict[str, tuple[float, float, float, int]]) -> str:
    lines = ["| type | P | R | F1 | gold |", "|---|---|---|---|---|"]
    for t, (p, r, f, n) in res.items():
        lines.append(f"| {t} | {p:.1f} | {r:.1f} | {f:.1f} | {n} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- training


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    from marsad.extract.ner.model import read_clusters

    return read_clusters(path)


def train(sents: Sequence[tuple[str, Sentence]], out: Path, clusters_path: Path, gazetteer_path: Path | None,
          c1: float, c2: float, max_iter: int, min_freq: int,
          gaz_sents: Sequence[tuple[str, Sentence]] = (), gaz_min_rate: float = 0.5) -> None:
    """Train the CRF.  With a gazetteer, each corpus is featurised with a gazetteer built from the
    *other* corpora (so the CRF learns how far to trust an entry it has not memorised); the
    shipped gazetteer is built from all of them.  ``gaz_sents`` adds corpora used only as
    gazetteer sources."""
    import pycrfsuite

    clusters = load_clusters(clusters_path) if clusters_path.exists() else {}
    gaz_for: dict[str, dict[str, str]] = {}
    if gazetteer_path is not None:
        names = wikidata_names()
        pool = list(sents) + [x for x in gaz_sents if x[0] not in {src for src, _ in sents}]
        for src in sorted({src for src, _ in sents}):
            gaz_for[src] = build_gazetteer((s for g, s in pool if g != src), names, gaz_min_rate)
        write_table(gazetteer_path, build_gazetteer((s for _, s in pool), names, gaz_min_rate))
    trainer = pycrfsuite.Trainer(verbose=False)
    for src, (words, tags) in sents:
        trainer.append(sentence_features(words, clusters, gaz_for.get(src)), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter, "feature.minfreq": min_freq,
                        "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def evaluate(model: Path, clusters_path: Path, gazetteer_path: Path | None,
             test: Sequence[Sentence]) -> tuple[dict, float]:
    from marsad.extract.ner.model import NerTagger

    tagger = NerTagger(model, clusters_path, gazetteer_path or Path("/nonexistent"))
    t0 = time.time()
    pred = [tagger.tag(w) for w, _ in test]
    dt = time.time() - t0
    ntok = sum(len(w) for w, _ in test)
    return score([t for _, t in test], pred), ntok / dt


def aqmar_split() -> tuple[list[Sentence], list[Sentence]]:
    """AQMAR held out by article: every 4th article (sorted by name) is test."""
    files = sorted((DATA / "aqmar" / "articles").glob("*.tsv"))
    tr: list[Sentence] = []
    te: list[Sentence] = []
    for i, f in enumerate(files):
        sents = read_conll(f)
        sents = [(w, [_aqmar_tag(t) for t in ts]) for w, ts in sents]
        (te if i % 4 == 3 else tr).extend(sents)
    return tr, te


def _aqmar_tag(t: str) -> str:
    if t == "O":
        return t
    b, _, typ = t.partition("-")
    return f"{b}-MISC" if typ.startswith("MIS") else t


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.ner", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("clusters", help="build word clusters from the unlabeled corpus")
    c.add_argument("--out", type=Path, default=MODELS / "clusters.tsv.gz")
    c.add_argument("--workers", type=int, default=1)
    c.add_argument("--vocab", type=int, default=150_000)
    t = sub.add_parser("train", help="train the CRF and score it on ANERcorp test")
    t.add_argument("--data", default="anercorp", help="CRF training corpora (pooling others hurt ANERcorp)")
    t.add_argument("--out", type=Path, default=MODELS / "ner.crfsuite")
    t.add_argument("--clusters", type=Path, default=MODELS / "clusters.tsv.gz")
    t.add_argument("--gazetteer", default=str(MODELS / "gazetteer.tsv.gz"), help="output path, or 'none'")
    t.add_argument("--gaz-data", default="aqmar,wojood,wikifane",
                   help="extra corpora used only as gazetteer sources")
    t.add_argument("--gaz-min-rate", type=float, default=0.3,
                   help="keep words inside entities at least this often")
    t.add_argument("--c1", type=float, default=0.05)
    t.add_argument("--c2", type=float, default=0.01)
    t.add_argument("--max-iter", type=int, default=200)
    t.add_argument("--min-freq", type=int, default=1)
    t.add_argument("--aqmar-holdout", action="store_true", help="train on 3/4 of AQMAR articles, score the rest")
    e = sub.add_parser("eval", help="score a model on ANERcorp test (and AQMAR held-out articles)")
    e.add_argument("--model", type=Path, default=MODELS / "ner.crfsuite")
    e.add_argument("--clusters", type=Path, default=MODELS / "clusters.tsv.gz")
    e.add_argument("--gazetteer", default=str(MODELS / "gazetteer.tsv.gz"), help="path, or 'none'")
    e.add_argument("--aqmar", action="store_true")
    args = ap.parse_args(argv)
    random.seed(13)

    if args.cmd == "clusters":
        build_clusters(args.out, workers=args.workers, vocab=args.vocab)
        return
    test = read_conll(DATA / "anercorp_camel_split" / "test.tsv")
    gaz = None if args.gazetteer == "none" else Path(args.gazetteer)
    if args.cmd == "train":
        names = [n for n in args.data.split(",") if n]
        aq_test: list[Sentence] = []
        if args.aqmar_holdout:
            aq_test = aqmar_split()[1]
            if "aqmar" in names:
                names[names.index("aqmar")] = "aqmar3"
        sents = load_sets(names)
        t0 = time.time()
        print(f"training on {args.data}: {len(sents)} sentences, {sum(len(s[0]) for _, s in sents)} tokens",
              flush=True)
        gaz_names = [n for n in args.gaz_data.split(",") if n]
        if args.aqmar_holdout and "aqmar" in gaz_names:
            gaz_names[gaz_names.index("aqmar")] = "aqmar3"
        train(sents, args.out, args.clusters, gaz, args.c1, args.c2, args.max_iter, args.min_freq,
              load_sets(gaz_names) if gaz is not None else [], args.gaz_min_rate)
        print(f"trained in {time.time() - t0:.0f}s; model {args.out.stat().st_size / 1e6:.1f} MB", flush=True)
        res, speed = evaluate(args.out, args.clusters, gaz, test)
        print("ANERcorp test\n" + format_scores(res) + f"\nspeed {speed:.0f} tok/s", flush=True)
        if aq_test:
            res, _ = evaluate(args.out, args.clusters, gaz, aq_test)
            print("AQMAR held-out articles\n" + format_scores(res), flush=True)
    elif args.cmd == "eval":
        res, speed = evaluate(args.model, args.clusters, gaz, test)
        print("ANERcorp test\n" + format_scores(res) + f"\nspeed {speed:.0f} tok/s")
        if args.aqmar:
            res, _ = evaluate(args.model, args.clusters, gaz, aqmar_split()[1])
            print("AQMAR held-out articles\n" + format_scores(res))


if __name__ == "__main__":
    main(sys.argv[1:])
