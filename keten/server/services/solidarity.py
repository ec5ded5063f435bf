"""The Netherlands' solidarity records (Reg. (EU) 2024/1351 art. 56-57) and their count
against its share of the annual pool.

The ministry records pledges to the pool and requests between member states, each with its
source and why; a change of state is a new record that supersedes the last (``models``). The
summary counts the standing pledges of a cycle in persons and euros, and in euros at the
reference amount per relocation (``keten.chain.solidarity_pool``), against the pool and the
Netherlands' share when the share is known; an unknown share is said to be unknown. No
personal data: reads are not audited, writes are (who changed what the Netherlands pledged).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from keten.chain import reference_key
from keten.chain import solidarity_pool as pool
from keten.chain.countries import Country, all_countries
from keten.rules.parameters import default_parameters
from keten.server.audit.log import Entry, append
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError, ConflictError, NotFoundError
from keten.server.services.inputs import choice, happened, text
from keten.server.services.policy import check
from keten.server.services.writing import reason_of, recorded
from keten.server.solidarity.models import SolidarityRecord

RESOURCE = "solidarity"
# The first cycle: the Pact applies from 12 June 2026 (seed 002).
FIRST_CYCLE = 2026
LAST_CYCLE = 2100
RECORD_TYPES = {"pledge": ("toezegging", "pledge"), "request": ("verzoek", "request")}
STATUSES: dict[str, dict[str, tuple[str, str]]] = {
    "pledge": {
        "pledged": ("toegezegd", "pledged"),
        "fulfilled": ("uitgevoerd", "fulfilled"),
        "withdrawn": ("ingetrokken", "withdrawn"),
    },
    "request": {
        "requested": ("gevraagd", "requested"),
        "accepted": ("aanvaard", "accepted"),
        "refused": ("geweigerd", "refused"),
        "fulfilled": ("uitgevoerd", "fulfilled"),
    },
}
# Pledges that count towards the share: made and not withdrawn.
COUNTED = ("pledged", "fulfilled")
MAX_PERSONS = 100_000
MAX_EUR = 10_000_000_000


def _counterpart(data: dict[str, Any], day: date, required: bool) -> str:
    code = text(data, "counterpart", required=required, max_len=2).upper()
    if not code:
        return ""
    members = default_parameters().value_at("countries.eu_member_states", day)
    if code not in members or code == "NL":
        raise BadInputError(
            "counterpart",
            f"{code!r} is not another EU member state (ISO 3166-1 alpha-2, e.g. IT)",
            f"{code!r} is geen andere lidstaat van de EU (ISO 3166-1 alpha-2, bijv. IT)",
        )
    return code


def _quantity(data: dict[str, Any], kind: str) -> tuple[int | None, int | None]:
    """Persons for a relocation or offset, euros for a financial or alternative measure; the
    other must be left out, so a record is never counted twice."""
    unit = pool.KINDS[kind][2]
    wanted, other = ("persons", "amount_eur") if unit == "persons" else ("amount_eur", "persons")
    if data.get(other) not in (None, ""):
        raise BadInputError(
            other,
            f"a {pool.KINDS[kind][1]} is counted in {wanted}, not {other}",
            f"een {pool.KINDS[kind][0]} telt in {'personen' if unit == 'persons' else 'euro'}"
            f", niet in {'euro' if unit == 'persons' else 'personen'}",
        )
    raw = data.get(wanted)
    if raw in (None, ""):
        raise BadInputError(wanted, "is required", "is verplicht")
    value = whole_number(raw, wanted, low=1, high=MAX_PERSONS if unit == "persons" else MAX_EUR)
    return (value, None) if unit == "persons" else (None, value)


def record(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Write a pledge or request, or a new state of one (``supersedes``: the id of its last
    record, which must still be the last)."""
    check(actor.role, RESOURCE, "write")
    cycle = whole_number(data.get("cycle"), "cycle", low=FIRST_CYCLE, high=LAST_CYCLE)
    record_type = choice(data, "record_type", RECORD_TYPES)
    kind = choice(data, "kind", pool.KINDS)
    status = choice(data, "status", STATUSES[record_type])
    persons, amount = _quantity(data, kind)
    day = happened(data, "day")
    counterpart = _counterpart(data, day, required=record_type == "request")
    source = text(data, "source", max_len=500)
    reason = reason_of(data)
    raw_previous = data.get("supersedes")
    previous_id = None if raw_previous in (None, "") else whole_number(raw_previous, "supersedes")

    def write() -> SolidarityRecord:
        previous = None
        if previous_id is not None:
            previous = SolidarityRecord.objects.select_for_update().filter(pk=previous_id).first()
            if previous is None:
                raise NotFoundError(
                    f"no solidarity record {previous_id}",
                    field="supersedes",
                    detail_nl=f"geen solidariteitsregistratie {previous_id}",
                )
            if (previous.cycle, previous.record_type) != (cycle, record_type):
                raise BadInputError(
                    "supersedes",
                    f"record {previous_id} is a {previous.record_type} of {previous.cycle}",
                    f"registratie {previous_id} is een "
                    f"{RECORD_TYPES[previous.record_type][0]} van {previous.cycle}",
                )
            successor = SolidarityRecord.objects.filter(supersedes=previous).first()
            if successor is not None:
                raise _superseded(previous_id, successor.pk)
        created = SolidarityRecord.objects.create(
            cycle=cycle,
            record_type=record_type,
            kind=kind,
            persons=persons,
            amount_eur=amount,
            counterpart=counterpart,
            status=status,
            day=day,
            source=source,
            supersedes=previous,
            **recorded(actor, reason),
        )
        append(
            actor.audit,
            [
                Entry(
                    "solidarity.record",
                    "write",
                    RESOURCE,
                    ("cycle", "record_type", "kind", "quantity", "counterpart", "status"),
                    object_ref=f"solidarity:{created.pk}",
                )
            ],
        )
        return created

    try:
        with transaction.atomic():
            created = write()
    except IntegrityError:  # another officer superseded it between our read and our write
        assert previous_id is not None
        raise _superseded(previous_id, None) from None
    return _row(created, current=True)


def _superseded(previous_id: int, successor: int | None) -> ConflictError:
    return ConflictError(
        f"record {previous_id} was already superseded"
        + (f" by record {successor}" if successor else ""),
        current_version=successor or 0,
        current={"supersedes": previous_id, "superseded_by": successor},
    )


def _by_alpha_2(code: str) -> Country | None:
    return next((c for c in all_countries() if c.alpha_2 == code), None)


def _row(r: SolidarityRecord, *, current: bool) -> dict[str, Any]:
    named = _by_alpha_2(r.counterpart) if r.counterpart else None
    kind_nl, kind_en, unit = pool.KINDS[r.kind]
    status_nl, status_en = STATUSES[r.record_type][r.status]
    return {
        "id": r.pk,
        "cycle": r.cycle,
        "record_type": r.record_type,
        "record_type_text": RECORD_TYPES[r.record_type][0],
        "record_type_text_en": RECORD_TYPES[r.record_type][1],
        "kind": r.kind,
        "kind_text": kind_nl,
        "kind_text_en": kind_en,
        "unit": unit,
        "persons": r.persons,
        "amount_eur": r.amount_eur,
        "counterpart": r.counterpart or None,
        "counterpart_name": named.name_nl if named else None,
        "counterpart_name_en": named.name_en if named else None,
        "status": r.status,
        "status_text": status_nl,
        "status_text_en": status_en,
        "day": r.day.isoformat(),
        "source": r.source,
        "supersedes": r.supersedes_id,
        "current": current,
        "recorded_by": r.recorded_by,
        "recorded_org": r.recorded_org,
        "recorded_at": r.recorded_at.isoformat(),
        "reason": r.reason,
    }


def overview(actor: Actor, cycle: int) -> dict[str, Any]:
    """A cycle's records (every row, the last of each chain marked current) and their count
    against the pool and the Netherlands' share."""
    check(actor.role, RESOURCE, "read")
    rows = list(SolidarityRecord.objects.filter(cycle=cycle).order_by("id"))
    superseded = {r.supersedes_id for r in rows if r.supersedes_id is not None}
    current = [r for r in rows if r.pk not in superseded]
    reference = pool.reference_amount()
    assert reference.value is not None  # shipped with a value
    per_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in current:
        if r.record_type != "pledge" or r.status not in COUNTED:
            continue
        quantity = r.persons if r.persons is not None else r.amount_eur or 0
        per_kind[r.kind]["pledged"] += quantity
        if r.status == "fulfilled":
            per_kind[r.kind]["fulfilled"] += quantity
    persons = sum(v["pledged"] for k, v in per_kind.items() if pool.KINDS[k][2] == "persons")
    euros = sum(v["pledged"] for k, v in per_kind.items() if pool.KINDS[k][2] == "eur")
    equivalent = euros + persons * reference.value
    requests: dict[str, int] = defaultdict(int)
    for r in current:
        if r.record_type == "request":
            requests[r.status] += 1
    found = pool.cycle(cycle)
    # The share by the Regulation's key, computed from the shipped figures (or what is missing
    # for it); shown next to the Council's figure, never in its place.
    key = reference_key.to_json(
        found.pool_relocations.value if found is not None else None,
        found.pool_financial_eur.value if found is not None else None,
    )
    share = found.share_eur if found is not None else None
    share_value = share.value if share is not None else None
    return {
        "cycle": cycle,
        "cycles": list(pool.cycles()),
        "reference_amount_eur": reference.to_json(),
        "pool": (
            {
                "relocations": found.pool_relocations.to_json(),
                "financial_eur": found.pool_financial_eur.to_json(),
            }
            if found is not None
            else None
        ),
        "share": (
            {
                "relocations": found.share_relocations.to_json(),
                "eur": found.share_eur.to_json(),
            }
            if found is not None
            else None
        ),
        "pledged": {
            kind: {"pledged": v["pledged"], "fulfilled": v["fulfilled"]}
            for kind, v in sorted(per_kind.items())
        },
        "pledged_persons": persons,
        "pledged_eur": euros,
        "pledged_equivalent_eur": equivalent,
        # Against the share in euros when the share is known; None says it is not.
        "share_remaining_eur": None if share_value is None else share_value - equivalent,
        "reference_key": key,
        "key_remaining_eur": None if key["eur"] is None else key["eur"] - equivalent,
        "requests": dict(sorted(requests.items())),
        "records": [_row(r, current=r.pk not in superseded) for r in reversed(rows)],
    }
