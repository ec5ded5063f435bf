"""The Pact's mandatory prioritisation, as the work queue sorts on it.

Seed 002 (national strategy under the Pact) lists mandatory prioritisation; Keten reads it as:
minors and their families go first, unaccompanied minors before all. Whether someone is a minor
is judged on the day the procedure started (the application), not on the day the queue is
read: the priority of an application must not flip while it waits, and it can be cached with
the procedure. A family link or birth-date correction recomputes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import IntEnum

from keten.chain.identity import PartialDate, is_minor


class Priority(IntEnum):
    UNACCOMPANIED_MINOR = 0
    MINOR_OR_FAMILY = 1
    OTHER = 2


PRIORITY_TEXT = {
    Priority.UNACCOMPANIED_MINOR: ("amv", "unaccompanied minor"),
    Priority.MINOR_OR_FAMILY: ("minderjarige of gezin met minderjarige", "minor or family"),
    Priority.OTHER: ("overig", "other"),
}

PRIORITY_CITATION = "Verordening (EU) 2024/1348 art. 34 (prioritering); seed 002"


def pact_priority(
    birth: PartialDate,
    unaccompanied: bool,
    family_births: Iterable[PartialDate],
    started: date,
) -> Priority:
    """Priority of a procedure of a person with ``birth`` that started on ``started``."""
    if is_minor(birth, started):
        return Priority.UNACCOMPANIED_MINOR if unaccompanied else Priority.MINOR_OR_FAMILY
    if any(is_minor(b, started) for b in family_births):
        return Priority.MINOR_OR_FAMILY
    return Priority.OTHER
