"""The forecast's pages over HTTP with a logged-in session: the start form only for roles that
may start a run, the run's progress block (polled by htmx) and then its charts with their
tables, the comparison, the carry into the taakstelling, and the links a role sees."""

from __future__ import annotations

import re

from tests.server.forecast_support import finished, policy_account, work_until
from tests.server.live import Browser, Server


def _session(live: Server, user: str) -> Browser:
    b = Browser(live.base)
    b.login(user)
    return b


def test_the_start_form_shows_only_to_roles_that_may_start(live: Server) -> None:
    policy_account(live)
    for user, can in (("coa", True), ("jenv-beleid", True), ("jenv", False)):
        status, html = _session(live, user).open("/prognose")
        assert status == 200, (user, html[:300])
        assert ('id="start-run"' in html) is can, user
        assert 'id="scenario-hoge_instroom"' in html  # every reader sees the scenarios
        assert "productieverhoging op van 25%" in html  # with their sources
    status, html = _session(live, "ind").open("/prognose")
    assert status == 403
    status, html = _session(live, "dtenv").open("/rapportage")
    assert status == 200 and "/prognose" not in html
    assert 'href="/prognose"' in _session(live, "coa").open("/rapportage")[1]


def test_a_run_started_on_the_page_shows_progress_then_its_charts(live: Server) -> None:
    coa = _session(live, "coa")
    status, html = coa.open(
        "/prognose", {"scenario": "baseline", "years": "2", "runs": "10", "reason": "opvangplan"}
    )
    assert status == 200
    run_id = int(re.search(r"Prognoserun (\d+)", html).group(1))  # type: ignore[union-attr]
    assert 'id="run-progress"' in html and f'hx-get="/prognose/runs/{run_id}/voortgang"' in html
    work_until(run_id)
    status, fragment = coa.open(f"/prognose/runs/{run_id}/voortgang")
    assert status == 200 and "100%" in fragment and "hx-get" not in fragment
    status, html = coa.open(f"/prognose/runs/{run_id}")
    assert status == 200
    for metric in ("ind_backlog", "occupancy", "taakstelling", "dwangsom"):
        assert f'id="chart-{metric}"><svg' in html, metric
        assert f'id="table-{metric}"' in html, metric
    assert "Geregistreerde plaatsen" in html  # occupancy against the register
    assert "Meenemen in de taakstelling" not in html  # COA does not announce the taakstelling


def test_bad_form_input_is_said_in_dutch(live: Server) -> None:
    status, html = _session(live, "coa").open(
        "/prognose", {"scenario": "baseline", "years": "40", "runs": "10", "reason": "x"}
    )
    assert status == 400 and "Jaren vooruit: moet tussen 1 en 10 liggen" in html


def test_compare_page(live: Server) -> None:
    a = finished(live, "coa", "baseline")
    b = finished(live, "coa", "productiviteit_gelijk")
    status, html = _session(live, "jenv").open(f"/prognose/vergelijk?a={a['id']}&b={b['id']}")
    assert status == 200
    assert 'id="comparison"' in html and 'data-metric="taakstelling"' in html
    assert 'id="compare-chart"><svg' in html
    status, html = _session(live, "jenv").open(f"/prognose/vergelijk?a={a['id']}")
    assert status == 400 and "met run: is verplicht" in html


def test_the_ministry_carries_a_half_year_on_the_page(live: Server) -> None:
    run = finished(live, "coa")
    half = run["result"]["half_years"][0]
    jenv = _session(live, "jenv")
    status, html = jenv.open(f"/prognose/runs/{run['id']}")
    assert "Meenemen in de taakstelling" in html
    page = f"/prognose/runs/{run['id']}/taakstelling?period={half['period']}"
    status, html = jenv.open(page)
    assert status == 200 and f"{half['p50']} te huisvesten vergunninghouders" in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    status, html = jenv.open(
        page,
        {
            "period": half["period"],
            "version": version,
            "population-amsterdam": "900.000",
            "population-eindhoven": "240.000",
            "reason": "prognose meegenomen",
        },
    )
    assert status == 200 and f"{half['p50']}" in html
    assert "Taakstelling" in html  # landed on the taakstelling page of that half-year
