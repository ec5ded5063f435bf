"""Occupancy, live, over real HTTP: the day's figures per location, province and kind on a
hand-built province (``occupancy_fixture``), their time series, where the next arrivals go,
and who may read which locations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.occupancy_fixture import DAY, Province, build

PATH = "/api/v1/occupancy"


@pytest.fixture(scope="module")
def province(live: Server) -> Province:
    return build()


def _rows(live: Server, user: str, **params: str) -> dict[str, dict[str, Any]]:
    query = "&".join(f"{k}={v}" for k, v in {"on": DAY.isoformat(), **params}.items())
    reply = live.get(f"{PATH}?{query}", user)
    assert reply.status == 200, reply.text
    return {r["key"]: r for r in reply.body["results"]}


def test_every_figure_of_every_location_on_the_day(live: Server, province: Province) -> None:
    rows = _rows(live, "coa")
    for letter, code in province.codes.items():
        row = rows[code]
        shown = {name: row[name] for name in province.expected[letter]}
        assert shown == province.expected[letter], letter
        assert row["province"] == province.name


def test_the_fourteen_week_norm_splits_the_waiting_permit_holders(
    live: Server, province: Province
) -> None:
    """Seed 001, 4.1: "Tegelijkertijd verblijven 12.000 vergunninghouders in de opvang waarvan
    7.000 vergunninghouders langer dan de afgesproken 14 weken na vergunningverlening": of the
    two permit holders waiting at A, the one whose permit is 120 days old (more than 14 weeks)
    is over the norm, the one of 20 days is not; one whose outflow closed is no longer
    waiting."""
    row = _rows(live, "coa")[province.codes["A"]]
    assert (row["permit_holders"], row["permit_holders_over_norm"]) == (2, 1)


def test_a_crisis_stay_past_seven_days_is_counted(live: Server, province: Province) -> None:
    """Seed 001, 4.1: "als uiterste redmiddel crisisnoodopvang ... (max. 7 dagen opvang in
    bijv. lokale sporthallen)": of stays of 10, 7 and 2 days, only the one of 10 is past the
    seven days."""
    assert _rows(live, "coa")[province.codes["C"]]["crisis_over_7"] == 1


def test_province_and_kind_are_the_sums_of_their_locations(
    live: Server, province: Province
) -> None:
    expected = province.expected
    summed = {name: sum(e[name] for e in expected.values()) for name in expected["A"]}
    by_province = _rows(live, "coa", by="province")[province.name]
    assert {name: by_province[name] for name in summed} == summed
    assert by_province["locations"] == 5
    kinds = _rows(live, "coa", by="kind")
    # Other tests' locations share the kinds: the kind rows hold at least this province's.
    assert kinds["crisis"]["crisis_over_7"] >= 1
    assert kinds["emergency"]["name"] == "Noodopvanglocatie"
    reply = live.get(f"{PATH}?on={DAY.isoformat()}&by=province", "coa")
    national = reply.body["national"]
    assert national["occupancy"] == sum(r["occupancy"] for r in reply.body["results"])
    assert national["free"] == national["places"] - national["reserve"] - national["occupancy"]


def test_the_aggregate_counts_exactly_what_the_counting_rule_counts(
    live: Server, province: Province
) -> None:
    """The one GROUP BY equals ``occupancy_count.occupied`` on every location and on days
    before, on and after the day (placements starting, ending, withdrawn)."""
    from keten.server.services.occupancy_count import occupied
    from keten.server.services.occupancy_sql import counted

    ids = list(province.ids.values())
    for offset in (-40, -30, -11, -7, -3, 0, 1, 5):
        day = DAY + timedelta(days=offset)
        figures = counted(day, ids)
        assert {site: row["occupancy"] for site, row in figures.items()} == occupied(day, ids)


def test_the_figures_take_the_same_few_queries_however_many_locations(live: Server) -> None:
    """Never a query per location: the day's figures of every location the COA sees are read
    in as many statements with one province as with three more."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keten.server.services.actor import actor_for
    from keten.server.services.occupancy import per_location

    coa = actor_for(get_user_model().objects.get(username="coa"))
    build()
    with CaptureQueriesContext(connection) as before:
        per_location(coa, DAY)
    for _ in range(3):
        build()
    with CaptureQueriesContext(connection) as after:
        rows = per_location(coa, DAY)
    assert len(rows) >= 20
    # Locations, the figures' GROUP BY, the capacity rows (and on PostgreSQL the statement's
    # transaction and setting).
    # At most 7: on PostgreSQL one of them reads the chain's marks (occupancy_sql.counted_cached).
    assert len(after.captured_queries) == len(before.captured_queries) <= 7


def test_the_series_follows_the_counting_rule_day_by_day(live: Server, province: Province) -> None:
    from keten.server.services.occupancy_count import occupied

    first, last = DAY - timedelta(days=40), DAY + timedelta(days=10)
    reply = live.get(f"{PATH}/series?from={first}&to={last}&by=location", "coa")
    assert reply.status == 200, reply.text
    assert reply.body["step"] == "day"
    lines = {line["key"]: line["points"] for line in reply.body["results"]}
    for letter, code in province.codes.items():
        points = lines[code]
        assert len(points) == 51
        for point in points:
            day = DAY.fromisoformat(point["day"])
            site = province.ids[letter]
            assert point["occupancy"] == occupied(day, [site]).get(site, 0), (letter, day)
    # A's capacity steps: 10 from DAY-100, 12 from DAY-10, 8 from DAY+5.
    a = {p["day"]: p["places"] for p in lines[province.codes["A"]]}
    assert a[str(DAY - timedelta(days=11))] == 10
    assert a[str(DAY)] == 12
    assert a[str(DAY + timedelta(days=5))] == 8


def test_a_long_series_is_weekly_and_a_too_long_one_refused(
    live: Server, province: Province
) -> None:
    first = DAY - timedelta(days=300)
    reply = live.get(f"{PATH}/series?from={first}&to={DAY}&by=province&key={province.name}", "coa")
    assert reply.status == 200, reply.text
    assert reply.body["step"] == "week"
    (line,) = reply.body["results"]
    assert line["points"][-1] == {"day": str(DAY), "occupancy": 17, "places": 30, "reserve": 3}
    too_long = live.get(f"{PATH}/series?from={DAY - timedelta(days=400)}&to={DAY}", "coa")
    assert too_long.status == 400
    assert too_long.body["field"] == "to"
    assert "400" in too_long.body["rule"]


def test_where_the_next_arrivals_go(live: Server, province: Province) -> None:
    """Seed 001, 4.1: "Wanneer de bezetting toeneemt beziet het COA eerst welke interne ruimte
    zij extra kan benutten, daarnaast wordt eventuele reservecapaciteit ingezet. Wanneer de
    opvang vol zit ... noodopvanglocaties ... als uiterste redmiddel crisisnoodopvang": the
    answer lists the steps in that order, and amv go only to places for amv."""
    reply = live.get(f"{PATH}/allocation?on={DAY}&arrivals=40&amv=3", "coa")
    assert reply.status == 200, reply.text
    body = reply.body
    assert [s["step"] for s in body["steps"]][:5] == [
        "regular",
        "reserve",
        "emergency",
        "emergency_reserve",
        "crisis",
    ]
    assert body["placed"] + body["unplaced"] + body["unplaced_amv"] == 40
    amv_places = {r["location"] for r in body["results"] if r["step"].startswith("amv")}
    assert province.codes["A"] not in amv_places
    assert (
        sum(r["placed"] for r in body["results"] if r["step"].startswith("amv"))
        == 3 - body["unplaced_amv"]
    )
    # The crisis step is used only once nothing is left before it.
    order = [r["step"] for r in body["results"] if not r["step"].startswith("amv")]
    assert order == sorted(
        order,
        key=[
            "regular",
            "reserve",
            "emergency",
            "emergency_reserve",
            "crisis",
            "crisis_reserve",
        ].index,
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?arrivals=0", "arrivals"),
        ("?arrivals=100001", "arrivals"),
        ("?arrivals=ten", "arrivals"),
        ("?arrivals=10&amv=11", "amv"),
    ],
)
def test_bounded_arrivals(live: Server, query: str, field: str) -> None:
    reply = live.get(f"{PATH}/allocation{query}", "coa")
    assert reply.status == 400, reply.text
    assert reply.body["field"] == field


def test_an_unknown_grouping_is_refused_in_dutch_too(live: Server) -> None:
    reply = live.get(f"{PATH}?by=gemeente", "coa", headers={"Accept-Language": "nl"})
    assert reply.status == 400
    assert reply.body["field"] == "by"
    assert "geen van" in reply.text


def test_each_organisation_sees_the_locations_it_may(live: Server, province: Province) -> None:
    """COA and the ministry see every location; DJI its detention centre, Nidos its
    small-scale unit; a municipality no figures at all (403, naming the resource)."""
    mine = set(province.codes.values())
    assert set(_rows(live, "coa")) >= mine
    assert set(_rows(live, "jenv")) >= mine
    assert set(_rows(live, "dji")) & mine == {province.codes["J"]}
    assert set(_rows(live, "nidos")) & mine == {province.codes["M"]}
    for user in ("gemeente-utrecht", "ind", "privacy"):
        reply = live.get(PATH, user)
        assert reply.status == 403, (user, reply.text)
        assert reply.body["field"] == "occupancy"
