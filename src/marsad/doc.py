"""The one data model every stage passes along (like spaCy's ``Doc``).

``Document`` is what ingest produces: text plus metadata.  ``Doc`` is a document with typed
layers of spans over its text; extraction components add layers and never rewrite the text.
All offsets are Python ``str`` indices into ``Doc.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from marsad.text.normalize import NormalizedText

_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum accepts: \w without the underscore
_START = itemgetter(0)


@dataclass
class Document:
    """An ingested article: cleaned text and its metadata."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    date: str | None = None  # reference date, YYYY-MM-DD
    date_source: str = "none"  # metadata | inferred | none
    source: str | None = None  # where it was read from (path[:line])
    meta: dict[str, Any] = field(default_factory=dict)  # extra metadata, passed through
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # what cleaning removed, for the record


@dataclass(frozen=True, slots=True)
class Token:
    """A whitespace/punctuation token, with its clitic segmentation.

    ``stem_start``/``stem_end`` delimit the token without proclitics (و ف ب ل ك س) and, for the
    stem, without enclitic pronouns; the definite article stays in the stem.
    """

    start: int
    end: int
    text: str
    norm: str
    stem_start: int
    stem_end: int
    prefixes: tuple[str, ...] = ()
    suffix: str = ""
    # has a letter or digit (not punctuation); set once here because every stage asks it
    is_word: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_word", _ALNUM.search(self.text) is not None)


@dataclass(slots=True)
class Span:
    """A typed span of the text with an optional label and attributes."""

    start: int
    end: int
    text: str
    label: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    source: str = ""  # which component found it: kb, gazetteer, ner, pattern, coref…


@dataclass(slots=True)
class Entity:
    """One real-world entity as seen in one document (resolved ids are corpus-wide)."""

    id: str
    type: str  # PER ORG GPE LOC FAC EVENT
    name: str
    name_en: str | None = None
    country: str | None = None
    sector: str | None = None
    roles: list[str] = field(default_factory=list)
    # per role: {"role", "office", "title_en", "country", "sector"} — which office (and so which
    # organisation of which state) the role phrase denotes
    role_details: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    kb_id: str | None = None  # id in the actor knowledge base, when known
    wikidata: str | None = None
    resolution: list[str] = field(default_factory=list)  # why mentions were merged (explainable)


@dataclass(slots=True)
class Argument:
    """An event participant or place: an entity reference and the words that name it."""

    entity: str | None
    text: str
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str
    text: str
    start: int
    end: int
    approx: bool = False
    kind: str = ""  # money, people, percent, count…


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    value: str | None  # YYYY-MM-DD | YYYY-MM | YYYY | None
    precision: str | None  # day | month | season | year | None
    end_value: str | None = None  # for ranges


@dataclass(slots=True)
class Attribution:
    entity: str | None
    text: str
    kind: str  # named | anonymous
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Event:
    id: str
    event: str  # PLOVER category
    mode: str | None
    context: list[str]
    cameo: str | None
    actor: list[Argument]
    recipient: list[Argument]
    trigger: Span
    sentence: int
    date: str | None = None
    date_precision: str | None = None
    event_loc: Argument | None = None
    quantities: list[Quantity] = field(default_factory=list)
    status: str = "asserted"
    attribution: Attribution | None = None
    evidence: list[tuple[int, int, int]] = field(default_factory=list)  # (sentence, start, end)
    confidence: float = 1.0


@dataclass
class Doc:
    """A document and the layers extraction has added to it."""

    document: Document
    normalized: NormalizedText | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    framing: list[Span] = field(default_factory=list)
    spans: dict[str, list[Span]] = field(default_factory=dict)  # other layers, by name
    summaries: dict[str, Any] = field(default_factory=dict)  # document-level results, by name
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def ref_date(self) -> str | None:
        return self.document.date

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence containing character ``pos`` (the nearest one before it)."""
        return max(bisect.bisect_right(self.sentences, pos, key=_START) - 1, 0)
