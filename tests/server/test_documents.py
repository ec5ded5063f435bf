"""The factsheet and the strategy document through the live server: the indicators move by
exactly what is recorded through the API (the server's database may hold the sample too, so
each test counts the difference its own records make), the figures agree with the services
they are taken from, the PDF is a PDF with the title in it, bad input is refused naming the
field in Dutch, and only the ministry's policy staff may read them."""

from __future__ import annotations

import io
import urllib.request
from datetime import date, timedelta
from typing import Any

import pytest

from keten.server.setup import DEMO_USERS
from tests.server.live import Browser, Server
from tests.server.world import register, version

MINISTRY = "jenv-beleid"  # role ministry_policy: strategy_report read
TODAY = date.today().isoformat()


def _indicators(live: Server) -> dict[str, Any]:
    reply = live.get("/api/v1/reports/strategy", MINISTRY)
    assert reply.status == 200, reply.text
    indicators: dict[str, Any] = reply.body["indicators"]
    return indicators


def _lodge(live: Server, procedure_type: str, kind: str, user: str = "ind") -> dict[str, Any]:
    person = int(register(live)["id"])
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        user,
        {
            "procedure_type": procedure_type,
            "event": {"kind": kind, "day": TODAY},
            "reason": "documents test",
        },
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text
    procedure: dict[str, Any] = reply.body
    return procedure


def _record(live: Server, procedure: dict[str, Any], kind: str, user: str = "ind") -> None:
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{procedure['id']}/events",
        user,
        {"kind": kind, "day": TODAY, "reason": "documents test"},
        headers={"If-Match": f'"{procedure["version"]}"'},
    )
    assert reply.status == 201, reply.text


def test_three_border_procedures_take_three_of_the_211_places(live: Server) -> None:
    """Seed 002: "Met deze flexibiliteit is het mogelijk om op elk gegeven moment te voldoen
    aan de verplichting om 211 procedures tegelijk te voeren." Three border procedures
    lodged today run today: the margin shrinks by exactly three."""
    before = _indicators(live)["border_capacity"]["values"]
    for _ in range(3):
        _lodge(live, "border_procedure", "made_at_border")
    after = _indicators(live)["border_capacity"]["values"]
    assert after["open"] == before["open"] + 3
    assert after["capacity"] == 211
    assert after["margin"] == 211 - after["open"]


def test_nareis_waiting_and_registration_within_five_days(live: Server) -> None:
    """One nareis application lodged today waits; a first asylum application reported and
    registered the same day is registered within the five days of seed 002 ("De registratie
    van een verzoek moet binnen 5 dagen na het indienen van de aanvraag plaatsvinden")."""
    before = _indicators(live)
    _lodge(live, "nareis", "lodged")
    reported = _lodge(live, "asylum_first", "reported")
    _record(live, reported, "registered")
    after = _indicators(live)
    assert after["nareis_waiting"]["values"]["open"] == (
        before["nareis_waiting"]["values"]["open"] + 1
    )
    reg_before = before["registration_within_five_days"]["values"]
    reg_after = after["registration_within_five_days"]["values"]
    assert reg_after["registered"] == reg_before["registered"] + 1
    assert reg_after["within_term"] == reg_before["within_term"] + 1


def test_detention_places_are_the_occupancy_registers_figures(live: Server) -> None:
    """The detention places beside the strategy count with occupancy's own rule: the same
    places and occupancy as the occupancy API's detention-centre line on the same day."""
    mine = _indicators(live)["detention_places"]["values"]
    occ = live.get(f"/api/v1/occupancy?by=kind&on={TODAY}", MINISTRY)
    assert occ.status == 200, occ.text
    line = next((r for r in occ.body["results"] if r["key"] == "detention_centre"), None)
    if line is None:
        assert mine["places"] == 0 and mine["occupied"] == 0
    else:
        assert (mine["places"], mine["occupied"]) == (line["places"], line["occupancy"])


def test_factsheet_counts_an_application_lodged_in_the_half_year(live: Server) -> None:
    half = f"{date.today().year}-{1 if date.today().month <= 6 else 2}"

    def figures() -> dict[str, Any]:
        reply = live.get(f"/api/v1/reports/factsheet?half_year={half}", MINISTRY)
        assert reply.status == 200, reply.text
        assert reply.body["half_year"] == half
        return {f["id"]: f for f in reply.body["figures"]}

    before = figures()
    reported = _lodge(live, "asylum_first", "reported")
    _record(live, reported, "lodged")
    after = figures()
    assert after["asylum_applications"]["values"]["asylum_first"] == (
        before["asylum_applications"]["values"]["asylum_first"] + 1
    )
    assert after["night_shelter"]["available"] is False  # no register: said, not invented
    assert "gemeentelijk" in after["night_shelter"]["unavailable"]["nl"]
    for figure_id in ("coa_occupancy", "permit_holders_housed", "departures", "detention"):
        assert after[figure_id]["available"] is True, figure_id  # the ministry may read them


def test_bad_half_year_and_day_are_refused_in_dutch(live: Server) -> None:
    bad = live.get("/api/v1/reports/factsheet?half_year=2026-7", MINISTRY)
    assert bad.status == 400
    assert bad.body["field"] == "halfjaar"
    assert "geen halfjaar" in bad.body["rule_nl"]
    future = live.get("/api/v1/reports/factsheet?half_year=2099-1", MINISTRY)
    assert future.status == 400 and "lopende halfjaar" in future.body["rule_nl"]
    late = live.get("/api/v1/reports/strategy?on=2099-01-01", MINISTRY)
    assert late.status == 400 and late.body["field"] == "on"


@pytest.mark.parametrize("user", sorted(u for u in DEMO_USERS if u != MINISTRY))
def test_only_the_ministry_policy_staff_may_read_the_documents(live: Server, user: str) -> None:
    for path in ("/api/v1/reports/strategy", "/api/v1/reports/factsheet"):
        reply = live.get(path, user)
        assert reply.status == 403, (user, path, reply.text)
        assert reply.body["field"] == "strategy_report"


def _bytes(browser: Browser, path: str) -> tuple[int, str, bytes]:
    req = urllib.request.Request(browser.base + path)
    try:
        with browser.opener.open(req, timeout=120) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_the_pages_and_pdfs_for_the_ministry_and_no_one_else(live: Server) -> None:
    pypdf = pytest.importorskip("pypdf")
    ministry = Browser(live.base)
    ministry.login(MINISTRY)
    status, index = ministry.open("/rapportage")
    assert status == 200
    assert 'href="/rapportage/factsheet"' in index and 'href="/rapportage/strategie"' in index
    status, html = ministry.open("/rapportage/strategie")
    assert status == 200 and "2.2.2. Doeltreffende toegang" in html
    assert 'href="/rapportage/strategie.pdf"' in html
    status, kind, pdf = _bytes(ministry, "/rapportage/strategie.pdf")
    assert status == 200 and kind == "application/pdf" and pdf.startswith(b"%PDF-")
    first = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Nationale strategie voor asiel- en migratiebeheer" in " ".join(first.split())
    half = f"{date.today().year}-{1 if date.today().month <= 6 else 2}"
    status, html = ministry.open(f"/rapportage/factsheet?halfjaar={half}")
    assert status == 200 and "Asielaanvragen" in html and "Nachtopvang" in html
    status, kind, pdf = _bytes(ministry, f"/rapportage/factsheet.pdf?halfjaar={half}")
    assert status == 200 and pdf.startswith(b"%PDF-")
    status, html = ministry.open("/rapportage/factsheet?halfjaar=2026-9")
    assert status == 400 and "halfjaar" in html

    # The ministry's taakstelling staff: reports page without the documents, pages refused.
    other = Browser(live.base)
    other.login("jenv")
    status, index = other.open("/rapportage")
    assert "/rapportage/strategie" not in index and "/rapportage/factsheet" not in index
    assert other.open("/rapportage/strategie")[0] == 403
    assert _bytes(other, "/rapportage/strategie.pdf")[0] == 403
    assert other.open(f"/rapportage/factsheet?halfjaar={half}")[0] == 403


def test_the_window_selection_counts_what_the_whole_history_counts(live: Server) -> None:
    """The pages read only the procedures a window touches (``Selection``); the figures must
    equal the same rules over every procedure of the types with all their events. With
    procedures of each kind recorded here (xdist may run this test on its own database)."""
    _lodge(live, "border_procedure", "made_at_border")
    _lodge(live, "nareis", "lodged")
    registered = _lodge(live, "asylum_first", "reported")
    _record(live, registered, "registered")
    from keten.reports import factsheet as fs
    from keten.reports import strategy_counts as sc
    from keten.server.services import strategy_indicators as si

    on = date.today()
    start = on.replace(month=1 if on.month <= 6 else 7, day=1)
    every = si.chain_frames(si.Selection((sc.BORDER, sc.DUBLIN, sc.NAREIS, *sc.ASYLUM_TYPES)), on)
    window = on - timedelta(days=si.WINDOW_DAYS - 1)
    figures = si.figures(on)
    assert (figures["border_capacity"].values["open"] or 0) >= 1  # not vacuous
    assert figures["border_capacity"] == sc.border_capacity(every, on)
    assert figures["dublin_decision_time"] == sc.dublin_decision_time(every, window, on)
    assert figures["registration_within_five_days"] == sc.registrations_within_five_days(
        every, window, on
    )
    assert figures["nareis_waiting"] == sc.nareis_waiting(every, on)
    selection = si.Selection((*sc.ASYLUM_TYPES, sc.NAREIS), ("lodged",), ("lodged",), start)
    assert fs.from_frames(si.chain_frames(selection, on), start, on) == fs.from_frames(
        every, start, on
    )
    assert (figures["registration_within_five_days"].values["registered"] or 0) >= 1


def test_an_early_half_year_says_what_its_sources_do_not_cover(live: Server) -> None:
    """2005: before the first taakstelling (Huisvestingswet 2014), so that figure is
    unavailable with the taakstelling's own reason; the others are counted (zero here)."""
    reply = live.get("/api/v1/reports/factsheet?half_year=2005-1", MINISTRY)
    assert reply.status == 200, reply.text
    figures = {f["id"]: f for f in reply.body["figures"]}
    housed = figures["permit_holders_housed"]
    assert housed["available"] is False and "halfjaar" in housed["unavailable"]["nl"]
    assert figures["asylum_applications"]["values"]["total"] == 0
    early = live.get("/api/v1/reports/strategy?on=2000-01-01", MINISTRY)
    assert early.status == 200, early.text
    assert early.body["indicators"]["border_capacity"]["values"]["open"] == 0
