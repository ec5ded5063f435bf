"""Ending a measure or placement withdraws the access it gave, over real HTTP: only when the
organisation has no basis left (another running record, a hand-over, its registration); in the
ending's transaction, as a dossier event with who/when/why, inside the ending's audit record.
Afterwards the organisation gets the answer it gets for a person it never had, on the API and
in the interface, and the person leaves its work queue."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tests.server.live import Browser, Server, keten
from tests.server.sites import site
from tests.server.test_end_records import add, end
from tests.server.world import grant_asylum, register, version

if TYPE_CHECKING:
    from django.db.models import Manager

    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import AccessGrant, DossierEvent

TODAY = date.today()
MISSING = 987654321


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def _models() -> tuple[Manager[AuditRecord], Manager[DossierEvent], Manager[AccessGrant]]:
    # Django is set up by the `live` fixture; models are importable only after that.
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import AccessGrant, DossierEvent

    return AuditRecord.objects, DossierEvent.objects, AccessGrant.objects


def lodge(live: Server, person: int) -> int:
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {"procedure_type": "asylum_first", "day": TODAY.isoformat(), "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text
    return int(reply.body["id"])


def in_queue(live: Server, user: str, procedure: int) -> bool:
    page = 1
    while True:
        reply = live.get(
            f"/api/v1/queue?procedure_type=asylum_first&page_size=200&page={page}", user
        )
        assert reply.status == 200, reply.text
        if any(r["id"] == procedure for r in reply.body["results"]):
            return True
        if not reply.body["has_next"]:
            return False
        page += 1


def sees(live: Server, user: str, person: int) -> bool:
    reply = live.get(f"/api/v1/persons/{person}", user)
    assert reply.status in (200, 404), reply.text
    return reply.status == 200


def assert_never_had(live: Server, user: str, person: int) -> None:
    """The answers for ``person`` are those for a person that does not exist."""
    for path in ("", "/dossier", "/procedures", "/placements"):
        hidden = live.get(f"/api/v1/persons/{person}{path}", user)
        missing = live.get(f"/api/v1/persons/{MISSING}{path}", user)
        assert hidden.status == missing.status == 404, (path, hidden.text)
        assert hidden.headers["Content-Type"] == missing.headers["Content-Type"]
        specific = ("detail", "detail_nl", "instance")
        assert {k: v for k, v in hidden.body.items() if k not in specific} == {
            k: v for k, v in missing.body.items() if k not in specific
        }
        assert hidden.body["detail"] == f"no person {person}"
    v_number = live.get(f"/api/v1/persons/{person}", "ind").body["v_number"]
    assert live.get(f"/api/v1/persons?v_number={v_number}", user).body["results"] == []
    browser = Browser(live.base)
    browser.login(user)
    hidden_status, hidden_html = browser.open(f"/persons/{person}")
    missing_status, missing_html = browser.open(f"/persons/{MISSING}")
    assert hidden_status == missing_status == 404
    assert _main(hidden_html).replace(str(person), "ID") == _main(missing_html).replace(
        str(MISSING), "ID"
    )


def _main(html: str) -> str:
    found = re.search(r"<main>(.*)</main>", html, re.S)
    assert found, html[:300]
    return found.group(1)


def test_dji_loses_access_when_the_only_detention_ends(live: Server) -> None:
    person = int(register(live)["id"])
    procedure = lodge(live, person)
    assert not sees(live, "dji", person)
    detained = add(live, person, "measures", "kmar", kind="detention", start=_day(-20))
    assert sees(live, "dji", person) and in_queue(live, "dji", procedure)
    reply = end(
        live,
        person,
        "measures",
        detained["id"],
        "kmar",
        {"end": TODAY.isoformat(), "reason": "bewaring opgeheven"},
    )
    assert reply.status == 200, reply.text
    assert reply.body["access_withdrawn"] == ["DJI"]
    _, _, grants = _models()
    assert not grants.filter(person_id=person, organisation_id="DJI").exists()
    assert_never_had(live, "dji", person)
    assert not in_queue(live, "dji", procedure)
    # The organisations with another basis keep theirs: IND sees everyone anyway.
    assert sees(live, "ind", person) and in_queue(live, "ind", procedure)
    # A new detention brings DJI back.
    add(live, person, "measures", "kmar", kind="detention", start=TODAY.isoformat())
    assert sees(live, "dji", person) and in_queue(live, "dji", procedure)


def test_dji_keeps_access_while_a_second_basis_runs(live: Server) -> None:
    person = int(register(live)["id"])
    detained = add(live, person, "measures", "kmar", kind="detention", start=_day(-10))
    # DJI's own placement, planned to end in a month: running until then.
    placed = add(
        live,
        person,
        "placements",
        "dji",
        kind="detention_centre",
        site=site(live, "dji", "detention_centre"),
        location="DC Rotterdam",
        start=_day(-10),
        end=_day(30),
    )
    lifted = end(
        live, person, "measures", detained["id"], "kmar", {"end": _day(-1), "reason": "opgeheven"}
    )
    assert lifted.status == 200, lifted.text
    assert lifted.body["access_withdrawn"] == []
    assert sees(live, "dji", person)
    _, events, grants = _models()
    assert grants.get(person_id=person, organisation_id="DJI").reason == "detention"
    assert not events.filter(person_id=person, kind="access_withdrawn").exists()
    # DJI ends its own placement, the last basis: its access goes with it.
    left = end(
        live, person, "placements", placed["id"], "dji", {"end": _day(0), "reason": "vertrokken"}
    )
    assert left.status == 200, left.text
    assert left.body["access_withdrawn"] == ["DJI"]
    assert_never_had(live, "dji", person)


def test_a_record_entered_after_it_ended_grants_nothing(live: Server) -> None:
    person = int(register(live)["id"])
    add(live, person, "measures", "kmar", kind="detention", start=_day(-30), end=_day(-5))
    assert not sees(live, "dji", person)


def test_a_municipality_loses_access_when_its_housing_ends(live: Server) -> None:
    person = int(register(live)["id"])
    procedure = lodge(live, person)
    housed = add(
        live,
        person,
        "placements",
        "coa",
        kind="municipal_housing",
        location="woning Utrecht",
        municipality="utrecht",
        start=_day(-60),
    )
    assert sees(live, "gemeente-utrecht", person)
    assert in_queue(live, "gemeente-utrecht", procedure)
    # The municipality ends its own housing in the interface: the dossier is gone for it,
    # and the page it lands on says why.
    browser = Browser(live.base)
    browser.login("gemeente-utrecht")
    status, html = browser.open(f"/persons/{person}")
    assert status == 200 and f"/records/placement/{housed['id']}/end" in html
    status, html = browser.open(
        f"/persons/{person}/records/placement/{housed['id']}/end",
        {"end": _day(0), "reason": "verhuisd", "version": version(live, person).strip('"')},
    )
    assert status == 200, html[:500]
    assert "Uw organisatie heeft geen toegang meer tot dit dossier" in html
    assert_never_had(live, "gemeente-utrecht", person)
    assert not in_queue(live, "gemeente-utrecht", procedure)
    _, events, _ = _models()
    event = events.get(person_id=person, kind="access_withdrawn")
    assert event.payload["organisation"] == "gemeente-utrecht"
    assert event.recorded_by == "gemeente-utrecht" and event.reason == "verhuisd"


def test_a_grant_from_a_hand_over_is_never_withdrawn(live: Server) -> None:
    person = int(register(live)["id"])
    # The detention came first (the grant's reason), the hand-over to DJI after it.
    detained = add(live, person, "measures", "kmar", kind="detention", start=_day(-3))
    add(live, person, "handovers", "kmar", kind="detention_order", to_org="DJI", day=_day(-2))
    grant_asylum(live, person)  # a permit holder, whom COA matches to a municipality
    housed = add(
        live,
        person,
        "placements",
        "coa",
        kind="municipal_housing",
        location="woning Utrecht",
        municipality="utrecht",
        start=_day(-2),
    )
    add(
        live,
        person,
        "handovers",
        "coa",
        kind="housing_match",
        to_org="gemeente-utrecht",
        day=_day(-2),
    )
    _, events, grants = _models()
    assert grants.get(person_id=person, organisation_id="DJI").reason == "detention"
    for resource, row, user in (
        ("measures", detained, "kmar"),
        ("placements", housed, "gemeente-utrecht"),
    ):
        reply = end(live, person, resource, row["id"], user, {"end": _day(0), "reason": "einde"})
        assert reply.status == 200, reply.text
        assert reply.body["access_withdrawn"] == []
    assert sees(live, "dji", person) and sees(live, "gemeente-utrecht", person)
    assert not events.filter(person_id=person, kind="access_withdrawn").exists()


def test_the_withdrawal_is_recorded_with_who_why_and_in_the_audit(live: Server) -> None:
    person = int(register(live)["id"])
    detained = add(live, person, "measures", "kmar", kind="detention", start=_day(-20))
    reply = end(
        live,
        person,
        "measures",
        detained["id"],
        "kmar",
        {"end": _day(-2), "reason": "bewaring opgeheven door de rechtbank"},
    )
    assert reply.status == 200 and reply.body["access_withdrawn"] == ["DJI"], reply.text
    audit, events, _ = _models()
    event = events.get(person_id=person, kind="access_withdrawn")
    assert (event.recorded_by, event.recorded_org, event.recorded_role) == (
        "kmar",
        "KMar",
        "kmar_officer",
    )
    assert event.reason == "bewaring opgeheven door de rechtbank"
    payload: dict[str, Any] = event.payload
    assert payload["organisation"] == "DJI"
    assert (payload["resource"], payload["id"], payload["kind"]) == (
        "measure",
        detained["id"],
        "detention",
    )
    assert payload["grant_reason"] == "detention" and payload["granted_since"] == _day(-20)
    assert "no hand-over to it" in payload["why"]
    # After the ending's own event, in the same write.
    ended = events.get(person_id=person, kind="measure_ended")
    assert ended.pk < event.pk and ended.recorded_at <= event.recorded_at
    # The ending's audit record covers the withdrawal: one operation, one record.
    records = list(audit.filter(object_ref=f"measure:{detained['id']}", name="measure.end"))
    assert len(records) == 1
    assert records[0].fields == ["access_grant", "end"] and records[0].actor_user == "kmar"
    assert [pid for pid, _ in records[0].subjects] == [person]
    assert_withdrawal_shown(live, person, "KMar", "bewaring opgeheven door de rechtbank")
    # ... and not for a role that may not read measures (it would tell COA of the detention).
    coa = live.get(f"/api/v1/persons/{person}/dossier", "coa").body["timeline"]
    assert not [t for t in coa if t["what"] == "access_withdrawn"]


def assert_withdrawal_shown(live: Server, person: int, who: str, reason: str) -> None:
    """DJI's withdrawal is in the timeline, with who and why, for a role that may read
    measures (API and interface), and the audit chain still verifies."""
    timeline = live.get(f"/api/v1/persons/{person}/dossier", "ind").body["timeline"]
    assert [t for t in timeline if t["what"] == "access_withdrawn"] == [
        {
            "day": TODAY.isoformat(),
            "what": "access_withdrawn",
            "who": who,
            "organisation": "DJI",
            "reason": reason,
        }
    ]
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open(f"/persons/{person}")
    assert status == 200 and "toegang ingetrokken voor DJI" in html
    verified = keten(live.env, "audit", "verify", check=False)
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout
