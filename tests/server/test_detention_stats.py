"""Detention statistics (``services/detention_stats.py``) on a hand-built list of detentions,
and through the API against the live server; and the overview's alert rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Browser, Server
from tests.server.world import register, version


@pytest.fixture(scope="module")
def stats(live: Server) -> Any:
    """The module, imported once Django is set up (the live fixture does that)."""
    from keten.server.services import detention_stats

    return detention_stats


def test_figures_on_a_hand_built_fixture(stats: Any) -> None:
    """Seed 001 reports the mean duration of the detentions of a year ("Gemiddelde duur van
    alle bewaringen ... was in 2020: 46 dagen"): the days from detention to its end, of the
    detentions that ended. Here, in March: released after 10 and removed after 30 days (mean
    20, median 20); one started in March still runs; one ended in April (5 days)."""
    d = stats.Detention
    fixture = [
        d(date(2026, 2, 20), date(2026, 3, 2), "released", "adult", "SYR"),  # 10 days
        d(date(2026, 3, 1), date(2026, 3, 31), "removed", "family", "MAR"),  # 30 days
        d(date(2026, 3, 10), None, None, "adult", "SYR"),
        d(date(2026, 4, 1), date(2026, 4, 6), "removed", "unaccompanied_minor", "DZA"),
        d(date(2025, 1, 1), date(2025, 2, 1), "released", "adult", "TUR"),  # before the period
    ]
    out = stats.compute(fixture, date(2026, 3, 1), date(2026, 4, 30))
    march, april = out["months"]
    assert march == {
        "month": "2026-03",
        "started": 2,
        "ended": 2,
        "released": 1,
        "removed": 1,
        "days_mean": 20.0,
        "days_median": 20.0,
    }
    assert april["started"] == 1 and april["ended"] == 1 and april["days_mean"] == 5.0
    assert out["total"]["started"] == 3 and out["total"]["ended"] == 3
    assert out["total"]["days_median"] == 10
    assert out["by_group"]["family"] == {
        "started": 1,
        "ended": 1,
        "released": 0,
        "removed": 1,
        "days_mean": 30.0,
        "days_median": 30,
    }
    assert list(out["by_nationality"]) == ["DZA", "MAR", "SYR"]  # most started first, then code
    assert "TUR" not in out["by_nationality"]  # nothing in the period


def test_the_period_is_bounded(stats: Any) -> None:
    from keten.server.services.errors import BadInputError

    today = date(2026, 12, 3)
    assert stats.period(None, None, today) == (date(2025, 12, 1), today)
    with pytest.raises(BadInputError) as late:
        stats.period("2026-05-01", "2026-04-01", today)
    assert late.value.field == "from" and "mag niet na" in (late.value.rule_nl or "")
    with pytest.raises(BadInputError) as long:
        stats.period("2001-01-01", "2026-01-01", today)
    assert "120 maanden" in (long.value.rule_nl or "")
    with pytest.raises(BadInputError) as bad:
        stats.period("03-12-2026", None, today)
    assert bad.value.field == "from"


def test_statistics_through_the_api(live: Server) -> None:
    """A detention started and ended by removal in the period is counted by its month, its
    outcome, its group and its nationality; the ministry reads it, COA may not."""
    person = int(register(live, "dtenv", surname="Statistiek", nationality="MAR")["id"])
    start = date.today() - timedelta(days=6)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "dtenv",
        {
            "procedure_type": "detention",
            "day": start.isoformat(),
            "facts": {"group": "adult", "basis": "59"},
            "reason": "x",
        },
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    removed = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "dtenv",
        {"kind": "removed", "day": date.today().isoformat(), "reason": "uitgezet"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert removed.status == 201, removed.text
    query = f"from={start.replace(day=1).isoformat()}&to={date.today().isoformat()}"
    reply = live.get(f"/api/v1/detention/statistics?{query}", "jenv")
    assert reply.status == 200, reply.text
    assert reply.body["total"]["removed"] >= 1
    assert reply.body["by_nationality"]["MAR"]["removed"] >= 1
    assert reply.body["by_group"]["adult"]["ended"] >= 1
    assert live.get(f"/api/v1/detention/statistics?{query}", "coa").status == 403
    bad = live.get("/api/v1/detention/statistics?from=gisteren", "jenv")
    assert bad.status == 400 and bad.body["field"] == "from"
    # No longer running: gone from the overview.
    rows = live.get("/api/v1/detention", "dtenv").body["results"]
    assert lodged.body["id"] not in {r["procedure_id"] for r in rows}
    b = Browser(live.base)
    b.login("jenv")
    status, html = b.open(f"/bewaring/statistiek?{query}")
    assert status == 200 and 'id="detention-total"' in html
    status, text = b.open(f"/bewaring/statistiek.csv?{query}")
    assert status == 200 and text.splitlines()[0] == (
        "breakdown,month,started,ended,released,removed,days_mean,days_median"
    )
    assert b.open("/bewaring")[0] == 403  # figures, not persons


@pytest.mark.parametrize(
    ("length", "days"),
    [
        ("14 days", 3),
        ("2 weeks", 3),
        ("4 weeks", 7),
        ("28 days", 7),
        ("5 days", 1),
        ("6 months", 14),
        ("18 months", 14),
    ],
)
def test_the_alert_window_scales_with_the_limit(live: Server, length: str, days: int) -> None:
    """A quarter of the limit, at least 1 and at most 14 days (services/detention.py states
    and justifies the rule): 3 days before the 2 weeks of Vc A5/2.4, 14 before 6 months."""
    from keten.server.services.detention import alert_window
    from keten.time.periods import Period

    assert alert_window(Period.parse(length)) == days
