"""The forecast over real HTTP: a run started (202 and its URL), worked by the queue, read back
with its bands; the start state counted from this database; two runs compared; a half-year
carried into the taakstelling split; and who may do which."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.chain.housing_quota import HalfYear
from tests.server.forecast_support import finished, policy_account, start
from tests.server.live import Server
from tests.server.world import lodge, register


def test_a_run_is_queued_then_worked_and_read_back(live: Server) -> None:
    reply = live.request(
        "POST",
        "/api/v1/forecast/runs",
        "coa",
        {"scenario": "baseline", "years": 2, "runs": 20, "reason": "planning"},
    )
    assert reply.status == 202, reply.text
    assert (
        reply.headers["Location"]
        == reply.body["url"]
        == f"/api/v1/forecast/runs/{reply.body['id']}"
    )
    assert reply.body["status"] == "queued" and reply.body["progress"] == 0
    assert reply.body["requested_by"] == "coa" and reply.body["reason"] == "planning"
    polled = live.get(reply.body["url"], "coa").body
    assert polled["status"] == "queued" and polled["result"] is None

    run = finished(live, "coa")
    result = run["result"]
    assert run["progress"] == 100 and run["finished_at"]
    assert len(result["months"]) == 24 and result["runs"] == 20
    assert result["start"] == date.today().isoformat()
    for stock in result["stocks"]:
        assert len(stock["p50"]) == 24
        assert all(
            lo <= mid <= hi
            for lo, mid, hi in zip(stock["p10"], stock["p50"], stock["p90"], strict=True)
        )
    # A two-year run from today holds the windows of two whole half-years (seed 001: three
    # months before to three months after each half-year's start).
    first = HalfYear.of(date.today()).next()
    assert [h["period"] for h in result["half_years"]][:1] in ([first.label], [first.next().label])
    assert result["conservation"]["replications_balanced"] == 20
    # Beside the occupancy: the reception places registered today, as the occupancy figures
    # count them per kind (detention centres, the GGV and the border location are no reception).
    kinds = live.get("/api/v1/occupancy?by=kind", "coa").body["results"]
    reception = [k for k in kinds if k["key"] not in ("detention_centre", "ggv", "border")]
    assert result["capacity"][0]["places"] == sum(k["places"] for k in reception)
    assert result["capacity"][0]["available"] == sum(k["places"] - k["reserve"] for k in reception)
    listed = live.get("/api/v1/forecast/runs", "coa").body["results"]
    assert any(r["id"] == run["id"] and "result" not in r for r in listed)


def test_a_run_starts_from_the_open_procedures_of_the_day(live: Server) -> None:
    before = finished(live, "coa", years=1, runs=2)["result"]["start_state"]
    person = register(live, surname="Prognose")
    lodge(live, int(person["id"]), "asylum_first")
    after = finished(live, "coa", years=1, runs=2)["result"]["start_state"]
    assert after["ind_waiting"] == before["ind_waiting"] + 1  # the one lodged in between
    assert after["court_waiting"] == before["court_waiting"]


def test_bad_input_is_refused_naming_the_field(live: Server) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"scenario": "baseline", "years": 11, "runs": 5}, "years", "tussen 1 en 10"),
        ({"scenario": "baseline", "years": 1, "runs": 2001}, "runs", "tussen 1 en 2000"),
        ({"scenario": "baseline", "years": 1, "runs": True}, "runs", "geheel getal"),
        ({"scenario": "onbekend", "years": 1, "runs": 5}, "scenario", "hoge_instroom"),
        ({"scenario": "baseline", "years": 1, "runs": 5, "reason": ""}, "reason", "verplicht"),
    ]
    for body, field, dutch in cases:
        reply = live.request("POST", "/api/v1/forecast/runs", "coa", {"reason": "x", **body})
        assert reply.status == 400, (body, reply.text)
        assert reply.body["field"] == field
        assert dutch in reply.body["detail_nl"], reply.body
    ahead = live.request("POST", "/api/v1/forecast/runs?on=2030-01-01", "coa", {"reason": "x"})
    assert "na vandaag" in ahead.body["detail_nl"]
    assert ahead.status == 400 and ahead.body["field"] == "on"
    missing = live.get("/api/v1/forecast/runs/987654", "coa")
    assert missing.status == 404
    assert live.get("/api/v1/forecast/compare?a=1", "coa").body["field"] == "b"


def test_who_may_read_and_start(live: Server) -> None:
    policy_account(live)
    for user in ("coa", "jenv", "jenv-beleid"):
        assert live.get("/api/v1/forecast/runs", user).status == 200
        assert live.get("/api/v1/forecast/scenarios", user).status == 200
    for user in ("ind", "gemeente-utrecht", "dtenv", "privacy"):
        reply = live.get("/api/v1/forecast/runs", user)
        assert reply.status == 403 and reply.body["field"] == "forecast", user
    body = {"scenario": "baseline", "years": 1, "runs": 1, "reason": "x"}
    assert live.request("POST", "/api/v1/forecast/runs", "jenv-beleid", body).status == 202
    refused = live.request("POST", "/api/v1/forecast/runs", "jenv", body)
    assert refused.status == 403 and refused.body["field"] == "forecast"


def test_scenarios_carry_their_assumptions_and_sources(live: Server) -> None:
    found = {s["name"]: s for s in live.get("/api/v1/forecast/scenarios", "coa").body["results"]}
    assert {"baseline", "hoge_instroom", "asielnoodmaatregelenwet"} <= set(found)
    high = found["hoge_instroom"]
    assert high["extends"] == "baseline.yaml"
    assert {"path": "inflow.first_applications.0.mid", "value": "34000"} in high["assumptions"]
    productivity = next(
        s for s in found["baseline"]["sources"] if s["id"] == "seed002-productivity"
    )
    assert "productieverhoging op van 25%" in productivity["figure"]


def test_two_runs_compared(live: Server) -> None:
    a = finished(live, "coa", "baseline")
    b = finished(live, "coa", "hoge_instroom")
    reply = live.get(f"/api/v1/forecast/compare?a={a['id']}&b={b['id']}", "jenv")
    assert reply.status == 200, reply.text
    rows = reply.body["results"]
    backlog_a = a["result"]["stocks"][0]
    assert backlog_a["metric"] == "ind_backlog"
    end = a["result"]["months"][11]
    row = next(r for r in rows if r["metric"] == "ind_backlog" and r["period"] == end)
    assert row["a"] == backlog_a["p50"][11]
    assert row["difference"] == round(row["b"] - row["a"], 2)
    # 34,000 first applications a year instead of 24,000: a larger IND backlog a year on.
    assert row["b"] > row["a"]
    halves = [r for r in rows if r["metric"] == "taakstelling"]
    assert [r["period"] for r in halves] == [h["period"] for h in a["result"]["half_years"]]
    unfinished = start(live, "coa")
    waiting = live.get(f"/api/v1/forecast/compare?a={a['id']}&b={unfinished['id']}", "coa")
    assert waiting.status == 422 and waiting.body["field"] == "b"
    assert "nog niet klaar" in waiting.body["detail_nl"]


POPULATIONS = {"utrecht": 300_000, "groningen": 200_000, "tilburg": 100_000}


def test_a_half_year_is_carried_into_the_split(live: Server) -> None:
    from keten.server.dossiers.models import ProcedureEvent

    run = finished(live, "coa")
    half = run["result"]["half_years"][-1]
    period = half["period"]
    body = {"period": period, "populations": POPULATIONS, "version": 0, "reason": "prognose"}
    reply = live.request("POST", f"/api/v1/forecast/runs/{run['id']}/taakstelling", "jenv", body)
    assert reply.status == 201, reply.text
    assert reply.body["origin"] == {
        "run": run["id"],
        "scenario": run["result"]["scenario"],
        "band": "p50",
        "national": half["p50"],
    }
    quotas = live.get(f"/api/v1/taakstelling?period={period}", "jenv").body["results"]
    got = {r["municipality"]: r["quota"] for r in quotas if r["quota"] is not None}
    assert set(got) == set(POPULATIONS)
    # Seed 001, 4.5: "evenredig wordt verdeeld naar het inwoneraantal per gemeente": 3:2:1 of
    # the median, whole persons, adding up to it exactly.
    assert sum(got.values()) == half["p50"]
    for m, n in POPULATIONS.items():
        assert abs(got[m] - half["p50"] * n / 600_000) < 1
    reasons = set(
        ProcedureEvent.objects.filter(
            kind="announced", procedure__municipality__in=list(POPULATIONS)
        ).values_list("reason", flat=True)
    )
    assert any(f"prognoserun {run['id']}" in r and "p50" in r for r in reasons)


def test_carrying_is_refused_where_it_must_be(live: Server) -> None:
    policy_account(live)
    run = finished(live, "coa")
    period = run["result"]["half_years"][0]["period"]
    path = f"/api/v1/forecast/runs/{run['id']}/taakstelling"
    body = {"period": period, "populations": POPULATIONS, "version": 0, "reason": "x"}
    for user, field in (
        ("coa", "taakstelling"),
        ("jenv-beleid", "taakstelling"),
        ("ind", "forecast"),
    ):
        reply = live.request("POST", path, user, body)
        assert reply.status == 403 and reply.body["field"] == field, (user, reply.text)
    later = HalfYear.parse(period).next().start
    past = live.request("POST", f"{path}?on={later.isoformat()}", "jenv", body)
    assert past.status == 400 and past.body["field"] == "period"
    assert "voorbij halfjaar" in past.body["detail_nl"]
    other = live.request("POST", path, "jenv", {**body, "period": "2014-II"})
    assert other.status == 400 and "halfjaar uit deze prognose" in other.body["detail_nl"]
    queued = start(live, "coa")
    waiting = live.request(
        "POST", f"/api/v1/forecast/runs/{queued['id']}/taakstelling", "jenv", body
    )
    assert waiting.status == 422 and "nog niet klaar" in waiting.body["detail_nl"]
