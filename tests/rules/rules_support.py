"""Shared helpers for the rule tests."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent / "cases"
# The seed documents ship with the repository (data/seeds, provenance in data/README.md), so the
# quote checks run everywhere, CI included; a missing seed is a failure, not a skip.
SEEDS_DIR = REPO / "data" / "seeds"


BULLETS = str.maketrans(dict.fromkeys("•●\uf0b7\uf0d8\uf0a7\xad", " "))


def normalise(text: str) -> str:
    """Whitespace collapsed and list bullets dropped, so a quote spanning a list still matches."""
    return " ".join(text.translate(BULLETS).split())


@cache
def seed_text(name: str) -> str:
    path = SEEDS_DIR / name
    if not path.is_file():
        pytest.fail(f"seed document {name} missing from {SEEDS_DIR}")
    return normalise(path.read_text(encoding="utf-8"))


def quote_in_seed(quote: str, source: str) -> bool:
    return normalise(quote) in seed_text(source)


SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
