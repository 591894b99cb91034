"""Shared fixtures.  Tests that need ../shared (seeds, gold-dev, corpora, training data) use the
``shared_dir`` fixture, which skips cleanly when it is absent (a fresh clone without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def _shared() -> Path:
    env = os.environ.get("MARSAD_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    p = _shared()
    if not (p / "spec").is_dir():
        pytest.skip(f"../shared not present at {p}")
    return p


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
