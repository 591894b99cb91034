"""The Arabic text layer: normalisation with offset maps (normalize), sentences (sentences),
clitic-aware tokens (tokens), and the pipeline component that adds them to a Doc (layer)."""
