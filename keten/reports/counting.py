"""The counting rules of the reports, each written once over ``keten.reports.frames.Frames``
and a period (first and last day, both included), each citing where its definition comes from.

A figure in a report names one of these (``RULES``) with its arguments; nothing else counts.

The court's procedures are counted by their own events, not by ``closed_on``: for an appeal
``closed_on`` is the stop of the filing term (the appeal lodged), not its end. The names of the
court's outcomes are kept together here (``COURT``), so that aligning them with the dossier's
appeal records is one edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from keten.reports.frames import Frames
from keten.time.dwangsom import amount_for_days, params


@dataclass(frozen=True)
class CourtVocabulary:
    """How the court's procedures and their outcomes are recorded in the dossier."""

    # The procedure types of the court (IND's procesvertegenwoordiging acts in them).
    types: tuple[str, ...] = ("appeal", "interim_relief", "higher_appeal", "detention_appeal")
    # The event that brings each to the court (its intake): the appeal's "lodged" (the filing
    # term's stop), interim relief's "requested". detention_appeal (habeas corpus) is being
    # added to the catalogue; "lodged" is the name agreed for it.
    intake_event: tuple[tuple[str, str], ...] = (
        ("appeal", "lodged"),
        ("interim_relief", "requested"),
        ("higher_appeal", "lodged"),
        ("detention_appeal", "lodged"),
    )
    # A judgment is a Decision on the court's procedure (recorded on its "judgment" event) with
    # one of these outcomes (keten.chain.kinds.DECISION_OUTCOMES).
    judgment_outcomes: tuple[str, ...] = ("well_founded", "unfounded", "inadmissible")
    well_founded: str = "well_founded"
    # The alien withdraws the appeal: the appeal's "withdrawn" event.
    appeal_withdrawn: str = "withdrawn"
    # The IND withdraws the decision the appeal contests (intrekken beschikking), recorded on
    # the appeal; the appeal ends with it.
    ind_withdrew_decision: str = "decision_withdrawn"
    # Judgments on these types weigh the IND's decision itself (instandhouding): the district
    # court's appeal. A higher appeal contests a judgment, interim relief is provisional, a
    # detention appeal contests a measure, not a decision on an application.
    upheld_types: tuple[str, ...] = ("appeal",)


COURT = CourtVocabulary()
NOTICE_OF_DEFAULT = "notice_of_default"  # keten.catalog.model: the dwangsom's notice event
GRANTED = "granted"
# Every event a rule here reads: kind -> the procedure types it is read on (None: any). A
# supplier may leave out the others (an application's own "lodged" or "withdrawn" is read from
# the procedure's started_on and closed_on, never as an event).
EVENT_READS: dict[str, tuple[str, ...] | None] = {
    NOTICE_OF_DEFAULT: None,
    **{k: COURT.types for _, k in COURT.intake_event},
    COURT.appeal_withdrawn: COURT.types,
    COURT.ind_withdrew_decision: COURT.types,
}


@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator``; ``percent`` None when there is nothing to divide."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator


@dataclass(frozen=True)
class Top:
    """The most frequent nationalities (ICAO alpha-3) with their counts, most first."""

    items: tuple[tuple[str, int], ...]


Value = int | Share | Top | None


def _between(column: str, start: date, end: date) -> pl.Expr:
    return pl.col(column).is_between(start, end, closed="both")


def _of_types(f: Frames, types: Sequence[str]) -> pl.DataFrame:
    parts = f.procedures_by_type
    found = [parts[t] for t in dict.fromkeys(types) if t in parts]
    return pl.concat(found) if found else f.procedures.clear()


def _court_types(types: Sequence[str]) -> tuple[list[str], list[str]]:
    court = [t for t in types if t in COURT.types]
    return court, [t for t in types if t not in COURT.types]


def intake(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Applications received in the period ("aanvragen", "aanbod"): procedures of ``types``
    started in it (``started_on``, the first event's day, as ``keten.chain.summary`` derives
    it). A court procedure is counted by the event that brings it to the court
    (``COURT.intake_event``: the appeal lodged, interim relief requested), once, on the first
    such event. Seed 003: "In 2012 zijn verder 58.500 aanvragen voor een reguliere
    verblijfsvergunning (vvr) bij de IND binnengekomen"."""
    court, other = _court_types(types)
    n = _of_types(f, other).filter(_between("started_on", start, end)).height
    if court:
        kinds = dict(COURT.intake_event)
        wanted = pl.DataFrame(
            {"procedure_type": court, "kind": [kinds[t] for t in court]},
            schema={"procedure_type": pl.Utf8, "kind": pl.Utf8},
        )
        first = (
            f.events.join(
                _of_types(f, court).select("procedure_id", "procedure_type"), on="procedure_id"
            )
            .join(wanted, on=["procedure_type", "kind"])
            .group_by("procedure_id")
            .agg(pl.col("day").min())
        )
        n += first.filter(_between("day", start, end)).height
    return n


def _court_endings(f: Frames, types: Sequence[str]) -> pl.DataFrame:
    """Per court procedure of ``types`` the day it ended: its first judgment, its withdrawal by
    the alien, or the IND withdrawing the decision it contests, whichever came first."""
    ids = _of_types(f, types).select("procedure_id")
    judged = (
        f.decisions.filter(pl.col("outcome").is_in(list(COURT.judgment_outcomes)))
        .join(ids, on="procedure_id")
        .select("procedure_id", pl.col("decided_on").alias("day"))
    )
    withdrawn = (
        f.events.filter(pl.col("kind").is_in([COURT.appeal_withdrawn, COURT.ind_withdrew_decision]))
        .join(ids, on="procedure_id")
        .select("procedure_id", "day")
    )
    return pl.concat([judged, withdrawn]).group_by("procedure_id").agg(pl.col("day").min())


def handled(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Applications handled in the period ("beslissingen", "afgehandeld"): procedures of
    ``types`` whose main deadline was stopped in it (``closed_on``: the decision or the
    withdrawal of the application). A court procedure is handled on the day it ended
    (``_court_endings``: judgment, withdrawal of the appeal, or the IND withdrawing the
    contested decision), counted once. Seed 003: "In totaal zijn er 45.750 mvv-aanvragen
    afgehandeld"."""
    court, other = _court_types(types)
    n = _of_types(f, other).filter(_between("closed_on", start, end)).height
    if court:
        n += _court_endings(f, court).filter(_between("day", start, end)).height
    return n


def _contested(f: Frames, types: Sequence[str]) -> pl.DataFrame:
    """The court procedures (appeal_id) and the decision each contests (decision_id), where
    that decision was taken on a procedure of ``types``."""
    decided_on_types = f.decisions.join(
        _of_types(f, types).select("procedure_id"), on="procedure_id"
    ).select("decision_id", pl.col("procedure_id").alias("contested_procedure_id"))
    return (
        f.procedures.filter(pl.col("contests").is_not_null())
        .select(pl.col("procedure_id").alias("appeal_id"), "procedure_type", "contests")
        .join(decided_on_types, left_on="contests", right_on="decision_id")
    )


def redecided(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Decisions after a well-founded appeal ("beslissingen na gegrond beroep"), decided in the
    period: a decision on a procedure of ``types`` taken on or after the day a court found an
    appeal against an earlier decision on that procedure well-founded. Each such decision is
    counted once, however many judgments preceded it; the procedure's first decision is
    counted by ``handled``, never here. Seed 003: "Totaal afgehandelde asielaanvragen
    (inclusief beslissingen na gegrond beroep en intrekken beschikking)"."""
    contested = _contested(f, types)
    well_founded = (
        f.decisions.filter(pl.col("outcome") == COURT.well_founded)
        .select(pl.col("procedure_id").alias("appeal_id"), pl.col("decided_on").alias("found"))
        .join(contested, on="appeal_id")
        .group_by("contested_procedure_id")
        .agg(pl.col("found").min())
    )
    later = (
        f.decisions.join(well_founded, left_on="procedure_id", right_on="contested_procedure_id")
        .filter(pl.col("decided_on") >= pl.col("found"))
        # the decisions the court found against are not decisions after it
        .join(contested.select("contests"), left_on="decision_id", right_on="contests", how="anti")
    )
    # a decision is one row of `decisions`: unique by id, so it is never counted twice
    return later.filter(_between("decided_on", start, end)).select("decision_id").n_unique()


def ind_withdrew(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Decisions the IND withdrew while an appeal against them ran ("intrekken beschikking"):
    court procedures contesting a decision on a procedure of ``types`` with the event
    ``COURT.ind_withdrew_decision`` in the period, each once. Seed 003, as ``redecided``."""
    contested = _contested(f, types).select("appeal_id")
    return (
        f.events.filter(
            (pl.col("kind") == COURT.ind_withdrew_decision) & _between("day", start, end)
        )
        .join(contested, left_on="procedure_id", right_on="appeal_id")
        .select("procedure_id")
        .n_unique()
    )


def handled_incl_court(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """``handled`` + ``redecided`` + ``ind_withdrew``: the seed's "Totaal afgehandelde
    asielaanvragen (inclusief beslissingen na gegrond beroep en intrekken beschikking)"."""
    return (
        handled(f, start, end, types=types)
        + redecided(f, start, end, types=types)
        + ind_withdrew(f, start, end, types=types)
    )


def within_term(f: Frames, start: date, end: date, *, types: Sequence[str]) -> Share:
    """Of the procedures of ``types`` closed in the period with a term (``due``), those closed on
    or before their due day (extensions included; ``due`` is kept after closing). Seed 003:
    "De IND streeft ernaar om tijdig (binnen de wettelijke of met de vreemdeling afgesproken
    termijn) te beslissen op aanvragen of bezwaarschriften. In de tabel staat per proces het
    percentage zaken dat binnen de gestelde wettelijke termijn is afgehandeld"."""
    closed = _of_types(f, types).filter(
        _between("closed_on", start, end) & pl.col("due").is_not_null()
    )
    on_time = closed.filter(pl.col("closed_on") <= pl.col("due")).height
    return Share(on_time, closed.height)


def upheld(f: Frames, start: date, end: date, *, types: Sequence[str]) -> Share:
    """Instandhouding: of the court's judgments in the period on appeals (``COURT.upheld_types``)
    contesting a decision on a procedure of ``types``, those that did not find the appeal
    well-founded (unfounded or inadmissible: the decision stands). Seed 003: "Een graadmeter
    van de kwaliteit van een beslissing is de instandhouding bij de rechter van het door de IND
    genomen besluit op een aanvraag of een bezwaarschrift"."""
    appeals = (
        _contested(f, types)
        .filter(pl.col("procedure_type").is_in(list(COURT.upheld_types)))
        .select("appeal_id")
    )
    judgments = f.decisions.filter(
        pl.col("outcome").is_in(list(COURT.judgment_outcomes)) & _between("decided_on", start, end)
    ).join(appeals, left_on="procedure_id", right_on="appeal_id")
    stands = judgments.filter(pl.col("outcome") != COURT.well_founded).height
    return Share(stands, judgments.height)


def notices_lodged(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Notices of default (ingebrekestellingen, Awb 4:17) received in the period on procedures
    of ``types``: their ``notice_of_default`` events. Seed 003: "Het aantal
    ingebrekestellingen dat in 2012 is ingediend bedroeg 3.819"."""
    ids = _of_types(f, types).select("procedure_id")
    return (
        f.events.filter((pl.col("kind") == NOTICE_OF_DEFAULT) & _between("day", start, end))
        .join(ids, on="procedure_id")
        .height
    )


def notices_handled(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Notices of default handled in the period: a notice is handled by the decision it urges,
    so the notices received on or before the day a procedure of ``types`` closed, for the
    procedures closed in the period (Keten records no separate answer to a notice). Seed 003:
    "In 2012 zijn 3.806 ingebrekestellingen afgehandeld"."""
    closed = _of_types(f, types).filter(_between("closed_on", start, end))
    return (
        f.events.filter(pl.col("kind") == NOTICE_OF_DEFAULT)
        .join(closed.select("procedure_id", "closed_on"), on="procedure_id")
        .filter(pl.col("day") <= pl.col("closed_on"))
        .height
    )


def _owed(first: date, last: date, upto: date) -> int:
    """Euros a dwangsom running from ``first`` to ``last`` had forfeited by the end of ``upto``
    (Awb 4:17 bands and cap in force on ``upto``)."""
    stop = min(last, upto)
    if stop < first:
        return 0
    amounts = params().amounts.at(upto)
    total, _ = amount_for_days(min((stop - first).days + 1, amounts.max_days), amounts)
    return int(total)


def dwangsom_forfeited(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Euros of dwangsom forfeited (verbeurd) in the period on procedures of ``types``: for each
    run (``dwangsom_first_day`` .. ``dwangsom_last_day``, derived by ``keten.time.dwangsom``:
    Awb 4:17) what it had forfeited at the period's end less what it had at its start. What the
    IND owes, not what it paid: Keten records no payments. Seed 003: "Als niet tijdig wordt
    beslist op een aanvraag of bezwaarschrift, kan de IND door de klant in gebreke worden
    gesteld op grond van de Wet dwangsom en beroep bij niet tijdig beslissen"."""
    runs = _of_types(f, types).filter(
        pl.col("dwangsom_first_day").is_not_null()
        & pl.col("dwangsom_last_day").is_not_null()
        & (pl.col("dwangsom_first_day") <= end)
        & (pl.col("dwangsom_last_day") >= start)
    )
    before = start - timedelta(days=1)
    total = 0
    for first, last in runs.select("dwangsom_first_day", "dwangsom_last_day").iter_rows():
        total += _owed(first, last, end) - _owed(first, last, before)
    return total


def dwangsom_runs(f: Frames, start: date, end: date, *, types: Sequence[str]) -> int:
    """Procedures of ``types`` on which a dwangsom ran on at least one day of the period."""
    return (
        _of_types(f, types)
        .filter(
            pl.col("dwangsom_first_day").is_not_null()
            & pl.col("dwangsom_last_day").is_not_null()
            & (pl.col("dwangsom_first_day") <= end)
            & (pl.col("dwangsom_last_day") >= start)
        )
        .height
    )


def documents(f: Frames, start: date, end: date, *, kinds: Sequence[str] | None = None) -> int:
    """Residence documents issued in the period, of ``kinds`` (all kinds when None). Seed 003,
    "Documenten": "De IND heeft in 2012 iets meer verblijfsdocumenten verstrekt dan in 2011"."""
    rows = f.documents.filter(_between("issued", start, end))
    if kinds is not None:
        rows = rows.filter(pl.col("kind").is_in(list(kinds)))
    return rows.height


def _top(nationalities: pl.DataFrame, n: int) -> Top:
    counted = (
        nationalities.filter(pl.col("nationality") != "")
        .group_by("nationality")
        .agg(pl.len().alias("n"))
        .sort(["n", "nationality"], descending=[True, False])
        .head(n)
    )
    return Top(tuple((str(c), int(k)) for c, k in counted.iter_rows()))


def top_granted(f: Frames, start: date, end: date, *, types: Sequence[str], n: int = 3) -> Top:
    """The ``n`` nationalities with the most granted applications of ``types`` decided in the
    period (one per procedure: its granting decision in the period), ties by code. Seed 003:
    "De Chinese, Indiase en Turkse nationaliteit vormen de top drie nationaliteiten van
    ingewilligde mvv-aanvragen in 2012"."""
    granted = (
        f.decisions.filter((pl.col("outcome") == GRANTED) & _between("decided_on", start, end))
        .select("procedure_id")
        .unique()
        .join(_of_types(f, types).select("procedure_id", "nationality"), on="procedure_id")
    )
    return _top(granted, n)


def top_intake(f: Frames, start: date, end: date, *, types: Sequence[str], n: int = 3) -> Top:
    """The ``n`` nationalities with the most applications of ``types`` received in the period
    (as ``intake``), ties by code. Seed 003: "De Irakese, Afghaanse en Somalische nationaliteit
    vormen - evenals in 2011 - de top drie nationaliteiten van asielaanvragen in 2012"."""
    court, other = _court_types(types)
    if court:
        raise ValueError("top_intake counts applications, not court procedures")
    rows = _of_types(f, other).filter(_between("started_on", start, end))
    return _top(rows.select("nationality"), n)


def not_registered(f: Frames, start: date, end: date) -> None:
    """A row of the seed that Keten holds no records for (short-stay visa, Caribbean
    Netherlands): shown as not registered, never counted as zero."""


Rule = Callable[..., Value]
RULES: dict[str, Rule] = {
    "intake": intake,
    "handled": handled,
    "redecided": redecided,
    "ind_withdrew": ind_withdrew,
    "handled_incl_court": handled_incl_court,
    "within_term": within_term,
    "upheld": upheld,
    "notices_lodged": notices_lodged,
    "notices_handled": notices_handled,
    "dwangsom_forfeited": dwangsom_forfeited,
    "dwangsom_runs": dwangsom_runs,
    "documents": documents,
    "top_granted": top_granted,
    "top_intake": top_intake,
    "not_registered": not_registered,
}


def count(rule: str, f: Frames, start: date, end: date, args: dict[str, Any]) -> Value:
    if rule not in RULES:
        raise KeyError(f"no counting rule {rule!r} ({sorted(RULES)})")
    return RULES[rule](f, start, end, **args)
