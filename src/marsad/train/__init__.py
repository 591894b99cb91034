"""Training scripts (need /work/shared data and training-only packages; not used at runtime)."""
