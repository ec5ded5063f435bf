"""Shared test helpers."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "seeds"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_texts(name: str) -> tuple[str, str]:
    """A seed document, whitespace-normalised, as printed and with line-end hyphens joined."""
    raw = (SEEDS / name).read_text(encoding="utf-8")
    return normalise(raw), normalise(re.sub(r"-\s*\n\s*", "", raw))


def in_seed(name: str, quote: str) -> bool:
    q = normalise(quote)
    return any(q in text for text in seed_texts(name))
