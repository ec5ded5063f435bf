"""The counting rules of the documents' live figures, written once over the report frames
(``keten.reports.frames``), so that the server (frames from the database) and the CLI (a
dossier export) count alike.

Every rule counts standing events only (the frames hold no withdrawn event) and states what it
counts and where the rule comes from (seed 002 for the strategy's indicators, seed 001 for the
factsheet's figures). "Within the term" is the law's term: its last day counted as the
catalogue counts the Pact's terms (Reg. 1182/71, ``keten.time``: a last day on a weekend or
holiday moves to the next working day); the median is in calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from keten.chain.kinds import DECISION_OUTCOMES
from keten.reports.document_figures import Figure, share
from keten.reports.frames import Frames
from keten.time.counting import Counting, count_period_array
from keten.time.periods import Period

BORDER = "border_procedure"
BORDER_CAPACITY = 211  # seed 002: "de verplichting om 211 procedures tegelijk te voeren"
BORDER_ENDS = ("entry_granted", "departed")
DUBLIN = "dublin_outgoing"
# The terms as the catalogue writes them (dublin_outgoing.yaml ``transfer_decision``,
# asylum_first.yaml and border_procedure.yaml ``registration``), counted by Reg. 1182/71.
DUBLIN_TERM = Period.parse("2 weeks")  # seed 002: "binnen twee weken een besluit"
REGISTRATION_TERM = Period.parse("5 days")  # seed 002: "binnen 5 dagen"
# The procedure types with the Pact's registration term and the event that starts it
# (keten/catalog/procedures/*.yaml, deadline ``registration``).
REGISTRATION_START = {"asylum_first": "reported", BORDER: "made_at_border"}
REGISTRATION_STOP = ("registered", "lodged")
NAREIS = "nareis"
NAREIS_ENDS = ("decided", "withdrawn")
ASYLUM_TYPES = ("asylum_first", "asylum_subsequent", BORDER)
PACT = "pact"


def _of_types(frames: Frames, types: Iterable[str], regime: str | None = None) -> pl.DataFrame:
    procs = frames.procedures.filter(pl.col("procedure_type").is_in(list(types)))
    if regime is not None:
        procs = procs.filter(pl.col("regime") == regime)
    return procs.select("procedure_id", "procedure_type")


def _first(
    frames: Frames, procs: pl.DataFrame, kinds: Iterable[str], name: str, on: date | None = None
) -> pl.DataFrame:
    """Per procedure of ``procs`` the first day of an event of ``kinds`` (up to ``on``)."""
    events = frames.events.filter(pl.col("kind").is_in(list(kinds)))
    if on is not None:
        events = events.filter(pl.col("day") <= on)
    return (
        events.join(procs.select("procedure_id"), on="procedure_id", how="inner")
        .group_by("procedure_id")
        .agg(pl.col("day").min().alias(name))
    )


def _timely(both: pl.DataFrame, start: str, stop: str, term: Period) -> tuple[int, int, Any]:
    """(counted, within the term, median calendar days) of rows from ``start`` to ``stop``."""
    n = both.height
    if n == 0:
        return 0, 0, None
    starts = both[start].to_numpy().astype("datetime64[D]")
    last_days = count_period_array(starts, term, Counting.EU_1182_71)
    stops = both[stop].to_numpy().astype("datetime64[D]")
    within = int(np.sum(stops <= last_days))
    days = both.select((pl.col(stop) - pl.col(start)).dt.total_days().alias("d"))["d"]
    median = days.median()
    return n, within, None if median is None else float(median)  # type: ignore[arg-type]


def border_capacity(frames: Frames, on: date) -> Figure:
    """Border procedures running on ``on`` against the 211 the Netherlands must be able to run
    at the same time."""
    procs = _of_types(frames, [BORDER])
    started = (
        frames.events.filter(pl.col("day") <= on)
        .join(procs.select("procedure_id"), on="procedure_id", how="inner")
        .select("procedure_id")
        .unique()
    )
    ended = _first(frames, procs, BORDER_ENDS, "ended", on)
    running = started.join(ended, on="procedure_id", how="anti").height
    return Figure(
        "border_capacity",
        "Asielgrensprocedures die op de peildatum lopen: een eerste gebeurtenis op of vóór die "
        "dag en nog geen 'toegang verleend' of 'vertrokken'; tegen de toereikende capaciteit "
        "van 211 (seed 002).",
        "Border procedures running on the reference day: a first event on or before it and no "
        "'entry granted' or 'departed' yet; against the adequate capacity of 211 (seed 002).",
        {"open": running, "capacity": BORDER_CAPACITY, "margin": BORDER_CAPACITY - running},
    )


def dublin_decision_time(frames: Frames, start: date, end: date) -> Figure:
    """Transfer decisions under the Pact in the period: days from the acceptance to the
    decision, and how many within two weeks."""
    procs = _of_types(frames, [DUBLIN], PACT)
    accepted = _first(frames, procs, ["accepted"], "accepted")
    decided = _first(frames, procs, ["transfer_decision"], "decided").filter(
        pl.col("decided").is_between(start, end)
    )
    both = decided.join(accepted, on="procedure_id", how="inner").filter(
        pl.col("decided") >= pl.col("accepted")
    )
    n, within, median = _timely(both, "accepted", "decided", DUBLIN_TERM)
    return Figure(
        "dublin_decision_time",
        "Overdrachtsbesluiten (Dublin uitgaand, Pact-regime) in de periode: binnen de termijn "
        "= uiterlijk twee weken na het claimakkoord, geteld volgens Verordening 1182/71 (een "
        "laatste dag in het weekend of op een feestdag schuift door); mediaan in "
        "kalenderdagen. Een stilzwijgend akkoord (geen antwoord) telt niet mee: daarvan is "
        "geen akkoorddag vastgelegd.",
        "Transfer decisions (outgoing Dublin, Pact regime) in the period: within the term = at "
        "the latest two weeks after the acceptance, counted by Regulation 1182/71 (a last day "
        "on a weekend or holiday moves on); median in calendar days. A tacit acceptance (no "
        "reply) is not counted: it has no recorded acceptance day.",
        {
            "decided": n,
            "within_term": within,
            "share_within_term": share(within, n),
            "median_days": median,
        },
    )


def registrations_within_five_days(frames: Frames, start: date, end: date) -> Figure:
    """Applications (first asylum, border procedure; Pact regime) registered in the period:
    how many within five days of the request being made."""
    parts = []
    for procedure_type, start_kind in REGISTRATION_START.items():
        procs = _of_types(frames, [procedure_type], PACT)
        made = _first(frames, procs, [start_kind], "made")
        registered = _first(frames, procs, REGISTRATION_STOP, "registered")
        parts.append(made.join(registered, on="procedure_id", how="inner"))
    both = pl.concat(parts).filter(pl.col("registered").is_between(start, end))
    n, within, median = _timely(both, "made", "registered", REGISTRATION_TERM)
    return Figure(
        "registration_within_five_days",
        "Verzoeken (eerste asielaanvraag en grensprocedure, Pact-regime) geregistreerd in de "
        "periode: binnen de termijn = uiterlijk 5 dagen na het doen van het verzoek "
        "(aanmelding), geteld volgens Verordening 1182/71 (een laatste dag in het weekend of "
        "op een feestdag schuift door); mediaan in kalenderdagen.",
        "Applications (first asylum application and border procedure, Pact regime) registered "
        "in the period: within the term = at the latest 5 days after the request was made, "
        "counted by Regulation 1182/71 (a last day on a weekend or holiday moves on); median "
        "in calendar days.",
        {
            "registered": n,
            "within_term": within,
            "share_within_term": share(within, n),
            "median_days": median,
        },
    )


def nareis_waiting(frames: Frames, on: date) -> Figure:
    """Family reunification applications lodged by ``on`` and not yet decided or withdrawn."""
    procs = _of_types(frames, [NAREIS])
    lodged = _first(frames, procs, ["lodged"], "lodged", on)
    ended = _first(frames, procs, NAREIS_ENDS, "ended", on)
    waiting = lodged.join(ended, on="procedure_id", how="anti").height
    return Figure(
        "nareis_waiting",
        "Nareisaanvragen ingediend op of vóór de peildatum waarop nog niet is beslist en die "
        "niet zijn ingetrokken. Niet dezelfde groep als de 43.000 van seed 002 (nareizigers "
        "die nog moeten inreizen, ook na inwilliging).",
        "Family reunification applications lodged on or before the reference day that are not "
        "yet decided or withdrawn. Not the population of seed 002's 43,000 (family members "
        "still to travel, also after a grant).",
        {"open": waiting},
    )


def asylum_applications(frames: Frames, start: date, end: date) -> Figure:
    """Asylum applications lodged in the period, per kind (the factsheet's 'Asielaanvragen')."""
    procs = _of_types(frames, ASYLUM_TYPES)
    lodged = (
        _first(frames, procs, ["lodged"], "lodged")
        .filter(pl.col("lodged").is_between(start, end))
        .join(procs, on="procedure_id", how="inner")
    )
    counts = {t: lodged.filter(pl.col("procedure_type") == t).height for t in ASYLUM_TYPES}
    return Figure(
        "asylum_applications",
        "Asielaanvragen met hun eerste gebeurtenis 'aanvraag ingediend' in het halfjaar, naar "
        "soort (eerste, opvolgende, grensprocedure).",
        "Asylum applications whose first 'application lodged' event falls in the half-year, "
        "by kind (first, subsequent, border procedure).",
        {**counts, "total": sum(counts.values())},
    )


def nareis_applications(frames: Frames, start: date, end: date) -> Figure:
    procs = _of_types(frames, [NAREIS])
    n = (
        _first(frames, procs, ["lodged"], "lodged")
        .filter(pl.col("lodged").is_between(start, end))
        .height
    )
    return Figure(
        "nareis_applications",
        "Nareisaanvragen met hun eerste gebeurtenis 'nareisaanvraag ingediend' in het halfjaar.",
        "Family reunification applications whose first 'lodged' event falls in the half-year.",
        {"lodged": n},
    )


def asylum_decisions(frames: Frames, start: date, end: date) -> Figure:
    """Standing decisions on asylum applications taken in the period, per outcome."""
    procs = _of_types(frames, ASYLUM_TYPES)
    decided = frames.decisions.filter(pl.col("decided_on").is_between(start, end)).join(
        procs, on="procedure_id", how="inner"
    )
    per = decided.group_by("outcome").len().sort("outcome")
    values: dict[str, int | float | None] = {
        str(o): int(n) for o, n in zip(per["outcome"], per["len"], strict=True)
    }
    values["total"] = decided.height
    return Figure(
        "asylum_decisions",
        "Besluiten op asielaanvragen (eerste, opvolgende, grensprocedure) met besluitdatum in "
        "het halfjaar, naar uitkomst; ingetrokken besluiten tellen niet.",
        "Decisions on asylum applications (first, subsequent, border procedure) dated in the "
        "half-year, by outcome; withdrawn decisions do not count.",
        values,
        labels={k: (v.nl, v.en) for k, v in DECISION_OUTCOMES.items()},
    )
