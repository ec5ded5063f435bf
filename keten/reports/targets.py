"""The targets (streefwaarden) a report's figures are held against, as dated parameters with
their source (``data/reports/targets.yaml``).

A target holds from its ``valid_from`` until the next version of the same id. The file also says
for which year its source states each target (``stated_for``): seed 003 states the 2012 targets
and no seed states a later one, so a report for 2013 or after shows the last known target and
says that it was carried forward, not that it is the target of that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import yaml

from keten._data import data_path
from keten.time.dated import DatedValue, NoValueError, Version, as_date


@dataclass(frozen=True)
class Target:
    id: str
    value: float  # percent
    valid_from: date
    stated_for: int  # the year the source states it for
    document: str
    quote: str
    carried: bool  # True: the report's year is later than any year a source states it for

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "valid_from": self.valid_from.isoformat(),
            "stated_for": self.stated_for,
            "source": {"document": self.document, "quote": self.quote},
            "carried": self.carried,
            "note_nl": (
                f"laatst bekende streefwaarde (uit {self.stated_for}); geen bron voor latere jaren"
                if self.carried
                else ""
            ),
            "note_en": (
                f"last known target (from {self.stated_for}); no source for later years"
                if self.carried
                else ""
            ),
        }


@cache
def _versions() -> dict[str, DatedValue[dict[str, Any]]]:
    raw = yaml.safe_load(data_path("reports", "targets.yaml").read_text(encoding="utf-8"))
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in raw["targets"]:
        grouped.setdefault(str(entry["id"]), []).append(entry)
    out: dict[str, DatedValue[dict[str, Any]]] = {}
    for target_id, entries in grouped.items():
        entries.sort(key=lambda e: as_date(e["valid_from"]))
        versions = []
        for i, e in enumerate(entries):
            nxt = entries[i + 1] if i + 1 < len(entries) else None
            valid_to = None
            if nxt is not None:
                valid_to = date.fromordinal(as_date(nxt["valid_from"]).toordinal() - 1)
            src = e["source"]
            versions.append(
                Version(
                    value=e,
                    valid_from=as_date(e["valid_from"]),
                    valid_to=valid_to,
                    citation=str(src.get("section", "")),
                    source=str(src["document"]),
                    quote=" ".join(str(src["quote"]).split()),
                )
            )
        out[target_id] = DatedValue(f"target {target_id}", versions)
    return out


def ids() -> list[str]:
    return sorted(_versions())


def target(target_id: str, year: int) -> Target | None:
    """The target ``target_id`` in force at the end of ``year``; None before the first version
    (a year before any source: there was no target to compare with)."""
    versions = _versions()
    if target_id not in versions:
        raise KeyError(f"no target {target_id!r} in data/reports/targets.yaml ({ids()})")
    try:
        v = versions[target_id].version_at(date(year, 12, 31))
    except NoValueError:
        return None
    stated_for = int(v.value["stated_for"])
    return Target(
        id=target_id,
        value=float(v.value["value"]),
        valid_from=v.valid_from,
        stated_for=stated_for,
        document=v.source or "",
        quote=v.quote or "",
        carried=year > stated_for,
    )
