"""Ending a measure or placement over real HTTP: the record, the dossier event with who/when/why,
the audit record, occupancy, concurrency, the rules on the end day, the policy, the interface."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tests.server.live import Browser, Reply, Server
from tests.server.sites import site
from tests.server.world import World, register, version

if TYPE_CHECKING:
    from django.db.models import Manager

    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import DossierEvent

TODAY = date.today()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def add(live: Server, person: int, resource: str, user: str, **body: object) -> dict[str, Any]:
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/{resource}",
        user,
        {**body, "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text
    return dict(reply.body)


def end(
    live: Server,
    person: int,
    resource: str,
    record: int,
    user: str,
    body: Mapping[str, object],
    if_match: str | None = None,
) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/{resource}/{record}/end",
        user,
        body,
        headers={"If-Match": if_match if if_match is not None else version(live, person)},
    )


def occupancy(live: Server, kind: str) -> int:
    rows = live.get("/api/v1/dashboard", "coa").body["occupancy"]
    return next((r["n"] for r in rows if r["kind"] == kind), 0)


def _models() -> tuple[Manager[AuditRecord], Manager[DossierEvent]]:
    # Django is set up by the `live` fixture; models are importable only after that.
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import DossierEvent

    return AuditRecord.objects, DossierEvent.objects


def test_ending_a_placement_shows_in_the_dossier_and_frees_a_place(live: Server) -> None:
    person = int(register(live)["id"])
    placed = add(
        live,
        person,
        "placements",
        "coa",
        kind="coa_regular",
        site=site(live, "coa", "regular"),
        location="azc Budel",
        start=_day(40),
    )
    assert placed["open"] is True and placed["end"] is None
    before = occupancy(live, "coa_regular")
    reply = end(
        live,
        person,
        "placements",
        placed["id"],
        "coa",
        {"end": TODAY.isoformat(), "reason": "verhuisd naar woning in Utrecht"},
    )
    assert reply.status == 200, reply.text
    body = reply.body
    assert body["end"] == TODAY.isoformat() and body["open"] is False
    assert body["ended_by"] == "coa" and body["ended_org"] == "COA"
    assert body["end_reason"] == "verhuisd naar woning in Utrecht"
    assert body["reason"] == "test"  # the reason it was added stays the row's own
    assert reply.headers["ETag"] == f'"{body["person_version"]}"' == version(live, person)
    # The dashboard counts open placements: this one no longer.
    assert occupancy(live, "coa_regular") == before - 1
    dossier = live.get(f"/api/v1/persons/{person}/dossier", "coa").body
    row = next(r for r in dossier["placement"] if r["id"] == placed["id"])
    assert row["end"] == TODAY.isoformat() and row["ended_org"] == "COA"
    ended = [t for t in dossier["timeline"] if t.get("ended")]
    assert ended == [
        {
            "day": TODAY.isoformat(),
            "what": row["kind_text"],
            "who": "COA",
            "ended": True,
            "reason": "verhuisd naar woning in Utrecht",
        }
    ]
    listed = live.get(f"/api/v1/persons/{person}/placements", "coa").body["results"]
    assert listed[0]["end_reason"] == "verhuisd naar woning in Utrecht"
    audit, events = _models()
    event = events.get(person_id=person, kind="placement_ended")
    assert event.recorded_by == "coa" and event.recorded_org == "COA"
    assert event.recorded_role == "coa_planner"
    assert event.reason == "verhuisd naar woning in Utrecht"
    assert event.payload == {
        "id": placed["id"],
        "kind": "coa_regular",
        "start": _day(40),
        "end": TODAY.isoformat(),
    }
    record = audit.filter(name="placement.end", object_ref=f"placement:{placed['id']}").get()
    assert [pid for pid, _ in record.subjects] == [person]
    assert record.action == "write" and record.policy_resource == "placement"
    assert record.actor_user == "coa" and record.fields == ["end"]
    assert record.object_ref == f"placement:{placed['id']}"


def test_ending_a_detention_in_the_past(live: Server) -> None:
    person = int(register(live)["id"])
    detained = add(live, person, "measures", "kmar", kind="detention", start=_day(20))
    reply = end(
        live,
        person,
        "measures",
        detained["id"],
        "kmar",
        {"end": _day(3), "reason": "bewaring opgeheven (rechtbank)"},
    )
    assert reply.status == 200, reply.text
    assert reply.body["end"] == _day(3) and reply.body["ended_org"] == "KMar"
    _, events = _models()
    assert events.filter(person_id=person, kind="measure_ended").count() == 1


def test_stale_if_match_gives_409_and_writes_nothing(live: Server) -> None:
    person = int(register(live)["id"])
    measure = add(live, person, "measures", "kmar", kind="reporting_duty", start=_day(10))
    stale = f'"{measure["person_version"] - 1}"'
    reply = end(
        live,
        person,
        "measures",
        measure["id"],
        "kmar",
        {"end": TODAY.isoformat(), "reason": "x"},
        if_match=stale,
    )
    assert reply.status == 409
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.body["currentVersion"] == measure["person_version"]
    assert reply.body["field"] == "If-Match"
    rows = live.get(f"/api/v1/persons/{person}/measures", "kmar").body["results"]
    assert rows[0]["end"] is None and rows[0]["open"] is True
    missing = live.request(
        "POST",
        f"/api/v1/persons/{person}/measures/{measure['id']}/end",
        "kmar",
        {"end": TODAY.isoformat(), "reason": "x"},
    )
    assert missing.status == 428 and missing.body["field"] == "If-Match"
    _, events = _models()
    assert not events.filter(person_id=person, kind="measure_ended").exists()


def test_the_end_day_and_reason_are_checked(live: Server) -> None:
    person = int(register(live)["id"])
    measure = add(live, person, "measures", "kmar", kind="freedom_restriction", start=_day(10))

    def attempt(body: dict[str, object]) -> Reply:
        return end(live, person, "measures", measure["id"], "kmar", body)

    before_start = attempt({"end": _day(11), "reason": "x"})
    assert before_start.status == 400
    assert before_start.headers["Content-Type"].startswith("application/problem+json")
    assert before_start.body["field"] == "end"
    assert before_start.body["rule"] == f"must not be before the start ({_day(10)})"
    assert before_start.body["invalidParams"][0]["name"] == "end"
    future = attempt({"end": (TODAY + timedelta(days=1)).isoformat(), "reason": "x"})
    assert future.status == 400 and future.body["field"] == "end"
    assert "after today" in future.body["rule"]
    no_day = attempt({"reason": "x"})
    assert no_day.status == 400 and no_day.body["field"] == "end"
    bad_day = attempt({"end": "gisteren", "reason": "x"})
    assert bad_day.status == 400 and bad_day.body["field"] == "end"
    no_reason = attempt({"end": TODAY.isoformat()})
    assert no_reason.status == 400 and no_reason.body["field"] == "reason"
    # The same rule when a measure is added with its end day.
    added = live.request(
        "POST",
        f"/api/v1/persons/{person}/measures",
        "kmar",
        {"kind": "reporting_duty", "start": _day(5), "end": _day(6), "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert added.status == 400 and added.body["field"] == "end"
    assert added.body["rule"] == f"must not be before the start ({_day(5)})"
    # A one-day measure: ending on its start day is fine.
    same_day = attempt({"end": _day(10), "reason": "alleen die dag"})
    assert same_day.status == 200, same_day.text


def test_an_ended_record_cannot_be_ended_again(live: Server) -> None:
    person = int(register(live)["id"])
    measure = add(live, person, "measures", "kmar", kind="reporting_duty", start=_day(10))
    first = end(live, person, "measures", measure["id"], "kmar", {"end": _day(1), "reason": "a"})
    assert first.status == 200
    again = end(live, person, "measures", measure["id"], "kmar", {"end": _day(0), "reason": "b"})
    assert again.status == 400
    assert again.body["field"] == "measure"
    assert again.body["rule"] == (
        f"measure {measure['id']} already ended on {_day(1)}: an ended record cannot be ended again"
    )
    # Recorded with an end day that has passed: ended already.
    past = add(live, person, "measures", "kmar", kind="reporting_duty", start=_day(30), end=_day(2))
    assert past["open"] is False
    reply = end(live, person, "measures", past["id"], "kmar", {"end": _day(1), "reason": "c"})
    assert reply.status == 400 and reply.body["field"] == "measure"
    # Recorded with an end day still ahead (a plan): it may be ended earlier.
    planned = add(
        live,
        person,
        "measures",
        "kmar",
        kind="reporting_duty",
        start=_day(30),
        end=(TODAY + timedelta(days=60)).isoformat(),
    )
    assert planned["open"] is True
    early = end(live, person, "measures", planned["id"], "kmar", {"end": _day(0), "reason": "d"})
    assert early.status == 200 and early.body["end"] == _day(0)
    _, events = _models()
    event = events.get(person_id=person, kind="measure_ended", payload__id=planned["id"])
    assert event.payload["previous_end"] == (TODAY + timedelta(days=60)).isoformat()


def test_roles_without_the_right_get_403_and_others_404(live: Server, world: World) -> None:
    measure = add(live, world.p, "measures", "kmar", kind="reporting_duty", start=_day(5))
    placement = add(
        live,
        world.p,
        "placements",
        "coa",
        kind="coa_regular",
        site=site(live, "coa", "regular"),
        location="azc Zeist",
        start=_day(0),  # a move starts no earlier than where P stays now (other tests move P)
        move=True,
    )
    body = {"end": TODAY.isoformat(), "reason": "mag niet"}
    for user in ("ind", "coa", "dji", "privacy"):  # measure: read only, or nothing
        reply = end(live, world.p, "measures", measure["id"], user, body)
        assert reply.status == 403, (user, reply.text)
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.body["field"] == "measure"
        assert reply.body["rule"].endswith("has no 'write' on 'measure'")
    for user in ("ind", "dtenv", "kmar"):
        reply = end(live, world.p, "placements", placement["id"], user, body)
        assert reply.status == 403 and reply.body["field"] == "placement", (user, reply.text)
    # A municipality may write placements, but ends only those in its own housing.
    municipal = end(live, world.p, "placements", placement["id"], "gemeente-utrecht", body)
    assert municipal.status == 403 and municipal.body["field"] == "placement"
    assert municipal.body["rule"] == "a municipality ends only placements in its own housing"
    # Another person's record, a record that does not exist, a person out of scope.
    other = int(register(live)["id"])
    assert end(live, other, "measures", measure["id"], "kmar", body).status == 404
    assert end(live, world.p, "measures", 987654321, "kmar", body).status == 404
    hidden = end(live, world.q, "measures", measure["id"], "dtenv", body)
    assert hidden.status == 404 and hidden.body["field"] == "person"
    # Only measures and placements end.
    document = end(live, world.p, "documents", 1, "ind", body)
    assert document.status == 404
    rows = live.get(f"/api/v1/persons/{world.p}/measures", "kmar").body["results"]
    assert next(r for r in rows if r["id"] == measure["id"])["open"] is True


def test_the_dossier_page_ends_a_placement(live: Server) -> None:
    person = int(register(live)["id"])
    placed = add(
        live,
        person,
        "placements",
        "coa",
        kind="coa_regular",
        site=site(live, "coa", "regular"),
        location="azc Budel",
        start=_day(9),
    )
    browser = Browser(live.base)
    browser.login("coa")
    status, html = browser.open(f"/persons/{person}")
    assert status == 200
    action = f'action="/persons/{person}/records/placement/{placed["id"]}/end"'
    assert action in html and "Beëindigen" in html and "Einddatum" in html
    current = version(live, person).strip('"')
    status, html = browser.open(
        f"/persons/{person}/records/placement/{placed['id']}/end",
        {"end": _day(10), "reason": "te vroeg", "version": current},
    )
    assert status == 400 and 'role="alert"' in html
    # By the page's label, not the API's field name (issue 16).
    assert "Einddatum: mag niet vóór het begin" in html and "(end:" not in html
    status, html = browser.open(
        f"/persons/{person}/records/placement/{placed['id']}/end",
        {"end": _day(1), "reason": "uitstroom naar gemeente", "version": current},
    )
    assert status == 200  # redirected back to the dossier
    assert "beëindigd door COA (coa)" in html and "uitstroom naar gemeente" in html
    assert action not in html  # no form for an ended placement
    # A role that may only read placements sees no form.
    ind = Browser(live.base)
    ind.login("ind")
    other = add(
        live,
        person,
        "placements",
        "coa",
        kind="coa_regular",
        site=site(live, "coa", "regular"),
        location="azc Zeist",
        start=_day(1),
    )
    status, html = ind.open(f"/persons/{person}")
    assert status == 200 and f"/records/placement/{other['id']}/end" not in html
    status, html = ind.open(
        f"/persons/{person}/records/placement/{other['id']}/end",
        {"end": _day(0), "reason": "x", "version": version(live, person).strip('"')},
    )
    assert status == 403
    # In English on request.
    browser.open("/i18n/setlang/", {"language": "en", "next": f"/persons/{person}"})
    status, html = browser.open(f"/persons/{person}")
    assert "ended by COA (coa)" in html and "End day" in html


def occupancy_on(live: Server, kind: str, on: date) -> int:
    rows = live.get(f"/api/v1/dashboard?on={on.isoformat()}", "coa").body["occupancy"]
    return next((r["n"] for r in rows if r["kind"] == kind), 0)


def test_occupancy_counts_a_place_until_its_planned_end(live: Server) -> None:
    """A place with an end day still ahead is occupied until that day, and the dashboard
    answers for the day asked, not only for today."""
    person = int(register(live)["id"])
    later = TODAY + timedelta(days=10)
    before_today = occupancy_on(live, "coa_emergency", TODAY)
    before_later = occupancy_on(live, "coa_emergency", later)
    add(
        live,
        person,
        "placements",
        "coa",
        kind="coa_emergency",
        site=site(live, "coa", "emergency"),
        location="noodopvang Zoetermeer",
        start=_day(5),
        end=(TODAY + timedelta(days=7)).isoformat(),
    )
    assert occupancy_on(live, "coa_emergency", TODAY) == before_today + 1
    assert occupancy_on(live, "coa_emergency", later) == before_later
