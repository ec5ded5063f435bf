"""Notifications: nobody is left untold that a deadline approaches, a dwangsom starts, or a
hand-over came in.

What is told to whom:

- a person, of the cases assigned to them (``assignments.current_assignees``) in their team's
  queue: a deadline due within their horizon (``Preference.days_ahead``, 1..60, default 7),
  a deadline passed, a dwangsom that runs or starts within the horizon;
- a person, once a day, of their team's queue as counts (``team_due``);
- every person of the receiving organisation whose role reads hand-overs, of a hand-over to it.

Hand-overs reach this module through an outbox (``handover_made``, called inside the
hand-over's transaction): a hand-over rolled back writes no outbox row, so nobody is told of
it; once committed, ``dispatch_pending`` writes the inbox rows and the partners' webhook
deliveries (``webhooks``). Deadline rows are written by ``refresh`` (on opening the inbox and
by the daily digest), idempotently: one row per recipient and fact (``Notification.key``).

Reading respects the policy at the moment of reading, not of writing: a row about a person
the reader no longer may see (a hand-over withdrawn, its grant gone) is not shown, names only
to roles that read identity, and reading the inbox is audited as a read of the persons named.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from keten.catalog.loader import get_procedure
from keten.chain.kinds import HANDOVER_TYPES
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import AccessGrant, Handover, Person
from keten.server.notifications.models import (
    DEADLINE_DUE,
    DWANGSOM,
    HANDOVER,
    OVERDUE,
    TEAM_DUE,
    HandoverOutbox,
    Notification,
    Preference,
)
from keten.server.organisations.models import Organisation
from keten.server.services.actor import Actor
from keten.server.services.bounds import MAX_ID, nl_day, whole_number
from keten.server.services.errors import NotFoundError
from keten.server.services.notification_due import (
    DEFAULT_DAYS,
    DueSet,
    days_ahead,
    due_for,
)
from keten.server.services.policy import policy

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Personal rows written in one refresh: a person with more cases due than this has a queue
# problem the team summary shows; the inbox is not the place for a thousand rows.
MAX_PERSONAL = 200


# -- the reader's horizon -------------------------------------------------------------------


def days_of(username: str) -> int:
    found = Preference.objects.filter(username=username).values_list("days_ahead", flat=True)
    return int(found[0]) if found else DEFAULT_DAYS


def set_days(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """The actor's own horizon; nobody sets another's."""
    days = days_ahead(data.get("days_ahead"))
    Preference.objects.update_or_create(username=actor.username, defaults={"days_ahead": days})
    return {"days_ahead": days}


# -- texts ----------------------------------------------------------------------------------


def _type_name(procedure_type: str, lang: str) -> str:
    try:
        return get_procedure(procedure_type).name.get(lang)
    except Exception:  # a type no longer in the catalogue: its id says what it was
        return procedure_type


def _deadline_name(procedure_type: str, deadline_id: str, lang: str) -> str:
    try:
        return get_procedure(procedure_type).deadline(deadline_id).name.get(lang)
    except Exception:
        return deadline_id


def _day(iso: str, lang: str) -> str:
    value = date.fromisoformat(iso)
    return nl_day(value) if lang == "nl" else f"{value.day} {value:%B %Y}"


def _org_name(code: str) -> str:
    found = Organisation.objects.filter(code=code).values_list("name", flat=True)
    return str(found[0]) if found else code


def text_of(kind: str, params: dict[str, Any], lang: str) -> str:
    """A notification's sentence in ``lang`` (nl or en), from its kind and params."""
    nl = lang == "nl"
    if kind in (DEADLINE_DUE, OVERDUE):
        what = _deadline_name(params["type"], params.get("deadline", ""), lang)
        of = _type_name(params["type"], lang)
        day = _day(params["due"], lang)
        if kind == OVERDUE:
            return (
                f"Termijn verstreken op {day}: {what} ({of})"
                if nl
                else (f"Deadline passed on {day}: {what} ({of})")
            )
        return (
            f"Termijn verloopt op {day}: {what} ({of})"
            if nl
            else (f"Deadline on {day}: {what} ({of})")
        )
    if kind == DWANGSOM:
        of = _type_name(params["type"], lang)
        day = _day(params["first_day"], lang)
        return (
            f"Dwangsom loopt vanaf {day} ({of})"
            if nl
            else (f"Penalty for not deciding in time (dwangsom) runs from {day} ({of})")
        )
    if kind == HANDOVER:
        found = HANDOVER_TYPES.get(params["kind"])
        what = (found.nl if nl else found.en) if found else params["kind"]
        day = _day(params["day"], lang)
        sender = params.get("from_org_name") or params.get("from_org", "")
        return (
            f"Overdracht ontvangen van {sender} op {day}: {what}"
            if nl
            else (f"Hand-over received from {sender} on {day}: {what}")
        )
    if kind == TEAM_DUE:
        more = (
            "ten minste "
            if params.get("truncated") and nl
            else ("at least " if params.get("truncated") else "")
        )
        if nl:
            return (
                f"Wachtrij team {params['team']}: {more}{params['overdue']} over de termijn, "
                f"{params['due_soon']} met een termijn binnen {params['days']} dagen, "
                f"{params['dwangsom']} met dwangsom"
            )
        return (
            f"Team {params['team']} queue: {more}{params['overdue']} overdue, "
            f"{params['due_soon']} due within {params['days']} days, "
            f"{params['dwangsom']} with dwangsom"
        )
    return kind


# -- writing the rows -----------------------------------------------------------------------


def _case_rows(username: str, due: DueSet) -> list[Notification]:
    rows: list[Notification] = []
    for case in due.cases:
        if case.procedure_id not in due.mine:
            continue
        common = {"recipient": username, "procedure_id": case.procedure_id}
        common["person_id"] = case.person_id
        if case.due is not None and (case.overdue(due.day) or case.due_soon(due.day, due.horizon)):
            kind = OVERDUE if case.overdue(due.day) else DEADLINE_DUE
            params = {"type": case.procedure_type, "deadline": case.deadline_id}
            params["due"] = case.due.isoformat()
            rows.append(
                Notification(
                    kind=kind,
                    key=f"{kind}:{case.procedure_id}:{case.deadline_id}:{case.due.isoformat()}",
                    params=params,
                    **common,
                )
            )
        if case.dwangsom_first_day is not None and case.dwangsom(due.horizon):
            first = case.dwangsom_first_day.isoformat()
            rows.append(
                Notification(
                    kind=DWANGSOM,
                    key=f"{DWANGSOM}:{case.procedure_id}:{first}",
                    params={"type": case.procedure_type, "first_day": first},
                    **common,
                )
            )
    return rows[:MAX_PERSONAL]


def team_summary(due: DueSet) -> dict[str, Any]:
    counts = due.counts()
    return {
        "team": due.team,
        "days": due.days,
        "overdue": sum(counts["overdue"].values()),
        "due_soon": sum(counts["due_soon"].values()),
        "dwangsom": sum(counts["dwangsom"].values()),
        "truncated": due.truncated,
    }


def refresh(actor: Actor, day: date) -> DueSet:
    """Write the actor's deadline and dwangsom rows for ``day`` (once: the key is unique per
    recipient and fact) and the day's team summary; what is due."""
    due = due_for(actor, day, days_of(actor.username))
    rows = _case_rows(actor.username, due)
    summary = team_summary(due)
    if summary["overdue"] or summary["due_soon"] or summary["dwangsom"]:
        rows.append(
            Notification(
                recipient=actor.username,
                kind=TEAM_DUE,
                key=f"{TEAM_DUE}:{day.isoformat()}",
                params=summary,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return due


# -- hand-overs: the outbox -----------------------------------------------------------------


def handover_made(row: Handover) -> None:
    """Called inside the hand-over's transaction (services/records.py): the outbox row commits
    or rolls back with it; after the commit, the inbox rows and deliveries are written."""
    HandoverOutbox.objects.create(handover=row)
    transaction.on_commit(dispatch_pending)


def _readers_of(org_code: str) -> list[str]:
    """The users of the organisation whose role reads hand-overs."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, membership__organisation_id=org_code)
        .values_list("username", "membership__role")
    )
    roles = policy().roles
    return [u for u, r in users if r in roles and roles[r].can("handover", "read")]


def dispatch_pending(limit: int = 200) -> int:
    """Tell of committed hand-overs not yet told of: inbox rows for the receiver's people and a
    webhook delivery per active subscription of the receiver. Safe to run twice at once: a row
    is claimed by a conditional update, and the rows it writes are unique per fact."""
    from keten.server.services import webhooks  # the deliveries' module imports this one

    done = 0
    pending = list(
        HandoverOutbox.objects.filter(dispatched_at__isnull=True)
        .order_by("id")
        .values_list("pk", "handover_id")[:limit]
    )
    for pk, handover_id in pending:
        with transaction.atomic():
            if not HandoverOutbox.objects.filter(pk=pk, dispatched_at__isnull=True).update(
                dispatched_at=timezone.now()
            ):
                continue  # another dispatcher took it
            h = Handover.objects.get(pk=handover_id)
            params = {
                "kind": h.kind,
                "day": h.day.isoformat(),
                "from_org": h.from_org_id,
                "from_org_name": _org_name(h.from_org_id),
            }
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient=username,
                        kind=HANDOVER,
                        key=f"{HANDOVER}:{h.pk}",
                        person_id=h.person_id,
                        handover=h,
                        params=params,
                    )
                    for username in _readers_of(h.to_org_id)
                ],
                ignore_conflicts=True,
            )
            webhooks.enqueue_for(h)
        done += 1
    return done


# -- reading the inbox ----------------------------------------------------------------------


def _visible_persons(actor: Actor, person_ids: set[int]) -> set[int]:
    if not person_ids:
        return set()
    if actor.role.scope == "all":
        return person_ids
    if actor.role.scope == "granted":
        return set(
            AccessGrant.objects.filter(
                organisation_id=actor.organisation, person_id__in=person_ids
            ).values_list("person_id", flat=True)
        )
    return set()


def _allowed(actor: Actor, kind: str) -> bool:
    if kind == HANDOVER:
        return actor.role.can("handover", "read")
    return actor.role.can("procedure", "read")


def _as_json(n: Notification, lang: str, person: Person | None, names: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": n.pk,
        "kind": n.kind,
        "text": text_of(n.kind, n.params, lang),
        "text_nl": text_of(n.kind, n.params, "nl"),
        "text_en": text_of(n.kind, n.params, "en"),
        "created_at": n.created_at.isoformat(),
        "created_shown": timezone.localtime(n.created_at).strftime("%d-%m-%Y %H:%M"),
        "read_at": n.read_at.isoformat() if n.read_at else None,
        "read": n.read_at is not None,
        "procedure": n.procedure_id,
        "person": None,
        "handover": n.handover_id,
        "counts": {k: n.params[k] for k in ("overdue", "due_soon", "dwangsom") if k in n.params},
    }
    if person is not None:
        shown: dict[str, Any] = {"id": person.pk, "url": f"/persons/{person.pk}"}
        if names:
            shown["v_number"] = person.v_number
            shown["name"] = f"{person.given_names} {person.surname}".strip()
        out["person"] = shown
    return out


def _page_args(params: dict[str, Any]) -> tuple[int, int, bool]:
    raw_page = params.get("page") or "1"
    raw_size = params.get("page_size") or str(PAGE_SIZE)
    page = whole_number(raw_page, "page", low=1, high=10_000)
    size = whole_number(raw_size, "page_size", low=1, high=MAX_PAGE_SIZE)
    unread = str(params.get("unread") or "").lower() in ("1", "true", "on")
    return page, size, unread


def inbox(
    actor: Actor, params: dict[str, Any], lang: str, day: date | None = None
) -> dict[str, Any]:
    """The actor's notifications, newest first, in ``lang``: only what the role may read now,
    about persons it may see now; audited as a read of the persons named."""
    refresh(actor, day or date.today())
    page, size, unread = _page_args(params)
    qs = Notification.objects.filter(recipient=actor.username)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    # Read a little more than a page: rows the reader may no longer see are dropped below.
    rows = list(qs.order_by("-id")[(page - 1) * size : page * size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    persons = {
        p.pk: p for p in Person.objects.filter(pk__in={r.person_id for r in rows if r.person_id})
    }
    visible = _visible_persons(actor, set(persons))
    names = actor.role.can("identity", "read")
    shown: list[dict[str, Any]] = []
    named: dict[str, list[tuple[int | None, str]]] = {}
    for n in rows:
        if not _allowed(actor, n.kind):
            continue
        person = None
        if n.person_id is not None:
            if n.person_id not in visible:
                continue  # the reader may no longer see this person: not told
            person = persons[n.person_id]
            if names:
                resource = "handover" if n.kind == HANDOVER else "procedure"
                named.setdefault(resource, []).append((person.pk, person.v_number))
        shown.append(_as_json(n, lang, person, names))
    if named:
        append(
            actor.audit,
            [
                Entry(
                    "notifications.read",
                    "read",
                    resource,
                    ("v_number", "given_names", "surname"),
                    subjects=tuple(dict.fromkeys(subjects)),
                )
                for resource, subjects in sorted(named.items())
            ],
        )
    return {
        "page": page,
        "page_size": size,
        "has_next": has_next,
        "unread": unread_count(actor.username),
        "days_ahead": days_of(actor.username),
        "results": shown,
    }


def unread_count(username: str) -> int:
    return Notification.objects.filter(recipient=username, read_at__isnull=True).count()


def mark_read(actor: Actor, notification_id: Any) -> dict[str, Any]:
    """Mark one of the actor's own notifications read (again: no change). Another's is
    answered as not found, like a row that does not exist."""
    pk = whole_number(notification_id, "notification", high=MAX_ID)
    row = Notification.objects.filter(pk=pk, recipient=actor.username).first()
    if row is None:
        raise NotFoundError(
            f"no notification {pk}",
            field="notification",
            rule="must be one of your own notifications",
            detail_nl=f"geen melding {pk}",
            rule_nl="moet een van uw eigen meldingen zijn",
        )
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    row.refresh_from_db()
    return {"id": row.pk, "read": True, "read_at": row.read_at.isoformat() if row.read_at else None}


def mark_all_read(actor: Actor) -> int:
    return Notification.objects.filter(recipient=actor.username, read_at__isnull=True).update(
        read_at=timezone.now()
    )
