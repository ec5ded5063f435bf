"""Screening and the border procedure's capacity over real HTTP (seed 002, issue 18 items 4
and 6).

Seed 002: "Vanaf 12 juni 2026 is de IND de screeningsautoriteit"; "De registratie van een
verzoek moet binnen 5 dagen na het indienen van de aanvraag plaatsvinden"; and the border
procedure's "toegewezen toereikende capaciteit van 211". Expected dates are worked out by hand
from those sentences and Reg. 2024/1356 art. 8.

The session's server is shared, so capacity figures are compared before and after a test's own
writes, on days no other test writes border procedures on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Reply, Server
from tests.server.world import register, version


def _lodge(
    live: Server,
    person: int,
    procedure_type: str,
    event: dict[str, Any],
    user: str = "ind",
    facts: dict[str, Any] | None = None,
) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        user,
        {
            "procedure_type": procedure_type,
            "event": event,
            "facts": facts or {},
            "reason": "screening test",
        },
        headers={"If-Match": version(live, person)},
    )


def _event(
    live: Server,
    procedure: dict[str, Any],
    kind: str,
    day: date,
    user: str = "ind",
    **data: Any,
) -> dict[str, Any]:
    current = live.get(f"/api/v1/procedures/{procedure['id']}", user)
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{procedure['id']}/events",
        user,
        {"kind": kind, "day": day.isoformat(), "data": data, "reason": "screening test"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert reply.status == 201, reply.text
    body: dict[str, Any] = reply.body
    return body


def _queue_row(live: Server, procedure_id: int) -> dict[str, Any]:
    page = live.get("/api/v1/queue?procedure_type=screening&page_size=200", "ind")
    assert page.status == 200, page.text
    rows = [r for r in page.body["results"] if r["id"] == procedure_id]
    assert len(rows) == 1, page.body
    row: dict[str, Any] = rows[0]
    return row


def test_an_inland_screening_is_in_the_ind_queue_by_its_deadline(live: Server) -> None:
    """Reg. 2024/1356 art. 8(4), recalled: three days inland. Started Wednesday 2 Dec 2026:
    2 + 3 = Saturday 5 Dec; Reg. 1182/71 art. 3(4) moves it to Monday 7 Dec."""
    person = register(live)["id"]
    lodged = _lodge(live, person, "screening", {"kind": "started", "day": "2026-12-02"})
    assert lodged.status == 201, lodged.text
    assert (lodged.body["deadline"], lodged.body["due"]) == ("screening", "2026-12-07")
    row = _queue_row(live, lodged.body["id"])
    assert (row["deadline"], row["due"]) == ("screening", "2026-12-07")
    # The registration runs from the application, five days (seed 002): 3 Dec + 5 = 8 Dec.
    _event(live, lodged.body, "application_made", date(2026, 12, 3))
    detail = live.get(f"/api/v1/procedures/{lodged.body['id']}", "ind").body
    registration = next(d for d in detail["state"]["deadlines"] if d["id"] == "registration")
    assert registration["date"] == "2026-12-08"
    assert registration["responsible"] == "IND"
    done = _event(live, lodged.body, "completed", date(2026, 12, 4))
    assert done["status"] == "closed"
    # A closed screening leaves the queue.
    page = live.get("/api/v1/queue?procedure_type=screening&page_size=200", "ind").body
    assert lodged.body["id"] not in [r["id"] for r in page["results"]]


def test_the_kmar_screens_at_the_external_border_in_seven_days(live: Server) -> None:
    """ "met uitzondering van de asielzoekers die via de buitengrenzen Nederland binnen komen":
    the KMar lodges it, seven days (Reg. 2024/1356 art. 8(3)): Tue 1 Dec + 7 = Tue 8 Dec."""
    person = register(live)["id"]
    lodged = _lodge(
        live,
        person,
        "screening",
        {"kind": "started", "day": "2026-12-01"},
        user="kmar",
        facts={"external_border": True},
    )
    assert lodged.status == 201, lodged.text
    detail = live.get(f"/api/v1/procedures/{lodged.body['id']}", "kmar").body
    screening = next(d for d in detail["state"]["deadlines"] if d["id"] == "screening")
    assert (screening["date"], screening["responsible"]) == ("2026-12-08", "KMar")


def test_a_screening_before_the_pact_is_refused_in_dutch(live: Server) -> None:
    person = register(live)["id"]
    refused = _lodge(live, person, "screening", {"kind": "started", "day": "2026-06-11"})
    assert refused.status == 400, refused.text
    assert refused.body["field"] == "day" or "event" in refused.body["field"]
    assert "2026-06-12" in refused.text


def test_a_screening_finding_must_be_yes_or_no(live: Server) -> None:
    person = register(live)["id"]
    lodged = _lodge(live, person, "screening", {"kind": "started", "day": "2026-12-01"})
    current = live.get(f"/api/v1/procedures/{lodged.body['id']}", "ind")
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "ind",
        {
            "kind": "security_checked",
            "day": "2026-12-02",
            "data": {"danger": "ja"},
            "reason": "screening test",
        },
        headers={"If-Match": current.headers["ETag"]},
    )
    assert reply.status == 400, reply.text
    assert reply.body["field"] == "data.danger"
    assert "waar of onwaar" in reply.text


def _running(live: Server, on: date) -> dict[str, Any]:
    summary = live.get(f"/api/v1/queue/summary?on={on.isoformat()}", "ind")
    assert summary.status == 200, summary.text
    margin: dict[str, Any] = summary.body["border_capacity"]
    return margin


def test_the_border_capacity_counts_the_open_border_procedures(live: Server) -> None:
    """ "om te voldoen aan de toegewezen toereikende capaciteit van 211": the margin is 211
    less the border procedures open in the dossiers, not a number typed in."""
    day = date(2026, 9, 14)
    before = _running(live, day)
    assert before["capacity"] == 211
    assert before["margin"] == 211 - before["running"]
    assert before["source"] == f"open grensprocedures in Keten op {day.isoformat()}"
    made: list[dict[str, Any]] = []
    for _ in range(3):
        person = register(live)["id"]
        lodged = _lodge(
            live, person, "border_procedure", {"kind": "made_at_border", "day": "2026-09-10"}
        )
        assert lodged.status == 201, lodged.text
        made.append(lodged.body)
    # One admitted before the day, one decided after it: two of the three run on the day.
    _event(live, made[0], "entry_granted", day - timedelta(days=1))
    _event(live, made[1], "decided", day + timedelta(days=2))
    after = _running(live, day)
    assert after["running"] == before["running"] + 2
    assert after["margin"] == before["margin"] - 2
    # Once decided, and no appeal pending, it no longer runs; the appeal keeps it running.
    later = day + timedelta(days=3)
    at_later = _running(live, later)["running"]
    _event(live, made[1], "appeal_lodged", later)
    assert _running(live, later)["running"] == at_later + 1
    # Before the Pact there is no adequate capacity to compare with.
    assert live.get("/api/v1/queue/summary?on=2026-06-01", "ind").body["border_capacity"] is None
    # A role that handles no border procedure is not shown the margin in its queue.
    assert live.get("/api/v1/queue/summary", "coa").body["border_capacity"] is None
    # The ministry's chain dashboard shows it.
    dashboard = live.get(f"/api/v1/dashboard?on={day.isoformat()}", "jenv-beleid")
    assert dashboard.status == 200, dashboard.text
    assert dashboard.body["border_capacity"]["running"] == after["running"]


def test_decision_support_offers_the_screening_and_the_capacity(live: Server) -> None:
    """The screening's findings feed the Pact routing rule, the running count the
    prioritisation rule (``border_procedures_running``)."""
    person = register(live)["id"]
    screening = _lodge(live, person, "screening", {"kind": "started", "day": "2026-11-30"})
    assert screening.status == 201, screening.text
    _event(live, screening.body, "security_checked", date(2026, 12, 1), danger=True)
    _event(
        live,
        screening.body,
        "vulnerability_checked",
        date(2026, 12, 1),
        vulnerable=True,
        needs_guarantees=False,
    )
    border = _lodge(
        live, person, "border_procedure", {"kind": "made_at_border", "day": "2026-12-02"}
    )
    assert border.status == 201, border.text
    offer = live.get(f"/api/v1/procedures/{border.body['id']}/support", "ind")
    assert offer.status == 200, offer.text
    facts = offer.body["facts"]
    assert facts["public_order_danger"]["value"] is True
    assert facts["needs_guarantees_not_available"]["value"] is False
    assert facts["vulnerable"]["value"] is True
    assert "security_checked" in facts["public_order_danger"]["source"]
    on = offer.body["on"]
    assert (
        facts["border_procedures_running"]["value"]
        == _running(live, date.fromisoformat(on))["running"]
    )
    assert facts["border_procedures_running"]["source"] == f"open grensprocedures in Keten op {on}"
    rules = {r["id"]: r for r in offer.body["rules"] + offer.body["other_rules"]}
    assert "pact-border-procedure" in rules
