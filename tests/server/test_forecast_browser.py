"""The ministry in Debian's chromium: from the reports page to the forecast, a run started on
the form and followed while a worker (``keten server worker``) computes it (htmx polls the
progress, the page reloads with the charts), then compared with another run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.server.forecast_support import POLICY_USER, finished, policy_account
from tests.server.live import REPO, Server
from tests.server.test_browser import page  # noqa: F401 - the fixture, shared

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def other_run(live: Server) -> dict[str, Any]:
    """A finished run to compare with, and the ministry's account: made through Django before
    Playwright starts its event loop (the ORM refuses to run inside one)."""
    policy_account(live)
    return finished(live, "coa", "hoge_instroom")


def test_the_ministry_runs_and_compares_a_forecast(
    live: Server,
    other_run: dict[str, Any],
    page: Any,  # noqa: F811
) -> None:
    other = other_run
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", POLICY_USER)
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.goto(f"{live.base}/rapportage")
    page.click("a[href='/prognose']")
    page.wait_for_url(f"{live.base}/prognose")
    assert page.locator("h1").inner_text() == "Prognose migratieketen"  # Dutch first
    assert page.locator("#scenario-baseline").is_visible()

    form = page.locator("#start-run")
    form.locator("select[name=scenario]").select_option("baseline")
    form.locator("input[name=years]").fill("2")
    form.locator("input[name=runs]").fill("300")
    form.locator("input[name=reason]").fill("Kamerbrief prognose")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#run-progress")  # queued: the progress block, polling
    run_id = int(page.url.rsplit("/", 1)[1])
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("keten")), "server", "worker", "--poll-seconds", "0.2"],
        env=live.env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    try:
        page.wait_for_selector("#chart-occupancy svg", timeout=120_000)  # reloaded once done
    finally:
        worker.terminate()  # SIGTERM: the worker stops between jobs, or queues its job again
        worker.wait(30)
    assert page.locator("#run-progress").count() == 0
    page.locator(
        "#chart-occupancy + details summary, #chart-occupancy ~ details summary"
    ).first.click()
    assert page.locator("#table-occupancy tbody tr").count() == 24
    assert page.locator("#table-taakstelling tbody tr").count() >= 1

    page.locator("#compare-with select[name=b]").select_option(str(other["id"]))
    page.locator("#compare-with button[type=submit]").click()
    page.wait_for_url(f"{live.base}/prognose/vergelijk?a={run_id}&b={other['id']}")
    assert page.locator("#compare-chart svg").is_visible()
    rows = page.locator("#comparison tr[data-metric=ind_backlog]")
    assert rows.count() == 2  # the end of each of the two years
