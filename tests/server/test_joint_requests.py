"""Joint requests to a country of origin and escorts on special flights over real HTTP
(``services/joint_requests.py``, ``services/return_escorts.py``): the bounds and the
contradictions are refused with the field named and a Dutch reason; steps follow in order. The
exchange with the partner is tested between two servers in test_exchange_two_servers.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Browser, Reply, Server

TODAY = date.today()


def _propose(live: Server, user: str = "dtenv", **change: Any) -> Reply:
    body = {
        "kind": "travel_documents",
        "destination": "NGA",
        "authority": "Ambassade van Nigeria te Den Haag",
        "proposed_on": (TODAY - timedelta(days=3)).isoformat(),
        "partner": "BE-DVZ-BO",
        "persons_own": 5,
        "persons_partner": 2,
        "sources": "Intentieverklaring NL-BE 24-02-2015, punt 3; overleg DT&V-DVZ",
        "reason": "gezamenlijke aanvraag laissez-passers",
        **change,
    }
    return live.request("POST", "/api/v1/return/joint-requests", user, body)


def _step(live: Server, req: int, status: str, on: date, user: str = "dtenv") -> Reply:
    return live.request(
        "POST",
        f"/api/v1/return/joint-requests/{req}/steps",
        user,
        {"status": status, "day": on.isoformat(), "reason": f"stap {status}"},
    )


def test_a_request_is_proposed_with_counts_and_its_first_step(live: Server) -> None:
    made = _propose(live)
    assert made.status == 201, made.text
    got = made.body
    assert (got["persons_own"], got["persons_partner"]) == (5, 2)
    assert got["status"] == "proposed" and got["status_text"] == "voorgesteld"
    assert [s["day"] for s in got["steps"]] == [(TODAY - timedelta(days=3)).isoformat()]
    assert got["received_from"] is None
    listed = live.get("/api/v1/return/joint-requests", "dtenv").body["results"]
    assert got["id"] in [r["id"] for r in listed]


@pytest.mark.parametrize(
    ("change", "field", "dutch"),
    [
        ({"proposed_on": "2015-02-23"}, "proposed_on", "niet vóór"),
        ({"proposed_on": (TODAY + timedelta(days=1)).isoformat()}, "proposed_on", "na vandaag"),
        ({"persons_own": -1}, "persons_own", ""),
        ({"persons_partner": 1001}, "persons_partner", ""),
        ({"persons_own": "vijf"}, "persons_own", ""),
        ({"persons_own": 0, "persons_partner": 0}, "persons_own", "ten minste één persoon"),
        ({"destination": "Nigeria"}, "destination", "alpha-3"),
        ({"kind": "asylum"}, "kind", "geen van"),
        ({"authority": ""}, "authority", "verplicht"),
        ({"sources": ""}, "sources", "verplicht"),
        ({"partner": "BE DVZ"}, "partner", "partnerorganisatie"),
    ],
)
def test_bounds_are_refused_naming_the_field(
    live: Server, change: dict[str, Any], field: str, dutch: str
) -> None:
    refused = _propose(live, **change)
    assert refused.status == 400, refused.text
    assert refused.body["field"] == field
    assert dutch in refused.body["detail_nl"] + refused.body.get("rule_nl", "")
    assert refused.body["detail_nl"]


def test_steps_follow_in_order_and_in_time(live: Server) -> None:
    req = _propose(live).body["id"]
    week_ago = TODAY - timedelta(days=7)
    # Answered before it was sent, or sent before the partner agreed: refused.
    early = _step(live, req, "answered", TODAY)
    assert early.status == 422, early.text
    assert early.body["field"] == "status" and "komt na" in early.body["detail_nl"]
    assert _step(live, req, "sent", TODAY).status == 422
    # Agreed on a day before the proposal: refused, naming the day.
    before = _step(live, req, "agreed", week_ago)
    assert before.status == 422 and before.body["field"] == "day", before.text
    assert "vóór de stap" in before.body["detail_nl"]
    ahead = _step(live, req, "agreed", TODAY + timedelta(days=2))
    assert ahead.status == 400 and ahead.body["field"] == "day", ahead.text
    assert _step(live, req, "agreed", TODAY - timedelta(days=2)).status == 201
    assert _step(live, req, "sent", TODAY - timedelta(days=1)).status == 201
    twice = _step(live, req, "sent", TODAY)
    assert twice.status == 422 and "al vastgelegd" in twice.body["detail_nl"], twice.text
    done = _step(live, req, "answered", TODAY)
    assert done.status == 201, done.text
    assert [s["status"] for s in done.body["steps"]] == ["proposed", "agreed", "sent", "answered"]
    assert done.body["status_text"] == "beantwoord"
    proposed_again = _step(live, req, "proposed", TODAY)
    assert proposed_again.status == 400 and proposed_again.body["field"] == "status"
    missing = _step(live, 10**12, "sent", TODAY)
    assert missing.status == 404 and "geen gezamenlijk verzoek" in missing.body["detail_nl"]


def test_kmar_records_escorts_and_the_page_shows_them_beside_the_seats(live: Server) -> None:
    flight = live.request(
        "POST",
        "/api/v1/return/operations",
        "dtenv",
        {
            "kind": "special_flight",
            "destination": "ALB",
            "day": (TODAY + timedelta(days=20)).isoformat(),
            "seats_offered": 10,
            "reason": "charter Tirana",
        },
    )
    assert flight.status == 201, flight.text
    op = flight.body["id"]
    path = f"/api/v1/return/operations/{op}/escorts"
    for escorts, service in ((12, "kmar"), (3, "kmar")):
        given = live.request(
            "POST", path, "kmar", {"escorts": escorts, "service": service, "reason": "inzet KMar"}
        )
        assert given.status == 201, given.text
    seen = live.get(path, "dtenv").body
    assert seen["escorts"] == [
        {
            "side": None,
            "service": "kmar",
            "service_text": "Koninklijke Marechaussee",
            "service_text_en": "Royal Netherlands Marechaussee",
            "escorts": 15,
        }
    ]
    for bad, field in (({"escorts": 0}, "escorts"), ({"service": "frontex"}, "service")):
        refused = live.request(
            "POST", path, "kmar", {"escorts": 2, "service": "kmar", "reason": "x", **bad}
        )
        assert refused.status == 400 and refused.body["field"] == field, refused.text
    planned_by_kmar = _propose(live, user="kmar")
    assert planned_by_kmar.status == 403 and planned_by_kmar.body["field"] == "return_operation"
    assert _propose(live).status == 201
    browser = Browser(live.base)
    browser.login("dtenv")
    status, html = browser.open(f"/terugkeer/operaties?on={TODAY.isoformat()}")
    assert status == 200, html
    row = html[html.index(f'data-operation="{op}"') :]
    row = row[: row.index("</tr>")]
    assert "15 Koninklijke Marechaussee (eigen)" in row and ">10<" in row
    assert "Begeleiders" in html and "Gezamenlijke verzoeken" in html
    assert "Ambassade van Nigeria" in html and "reisdocumenten (laissez-passers)" in html
