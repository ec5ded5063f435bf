"""The law watch: which dated parameters are out of date on a day.

A parameter is *lapsed* when its last version ended before the day (no value is in force: a
rule that reads it refuses, see ``parameters._lapsed``), *not yet in force* when its first
version starts after the day, and *due* when its source publishes yearly (``review: yearly``
in the parameter file: amounts indexed every 1 January) and its newest version starts in an
earlier year than the day's, even if that version is still open-ended. Proposals (a
``scenario``) are left out: they have no value outside their scenario by design, and so is a
parameter marked ``ended`` (its scheme ended: no new value is due). Rules that quote an older
text than one in ``data/`` are ``keten.rules.stale_sources``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from keten.rules.parameters import Parameter, ParameterSet

LAPSED, DUE, MISSING, EMPTY = "lapsed", "due", "missing", "empty"


@dataclass(frozen=True)
class StaleParameter:
    name: str
    title_en: str
    title_nl: str
    file: str | None
    why: str  # LAPSED | DUE
    last_from: date
    last_to: date | None
    citation: str

    def said(self) -> str:
        until = self.last_to.isoformat() if self.last_to else "open"
        if self.why == MISSING:
            return f"{self.name} ({self.file}): no value at all: {self.citation}"
        if self.why == EMPTY:
            what = "the register holds no entries for it on the day"
        elif self.why == LAPSED:
            what = "no value in force; the last one ended"
        else:
            what = "published yearly; the newest value is from an earlier year"
        return (
            f"{self.name} ({self.file}): {what} "
            f"[{self.last_from.isoformat()}..{until}] {self.citation}"
        )


def stale_parameters(params: ParameterSet, on: date) -> list[StaleParameter]:
    found: list[StaleParameter] = []
    for parameter in params:
        if parameter.scenario is not None:
            continue
        judged = _judged(parameter, on)
        if judged is not None:
            why, start, end, citation = judged
            found.append(
                StaleParameter(
                    parameter.name,
                    parameter.title_en,
                    parameter.title_nl,
                    parameter.file,
                    why,
                    start,
                    end,
                    citation,
                )
            )
    return found


def _judged(parameter: Parameter, on: date) -> tuple[str, date, date | None, str] | None:
    """Why the parameter is out of date on ``on`` and the period and citation that show it."""
    if not parameter.versions:
        # A register list that cannot be built (the World Bank's top 35 without 35 figures):
        # every rule reading it refuses until the register is filled.
        return MISSING, on, None, "too little in the register to build it; import the source"
    last = parameter.versions[-1]
    current = next((v for v in parameter.versions if v.covers(on)), None)
    if parameter.kind == "map_float" and current is not None and not current.value:
        return EMPTY, current.valid_from, current.valid_to, current.citation
    lapsed = last.valid_to is not None and last.valid_to < on
    if lapsed and parameter.ended:
        return None  # ended with its scheme, as the parameter file says
    if lapsed:
        return LAPSED, last.valid_from, last.valid_to, last.citation
    if parameter.review == "yearly" and last.valid_from.year < on.year:
        return DUE, last.valid_from, last.valid_to, last.citation
    return None
