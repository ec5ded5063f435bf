"""The inbox in Debian's chromium: a municipality officer sees, in Dutch, the hand-over of a
permit holder that COA matched to the municipality, opens the dossier from it and marks it
read; the count in the header follows.

(The policy has no hand-over *to* COA: a permit holder reaches COA's queue by the IND's
decision, and leaves it by COA's housing match to a municipality (seed 001, 4.5), which is
the hand-over told here.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import chromium_page, orm
from tests.server.world import grant_asylum, hand_over, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _count(page: Any) -> int:
    badge = page.locator("#nav-notifications .count")
    if badge.count() == 0:
        return 0
    return int(badge.inner_text().split()[0])


def test_a_municipality_sees_the_handover_of_a_permit_holder(live: Server) -> None:
    person = register(live, surname="Vergunninghouder")
    grant_asylum(live, int(person["id"]))
    with chromium_page() as page:
        page.goto(f"{live.base}/login")
        page.fill("#id_username", "gemeente-utrecht")
        page.fill("#id_password", "keten-demo")
        page.click("button[type=submit]")
        page.goto(f"{live.base}/meldingen")
        before = _count(page)

        hand_over(live, int(person["id"]), "coa", "housing_match", "gemeente-utrecht")

        page.goto(f"{live.base}/meldingen")
        assert page.locator("h1").inner_text() == "Meldingen"
        assert _count(page) == before + 1
        item = page.locator("#notifications li[data-kind=handover]").filter(
            has_text=person["v_number"]
        )
        assert item.count() == 1
        text = item.locator(".text").inner_text()
        assert text.startswith("Overdracht ontvangen van Centraal Orgaan opvang asielzoekers")
        assert "nieuw" in item.inner_text()
        # From the notification to the dossier, which the hand-over opened to the municipality.
        item.get_by_role("link").click()
        page.wait_for_url(f"{live.base}/persons/{person['id']}")
        assert person["v_number"] in page.locator("main").inner_text()

        page.goto(f"{live.base}/meldingen")
        item = page.locator("#notifications li[data-kind=handover]").filter(
            has_text=person["v_number"]
        )
        item.get_by_role("button", name="Als gelezen markeren").click()
        page.wait_for_url(f"{live.base}/meldingen")
        item = page.locator("#notifications li[data-kind=handover]").filter(
            has_text=person["v_number"]
        )
        assert "nieuw" not in item.inner_text()
        assert _count(page) == before

    def told() -> list[str]:
        from keten.server.notifications.models import Notification

        return list(
            Notification.objects.filter(person_id=person["id"], kind="handover")
            .order_by("recipient")
            .values_list("recipient", flat=True)
        )

    # Told to the receiving municipality only, not to COA who sent it, nor anyone else.
    assert orm(told) == ["gemeente-utrecht"]


def test_the_inbox_fits_a_phone(live: Server) -> None:
    """On a 390-pixel screen the inbox, with a hand-over and the webhook table, is no wider
    than the screen (a table scrolls within itself)."""
    person = register(live, surname="Telefoonmelding")
    grant_asylum(live, int(person["id"]))
    hand_over(live, int(person["id"]), "coa", "housing_match", "gemeente-utrecht")
    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True) as phone:
        phone.goto(f"{live.base}/login")
        phone.fill("#id_username", "gemeente-utrecht")
        phone.fill("#id_password", "keten-demo")
        phone.click("form:has(#id_username) button[type=submit]")
        phone.goto(f"{live.base}/meldingen")
        assert phone.locator("#notifications li[data-kind=handover]").count() >= 1
        assert phone.locator("#subscriptions").count() == 1  # a municipality may subscribe
        # Against the screen: a mobile browser's innerWidth grows with the page's overflow.
        assert int(phone.evaluate("document.documentElement.scrollWidth")) <= 390
