from __future__ import annotations

from datetime import date

from keten.chain.identity import PartialDate
from keten.chain.priority import Priority, pact_priority

ADULT = PartialDate.parse("1985-04-02")
CHILD = PartialDate.parse("2015-00-00")


def test_minors_and_their_families_first() -> None:
    on = date(2026, 11, 1)
    assert pact_priority(CHILD, True, [], on) is Priority.UNACCOMPANIED_MINOR
    assert pact_priority(CHILD, False, [ADULT], on) is Priority.MINOR_OR_FAMILY
    assert pact_priority(ADULT, False, [CHILD], on) is Priority.MINOR_OR_FAMILY
    assert pact_priority(ADULT, False, [ADULT], on) is Priority.OTHER


def test_judged_on_the_day_the_procedure_started() -> None:
    turned_18 = PartialDate.parse("2008-03-01")
    assert pact_priority(turned_18, True, [], date(2026, 2, 28)) is Priority.UNACCOMPANIED_MINOR
    assert pact_priority(turned_18, True, [], date(2026, 3, 1)) is Priority.OTHER
