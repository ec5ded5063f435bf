"""Mistakes corrected, never erased, through real HTTP: an event, a decision, a placement or a
hand-over recorded by mistake is withdrawn by a correcting record naming what and why; the row
stays, marked; deadlines, state and access follow as if it had not been recorded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Reply, Server
from tests.server.sites import site
from tests.server.world import lodge, refuse, register, version

TODAY = date.today()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def withdraw(
    live: Server,
    person: int,
    resource: str,
    record: int,
    user: str = "ind",
    why: str = "vergissing",
    procedure: int | None = None,
) -> Reply:
    """Withdraw as ``user``; based on the procedure's version for an event or decision
    (``procedure``), else on the person's."""
    based_on = f'"{_procedure(live, procedure)["version"]}"' if procedure else version(live, person)
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/withdrawals",
        user,
        {"resource": resource, "id": record, "reason": why},
        headers={"If-Match": based_on},
    )


def _procedure(live: Server, procedure: int) -> dict[str, Any]:
    reply = live.get(f"/api/v1/procedures/{procedure}", "ind")
    assert reply.status == 200, reply.text
    body: dict[str, Any] = reply.body
    return body


def _event(live: Server, procedure: int, kind: str, day: str, **data: object) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/procedures/{procedure}/events",
        "ind",
        {"kind": kind, "day": day, "data": data, "reason": "test"},
        headers={"If-Match": f'"{_procedure(live, procedure)["version"]}"'},
    )


def _due(proc: dict[str, Any]) -> str:
    return str(next(d["date"] for d in proc["state"]["deadlines"] if d["id"] == "decision"))


def test_a_mistaken_extension_is_withdrawn_and_the_deadline_follows(live: Server) -> None:
    person = int(register(live)["id"])
    proc = lodge(live, person, "regular_residence", _day(20))
    before = _due(_procedure(live, proc["id"]))
    extended = _event(live, proc["id"], "extended", _day(1), weeks=7)
    assert extended.status == 201, extended.text
    after = _procedure(live, proc["id"])
    assert _due(after) != before
    event_id = next(e["id"] for e in after["events"] if e["kind"] == "extended")
    reply = withdraw(
        live,
        person,
        "event",
        event_id,
        why="verlenging bij de verkeerde aanvraag",
        procedure=proc["id"],
    )
    assert reply.status == 201, reply.text
    assert reply.body["withdrawn_reason"] == "verlenging bij de verkeerde aanvraag"
    assert reply.body["procedure"]["id"] == proc["id"]
    corrected = _procedure(live, proc["id"])
    assert _due(corrected) == before
    gone = next(e for e in corrected["events"] if e["id"] == event_id)
    assert gone["withdrawn"]["withdrawn_by"] == "ind"  # still there, marked
    assert gone["withdrawn"]["withdrawn_reason"] == "verlenging bij de verkeerde aanvraag"
    # The work queue's cache follows too.
    assert corrected["due"] == before
    again = withdraw(live, person, "event", event_id, procedure=proc["id"])
    assert again.status == 422 and again.body["field"] == "id", again.text


def test_a_withdrawn_decision_reopens_the_procedure(live: Server) -> None:
    person = int(register(live)["id"])
    decision = refuse(live, person)
    procs = live.get(f"/api/v1/persons/{person}/procedures", "ind").body["results"]
    proc = next(p for p in procs if p["procedure_type"] == "regular_residence")
    assert proc["status"] == "closed"
    stop = next(e for e in _procedure(live, proc["id"])["events"] if e["kind"] == "decided")
    # The stop event records the decision: it goes with the decision, not on its own.
    alone = withdraw(live, person, "event", stop["id"], procedure=proc["id"])
    assert alone.status == 422 and "withdraw the decision" in alone.body["rule"]
    reply = withdraw(
        live,
        person,
        "decision",
        decision,
        why="besluit bij de verkeerde persoon",
        procedure=proc["id"],
    )
    assert reply.status == 201, reply.text
    assert reply.body["also_withdrawn"] == [{"resource": "event", "id": stop["id"]}]
    reopened = _procedure(live, proc["id"])
    assert reopened["status"] == "open"
    assert reopened["decisions"][0]["withdrawn"]["withdrawn_reason"] == (
        "besluit bij de verkeerde persoon"
    )
    # A new decision may be recorded now, and the case is no longer "refused".
    assert live.get(f"/api/v1/procedures/{proc['id']}/decisions", "ind").status == 200
    refused_again = live.request(
        "POST",
        f"/api/v1/persons/{person}/handovers",
        "ind",
        {"kind": "transfer_file", "to_org": "DTenV", "day": _day(0), "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert refused_again.status == 422, refused_again.text


def test_the_opening_event_is_not_withdrawn_on_its_own(live: Server) -> None:
    person = int(register(live)["id"])
    proc = lodge(live, person, "regular_residence", _day(3))
    opening = _procedure(live, proc["id"])["events"][0]
    reply = withdraw(live, person, "event", opening["id"], procedure=proc["id"])
    assert reply.status == 422 and reply.body["field"] == "id", reply.text


def test_a_withdrawn_placement_closes_the_access_it_opened(live: Server) -> None:
    from keten.server.dossiers.models import AccessGrant, DossierEvent

    person = int(register(live)["id"])
    measure = live.request(
        "POST",
        f"/api/v1/persons/{person}/measures",
        "kmar",
        {"kind": "detention", "start": _day(3), "reason": "bewaring"},
        headers={"If-Match": version(live, person)},
    )
    assert measure.status == 201, measure.text
    assert AccessGrant.objects.filter(person_id=person, organisation_id="DJI").exists()
    reply = withdraw(live, person, "measure", measure.body["id"], "kmar", "verkeerde persoon")
    assert reply.status == 201, reply.text
    assert reply.body["access_withdrawn"] == ["DJI"]
    assert not AccessGrant.objects.filter(person_id=person, organisation_id="DJI").exists()
    event = DossierEvent.objects.get(person_id=person, kind="access_withdrawn")
    assert "withdrawn" in event.payload["why"] and event.reason == "verkeerde persoon"
    assert live.get(f"/api/v1/persons/{person}", "dji").status == 404
    rows = live.get(f"/api/v1/persons/{person}/measures", "kmar").body["results"]
    assert rows[0]["open"] is False and rows[0]["withdrawn"]["withdrawn_org"] == "KMar"
    # A withdrawn record is not ended afterwards: there is nothing to end.
    ended = live.request(
        "POST",
        f"/api/v1/persons/{person}/measures/{measure.body['id']}/end",
        "kmar",
        {"end": _day(0), "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert ended.status == 422, ended.text


def test_a_withdrawn_hand_over_closes_the_access_it_opened(live: Server) -> None:
    from keten.server.dossiers.models import AccessGrant

    person = int(register(live)["id"])
    refuse(live, person)
    sent = live.request(
        "POST",
        f"/api/v1/persons/{person}/handovers",
        "ind",
        {"kind": "transfer_file", "to_org": "DTenV", "day": _day(0), "reason": "overdracht"},
        headers={"If-Match": version(live, person)},
    )
    assert sent.status == 201 and live.get(f"/api/v1/persons/{person}", "dtenv").status == 200
    # Only the sender withdraws its hand-over.
    assert withdraw(live, person, "handover", sent.body["id"], "kmar").status == 403
    reply = withdraw(live, person, "handover", sent.body["id"], why="nog in beroep")
    assert reply.status == 201, reply.text
    assert reply.body["access_withdrawn"] == ["DTenV"]
    assert not AccessGrant.objects.filter(person_id=person, organisation_id="DTenV").exists()
    assert live.get(f"/api/v1/persons/{person}", "dtenv").status == 404


def test_the_dossier_shows_what_was_withdrawn_by_whom_and_why(live: Server) -> None:
    person = int(register(live)["id"])
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "coa",
        {
            "kind": "coa_regular",
            "site": site(live, "coa", "regular"),
            "location": "azc Budel",
            "start": _day(5),
            "reason": "x",
        },
        headers={"If-Match": version(live, person)},
    )
    assert placed.status == 201, placed.text
    assert (
        withdraw(live, person, "placement", placed.body["id"], "coa", "dubbel ingevoerd").status
        == 201
    )
    dossier = live.get(f"/api/v1/persons/{person}/dossier", "coa").body
    row = next(r for r in dossier["placement"] if r["id"] == placed.body["id"])
    assert row["withdrawn"]["withdrawn_reason"] == "dubbel ingevoerd" and row["open"] is False
    entry = next(i for i in dossier["timeline"] if i.get("withdrawn"))
    assert entry["reason"] == "dubbel ingevoerd" and entry["who"] == "COA"
    # Nothing stands in the way of the right placement now: the person stays nowhere.
    again = live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "coa",
        {
            "kind": "coa_regular",
            "site": site(live, "coa", "regular"),
            "location": "azc Zeist",
            "start": _day(5),
            "reason": "x",
        },
        headers={"If-Match": version(live, person)},
    )
    assert again.status == 201, again.text


def test_withdrawing_takes_write_on_the_resource_and_the_procedure_type(live: Server) -> None:
    person = int(register(live)["id"])
    decision = refuse(live, person)
    procs = live.get(f"/api/v1/persons/{person}/procedures", "ind").body["results"]
    proc = next(p["id"] for p in procs if p["procedure_type"] == "regular_residence")
    # COA reads decisions only; the Dublin unit handles other procedure types.
    denied = withdraw(live, person, "decision", decision, "coa", procedure=proc)
    assert denied.status == 403 and denied.body["field"] == "decision", denied.text
    dublin = withdraw(live, person, "decision", decision, "ind-dublin", procedure=proc)
    assert dublin.status == 403 and dublin.body["field"] == "id", dublin.text
    missing = withdraw(live, person, "decision", 987654321, procedure=proc)
    assert missing.status == 404 and missing.body["field"] == "id"


def test_a_withdrawn_move_lets_the_earlier_stay_run_again(live: Server) -> None:
    person = int(register(live)["id"])

    def place(kind: str, location: str, start: str, **extra: object) -> Reply:
        return live.request(
            "POST",
            f"/api/v1/persons/{person}/placements",
            "coa",
            {"kind": kind, "location": location, "start": start, "reason": "x", **extra},
            headers={"If-Match": version(live, person)},
        )

    first = place("coa_regular", "azc Budel", _day(10), site=site(live, "coa", "regular"))
    moved = place(
        "coa_emergency",
        "noodopvang Zoetermeer",
        _day(2),
        move=True,
        site=site(live, "coa", "emergency"),
    )
    assert first.status == moved.status == 201, moved.text
    reply = withdraw(
        live, person, "placement", moved.body["id"], "coa", "verkeerde persoon verhuisd"
    )
    assert reply.status == 201, reply.text
    assert reply.body["reopened"] == first.body["id"]
    rows = {
        r["id"]: r for r in live.get(f"/api/v1/persons/{person}/placements", "coa").body["results"]
    }
    again = rows[first.body["id"]]
    assert again["open"] is True and again["end"] is None and "ended_by" not in again
    assert rows[moved.body["id"]]["open"] is False and rows[moved.body["id"]]["withdrawn"]
    # One place at a time still holds: the person stays in Budel again.
    assert place("coa_crisis", "Ter Apel", _day(0), site=site(live, "coa", "crisis")).status == 422
