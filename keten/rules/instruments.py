"""Legal instruments whose entry into force starts or ends a rule version.

A rule version says "from WBV 2025/14" rather than a bare date, so the date lives in one place
(``keten/rules/params/instruments.yaml``) with its citation and the sentence it comes from. An
instrument with ``status: proposed`` has no date: rules that rest on it are evaluated only as
an explicit scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.rules.errors import RuleError
from keten.time.dated import as_optional_date

INSTRUMENTS_FILE = Path(__file__).with_name("params") / "instruments.yaml"


@dataclass(frozen=True)
class Instrument:
    id: str
    title_nl: str
    title_en: str
    status: str  # "in_force" or "proposed"
    in_force: date | None
    expires: date | None  # last day, for temporary instruments (a pilot)
    citation: str
    source: str | None
    quote: str | None
    verified: bool
    note: str | None

    @property
    def proposed(self) -> bool:
        return self.status == "proposed"


def _flat(text: Any) -> str | None:
    return (" ".join(str(text).split()) or None) if text is not None else None


@cache
def instruments() -> dict[str, Instrument]:
    raw = yaml.safe_load(INSTRUMENTS_FILE.read_text(encoding="utf-8"))
    out = {}
    for key, spec in raw.items():
        status = str(spec.get("status", "in_force"))
        if status not in ("in_force", "proposed"):
            raise ValueError(f"instrument {key}: unknown status {status!r}")
        in_force = as_optional_date(spec.get("in_force"))
        if status == "in_force" and in_force is None:
            raise ValueError(f"instrument {key}: in force but no in_force date")
        out[key] = Instrument(
            id=key,
            title_nl=str(spec["title"]["nl"]),
            title_en=str(spec["title"]["en"]),
            status=status,
            in_force=in_force,
            expires=as_optional_date(spec.get("expires")),
            citation=str(spec["citation"]),
            source=spec.get("source"),
            quote=_flat(spec.get("quote")),
            verified=bool(spec.get("verified", True)),
            note=_flat(spec.get("note")),
        )
    return out


def instrument(key: str) -> Instrument:
    try:
        return instruments()[key]
    except KeyError:
        raise RuleError(f"no instrument named {key!r} in {INSTRUMENTS_FILE.name}") from None
