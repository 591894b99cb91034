"""Read articles from files, folders and stdin into :class:`~marsad.doc.Document` objects.

Every input yields either a Document or an :class:`IngestError` naming the file (and line) and
the problem, so that one bad file never stops a batch.  JSONL is streamed line by line.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from marsad.doc import Document
from marsad.ingest.clean import clean_text
from marsad.ingest.encoding import DecodeError, decode_bytes

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
JSON_EXT = {".json"}
SUPPORTED = TEXT_EXT | HTML_EXT | JSONL_EXT | JSON_EXT
MAX_DOC_BYTES = 5_000_000  # one article larger than this is almost certainly not an article
KNOWN_FIELDS = {"id", "title", "text", "date", "url", "outlet"}
SIDECAR = ".meta.json"  # optional metadata beside a .txt/.html article: name.meta.json
_ARABIC = re.compile(r"[\u0621-\u064A]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class IngestError:
    """A problem with one input: where it is and what is wrong."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Item = Document | IngestError


def read_inputs(inputs: Iterable[str | Path], doc_date: str | None = None) -> Iterator[Item]:
    """Documents (or errors) from paths, folders (recursive) and ``-`` for stdin, in order."""
    for inp in inputs:
        if str(inp) == "-":
            yield from _finish(read_stream(sys.stdin.buffer, "<stdin>"), doc_date)
            continue
        path = Path(inp)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                           and not p.name.endswith(SIDECAR))
            if not files:
                yield IngestError(str(path), "folder contains no supported files (.txt .html .jsonl .json)")
            for f in files:
                yield from _finish(read_file(f, base=path), doc_date)
        else:
            yield from _finish(read_file(path), doc_date)


def read_file(path: Path, base: Path | None = None) -> Iterator[Item]:
    src = str(path)
    ext = path.suffix.lower()
    if not path.exists():
        yield IngestError(src, "no such file or folder")
        return
    if ext not in SUPPORTED:
        yield IngestError(src, f"unsupported file type {ext or '(no extension)'}; "
                               "expected .txt, .html/.htm, .jsonl or .json")
        return
    if path.name.endswith(SIDECAR):
        yield IngestError(src, "a metadata sidecar, not an article: give the article file beside it")
        return
    try:
        if ext in JSONL_EXT:
            with path.open("rb") as fh:
                yield from read_jsonl(fh, src)
            return
        size = path.stat().st_size
        if size > MAX_DOC_BYTES:
            yield IngestError(src, f"file is {size / 1e6:.1f} MB, larger than one article can be "
                                   f"({MAX_DOC_BYTES / 1e6:.0f} MB); split it or use .jsonl")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(src, f"cannot read: {exc.strerror or exc}")
        return
    default_id = _path_id(path, base)
    try:
        text, enc = decode_bytes(data)
    except DecodeError as exc:
        yield IngestError(src, str(exc))
        return
    if ext in JSON_EXT:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield IngestError(src, f"not valid JSON: {exc.msg} at line {exc.lineno}")
            return
        objs = obj if isinstance(obj, list) else [obj]
        for i, o in enumerate(objs):
            where = src if len(objs) == 1 else f"{src}[{i}]"
            yield _from_obj(o, where, default_id if len(objs) == 1 else f"{default_id}:{i + 1}", enc)
    else:
        item = _from_html(text, src, default_id, enc) if ext in HTML_EXT else _from_txt(text, src, default_id, enc)
        if isinstance(item, Document):
            _apply_sidecar(item, path)
        yield item


def _apply_sidecar(doc: Document, path: Path) -> None:
    """Metadata for a .txt/.html article from ``name.meta.json`` beside it, when there is one:
    id, title, date, url, outlet override what was found; other fields go to ``meta``."""
    side = path.with_name(path.stem + SIDECAR)
    if not side.is_file():
        return
    try:
        obj = json.loads(side.read_text(encoding="utf-8-sig"))
        if not isinstance(obj, dict):
            raise ValueError("expected a JSON object")
    except (OSError, ValueError) as exc:
        doc.warnings.append(f"metadata: ignored {side.name}: {exc}")
        return
    for key in ("id", "title", "url", "outlet"):
        if obj.get(key) not in (None, ""):
            setattr(doc, key, str(obj[key]))
    if obj.get("date") not in (None, ""):
        doc.date, doc.date_source = None, "none"
        _set_date(doc, obj["date"], str(side))
    doc.meta.update({k: v for k, v in obj.items() if k not in KNOWN_FIELDS})


def read_stream(stream: BinaryIO, src: str) -> Iterator[Item]:
    """stdin: JSONL when the first character is '{', else one plain-text article."""
    data = stream.read()
    if data.lstrip()[:1] == b"{":
        import io

        yield from read_jsonl(io.BytesIO(data), src)
        return
    try:
        text, enc = decode_bytes(data)
    except DecodeError as exc:
        yield IngestError(src, str(exc))
        return
    yield _from_txt(text, src, None, enc)


def read_jsonl(fh: BinaryIO, src: str) -> Iterator[Item]:
    for lineno, raw in enumerate(fh, 1):
        where = f"{src}:{lineno}"
        if not raw.strip():
            continue
        if len(raw) > MAX_DOC_BYTES:
            yield IngestError(where, f"line is {len(raw) / 1e6:.1f} MB, larger than one article can be")
            continue
        try:
            text = raw.decode("utf-8-sig") if lineno == 1 else raw.decode("utf-8")
            obj = json.loads(text)
        except UnicodeDecodeError:
            yield IngestError(where, "line is not UTF-8 (JSONL must be UTF-8)")
            continue
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _from_obj(obj, where, f"{Path(src).stem}:{lineno}", "utf-8")


def _from_obj(obj: Any, where: str, default_id: str | None, enc: str) -> Item:
    if not isinstance(obj, dict):
        return IngestError(where, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return IngestError(where, "missing or empty 'text' field")
    meta = {k: v for k, v in obj.items() if k not in KNOWN_FIELDS}
    doc = Document(
        id=str(obj["id"]) if obj.get("id") not in (None, "") else (default_id or ""),
        text=text, title=_str(obj.get("title")), url=_str(obj.get("url")),
        outlet=_str(obj.get("outlet")), source=where, meta=meta,
    )
    _set_date(doc, obj.get("date"), where)
    if enc not in ("utf-8", "utf-8-sig"):
        doc.warnings.append(f"encoding: read as {enc}")
    return doc


def _from_txt(text: str, where: str, default_id: str | None, enc: str) -> Item:
    lines = text.splitlines()
    title = next((ln.strip() for ln in lines if ln.strip()), None)
    doc = Document(id=default_id or "", text=text, title=title, source=where)
    if enc not in ("utf-8", "utf-8-sig"):
        doc.warnings.append(f"encoding: read as {enc} (not UTF-8)")
    return doc


def _from_html(html: str, where: str, default_id: str, enc: str) -> Item:
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_precision=True)
    if result is None:
        return IngestError(where, "HTML page has no extractable article text")
    get = (lambda k: getattr(result, k, None)) if not isinstance(result, dict) else result.get
    body = get("text") or ""
    title = get("title")
    if not body.strip():
        return IngestError(where, "HTML page has no extractable article text")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    doc = Document(id=default_id, text=text, title=title, url=get("url"),
                   outlet=get("sitename"), source=where)
    _set_date(doc, get("date"), where)
    if enc not in ("utf-8", "utf-8-sig"):
        doc.warnings.append(f"encoding: read as {enc} (not UTF-8)")
    return doc


def _set_date(doc: Document, value: Any, where: str) -> None:
    if value in (None, ""):
        return
    s = str(value)
    if _DATE.match(s):
        try:
            date.fromisoformat(s[:10])
            doc.date, doc.date_source = s[:10], "metadata"
            return
        except ValueError:
            pass
    doc.warnings.append(f"date: ignored unreadable date {s!r} (expected YYYY-MM-DD)")


def document_from_json(obj: Any, where: str, default_id: str | None, doc_date: str | None = None) -> Item:
    """One parsed JSON article -> a cleaned Document (or an error).  JSONL files and Spark rows both
    go through here, so ids, cleaning and warnings are the same whichever engine reads them."""
    return finish_one(_from_obj(obj, where, default_id, "utf-8"), doc_date)


def finish_one(item: Item, doc_date: str | None) -> Item:
    """Clean, id and check one document; an unusable one becomes an error."""
    if isinstance(item, IngestError):
        return item
    text, removed = clean_text(item.text)
    item.text, item.removed = text, removed
    if not text.strip():
        return IngestError(item.source or item.id, "no text left after cleaning")
    if not _ARABIC.search(text):
        return IngestError(item.source or item.id, "no Arabic text in this document")
    if not item.id:
        item.id = "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    if item.date is None and doc_date:
        item.date, item.date_source = doc_date, "metadata"
    if "\ufffd" in text:
        item.warnings.append(f"encoding: {text.count(chr(0xFFFD))} undecodable character(s) (U+FFFD)")
    return item


def _finish(items: Iterable[Item], doc_date: str | None) -> Iterator[Item]:
    for item in items:
        yield finish_one(item, doc_date)


def _path_id(path: Path, base: Path | None) -> str:
    """A readable stable id from the path: the stem, prefixed by sub-folders under ``base``."""
    if base is not None:
        try:
            rel = path.relative_to(base).with_suffix("")
            return "/".join(rel.parts)
        except ValueError:
            pass
    return path.stem


def _str(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
