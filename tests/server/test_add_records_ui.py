"""Adding a measure or placement on the dossier page, over real HTTP: plain form posts and htmx
requests, the officer's input kept and the error beside the field it names, the form only for
roles that may write the record, a municipality placing only in its own housing."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.server.live import Browser, Server
from tests.server.sites import site
from tests.server.world import World, register, version

TODAY = date.today()
HTMX = {"HX-Request": "true"}


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def logged_in(live: Server, user: str) -> Browser:
    browser = Browser(live.base)
    browser.login(user)
    return browser


def current(live: Server, person: int) -> str:
    return version(live, person).strip('"')


def records(live: Server, person: int, path: str) -> list[dict[str, Any]]:
    reply = live.get(f"/api/v1/persons/{person}/{path}", "ind")
    assert reply.status == 200, reply.text
    return list(reply.body["results"])


def form_of(html: str, resource: str) -> str:
    """The add form's box for ``resource`` on the dossier page ('' when there is none)."""
    found = re.search(
        rf'<details class="card add-record" id="add-{resource}".*?</details>', html, re.S
    )
    return found.group(0) if found else ""


def test_the_dossier_page_adds_a_measure(live: Server) -> None:
    person = int(register(live)["id"])
    browser = logged_in(live, "kmar")
    status, html = browser.open(f"/persons/{person}")
    assert status == 200
    box = form_of(html, "measure")
    assert "Maatregel toevoegen" in box and "Begindatum" in box and "Grondslag" in box
    assert f'action="/persons/{person}/records/measure"' in box
    assert f'hx-post="/persons/{person}/records/measure"' in box
    assert 'name="csrfmiddlewaretoken"' in box
    assert f'name="version" value="{current(live, person)}"' in box
    assert not form_of(html, "placement")  # KMar may not write placements
    status, html = browser.open(
        f"/persons/{person}/records/measure",
        {
            "kind": "detention",
            "start": _day(-2),
            "end": "",
            "legal_basis": "art. 59 lid 1 onder a Vw",
            "reason": "aangetroffen zonder verblijfsrecht",
            "version": current(live, person),
        },
    )
    assert status == 200  # redirected back to the dossier
    [added] = records(live, person, "measures")
    assert added["kind"] == "detention" and added["start"] == _day(-2) and added["end"] is None
    assert added["legal_basis"] == "art. 59 lid 1 onder a Vw"
    assert (
        added["recorded_by"] == "kmar" and added["reason"] == "aangetroffen zonder verblijfsrecht"
    )
    row = re.search(rf'<tr id="measure-{added["id"]}">.*?</tr>', html, re.S)
    assert row and "Bewaring (art. 59 e.v. Vw)" in row.group(0)
    assert "art. 59 lid 1 onder a Vw" in row.group(0)
    assert 'role="alert"' not in html
    # The detention gave DJI access, as through the API.
    assert live.get(f"/api/v1/persons/{person}", "dji").status == 200
    # In English on request.
    browser.open("/i18n/setlang/", {"language": "en", "next": f"/persons/{person}"})
    status, html = browser.open(f"/persons/{person}")
    box = form_of(html, "measure")
    assert "Add a measure" in box and "End (optional)" in box
    assert "Immigration detention (art. 59 ff.)" in box


def test_the_dossier_page_adds_a_placement_through_htmx(live: Server) -> None:
    person = int(register(live)["id"])
    browser = logged_in(live, "coa")
    status, html = browser.open(f"/persons/{person}")
    box = form_of(html, "placement")
    assert "Plaatsing toevoegen" in box and "Locatie" in box and "Gemeente" in box
    assert 'hx-target="main" hx-select="main"' in box
    assert not form_of(html, "measure")  # COA may not write measures
    code = site(live, "coa", "regular")
    status, html = browser.open(
        f"/persons/{person}/records/placement",
        {
            "kind": "coa_regular",
            "site": code,
            "location": "azc Budel",
            "municipality": "",
            "start": _day(-1),
            "end": _day(60),
            "reason": "instroom",
            "version": current(live, person),
        },
        headers=HTMX,
    )
    assert status == 200 and "<main>" in html
    [added] = records(live, person, "placements")
    # The location text is the register's name of the chosen location (services/locations.py).
    assert (added["kind"], added["location"], added["municipality"], added["site"]) == (
        "coa_regular",
        f"testlocatie {code}",
        None,
        code,
    )
    assert added["start"] == _day(-1) and added["end"] == _day(60)
    assert f'<tr id="placement-{added["id"]}">' in html and f"testlocatie {code}" in html
    # The page it answers carries the new version for the next write.
    assert f'name="version" value="{current(live, person)}"' in form_of(html, "placement")


def test_a_bad_date_is_shown_beside_its_field_with_the_input_kept(live: Server) -> None:
    person = int(register(live)["id"])
    browser = logged_in(live, "kmar")
    before = current(live, person)
    body = {
        "kind": "freedom_restriction",
        "start": "gisteren",
        "end": "",
        "legal_basis": "art. 56 Vw",
        "reason": "gebiedsgebod",
        "version": before,
    }
    for headers, expected in (({}, 400), (HTMX, 200)):  # htmx swaps only a 2xx answer
        status, html = browser.open(f"/persons/{person}/records/measure", body, headers=headers)
        assert status == expected, html[:500]
        box = form_of(html, "measure")
        assert box.startswith('<details class="card add-record" id="add-measure" open>')
        error = re.search(r'<span class="field-error" id="measure-start-error">(.*?)</span>', box)
        # Beside the field without its API name; in the summary on top of the form by the
        # field's label, linked to the input (issue 16: NL Design System error summary).
        assert (
            error and error.group(1) == "&#x27;gisteren&#x27; is geen datum (verwacht JJJJ-MM-DD)"
        )
        assert '<a href="#measure-start">Begindatum: &#x27;gisteren&#x27; is geen datum' in box
        start = re.search(r'<input type="date" name="start"[^>]*>', box)
        assert start and 'value="gisteren"' in start.group(0)
        assert 'aria-invalid="true" aria-describedby="measure-start-error"' in start.group(0)
        assert '<option value="freedom_restriction" selected>' in box
        assert 'value="art. 56 Vw"' in box and 'value="gebiedsgebod"' in box
        assert box.count('class="field-error"') == 1
        assert html.count('class="error-summary"') == 1  # one summary, on the form sent
    # An end before the start: beside the end day.
    status, html = browser.open(
        f"/persons/{person}/records/measure", {**body, "start": _day(-1), "end": _day(-5)}
    )
    assert status == 400
    assert 'id="measure-end-error">mag niet vóór het begin' in html
    assert records(live, person, "measures") == [] and current(live, person) == before
    # A stale version: the form's own message, the input still there.
    status, html = browser.open(
        f"/persons/{person}/records/measure",
        {**body, "start": _day(-1), "version": str(int(before) - 1)},
    )
    assert status == 409
    box = form_of(html, "measure")
    assert 'class="error-summary"' in box and "iemand anders heeft dit intussen gewijzigd" in box
    assert 'value="gebiedsgebod"' in box and f'name="version" value="{before}"' in box


def test_a_role_that_may_not_write_sees_no_form_and_is_refused(live: Server, world: World) -> None:
    body = {"kind": "reporting_duty", "start": _day(0), "reason": "mag niet"}
    for user, resources in (("ind", ("measure", "placement")), ("dji", ("measure",))):
        browser = logged_in(live, user)
        status, html = browser.open(f"/persons/{world.p}")
        assert status == 200
        for resource in resources:
            assert not form_of(html, resource), (user, resource)
            assert f'action="/persons/{world.p}/records/{resource}"' not in html
            status, html = browser.open(
                f"/persons/{world.p}/records/{resource}",
                {**body, "location": "x", "version": current(live, world.p)},
            )
            assert status == 403, (user, resource)
            # The refusal in words, not the policy's internal rule (issue 16).
            what = {"measure": "maatregelen", "placement": "opvang- en huisvestingsplaatsingen"}
            assert f"mag {what[resource]}" in html and "niet vastleggen" in html
            assert "heeft geen &#x27;write&#x27;" not in html
    # DJI may write placements: it has that form.
    status, html = logged_in(live, "dji").open(f"/persons/{world.p}")
    assert form_of(html, "placement")


def test_a_municipality_places_only_in_its_own_housing(live: Server, world: World) -> None:
    browser = logged_in(live, "gemeente-utrecht")
    status, html = browser.open(f"/persons/{world.p}")
    box = form_of(html, "placement")
    kinds = re.findall(r'<option value="([^"]*)"', box.split('name="municipality"')[0])
    assert kinds == ["municipal_housing"]
    municipalities = re.findall(r'<option value="([^"]*)"', box.split('name="municipality"')[1])
    assert municipalities == ["utrecht"]
    assert '<option value="utrecht" selected>Gemeente Utrecht</option>' in box
    body = {
        "kind": "municipal_housing",
        "location": "Kanaalstraat 1",
        "start": _day(0),
        "move": "on",  # P stays somewhere already: the move ends that on this start
        "reason": "woning toegewezen",
    }
    status, html = browser.open(
        f"/persons/{world.p}/records/placement",
        {**body, "municipality": "amsterdam", "version": current(live, world.p)},
    )
    assert status == 400
    assert (
        'id="placement-municipality-error">een gemeente plaatst '
        "alleen in haar eigen huisvesting</span>" in html
    )
    assert 'value="Kanaalstraat 1"' in form_of(html, "placement")
    status, html = browser.open(
        f"/persons/{world.p}/records/placement",
        {**body, "municipality": "utrecht", "version": current(live, world.p)},
    )
    assert status == 200 and "Kanaalstraat 1" in html
    housed = [r for r in records(live, world.p, "placements") if r["location"] == "Kanaalstraat 1"]
    assert [(r["municipality"], r["recorded_by"]) for r in housed] == [
        ("utrecht", "gemeente-utrecht")
    ]


def test_a_refused_hand_over_keeps_what_was_entered(live: Server) -> None:
    """The hand-over form works like the others: the error beside the day it names, the kind,
    the receiving organisation, the note and the reason kept; a stale version on top of it."""
    person = int(register(live)["id"])
    browser = logged_in(live, "ind")
    before = current(live, person)
    body = {
        "kind": "transfer_file",
        "to_org": "DTenV",
        "day": "morgen",
        "note": "dossier compleet",
        "reason": "overdracht na afwijzing",
        "version": before,
    }
    status, html = browser.open(f"/persons/{person}/records/handover", body)
    assert status == 400
    box = re.search(r'<form class="inline card" id="add-handover".*?</form>', html, re.S)
    assert box, "no hand-over form"
    form = box.group(0)
    assert 'id="handover-day-error">' in form and 'id="handover-day-error">day: ' not in form
    assert '<a href="#handover-day">Dag: ' in html  # the summary links to the field
    day = re.search(r'<input type="date" name="day"[^>]*>', form)
    assert day and 'value="morgen"' in day.group(0) and 'aria-invalid="true"' in day.group(0)
    assert '<option value="transfer_file" selected>' in form
    assert '<option value="DTenV" selected>' in form
    assert 'value="dossier compleet"' in form and 'value="overdracht na afwijzing"' in form
    assert records(live, person, "handovers") == []
    status, html = browser.open(
        f"/persons/{person}/records/handover",
        {**body, "day": _day(0), "version": str(int(before) - 1)},
    )
    assert status == 409 and "iemand anders heeft dit intussen gewijzigd" in html
    assert 'value="dossier compleet"' in html
