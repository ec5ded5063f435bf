"""The taakstelling over real HTTP: the ministry announces each municipality's quota for a
half-year, the dossiers say who was housed, and the ladder follows (seed 001, 4.5).

Each test works in half-years of its own (2019, 2020, 2021), far from the sample's and from
the other tests' records on the shared server, so what it counts is what it wrote.
"""

from __future__ import annotations

from typing import Any

from tests.server.live import Reply, Server
from tests.server.world import grant_asylum, register, version

PATH = "/api/v1/taakstelling"


def _version(live: Server, period: str) -> int:
    """The half-year's version, as the ministry reads it before recording on it."""
    reply = live.get(f"{PATH}?period={period}", "jenv")
    assert reply.status == 200, reply.text
    return int(reply.body["versions"][period])


def _send(live: Server, body: dict[str, Any], user: str = "jenv") -> Reply:
    """Record on the half-year as last read, unless the body names a version itself."""
    if "version" not in body and isinstance(body.get("period"), str):
        readable = live.get(f"{PATH}?period={body['period']}", "jenv")
        if readable.status == 200:
            body = {**body, "version": readable.body["versions"][body["period"]]}
    return live.request("POST", PATH, user, {"reason": "taakstelling test", **body})


def _announce(
    live: Server,
    period: str,
    day: str,
    figures: list[dict[str, Any]],
    user: str = "jenv",
    **extra: Any,
) -> Reply:
    body = {"kind": "announced", "period": period, "day": day, "figures": figures, **extra}
    return _send(live, body, user)


def _rows(live: Server, period: str, user: str = "jenv", **params: str) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in {"period": period, **params}.items())
    reply = live.get(f"{PATH}?{query}", user)
    assert reply.status == 200, reply.text
    return {r["municipality"]: r for r in reply.body["results"]}


def _permit_holder(live: Server, records: str, record: dict[str, str]) -> int:
    """A newly registered permit holder (an asylum permit granted) with one record added by
    COA (a placement, a hand-over)."""
    p = register(live)["id"]
    grant_asylum(live, p)
    reply = live.request(
        "POST",
        f"/api/v1/persons/{p}/{records}",
        "coa",
        {**record, "reason": "taakstelling test"},
        headers={"If-Match": version(live, p)},
    )
    assert reply.status == 201, reply.text
    return int(p)


def _house(live: Server, municipality: str, start: str) -> int:
    """A permit holder housed by the municipality from ``start``."""
    housing = {"kind": "municipal_housing", "location": f"woning {municipality}"}
    return _permit_holder(
        live, "placements", {**housing, "municipality": municipality, "start": start}
    )


def test_a_half_year_is_met_when_as_many_were_housed_as_announced(live: Server) -> None:
    """ "Het aantal vergunninghouders dat moet worden gehuisvest" per gemeente per halfjaar:
    Amsterdam houses two of two, Rotterdam none of one (its established figure says one)."""
    reply = _announce(
        live,
        "2019-I",
        "2018-09-28",
        [{"municipality": "amsterdam", "value": 2}, {"municipality": "rotterdam", "value": 1}],
    )
    assert reply.status == 201, reply.text
    _house(live, "amsterdam", "2019-02-01")
    _house(live, "amsterdam", "2019-06-30")  # the half-year's last day counts
    _house(live, "amsterdam", "2019-07-01")  # the next half-year's first day does not
    running = _rows(live, "2019-I", on="2019-05-01")
    assert running["amsterdam"]["status"] == "running"
    assert running["amsterdam"]["days_left"] == 60  # 1 May .. 30 June
    after = _rows(live, "2019-I")
    ams, rdam = after["amsterdam"], after["rotterdam"]
    assert (ams["quota"], ams["housed"], ams["remaining"], ams["status"]) == (2, 2, 0, "met")
    assert (ams["start"], ams["end"]) == ("2019-01-01", "2019-06-30")
    assert (rdam["quota"], rdam["housed"], rdam["status"]) == (1, 0, "not_met")
    assert rdam["rung"] == 1 and ams["rung"] == 0
    # The announcement was due three months before the half-year: 1 October 2018.
    assert ams["announcement"] == {"due": "2018-10-01", "status": "met"}

    closed = _send(
        live,
        {
            "kind": "period_closed",
            "period": "2019-I",
            "day": "2019-08-15",
            "figures": [
                {"municipality": "amsterdam", "value": None},
                {"municipality": "rotterdam", "value": 1},
            ],
        },
    )
    assert closed.status == 201, closed.text
    established = _rows(live, "2019-I")
    rdam = established["rotterdam"]
    assert (rdam["established"], rdam["realised"], rdam["status"], rdam["rung"]) == (
        1,
        1,
        "met",
        0,
    )
    assert established["amsterdam"]["closed_on"] == "2019-08-15"
    assert established["amsterdam"]["established"] is None  # Keten's count stands


def test_missing_half_years_in_a_row_climb_the_ladder(live: Server) -> None:
    """ "Indien een gemeente de taakstelling niet behaalt stijgt deze een plek op de ladder.
    Wanneer een gemeente wel de taakstelling behaalt staat men weer op trede 0.\""""
    for period, day in (("2020-I", "2019-09-30"), ("2020-II", "2020-03-31")):
        reply = _announce(live, period, day, [{"municipality": "eindhoven", "value": 1}])
        assert reply.status == 201, reply.text
    assert _rows(live, "2020-I")["eindhoven"]["rung"] == 1
    assert _rows(live, "2020-II")["eindhoven"]["rung"] == 2
    reply = _announce(live, "2021-I", "2020-09-30", [{"municipality": "eindhoven", "value": 1}])
    assert reply.status == 201, reply.text
    _house(live, "eindhoven", "2021-03-01")
    assert _rows(live, "2021-I")["eindhoven"]["rung"] == 0


def test_a_revised_quota_needs_the_half_year_s_version_and_the_latest_applies(
    live: Server,
) -> None:
    assert _version(live, "2021-II") == 0  # nothing announced for it yet
    first = _announce(live, "2021-II", "2021-03-30", [{"municipality": "tilburg", "value": 5}])
    assert first.status == 201, first.text
    assert first.body["version"] == 1 and first.headers["ETag"] == '"1"'
    body = {
        "kind": "announced",
        "period": "2021-II",
        "day": "2021-04-15",
        "figures": [{"municipality": "tilburg", "value": 6}],
        "reason": "bijstelling",
    }
    unversioned = live.request("POST", PATH, "jenv", body)
    assert unversioned.status == 428 and unversioned.body["field"] == "If-Match"
    stale = live.request("POST", PATH, "jenv", body, headers={"If-Match": '"0"'})
    assert stale.status == 409 and stale.headers["ETag"] == '"1"', stale.text
    revised = _announce(
        live,
        "2021-II",
        "2021-04-15",
        [{"municipality": "tilburg", "value": 7}, {"municipality": "rotterdam", "value": 3}],
        version=1,
    )
    assert revised.status == 201, revised.text
    assert revised.body["version"] == 3  # tilburg's file revised, rotterdam's opened
    row = _rows(live, "2021-II")["tilburg"]
    assert (row["quota"], row["announced_on"]) == (7, "2021-04-15")
    # Who, when and why, on each event of the file.
    from keten.server.dossiers.models import ProcedureEvent  # Django is set up by ``live``

    events = ProcedureEvent.objects.filter(procedure_id=row["procedure"], kind="announced")
    assert [(e.data["quota"], e.recorded_by, e.reason) for e in events.order_by("id")] == [
        (5, "jenv", "taakstelling test"),
        (7, "jenv", "taakstelling test"),
    ]


def test_bad_figures_are_refused_naming_the_field_and_nothing_is_written(live: Server) -> None:
    good = {"municipality": "groningen", "value": 3}
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"kind": "announced", "period": "2022-3", "day": "2022-01-01", "figures": [good]},
            "period",
        ),
        ({"kind": "decided", "period": "2022-I", "day": "2021-09-01", "figures": [good]}, "kind"),
        ({"kind": "announced", "period": "2022-I", "day": "2021-09-01", "figures": []}, "figures"),
        (
            {
                "kind": "announced",
                "period": "2022-I",
                "day": "2021-09-01",
                "figures": [good, {"municipality": "atlantis", "value": 3}],
            },
            "figures[1].municipality",
        ),
        (
            {
                "kind": "announced",
                "period": "2022-I",
                "day": "2021-09-01",
                "figures": [good, {"municipality": "utrecht", "value": -1}],
            },
            "figures[1].value",
        ),
        (
            {
                "kind": "announced",
                "period": "2022-I",
                "day": "2021-09-01",
                "figures": [good, {"municipality": "groningen", "value": 4}],
            },
            "figures[1].municipality",
        ),
        ({"kind": "announced", "period": "2022-I", "day": "2022-07-01", "figures": [good]}, "day"),
        (
            {"kind": "period_closed", "period": "2022-I", "day": "2022-06-30", "figures": [good]},
            "day",
        ),
        (
            {"kind": "period_closed", "period": "2022-I", "day": "2022-07-30", "figures": [good]},
            "figures[0].municipality",
        ),
    ]
    for body, field in cases:
        reply = _send(live, body)
        assert reply.status == 400, (body, reply.text)
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.body["field"] == field, (body, reply.body)
    # The good figure sent along with a bad one was not written either.
    assert _rows(live, "2022-I")["groningen"]["status"] == "not_announced"


def test_a_municipality_sees_its_own_half_years_and_coa_all(live: Server) -> None:
    own = live.get(f"{PATH}", "gemeente-utrecht")
    assert own.status == 200, own.text
    assert {r["municipality"] for r in own.body["results"]} == {"utrecht"}
    assert own.body["next"]["municipalities"] == 1
    other = live.get(f"{PATH}?municipality=amsterdam", "gemeente-utrecht")
    assert other.status == 400 and other.body["field"] == "municipality"
    coa = live.get(PATH, "coa")
    assert coa.status == 200
    assert {r["municipality"] for r in coa.body["results"]} >= {"amsterdam", "utrecht"}
    ind = live.get(PATH, "ind")
    assert ind.status == 403 and ind.body["field"] == "taakstelling"
    # Reading the figures is the ministry's task; dossiers are not.
    assert live.get(f"/api/v1/persons/{register(live)['id']}", "jenv").status in (403, 404)
    refused = _announce(
        live, "2022-II", "2022-03-30", [{"municipality": "utrecht", "value": 1}], user="coa"
    )
    assert refused.status == 403 and refused.body["field"] == "taakstelling"


def test_the_current_half_year_counts_who_is_matched_but_not_yet_housed(live: Server) -> None:
    """Phase 2 of the outflow, "huisvesting regelen door gemeente: loopt van het moment van
    koppelen tot de ingangsdatum van het huurcontract": matched, not yet housed."""
    before = live.get(f"{PATH}?municipality=groningen", "jenv").body
    current = next(r for r in before["results"] if r["period"] == before["current"])
    match = {"kind": "housing_match", "to_org": "gemeente-groningen", "day": current["start"]}
    _permit_holder(live, "handovers", match)
    after = live.get(f"{PATH}?municipality=groningen", "jenv").body["results"]
    now = next(r for r in after if r["period"] == current["period"])
    assert now["waiting"] == current["waiting"] + 1


def test_a_national_quota_is_announced_split_by_population(live: Server) -> None:
    """ "De taakstelling per gemeente wordt berekend op basis van de totale taakstelling welke
    evenredig wordt verdeeld naar het inwoneraantal per gemeente." 90 over Groningen (240,000
    inhabitants) and Tilburg (230,000) and Eindhoven (245,000): 30.21, 28.95 and 30.84, so 30,
    29 and 31."""
    populations = {"groningen": 240_000, "tilburg": 230_000, "eindhoven": 245_000}
    body = {"kind": "announced", "period": "2024-II", "day": "2024-03-28"}
    reply = _send(live, {**body, "national": 90, "populations": populations})
    assert reply.status == 201, reply.text
    rows = _rows(live, "2024-II")
    assert {m: rows[m]["quota"] for m in populations} == {
        "groningen": 30,
        "tilburg": 29,
        "eindhoven": 31,
    }
    for bad, field in (
        ({"national": -5, "populations": populations}, "national"),
        ({"national": 90, "populations": {"groningen": 0}}, "populations.groningen"),
        ({"national": 90, "populations": {"atlantis": 5}}, "populations.atlantis"),
        ({"national": 90, "populations": populations, "figures": []}, "national"),
    ):
        refused = _send(live, {**body, "period": "2024-I", "day": "2023-09-28", **bad})
        assert refused.status == 400 and refused.body["field"] == field, refused.text


def test_a_province_sees_the_municipalities_it_supervises(live: Server) -> None:
    """ "De provincie fungeert als toezichthouder" (seed 001, 4.5): Noord-Brabant reads the
    half-years and rungs of Eindhoven and Tilburg, not of the others, and records nothing."""
    reply = live.get(PATH, "provincie-noord-brabant")
    assert reply.status == 200, reply.text
    assert {r["municipality"] for r in reply.body["results"]} == {"eindhoven", "tilburg"}
    other = live.get(f"{PATH}?municipality=utrecht", "provincie-noord-brabant")
    assert other.status == 400 and other.body["field"] == "municipality"
    refused = _announce(
        live,
        "2024-I",
        "2023-09-28",
        [{"municipality": "tilburg", "value": 1}],
        user="provincie-noord-brabant",
    )
    assert refused.status == 403 and refused.body["field"] == "taakstelling"
    assert live.get(
        f"/api/v1/persons/{register(live)['id']}", "provincie-noord-brabant"
    ).status in (
        403,
        404,
    )
