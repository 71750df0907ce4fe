"""Shared fixtures: the dev-corpus tables are built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "articles"
SEEDS = DATA / "seeds"
DEV = DATA / "corpus-dev"


@pytest.fixture(scope="session")
def dev_build(tmp_path_factory):
    """Tables of seeds + dev corpus, written to a temporary folder: (Tables, out_dir)."""
    from borderstats import build

    out = tmp_path_factory.mktemp("dev") / "tables"
    t = build([SEEDS, DEV], out, cache=False)
    return t, out
