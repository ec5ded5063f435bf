"""How a period's last day is settled once its raw length is known.

Three counting systems, chosen per deadline in the catalogue:

``atw``
    Periods set by Dutch statute or AMvB. Algemene termijnenwet:
    art. 1 lid 1 - "Een in een wet gestelde termijn die op een zaterdag, zondag of algemeen
    erkende feestdag eindigt, wordt verlengd tot en met de eerstvolgende dag die niet een
    zaterdag, zondag of algemeen erkende feestdag is."
    art. 1 lid 2 - "Het vorige lid geldt niet voor termijnen, bepaald door terugrekening vanaf
    een tijdstip of een gebeurtenis."
    art. 2 - a period of at least three days contains at least two days that are not a
    Saturday, Sunday or recognised holiday.
    art. 4 - no application to periods in hours, nor to periods longer than 90 days, 12 weeks or
    three months, nor to periods in years. Keten has the art. 4 wording from secondary sources
    (vdv-vh.nl, houwelingen-partners.nl, debloggendedeurwaarder.nl), so every trail that relies
    on it says so.
``eu_1182_71``
    Periods set by EU regulations (Dublin III, the Pact). Regulation 1182/71 art. 3(4): a
    period whose last day is a public holiday, Saturday or Sunday ends with the last hour of the
    following working day; art. 3(5): any period of two days or more includes at least two
    working days. Neither applies to periods counted backwards.
``none``
    Periods set by policy (the Vreemdelingencirculaire), by agreement between chain partners
    or by a court: the Atw covers only periods "in een wet gesteld", so these are not moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from keten.time.calendar import LegalCalendar, atw_calendar, eu_calendar
from keten.time.periods import Period, Unit, period_end, period_end_array
from keten.time.trail import Trail, TrailStep

ATW_ART4_SOURCE_NOTE = (
    "Atw art. 4 wording taken from secondary sources (vdv-vh.nl, houwelingen-partners.nl); "
    "check against wetten.overheid.nl BWBR0002448"
)


class Counting(StrEnum):
    ATW = "atw"
    EU_1182_71 = "eu_1182_71"
    NONE = "none"


CITATION = {
    Counting.ATW: "Algemene termijnenwet art. 1",
    Counting.EU_1182_71: "Verordening (EEG, Euratom) 1182/71 art. 3 lid 4",
}


def calendar_for(counting: Counting) -> LegalCalendar | None:
    if counting is Counting.ATW:
        return atw_calendar()
    if counting is Counting.EU_1182_71:
        return eu_calendar()
    return None


def atw_excludes(period: Period) -> bool:
    """Atw art. 4: hours, and periods longer than 90 days / 12 weeks / 3 months, or in years."""
    limits = {Unit.DAYS: 90, Unit.WEEKS: 12, Unit.MONTHS: 3}
    if period.unit in (Unit.HOURS, Unit.YEARS):
        return True
    return period.amount > limits[period.unit]


def _min_open_days(counting: Counting, period: Period) -> int:
    """Atw art. 2 from three days, Reg. 1182/71 art. 3(5) from two days."""
    threshold = 3 if counting is Counting.ATW else 2
    days = period.approx_days()
    return 2 if days >= threshold else 0


def _nth_open_day_after(cal: LegalCalendar, day: date, n: int) -> date:
    found = 0
    while found < n:
        day += timedelta(days=1)
        if not cal.is_closed(day):
            found += 1
    return day


@dataclass(frozen=True)
class Settled:
    end: date
    trail: Trail


def settle_end(
    event_day: date,
    raw_end: date,
    period: Period,
    counting: Counting,
    *,
    backwards: bool = False,
    policy_source: str | None = None,
) -> Settled:
    """Apply the counting system's weekend and holiday rules to a raw last day."""
    trail: Trail = []
    if counting is Counting.NONE:
        trail.append(
            TrailStep("no_shift_policy", {"source": policy_source or "policy"}, policy_source)
        )
        return Settled(raw_end, trail)
    if backwards:
        trail.append(TrailStep("no_shift_backward", {}, _backward_citation(counting)))
        return Settled(raw_end, trail)
    if counting is Counting.ATW and atw_excludes(period):
        code = "no_shift_hours" if period.unit is Unit.HOURS else "no_shift_long"
        trail.append(
            TrailStep(
                code,
                {"length": period.label()},
                "Algemene termijnenwet art. 4",
                uncertain=ATW_ART4_SOURCE_NOTE,
            )
        )
        return Settled(raw_end, trail)

    cal = calendar_for(counting)
    assert cal is not None
    end = raw_end
    needed = _min_open_days(counting, period)
    if needed and cal.open_days_between(event_day + timedelta(days=1), end) < needed:
        end = _nth_open_day_after(cal, event_day, needed)
        trail.append(
            TrailStep(
                "two_open_days",
                {"length": period.label(), "end": end},
                "Algemene termijnenwet art. 2"
                if counting is Counting.ATW
                else "Verordening (EEG, Euratom) 1182/71 art. 3 lid 5",
            )
        )
    if cal.is_closed(end):
        shifted = cal.next_open_day(end)
        trail.append(
            TrailStep(
                "shift",
                {"day": end, "why": cal.why_closed(end), "end": shifted},
                CITATION[counting],
            )
        )
        end = shifted
    elif not trail:
        trail.append(TrailStep("no_shift_needed", {"day": end}, CITATION[counting]))
    for holiday in cal.unverified_days_between(raw_end, end):
        trail.append(
            TrailStep(
                "uncertain",
                {"text": f"{holiday.day.isoformat()} {holiday.name_en}: {holiday.note}"},
                holiday.basis,
            )
        )
    return Settled(end, trail)


def _backward_citation(counting: Counting) -> str:
    if counting is Counting.ATW:
        return "Algemene termijnenwet art. 1 lid 2"
    return "Verordening (EEG, Euratom) 1182/71 art. 3 lid 4, tweede alinea"


def raw_period(
    event_day: date,
    period: Period,
    citation: str | None = None,
    uncertain: str | None = None,
    uncertain_nl: str | None = None,
) -> tuple[date, Trail]:
    """The period's last day before any weekend or holiday rule, with its trail steps."""
    raw = period_end(event_day, period)
    trail: Trail = [
        TrailStep(
            "period",
            {"length": period.label(), "day": event_day, "end": raw.end},
            citation,
            uncertain=uncertain,
            uncertain_nl=uncertain_nl,
        )
    ]
    if raw.clipped_from_day is not None:
        trail.append(
            TrailStep(
                "month_end",
                {
                    "month": raw.end.strftime("%Y-%m"),
                    "wanted": raw.clipped_from_day,
                    "end": raw.end,
                },
                "Verordening (EEG, Euratom) 1182/71 art. 3 lid 2 onder c",
            )
        )
    return raw.end, trail


def count_period(
    event_day: date,
    period: Period,
    counting: Counting,
    *,
    policy_source: str | None = None,
) -> Settled:
    """Raw end by :func:`period_end`, then the counting system's rules, with the trail."""
    raw_end, trail = raw_period(event_day, period)
    settled = settle_end(event_day, raw_end, period, counting, policy_source=policy_source)
    return Settled(settled.end, trail + settled.trail)


# -- vectorised ----------------------------------------------------------------------------------


def settle_end_array(
    event_days: npt.NDArray[np.datetime64],
    raw_ends: npt.NDArray[np.datetime64],
    period: Period,
    counting: Counting,
) -> npt.NDArray[np.datetime64]:
    """:func:`settle_end` (forward periods) for whole arrays, without a Python loop."""
    if counting is Counting.NONE or (counting is Counting.ATW and atw_excludes(period)):
        return raw_ends.astype("datetime64[D]")
    cal = calendar_for(counting)
    assert cal is not None
    start_idx = cal.index_of(event_days) + 1
    end_idx = cal.index_of(raw_ends)
    needed = _min_open_days(counting, period)
    if needed:
        open_count = cal.open_before[end_idx + 1] - cal.open_before[start_idx]
        short = open_count < needed
        if short.any():
            # The needed-th open day after the event: open_before jumps past that count there.
            target = cal.open_before[start_idx[short]] + needed
            end_idx = end_idx.copy()
            end_idx[short] = np.searchsorted(cal.open_before, target, side="left") - 1
    shifted = cal.next_open[end_idx]
    if shifted.size and shifted.max() >= cal.closed.size:
        raise ValueError("deadline runs past the end of the calendar's coverage")
    return (shifted + cal.offset).astype("datetime64[D]")


def count_period_array(
    event_days: npt.NDArray[np.datetime64], period: Period, counting: Counting
) -> npt.NDArray[np.datetime64]:
    days = event_days.astype("datetime64[D]")
    return settle_end_array(days, period_end_array(days, period), period, counting)
