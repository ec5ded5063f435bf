"""Bounded input, through real HTTP: every defect the fuzzing of the API found answers 4xx
naming the field (in English and Dutch), and nothing it refuses is stored.

Each test names the defect as it was found (issue 13): before, these answered 500, or were
stored and broke the dossier for every later reader.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Reply, Server
from tests.server.world import World, lodge, register, version

TODAY = date.today()


def _problem(reply: Reply, status: int, field: str) -> dict[str, Any]:
    """A problem+json answer with ``status`` naming ``field``, in English and Dutch."""
    assert reply.status == status, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json"), reply.headers
    body: dict[str, Any] = reply.body
    assert body["field"] == field, body
    assert body["rule"] and body["rule_nl"] and body["title_nl"], body
    return body


def _raw(live: Server, method: str, path: str, data: bytes, user: str = "ind") -> Reply:
    """A request whose body is sent as given (the test client's JSON encoder would refuse
    what a careless or hostile client sends)."""
    import json
    import urllib.error
    import urllib.request

    from tests.server.live import Headers

    req = urllib.request.Request(live.base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Token {live.tokens[user]}")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw, status, headers = resp.read().decode(), resp.status, resp.headers
    except urllib.error.HTTPError as exc:
        raw, status, headers = exc.read().decode(), exc.code, exc.headers
    try:
        parsed = json.loads(raw) if raw else None
    except json.JSONDecodeError:
        parsed = None
    return Reply(status, Headers(headers.items()), parsed, raw)


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value}
    return value


def _events(live: Server, procedure: int) -> list[dict[str, Any]]:
    reply = live.get(f"/api/v1/procedures/{procedure}", "ind")
    assert reply.status == 200, reply.text
    events: list[dict[str, Any]] = reply.body["events"]
    return events


@pytest.mark.parametrize("depth, field", [(300, "body"), (20, "data")])
def test_an_event_nested_deep_is_refused_and_the_dossier_still_reads(
    live: Server, depth: int, field: str
) -> None:
    """Before: stored (201) at 300 levels, and from then on the procedure and the dossier
    answered 500 for every role, with no way to remove the record. The body as a whole may
    nest 32 levels, an event's values 8."""
    person = register(live)["id"]
    proc = lodge(live, person)
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {"kind": "hearing_held", "day": TODAY.isoformat(), "data": _nested(depth), "reason": "x"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    body = _problem(reply, 400, field)
    if field == "data":
        assert "nested more than 8 levels" in body["rule"]
        assert "dieper dan 8 niveaus" in body["rule_nl"]
    assert len(_events(live, proc["id"])) == 1  # only the lodging
    assert live.get(f"/api/v1/persons/{person}/dossier", "ind").status == 200


def test_a_rule_trail_nested_deep_is_refused_and_not_stored(live: Server) -> None:
    """Before: 500 at 300 levels, but stored anyway. A trail may nest 16 levels."""
    person = register(live)["id"]
    proc = lodge(live, person)
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/decisions",
        "ind",
        {
            "outcome": "refused",
            "day": TODAY.isoformat(),
            "grounds": "Vw 2000 art. 31",
            "rule_trail": [_nested(25)],
            "reason": "x",
        },
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    _problem(reply, 400, "rule_trail")
    assert live.get(f"/api/v1/procedures/{proc['id']}/decisions", "ind").body["results"] == []
    assert live.get(f"/api/v1/procedures/{proc['id']}", "ind").status == 200


def test_a_body_nested_thousands_deep_is_refused_as_json(live: Server) -> None:
    reply = _raw(live, "POST", "/api/v1/persons", b"[" * 5000 + b"]" * 5000)
    body = _problem(reply, 400, "body")
    assert body["type"] == "urn:keten:problem:invalid-json"


def test_a_body_within_the_parser_but_deeper_than_the_api_allows(live: Server) -> None:
    reply = _raw(live, "POST", "/api/v1/persons", b"[" * 100 + b"]" * 100)
    body = _problem(reply, 400, "body")
    assert "nested more than 32 levels" in body["rule"]


def test_a_large_body_is_refused_with_problem_json(live: Server) -> None:
    """Before: Django's HTML page."""
    reply = _raw(live, "POST", "/api/v1/persons", b'{"a": "' + b"x" * 2_000_000 + b'"}')
    body = _problem(reply, 413, "body")
    assert body["type"] == "urn:keten:problem:payload-too-large"


def test_an_unknown_path_answers_problem_json(live: Server) -> None:
    """Before: Django's HTML 404, which a generated client cannot read."""
    reply = live.get("/api/v1/no-such-thing", "ind")
    assert reply.status == 404
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.body["title_nl"] == "Niet gevonden"
    assert reply.headers["API-Version"]


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/persons?q=Ab%00c", "q"),
        ("/api/v1/persons?v_number=1%002", "v_number"),
        ("/api/v1/queue?procedure_type=asylum%00first", "procedure_type"),
        ("/api/v1/audit?actor_user=ind%00", "actor_user"),
        ("/api/v1/taakstelling?municipality=utr%00echt", "municipality"),
    ],
)
def test_a_nul_byte_in_a_filter_is_refused(live: Server, path: str, field: str) -> None:
    """Before: 500 on PostgreSQL, which cannot hold NUL in a text."""
    user = {"audit": "privacy", "taakstelling": "jenv"}.get(path.split("?")[0].split("/")[3], "ind")
    body = _problem(live.get(path, user), 400, field)
    assert "U+0000" in body["rule"] and "stuurteken" in body["rule_nl"]


def test_a_nul_byte_or_a_lone_surrogate_in_a_name_is_refused(live: Server) -> None:
    person = {
        "v_number": "9999999901",
        "given_names": "A\u0000B",
        "surname": "Nul",
        "birth_date": "1990-01-01",
        "nationality": "SYR",
        "reason": "x",
    }
    _problem(live.request("POST", "/api/v1/persons", "ind", person), 400, "given_names")
    # A lone surrogate cannot be written as UTF-8: the test client would refuse to send it,
    # so it goes as JSON's escape.
    raw = (
        b'{"v_number": "9999999902", "given_names": "\\ud800", "surname": "X", '
        b'"birth_date": "1990-01-01", "nationality": "SYR", "reason": "x"}'
    )
    _problem(_raw(live, "POST", "/api/v1/persons", raw), 400, "body")
    assert live.get("/api/v1/persons?v_number=9999999901", "ind").body["results"] == []


def test_a_control_character_in_a_reason_is_refused_but_a_line_break_is_not(live: Server) -> None:
    person = register(live)["id"]
    correction = {"given_names": "Nieuw", "reason": "bel\u0007"}
    headers = {"If-Match": version(live, person)}
    _problem(
        live.request("PATCH", f"/api/v1/persons/{person}", "ind", correction, headers=headers),
        400,
        "reason",
    )
    correction["reason"] = "regel een\nregel twee"
    ok = live.request("PATCH", f"/api/v1/persons/{person}", "ind", correction, headers=headers)
    assert ok.status == 200, ok.text


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/persons?page=99999999999999999999", "page"),
        ("/api/v1/persons?page_size=100000", "page_size"),
        ("/api/v1/queue?page=10001", "page"),
        ("/api/v1/persons/99999999999999999999", "person_id"),
        ("/api/v1/procedures/99999999999999999999", "procedure_id"),
        ("/api/v1/decisions/99999999999999999999/trail", "decision_id"),
    ],
)
def test_huge_numbers_in_pages_and_ids_are_refused(live: Server, path: str, field: str) -> None:
    """Before: 500 (the database driver cannot bind a number past 2**63 - 1)."""
    _problem(live.get(path, "ind"), 400, field)


@pytest.mark.parametrize("on", ["9999-12-31", "1999-12-31", "2026-02-30"])
def test_a_reference_day_outside_the_calendar_is_refused(live: Server, on: str) -> None:
    """Before: 500 (no holiday calendar covers 9999)."""
    _problem(live.get(f"/api/v1/queue?on={on}", "ind"), 400, "on")


def test_an_event_on_day_9999_12_31_is_refused(live: Server) -> None:
    person = register(live)["id"]
    proc = lodge(live, person)
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {"kind": "hearing_held", "day": "9999-12-31", "reason": "x"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    _problem(reply, 400, "day")


@pytest.mark.parametrize("period", ["9999-II", "2010-I", "2013-II"])
def test_a_half_year_outside_the_taakstelling_is_refused(live: Server, period: str) -> None:
    """Before: 500 for 9999-II. The taakstelling exists since the Huisvestingswet 2014
    (in force 1 July 2014)."""
    body = _problem(live.get(f"/api/v1/taakstelling?period={period}", "jenv"), 400, "period")
    assert "2014-II" in body["rule"]


def test_a_quota_of_ten_to_the_thirtieth_is_refused_and_the_page_still_reads(
    live: Server,
) -> None:
    """Before: 500, but saved, and from then on GET /taakstelling answered 500 for every
    reader (the number does not fit any integer the database or orjson writes)."""
    period = "2031-I"
    current = live.get(f"/api/v1/taakstelling?period={period}", "jenv").body["versions"][period]
    reply = live.request(
        "POST",
        "/api/v1/taakstelling",
        "jenv",
        {
            "kind": "announced",
            "period": period,
            "day": "2030-10-01",
            "figures": [{"municipality": "utrecht", "value": 10**30}],
            "version": current,
            "reason": "x",
        },
    )
    _problem(reply, 400, "figures[0].value")
    after = live.get(f"/api/v1/taakstelling?period={period}", "jenv")
    assert after.status == 200 and after.body["versions"][period] == current


def test_an_event_five_months_ahead_is_refused_saying_what_a_plan_is(live: Server) -> None:
    person = register(live)["id"]
    proc = lodge(live, person)
    ahead = (TODAY + timedelta(days=150)).isoformat()
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {"kind": "hearing_held", "day": ahead, "reason": "x"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    body = _problem(reply, 400, "day")
    assert "after today" in body["rule"] and "planned" in body["rule"]
    assert "na vandaag" in body["rule_nl"] and "geplande" in body["rule_nl"]
    assert len(_events(live, proc["id"])) == 1


def test_a_decision_dated_before_the_application_is_a_contradiction(live: Server) -> None:
    person = register(live)["id"]
    lodged_on = TODAY - timedelta(days=30)
    proc = lodge(live, person, "regular_residence", lodged_on.isoformat())
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/decisions",
        "ind",
        {
            "outcome": "granted",
            "day": (lodged_on - timedelta(days=3 * 365)).isoformat(),
            "reason": "x",
        },
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    body = _problem(reply, 422, "day")
    assert body["type"] == "urn:keten:problem:contradicts-case"
    assert "vóór het begin van de procedure" in body["rule_nl"]
    assert live.get(f"/api/v1/procedures/{proc['id']}/decisions", "ind").body["results"] == []


@pytest.mark.parametrize("grounds", ["", "   "])
def test_a_refusal_without_legal_ground_is_refused(live: Server, grounds: str) -> None:
    """Awb art. 3:46: "Een besluit dient te berusten op een deugdelijke motivering."; only a
    decision that grants what was asked may do without (art. 3:48 lid 1)."""
    person = register(live)["id"]
    proc = lodge(live, person, "regular_residence")
    decision = {"outcome": "refused", "day": TODAY.isoformat(), "grounds": grounds, "reason": "x"}
    headers = {"If-Match": f'"{proc["version"]}"'}
    path = f"/api/v1/procedures/{proc['id']}/decisions"
    body = _problem(live.request("POST", path, "ind", decision, headers=headers), 400, "grounds")
    assert "Awb art. 3:46" in body["rule"]
    granted = {**decision, "outcome": "granted"}
    assert live.request("POST", path, "ind", granted, headers=headers).status == 201


def test_an_objection_is_always_reasoned(live: Server) -> None:
    """Awb art. 7:12 lid 1: "De beslissing op het bezwaar dient te berusten op een deugdelijke
    motivering, die bij de bekendmaking van de beslissing wordt vermeld." Even when it grants."""
    person = register(live)["id"]
    proc = lodge(live, person, "objection")
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/decisions",
        "ind",
        {"outcome": "granted", "day": TODAY.isoformat(), "reason": "x"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    _problem(reply, 400, "grounds")


def test_a_procedure_with_a_late_notice_of_default_reads_on_every_day(
    live: Server, world: World
) -> None:
    """Before: GET /procedures/{id}?on=... answered 500 when the day asked lay before the decision
    term's end while a notice of default was on file (4 of 595 sample procedures), and so did
    the dossier page."""
    person = register(live)["id"]
    lodged_on = TODAY - timedelta(days=200)
    proc = lodge(live, person, "regular_residence", lodged_on.isoformat())
    notice = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {
            "kind": "notice_of_default",
            "day": (TODAY - timedelta(days=5)).isoformat(),
            "reason": "x",
        },
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    assert notice.status == 201, notice.text
    for on in (lodged_on + timedelta(days=10), TODAY - timedelta(days=20), TODAY):
        reply = live.get(f"/api/v1/procedures/{proc['id']}?on={on.isoformat()}", "ind")
        assert reply.status == 200, (on, reply.text)
        page = live.get(f"/api/v1/persons/{person}/dossier?on={on.isoformat()}", "ind")
        assert page.status == 200, (on, page.text)
