"""How long an exchange message keeps its body, and the erasure after that (the idle worker's
timer ``exchange-retention``; AVG art. 5 lid 1 onder e, storage limitation).

The periods are data (``data/exchange/retention.yaml``, per kind, with their source). After its
period a closed message's body (the person, the question, the answer) is replaced by a marker
holding the SHA-256 of the erased body and the fields its kind keeps (an answer's outcome and
the request it answers). Everything else stays: the row, its dates and status, the envelope's
ids, references, legal basis, key id and signature, the receipt. Both sides' audit records
still resolve to a message (``object_ref`` ``exchange:<message id>``), and a copy of the body
shown later can be checked against the hash. Each erasure is an audit record of its own.

A message is erased only when nothing more is owed on it: a request once answered, partly
answered or refused (counted from the answer), an answer from its receipt (or, where it was
written, from its delivery), shared information once taken over. An open request, a message
not yet delivered (its envelope must still verify at the partner) and information not taken
over keep their bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from keten._data import data_path
from keten._yaml import YamlLoader
from keten.server.audit.log import Entry, append
from keten.server.exchange import envelope
from keten.server.exchange.models import DELIVERED, OPEN, InboxMessage, OutboxMessage
from keten.server.services.exchange import RESOURCE, TAKEN_OVER, is_erased, system_context
from keten.server.services.exchange_kinds import KINDS

RETENTION_FILE = ("exchange", "retention.yaml")
PURPOSE = "urn:keten:verwerking:uitwisseling:bewaartermijn"
BATCH = 200  # rows per table per run: the timer comes back while there is more


@dataclass(frozen=True)
class Retention:
    kind: str
    period: timedelta | None  # None: kept (no personal data)
    keep: tuple[str, ...]
    source: str
    verified: bool


class RetentionDataError(ValueError):
    pass


@cache
def periods() -> dict[str, Retention]:
    """The periods per kind, refused when a kind of the registry has none (a new kind must
    say how long it is kept before it can be sent)."""
    import yaml

    raw = yaml.load(data_path(*RETENTION_FILE).read_text(encoding="utf-8"), Loader=YamlLoader)
    out: dict[str, Retention] = {}
    for kind, spec in (raw.get("kinds") or {}).items():
        if kind not in KINDS:
            raise RetentionDataError(f"retention.yaml names unknown kind {kind!r}")
        days = spec.get("days")
        if days is not None and (not isinstance(days, int) or days < 1):
            raise RetentionDataError(f"retention.yaml: {kind}.days must be a whole number >= 1")
        out[kind] = Retention(
            kind,
            None if days is None else timedelta(days=days),
            tuple(spec.get("keep") or ()),
            str(spec["source"]),
            bool(spec["verified"]),
        )
    missing = sorted(set(KINDS) - set(out))
    if missing:
        raise RetentionDataError(f"retention.yaml says nothing about kinds {missing}")
    return out


def erased_body(body: dict[str, Any], rule: Retention, at: datetime) -> dict[str, Any]:
    return {
        "erased": {
            "at": envelope.timestamp(at),
            "body_sha256": envelope.digest(body),
            "after_days": rule.period.days if rule.period else None,
        },
        **{k: body[k] for k in rule.keep if k in body},
    }


def _not_erased(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.exclude(envelope__body__has_key="erased")


def _due_inbox(kind: str, cutoff: datetime) -> QuerySet[InboxMessage]:
    rows = _not_erased(InboxMessage.objects.filter(kind=kind))
    spec = KINDS[kind]
    if spec.is_answer:
        return rows.filter(received_at__lt=cutoff)
    if spec.informs:
        return rows.filter(status=TAKEN_OVER, answered_at__lt=cutoff)
    return rows.exclude(status=OPEN).filter(answered_at__lt=cutoff)


def _due_outbox(kind: str, cutoff: datetime) -> QuerySet[OutboxMessage]:
    rows = _not_erased(OutboxMessage.objects.filter(kind=kind, status=DELIVERED))
    spec = KINDS[kind]
    if spec.is_answer or spec.informs:
        return rows.filter(delivered_at__lt=cutoff)
    # A request is closed when the partner's answer arrived here (the inbox keeps when).
    answered = InboxMessage.objects.filter(
        in_reply_to=OuterRef("message_id"), received_at__lt=cutoff
    )
    return rows.exclude(outcome="").filter(Exists(answered))


def _erase(model: type[InboxMessage] | type[OutboxMessage], pk: int, rule: Retention) -> bool:
    """One row's body erased with its audit record, in one transaction; False when another
    worker erased it first."""
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or is_erased(row.envelope):
            return False
        now = timezone.now()
        env = dict(row.envelope)
        env["body"] = erased_body(dict(env.get("body") or {}), rule, now)
        model.objects.filter(pk=pk).update(envelope=env)
        box = "inbox" if model is InboxMessage else "outbox"
        append(
            system_context(purpose=PURPOSE),
            [
                Entry(
                    "exchange.erased",
                    "write",
                    RESOURCE,
                    (f"{box}.body",),
                    object_ref=f"exchange:{row.message_id}",
                )
            ],
        )
    return True


def erase_expired(now: datetime | None = None) -> int:
    """Erase the bodies of closed messages older than their kind's period (the idle worker's
    timer), at most ``BATCH`` rows per kind and table. Returns how many were erased: while it
    is more than none the worker runs its timers again at once, so a backlog goes in batches."""
    now = now or timezone.now()
    erased = 0
    for rule in periods().values():
        if rule.period is None:
            continue
        cutoff = now - rule.period
        for model, due in (
            (InboxMessage, _due_inbox(rule.kind, cutoff)),
            (OutboxMessage, _due_outbox(rule.kind, cutoff)),
        ):
            for pk in list(due.order_by("pk").values_list("pk", flat=True)[:BATCH]):
                erased += _erase(model, pk, rule)
    return erased
