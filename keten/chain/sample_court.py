"""The court's side of the sample (``keten.chain.sample``): each appeal, interim relief and
higher appeal linked to the decision it contests, judgments with outcomes, withdrawals, the
IND's decision again after a well-founded appeal, and detention appeals.

Drawn from a random stream of its own, so that every other figure of the generator (and what
the tests calibrate on it) stays as it was.

Rates. Seed 003 (IND jaarverslag 2012), "Instandhouding beslissing": "Asiel 86%", "Regulier
79%" (realisation in 2012): a judgment upholds an asylum decision at 0.86, a regular one at
0.79. Assumptions, no seed gives them: 7 % of appeals are withdrawn by the applicant and 5 %
end by the IND withdrawing its decision; a quarter of the upheld judgments are "niet-
ontvankelijk" rather than "ongegrond"; interim relief is granted in 20 %; the Council of State
upholds 86 % like the district court; a detention appeal is lodged in 40 % of detentions and is
well-founded in 15 %; the court takes a lognormal time with a median of 150 days (appeal),
200 days (higher appeal), 10 days (detention appeal, Vw 2000 art. 94: a hearing within two
weeks), and the IND decides again 60 to 120 days after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

import numpy as np

from keten.catalog.derive import Event
from keten.chain import court

UPHELD_ASYLUM = 0.86  # seed 003: "Instandhouding beslissing • Asiel ... 86%"
UPHELD_REGULAR = 0.79  # seed 003: "Instandhouding beslissing ... Regulier ... 79%"
APPLICANT_WITHDRAWS = 0.07  # assumption
IND_WITHDRAWS = 0.05  # assumption
INADMISSIBLE_SHARE = 0.25  # assumption: of the upheld judgments
INTERIM_GRANTED = 0.20  # assumption
DETENTION_APPEALED = 0.40  # assumption
DETENTION_WELL_FOUNDED = 0.15  # assumption
APPEAL_MEDIAN_DAYS = 150  # assumption
HIGHER_MEDIAN_DAYS = 200  # assumption
DETENTION_MEDIAN_DAYS = 10  # Vw 2000 art. 94 (recalled: the hearing within two weeks)


@dataclass
class SampleDecision:
    day: date
    outcome: str
    grounds: str
    kind: str = "decided"  # the event it is recorded on: decided, judgment, decided_again
    after: int | None = None  # decided_again: the court procedure's sample key


@dataclass
class CourtLink:
    """What a sample court procedure contests: the procedure (sample key) whose first decision
    it is, or the index of the detention measure in its household."""

    contests: int | None = None
    measure: int | None = None


class HasDecisions(Protocol):
    """The parts of a sample procedure (``keten.chain.sample.SampleProcedure``) this module
    reads and writes."""

    key: int
    events: list[Event]
    decision: SampleDecision | None
    again: list[SampleDecision]


class CourtSide:
    def __init__(self, seed: int, on: date) -> None:
        self.rng = np.random.default_rng([seed, 15])  # issue 15: its own stream
        self.on = on

    def _chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def _days(self, median: int) -> timedelta:
        return timedelta(days=max(1, int(self.rng.lognormal(np.log(median), 0.5))))

    def _upheld(self, rate: float) -> str:
        if self._chance(rate):
            return court.INADMISSIBLE if self._chance(INADMISSIBLE_SHARE) else court.UNFOUNDED
        return court.WELL_FOUNDED

    def _judge(self, proc: HasDecisions, day: date, outcome: str, grounds: str) -> None:
        proc.events.append(Event(court.JUDGMENT, day, {"outcome": outcome}))
        proc.events.sort(key=lambda e: e.day)
        proc.decision = SampleDecision(day, outcome, grounds, kind=court.JUDGMENT)

    def appeal(
        self,
        original: HasDecisions,
        appeal: HasDecisions,
        upheld: float,
        judged_on: date | None = None,
        decide_again: Callable[[date, int], tuple[str, str]] | None = None,
    ) -> None:
        """An appeal that was lodged: its end (judgment, withdrawal by either side) when it
        came before ``on``, and the decision again that follows a well-founded one.
        ``judged_on``: the day of a judgment that a higher appeal contests (it must exist)."""
        lodged = next((e.day for e in appeal.events if e.kind == "lodged"), None)
        if lodged is None:
            return
        roll = self.rng.random()
        end = judged_on or lodged + self._days(APPEAL_MEDIAN_DAYS)
        if end > self.on:
            return
        if judged_on is None and roll < APPLICANT_WITHDRAWS:
            appeal.events.append(Event(court.WITHDRAWN, end))
            return
        if judged_on is None and roll < APPLICANT_WITHDRAWS + IND_WITHDRAWS:
            appeal.events.append(Event(court.DECISION_WITHDRAWN, end))
            outcome = court.DECISION_WITHDRAWN
        else:
            outcome = self._upheld(upheld)
            self._judge(appeal, end, outcome, "Awb art. 8:70")
        if (
            judged_on is None
            and decide_again
            and court.follows_up(
                court.DECISION_WITHDRAWN if outcome == court.DECISION_WITHDRAWN else court.JUDGMENT,
                outcome,
            )
        ):
            again = end + timedelta(days=int(self.rng.integers(60, 121)))
            if again <= self.on:
                result, grounds = decide_again(again, appeal.key)
                original.events.append(Event(court.DECIDED_AGAIN, again, {"after": appeal.key}))
                original.events.sort(key=lambda e: e.day)
                original.again.append(
                    SampleDecision(again, result, grounds, court.DECIDED_AGAIN, appeal.key)
                )

    def granted_again(self) -> str:
        """A decision again after a well-founded appeal: granted in half (assumption)."""
        return "granted" if self._chance(0.5) else "refused"

    def interim_relief(self, relief: HasDecisions) -> None:
        """The judgment the generator already gave it, with an outcome."""
        judged = next((e for e in relief.events if e.kind == court.JUDGMENT), None)
        if judged is None:
            return
        outcome = court.WELL_FOUNDED if self._chance(INTERIM_GRANTED) else court.UNFOUNDED
        relief.events.remove(judged)
        self._judge(relief, judged.day, outcome, "Awb art. 8:81")

    def higher_appeal(self, higher: HasDecisions) -> None:
        self.appeal(higher, higher, UPHELD_ASYLUM)  # no decision again after the Afdeling

    def detained(self, detained: date) -> date | None:
        """The day a detention appeal is lodged, or None."""
        if not self._chance(DETENTION_APPEALED):
            return None
        day = detained + timedelta(days=int(self.rng.integers(1, 11)))
        return day if day <= self.on else None

    def detention_appeal(self, appeal: HasDecisions) -> None:
        lodged = appeal.events[0].day
        end = lodged + self._days(DETENTION_MEDIAN_DAYS)
        if end > self.on:
            return
        outcome = court.WELL_FOUNDED if self._chance(DETENTION_WELL_FOUNDED) else court.UNFOUNDED
        self._judge(appeal, end, outcome, "Vw 2000 art. 94")

    def objection_appealed(self, decided: date | None) -> date | None:
        """The day an appeal against a decided objection was lodged (assumption: half of them
        are appealed, within the four weeks), or None."""
        if decided is None or not self._chance(0.5):
            return None
        day = decided + timedelta(days=int(self.rng.integers(3, 28)))
        return day if day <= self.on else None
