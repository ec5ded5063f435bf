"""The outflow pages over real HTTP (``ui/outflow_views.py``, ``ui/outflow_block.py``): each role
is offered only what it may do, a refusal is shown where the form was with the field and the
rule in Dutch, and nothing is stored."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.server.live import Browser, Server
from tests.server.test_outflow_api import match, permit_holder, row, today
from tests.server.world import register


def test_the_dossier_offers_coa_the_match_and_the_municipality_the_contract(
    live: Server,
) -> None:
    person = permit_holder(live, today() - timedelta(days=20))
    coa = Browser(live.base)
    coa.login("coa")
    status, html = coa.open(f"/persons/{person}")
    assert status == 200 and 'id="outflow-block"' in html
    assert 'class="inline outflow-match"' in html
    assert 'class="inline outflow-lease"' not in html
    # a person without an asylum permit gets no outflow block
    stranger = int(register(live)["id"])
    assert 'id="outflow-block"' not in coa.open(f"/persons/{stranger}")[1]

    assert match(live, person, today() - timedelta(days=5)).status == 201
    html = coa.open(f"/persons/{person}")[1]
    assert 'class="inline outflow-match"' not in html  # matched: nothing left for COA now
    assert 'data-deadline="housing"' in html and 'data-deadline="outflow"' in html

    utrecht = Browser(live.base)
    utrecht.login("gemeente-utrecht")
    html = utrecht.open(f"/persons/{person}")[1]
    assert 'class="inline outflow-lease"' in html
    assert 'class="inline outflow-match"' not in html
    assert 'href="/uitstroom"' in html  # the nav offers the page
    # the municipality's list has no municipality filter (its own only) and no match form
    page = utrecht.open("/uitstroom")[1]
    assert 'id="match-new"' not in page and 'name="municipality"' not in page
    assert f'data-person="{person}"' in page


def test_a_refused_command_is_shown_on_the_page_and_stores_nothing(live: Server) -> None:
    person = permit_holder(live, today() - timedelta(days=20))
    assert match(live, person, today() - timedelta(days=5)).status == 201
    version = row(live, "gemeente-utrecht", person)["person_version"]
    utrecht = Browser(live.base)
    utrecht.login("gemeente-utrecht")
    status, html = utrecht.open(
        f"/uitstroom/{person}/move",
        {"version": str(version), "day": today().isoformat(), "reason": "te vroeg"},
    )
    assert status == 422
    assert "er is geen huurcontract" in html and 'role="alert"' in html
    assert row(live, "gemeente-utrecht", person)["phase"] == "housing"
    # from the dossier page, the refusal comes back there, with what was entered
    status, html = utrecht.open(
        f"/uitstroom/{person}/lease",
        {
            "version": str(version),
            "back": "dossier",
            "address": "Kade 3",
            "signed_on": today().isoformat(),
            "lease_start": (today() - timedelta(days=30)).isoformat(),
            "reason": "huurcontract",
        },
    )
    assert status == 422 and 'id="outflow-block"' in html
    assert "vóór de koppeling" in html and 'value="Kade 3"' in html
    assert row(live, "gemeente-utrecht", person)["lease"] is None


def test_coa_matches_by_v_number_and_an_unknown_one_is_named(live: Server) -> None:
    coa = Browser(live.base)
    coa.login("coa")
    status, html = coa.open(
        "/uitstroom/match",
        {
            "v_number": "0000000000",
            "municipality": "utrecht",
            "day": today().isoformat(),
            "reason": "koppeling",
        },
    )
    assert status == 404 and "geen persoon 0000000000" in html
    assert re.search(r'name="v_number" required value="0000000000"', html)
    person = permit_holder(live, today() - timedelta(days=3))
    v_number = live.get(f"/api/v1/persons/{person}", "ind").body["v_number"]
    form = {
        "v_number": v_number,
        "municipality": "rotterdam",
        "day": today().isoformat(),
        "reason": "koppeling",
    }
    status, html = coa.open("/uitstroom/match", form)
    assert status == 200 and "Gekoppeld aan de gemeente." in html
    assert row(live, "coa", person)["municipality"] == "rotterdam"
