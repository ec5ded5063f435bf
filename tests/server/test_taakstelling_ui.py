"""The taakstelling page: the ministry announces a half-year for every municipality in one
form, a municipality reads its own figures, other roles do not see the page.

The half-years 2023-I and 2023-II are this file's own (see test_taakstelling_api.py).
"""

from __future__ import annotations

import csv
import io
import re

from tests.server.live import Browser, Server
from tests.server.world import register

COLUMNS = ("name", "period", "quota", "housed", "established", "remaining", "waiting", "status")


def _row(html: str, municipality: str, period: str) -> dict[str, str]:
    """The table row's cells by column, as text."""
    found = re.search(
        rf'<tr data-municipality="{municipality}" data-period="{period}">(.*?)</tr>', html, re.S
    )
    assert found, f"no row {municipality} {period}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    text = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    return dict(zip((*COLUMNS, "rung"), text, strict=True))


def _version_on(html: str) -> str:
    """The half-year's version the form carries (what the page was built from)."""
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version on the form"
    return found.group(1)


def test_the_ministry_announces_a_half_year_in_one_form(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("jenv")  # lands on its page: it has no work queue and no dossiers
    status, html = browser.open("/taakstelling?period=2023-I")
    assert status == 200 and "Taakstelling huisvesting vergunninghouders" in html
    assert 'name="value-utrecht"' in html and "Vastleggen voor 2023-I" in html
    assert 'name="version" value="0"' in html  # the half-year as read: nothing announced yet
    status, html = browser.open(
        "/taakstelling?period=2023-I",
        {
            "kind": "announced",
            "period": "2023-I",
            "version": _version_on(html),
            "day": "2022-09-29",
            "value-utrecht": "14",
            "value-tilburg": "6",
            "value-amsterdam": "",  # left as it is
            "reason": "taakstelling 2023-I, brief van 29 september 2022",
        },
    )
    assert status == 200, html
    assert "Vastgelegd voor 2 gemeenten (2023-I)" in html
    utrecht = _row(html, "utrecht", "2023-I")  # nobody housed there in that half-year
    assert (utrecht["quota"], utrecht["housed"], utrecht["remaining"]) == ("14", "0", "14")
    # Utrecht's first half-year on record (no other test announces one for it before 2023).
    assert (utrecht["status"], utrecht["rung"]) == ("niet behaald", "1")
    assert _row(html, "tilburg", "2023-I")["quota"] == "6"
    assert _row(html, "amsterdam", "2023-I")["status"] == "niet bekendgemaakt"


def test_a_refused_form_says_why_and_keeps_what_was_entered(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("jenv")
    status, html = browser.open("/taakstelling?period=2023-II")
    status, html = browser.open(
        "/taakstelling?period=2023-II",
        {
            "kind": "announced",
            "period": "2023-II",
            "version": _version_on(html),
            "day": "2023-03-30",
            "value-groningen": "9",
            "value-eindhoven": "veel",
            "reason": "taakstelling 2023-II",
        },
    )
    assert status == 400
    assert "eindhoven: een geheel aantal personen, 0 tot en met 100000" in html
    assert re.search(r'name="value-groningen"[^>]*value="9"', html)
    assert 'value="veel"' in html
    # Nothing was written: groningen's 9 went down with eindhoven's error.
    status, html = browser.open("/taakstelling?period=2023-II")
    assert _row(html, "groningen", "2023-II")["status"] == "niet bekendgemaakt"


def test_a_municipality_sees_its_own_figures_and_no_form(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("gemeente-utrecht")
    status, html = browser.open("/taakstelling")
    assert status == 200 and 'href="/taakstelling"' in html
    assert 'data-municipality="utrecht"' in html and 'data-municipality="amsterdam"' not in html
    assert 'id="quota-form"' not in html
    refused, _ = browser.open(
        "/taakstelling",
        {"kind": "announced", "period": "2024-I", "day": "2023-09-01", "value-utrecht": "1"},
    )
    assert refused == 403


def test_a_role_without_the_figures_gets_no_page(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/queue")
    assert status == 200 and 'href="/taakstelling"' not in html
    status, _ = browser.open("/taakstelling")
    assert status == 403


def test_the_dashboard_shows_the_current_half_year_to_whoever_may_read_it(live: Server) -> None:
    """The municipality sees its own quota, housed, remaining and rung; COA the total over all
    municipalities; a role without the figures none."""
    api = live.get("/api/v1/taakstelling?municipality=utrecht", "coa").body
    current = next(r for r in api["results"] if r["period"] == api["current"])
    browser = Browser(live.base)
    browser.login("gemeente-utrecht")
    status, html = browser.open("/dashboard")
    assert status == 200
    card = re.search(r'<div class="card grid" id="quota-now">(.*?)</div>\s*<h2>', html, re.S)
    assert card, "no quota card"
    text = " ".join(re.sub(r"<[^>]+>", " ", card.group(1)).split())
    assert f"Taakstelling {api['current']}" in text
    assert f"Gehuisvest: {current['realised']}" in text
    assert f"Trede: {current['rung']}" in text
    coa = Browser(live.base)
    coa.login("coa")
    status, html = coa.open("/dashboard")
    assert status == 200 and 'id="quota-now"' in html and "Gerealiseerd" in html
    ind = Browser(live.base)
    ind.login("ind")
    status, html = ind.open("/dashboard")
    assert status == 200 and 'id="quota-now"' not in html


def test_the_ministry_sees_one_row_per_municipality_and_a_column_per_half_year(
    live: Server,
) -> None:
    """Without a half-year chosen the page is a matrix, as a table of 342 municipalities over
    five half-years must be: each cell realised / quota, linking to the half-year's detail."""
    api = live.get("/api/v1/taakstelling", "jenv").body
    browser = Browser(live.base)
    browser.login("jenv")
    status, html = browser.open("/taakstelling")
    assert status == 200 and 'id="quota-matrix"' in html and 'id="quota-table"' not in html
    row = re.search(r'<tr data-municipality="eindhoven">(.*?)</tr>', html, re.S)
    assert row, "no row for eindhoven"
    for r in (r for r in api["results"] if r["municipality"] == "eindhoven"):
        cell = re.search(rf'data-period="{r["period"]}"[^>]*>([^<]*)</td>', row.group(1))
        assert cell, r["period"]
        expected = "–" if r["quota"] is None else f"{r['realised']} / {r['quota']}"
        assert cell.group(1) == expected
    assert f'<a href="?period={api["current"]}">' in html


def test_a_national_quota_is_split_by_population_from_the_page(live: Server) -> None:
    """The seed's rule from the form: 50 over 300.000 and 200.000 inhabitants (written as
    Dutch writes them) gives 30 and 20; a population typed as "12.5" is refused, not read as
    125."""
    browser = Browser(live.base)
    browser.login("jenv")
    status, html = browser.open("/taakstelling?period=2025-I")
    assert status == 200 and 'id="quota-distribute"' in html
    form = {
        "mode": "distribute",
        "period": "2025-I",
        "version": _version_on(html),
        "national": "50",
        "day": "2024-09-27",
        "reason": "verdeling naar inwonertal",
    }
    status, html = browser.open(
        "/taakstelling?period=2025-I", {**form, "population-rotterdam": "12.5"}
    )
    assert status == 400 and "populations.rotterdam" in html
    assert 'value="12.5"' in html and '<details class="card" id="quota-distribute" open>' in html
    status, html = browser.open(
        "/taakstelling?period=2025-I",
        {**form, "population-rotterdam": "300.000", "population-amsterdam": "200.000"},
    )
    assert status == 200 and "Vastgelegd voor 2 gemeenten (2025-I)" in html, html[-2000:]
    assert _row(html, "rotterdam", "2025-I")["quota"] == "30"
    assert _row(html, "amsterdam", "2025-I")["quota"] == "20"


def test_coa_sees_each_municipality_s_quota_left_when_handing_over(live: Server) -> None:
    """COA matches permit holders to municipalities; choosing where one goes, it sees how many
    each municipality still has to house this half-year. The IND, which does not read the
    taakstelling and sends no hand-over to a municipality, is not offered one."""
    api = live.get("/api/v1/taakstelling?municipality=utrecht", "coa").body
    left = next(r for r in api["results"] if r["period"] == api["current"])["remaining"]
    person = register(live)["id"]
    coa = Browser(live.base)
    coa.login("coa")
    status, html = coa.open(f"/persons/{person}")
    assert status == 200
    option = re.search(r'<option value="gemeente-utrecht"[^>]*>([^<]*)</option>', html)
    assert (
        option and option.group(1) == f"Gemeente Utrecht — taakstelling: nog {left} te huisvesten"
    )
    ind = Browser(live.base)
    ind.login("ind")
    status, html = ind.open(f"/persons/{person}")
    assert status == 200 and 'id="add-handover"' in html
    assert '<option value="gemeente-utrecht"' not in html


def test_the_figures_download_as_csv_for_reports(live: Server) -> None:
    """The page's rows as CSV, in the reader's scope: the municipality's own half-years, with
    the figures the API gives."""
    api = live.get("/api/v1/taakstelling", "gemeente-utrecht").body["results"]
    browser = Browser(live.base)
    browser.login("gemeente-utrecht")
    status, text = browser.open("/taakstelling.csv")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["municipality"] for r in rows} == {"utrecht"}
    assert [(r["period"], r["quota"], r["realised"], r["rung"]) for r in rows] == [
        (
            a["period"],
            "" if a["quota"] is None else str(a["quota"]),
            str(a["realised"]),
            str(a["rung"]),
        )
        for a in api
    ]
