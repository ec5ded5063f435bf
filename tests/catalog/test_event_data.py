"""Values an event carries, declared in the catalogue and checked when the event is recorded.

The taakstelling is the case that needs them: "Het aantal vergunninghouders dat moet worden
gehuisvest" (seed 001, 4.5) is a number the announcement sets, so an announcement without it,
or with something that is not a number of people, must be refused naming the value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from keten.catalog.derive import Event, InputError, check_event_data, derive
from keten.catalog.loader import get_procedure
from keten.catalog.model import EventDatum, ProcedureType

ON = date(2026, 11, 26)
START = Event("period_start", date(2027, 1, 1))


def _announce(data: dict[str, Any]) -> None:
    check_event_data(get_procedure("taakstelling"), Event("announced", date(2026, 9, 30), data))


def test_an_announcement_carries_its_quota() -> None:
    _announce({"quota": 120})
    _announce({"quota": 0})  # a municipality may be asked to house no one in a half-year


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({}, "data.quota", "announced requires quota"),
        ({"quota": -3}, "data.quota", "whole number, 0 or more"),
        ({"quota": 12.5}, "data.quota", "whole number, 0 or more"),
        ({"quota": "120"}, "data.quota", "whole number, 0 or more"),
        ({"quota": True}, "data.quota", "whole number, 0 or more"),
        ({"quota": 120, "qouta": 120}, "data.qouta", "'qouta' is not one of them"),
    ],
)
def test_a_bad_quota_is_refused_naming_the_value(
    data: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(InputError) as refused:
        _announce(data)
    assert refused.value.field == field
    assert says in refused.value.rule


def test_an_optional_value_may_be_left_out_but_not_given_wrong() -> None:
    pt = get_procedure("taakstelling")
    closed = date(2027, 7, 15)
    check_event_data(pt, Event("period_closed", closed))
    check_event_data(pt, Event("period_closed", closed, {"housed": 9}))
    with pytest.raises(InputError) as refused:
        check_event_data(pt, Event("period_closed", closed, {"housed": "9"}))
    assert refused.value.field == "data.housed"


def test_an_event_that_declares_no_values_accepts_any() -> None:
    """An extension may carry the length it grants (``length``), undeclared: declaring values is
    per event kind, and kinds that declare none are left as they were."""
    check_event_data(get_procedure("taakstelling"), Event("period_start", START.day, {"note": "x"}))


def test_a_history_recorded_before_the_values_were_declared_still_reads() -> None:
    """Databases hold announcements recorded without a quota; deriving their deadlines must not
    fail on them, only recording a new one does."""
    pt = get_procedure("taakstelling")
    old = [START, Event("announced", date(2026, 9, 30))]
    state = derive(pt, old, facts={}, on=ON)
    assert state.deadline("announcement").status == "met"


def test_only_counts_and_flags_are_declared() -> None:
    with pytest.raises(ValueError, match="count"):
        EventDatum.model_validate({"name": {"nl": "x", "en": "x"}, "type": "text"})


def test_every_declared_value_is_named_in_both_languages() -> None:
    from keten.catalog.loader import load_catalog

    declared: list[tuple[ProcedureType, str]] = [
        (pt, key) for pt in load_catalog().values() for e in pt.events for key in e.data
    ]
    assert declared  # the taakstelling's quota at least
    for pt, key in declared:
        datum = next(e.data[key] for e in pt.events if key in e.data)
        assert datum.name.nl and datum.name.en, (pt.id, key)


def test_a_screening_finding_is_yes_or_no() -> None:
    """A security check's finding is read later as the rules' ``public_order_danger``: "ja" or
    1 stored as the finding would be read as something it is not."""
    pt = get_procedure("screening")
    check_event_data(pt, Event("security_checked", date(2026, 9, 1), {"danger": True}))
    for bad in ("ja", 1, None):
        with pytest.raises(InputError, match=r"data\.danger"):
            check_event_data(pt, Event("security_checked", date(2026, 9, 1), {"danger": bad}))
