"""An IND case worker's day with the work queue, in Debian's chromium: filter to the overdue
asylum cases, export them (the CSV's rows are the rows on the screen), assign three to a
colleague, and the colleague's "assigned to me" shows exactly them; the queue on a 390-pixel
phone with no horizontal page scroll."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import chromium_page, orm

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
COLLEAGUE = "ind-collega"


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium_page(viewport={"width": 1280, "height": 900}) as opened:
        yield opened


def _login(live: Server, page: Any, user: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_load_state()


def _shown(page: Any) -> list[int]:
    return [
        int(x)
        for x in page.locator("#queue tbody tr[data-procedure]").evaluate_all(
            "rows => rows.map(r => r.dataset.procedure)"
        )
    ]


def _overdue_asylum_unassigned() -> list[int]:
    """The open overdue asylum_first cases of the IND decision team nobody works, as stored."""
    from datetime import date

    from keten.server.dossiers.models import Procedure
    from keten.server.workqueue.models import CurrentAssignment

    taken = CurrentAssignment.objects.exclude(assignee="").values_list("procedure_id", flat=True)
    return list(
        Procedure.objects.filter(
            queue="ind",
            team="beslissen",
            status__in=("open", "suspended", "not_started"),
            procedure_type="asylum_first",
            due__lt=date.today(),
        )
        .exclude(pk__in=taken)
        .values_list("pk", flat=True)
    )


def test_a_case_worker_filters_exports_and_assigns_overdue_asylum_cases(
    live: Server, page: Any
) -> None:
    expected = orm(_overdue_asylum_unassigned)
    assert len(expected) >= 3, "the sample needs three overdue asylum cases nobody works"
    _login(live, page, "ind")
    page.goto(f"{live.base}/queue")
    page.select_option("#filter-procedure_type", "asylum_first")
    page.check("#filter-overdue")
    page.check("#filter-unassigned")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_load_state()
    assert "overdue=1" in page.url and "procedure_type=asylum_first" in page.url
    shown = _shown(page)
    assert set(shown) <= set(expected)
    assert len(shown) == min(len(expected), 50)  # a page holds fifty
    # Every row past its deadline: the days left are negative.
    days = page.locator("#queue tbody tr[data-procedure] td.overdue").count()
    assert days == len(shown)

    # Export: the CSV holds the filtered rows, in the order on the screen.
    with page.expect_download() as download:
        page.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    exported = [int(r["procedure"]) for r in csv.DictReader(io.StringIO(text))]
    assert exported[: len(shown)] == shown and set(exported) == set(expected)

    # Assign the first three to a colleague, with the reason.
    three = shown[:3]
    for pid in three:
        page.check(f"#select-{pid}")
    page.select_option("#bulk-assignee", COLLEAGUE)
    page.fill("#bulk-assign-reason", "verdeling achterstand asiel")
    page.click("#bulk-assign-submit")
    page.wait_for_load_state()
    assert COLLEAGUE in page.locator("p.notice").inner_text()
    # Back on the same filtered list (unassigned): the three are no longer in it.
    assert "overdue=1" in page.url
    assert not set(three) & set(_shown(page))

    # The colleague's "assigned to me" shows exactly those three.
    _login(live, page, COLLEAGUE)
    page.goto(f"{live.base}/queue")
    page.check("#filter-mine")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_load_state()
    mine = _shown(page)
    assert set(three) <= set(mine)
    for pid in three:
        assert page.locator(f"#row-{pid} td.assignee").inner_text() == COLLEAGUE
    # The count on the summary links to the same list.
    page.wait_for_selector("#count-mine")
    assert int(page.locator("#count-mine strong").inner_text()) == len(mine)


def test_selecting_all_on_a_page_works_without_javascript_and_a_refusal_is_named(
    live: Server, page: Any
) -> None:
    _login(live, page, "ind")
    page.goto(f"{live.base}/queue?procedure_type=asylum_first")
    page.click("#select-all")
    page.wait_for_load_state()
    boxes = page.locator("#queue tbody input[name=selected]")
    assert boxes.count() > 0
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    # Assigning all of them to a member of another team is refused, every case named, and
    # the selection kept.
    page.evaluate(  # the form offers only the team: a tampered request, as a script could send
        "document.querySelector('#bulk-assignee')"
        ".add(new Option('ind-dublin', 'ind-dublin', true, true))"
    )
    page.fill("#bulk-assign-reason", "proef")
    page.click("#bulk-assign-submit")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("li").count() == boxes.count()
    assert "hoort niet bij team beslissen" in summary.inner_text()
    assert page.locator("#queue tbody input[name=selected]:checked").count() == boxes.count()


def test_the_queue_on_a_phone_has_no_horizontal_page_scroll(live: Server, page: Any) -> None:
    """The module's browser, narrowed to a phone's 390 pixels (one Playwright per module: a
    second one inside it is refused)."""
    _login(live, page, "ind")
    page.set_viewport_size(PHONE)
    try:
        page.goto(f"{live.base}/queue?procedure_type=asylum_first&overdue=1")
        page.wait_for_selector("#count-open")
        assert page.evaluate("window.innerWidth") == PHONE["width"]
        wide = page.evaluate(  # what sticks out, outside the list (which scrolls in itself)
            "[...document.querySelectorAll('body *')]"
            ".filter(e => !e.closest('table') && e.getBoundingClientRect().right > 391)"
            ".map(e => e.tagName + '#' + e.id + '.' + e.className)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
        shots = os.environ.get("KETEN_SCREENSHOTS")  # docs/img: the screenshot in docs/workday.md
        if shots:
            page.screenshot(path=str(Path(shots) / "queue-390.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
