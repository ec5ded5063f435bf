"""A planned end day that has passed withdraws the access it granted, through
`keten server expire-grants` against the live server's database. The rule, from docs/policy.md
("Access from measures and placements"):

    Ending one withdraws the grant, in the same transaction and recorded as the dossier event
    `access_withdrawn` (who, when, why), when the organisation has no basis left: no other
    running measure or placement that grants it access, no hand-over to it, not registered by
    it. Hand-overs and registrations are permanent bases. After the withdrawal the person is
    not found for the organisation and leaves its work queue. [...] A planned end day that has
    passed withdraws the grant at the next run of `keten server expire-grants` (run it daily):
    it withdraws every grant whose organisation has no basis left on the day, one person per
    transaction, recorded as `access_withdrawn` by `keten-expiry` naming the record whose end
    passed. Grants from a hand-over or a registration are never withdrawn.

The sweep acts on the whole database the other tests of this worker share; its day is the
planned end day used here (tomorrow), which no sample record and no other test plans.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tests.server.live import Server, keten
from tests.server.sites import site
from tests.server.test_access_withdrawal import (
    _models,
    assert_never_had,
    assert_withdrawal_shown,
    in_queue,
    lodge,
    sees,
)
from tests.server.test_end_records import add
from tests.server.world import register, version

if TYPE_CHECKING:
    from keten.server.dossiers.models import DossierEvent

TODAY = date.today()
PLANNED_END = TODAY + timedelta(days=1)


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def sweep(live: Server, on: date = PLANNED_END) -> int:
    """Run the sweep as it will run on ``on`` (the planned end day, tomorrow): in this process,
    on the live server's database, since the command refuses a day after today."""
    from keten.server.services.access import expire_grants

    return expire_grants(on)


def sweep_by_cli(live: Server, *args: str) -> tuple[int, str]:
    """``keten server expire-grants``: the number it says it withdrew, and for which day."""
    done = keten(live.env, "server", "expire-grants", *args)
    found = re.match(r"(\d+) access grant\(s\) withdrawn: planned end passed by (\S+)", done.stdout)
    assert found, done.stdout + done.stderr
    return int(found.group(1)), found.group(2)


def withdrawals(person: int) -> list[DossierEvent]:
    _, events, _ = _models()
    return list(events.filter(person_id=person, kind="access_withdrawn").order_by("pk"))


def detained_until_tomorrow(live: Server, person: int) -> dict[str, Any]:
    return add(
        live,
        person,
        "measures",
        "kmar",
        kind="detention",
        start=_day(-20),
        end=PLANNED_END.isoformat(),
    )


def test_dji_loses_access_once_the_planned_end_of_the_detention_has_passed(
    live: Server,
) -> None:
    person = int(register(live)["id"])
    procedure = lodge(live, person)
    detained_until_tomorrow(live, person)
    # Before the day: the detention runs, DJI sees the person, and a sweep leaves it alone.
    assert sees(live, "dji", person) and in_queue(live, "dji", procedure)
    sweep(live, TODAY)
    assert sees(live, "dji", person) and in_queue(live, "dji", procedure)
    assert withdrawals(person) == []
    # The planned end day has come: DJI gets what it gets for a person it never had.
    assert sweep(live) >= 1
    _, _, grants = _models()
    assert not grants.filter(person_id=person, organisation_id="DJI").exists()
    assert_never_had(live, "dji", person)
    assert not in_queue(live, "dji", procedure)
    assert sees(live, "ind", person) and in_queue(live, "ind", procedure)


def test_a_municipality_loses_access_once_its_planned_housing_has_ended(live: Server) -> None:
    person = int(register(live)["id"])
    add(
        live,
        person,
        "placements",
        "coa",
        kind="municipal_housing",
        location="woning Utrecht",
        municipality="utrecht",
        start=_day(-30),
        end=PLANNED_END.isoformat(),
    )
    assert sees(live, "gemeente-utrecht", person)
    sweep(live)
    assert_never_had(live, "gemeente-utrecht", person)
    [event] = withdrawals(person)
    assert event.payload["organisation"] == "gemeente-utrecht"
    assert event.payload["resource"] == "placement"


def test_a_second_running_basis_keeps_the_grant(live: Server) -> None:
    person = int(register(live)["id"])
    detained_until_tomorrow(live, person)
    add(
        live,
        person,
        "placements",
        "dji",
        kind="detention_centre",
        site=site(live, "dji", "detention_centre"),
        location="DC Rotterdam",
        start=_day(-20),
        end=_day(30),
    )
    sweep(live)
    assert sees(live, "dji", person)
    _, _, grants = _models()
    assert grants.get(person_id=person, organisation_id="DJI").reason == "detention"
    assert withdrawals(person) == []


def test_grants_from_a_hand_over_survive(live: Server) -> None:
    person = int(register(live, unaccompanied_minor=True)["id"])
    # The detention came first (the grant's reason is "detention"), the hand-over after it.
    detained_until_tomorrow(live, person)
    add(live, person, "handovers", "kmar", kind="detention_order", to_org="DJI", day=_day(-2))
    # Nidos holds its grant by a hand-over alone, before any placement of its own.
    add(live, person, "handovers", "ind", kind="guardianship", to_org="Nidos", day=_day(-2))
    add(
        live,
        person,
        "placements",
        "nidos",
        kind="nidos_family",
        location="gezin Zwolle",
        start=_day(-1),
        end=PLANNED_END.isoformat(),
        move=True,
    )
    sweep(live)
    _, _, grants = _models()
    held = dict(grants.filter(person_id=person).values_list("organisation_id", "reason"))
    assert held["DJI"] == "detention" and held["Nidos"] == "handover:guardianship"
    assert sees(live, "dji", person) and sees(live, "nidos", person)
    assert withdrawals(person) == []


def test_running_the_sweep_twice_withdraws_once(live: Server) -> None:
    person = int(register(live)["id"])
    detained_until_tomorrow(live, person)
    before = int(version(live, person).strip('"'))
    first = sweep(live)
    second = sweep(live)
    assert first >= 1 and second == 0
    assert len(withdrawals(person)) == 1
    # The withdrawal is a change to the dossier: the person's version moved on, once.
    assert int(version(live, person).strip('"')) == before + 1


def test_the_sweep_counts_what_it_withdrew(live: Server) -> None:
    persons = [int(register(live)["id"]) for _ in range(2)]
    for person in persons:
        detained_until_tomorrow(live, person)
    _, events, _ = _models()
    by_sweep = events.filter(kind="access_withdrawn", recorded_by="keten-expiry")
    already = by_sweep.count()
    withdrawn = sweep(live)
    assert withdrawn >= 2 and by_sweep.count() - already == withdrawn
    assert {e.person_id for e in by_sweep.order_by("-pk")[:withdrawn]} >= set(persons)


def test_the_cli_runs_for_today_and_refuses_a_day_ahead(live: Server) -> None:
    """Today by default; a day after today would withdraw access whose planned end has not
    come, so the command refuses it and withdraws nothing."""
    person = int(register(live)["id"])
    detained_until_tomorrow(live, person)
    _, day = sweep_by_cli(live)
    assert day == TODAY.isoformat()
    ahead = keten(live.env, "server", "expire-grants", "--on", PLANNED_END.isoformat(), check=False)
    assert ahead.returncode == 2 and "on:" in ahead.stderr and "after today" in ahead.stderr
    assert sees(live, "dji", person) and withdrawals(person) == []
    bad = keten(live.env, "server", "expire-grants", "--on", "morgen", check=False)
    assert bad.returncode != 0 and "not a date" in bad.stderr


def test_the_withdrawal_says_who_and_why_and_the_audit_log_holds(live: Server) -> None:
    person = int(register(live)["id"])
    detained = detained_until_tomorrow(live, person)
    sweep(live)
    [event] = withdrawals(person)
    assert (event.recorded_by, event.recorded_org, event.recorded_role, event.reason) == (
        "keten-expiry",
        "keten",
        "system",
        "planned end passed",
    )
    payload: dict[str, Any] = event.payload
    assert payload["organisation"] == "DJI"
    assert (payload["resource"], payload["id"], payload["kind"]) == (
        "measure",
        detained["id"],
        "detention",
    )
    assert payload["records"] == [
        {
            "resource": "measure",
            "id": detained["id"],
            "kind": "detention",
            "end": PLANNED_END.isoformat(),
        }
    ]
    assert payload["grant_reason"] == "detention" and payload["granted_since"] == _day(-20)
    assert f"planned end of measure {detained['id']} (detention)" in payload["why"]
    assert "no hand-over to it" in payload["why"]
    # One audit record for the withdrawal, by the system, for its own purpose.
    audit, _, _ = _models()
    [record] = [
        r
        for r in audit.filter(name="access_grant.expire", actor_user="keten-expiry")
        if [pid for pid, _ in r.subjects] == [person]
    ]
    assert (record.actor_org, record.actor_role, record.action) == ("keten", "system", "write")
    assert record.purpose == "urn:keten:verwerking:toegang:verval"
    assert record.policy_resource == "measure" and record.fields == ["access_grant"]
    assert record.object_ref == "access_grant:DJI"
    assert_withdrawal_shown(live, person, "keten", "planned end passed")
