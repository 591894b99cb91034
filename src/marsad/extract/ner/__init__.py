"""Named-entity recognition for Arabic news: a CRF over affix, clitic-stripped and word-cluster
features.  ``NerTagger.load().tag(words)`` returns BIO tags with types PER/ORG/LOC/MISC."""

from marsad.extract.ner.model import LABELS, NerTagger

__all__ = ["LABELS", "NerTagger"]
