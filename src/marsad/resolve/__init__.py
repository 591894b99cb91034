"""Corpus-level resolution: one identity per real-world entity and event across documents."""
