"""The daily e-mail digest (``keten server digest``): per person with an e-mail address, what is
due in their own cases and their team's queue, dwangsom starting, and the hand-overs received
since their previous digest. Dutch first, English below; plain text with an HTML alternative.

Run once a day by a scheduler (cron or a systemd timer, docs/workday.md). Idempotent per
recipient and day: the ``DigestSent`` row is inserted in the same transaction that sends, and
its unique (recipient, day) makes a second run (or a second scheduler) skip who already had
theirs; a message that could not be sent rolls its row back, so the next run tries again.

What it says is held to the same policy as the inbox: the team's queue within the role's
scope, names only where the role reads identity (otherwise counts and case numbers), hand-overs
only to roles that read them and about persons still in scope; each digest sent is audited as
a read of the persons it names, in the recipient's name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Person
from keten.server.notifications.models import HANDOVER, DigestSent, Notification
from keten.server.services.actor import Actor, actor_for
from keten.server.services.errors import ServiceError
from keten.server.services.notification_due import DueSet, due_for
from keten.server.services.notifications import (
    _type_name,
    _visible_persons,
    days_of,
    dispatch_pending,
    refresh,
    text_of,
)

FIRST_FEW = 5  # cases listed by name per section; the rest are counts


@dataclass
class Line:
    nl: str
    en: str
    who: str  # "V-number Name", or "" for a role that does not read identity
    url: str


@dataclass
class Digest:
    username: str
    email: str
    day: date
    days: int
    team: str
    mine: dict[str, Counter[str]]
    team_counts: dict[str, Counter[str]]
    cases: list[Line] = field(default_factory=list)
    handovers: list[Line] = field(default_factory=list)
    truncated: bool = False
    subjects: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        counted = any(sum(c.values()) for c in self.team_counts.values())
        return not counted and not self.handovers

    def summary(self) -> dict[str, Any]:
        return {
            "team": {k: sum(v.values()) for k, v in self.team_counts.items()},
            "mine": {k: sum(v.values()) for k, v in self.mine.items()},
            "handovers": len(self.handovers),
        }


def _who(p: Person | None, names: bool) -> str:
    if p is None or not names:
        return ""
    return f"{p.v_number} {p.given_names} {p.surname}".strip()


def _counts_lines(counts: dict[str, Counter[str]], lang: str) -> list[str]:
    label = {
        "nl": {"overdue": "over de termijn", "due_soon": "termijn nadert", "dwangsom": "dwangsom"},
        "en": {"overdue": "overdue", "due_soon": "due soon", "dwangsom": "dwangsom"},
    }[lang]
    lines = []
    for kind in ("overdue", "due_soon", "dwangsom"):
        for procedure_type, n in sorted(counts[kind].items()):
            lines.append(f"{label[kind]}: {n} × {_type_name(procedure_type, lang)}")
    return lines


def compose(actor: Actor, email: str, day: date, since: datetime | None, due: DueSet) -> Digest:
    names = actor.role.can("identity", "read")
    digest = Digest(
        username=actor.username,
        email=email,
        day=day,
        days=due.days,
        team=due.team,
        mine=due.counts(only_mine=True),
        team_counts=due.counts(),
        truncated=due.truncated,
    )
    # The first few of the reader's own cases, then of the team's, overdue first.
    ordered = sorted(due.cases, key=lambda c: (c.procedure_id not in due.mine, c.due or day))
    persons = Person.objects.in_bulk([c.person_id for c in ordered[:FIRST_FEW] if c.person_id])
    for case in ordered[:FIRST_FEW]:
        told: list[tuple[str, dict[str, str]]] = []
        if case.due is not None and case.due <= due.horizon:
            kind = "overdue" if case.overdue(day) else "deadline_due"
            told.append(
                (
                    kind,
                    {
                        "type": case.procedure_type,
                        "deadline": case.deadline_id,
                        "due": case.due.isoformat(),
                    },
                )
            )
        if case.dwangsom_first_day is not None and case.dwangsom(due.horizon):
            told.append(
                (
                    "dwangsom",
                    {"type": case.procedure_type, "first_day": case.dwangsom_first_day.isoformat()},
                )
            )
        if not told:
            continue
        p = persons.get(case.person_id) if case.person_id else None
        mine = case.procedure_id in due.mine
        digest.cases.append(
            Line(
                "; ".join(text_of(k, v, "nl") for k, v in told)
                + (" (u toegewezen)" if mine else ""),
                "; ".join(text_of(k, v, "en") for k, v in told)
                + (" (assigned to you)" if mine else ""),
                _who(p, names),
                f"/persons/{case.person_id}" if case.person_id else "/queue",
            )
        )
        if p is not None and names:
            digest.subjects.append((p.pk, p.v_number))
    if actor.role.can("handover", "read"):
        rows = Notification.objects.filter(recipient=actor.username, kind=HANDOVER)
        if since is not None:
            rows = rows.filter(created_at__gt=since)
        else:
            rows = rows.filter(created_at__date__gte=day - timedelta(days=1))
        listed = list(rows.order_by("id")[:50])
        visible = _visible_persons(actor, {r.person_id for r in listed if r.person_id})
        hp = Person.objects.in_bulk(list(visible))
        for r in listed:
            if r.person_id not in visible:
                continue
            p = hp.get(r.person_id) if r.person_id else None
            digest.handovers.append(
                Line(
                    text_of(HANDOVER, r.params, "nl"),
                    text_of(HANDOVER, r.params, "en"),
                    _who(p, names),
                    f"/persons/{r.person_id}",
                )
            )
            if p is not None and names:
                digest.subjects.append((p.pk, p.v_number))
    return digest


def render(digest: Digest) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a digest."""
    base = settings.KETEN_PUBLIC_URL
    context = {
        "d": digest,
        "base": base,
        "mine_nl": _counts_lines(digest.mine, "nl"),
        "mine_en": _counts_lines(digest.mine, "en"),
        "team_nl": _counts_lines(digest.team_counts, "nl"),
        "team_en": _counts_lines(digest.team_counts, "en"),
    }
    subject = f"Keten: dagoverzicht {digest.day.isoformat()} / daily digest"
    text = render_to_string("keten/digest_email.txt", context)
    html = render_to_string("keten/digest_email.html", context)
    return subject, text, html


@dataclass
class Sent:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)  # nothing to tell: no e-mail
    no_address: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    previews: list[Digest] = field(default_factory=list)


def _last_sent(username: str, day: date) -> datetime | None:
    return (
        DigestSent.objects.filter(recipient=username, day__lt=day)
        .order_by("-day")
        .values_list("sent_at", flat=True)
        .first()
    )


def send_digests(day: date | None = None, dry_run: bool = False) -> Sent:
    """Send the day's digest to everyone who has not had it yet (``dry_run``: compose, send
    nothing, write nothing)."""
    day = day or date.today()
    out = Sent()
    if not dry_run:
        dispatch_pending()  # hand-overs committed but not yet told of (a process that died)
    users = (
        get_user_model()
        .objects.filter(is_active=True, membership__isnull=False)
        .select_related("membership__organisation")
        .order_by("username")
    )
    for user in users:
        username = user.get_username()
        if not user.email:
            out.no_address.append(username)
            continue
        if DigestSent.objects.filter(recipient=username, day=day).exists():
            out.already.append(username)
            continue
        try:
            actor = actor_for(user)
        except ServiceError as exc:
            out.failed.append((username, exc.detail))
            continue
        due = due_for(actor, day, days_of(username)) if dry_run else refresh(actor, day)
        digest = compose(actor, user.email, day, _last_sent(username, day), due)
        if digest.empty:
            out.nothing.append(username)
            continue
        if dry_run:
            out.previews.append(digest)
            continue
        try:
            _send_once(actor, digest)
        except IntegrityError:
            out.already.append(username)  # another run sent it meanwhile
            continue
        except OSError as exc:  # SMTP refused or unreachable: the next run tries again
            out.failed.append((username, str(exc)[:200]))
            continue
        out.sent.append(username)
    return out


def _send_once(actor: Actor, digest: Digest) -> None:
    subject, text, html = render(digest)
    with transaction.atomic():
        DigestSent.objects.create(
            recipient=digest.username, day=digest.day, email=digest.email, summary=digest.summary()
        )
        if digest.subjects:
            append(
                actor.audit,
                [
                    Entry(
                        "digest.sent",
                        "read",
                        "procedure",
                        ("v_number", "given_names", "surname", "due"),
                        subjects=tuple(dict.fromkeys(digest.subjects)),
                        object_ref=f"digest:{digest.day.isoformat()}",
                    )
                ],
            )
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [digest.email])
        message.attach_alternative(html, "text/html")
        message.send()
