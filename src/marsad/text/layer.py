"""The first pipeline component: adds the normalised text, sentences and tokens to a Doc."""

from __future__ import annotations

from marsad.doc import Doc
from marsad.text.normalize import NormalizedText
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize


class TextLayer:
    name = "text"

    def __call__(self, doc: Doc) -> Doc:
        doc.normalized = NormalizedText.of(doc.text)
        doc.sentences = split_sentences(doc.text)
        doc.tokens = tokenize(doc.text)
        return doc
