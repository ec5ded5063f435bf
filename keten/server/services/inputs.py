"""Reading a command's input fields: texts, days, choices, the version a write is based on,
a BSN. Each refuses with the field and the rule, in English and Dutch, before anything is
written; the limits themselves are in ``bounds``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from keten.server.services.bounds import (
    EARLIEST_EVENT_DAY,
    check_text,
    day_within,
    latest_day,
    nl_day,
    parse_day,
)
from keten.server.services.errors import BadInputError, PreconditionRequiredError

# A text field holds a name or a code unless it is one of these, where a person writes
# sentences (line breaks allowed).
MULTILINE_FROM = 1000  # max_len at and above which a field is a multi-line text


def text(data: Mapping[str, Any], field: str, *, required: bool = True, max_len: int = 200) -> str:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInputError(field, "is required", "is verplicht")
        return ""
    if not isinstance(value, str):
        raise BadInputError(field, "must be a text", "moet tekst zijn")
    check_text(value, field, max_len=max_len, multiline=max_len >= MULTILINE_FROM)
    return value.strip()


def day(
    data: Mapping[str, Any],
    field: str,
    *,
    required: bool = True,
    earliest: date = EARLIEST_EVENT_DAY,
    latest: date | None = None,
) -> date | None:
    """A day within [earliest, latest] (default: the calendar's first day to ten years
    ahead)."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise BadInputError(field, "is required (YYYY-MM-DD)", "is verplicht (JJJJ-MM-DD)")
        return None
    if not isinstance(value, str):
        raise BadInputError(
            field, "must be a date written YYYY-MM-DD", "moet een datum zijn (JJJJ-MM-DD)"
        )
    check_text(value, field, max_len=10)
    parsed = parse_day(value, field)
    return day_within(parsed, field, earliest, latest or latest_day())


# Why a day after today is refused, for what happened (events, decisions, hand-overs).
NOT_PLANNED = (
    ": record it once it has happened; a planned appointment (a hearing next week) is not yet "
    "an event of the case",
    ": leg het vast als het gebeurd is; een geplande afspraak (een gehoor volgende week) is nog "
    "geen gebeurtenis in het dossier",
)


def happened(
    data: Mapping[str, Any],
    field: str,
    *,
    earliest: date = EARLIEST_EVENT_DAY,
    why: tuple[str, str] = NOT_PLANNED,
) -> date:
    """The day something happened: required, and not after today. A day ahead is a plan, and
    a plan is not recorded as what happened."""
    found = day(data, field, earliest=earliest)
    assert found is not None  # required
    today = date.today()
    if found > today:
        raise BadInputError(
            field,
            f"must not be after today ({today.isoformat()}){why[0]}",
            f"mag niet na vandaag ({nl_day(today)}) liggen{why[1]}",
        )
    return found


def choice(
    data: Mapping[str, Any], field: str, options: Mapping[str, Any] | tuple[str, ...]
) -> str:
    value = text(data, field, max_len=64)
    if value not in options:
        listed = ", ".join(sorted(options))
        raise BadInputError(
            field,
            f"{value!r} is not one of: {listed}",
            f"{value!r} is geen van: {listed}",
        )
    return value


def version(expected: int | None) -> int:
    if expected is None:
        raise PreconditionRequiredError(
            "writes must name the version they are based on",
            field="If-Match",
            rule="required: the current version of the dossier or procedure",
            detail_nl="een wijziging moet de versie noemen waarop zij voortbouwt",
            rule_nl="verplicht: de huidige versie van het dossier of de procedure",
        )
    return expected


def bsn(value: str) -> str | None:
    if not value:
        return None
    check_text(value, "bsn", max_len=9)
    try:
        return str(stdnum_bsn.validate(value))
    except StdnumError as exc:
        raise BadInputError(
            "bsn",
            f"{value!r} fails the elfproef ({exc})",
            f"{value!r} voldoet niet aan de elfproef",
        ) from None
