"""Support offers (``SupportOffer``): what IOM offers a person for return and reintegration
(kind, programme, amount in whole euros, day offered). Added through ``records.add_record`` like
every dossier record (who, when, why; the audit record), read with the dossier, withdrawn as
mistaken through ``corrections``. The vocabulary and the amount's bound are in
``keten.chain.support_offers`` with their sources."""

from __future__ import annotations

from typing import Any

from keten.chain.support_offers import MAX_AMOUNT_EUR, PROGRAMMES, SUPPORT_KINDS, WITH_AMOUNT
from keten.server.services.actor import Actor
from keten.server.services.bounds import EARLIEST_EVENT_DAY, whole_number
from keten.server.services.errors import BadInputError
from keten.server.services.inputs import choice, happened, text


def offer_input(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """The checked values of a support offer; BadInputError names the field and the rule."""
    kind = choice(data, "kind", SUPPORT_KINDS)
    programme = choice(data, "programme", PROGRAMMES)
    raw = data.get("amount_eur")
    amount: int | None = None
    if raw not in (None, ""):
        if kind not in WITH_AMOUNT:
            raise BadInputError(
                "amount_eur",
                f"a {kind} has no amount in euros (only {', '.join(sorted(WITH_AMOUNT))})",
                f"een {SUPPORT_KINDS[kind].nl.lower()} heeft geen bedrag in euro's (alleen "
                f"{', '.join(sorted(WITH_AMOUNT))})",
            )
        amount = whole_number(raw, "amount_eur", low=1, high=MAX_AMOUNT_EUR)
    elif kind == "cash_contribution":
        raise BadInputError(
            "amount_eur",
            "is required for a cash contribution (whole euros)",
            "is verplicht bij een financiële bijdrage (hele euro's)",
        )
    return {
        "kind": kind,
        "programme": programme,
        "amount_eur": amount,
        "offered_on": happened(data, "offered_on", earliest=EARLIEST_EVENT_DAY),
        "note": text(data, "note", required=False, max_len=2000),
    }


def offer_json(r: Any, base: dict[str, Any]) -> dict[str, Any]:
    kind = SUPPORT_KINDS.get(r.kind)
    programme = PROGRAMMES.get(r.programme)
    return {
        **base,
        "kind": r.kind,
        "kind_text": kind.nl if kind else r.kind,
        "kind_text_en": kind.en if kind else r.kind,
        "programme": r.programme,
        "programme_text": programme.nl if programme else r.programme,
        "amount_eur": r.amount_eur,
        "offered_on": r.offered_on.isoformat(),
        "note": r.note,
    }
