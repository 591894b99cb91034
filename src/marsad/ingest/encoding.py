"""Bytes → text: BOMs, UTF-8, UTF-16, Windows-1256 and mojibake repair.

The assumed encoding is reported back so the record can say so when it was not UTF-8.
"""

from __future__ import annotations

import re

import ftfy
from charset_normalizer import from_bytes

_ARABIC = re.compile(r"[\u0621-\u064A]")
# UTF-8 Arabic read as cp1252/latin-1 shows as Ø/Ù followed by a Latin-1 symbol
_MOJIBAKE = re.compile(r"[ØÙ][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a]")


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, unknown encoding)."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``.  Raises :class:`DecodeError`."""
    if not data.strip():
        raise DecodeError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return _repair(data[3:].decode("utf-8", errors="replace")), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _repair(data.decode("utf-16")), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM has NULs in every other byte of ASCII text; real binaries do not decode
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _ARABIC.search(text) and "\x00" not in text:
                return text, enc
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return _repair(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Arabic legacy encodings first, then charset-normalizer's best guess.
    try:
        text = data.decode("cp1256")
        if _ARABIC.search(text) and _printable_ratio(text) > 0.95:
            return text, "cp1256"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("binary or undecodable file (no text encoding fits)")
    text = str(best)
    if _printable_ratio(text) < 0.9:
        raise DecodeError(f"binary file (decodes as {best.encoding} but is not text)")
    return _repair(text), best.encoding


def _repair(text: str) -> str:
    """Undo UTF-8-read-as-Latin-1 mojibake when it is there; leave good text alone."""
    if _MOJIBAKE.search(text):
        fixed = ftfy.fix_encoding(text)
        if len(_ARABIC.findall(fixed)) > len(_ARABIC.findall(text)):
            return fixed
    return text


def _printable_ratio(text: str) -> float:
    if not text:
        return 0.0
    ok = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return ok / len(text)
