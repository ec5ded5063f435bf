"""The COA planner's page ``/opvang`` over real HTTP: the day's table per location (sortable),
the totals, the series as a chart and as a table, the allocation form, the CSV, and who is
offered the page at all."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from tests.server.live import Browser, Server
from tests.server.occupancy_fixture import DAY, Province, build

COLUMNS = (
    "key",
    "name",
    "province",
    "kind",
    "occupancy",
    "places",
    "reserve",
    "free",
    "permit_holders",
    "permit_holders_over_norm",
    "amv",
    "families",
    "crisis_over_7",
)


@pytest.fixture(scope="module")
def province(live: Server) -> Province:
    return build()


def _cells(html: str, code: str) -> dict[str, str]:
    found = re.search(rf'<tr data-location="{code}">(.*?)</tr>', html, re.S)
    assert found, f"no row {code}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    return dict(
        zip(COLUMNS, (" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells), strict=True)
    )


def _open(live: Server, user: str, path: str) -> tuple[int, str]:
    browser = Browser(live.base)
    browser.login(user)
    return browser.open(path)


def test_the_planner_reads_every_figure_in_dutch(live: Server, province: Province) -> None:
    status, html = _open(live, "coa", f"/opvang?on={DAY}")
    assert status == 200, html[:500]
    assert "Bezetting opvang" in html  # Dutch first
    for letter, code in province.codes.items():
        cells = _cells(html, code)
        expected = province.expected[letter]
        assert {k: int(cells[k]) for k in expected} == expected, letter
    assert "Asielzoekerscentrum (azc)" in _cells(html, province.codes["A"])["kind"]
    assert 'class="num over" data-figure="free">-1<' in html  # B, over capacity
    assert f'data-province="{province.name}"' in html
    assert "<svg" in html and 'id="series-table"' in html  # the chart and its table view
    assert f'<tr data-day="{DAY}"' in html


def test_the_table_sorts_by_any_column(live: Server, province: Province) -> None:
    _, html = _open(live, "coa", f"/opvang?on={DAY}&sort=-free")
    table = html[html.index('<table id="locations">') :]
    table = table[: table.index("</table>")]
    mine = [
        c for c in re.findall(r'<tr data-location="([^"]+)"', table) if c in province.codes.values()
    ]
    # free: J 5, A 3, C 2, M 1, B -1
    assert mine == [province.codes[k] for k in "JACMB"]
    assert 'data-sort="free"' in html


def test_the_next_arrivals_and_a_bad_number_named_in_dutch(
    live: Server, province: Province
) -> None:
    _, html = _open(live, "coa", f"/opvang?on={DAY}&arrivals=25&amv=1")
    assert "Waar gaan de volgende 25 aankomsten heen" in html
    assert 'data-step="crisis"' in html and 'id="unplaced"' in html
    status, html = _open(live, "coa", f"/opvang?on={DAY}&arrivals=0")
    assert status == 400
    # By the field's label on the page, not the API's name (issue 16).
    assert "Aankomsten: moet tussen 1 en 100000 liggen" in html
    assert 'name="arrivals" inputmode="numeric" size="7" value="0" aria-invalid="true"' in html
    assert "arrivals:" not in html


def test_the_forecast_is_drawn_against_the_registered_places(live: Server) -> None:
    """From today (the sample's chain): a year of monthly bands, p10 <= p50 <= p90, beside
    the places registered for each month."""
    _, html = _open(live, "coa", "/opvang")
    assert 'id="forecast-chart"' in html
    months = re.findall(r'<tr data-month="([^"]+)">(.*?)</tr>', html, re.S)
    assert months[0][0] == date.today().strftime("%Y-%m") and len(months) == 12
    for _, row in months:
        p10, p50, p90, _places = (int(c) for c in re.findall(r">(-?\d+)</td>", row))
        assert p10 <= p50 <= p90


def test_no_forecast_before_the_scenario_begins(live: Server, province: Province) -> None:
    _, html = _open(live, "coa", f"/opvang?on={DAY}")
    assert 'id="forecast-unavailable"' in html and 'id="forecast-chart"' not in html


def test_the_csv_holds_the_page_rows(live: Server, province: Province) -> None:
    status, text = _open(live, "coa", f"/opvang.csv?on={DAY}")
    assert status == 200
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(text))}
    a = rows[province.codes["A"]]
    assert {k: int(a[k]) for k in province.expected["A"]} == province.expected["A"]
    assert "NL" in rows  # the national line


def test_dji_sees_its_own_centres_and_no_forecast(live: Server, province: Province) -> None:
    _, html = _open(live, "dji", f"/opvang?on={DAY}")
    shown = set(re.findall(r'<tr data-location="([^"]+)"', html)) & set(province.codes.values())
    assert shown == {province.codes["J"]}
    assert 'id="forecast-chart"' not in html


def test_a_municipality_is_not_offered_the_page(live: Server) -> None:
    status, html = _open(live, "gemeente-utrecht", "/dashboard")
    assert status == 200 and 'href="/opvang"' not in html
    status, _ = _open(live, "gemeente-utrecht", "/opvang")
    assert status == 403
    status, html = _open(live, "coa", "/dashboard")
    assert 'id="to-opvang"' in html and 'href="/opvang">Bezetting opvang<' in html
