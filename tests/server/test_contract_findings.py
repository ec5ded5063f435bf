"""What the API contract run (``test_contract.py``) found, each held here through real HTTP, so
that it stays fixed when the run's cases change with the document."""

from __future__ import annotations

import pytest

from tests.server.live import Browser, Server
from tests.server.world import register


@pytest.mark.parametrize("on", ["2000-01-01", "2013-12-31"])
def test_the_taakstelling_on_a_day_before_its_first_half_year_is_refused(
    live: Server, on: str
) -> None:
    """Before: 500. The overview shows the next half-year's announcement deadline, which cannot
    be derived before the taakstelling is in force (Huisvestingswet 2014, 1 July 2014)."""
    reply = live.get(f"/api/v1/taakstelling?on={on}", "jenv")
    assert reply.status == 400, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.body["field"] == "on"
    assert "2014-01-01" in reply.body["rule"] and "2014" in reply.body["rule_nl"]


def test_the_taakstelling_reads_from_the_half_year_its_first_is_announced_in(
    live: Server,
) -> None:
    reply = live.get("/api/v1/taakstelling?on=2014-01-01", "jenv")
    assert reply.status == 200, reply.text
    assert reply.body["current"] == "2014-I"
    assert reply.body["next"]["period"] == "2014-II"


def test_the_taakstelling_page_on_a_day_before_its_first_half_year_says_why(
    live: Server,
) -> None:
    browser = Browser(live.base)
    browser.login("jenv")
    status, html = browser.open("/taakstelling?on=2000-01-01")
    assert status == 400
    assert "Huisvestingswet 2014" in html


@pytest.mark.parametrize("other", ["\u0000dl", "2000\u00000001", " \t"])
def test_a_family_member_named_by_a_v_number_with_a_control_character_is_refused(
    live: Server, other: str
) -> None:
    """Before: 500 on PostgreSQL, which cannot hold a NUL byte even in a query (on SQLite the
    V-number was looked for and not found, 404)."""
    person = register(live)
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/family",
        "ind",
        {"relation": "partner", "other_v_number": other, "reason": "contract run"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert reply.status == 400, reply.text
    assert reply.body["field"] == "other_v_number" and reply.body["rule_nl"]


def test_a_family_member_named_by_a_v_number_is_still_found(live: Server) -> None:
    person, other = register(live), register(live)
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/family",
        "ind",
        {"relation": "partner", "other_v_number": f" {other['v_number']} ", "reason": "x"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert reply.status == 201, reply.text
