"""Dwangsom bij niet tijdig beslissen (Awb art. 4:17-4:20) and the regimes around it.

The amount for one case follows from three dates: the end of the decision term (``due``), the
day the written notice of default was received (``notice``) and the day the amount is computed
for (``on``). Whether a statutory dwangsom runs at all depends on the procedure and the dates:
the IND's automatic scheme since 1 October 2012 (seed 003), and no statutory dwangsom on asylum
applications since the Tijdelijke wet opschorting dwangsommen IND of 10 July 2020. All of it is
dated data in ``keten/time/params/dwangsom.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from keten._yaml import YamlLoader
from keten.time.dated import DatedValue, NoValueError, Version, as_date, as_optional_date
from keten.time.trail import Trail, TrailStep

PARAMS = Path(__file__).with_name("params") / "dwangsom.yaml"


@dataclass(frozen=True)
class Band:
    days: int | None  # None: all remaining days
    eur_per_day: int


@dataclass(frozen=True)
class Amounts:
    bands: tuple[Band, ...]
    max_days: int
    wait_weeks: int


@dataclass(frozen=True)
class Regime:
    id: str
    name_nl: str
    name_en: str
    runs: bool
    citation: str
    quote: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ClassRule:
    regime: str
    start: date
    end: date | None
    by: str  # "lodged" or "first_day"


@dataclass(frozen=True)
class DwangsomParams:
    amounts: DatedValue[Amounts]
    regimes: dict[str, Regime]
    classes: dict[str, tuple[ClassRule, ...]]


@cache
def params() -> DwangsomParams:
    raw = yaml.load(PARAMS.read_text(encoding="utf-8"), Loader=YamlLoader)
    versions = []
    for entry in raw["amounts"]:
        start = as_date(entry["valid_from"])
        versions.append(
            Version(
                value=Amounts(
                    bands=tuple(Band(b["days"], int(b["eur_per_day"])) for b in entry["bands"]),
                    max_days=int(entry["max_days"]),
                    wait_weeks=int(entry["wait_weeks"]),
                ),
                valid_from=start,
                valid_to=as_optional_date(entry.get("valid_to")),
                citation=entry["citation"],
                source=entry.get("source"),
                quote=" ".join(str(entry.get("quote", "")).split()) or None,
                note=entry.get("note"),
            )
        )
    regimes = {
        key: Regime(
            id=key,
            name_nl=spec["name_nl"],
            name_en=spec["name_en"],
            runs=bool(spec["runs"]),
            citation=spec["citation"],
            quote=" ".join(str(spec.get("quote", "")).split()) or None,
            source=spec.get("source"),
            note=" ".join(str(spec.get("note", "")).split()) or None,
        )
        for key, spec in raw["regimes"].items()
    }
    classes: dict[str, tuple[ClassRule, ...]] = {}
    for key, rules in raw["classes"].items():
        parsed = []
        for r in rules:
            parsed.append(
                ClassRule(r["regime"], as_date(r["from"]), as_optional_date(r["to"]), r["by"])
            )
        classes[key] = tuple(parsed)
    return DwangsomParams(DatedValue("dwangsom amounts", versions), regimes, classes)


# How the procedure classes of the parameter file read in a trail.
CLASS_TEXT = {
    "awb_application": {"nl": "aanvraag bij de IND", "en": "application to the IND"},
    "asylum_application": {"nl": "asielaanvraag (art. 28 Vw)", "en": "asylum application"},
    "awb_other": {"nl": "aanvraag (Awb)", "en": "application (Awb)"},
    "none": {"nl": "geen beschikking op aanvraag", "en": "not a decision on an application"},
}


class DwangsomInputError(ValueError):
    """Bad input: names the field and the rule it breaks."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


def regime_for(dwangsom_class: str, lodged: date | None, first_day: date | None) -> Regime:
    """The regime of the last class rule whose period contains its reference date."""
    p = params()
    if dwangsom_class not in p.classes:
        raise DwangsomInputError(
            "dwangsom_class", f"unknown class {dwangsom_class!r}; known: {sorted(p.classes)}"
        )
    chosen: str | None = None
    for rule in p.classes[dwangsom_class]:
        # Without a first day (no valid notice) the lodging date places the application.
        ref = lodged if rule.by == "lodged" or first_day is None else first_day
        if ref is not None and rule.start <= ref and (rule.end is None or ref <= rule.end):
            chosen = rule.regime
    if chosen is None:
        raise NoValueError(
            f"no dwangsom regime for class {dwangsom_class!r} lodged {lodged} (first day "
            f"{first_day})"
        )
    return p.regimes[chosen]


@dataclass(frozen=True)
class DwangsomResult:
    days: int
    amount_eur: Decimal
    first_day: date | None
    last_day: date | None
    regime: Regime
    trail: Trail

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "amount_eur": float(self.amount_eur),
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "regime": self.regime.id,
            "trail": [step.to_json() for step in self.trail],
        }


def first_dwangsom_day(due: date, notice: date, amounts: Amounts) -> date | None:
    """Awb 4:17 lid 3; ``None`` when the notice came before the term had expired."""
    if notice <= due:
        return None
    # The later of the two days is the notice (the term has expired at the end of `due`);
    # "de dag waarop twee weken zijn verstreken na" that day is that day + 14.
    return notice + timedelta(weeks=amounts.wait_weeks)


def amount_for_days(days: int, amounts: Amounts) -> tuple[Decimal, list[tuple[int, int]]]:
    """Total and the (days, rate) split over the bands."""
    remaining, total, split = days, Decimal(0), []
    for band in amounts.bands:
        take = remaining if band.days is None else min(remaining, band.days)
        if take > 0:
            split.append((take, band.eur_per_day))
            total += Decimal(take * band.eur_per_day)
        remaining -= take
    return total, split


def compute_dwangsom(
    due: date,
    notice: date,
    on: date,
    *,
    decided: date | None = None,
    dwangsom_class: str = "awb_other",
    lodged: date | None = None,
) -> DwangsomResult:
    """The dwangsom owed on ``on`` for one application, with its trail.

    ``decided``: the day the decision was given; the dwangsom runs for each day the body is in
    default, so it stops the day before. ``lodged``: the day the application was lodged, which
    decides the regime for most classes; when unknown, the end of the decision term stands in.
    """
    if on < due:
        raise DwangsomInputError("on", f"must not be before --due ({due.isoformat()})")
    version = params().amounts.version_at(notice)
    amounts = version.value
    first = first_dwangsom_day(due, notice, amounts)
    regime = regime_for(dwangsom_class, lodged or due, first)
    trail: Trail = [
        TrailStep(
            "dwangsom_regime",
            {
                "regime": {"nl": regime.name_nl, "en": regime.name_en},
                "why": CLASS_TEXT.get(dwangsom_class, {"nl": dwangsom_class, "en": dwangsom_class}),
            },
            regime.citation,
            uncertain=regime.note,
        )
    ]
    if not regime.runs:
        trail.append(
            TrailStep("dwangsom_none", {"why": regime.quote or regime.name_en}, regime.citation)
        )
        return DwangsomResult(0, Decimal(0), None, None, regime, trail)
    if first is None:
        trail.append(
            TrailStep("dwangsom_premature", {"notice": notice, "due": due}, "Awb art. 4:17 lid 3")
        )
        return DwangsomResult(0, Decimal(0), None, None, regime, trail)
    trail.append(
        TrailStep(
            "dwangsom_first_day",
            {"due": due, "notice": notice, "first": first, "later": notice},
            "Awb art. 4:17 lid 3",
        )
    )
    cap_last = first + timedelta(days=amounts.max_days - 1)
    last = min(on, cap_last)
    if decided is not None:
        last = min(last, decided - timedelta(days=1))
    days = max(0, (last - first).days + 1)
    if days == 0:
        trail.append(
            TrailStep("dwangsom_not_yet", {"on": on, "first": first}, "Awb art. 4:17 lid 3")
        )
        return DwangsomResult(0, Decimal(0), first, None, regime, trail)
    total, split = amount_for_days(days, amounts)
    band_names = (
        {"nl": "dag 1-14", "en": "days 1-14"},
        {"nl": "dag 15-28", "en": "days 15-28"},
        {"nl": "dag 29-42", "en": "days 29-42"},
    )
    for i, (n, rate) in enumerate(split):
        trail.append(
            TrailStep(
                "dwangsom_band",
                {"days": n, "rate": rate, "amount": n * rate, "band": band_names[min(i, 2)]},
                "Awb art. 4:17 lid 2",
            )
        )
    if last == cap_last:
        trail.append(
            TrailStep(
                "dwangsom_cap",
                {"max_days": amounts.max_days, "last": cap_last},
                "Awb art. 4:17 lid 1",
            )
        )
    return DwangsomResult(days, total, first, last, regime, trail)


def dwangsom_amount_array(
    first_days: npt.NDArray[np.datetime64],
    on: date,
    amounts: Amounts | None = None,
    *,
    last_days: npt.NDArray[np.datetime64] | None = None,
) -> npt.NDArray[np.int64]:
    """Euros owed on ``on`` for many cases at once.

    ``first_days``: first dwangsom day per case (``NaT``: nothing runs). ``last_days``: the last
    day a case can owe for (the day before its decision; ``NaT``: not decided).
    """
    amounts = amounts or params().amounts.at(on)
    first = first_days.astype("datetime64[D]")
    end = np.full(first.shape, np.datetime64(on, "D"), dtype="datetime64[D]")
    if last_days is not None:
        last = last_days.astype("datetime64[D]")
        decided = ~np.isnat(last)
        end[decided] = np.minimum(end[decided], last[decided])
    valid = ~np.isnat(first)
    elapsed = np.zeros(first.shape, dtype=np.int64)
    elapsed[valid] = (end[valid] - first[valid]).astype(np.int64) + 1
    days = np.clip(elapsed, 0, amounts.max_days)
    total = np.zeros(days.shape, dtype=np.int64)
    consumed = np.zeros(days.shape, dtype=np.int64)
    for band in amounts.bands:
        width = days - consumed if band.days is None else np.minimum(days - consumed, band.days)
        width = np.maximum(width, 0)
        total += width * band.eur_per_day
        consumed += width
    return total


def dwangsom_exposure_array(
    due: npt.NDArray[np.datetime64],
    notice: npt.NDArray[np.datetime64],
    on: date,
    *,
    dwangsom_class: str,
    lodged: npt.NDArray[np.datetime64] | None = None,
    decided: npt.NDArray[np.datetime64] | None = None,
) -> npt.NDArray[np.int64]:
    """:func:`compute_dwangsom` for many applications of one class: euros owed on ``on``.

    ``NaT`` notice: no notice of default, nothing runs. The regime is chosen row by row by the
    class rules of the parameter file, as the scalar path chooses it.
    """
    p = params()
    if dwangsom_class not in p.classes:
        raise DwangsomInputError("dwangsom_class", f"unknown class {dwangsom_class!r}")
    amounts = p.amounts.at(on)
    due = due.astype("datetime64[D]")
    notice = notice.astype("datetime64[D]")
    lodged = due if lodged is None else lodged.astype("datetime64[D]")
    valid = ~np.isnat(notice) & ~np.isnat(due) & (notice > due)
    first = np.full(due.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    first[valid] = notice[valid] + np.timedelta64(7 * amounts.wait_weeks, "D")
    runs = np.zeros(due.shape, dtype=bool)
    for rule in p.classes[dwangsom_class]:  # later rules override earlier ones, as in regime_for
        ref = lodged if rule.by == "lodged" else np.where(np.isnat(first), lodged, first)
        inside = ~np.isnat(ref) & (ref >= np.datetime64(rule.start, "D"))
        if rule.end is not None:
            inside &= ref <= np.datetime64(rule.end, "D")
        runs = np.where(inside, p.regimes[rule.regime].runs, runs)
    first[~(valid & runs)] = np.datetime64("NaT")
    last = None
    if decided is not None:
        day = decided.astype("datetime64[D]")
        last = np.where(np.isnat(day), day, day - np.timedelta64(1, "D")).astype("datetime64[D]")
    return dwangsom_amount_array(first, on, amounts, last_days=last)
