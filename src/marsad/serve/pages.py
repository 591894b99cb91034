"""The HTML pages of the workbench (Arabic, right-to-left), rendered from the ``Corpus``.

Article text is untrusted, so nothing here builds HTML from strings: Python hands the templates
plain data (text slices, span trees, figure dicts) and Jinja2 escapes every value
(``autoescape=True``).  Figures go into ``<script type="application/json">`` through ``|tojson``,
which escapes ``<``, ``>``, ``&`` and ``'``, so article text cannot close the script element.
Plotly's JS is served from the installed Python package: the machine is offline and a copy in
the repository would go stale.
"""

from __future__ import annotations

import contextlib
import html
import math
import mimetypes
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

router = APIRouter()

# Labels and colours shared by the templates and the charts.
NAV = [("/", "نظرة عامة", "Overview"), ("/documents", "الوثائق", "Documents"),
       ("/entities", "الفاعلون", "Actors"), ("/events", "الأحداث", "Events"), ("/search", "بحث", "Search")]
TYPE_COLOURS = {"PER": "#1f77b4", "ORG": "#2ca02c", "GPE": "#d62728", "LOC": "#9467bd",
                "FAC": "#8c564b", "EVENT": "#e377c2"}
CATEGORY_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                    "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                    "#66a61e", "#e6ab02"]
TYPE_AR = {"PER": "شخص", "ORG": "منظمة", "GPE": "دولة/مدينة", "LOC": "موقع", "FAC": "منشأة", "EVENT": "حدث"}
STATUS_AR = {"asserted": "مؤكَّد", "planned": "مخطَّط", "negated": "منفي", "hypothetical": "افتراضي"}
KIND_AR = {"entity": "كيان", "trigger": "حدث", "quantity": "كمية", "time": "زمن", "framing": "تأطير",
           "attribution": "إسناد"}
FIELD_AR = {"date": "التاريخ", "location": "المكان", "event_loc": "المكان", "quantities": "الكميات",
            "quantity": "الكمية", "status": "الحالة", "actor": "الفاعل", "actors": "الفاعل",
            "recipient": "المتلقّي", "recipients": "المتلقّي", "parties": "الأطراف", "mode": "النمط",
            "event": "الفئة", "attribution": "الإسناد"}
PAGE = 50


def _u(value: Any) -> str:
    """Quote one URL path segment (ids hold Arabic, ':' and '/')."""
    return quote(str(value), safe="")


def safe_url(value: Any) -> str:
    """An outside link from the data, only if it is http(s): ``javascript:`` URLs survive escaping."""
    url = str(value or "").strip()
    return url if re.match(r"(?i)^https?://[^\s\"'<>]+$", url) else ""


def field_ar(name: str) -> str:
    """Arabic name of a contradiction field ('quantity:money' -> the word for quantity)."""
    return FIELD_AR.get(name) or FIELD_AR.get(name.split(":")[0], name)


def _qs(params: dict[str, Any], **changes: Any) -> str:
    """The query string of this page with some parameters changed (for paging links)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", 0) or k == "offset" and v})


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)
    env.filters["u"] = _u
    env.filters["safe_url"] = safe_url
    env.globals.update(NAV=NAV, TYPE_AR=TYPE_AR, STATUS_AR=STATUS_AR, KIND_AR=KIND_AR, FIELD_AR=FIELD_AR,
                       TYPE_COLOURS=TYPE_COLOURS, qs=_qs, fmt=fmt_value, field_ar=field_ar)
    return env


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    return Jinja2Templates(env=_env())


def _corpus(request: Request) -> Any:
    corpus = getattr(request.app.state, "corpus", None)
    if corpus is None:
        raise HTTPException(503, "no corpus is attached to this app")
    return corpus


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    return _templates().TemplateResponse(request, name, {"path": request.url.path, **ctx},
                                      status_code=status_code)


def _missing(request: Request, what: str, ident: str) -> HTMLResponse:
    """A 404 page in the workbench's own layout (the app's handler would answer JSON)."""
    return _render(request, "error.html", status_code=404, status=404,
                   message=f"لا يوجد {what} بالمعرّف «{ident}» · no {what} {ident!r}")


def _int(value: str | None, default: int, lo: int = 0, hi: int = 10_000) -> int:
    try:
        return max(lo, min(hi, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a Corpus method, dropping keyword filters it does not know (the two sides evolve apart)."""
    try:
        return fn(*args, **kwargs)
    except TypeError:
        import inspect

        params = inspect.signature(fn).parameters
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            raise
        return fn(*args, **{k: v for k, v in kwargs.items() if k in params})


# --- value formatting -----------------------------------------------------------------------------
def fmt_value(value: Any) -> str:
    """A readable string for a contradiction value or quantity (lists, dicts, numbers)."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        if "value" in value and "unit" in value:
            return f"{fmt_value(value['value'])} {value.get('unit') or ''}".strip()
        for key in ("name", "text", "entity", "country"):
            if value.get(key):
                return str(value[key])
        return ", ".join(f"{k}: {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "، ".join(fmt_value(v) for v in value) or "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


# --- the highlighted document view ----------------------------------------------------------------
def spans_from_record(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """The marks of a record when the Corpus gave none: entities, triggers, quantities, framing."""
    spans: list[dict[str, Any]] = []
    for ent in rec.get("entities") or []:
        for m in ent.get("mentions") or []:
            spans.append({"start": m["start"], "end": m["end"], "kind": "entity", "label": ent.get("type"),
                          "ref": ent.get("id"), "title": _names(ent)})
    for ev in rec.get("events") or []:
        trig = ev.get("trigger") or {}
        if trig.get("end", 0) > trig.get("start", 0):
            spans.append({"start": trig["start"], "end": trig["end"], "kind": "trigger",
                          "label": ev.get("event"), "ref": ev.get("id")})
        for q in ev.get("quantities") or []:
            if q.get("end", 0) > q.get("start", 0):
                spans.append({"start": q["start"], "end": q["end"], "kind": "quantity",
                              "label": q.get("unit"), "ref": None})
    for f in rec.get("framing") or []:
        spans.append({"start": f["start"], "end": f["end"], "kind": "framing", "label": f.get("kind"),
                      "ref": None})
    return spans


def _plain(text: Any) -> str:
    """Text for plotly labels: plotly reads a subset of HTML in labels, so tags must arrive escaped
    (it shows ``&lt;`` as ``<``)."""
    return html.escape(str(text), quote=False)


def _names(ent: dict[str, Any]) -> str:
    name, en = ent.get("name") or "", ent.get("name_en") or ""
    return f"{name} · {en}" if name and en and en != name else name or en


_KIND_ORDER = {"entity": 0, "attribution": 1, "framing": 2, "time": 3, "quantity": 4, "trigger": 5}


def nest_spans(text: str, start: int, end: int, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn possibly overlapping spans over ``text[start:end]`` into a tree the template can render.

    A node is ``{"text": str}`` or ``{"span": dict, "children": [...], "cont": bool}``.  Spans that
    cross a sibling are cut at its end (``cont`` marks a piece that is not the span's beginning, so
    its label is not repeated).  Only slices of ``text`` go into nodes; the template escapes them.
    """
    items = []
    for sp in spans:
        s, e = max(int(sp["start"]), start), min(int(sp["end"]), end)
        if s < e:
            items.append((s, e, sp))
    return _nest(text, start, end, items)


def _key(item: tuple[int, int, dict[str, Any]]) -> tuple[int, int, int]:
    s, e, sp = item
    return (s, -e, _KIND_ORDER.get(sp.get("kind", ""), 9))


def _nest(text: str, a: int, b: int, items: list[tuple[int, int, dict[str, Any]]]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    pos = a
    rest = sorted(items, key=_key)
    while rest:
        s, e, sp = rest.pop(0)
        s = max(s, pos)
        if s >= e:
            continue
        if s > pos:
            nodes.append({"text": text[pos:s]})
        inner, keep = [], []
        for x, y, q in rest:
            if x < e:
                if max(x, s) < min(y, e):
                    inner.append((max(x, s), min(y, e), q))
                if y > e:
                    keep.append((e, y, q))
            else:
                keep.append((x, y, q))
        rest = sorted(keep, key=_key)
        nodes.append({"span": sp, "cont": s > int(sp["start"]), "children": _nest(text, s, e, inner)})
        pos = e
    if pos < b:
        nodes.append({"text": text[pos:b]})
    return nodes


_PARA = re.compile(r"\n\s*\n|\n")


def paragraphs(text: str, sentences: list[list[int]], spans: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Paragraphs of sentence pieces: ``[[{"n": sentence or None, "anchor": bool, "nodes": [...]}]]``.

    Paragraph breaks are the text's newlines; a sentence crossing one is split and only its first
    piece carries the ``s{n}`` anchor.  Text between sentences is kept as an unanchored piece.
    """
    bounds, pos = [], 0
    for m in _PARA.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    sents = sorted((int(s), int(e), n) for n, (s, e) in enumerate(sentences or []))
    out: list[list[dict[str, Any]]] = []
    anchored: set[int] = set()
    for ps, pe in bounds:
        pieces: list[dict[str, Any]] = []
        cur = ps
        for s, e, n in sents:
            s2, e2 = max(s, ps), min(e, pe)
            if s2 >= e2 or s2 < cur:
                continue
            if s2 > cur:
                pieces.append({"n": None, "anchor": False, "nodes": nest_spans(text, cur, s2, spans)})
            pieces.append({"n": n, "anchor": n not in anchored, "nodes": nest_spans(text, s2, e2, spans)})
            anchored.add(n)
            cur = e2
        if cur < pe:
            pieces.append({"n": None, "anchor": False, "nodes": nest_spans(text, cur, pe, spans)})
        out.append(pieces)
    return out


def mark_ranges(text: str, ranges: Iterable[Iterable[int]]) -> list[dict[str, Any]]:
    """Search-hit highlighting: ``[{"text": str, "hit": bool}]`` slices, escaped by the template."""
    clean = sorted((max(0, int(s)), min(len(text), int(e))) for s, e, *_ in ranges)
    out, pos = [], 0
    for s, e in clean:
        s = max(s, pos)
        if s >= e:
            continue
        if s > pos:
            out.append({"text": text[pos:s], "hit": False})
        out.append({"text": text[s:e], "hit": True})
        pos = e
    if pos < len(text):
        out.append({"text": text[pos:], "hit": False})
    return out


def _highlight(hit: dict[str, Any], q: str) -> list[dict[str, Any]]:
    """Highlight a search hit from the Corpus' ``highlight`` (offset pairs) or, failing that, ``q``."""
    text = hit.get("text") or hit.get("sentence_text") or ""
    hl = hit.get("highlight")
    if isinstance(hl, list) and all(isinstance(r, list | tuple) and len(r) >= 2 for r in hl):
        return mark_ranges(text, hl)
    if isinstance(hl, list) and all(isinstance(r, dict) and "start" in r for r in hl):
        return mark_ranges(text, [(r["start"], r["end"]) for r in hl])
    ranges = [(m.start(), m.end()) for w in q.split() if w
              for m in re.finditer(re.escape(w), text)]
    return mark_ranges(text, ranges)


# --- figures (plain dicts for plotly.js) ---------------------------------------------------------
FONT = {"family": "'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Sans', Tahoma, sans-serif", "size": 12}


NETWORK_MAX_NODES = 50


def network_figure(network: dict[str, Any], labels: int = 14) -> dict[str, Any] | None:
    """Actors as nodes (sized by events, coloured by type), events as edges; spring layout server-side."""
    import networkx as nx

    nodes = network.get("nodes") or []
    edges = network.get("edges") or []
    if not nodes:
        return None
    # a readable graph: the most active actors only (the others are one click away in the lists)
    nodes = sorted(nodes, key=lambda n: -float(n.get("events") or 0))[:NETWORK_MAX_NODES]
    g = nx.Graph()
    for n in nodes:
        g.add_node(n["id"])
    for e in edges:
        a, b = e.get("source"), e.get("target")
        if a in g and b in g and a != b:
            w = float(e.get("weight") or e.get("count") or e.get("events") or 1)
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + w)
    pos = nx.spring_layout(g, seed=7, weight=None, k=2.2 / math.sqrt(max(len(g), 1)), iterations=100)
    # spring start, then Kamada-Kawai (needs scipy, else skipped) spreads the dense core far more evenly
    with contextlib.suppress(ImportError, ValueError, nx.NetworkXException):
        pos = nx.kamada_kawai_layout(g, pos=pos, weight=None)
    ex: list[float | None] = []
    ey: list[float | None] = []
    for a, b in g.edges():
        ex += [float(pos[a][0]), float(pos[b][0]), None]
        ey += [float(pos[a][1]), float(pos[b][1]), None]
    traces: list[dict[str, Any]] = [{"type": "scatter", "mode": "lines", "x": ex, "y": ey,
                                     "hoverinfo": "skip", "showlegend": False,
                                     "line": {"width": 1, "color": "#b8c0cc"}}]
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    ranked = sorted(nodes, key=lambda n: -float(n.get("events") or 0))
    labelled = {n["id"] for n in ranked[:labels]}  # the rest are named on hover: labels would pile up
    for n in nodes:
        by_type[n.get("type") or "?"].append(n)
    biggest = max(float(n.get("events") or n.get("size") or n.get("count") or 1) for n in nodes)
    for typ, group in sorted(by_type.items()):
        sizes = [float(n.get("events") or n.get("size") or n.get("count") or 1) for n in group]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": _plain(f"{TYPE_AR.get(typ, typ)} {typ}"),
            "x": [float(pos[n["id"]][0]) for n in group], "y": [float(pos[n["id"]][1]) for n in group],
            "text": [_plain(n.get("name") or n["id"]) if n["id"] in labelled else "" for n in group],
            "textposition": "top center", "textfont": {"size": 11, "color": "#333"},
            "hovertext": [_plain(f"{_names(n) or n['id']} — {int(s)} حدث")
                          for n, s in zip(group, sizes, strict=True)],
            "hoverinfo": "text", "customdata": [f"/entities/{_u(n['id'])}" for n in group],
            # area grows with events, relative to the busiest actor: 8 px to 40 px across
            "marker": {"size": [8 + 32 * math.sqrt(s / biggest) for s in sizes],
                       "color": TYPE_COLOURS.get(typ, "#7f7f7f"),
                       "line": {"width": 1, "color": "#fff"}}})
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return {"data": traces, "layout": {"xaxis": axis, "yaxis": axis, "height": 460, "hovermode": "closest",
                                       "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "font": FONT,
                                       "legend": {"orientation": "h", "y": -0.02}}}


def timeline_figure(timeline: Any) -> dict[str, Any] | None:
    """Events per month, one stacked bar series per PLOVER category."""
    rows: list[tuple[str, str, float]] = []
    if isinstance(timeline, dict):  # {month: {category: n}}
        for month, cats in timeline.items():
            for cat, n in (cats or {}).items():
                rows.append((str(month), str(cat), float(n)))
    else:
        for r in timeline or []:
            rows.append((str(r.get("month") or r.get("date") or "?"),
                         str(r.get("category") or r.get("event") or "?"),
                         float(r.get("count") or r.get("n") or r.get("events") or 0)))
    if not rows:
        return None
    months = sorted({m for m, _, _ in rows})
    cats = sorted({c for _, c, _ in rows})
    table = {(m, c): n for m, c, n in rows}
    data = [{"type": "bar", "name": _plain(c), "x": months, "y": [table.get((m, c), 0) for m in months],
             "marker": {"color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]}} for i, c in enumerate(cats)]
    return {"data": data, "layout": {"barmode": "stack", "height": 340, "font": FONT,
                                     "margin": {"l": 40, "r": 20, "t": 10, "b": 40},
                                     "xaxis": {"type": "category", "title": {"text": "الشهر"}},
                                     "yaxis": {"title": {"text": "عدد الأحداث"}},
                                     "legend": {"orientation": "h", "y": -0.2}}}


def dyad_figure(events: list[dict[str, Any]], trend: dict[str, Any]) -> dict[str, Any] | None:
    """Each interaction's cooperation–conflict score over time, with the monthly mean as a line."""
    pts = sorted(((e.get("date") or "", e) for e in events if e.get("date") and e.get("score") is not None),
                 key=lambda p: p[0])
    by_month = trend.get("by_month") or {}
    if isinstance(by_month, dict):
        months = sorted(by_month.items())
    else:
        months = [(r.get("month"), r.get("mean_score", r.get("score"))) for r in by_month]
    if not pts and not months:
        return None
    data: list[dict[str, Any]] = []
    if pts:
        data.append({"type": "scatter", "mode": "markers", "name": "حدث · event",
                     "x": [d for d, _ in pts], "y": [float(e["score"]) for _, e in pts],
                     "text": [_plain(e.get("event") or "") for _, e in pts], "hoverinfo": "x+y+text",
                     "customdata": [f"/events/{_u(e['id'])}" for _, e in pts],
                     "marker": {"size": 11, "color": [float(e["score"]) for _, e in pts],
                                "colorscale": [[0, "#c92a2a"], [0.5, "#f2c94c"], [1, "#2b8a3e"]],
                                "cmin": -10, "cmax": 10,
                                "line": {"width": 1, "color": "#333"}}})
    if months:
        data.append({"type": "scatter", "mode": "lines+markers", "name": "متوسط شهري · monthly mean",
                     "x": [f"{m}-15" if len(str(m)) == 7 else m for m, _ in months],
                     "y": [float(v) if isinstance(v, int | float) else float((v or {}).get("mean", 0))
                           for _, v in months],
                     "line": {"color": "#555", "dash": "dot"}})
    return {"data": data, "layout": {"height": 360, "font": FONT, "hovermode": "closest",
                                     "margin": {"l": 40, "r": 20, "t": 10, "b": 40},
                                     "xaxis": {"type": "date", "title": {"text": "التاريخ"}},
                                     "yaxis": {"title": {"text": "تعاون (+) / صراع (−)"}, "range": [-10.5, 10.5],
                                               "zeroline": True},
                                     "legend": {"orientation": "h", "y": -0.2}}}


# --- static files -----------------------------------------------------------------------------
def plotly_js_path() -> Path | None:
    """plotly.min.js as shipped in the installed plotly Python package, if there is one."""
    try:
        import plotly
    except ImportError:
        return None
    p = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return p if p.is_file() else None


@router.get("/static/vendor/plotly.min.js", include_in_schema=False)
def plotly_js() -> Response:
    p = plotly_js_path()
    if p is None:  # pages still work: charts just do not draw
        return Response("/* plotly is not installed: pip install plotly */", media_type="text/javascript")
    return FileResponse(p, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})


@router.get("/static/{name:path}", include_in_schema=False)
def static(name: str) -> FileResponse:
    p = (STATIC / name).resolve()
    if not p.is_file() or STATIC not in p.parents:
        raise HTTPException(404, "no such file")
    media = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    return FileResponse(p, media_type=media)


# --- pages ------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(request: Request) -> HTMLResponse:
    ov = _corpus(request).overview()
    return _render(request, "overview.html", ov=ov, network_fig=network_figure(ov.get("network") or {}),
                   timeline_fig=timeline_figure(ov.get("timeline")))


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents(request: Request, q: str = "", offset: str | None = None) -> HTMLResponse:
    off = _int(offset, 0)
    docs = _call(_corpus(request).documents, q=q or None, limit=PAGE + 1, offset=off)
    return _render(request, "documents.html", docs=docs[:PAGE], more=len(docs) > PAGE, offset=off,
                   params={"q": q}, page=PAGE)


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
def document(request: Request, doc_id: str) -> HTMLResponse:
    doc = _corpus(request).document(doc_id)
    if not doc:
        return _missing(request, "document", doc_id)
    text = doc.get("text") or ""
    spans = doc.get("spans")
    if spans is None:
        spans = spans_from_record(doc)
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for sp in spans:  # two events sharing one attribution or quantity: one mark, not two
        key = (sp.get("start"), sp.get("end"), sp.get("kind"), sp.get("label"))
        if key not in seen:
            seen.add(key)
            unique.append(sp)
    spans = unique
    ents = {e.get("id"): e for e in doc.get("entities") or []}
    for sp in spans:  # hover titles (both names) and where each mark's label links to
        sp["href"] = _span_href(sp, ents)
        if sp.get("kind") in ("entity", "attribution") and not sp.get("title") and sp.get("ref") in ents:
            sp["title"] = _names(ents[sp["ref"]])
    return _render(request, "document.html", doc=doc, paras=paragraphs(text, doc.get("sentences") or [], spans),
                   ents=ents, kinds=sorted({sp.get("kind") for sp in spans if sp.get("kind")},
                                           key=lambda k: _KIND_ORDER.get(k, 9)))


def _span_href(sp: dict[str, Any], ents: dict[str, Any]) -> str | None:
    """Entities link to their profile, event marks (trigger, quantity) to the corpus event."""
    ref, event = sp.get("ref"), sp.get("event")
    if sp.get("kind") in ("entity", "attribution") and ref and ref in ents:
        return f"/entities/{_u(ref)}"
    if sp.get("kind") in ("trigger", "quantity", "attribution") and (event or ref):
        return f"/events/{_u(event or ref)}"
    return None


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities(request: Request, q: str = "", type: str = "", country: str = "",
             offset: str | None = None) -> HTMLResponse:
    off = _int(offset, 0)
    rows = _call(_corpus(request).entities, q=q or None, type=type or None, country=country or None,
                 limit=PAGE + 1, offset=off)
    return _render(request, "entities.html", rows=rows[:PAGE], more=len(rows) > PAGE, offset=off, page=PAGE,
                   params={"q": q, "type": type, "country": country})


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
def entity(request: Request, entity_id: str) -> HTMLResponse:
    ent = _corpus(request).entity(entity_id)
    if not ent:
        return _missing(request, "entity", entity_id)
    return _render(request, "entity.html", ent=ent)


EVENT_FILTERS = ("actor", "category", "date_from", "date_to", "country", "status", "source")


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events(request: Request, offset: str | None = None) -> HTMLResponse:
    off = _int(offset, 0)
    params = {k: request.query_params.get(k, "").strip() for k in EVENT_FILTERS}
    for k in ("date_from", "date_to"):  # a bad date is ignored rather than a 500
        if params[k] and not _valid_date(params[k]):
            params[k] = ""
    rows = _call(_corpus(request).events, **{k: v or None for k, v in params.items()}, limit=PAGE + 1,
                 offset=off)
    return _render(request, "events.html", rows=rows[:PAGE], more=len(rows) > PAGE, offset=off, page=PAGE,
                   params=params)


def _valid_date(s: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date."""
    full = {4: s + "-01-01", 7: s + "-01", 10: s}.get(len(s))
    try:
        return full is not None and _date.fromisoformat(full).isoformat() == full
    except ValueError:
        return False


@router.get("/events/{event_id:path}", response_class=HTMLResponse, include_in_schema=False)
def event(request: Request, event_id: str) -> HTMLResponse:
    ev = _corpus(request).event(event_id)
    if not ev:
        return _missing(request, "event", event_id)
    doc_sentence: dict[str, int] = {}
    for mt in ev.get("mentions") or []:
        mt["parts"] = _mention_parts(mt)
        if mt.get("doc_id") is not None and mt.get("sentence") is not None:
            doc_sentence.setdefault(mt["doc_id"], mt["sentence"])
    sources = sorted({str(mt.get("outlet") or mt.get("doc_id")) for mt in ev.get("mentions") or []})
    return _render(request, "event.html", ev=ev, sources=sources, doc_sentence=doc_sentence)


def _mention_parts(mt: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence sentence of a mention with its trigger marked (offsets are document offsets)."""
    text = mt.get("text") or ""
    trig = mt.get("trigger")
    base = int(mt.get("start") or 0)
    if isinstance(trig, dict) and trig.get("end") is not None and trig.get("start") is not None:
        s, e = int(trig["start"]) - base, int(trig["end"]) - base
        if 0 <= s < e <= len(text) and text[s:e] == (trig.get("text") or text[s:e]):
            return mark_ranges(text, [(s, e)])
        trig = trig.get("text")
    if isinstance(trig, str) and trig and trig in text:
        i = text.index(trig)
        return mark_ranges(text, [(i, i + len(trig))])
    return mark_ranges(text, [])


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
def dyad(request: Request, a: str, b: str) -> HTMLResponse:
    d = _corpus(request).dyad(a, b)
    known = [bool(set(d.get(k) or {}) - {"id"}) for k in ("a", "b")] if d else [False]
    if not all(known):  # the Corpus answers {"id": x} alone for an entity it does not know
        return _missing(request, "dyad", f"{a}/{b}")
    evs = d.get("events") or []
    return _render(request, "dyad.html", d=d, a_id=a, b_id=b, fig=dyad_figure(evs, d.get("trend") or {}))


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, q: str = "", offset: str | None = None) -> HTMLResponse:
    off = _int(offset, 0)
    params = {"q": q.strip(), **{k: request.query_params.get(k, "").strip() for k in EVENT_FILTERS}}
    hits: list[dict[str, Any]] = []
    if params["q"]:
        filters = {k: v for k, v in params.items() if k != "q" and v}
        hits = _call(_corpus(request).search, params["q"], **filters, limit=PAGE + 1, offset=off)
        for h in hits:
            h["parts"] = _highlight(h, params["q"])
    return _render(request, "search.html", hits=hits[:PAGE], more=len(hits) > PAGE, offset=off, page=PAGE,
                   params=params)
