"""The COA planner in Debian's chromium, driven by Playwright: opens ``/opvang`` from the nav,
sorts the table, sees an arrival placed at a location change its occupancy and free places,
and asks where the next 40 arrivals go."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.occupancy_fixture import DAY, RECORDED, Province, build
from tests.server.test_browser import orm as _orm
from tests.server.test_browser import page as page  # the module's chromium page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def province(live: Server) -> Iterator[Province]:
    yield _orm(build)


def _arrive(code: str, day: Any) -> None:
    """An arrival placed at the location with room, as the placing service writes it: a
    placement at a registered site."""
    from keten.server.dossiers.models import Location, Person, Placement

    site = Location.objects.get(code=code)
    person = Person.objects.create(
        v_number=f"7{code[4:12]}0",
        given_names="Nieuw",
        surname="Aangekomen",
        birth_date="1995-03-02",
        nationality="ERI",
    )
    Placement.objects.create(
        person=person, kind="coa_regular", location=site.name, site=site, start=day, **RECORDED
    )


def _figure(page: Any, code: str, column: int) -> int:
    return int(page.locator(f"#locations tr[data-location='{code}'] td").nth(column).inner_text())


def test_the_planner_sees_an_arrival_change_the_occupancy(
    live: Server, page: Any, province: Province
) -> None:
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "coa")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.base}/queue")
    page.click("header.top a[href='/opvang']")
    page.wait_for_url(f"{live.base}/opvang")
    assert page.locator("h1").inner_text().startswith("Bezetting opvang")  # Dutch first
    assert page.locator("#series-chart svg").count() == 1
    assert page.locator("#series-table tbody tr, #series-table tr[data-day]").count() > 0

    day = DAY + timedelta(days=1)
    page.goto(f"{live.base}/opvang?on={day}")
    a = province.codes["A"]
    before, free_before = _figure(page, a, 4), _figure(page, a, 7)
    _orm(lambda: _arrive(a, day))
    page.reload()
    assert _figure(page, a, 4) == before + 1
    assert _figure(page, a, 7) == free_before - 1

    # Sort by free places, most first, from the column's header.
    page.click("#locations th a[data-sort='free']")  # ascending
    page.click("#locations th a[data-sort='free']")  # descending
    assert "sort=-free" in page.url
    frees = [int(t) for t in page.locator("#locations td[data-figure=free]").all_inner_texts()]
    assert frees == sorted(frees, reverse=True)

    page.fill("#allocation-form input[name=arrivals]", "40")
    page.fill("#allocation-form input[name=amv]", "0")
    page.click("#allocation-form button[type=submit]")
    assert "40" in page.locator("#allocation-title").inner_text()
    placed = page.locator("#allocation-steps tr[data-step] td.num").all_inner_texts()
    unplaced = page.locator("#unplaced td.num").inner_text().split()[0]
    assert sum(int(n) for n in placed) + int(unplaced) == 40
