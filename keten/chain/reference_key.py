"""A member state's fair share of the annual solidarity pool by the Regulation's reference key.

Reg. (EU) 2024/1351 (art. 66 and Annex I, recalled: see the data file): a member state's share
is half its fraction of the Union's population and half its fraction of the Union's total GDP.
The key, the member states and the figures, each with its source and whether Keten checked it,
are in ``data/solidarity/reference_key.yaml``. The share is computed only when every member
state has both figures; otherwise it is None and ``missing`` says what is lacking, so that a
partial key is never shown as a share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from keten._data import data_path
from keten.chain.solidarity_pool import Figure

KEY_FILE = "solidarity/reference_key.yaml"
NETHERLANDS = "NL"


@dataclass(frozen=True)
class Share:
    """One member state's share by the key, or why it could not be computed."""

    member_state: str
    fraction: float | None  # 0..1; None: not computed
    population_fraction: float | None
    gdp_fraction: float | None
    missing: tuple[str, ...]  # what is lacking, in English ("gdp: AT, BE, ...")
    missing_nl: tuple[str, ...]


def _fraction(values: Mapping[str, int], states: tuple[str, ...], state: str) -> float | None:
    if any(values.get(s) is None for s in states):
        return None
    total = sum(values[s] for s in states)
    return values[state] / total if total else None


def _lacking(
    name: str, name_nl: str, values: Mapping[str, int], states: tuple[str, ...]
) -> tuple[str, str] | None:
    """What a criterion lacks, in English and Dutch; None when every state has its figure."""
    absent = [s for s in states if values.get(s) is None]
    if not absent:
        return None
    shown = ", ".join(absent) if len(absent) < len(states) else f"alle {len(states)}"
    shown_en = ", ".join(absent) if len(absent) < len(states) else f"all {len(states)}"
    return f"{name}: {shown_en}", f"{name_nl}: {shown}"


def fair_share(
    state: str,
    states: tuple[str, ...],
    population: Mapping[str, int],
    gdp: Mapping[str, int],
    weights: tuple[float, float] = (0.5, 0.5),
) -> Share:
    """``state``'s share of the pool over ``states``: ``weights`` (population, GDP) times its
    fraction of each; None with what is missing unless every state has both figures."""
    if state not in states:
        raise ValueError(f"{state} is not one of the member states of the key")
    lacking = [
        found
        for found in (
            _lacking("population", "bevolking", population, states),
            _lacking("gdp", "bbp", gdp, states),
        )
        if found is not None
    ]
    pop = _fraction(population, states, state)
    prod = _fraction(gdp, states, state)
    fraction = None if pop is None or prod is None else weights[0] * pop + weights[1] * prod
    return Share(
        state,
        fraction,
        pop,
        prod,
        tuple(en for en, _ in lacking),
        tuple(nl for _, nl in lacking),
    )


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


@cache
def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(data_path(KEY_FILE).read_text(encoding="utf-8"))
    return loaded


def _figure(block: dict[str, Any]) -> Figure:
    """A block's provenance (its value is the number of member states it has figures for)."""
    return Figure(
        len(block.get("values") or {}),
        _flat(block.get("citation")),
        bool(block.get("verified")),
        _flat(block.get("note")),
        _flat(block.get("note_nl")),
    )


def netherlands_share() -> Share:
    """The Netherlands' share by the shipped key and figures."""
    raw = _raw()
    key = raw["key"]
    return fair_share(
        NETHERLANDS,
        tuple(raw["member_states"]),
        {k: int(v) for k, v in (raw["population"].get("values") or {}).items()},
        {k: int(v) for k, v in (raw["gdp"].get("values") or {}).items()},
        (float(key["population_weight"]), float(key["gdp_weight"])),
    )


def to_json(pool_relocations: int | None, pool_eur: int | None) -> dict[str, Any]:
    """The key, its figures' sources, the Netherlands' share as a fraction and, when both are
    known, of the pool's relocations and euros (rounded to whole persons and euros)."""
    raw = _raw()
    key = raw["key"]
    share = netherlands_share()

    def of(total: int | None) -> int | None:
        return None if share.fraction is None or total is None else round(total * share.fraction)

    return {
        "member_state": share.member_state,
        "computed": share.fraction is not None,
        "fraction": share.fraction,
        "population_fraction": share.population_fraction,
        "gdp_fraction": share.gdp_fraction,
        "relocations": of(pool_relocations),
        "eur": of(pool_eur),
        "missing": list(share.missing),
        "missing_nl": list(share.missing_nl),
        "key": {
            "population_weight": float(key["population_weight"]),
            "gdp_weight": float(key["gdp_weight"]),
            "citation": _flat(key["citation"]),
            "verified": bool(key["verified"]),
            "note": _flat(key.get("note")),
            "note_nl": _flat(key.get("note_nl")),
        },
        "member_states": len(raw["member_states"]),
        "population": _figure(raw["population"]).to_json(),
        "gdp": _figure(raw["gdp"]).to_json(),
    }
