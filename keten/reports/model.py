"""A report as data: its sections, and in each the figures, each with its labels (Dutch first),
the counting rule and the rule's arguments, how it is rounded, whether it is compared with the
year before and which target applies.

A report module declares one ``Report``; ``keten.reports.counting`` holds the rules a figure may
name, and ``compute`` in the report module runs them. Nothing per figure is code: adding a figure
is adding a ``Figure`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# How a figure is shown: a count rounded to 50 (seed 003: "afgerond op 50-tallen"), a count
# shown exactly (the seed prints some exactly: "3.819" notices of default, "4.440" complaints),
# a share in whole percents, an amount in euros, a list (top nationalities), or not registered
# in Keten (a row the seed has that Keten cannot count: shown so, never invented).
Shape = Literal["count50", "count", "share", "euro", "top", "not_registered"]


@dataclass(frozen=True)
class Figure:
    id: str
    nl: str
    en: str
    rule: str  # a name in keten.reports.counting.RULES
    args: dict[str, Any] = field(default_factory=dict)
    shape: Shape = "count50"
    compare: bool = True  # with the same period a year before
    target: str | None = None  # an id in data/reports/targets.yaml
    counts_nl: str = ""  # what it counts, for the footnote (Dutch)
    counts_en: str = ""
    source: str = ""  # seed file and the quote the row comes from
    uncertain: str = ""  # why the mapping onto the seed's row is not certain, if it is not
    uncertain_nl: str = ""  # the same in Dutch


@dataclass(frozen=True)
class Section:
    id: str
    nl: str
    en: str
    figures: tuple[Figure, ...]
    # the seed's columns: "year" (vorig jaar, dit jaar, verschil), "year_no_diff" (two years),
    # "target" (realisatie, streven, verschil)
    layout: Literal["year", "year_no_diff", "target"] = "year"
    note_nl: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Report:
    id: str
    nl: str
    en: str
    sections: tuple[Section, ...]
    source: str

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures():
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)
