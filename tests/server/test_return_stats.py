"""Departure statistics on a hand-built fixture, through real HTTP: departures per month by kind,
nationality and destination, counted from the recorded departure events (a withdrawn one not),
as JSON and as CSV; aggregates for DTenV, IOM and the ministry only.

The fixture lies in March and April 2015, and the expectations are the differences the fixture
makes (the live database holds the sample chain and other tests' departures too)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.server.live import Browser, Server
from tests.server.world import hand_over, refuse, register, version

SPAN = "from=2015-03-01&to=2015-04-30"


def _departure(live: Server, nationality: str) -> tuple[int, dict[str, Any]]:
    person = int(register(live, surname="Statistiek", nationality=nationality)["id"])
    refuse(live, person)
    hand_over(live, person, "ind", "transfer_file", "DTenV")
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "dtenv",
        {
            "procedure_type": "departure",
            "event": {"kind": "return_decision", "day": "2015-02-02"},
            "reason": "fixture",
        },
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    return person, lodged.body


def _record(live: Server, proc: dict[str, Any], day: str, **body: Any) -> dict[str, Any]:
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/departure",
        "dtenv",
        {"day": day, "reason": "fixture", **body},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    assert reply.status == 201, reply.text
    done: dict[str, Any] = reply.body
    return done


def _dublin_accepted(live: Server, person: int) -> None:
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind-dublin",
        {
            "procedure_type": "dublin_outgoing",
            "event": {"kind": "request_sent", "day": "2015-03-02"},
            "reason": "claim",
        },
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    accepted = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "ind-dublin",
        {"kind": "accepted", "day": "2015-03-20", "reason": "akkoord"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert accepted.status == 201, accepted.text


def _stats(live: Server, user: str = "dtenv") -> dict[str, Any]:
    reply = live.get(f"/api/v1/return/statistics?{SPAN}", user)
    assert reply.status == 200, reply.text
    out: dict[str, Any] = reply.body
    return out


def _cells(data: dict[str, Any]) -> dict[tuple[str, str, str, str | None], int]:
    return {
        (r["month"], r["kind"], r["nationality"], r["destination"]): r["departures"]
        for r in data["results"]
    }


def _month(data: dict[str, Any], month: str) -> dict[str, Any]:
    found = next((m for m in data["months"] if m["month"] == month), None)
    return found or {"total": 0, "forced_escorted": 0, "by_kind": {}}


def test_departures_per_month_by_kind_nationality_and_destination(live: Server) -> None:
    before = _stats(live)
    _, p1 = _departure(live, "MAR")
    _record(live, p1, "2015-03-10", how="forced", destination="MAR", escorted=True)
    person2, p2 = _departure(live, "MAR")
    hand_over(live, person2, "dtenv", "rean_referral", "IOM")
    _record(live, p2, "2015-03-20", how="independent_iom", destination="MAR")
    _, p3 = _departure(live, "DZA")
    _record(live, p3, "2015-03-25", how="absconded")
    person4, p4 = _departure(live, "DZA")
    _dublin_accepted(live, person4)
    _record(live, p4, "2015-04-02", how="dublin_transfer", destination="DEU")
    _, p5 = _departure(live, "GEO")
    _record(live, p5, "2015-04-15", how="independent")
    # A departure recorded by mistake and withdrawn is not counted.
    person6, p6 = _departure(live, "GEO")
    done = _record(live, p6, "2015-04-20", how="forced", destination="GEO", escorted=False)
    event = live.get(f"/api/v1/procedures/{p6['id']}", "dtenv").body["events"][-1]
    gone = live.request(
        "POST",
        f"/api/v1/persons/{person6}/withdrawals",
        "dtenv",
        {"resource": "event", "id": event["id"], "reason": "verkeerde persoon"},
        headers={"If-Match": f'"{done["version"]}"'},
    )
    assert gone.status in (200, 201), gone.text

    after = _stats(live)
    assert after["total"] - before["total"] == 5
    old, new = _cells(before), _cells(after)
    grew = {k: n - old.get(k, 0) for k, n in new.items() if n != old.get(k, 0)}
    assert grew == {
        ("2015-03", "forced", "MAR", "MAR"): 1,
        ("2015-03", "independent_iom", "MAR", "MAR"): 1,
        ("2015-03", "absconded", "DZA", None): 1,
        ("2015-04", "dublin_transfer", "DZA", "DEU"): 1,
        ("2015-04", "independent", "GEO", None): 1,
    }
    march_before, march = _month(before, "2015-03"), _month(after, "2015-03")
    assert march["total"] - march_before["total"] == 3
    assert march["forced_escorted"] - march_before["forced_escorted"] == 1

    # The same figures as CSV, for reports.
    browser = Browser(live.base)
    browser.login("dtenv")
    status, text = browser.open(f"/terugkeer/cijfers.csv?{SPAN}")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(int(r["departures"]) for r in rows) == after["total"]
    assert {"month": "2015-04", "kind": "dublin_transfer", "nationality": "DZA"}.items() <= next(
        r for r in rows if r["kind"] == "dublin_transfer" and r["month"] == "2015-04"
    ).items()


def test_statistics_are_for_dtenv_iom_and_the_ministry_only(live: Server) -> None:
    for user in ("dtenv", "iom", "jenv"):
        assert live.get(f"/api/v1/return/statistics?{SPAN}", user).status == 200, user
    for user in ("coa", "ind", "gemeente-utrecht", "privacy"):
        refused = live.get(f"/api/v1/return/statistics?{SPAN}", user)
        assert refused.status == 403 and refused.body["field"] == "return_statistics", user


def test_a_bad_period_is_refused_naming_the_field(live: Server) -> None:
    bad = live.get("/api/v1/return/statistics?from=2015-13-01", "dtenv")
    assert bad.status == 400 and bad.body["field"] == "from"
    reversed_ = live.get("/api/v1/return/statistics?from=2015-05-01&to=2015-04-01", "dtenv")
    assert reversed_.status == 400 and reversed_.body["field"] == "to"
    assert "mag niet vóór" in reversed_.body["rule_nl"]
    too_long = live.get("/api/v1/return/statistics?from=2001-01-01&to=2015-01-01", "dtenv")
    assert too_long.status == 400 and too_long.body["field"] == "from"
