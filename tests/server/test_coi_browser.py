"""An IND case worker decides with country-of-origin information, in Debian's chromium
(Playwright): the decision form offers the reports in force about the person's nationality as
ticks; a decision dated before the ticked report was published is refused in Dutch with the
tick kept, and once dated after it the decision is recorded and shows the report beside it.

Seed 000: "Het CGVS en IND werken verder samen rond het uitwisselen van informatie met
betrekking tot de landen van oorsprong (COI, country of origin information)".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page, sign_in  # noqa: F401  (page: the chromium fixture)
from tests.server.world import lodge, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_case_worker_ticks_the_report_the_decision_relies_on(
    live: Server,
    page: Any,  # noqa: F811
) -> None:
    report = live.request(
        "POST",
        "/api/v1/coi",
        "ind",
        {
            "country": "YEM",
            "title": "Ambtsbericht Jemen (browsertest)",
            "publisher": "Ministerie van Buitenlandse Zaken",
            "kind": "ambtsbericht",
            "published_on": "2026-03-02",
            "reference": "browser-YEM-1",
            "summary": "Samenvatting.",
            "language": "nl",
            "shareable": False,
            "reason": "ambtsbericht ontvangen",
        },
    )
    assert report.status == 201, report.text
    doc = report.body["id"]
    person = register(live, nationality="YEM")
    proc = lodge(live, int(person["id"]), "asylum_first", day="2026-02-01")

    sign_in(page, live.base, "ind")
    page.goto(f"{live.base}/persons/{person['id']}")
    form = page.locator(f"#proc-{proc['id']} form.decide")
    offered = form.locator(".coi-offered")
    assert "Landeninformatie waarop het besluit steunt" in offered.inner_text()
    assert "Ambtsbericht Jemen (browsertest)" in offered.inner_text()
    form.locator(f"input[name=coi_pick][value='{doc}']").check()
    form.locator("select[name=outcome]").select_option("refused")
    form.locator("input[name=day]").fill("2026-02-20")  # before the report was published
    form.locator("input[name=grounds]").fill("Vw 2000 art. 31; ambtsbericht Jemen")
    form.locator("input[name=reason]").fill("besluit met ambtsbericht")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} .error-summary, #proc-{proc['id']} p.error")
    panel = page.locator(f"#proc-{proc['id']}")
    assert "na de besluitdatum" in panel.inner_text()
    form = panel.locator("form.decide")
    assert form.locator(f"input[name=coi_pick][value='{doc}']").is_checked()  # nothing lost
    assert form.locator("input[name=reason]").input_value() == "besluit met ambtsbericht"

    form.locator("input[name=day]").fill(date.today().isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} .coi-cited")
    assert "Ambtsbericht Jemen (browsertest)" in page.inner_text(f"#proc-{proc['id']} .coi-cited")
    decisions = live.get(f"/api/v1/procedures/{proc['id']}/decisions", "ind").body["results"]
    assert len(decisions) == 1
    cited = live.get(f"/api/v1/decisions/{decisions[0]['id']}/coi", "ind").body["results"]
    assert [c["document"] for c in cited] == [doc]
