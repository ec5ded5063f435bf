"""Notifications over the live server: the inbox (API and page, in Dutch), hand-overs told to
the receiving organisation only (and never when the hand-over rolled back), deadlines and
dwangsom told to the person assigned and as counts to the team, and the daily e-mail digest
through Django's file backend: who gets what, nothing outside scope, once per day."""

from __future__ import annotations

import email
import re
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Browser, Server, keten
from tests.server.world import World, hand_over, refuse, register, version

TODAY = date.today()


def _inbox(live: Server, user: str, **params: str) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    reply = live.get(f"/api/v1/notifications?{query}", user)
    assert reply.status == 200, reply.text
    body: dict[str, Any] = reply.body
    return body


def _handover_rows(body: dict[str, Any], person: int) -> list[dict[str, Any]]:
    return [
        n
        for n in body["results"]
        if n["kind"] == "handover" and n["person"] and n["person"]["id"] == person
    ]


def _refused_and_handed_to_dtenv(live: Server, surname: str) -> dict[str, Any]:
    person = register(live, surname=surname)
    refuse(live, int(person["id"]))
    hand_over(live, int(person["id"]), "ind", "transfer_file", "DTenV")
    return person


def test_a_handover_is_told_to_the_receiver_only(live: Server, world: World) -> None:
    person = _refused_and_handed_to_dtenv(live, "Overgedragen")
    pid = int(person["id"])
    dtenv = _handover_rows(_inbox(live, "dtenv"), pid)
    assert len(dtenv) == 1, dtenv
    told = dtenv[0]
    # Dutch by default, English beside it; the sender by name, the kind as the policy names it.
    assert told["text"] == told["text_nl"]
    assert told["text_nl"].startswith("Overdracht ontvangen van Immigratie- en Naturalisatiedienst")
    assert "Overdrachtsdossier na afwijzing" in told["text_nl"]
    assert told["text_en"].startswith("Hand-over received from Immigratie- en Naturalisatiedienst")
    assert told["person"]["v_number"] == person["v_number"]  # DTenV reads identity
    assert told["read"] is False
    # Organisations that did not receive it hear nothing of it, whatever their scope.
    for other in ("iom", "coa", "ind", "gemeente-utrecht", "nidos"):
        assert _handover_rows(_inbox(live, other), pid) == [], other


def test_reading_the_inbox_is_audited_as_a_read_of_the_persons_named(
    live: Server, world: World
) -> None:
    from keten.server.audit.models import AuditRecord

    person = _refused_and_handed_to_dtenv(live, "Gelezen")
    before = AuditRecord.objects.filter(name="notifications.read").count()
    _inbox(live, "dtenv")
    rows = AuditRecord.objects.filter(name="notifications.read", actor_user="dtenv").order_by(
        "-seq"
    )
    assert AuditRecord.objects.filter(name="notifications.read").count() > before
    assert any(
        [int(person["id"]), person["v_number"]] in r.subjects and r.action == "read"
        for r in rows[:3]
    )


def test_mark_read_is_the_readers_own(live: Server, world: World) -> None:
    person = _refused_and_handed_to_dtenv(live, "Markeren")
    row = _handover_rows(_inbox(live, "dtenv"), int(person["id"]))[0]
    # Another reader cannot mark it: answered as if it did not exist.
    other = live.request("POST", f"/api/v1/notifications/{row['id']}/read", "iom")
    assert other.status == 404 and other.body["field"] == "notification"
    done = live.request("POST", f"/api/v1/notifications/{row['id']}/read", "dtenv")
    assert done.status == 200 and done.body["read"] is True
    again = _handover_rows(_inbox(live, "dtenv"), int(person["id"]))[0]
    assert again["read"] is True and again["read_at"] == done.body["read_at"]
    unread = _inbox(live, "dtenv", unread="1")
    assert all(not n["read"] for n in unread["results"])
    assert row["id"] not in {n["id"] for n in unread["results"]}


def test_a_rolled_back_handover_tells_no_one(live: Server, world: World) -> None:
    """The outbox row is written in the hand-over's own transaction: rolled back, nobody is
    told, and no webhook delivery exists."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from keten.server.dossiers.models import Handover
    from keten.server.notifications.models import Delivery, HandoverOutbox, Notification
    from keten.server.services.actor import actor_for
    from keten.server.services.records import add_record

    person = register(live, surname="Teruggedraaid")
    refuse(live, int(person["id"]))
    actor = actor_for(get_user_model().objects.get(username="ind"))
    expected = int(version(live, int(person["id"])).strip('"'))

    class UndoError(Exception):
        pass

    made: dict[str, Any] = {}
    with pytest.raises(UndoError), transaction.atomic():
        made.update(
            add_record(
                actor,
                int(person["id"]),
                "handover",
                {
                    "kind": "transfer_file",
                    "to_org": "DTenV",
                    "day": TODAY.isoformat(),
                    "reason": "test rollback",
                },
                expected,
            )
        )
        raise UndoError
    assert made["id"]  # it was created, then rolled back with everything else
    assert not Handover.objects.filter(pk=made["id"]).exists()
    assert not HandoverOutbox.objects.filter(handover_id=made["id"]).exists()
    assert not Notification.objects.filter(handover_id=made["id"]).exists()
    assert not Delivery.objects.filter(handover_id=made["id"]).exists()
    assert _handover_rows(_inbox(live, "dtenv"), int(person["id"])) == []


def _overdue_case_with_dwangsom(live: Server, surname: str) -> tuple[dict[str, Any], int]:
    """A regular residence application lodged 200 days ago (its 90-day term long passed) with
    a notice of default ten days ago. Awb 4:17 lid 3: the dwangsom is owed from "de dag waarop
    twee weken zijn verstreken na de dag waarop de termijn ... is verstreken en het
    bestuursorgaan ... in gebreke is gesteld": four days from now, within the default seven.
    The IND's beslissen queue holds it."""
    person = register(live, surname=surname)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/procedures",
        "ind",
        {
            "procedure_type": "regular_residence",
            "day": (TODAY - timedelta(days=200)).isoformat(),
            "reason": "test lodging",
        },
        headers={"If-Match": version(live, int(person["id"]))},
    )
    assert lodged.status == 201, lodged.text
    notice = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "ind",
        {
            "kind": "notice_of_default",
            "day": (TODAY - timedelta(days=10)).isoformat(),
            "reason": "ingebrekestelling ontvangen",
        },
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert notice.status == 201, notice.text
    return person, int(lodged.body["id"])


def _assign(procedure_id: int, username: str) -> None:
    """Stands in for the queue's assignment (the queues capability writes these rows)."""
    from django.utils import timezone

    from keten.server.workqueue.models import CurrentAssignment

    CurrentAssignment.objects.update_or_create(
        procedure_id=procedure_id, defaults={"assignee": username, "assigned_at": timezone.now()}
    )


def test_deadlines_and_dwangsom_are_told_to_the_assignee(live: Server, world: World) -> None:
    from keten.server.dossiers.models import Procedure

    person, proc = _overdue_case_with_dwangsom(live, "Termijnoverschrijding")
    row = Procedure.objects.get(pk=proc)
    assert row.due is not None and row.due < TODAY
    assert row.dwangsom_first_day is not None and row.dwangsom_first_day <= TODAY + timedelta(7)
    _assign(proc, "ind")
    mine = [n for n in _inbox(live, "ind")["results"] if n["procedure"] == proc]
    kinds = {n["kind"] for n in mine}
    assert kinds == {"overdue", "dwangsom"}, mine
    overdue = next(n for n in mine if n["kind"] == "overdue")
    assert overdue["text_nl"].startswith("Termijn verstreken op")
    assert overdue["person"]["v_number"] == person["v_number"]
    # Opening the inbox again writes nothing twice (one row per recipient and fact).
    again = [n for n in _inbox(live, "ind")["results"] if n["procedure"] == proc]
    assert sorted(n["id"] for n in again) == sorted(n["id"] for n in mine)
    # The team hears of it as a count; another team (the Dublin unit) does not.
    team = [n for n in _inbox(live, "ind")["results"] if n["kind"] == "team_due"]
    assert team and team[0]["counts"]["overdue"] >= 1 and team[0]["person"] is None
    dublin = _inbox(live, "ind-dublin")["results"]
    assert all(n["procedure"] != proc for n in dublin)
    # Not assigned to the Dublin user: nothing personal about it there either.
    assert not [n for n in dublin if n["kind"] in ("overdue", "deadline_due")]


def test_the_horizon_is_bounded(live: Server) -> None:
    for bad in (0, 61, "zeven", True):
        reply = live.request(
            "POST", "/api/v1/notifications/settings", "ind-proces", {"days_ahead": bad}
        )
        assert reply.status == 400, (bad, reply.text)
        assert reply.body["field"] == "days_ahead"
        assert "1 tot en met 60" in reply.body["detail_nl"] or "dagen" in reply.body["detail_nl"]
    ok = live.request("POST", "/api/v1/notifications/settings", "ind-proces", {"days_ahead": 14})
    assert ok.status == 200 and ok.body == {"days_ahead": 14}
    assert live.get("/api/v1/notifications/settings", "ind-proces").body == {"days_ahead": 14}


def test_the_inbox_page_speaks_dutch(live: Server, world: World) -> None:
    person = _refused_and_handed_to_dtenv(live, "Paginatest")
    browser = Browser(live.base)
    browser.login("dtenv")
    status, html = browser.open("/meldingen")
    assert status == 200
    assert "<h1>Meldingen</h1>" in html
    assert "Overdracht ontvangen van Immigratie- en Naturalisatiedienst" in html
    assert person["v_number"] in html
    count = re.search(r'id="nav-notifications">Meldingen<span class="count">(\d+)', html)
    assert count is not None and int(count.group(1)) >= 1
    # Marked read on the page: the header's count goes down by one.
    row = _handover_rows(_inbox(live, "dtenv"), int(person["id"]))[0]
    status, _ = browser.open(f"/meldingen/{row['id']}/gelezen", {})
    assert status == 200  # followed the redirect back to the inbox
    _, after = browser.open("/meldingen")
    later = re.search(r'id="nav-notifications">Meldingen(?:<span class="count">(\d+))?', after)
    assert later is not None and int(later.group(1) or 0) == int(count.group(1)) - 1
    # A horizon out of bounds is refused beside its field, in Dutch.
    status, html = browser.open("/meldingen/instellingen", {"days_ahead": "90"})
    assert status == 400
    assert "moet een geheel getal van 1 tot en met 60 zijn" in html
    assert 'id="notifications-days_ahead-error"' in html


# -- the daily digest ---------------------------------------------------------------------


def _messages(folder: Path) -> list[Message]:
    out = []
    for path in sorted(folder.glob("*.log")):
        raw = path.read_bytes()
        # The file backend separates messages by a line of 79 dashes.
        for chunk in raw.split(b"-" * 79):
            if chunk.strip():
                out.append(email.message_from_bytes(chunk.strip() + b"\n"))
    return out


def _parts(msg: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found


def _v_numbers(text: str) -> set[str]:
    return set(re.findall(r"\b\d{10}\b", text))


@pytest.mark.slow
def test_the_daily_digest(live: Server, world: World, tmp_path: Path) -> None:
    """Who gets what, nothing outside scope, Dutch first with English below, once per day."""
    from keten.server.dossiers.models import AccessGrant, Person

    person, proc = _overdue_case_with_dwangsom(live, "Digestzaak")
    _assign(proc, "ind")
    handed = _refused_and_handed_to_dtenv(live, "Digestoverdracht")
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {**live.env, "KETEN_EMAIL_FILE_PATH": str(outbox)}
    day = TODAY.isoformat()
    dry = keten(env, "server", "digest", "--on", day, "--dry-run")
    assert "(dry run)" in dry.stdout and not list(outbox.iterdir())
    first = keten(env, "server", "digest", "--on", day)
    assert re.search(r"\d+ sent", first.stdout), first.stdout + first.stderr
    messages = {m["To"].split("@")[0]: m for m in _messages(outbox)}
    assert {"ind", "dtenv"} <= set(messages), sorted(messages)

    ind = _parts(messages["ind"])
    text, html = ind["text/plain"], ind["text/html"]
    # Dutch first, English below, in both forms.
    assert text.index("dagoverzicht") < text.index("daily digest")
    assert html.index("Uw zaken") < html.index("Your cases")
    assert "Termijn verstreken op" in text and "Deadline passed on" in text
    assert "Dwangsom loopt vanaf" in text
    assert person["v_number"] in text  # the case assigned to ind, named: ind reads identity
    assert "/meldingen" in text

    dtenv = _parts(messages["dtenv"])["text/plain"]
    assert handed["v_number"] in dtenv and "Overdracht ontvangen" in dtenv
    # A granted-scope role: every person it names is granted to DTenV; Q (handed to nobody)
    # and the IND's own case are not among them.
    named = _v_numbers(dtenv)
    granted = set(
        Person.objects.filter(
            pk__in=AccessGrant.objects.filter(organisation_id="DTenV").values("person_id")
        ).values_list("v_number", flat=True)
    )
    assert named and named <= granted
    q = Person.objects.get(pk=world.q).v_number
    assert q not in dtenv and person["v_number"] not in dtenv
    # Another team of the same organisation: the Dublin unit is not told of beslissen's case.
    dublin = messages.get("ind-dublin")
    if dublin is not None:
        assert person["v_number"] not in _parts(dublin)["text/plain"]
    # Roles that see no persons get no names at all.
    for none_scope in ("jenv", "jenv-beleid", "privacy", "ind-management"):
        if none_scope in messages:
            assert not _v_numbers(_parts(messages[none_scope])["text/plain"]), none_scope

    # Run again the same day: nobody gets a second one.
    count = len(_messages(outbox))
    second = keten(env, "server", "digest", "--on", day)
    assert "0 sent" in second.stdout, second.stdout
    assert len(_messages(outbox)) == count


def test_the_digest_refuses_a_day_ahead(live: Server) -> None:
    ahead = (TODAY + timedelta(days=1)).isoformat()
    done = keten(live.env, "server", "digest", "--on", ahead, check=False)
    assert done.returncode == 2 and "after today" in done.stderr
