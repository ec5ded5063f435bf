"""Monthly management information: per organisation (the queue kind), team, procedure type and
month, what came in, what was handled, what was open and over the term at the month's end, how
long the handled cases took, the dwangsom forfeited and the notices of default received.

Every rule is written here once, over the rows of ``keten.reports.frames``. The server's
set-based SQL (``keten.server.services.monthly_mi``) produces the same ``Counted`` rows from
the database and hands them to :func:`table` and :func:`totals` below, so the percentiles and
the row shape are this module's too; a test compares the two on varied fixtures.

The rules (a procedure's *start* is ``started_on``, its first event's day; its *end* is
:func:`ended`):

- intake: started in the month.
- decided: ended in the month.
- open at month end: started on or before the month's last day and not ended by it.
- over the term at month end: open at month end, with a ``due`` day before the month's last
  day, and its main deadline not met by then (``closed_on`` empty or later): a court procedure
  whose main deadline is the appellant's filing term (appeal, higher appeal) met that term
  when it was lodged and is not "over the term" of the court.
- lead time: whole days from start to end of those decided in the month; median and P90 by the
  nearest-rank method (see :func:`percentile`).
- dwangsom forfeited ("verbeurd"): the euros of the days of the month between
  ``dwangsom_first_day`` and ``dwangsom_last_day``, at the Awb 4:17 bands
  (``keten.time.dwangsom``). Keten records what is owed, not what was paid: the figure is the
  amount forfeited by law, whatever the payment did.
- notices of default: standing ``notice_of_default`` events with their day in the month.

A row exists for each group with anything to count in the month.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl

from keten.reports.frames import Frames
from keten.reports.tables import Cell, Table
from keten.time.dated import NoValueError
from keten.time.dwangsom import Amounts, params

# The court's procedures: their main deadline is the appellant's filing term (appeal.yaml,
# higher_appeal.yaml: it stops at "lodged"), so ``closed_on`` says when the appeal was lodged,
# not when the court ended it. They end with the first of these events instead. The one list
# of these names: the appeals' services and the annual report count with the same.
COURT_TYPES: frozenset[str] = frozenset(
    {"appeal", "interim_relief", "higher_appeal", "detention_appeal"}
)
COURT_END_KINDS: tuple[str, ...] = ("judgment", "withdrawn")
# The applicant's written notice that the body is in default (Awb 4:17 lid 3): the event kind
# every type with a decision term records (asylum_first.yaml, mvv.yaml, ...).
NOTICE_OF_DEFAULT = "notice_of_default"

GROUP: tuple[str, ...] = ("organisation", "team", "procedure_type")
COUNTS: tuple[str, ...] = ("intake", "decided", "open", "over_term", "dwangsom_eur", "notices")
FIGURES: tuple[str, ...] = (
    "intake",
    "decided",
    "open",
    "over_term",
    "lead_median",
    "lead_p90",
    "dwangsom_eur",
    "notices",
)
MAX_MONTHS = 36  # a range of three years: 36 statements' worth of work at most

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return self.next().first - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)


def parse_month(text: str) -> Month:
    """``YYYY-MM``; ValueError naming the rule otherwise."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1900:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return Month(int(found[1]), int(found[2]))


def months(first: Month, last: Month) -> list[Month]:
    """The months from ``first`` to ``last``, both included."""
    out = [first]
    while out[-1] < last:
        out.append(out[-1].next())
    return out


def percentile(histogram: dict[int, int], numerator: int, denominator: int) -> int | None:
    """The nearest-rank percentile ``numerator/denominator`` of the values counted in
    ``histogram`` (value -> how often): the value at rank ceil(p * n) of the n values sorted
    ascending (so P90 of 10 values is the 9th, the median of 4 values is the 2nd: always a value
    that occurred, never an interpolation; PostgreSQL's ``percentile_disc`` counts the same).
    None without values. Integer arithmetic: no rounding of p * n."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = max(1, -(-numerator * n // denominator))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: rank <= n")


def amounts_of(month: Month) -> Amounts | None:
    """The Awb 4:17 amounts in force on the month's last day; None before the law that brought
    the statutory dwangsom (in force 1 October 2009, ``keten/time/params/dwangsom.yaml``):
    nothing was forfeited then."""
    try:
        return params().amounts.at(month.last)
    except NoValueError:
        return None


def forfeited_through(days: int, amounts: Amounts) -> int:
    """Euros forfeited for a dwangsom's first ``days`` days (capped at the maximum)."""
    left, total = max(0, min(days, amounts.max_days)), 0
    for band in amounts.bands:
        take = left if band.days is None else min(left, band.days)
        total += take * band.eur_per_day
        left -= take
    return total


@dataclass
class Counted:
    """What one group counts in one month: the counts, and the lead times of those decided as a
    histogram (days -> procedures), from which the percentiles are taken."""

    month: str
    organisation: str
    team: str
    procedure_type: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    lead: dict[int, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.month, self.organisation, self.team, self.procedure_type)


@dataclass(frozen=True)
class Selection:
    """Which groups are counted: the reader's organisation kinds (None: all) and the page's
    filters (None: no filter)."""

    organisations: frozenset[str] | None = None
    organisation: str | None = None
    team: str | None = None
    procedure_type: str | None = None


def ended(frames: Frames) -> pl.DataFrame:
    """The procedures with their ``ended`` day: ``closed_on``, except for the court's
    procedures, which end with their first judgment or withdrawal event."""
    court_end = (
        frames.events.filter(pl.col("kind").is_in(COURT_END_KINDS))
        .group_by("procedure_id")
        .agg(pl.col("day").min().alias("court_end"))
    )
    return frames.procedures.join(court_end, on="procedure_id", how="left").with_columns(
        pl.when(pl.col("procedure_type").is_in(sorted(COURT_TYPES)))
        .then(pl.col("court_end"))
        .otherwise(pl.col("closed_on"))
        .alias("ended")
    )


def _selected(frame: pl.DataFrame, selection: Selection) -> pl.DataFrame:
    if selection.organisations is not None:
        frame = frame.filter(pl.col("organisation").is_in(sorted(selection.organisations)))
    for column in GROUP:
        wanted = getattr(selection, column)
        if wanted is not None:
            frame = frame.filter(pl.col(column) == wanted)
    return frame


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days()


def _forfeited_expr(days: pl.Expr, amounts: Amounts | None) -> pl.Expr:
    """:func:`forfeited_through` as a column expression (0 without amounts in force)."""
    if amounts is None:
        return pl.lit(0, dtype=pl.Int64)
    left = days.clip(0, amounts.max_days)
    total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    offset = 0
    for band in amounts.bands:
        width = left - offset
        width = width.clip(0, band.days) if band.days is not None else width.clip(0, None)
        total = total + width * band.eur_per_day
        offset += band.days or 0
    return total


def count(frames: Frames, wanted: Sequence[Month], selection: Selection) -> list[Counted]:
    """The counts of every group with anything to count, for each month of ``wanted``."""
    procedures = _selected(ended(frames), selection).filter(pl.col("started_on").is_not_null())
    notices = _selected(
        frames.events.filter(pl.col("kind") == NOTICE_OF_DEFAULT).join(
            frames.procedures.select("procedure_id", *GROUP), on="procedure_id"
        ),
        selection,
    )
    out: dict[tuple[str, str, str, str], Counted] = {}

    def row(label: str, group: Iterable[Any]) -> Counted:
        org, team, ptype = (str(v) for v in group)
        key = (label, org, team, ptype)
        if key not in out:
            out[key] = Counted(label, org, team, ptype)
        return out[key]

    for month in wanted:
        first, last = pl.lit(month.first), pl.lit(month.last)
        start, end = pl.col("started_on"), pl.col("ended")
        amounts = amounts_of(month)
        open_at_end = end.is_null() | (end > last)
        active = procedures.filter((start <= last) & (end.is_null() | (end >= first)))
        dw_first, dw_last = pl.col("dwangsom_first_day"), pl.col("dwangsom_last_day")
        # days run by the month's end, and by the day before it began (never more than by
        # its end: a run that ended before the month forfeits nothing in it)
        through_end = _days(pl.min_horizontal(dw_last, last), dw_first) + 1
        before_start = pl.min_horizontal(_days(first, dw_first), through_end)
        flagged = active.with_columns(
            intake=(start >= first).cast(pl.Int64),
            decided=(~open_at_end).cast(pl.Int64),
            open=open_at_end.cast(pl.Int64),
            over_term=(
                open_at_end
                & pl.col("due").is_not_null()
                & (pl.col("due") < last)
                & (pl.col("closed_on").is_null() | (pl.col("closed_on") > last))
            ).cast(pl.Int64),
            dwangsom_eur=pl.when(dw_first.is_not_null() & dw_last.is_not_null())
            .then(_forfeited_expr(through_end, amounts) - _forfeited_expr(before_start, amounts))
            .otherwise(0),
            lead=pl.when(~open_at_end).then(_days(end, start)),
        )
        sums = flagged.group_by(GROUP).agg(
            pl.col(c).sum() for c in ("intake", "decided", "open", "over_term", "dwangsom_eur")
        )
        for r in sums.iter_rows(named=True):
            counted = row(month.label, (r[g] for g in GROUP))
            for c in ("intake", "decided", "open", "over_term", "dwangsom_eur"):
                counted.counts[c] = int(r[c])
        leads = (
            flagged.filter(pl.col("lead").is_not_null())
            .group_by([*GROUP, "lead"])
            .agg(pl.len().alias("n"))
        )
        for r in leads.iter_rows(named=True):
            row(month.label, (r[g] for g in GROUP)).lead[int(r["lead"])] = int(r["n"])
        in_month = notices.filter((pl.col("day") >= first) & (pl.col("day") <= last))
        for r in in_month.group_by(GROUP).agg(pl.len().alias("n")).iter_rows(named=True):
            row(month.label, (r[g] for g in GROUP)).counts["notices"] = int(r["n"])
    return sorted(out.values(), key=lambda c: c.key)


def _figures(counts: dict[str, int], lead: dict[int, int]) -> dict[str, int | None]:
    return {
        **{c: counts[c] for c in COUNTS},
        "lead_median": percentile(lead, 1, 2),
        "lead_p90": percentile(lead, 9, 10),
    }


def table(counted: Sequence[Counted]) -> list[dict[str, Any]]:
    """One row per month and group: the group, then :data:`FIGURES`."""
    return [
        {
            "month": c.month,
            "organisation": c.organisation,
            "team": c.team,
            "procedure_type": c.procedure_type,
            **_figures(c.counts, c.lead),
        }
        for c in counted
    ]


def totals(counted: Sequence[Counted], wanted: Sequence[Month]) -> list[dict[str, Any]]:
    """One row per month of ``wanted`` over every group counted (what the charts draw): sums of
    the counts, percentiles over all the month's lead times (not an average of the groups')."""
    out = []
    for month in wanted:
        counts: Counter[str] = Counter(dict.fromkeys(COUNTS, 0))
        lead: Counter[int] = Counter()
        for c in counted:
            if c.month == month.label:
                counts.update(c.counts)
                lead.update(c.lead)
        out.append({"month": month.label, **_figures(dict(counts), dict(lead))})
    return out


# Column headings of the exports, Dutch first (the interface speaks Dutch; keys stay English
# in the JSON).
HEADINGS: dict[str, str] = {
    "month": "maand",
    "organisation": "organisatie",
    "team": "team",
    "procedure_type": "soort procedure",
    "intake": "instroom",
    "decided": "afgehandeld",
    "open": "voorraad einde maand",
    "over_term": "over de termijn einde maand",
    "lead_median": "doorlooptijd mediaan (dagen)",
    "lead_p90": "doorlooptijd P90 (dagen)",
    "dwangsom_eur": "dwangsom verbeurd (euro)",
    "notices": "ingebrekestellingen",
}
ROW_COLUMNS: tuple[str, ...] = ("month", *GROUP, *FIGURES)
TOTAL_COLUMNS: tuple[str, ...] = ("month", *FIGURES)


def tables(rows: Sequence[dict[str, Any]], total: Sequence[dict[str, Any]]) -> list[Table]:
    """The report's two tables for CSV/XLSX: per group, and the totals per month."""

    def cells(r: dict[str, Any], columns: tuple[str, ...]) -> tuple[Cell, ...]:
        return tuple(r[c] for c in columns)

    return [
        Table(
            "managementinformatie",
            tuple(HEADINGS[c] for c in ROW_COLUMNS),
            tuple(cells(r, ROW_COLUMNS) for r in rows),
        ),
        Table(
            "totaal per maand",
            tuple(HEADINGS[c] for c in TOTAL_COLUMNS),
            tuple(cells(r, TOTAL_COLUMNS) for r in total),
        ),
    ]


def report(frames: Frames, first: Month, last: Month, selection: Selection) -> dict[str, Any]:
    """The whole report from frames (the CLI's path): rows, totals, the months and the source."""
    if last < first:
        raise ValueError(f"to ({last.label}) is before from ({first.label})")
    wanted = months(first, last)
    if len(wanted) > MAX_MONTHS:
        raise ValueError(f"at most {MAX_MONTHS} months at once, not {len(wanted)}")
    counted = count(frames, wanted, selection)
    return {
        "from": first.label,
        "to": last.label,
        "source": frames.source,
        "months": [m.label for m in wanted],
        "results": table(counted),
        "totals": totals(counted, wanted),
    }
