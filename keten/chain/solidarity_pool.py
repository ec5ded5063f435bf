"""The EU's annual solidarity pool as the Netherlands counts its contributions against it.

Reg. (EU) 2024/1351 art. 56-57: each cycle (calendar year) the Council sets the pool (a number
of relocations and an amount of financial contributions) and each member state's share; a
member state contributes by relocations, financial contributions or alternative measures, and
may offset Dublin responsibility. Seed 002 (par. 2.1.3): "waarbij het huidige kabinet kiest voor
een financiële bijdrage". The figures, with their sources and whether they were verified, are
in ``data/solidarity/pool.yaml``; an unknown share is None, never estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from keten._data import data_path

POOL_FILE = "solidarity/pool.yaml"

# What a solidarity record is (the records the ministry keeps): its kind, and whether it is
# counted in persons or euros.
KINDS: dict[str, tuple[str, str, str]] = {
    "relocation": ("herplaatsing", "relocation", "persons"),
    "financial": ("financiële bijdrage", "financial contribution", "eur"),
    "offset": (
        "verrekening van Dublinverantwoordelijkheid",
        "offset of Dublin responsibility",
        "persons",
    ),
    "alternative": ("alternatieve solidariteitsmaatregel", "alternative solidarity measure", "eur"),
}


@dataclass(frozen=True)
class Figure:
    """A value with its citation and whether Keten checked it against the source."""

    value: int | None
    citation: str
    verified: bool
    note: str = ""
    note_nl: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "citation": self.citation,
            "verified": self.verified,
            "note": self.note,
            "note_nl": self.note_nl,
        }


@dataclass(frozen=True)
class Cycle:
    year: int
    pool_relocations: Figure
    pool_financial_eur: Figure
    share_relocations: Figure
    share_eur: Figure


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


@cache
def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(data_path(POOL_FILE).read_text(encoding="utf-8"))
    return loaded


def reference_amount() -> Figure:
    """EUR per relocation, the reference for a financial contribution instead of one."""
    ref = _raw()["reference_amount_per_relocation_eur"]
    return Figure(
        int(ref["value"]),
        _flat(ref["citation"]),
        bool(ref["verified"]),
        _flat(ref.get("note")),
        _flat(ref.get("note_nl")),
    )


def cycle(year: int) -> Cycle | None:
    """The pool and the Netherlands' share for a cycle; None for a cycle not in the file."""
    found = _raw()["cycles"].get(year)
    if found is None:
        return None
    pool = (_flat(found["pool_citation"]), bool(found["pool_verified"]))
    pool_note = _flat(found.get("pool_note")), _flat(found.get("pool_note_nl"))
    share = (_flat(found["share_citation"]), bool(found["share_verified"]))
    share_note, share_note_nl = _flat(found.get("share_note")), _flat(found.get("share_note_nl"))

    def number(key: str) -> int | None:
        value = found.get(key)
        return None if value is None else int(value)

    return Cycle(
        year,
        Figure(number("pool_relocations"), *pool, *pool_note),
        Figure(number("pool_financial_eur"), *pool, *pool_note),
        Figure(number("netherlands_share_relocations"), *share, share_note, share_note_nl),
        Figure(number("netherlands_share_eur"), *share, share_note, share_note_nl),
    )


def cycles() -> tuple[int, ...]:
    return tuple(sorted(int(y) for y in _raw()["cycles"]))
