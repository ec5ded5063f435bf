"""Statutory terms the forecast needs, read from the procedure catalogue.

Each term names a deadline of ``keten.catalog`` (procedure, deadline id, extensions granted), so
the forecast counts exactly what a case worker's screen shows: per cohort start day, with the
regime of that day (the Pact from 12 June 2026) and its counting system (Algemene termijnenwet or
Reg. 1182/71), then expressed in simulation steps. A scenario may override a length (e.g. a
different asylum decision term); that is a scenario assumption and is labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from keten.catalog.bulk import bulk_deadline
from keten.catalog.loader import get_procedure
from keten.catalog.model import DeadlineSpec
from keten.time import Counting, Period, count_period_array
from keten.time.dwangsom import Regime, regime_for


@dataclass(frozen=True)
class Term:
    """A deadline of the catalogue, optionally with extensions granted or a scenario length."""

    id: str
    procedure: str
    deadline: str
    extensions: tuple[str, ...] = ()
    override: Period | None = None  # a scenario's length instead of the statute's

    @property
    def spec(self) -> DeadlineSpec:
        """The first alternative of the deadline (the pre-Pact one where there are two)."""
        return get_procedure(self.procedure).deadline(self.deadline)

    @property
    def period(self) -> Period:
        return self.override or self.spec.length

    @property
    def counting(self) -> Counting:
        return self.spec.counting

    @property
    def citation(self) -> str:
        citation = self.spec.source.citation
        if self.override is not None:
            return f"{citation} (scenario: {self.override})"
        return citation

    @property
    def source(self) -> str | None:
        return self.spec.source.document


ASYLUM_DECISION = Term("asylum_decision", "asylum_first", "decision")
DUBLIN_TRANSFER = Term("dublin_transfer", "dublin_outgoing", "transfer")
DUBLIN_TRANSFER_ABSCONDED = Term(
    "dublin_transfer_absconded", "dublin_outgoing", "transfer", extensions=("absconded",)
)
DUBLIN_TRANSFER_IMPRISONED = Term(
    "dublin_transfer_imprisoned", "dublin_outgoing", "transfer", extensions=("imprisoned",)
)
# Policy norms agreed between chain partners, not statute: the catalogue counts them unmoved.
OUTFLOW_NORM = Term("outflow_norm", "permit_holder_outflow", "outflow")
MATCHING_NORM = Term("matching_norm", "permit_holder_outflow", "matching")
DEPARTURE_PERIOD = Term("departure_period", "departure", "departure_period")

ASYLUM_DWANGSOM_CLASS = "asylum_application"

# Seed 002: "Deze onderdelen van het Pact zullen voor 12 juni 2026 worden ingeregeld"; the Pact
# regulations apply to applications lodged from that day (the catalogue's regime boundary).
PACT_START = next(r.valid_from for r in get_procedure("asylum_first").regimes if r.id == "pact")


def due_days(term: Term, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """The legal last day of ``term`` for cases starting on each of ``days``."""
    if term.override is not None:
        return count_period_array(days, term.override, term.counting)
    ones = np.ones(days.shape, dtype=np.int64)
    return bulk_deadline(
        term.procedure, term.deadline, days, extensions=dict.fromkeys(term.extensions, ones)
    )


def term_steps(
    term: Term,
    start: date,
    n_steps: int,
    step_days: int,
    *,
    first_step: int = 0,
) -> npt.NDArray[np.int64]:
    """For entries in steps ``first_step .. first_step + n_steps - 1``: the term in whole steps.

    Entries are taken on the middle day of their step; the term ends on the legal last day for
    that day, and an exit in step ``s`` is on time when ``s - entry_step <= result``.
    """
    offsets = (np.arange(first_step, first_step + n_steps) * step_days + step_days // 2).astype(
        "timedelta64[D]"
    )
    days = np.datetime64(start, "D") + offsets
    ends = due_days(term, days)
    length = (ends - days).astype(np.int64)
    # The exit step's middle day must not lie after the last day of the term.
    return np.floor(length / step_days).astype(np.int64)


def weeks(term: Term) -> float:
    """Nominal length in weeks (for validation and labels; never for deadlines)."""
    return term.period.approx_days() / 7.0


def asylum_dwangsom_regime(on: date) -> Regime:
    """Which dwangsom regime covers an asylum application decided late on ``on``."""
    return regime_for(ASYLUM_DWANGSOM_CLASS, on, on)


def asylum_decision_term(months: int) -> Term:
    """The asylum decision term; a scenario may set another length than the statute's six."""
    if months == ASYLUM_DECISION.period.amount:
        return ASYLUM_DECISION
    return Term(
        "asylum_decision", "asylum_first", "decision", override=Period.parse(f"{months} months")
    )
