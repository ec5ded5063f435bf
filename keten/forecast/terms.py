"""Statutory terms the forecast needs, in one place.

The procedure catalogue (``keten.catalog``) will own these terms; until the forecast reads them
from there, this module takes them from ``keten.time`` directly, so the switch is one module.
Every term is computed with the legal calendar (Algemene termijnenwet or Reg. 1182/71) for each
cohort's own start day, then expressed in simulation steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from keten.time import Counting, Period, count_period_array
from keten.time.dwangsom import Regime, regime_for


@dataclass(frozen=True)
class Term:
    """A statutory term with its citation and counting system."""

    id: str
    period: Period
    counting: Counting
    citation: str
    source: str | None = None


ASYLUM_DECISION = Term(
    "asylum_decision",
    Period.parse("6 months"),
    Counting.ATW,
    "Vw 2000 art. 42 lid 1",
)
DUBLIN_TRANSFER = Term(
    "dublin_transfer",
    Period.parse("6 months"),
    Counting.EU_1182_71,
    "Verordening (EU) 604/2013 art. 29 lid 1",
    "001_7423ba70eed50d30.txt",
)
DUBLIN_TRANSFER_ABSCONDED = Term(
    "dublin_transfer_absconded",
    Period.parse("18 months"),
    Counting.EU_1182_71,
    "Verordening (EU) 604/2013 art. 29 lid 2",
    "001_7423ba70eed50d30.txt",
)
DUBLIN_TRANSFER_IMPRISONED = Term(
    "dublin_transfer_imprisoned",
    Period.parse("12 months"),
    Counting.EU_1182_71,
    "Verordening (EU) 604/2013 art. 29 lid 2",
)
# Policy norms agreed between chain partners, not statute: the Atw does not move them.
OUTFLOW_NORM = Term(
    "outflow_norm",
    Period.parse("14 weeks"),
    Counting.NONE,
    "Afspraken ketenpartners: normtijd 14 weken na vergunningverlening",
    "001_7423ba70eed50d30.txt",
)
MATCHING_NORM = Term(
    "matching_norm",
    Period.parse("2 weeks"),
    Counting.NONE,
    "Afspraken ketenpartners: fase 1 koppeling door COA, normtijd twee weken",
    "001_7423ba70eed50d30.txt",
)
DEPARTURE_PERIOD = Term(
    "departure_period",
    Period.parse("4 weeks"),
    Counting.ATW,
    "Vw 2000 art. 62 lid 1",
)

ASYLUM_DWANGSOM_CLASS = "asylum_application"

# Seed 002: "Deze onderdelen van het Pact zullen voor 12 juni 2026 worden ingeregeld"; the Pact
# regulations apply to applications lodged from that day.
PACT_START = date(2026, 6, 12)


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
    ends = count_period_array(days, term.period, term.counting)
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
        "asylum_decision",
        Period.parse(f"{months} months"),
        Counting.ATW,
        f"{ASYLUM_DECISION.citation} (scenario: {months} months)",
    )
