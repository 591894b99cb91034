"""The extraction pipeline: an ordered list of components, each ``Doc -> Doc``.

Components are found by name in a registry (like spaCy's factories).  Built-in components are
listed in :data:`BUILTIN` as ``module:Class`` so that importing marsad stays cheap; plugins add
more through the ``marsad.components`` entry-point group.  A component is built once (loading
its model or lexicon) and reused for every document, which is what lets one process, a worker
pool and a Spark executor all run the same pipeline.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import entry_points
from typing import Protocol

from marsad.doc import Doc, Document


class Component(Protocol):
    name: str

    def __call__(self, doc: Doc) -> Doc: ...


BUILTIN: dict[str, str] = {
    "text": "marsad.text.layer:TextLayer",
    "entities": "marsad.extract.entities:EntityRecognizer",
    "roles": "marsad.extract.roles:RoleTagger",
    "times": "marsad.extract.times:TimeTagger",
    "quantities": "marsad.extract.quantities:QuantityTagger",
    "events": "marsad.extract.events:EventExtractor",
    "status": "marsad.extract.status:StatusTagger",
    "attribution": "marsad.extract.attribution:AttributionTagger",
    "framing": "marsad.extract.framing:FramingTagger",
}
DEFAULT = list(BUILTIN)


class ComponentError(LookupError):
    """A component name is unknown or its module cannot be loaded."""


def _factory(name: str) -> Callable[[], Component]:
    spec = BUILTIN.get(name)
    if spec is None:
        for ep in entry_points(group="marsad.components"):
            if ep.name == name:
                return ep.load()
        raise ComponentError(f"unknown pipeline component {name!r}; known: {', '.join(available())}")
    module, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ComponentError(f"component {name!r} ({spec}) cannot be loaded: {exc}") from exc


def available() -> list[str]:
    """Names of all components that can be built here (built-in and plugins)."""
    names = []
    for name in BUILTIN:
        try:
            _factory(name)
            names.append(name)
        except ComponentError:
            continue
    names += [ep.name for ep in entry_points(group="marsad.components") if ep.name not in names]
    return names


class Pipeline:
    """Runs components in order over documents."""

    def __init__(self, components: Iterable[str] | None = None, strict: bool = False):
        wanted = list(components) if components is not None else DEFAULT
        if "text" not in wanted:
            wanted.insert(0, "text")
        self.components: list[Component] = []
        self.skipped: list[str] = []
        for name in wanted:
            try:
                self.components.append(_factory(name)())
            except ComponentError:
                if strict or components is not None:
                    raise
                self.skipped.append(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, document: Document) -> Doc:
        doc = Doc(document=document)
        for component in self.components:
            doc = component(doc)
        return doc

    def pipe(self, documents: Iterable[Document]) -> Iterator[Doc]:
        for d in documents:
            yield self(d)
