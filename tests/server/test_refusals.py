"""Every refused read or write of personal data leaves an audit record, through real HTTP: a
role the policy refuses (403), a person or procedure outside the role's scope (404), on the API
and on the pages. Every taakstelling write is recorded too. The privacy officer's page finds
them by V-number, newest first, refusals apart, and exports them as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from tests.server.live import Browser, Server
from tests.server.world import World, version

if TYPE_CHECKING:
    from keten.server.audit.models import AuditRecord

TODAY = date.today().isoformat()


def _last_seq() -> int:
    from keten.server.audit.models import AuditRecord

    last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def _refusals_since(seq: int, user: str) -> list[AuditRecord]:
    from keten.server.audit.models import AuditRecord

    return list(
        AuditRecord.objects.filter(seq__gt=seq, actor_user=user, status_code="ERROR").order_by(
            "seq"
        )
    )


# (method, path template, body) refused to DTenV for Q, whom it was never handed: every route
# that names a person, a procedure or a decision. {q}: Q, {proc}: a procedure of Q, {dec}: a
# decision on P's procedure (trail read: DTenV has no rule_trail read: 403).
def _refused_to_dtenv(
    world: World, q_procedure: int
) -> list[tuple[str, str, dict[str, Any] | None, int]]:
    q, dec = world.q, world.decision
    write = {"reason": "probe", "version": 1}
    return [
        ("GET", f"/api/v1/persons/{q}", None, 404),
        ("PATCH", f"/api/v1/persons/{q}", {"surname": "X", **write}, 404),
        (
            "POST",
            f"/api/v1/persons/{q}/family",
            {"relation": "partner", "other_person_id": world.p, **write},
            404,
        ),
        ("GET", f"/api/v1/persons/{q}/procedures", None, 404),
        (
            "POST",
            f"/api/v1/persons/{q}/procedures",
            {"procedure_type": "departure", "day": TODAY, **write},
            404,
        ),
        ("GET", f"/api/v1/persons/{q}/dossier", None, 404),
        ("GET", f"/api/v1/persons/{q}/measures", None, 404),
        (
            "POST",
            f"/api/v1/persons/{q}/measures",
            {"kind": "reporting_duty", "start": TODAY, **write},
            404,
        ),
        ("POST", f"/api/v1/persons/{q}/measures/1/end", {"end": TODAY, **write}, 404),
        (
            "POST",
            f"/api/v1/persons/{q}/withdrawals",
            {"resource": "measure", "id": 1, **write},
            404,
        ),
        ("GET", f"/api/v1/procedures/{q_procedure}", None, 404),
        (
            "POST",
            f"/api/v1/procedures/{q_procedure}/events",
            {"kind": "x", "day": TODAY, **write},
            404,
        ),
        ("GET", f"/api/v1/procedures/{q_procedure}/decisions", None, 404),
        ("GET", f"/api/v1/decisions/{dec}/trail", None, 403),
        ("GET", f"/api/v1/persons/{q}/asylum-motives", None, 403),
    ]


def test_every_refused_access_leaves_an_audit_record(live: Server, world: World) -> None:
    """Before: thousands of refused probes wrote no audit record."""
    from keten.server.dossiers.models import Person, Procedure

    q_procedure = Procedure.objects.filter(person_id=world.q).values_list("pk", flat=True).first()
    if q_procedure is None:
        lodged = live.request(
            "POST",
            f"/api/v1/persons/{world.q}/procedures",
            "ind",
            {"procedure_type": "asylum_first", "day": TODAY, "reason": "probe target"},
            headers={"If-Match": version(live, world.q)},
        )
        q_procedure = lodged.body["id"]
    q_v = Person.objects.get(pk=world.q).v_number
    for method, path, body, status in _refused_to_dtenv(world, int(q_procedure)):
        before = _last_seq()
        reply = live.request(method, path, "dtenv", body)
        assert reply.status == status, (method, path, reply.text)
        records = _refusals_since(before, "dtenv")
        assert len(records) == 1, (method, path, [r.name for r in records])
        r = records[0]
        assert r.name == ("refused.forbidden" if status == 403 else "refused.not-found")
        assert r.action == ("read" if method == "GET" else "write"), path
        assert r.purpose == "urn:keten:verwerking:dtenv:vertrek"
        assert r.actor_org == "DTenV" and r.actor_role == "dtenv_officer"
        assert r.fields == [f"{method} {path}"]
        if "/decisions/" not in path:  # the trail's decision is P's, not Q's
            assert r.subjects == [[world.q, q_v]], path
    # The answer to the caller did not change: Q is still "not found", nothing more.
    hidden = live.get(f"/api/v1/persons/{world.q}", "dtenv")
    assert hidden.status == 404 and q_v not in hidden.text


def test_a_probe_for_a_person_that_does_not_exist_is_recorded_too(live: Server) -> None:
    before = _last_seq()
    assert live.get("/api/v1/persons/987654321/dossier", "dtenv").status == 404
    [r] = _refusals_since(before, "dtenv")
    assert r.subjects == [[987654321, ""]] and r.object_ref == "person:987654321"


def test_a_refused_page_is_recorded_like_a_refused_api_call(live: Server, world: World) -> None:
    browser = Browser(live.base)
    browser.login("dtenv")
    before = _last_seq()
    status, _ = browser.open(f"/persons/{world.q}")
    assert status == 404
    [r] = _refusals_since(before, "dtenv")
    assert r.fields == [f"GET /persons/{world.q}"] and r.subjects[0][0] == world.q
    # A refusal shown inside the page (the form stays, the error beside it) is recorded too.
    coa = Browser(live.base)
    coa.login("coa")
    before = _last_seq()
    status, _ = coa.open(
        f"/persons/{world.p}/records/measure",
        {"kind": "reporting_duty", "start": TODAY, "reason": "x", "version": "1"},
    )
    assert status == 403
    [r] = _refusals_since(before, "coa")
    assert r.name == "refused.forbidden" and r.policy_resource == "measure"


def test_every_taakstelling_write_is_recorded(live: Server) -> None:
    from keten.server.audit.models import AuditRecord

    period = "2032-II"
    current = live.get(f"/api/v1/taakstelling?period={period}", "jenv").body["versions"][period]
    before = _last_seq()
    reply = live.request(
        "POST",
        "/api/v1/taakstelling",
        "jenv",
        {
            "kind": "announced",
            "period": period,
            "day": "2032-03-01",
            "figures": [{"municipality": "tilburg", "value": 14}],
            "version": current,
            "reason": "bekendmaking",
        },
    )
    assert reply.status == 201, reply.text
    [r] = AuditRecord.objects.filter(seq__gt=before, actor_user="jenv")
    assert (r.name, r.action, r.policy_resource) == (
        "taakstelling.announced",
        "write",
        "taakstelling",
    )
    assert r.object_ref == f"taakstelling:{period}" and r.fields == ["tilburg.quota"]
    assert r.purpose == "urn:keten:verwerking:jenv:taakstelling-huisvesting"
    # A role that may not write it is refused, and that is recorded as well.
    before = _last_seq()
    denied = live.request("POST", "/api/v1/taakstelling", "coa", {"kind": "announced"})
    assert denied.status == 403
    assert [x.policy_resource for x in _refusals_since(before, "coa")] == ["taakstelling"]


def test_the_privacy_officer_finds_refusals_by_v_number_newest_first(
    live: Server, world: World
) -> None:
    from keten.server.dossiers.models import Person

    q_v = Person.objects.get(pk=world.q).v_number
    for _ in range(2):
        live.get(f"/api/v1/persons/{world.q}/dossier", "nidos")
    api = live.get(f"/api/v1/audit?v_number={q_v}&refused=true&order=newest&limit=5", "privacy")
    assert api.status == 200, api.text
    rows = api.body["results"]
    assert rows and all(r["status_code"] == "ERROR" for r in rows)
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
    assert all(any(s["dpl.core.data_subject_id"] == q_v for s in r["subjects"]) for r in rows)
    assert rows[0]["actor_user"] == "nidos"

    browser = Browser(live.base)
    browser.login("privacy")
    status, html = browser.open(f"/audit?v_number={q_v}")
    assert status == 200
    assert 'id="refusals"' in html and "Weigeringen" in html
    refusals = html.split('id="refusals"')[1].split("</table>")[0]
    assert "nidos (Nidos, nidos_guardian)" in refusals and "urn:keten:verwerking:nidos" in refusals
    assert q_v in refusals
    # Local time: the record's UTC instant shown as Amsterdam's wall clock.
    from datetime import datetime

    from django.utils.timezone import localtime

    newest = api.body["results"][0]
    shown = localtime(datetime.fromisoformat(newest["end_time"])).strftime("%H:%M:%S")
    assert shown in refusals

    status, body = browser.open(f"/audit.csv?v_number={q_v}&refused=1")
    assert status == 200
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:3] == ["volgnummer", "tijd (Europe/Amsterdam)", "gebruiker"]
    assert len(table) > 2 and all(row[9] == "ERROR" for row in table[1:])
    assert all(q_v in row[10] for row in table[1:])
    assert "+01:00" in table[1][1] or "+02:00" in table[1][1]


@pytest.mark.parametrize("user", ["ind", "coa", "dtenv"])
def test_only_the_privacy_officer_reads_the_log(live: Server, user: str) -> None:
    assert live.get("/api/v1/audit", user).status == 403
    browser = Browser(live.base)
    browser.login(user)
    assert browser.open("/audit.csv")[0] == 403
