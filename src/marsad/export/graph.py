"""The actor network as GraphML, for Gephi, yEd and ``networkx.read_graphml``.

Nodes are entities (attributes ``name``, ``name_en``, ``type``, ``country``, ``events``); edges are
corpus events aggregated per directed actor -> recipient pair (attributes ``events`` = count,
``score`` = mean cooperation-conflict score, ``categories`` = 'CAT:n|CAT:n').  A multi-actor event
adds one edge for every actor-recipient pair.  Absent attributes are written as '' (GraphML keys
need one type).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from marsad.store.corpus import Corpus


def actor_graph(corpus: Corpus) -> nx.DiGraph:
    g = nx.DiGraph()
    pairs: dict[tuple[str, str], list[float]] = defaultdict(list)
    cats: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for e in corpus.all_events():
        for a in e["actors"]:
            for r in e["recipients"]:
                if a["id"] and r["id"] and a["id"] != r["id"]:
                    pairs[(a["id"], r["id"])].append(e["score"] if e["score"] is not None else 0.0)
                    cats[(a["id"], r["id"])][e["event"]] += 1
    ids = sorted({x for p in pairs for x in p})
    info = {}
    offset = 0
    while batch := corpus.entities(limit=1000, offset=offset):
        info.update({r["id"]: r for r in batch})
        offset += len(batch)
    for i in ids:
        r = info.get(i, {})
        g.add_node(
            i,
            name=r.get("name") or i,
            name_en=r.get("name_en") or "",
            type=r.get("type") or "",
            country=r.get("country") or "",
            events=int(r.get("events") or 0),
        )
    for (a, b), scores in sorted(pairs.items()):
        g.add_edge(
            a,
            b,
            events=len(scores),
            score=round(sum(scores) / len(scores), 3),
            categories="|".join(f"{c}:{n}" for c, n in cats[(a, b)].most_common()),
        )
    return g


def export_graphml(corpus: Corpus, out: Path) -> Path:
    nx.write_graphml(actor_graph(corpus), out, encoding="utf-8")
    return out
