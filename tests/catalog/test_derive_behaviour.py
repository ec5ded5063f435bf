"""How derivation explains itself and refuses bad input."""

from __future__ import annotations

from datetime import date

import pytest

from keten.catalog.derive import Event, InputError, derive
from keten.catalog.loader import get_procedure

ON = date(2026, 11, 25)


def test_unknown_event_names_the_field_and_the_accepted_kinds() -> None:
    with pytest.raises(InputError) as info:
        derive(get_procedure("complaint"), [Event("filed", date(2026, 1, 1))], on=ON)
    assert info.value.field == "event"
    assert "'filed' is not an event of procedure 'complaint'" in info.value.rule
    assert "received" in info.value.rule


def test_unknown_fact_is_rejected() -> None:
    with pytest.raises(InputError) as info:
        derive(get_procedure("complaint"), [], facts={"urgent": True}, on=ON)
    assert info.value.field == "fact"


def test_event_before_the_procedure_existed_is_rejected() -> None:
    with pytest.raises(InputError, match="outside the period"):
        derive(get_procedure("recognised_sponsor"), [Event("lodged", date(2012, 1, 2))], on=ON)


def test_a_deadline_without_its_start_event_is_not_started() -> None:
    state = derive(get_procedure("objection"), [], on=ON)
    filing = state.deadline("filing")
    assert (filing.date, filing.status) == (None, "not_started")
    assert filing.trail[-1].code == "start_missing"


def test_the_trail_names_the_regime_and_why() -> None:
    state = derive(get_procedure("asylum_first"), [Event("lodged", date(2026, 6, 12))], on=ON)
    first = state.deadline("decision").trail[0]
    assert first.code == "regime"
    assert "lodged on or after 12 June 2026" in first.text("en")
    assert first.citation == "Verordening (EU) 2024/1348 art. 79"


def test_an_extension_after_the_term_ended_is_refused_with_reason() -> None:
    events = [Event("lodged", date(2025, 3, 3)), Event("extended_9m", date(2025, 9, 10))]
    decision = derive(get_procedure("asylum_first"), events, on=ON).deadline("decision")
    assert decision.date == date(2025, 9, 3)
    refused = [s for s in decision.trail if s.code == "extension_refused"]
    assert refused and "after the period had ended" in refused[0].text("en")


def test_the_maximum_caps_extensions_and_suspensions() -> None:
    # 6 + 9 + 3 months = 18 months, plus a 200-day suspension, exceeds the 21 months of
    # Directive 2013/32/EU art. 31(5): capped at 3 Dec 2026 (21 months after 3 Mar 2025).
    events = [
        Event("lodged", date(2025, 3, 3)),
        Event("extended_9m", date(2025, 8, 1)),
        Event("extended_3m", date(2026, 5, 1)),
        Event("incomplete_notice", date(2025, 4, 1)),
        Event("completed", date(2025, 10, 19)),
    ]
    decision = derive(get_procedure("asylum_first"), events, on=ON).deadline("decision")
    assert decision.date == date(2026, 12, 3)
    assert any(s.code == "maximum" for s in decision.trail)


def test_an_open_suspension_has_no_end_date() -> None:
    events = [Event("lodged", date(2026, 9, 1)), Event("incomplete_notice", date(2026, 9, 10))]
    decision = derive(get_procedure("regular_residence"), events, on=ON).deadline("decision")
    assert (decision.date, decision.status) == (None, "suspended")


def test_late_decision_is_marked_late() -> None:
    events = [Event("received", date(2026, 1, 5)), Event("handled", date(2026, 3, 1))]
    handling = derive(get_procedure("complaint"), events, on=ON).deadline("handling")
    assert handling.status == "late"


def test_dwangsom_runs_on_a_late_regular_application_after_notice() -> None:
    # Decision term ends 7 Apr 2026 (see test_derive); notice received 20 Apr -> runs from 4 May.
    events = [Event("lodged", date(2026, 1, 5)), Event("notice_of_default", date(2026, 4, 20))]
    state = derive(get_procedure("regular_residence"), events, on=date(2026, 5, 10))
    assert state.dwangsom is not None
    assert state.dwangsom.first_day == date(2026, 5, 4)
    assert state.dwangsom.days == 7
    assert state.dwangsom.regime.id == "ind_automatic"


@pytest.mark.parametrize(
    "on",
    [
        date(2026, 3, 1),  # before the decision term ended (7 Apr)
        date(2026, 4, 10),  # after it ended, before the notice of default (20 Apr)
    ],
)
def test_no_dwangsom_on_a_day_before_the_notice_of_default(on: date) -> None:
    """Awb art. 4:17 lid 1: the dwangsom is owed for each day "dat het bestuursorgaan in gebreke
    is", from two weeks after the notice of default (lid 3). Looked at on a day before the term
    ended or before the notice was given, none runs yet; the state of that day must still
    derive (it failed with "on: must not be before --due")."""
    events = [Event("lodged", date(2026, 1, 5)), Event("notice_of_default", date(2026, 4, 20))]
    state = derive(get_procedure("regular_residence"), events, on=on)
    assert state.dwangsom is None
    assert state.deadline("decision").date == date(2026, 4, 7)


def test_no_statutory_dwangsom_on_a_late_asylum_decision() -> None:
    events = [Event("lodged", date(2025, 3, 3)), Event("notice_of_default", date(2025, 10, 1))]
    state = derive(get_procedure("asylum_first"), events, on=ON)
    assert state.dwangsom is not None
    assert state.dwangsom.amount_eur == 0
    assert state.dwangsom.regime.id == "court_only"


def test_json_has_the_issue_shape() -> None:
    payload = derive(get_procedure("complaint"), [Event("received", ON)], on=ON).to_json()
    assert {"procedure", "regime", "deadlines"} <= set(payload)
    deadline = payload["deadlines"][0]
    assert {"name", "date", "citation", "trail"} <= set(deadline)
    assert deadline["date"] == "2027-01-06"
