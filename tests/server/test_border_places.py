"""The border location's places next to the border procedures running, over real HTTP (issue 18
item 6: "the adequate-capacity rule reads the open border procedures and places").

Seed 004 (Vc A5/2.4): the border guard "plaatst de vreemdeling ten spoedigste voor de
behandeling van de aanvraag ... in AC Schiphol", the application centre "gevestigd in het
Justitieel Complex Schiphol". Seed 002: "Op Schiphol zijn voor de asielgrens- en
terugkeergrensprocedure altijd voldoende bedden beschikbaar om te voldoen aan de toegewezen
toereikende capaciteit van 211", and "Als de grensprocedure wordt toegepast voor gezinnen met
kinderen of amv’s, vindt dit plaats in een gesloten gezinsvoorziening in Zeist."

The session's server is shared, so figures are compared before and after a test's own writes
(no other test file registers a border location). A placement is recorded from the day it
began, so the day counted is in the past, after the Pact's 12 June 2026.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.server.live import Browser, Server
from tests.server.sites import site
from tests.server.world import hand_over, register, version

DAY = date(2026, 11, 16)
OPENED = "2026-11-02"
ADEQUATE_CAPACITY = 211  # seed 002: "toereikende capaciteit van 211"


def _margin(live: Server, user: str = "ind") -> dict[str, Any]:
    reply = live.get(f"/api/v1/queue/summary?on={DAY.isoformat()}", user)
    assert reply.status == 200, reply.text
    found: dict[str, Any] = reply.body["border_capacity"]
    return found


def _place(live: Server, person: int, code: str, start: str) -> Any:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "dji",
        {
            "kind": "border_detention",
            "site": code,
            "location": "AC Schiphol",
            "start": start,
            "reason": "grensprocedure",
        },
        headers={"If-Match": version(live, person)},
    )


def test_the_border_location_s_places_stand_next_to_the_procedures(live: Server) -> None:
    before = _margin(live)
    assert before["capacity"] == ADEQUATE_CAPACITY
    assert before["places"]["source"] == (
        f"grenslocaties in het locatieregister op {DAY.isoformat()}"
    )
    # DJI registers a border location with 40 places, 5 of them reserve, before the day.
    code = site(live, "dji", "border", places=40, reserve=5, opened=OPENED)
    after = _margin(live)
    assert after["places"]["locations"] == before["places"]["locations"] + 1
    assert after["places"]["registered"] == before["places"]["registered"] + 40
    assert after["places"]["reserve"] == before["places"]["reserve"] + 5
    # The procedures are not changed by a register of beds: the 211 and the margin stand.
    assert (after["running"], after["capacity"]) == (before["running"], ADEQUATE_CAPACITY)
    assert after["places_differ"] == (after["places"]["registered"] != ADEQUATE_CAPACITY)
    # A location opened after the day has no places on it.
    site(live, "dji", "border", places=7, opened="2027-04-01")
    assert _margin(live)["places"]["registered"] == after["places"]["registered"]

    # An adult is placed there by DJI, which the KMar handed the person over to (the border
    # guard "plaatst ... in AC Schiphol"; DJI records the placements at its locations).
    adult = int(register(live)["id"])
    hand_over(live, adult, "kmar", "detention_order", "DJI")
    placed = _place(live, adult, code, "2026-11-10")
    assert placed.status == 201, placed.text
    occupied = _margin(live)["places"]
    assert occupied["occupied"] == after["places"]["occupied"] + 1
    assert occupied["free"] == after["places"]["free"] - 1


def test_an_unaccompanied_minor_is_not_placed_at_the_border_location(live: Server) -> None:
    """ "Als de grensprocedure wordt toegepast voor ... amv’s, vindt dit plaats in een gesloten
    gezinsvoorziening in Zeist": refused, in Dutch, quoting the seed."""
    code = site(live, "dji", "border", places=10, opened=OPENED)
    minor = int(register(live, birth_date="2012-00-00", unaccompanied_minor=True)["id"])
    hand_over(live, minor, "kmar", "detention_order", "DJI")
    refused = _place(live, minor, code, "2026-11-10")
    assert refused.status == 422, refused.text
    assert "iedereen behalve een amv of een gezin met minderjarige kinderen" in refused.text
    assert "gesloten gezinsvoorziening in Zeist" in refused.text


def test_only_dji_registers_a_border_location(live: Server) -> None:
    reply = live.request(
        "POST",
        "/api/v1/locations",
        "coa",
        {
            "code": "test-border-by-coa",
            "name": "grenslocatie door COA",
            "kind": "border",
            "municipality": "haarlemmermeer",
            "province": "noord-holland",
            "opened": OPENED,
            "places": 10,
            "reason": "test",
        },
    )
    assert reply.status == 403, reply.text
    assert "beheert geen locaties van de soort" in reply.text


def test_the_dashboard_shows_places_and_procedures_in_dutch(live: Server) -> None:
    site(live, "dji", "border", places=12, opened=OPENED)
    figures = live.get(f"/api/v1/dashboard?on={DAY.isoformat()}", "jenv-beleid")
    assert figures.status == 200, figures.text
    margin = figures.body["border_capacity"]
    browser = Browser(live.base)
    browser.login("jenv-beleid")
    status, html = browser.open(f"/dashboard?on={DAY.isoformat()}")
    assert status == 200
    assert "Plaatsen op grenslocaties" in html and "Geplaatst op grenslocaties" in html
    assert f'id="border-places">{margin["places"]["registered"]}<' in html
    assert f'id="border-running">{margin["running"]}<' in html
    if margin["places_differ"]:
        assert "wijken af van de toereikende capaciteit (211)" in html
