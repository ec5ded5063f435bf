"""Every API and UI path touching personal data leaves an audit record; the hash chain holds
and `keten audit verify` names a row someone altered behind the application's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.server.live import Browser, Server, database_env, keten
from tests.server.world import World, version

TODAY = date.today().isoformat()


def _records():  # type: ignore[no-untyped-def]
    # Django is set up by the `live` fixture; models are importable only after that.
    from keten.server.audit.models import AuditRecord

    return AuditRecord.objects


def _last_seq() -> int:
    last = _records().order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def _new_records(since: int, person: int) -> list:  # type: ignore[type-arg]
    return list(_records().filter(seq__gt=since, person_id=person))


def api_paths(world: World) -> list[tuple[str, str, Callable[[Server], object]]]:
    p, proc, dec = world.p, world.procedure, world.decision

    def post(path: str, body: dict[str, object], user: str = "ind") -> Callable[[Server], object]:
        return lambda live: live.request(
            "POST",
            path,
            user,
            {**body, "reason": "audit test"},
            headers={"If-Match": version(live, p)},
        )

    return [
        ("GET person", "ind", lambda live: live.get(f"/api/v1/persons/{p}", "ind")),
        ("search persons", "ind", lambda live: live.get("/api/v1/persons?q=Persoon", "ind")),
        ("procedures", "ind", lambda live: live.get(f"/api/v1/persons/{p}/procedures", "ind")),
        ("procedure", "ind", lambda live: live.get(f"/api/v1/procedures/{proc}", "ind")),
        ("decisions", "ind", lambda live: live.get(f"/api/v1/procedures/{proc}/decisions", "ind")),
        ("trail", "ind", lambda live: live.get(f"/api/v1/decisions/{dec}/trail", "ind")),
        ("queue", "ind", lambda live: live.get("/api/v1/queue?page_size=200", "ind")),
        ("measures", "dtenv", lambda live: live.get(f"/api/v1/persons/{p}/measures", "dtenv")),
        ("placements", "coa", lambda live: live.get(f"/api/v1/persons/{p}/placements", "coa")),
        ("documents", "iom", lambda live: live.get(f"/api/v1/persons/{p}/documents", "iom")),
        ("handovers", "ind", lambda live: live.get(f"/api/v1/persons/{p}/handovers", "ind")),
        ("motives", "ind", lambda live: live.get(f"/api/v1/persons/{p}/asylum-motives", "ind")),
        ("1F", "ind-1f", lambda live: live.get(f"/api/v1/persons/{p}/findings-1f", "ind-1f")),
        (
            "correct",
            "ind",
            lambda live: live.request(
                "PATCH",
                f"/api/v1/persons/{p}",
                "ind",
                {"surname": "Persoon", "reason": "spelling"},
                headers={"If-Match": version(live, p)},
            ),
        ),
        (
            "lodge",
            "ind",
            post(f"/api/v1/persons/{p}/procedures", {"procedure_type": "mvv", "day": TODAY}),
        ),
        (
            "event",
            "ind",
            lambda live: live.request(
                "POST",
                f"/api/v1/procedures/{proc}/events",
                "ind",
                {"kind": "hearing_report", "day": TODAY, "reason": "gehoor"},
                headers={"If-Match": live.get(f"/api/v1/procedures/{proc}", "ind").headers["ETag"]},
            ),
        ),
        (
            "measure",
            "dtenv",
            post(
                f"/api/v1/persons/{p}/measures", {"kind": "reporting_duty", "start": TODAY}, "dtenv"
            ),
        ),
        (
            "placement",
            "coa",
            post(
                f"/api/v1/persons/{p}/placements",
                {"kind": "coa_regular", "location": "azc Gilze", "start": TODAY},
                "coa",
            ),
        ),
        (
            "document",
            "ind",
            post(
                f"/api/v1/persons/{p}/documents",
                {"kind": "w_document", "number": "W9", "issued": TODAY},
            ),
        ),
        (
            "handover",
            "ind",
            post(
                f"/api/v1/persons/{p}/handovers",
                {"kind": "transfer_file", "to_org": "DTenV", "day": TODAY},
            ),
        ),
        ("motive", "ind", post(f"/api/v1/persons/{p}/asylum-motives", {"text": "motief"})),
        ("finding", "ind-1f", post(f"/api/v1/persons/{p}/findings-1f", {"text": "geen"}, "ind-1f")),
    ]


def test_every_api_path_leaves_an_audit_record(live: Server, world: World) -> None:
    for name, user, call in api_paths(world):
        before = _last_seq()
        reply = call(live)
        assert 200 <= reply.status < 300, (name, reply.text)  # type: ignore[attr-defined]
        records = [r for r in _new_records(before, world.p) if r.actor_user == user]
        assert records, f"{name}: no audit record for person {world.p}"
        r = records[-1]
        assert r.subject_id and r.subject_id_type == "vreemdelingennummer"
        assert r.purpose.startswith("urn:keten:verwerking:")
        assert r.actor_org and r.actor_role and r.fields and len(r.trace_id) == 32


def test_every_ui_path_leaves_an_audit_record(live: Server, world: World) -> None:
    browser = Browser(live.base)
    browser.login("ind")
    for path in (f"/persons/{world.p}", "/queue", "/persons?q=Persoon"):
        before = _last_seq()
        status, html = browser.open(path)
        assert status == 200, (path, html[:300])
        if path == "/queue":
            assert _records().filter(seq__gt=before, actor_user="ind").exists()
        else:
            assert _new_records(before, world.p), path
    proc = live.get(f"/api/v1/procedures/{world.procedure}", "ind").body
    before = _last_seq()
    status, html = browser.open(
        f"/procedures/{world.procedure}/event",
        {"kind": "hearing_report", "day": TODAY, "reason": "ui", "version": str(proc["version"])},
    )
    assert status == 200, html[:300]
    writes = [r for r in _new_records(before, world.p) if r.action == "write"]
    assert writes and writes[0].name == "procedure.event"


def test_reading_the_audit_log_is_logged_and_privacy_only(live: Server, world: World) -> None:
    reply = live.get(f"/api/v1/audit?person_id={world.p}&limit=5", "privacy")
    assert reply.status == 200 and reply.body["results"]
    assert all(r["person_id"] == world.p for r in reply.body["results"])
    assert _records().filter(actor_user="privacy", name="audit.query").exists()
    assert live.get("/api/v1/audit", "ind").status == 403


def test_verify_passes_on_the_live_chain(live: Server, world: World) -> None:
    result = keten(live.env, "audit", "verify", check=False)
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout


def test_verify_detects_an_altered_row(tmp_path: Path) -> None:
    """A fresh database: records written through the real service layer, then one row altered
    with raw SQL after dropping the append-only trigger (what an intruder with database power
    can do); verify must name that row."""
    env = database_env("keten_tamper", tmp_path)
    keten(env, "server", "setup", "--persons", "3")
    script = (
        "from keten.server.setup import django_setup; django_setup()\n"
        "from django.contrib.auth.models import User\n"
        "from keten.server.services.actor import actor_for\n"
        "from keten.server.services import reads\n"
        "from keten.server.dossiers.models import Person\n"
        "a = actor_for(User.objects.get(username='ind'))\n"
        "for p in Person.objects.all(): reads.get_person(a, p.pk)\n"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert keten(env, "audit", "verify", check=False).returncode == 0
    if "KETEN_DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["KETEN_DATABASE_URL"], autocommit=True) as conn:
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute("UPDATE audit_auditrecord SET actor_user='x' WHERE seq=2")
            conn.execute("DROP TRIGGER audit_auditrecord_append_only ON audit_auditrecord")
            conn.execute("UPDATE audit_auditrecord SET actor_user='someone-else' WHERE seq=2")
    else:
        conn = sqlite3.connect(env["KETEN_SQLITE_PATH"])
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE audit_auditrecord SET actor_user='x' WHERE seq=2")
        conn.execute("DROP TRIGGER audit_auditrecord_no_update")
        conn.execute("UPDATE audit_auditrecord SET actor_user='someone-else' WHERE seq=2")
        conn.commit()
        conn.close()
    result = keten(env, "audit", "verify", check=False)
    assert result.returncode == 1
    assert "record 2" in result.stderr and "hash does not match" in result.stderr
