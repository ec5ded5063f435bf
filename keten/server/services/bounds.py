"""The bounds every input is held to, in one place: sizes, depths, ranges and the characters a
text may hold. The API's parsing and the service layer both check against these, so a value
that would break a stored dossier for every later reader (a JSON value nested hundreds deep, a
NUL byte PostgreSQL cannot store, a day no calendar covers) is refused with the field and the
rule before anything is written.

Each limit says why it is where it is; a refusal names the limit in English and in Dutch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from keten.server.services.errors import BadInputError, PayloadTooLargeError
from keten.time.trail import nl_day as nl_day  # re-exported: the services quote days in Dutch

# Ids: PostgreSQL's bigint and SQLite's integer both end at 2**63 - 1; a larger number cannot
# name a row and made the database driver fail.
MAX_ID = 2**63 - 1

# A list's page numbers: at fifty rows a page, ten thousand pages is half a million rows, more
# than any queue holds; past it a page number is a typing error, not a request.
MAX_PAGE = 10_000

# Procedure events and decisions: the holiday calendar (data/calendar/nl_holidays.yaml) starts
# in 2000, and no deadline can be computed from an earlier day.
EARLIEST_EVENT_DAY = date(2000, 1, 1)
# Dossier records (documents, measures, placements, hand-overs) may be older: a permanent
# residence permit issued in 1985 is still in a file today.
EARLIEST_RECORD_DAY = date(1950, 1, 1)
# How far ahead a planned end or a document's validity may reach, and a reference day (``on``)
# may look: deadlines are computed up to five years past it, and the calendar ends in 2075.
YEARS_AHEAD = 10

# Request bodies: the largest legitimate body is a decision with a full rule trail, some tens of
# kilobytes; a megabyte leaves room for any of them and refuses a flood.
MAX_BODY_BYTES = 1_048_576
MAX_BODY_DEPTH = 32


class JsonLimit:
    """How large and how deep a stored JSON value may be."""

    def __init__(self, max_bytes: int, max_depth: int) -> None:
        self.max_bytes = max_bytes
        self.max_depth = max_depth


# The JSON fields a dossier stores. An event's values and a procedure's facts are flat
# (catalog/procedures/*.yaml declares them); a rule trail is a rule's outcome, whose checks
# nest conditions a few levels deep (the deepest rule's full outcome is under ten).
JSON_LIMITS: Mapping[str, JsonLimit] = {
    "data": JsonLimit(16_384, 8),
    "facts": JsonLimit(16_384, 8),
    "rule_trail": JsonLimit(262_144, 16),
}


def latest_day(today: date | None = None) -> date:
    """The last day a planned end, a document's validity or a reference day may name."""
    today = today or date.today()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def whole_number(raw: Any, field: str, *, low: int = 1, high: int = MAX_ID) -> int:
    """``raw`` (a query parameter's text, or a JSON number) as an int within [low, high]."""
    if isinstance(raw, bool):  # JSON's true is an int to Python: refused, not taken as 1
        raise BadInputError(field, "must be a whole number", "moet een geheel getal zijn")
    if isinstance(raw, str):
        text = raw.strip()
        digits = text.removeprefix("-")
        # ASCII only: "²" is a digit to isdigit() and no number to int().
        if not (digits.isascii() and digits.isdecimal()) or len(text) > 20:
            raise BadInputError(
                field,
                f"{_shown(raw)} is not a whole number",
                f"{_shown(raw)} is geen geheel getal",
            )
        value = int(text)
    elif isinstance(raw, int):
        value = raw
    else:
        raise BadInputError(field, "must be a whole number", "moet een geheel getal zijn")
    if not low <= value <= high:
        raise BadInputError(
            field,
            f"must be between {low} and {high}",
            f"moet tussen {low} en {high} liggen",
        )
    return value


def parse_day(raw: Any, field: str) -> date:
    """A day written YYYY-MM-DD, or a refusal naming the field."""
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise BadInputError(
            field,
            f"{_shown(raw)} is not a date (expected YYYY-MM-DD)",
            f"{_shown(raw)} is geen datum (verwacht JJJJ-MM-DD)",
        ) from None


def day_within(
    value: date, field: str, earliest: date, latest: date, *, why: tuple[str, str] = ("", "")
) -> date:
    """``value`` if it lies within [earliest, latest]; ``why`` (English, Dutch) follows the
    rule, e.g. what a day after today would mean."""
    if value < earliest:
        raise BadInputError(
            field,
            f"must not be before {earliest.isoformat()}{why[0]}",
            f"mag niet vóór {nl_day(earliest)} liggen{why[1]}",
        )
    if value > latest:
        raise BadInputError(
            field,
            f"must not be after {latest.isoformat()}{why[0]}",
            f"mag niet na {nl_day(latest)} liggen{why[1]}",
        )
    return value


def reference_day(raw: str | None, field: str = "on", today: date | None = None) -> date:
    """The day a read is made for (``?on=``): today by default; from the calendar's first year
    to ten years ahead, so that every deadline it shows can be computed."""
    today = today or date.today()
    if raw is None or raw == "":
        return today
    check_text(raw, field, max_len=10)
    return day_within(parse_day(raw, field), field, EARLIEST_EVENT_DAY, latest_day(today))


_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def check_text(value: str, field: str, *, max_len: int, multiline: bool = False) -> str:
    """A text as a person would type it: no NUL or other control characters (a newline only
    in a multi-line text), no half of a UTF-16 surrogate pair, at most ``max_len``
    characters. PostgreSQL cannot store NUL, and a lone surrogate cannot be written as UTF-8:
    both reached the database and failed there."""
    if len(value) > max_len:
        raise BadInputError(
            field,
            f"must be at most {max_len} characters",
            f"mag hoogstens {max_len} tekens lang zijn",
        )
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            raise BadInputError(
                field,
                "holds half of a UTF-16 surrogate pair, which is no character",
                "bevat een half UTF-16-surrogaatpaar, dat geen teken is",
            )
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in _ALLOWED_CONTROL):
            raise BadInputError(
                field,
                f"holds the control character U+{ord(ch):04X}"
                + ("" if multiline else " (a single line, without tabs or line breaks)"),
                f"bevat het stuurteken U+{ord(ch):04X}"
                + ("" if multiline else " (één regel, zonder tabs of regeleinden)"),
            )
    return value


# A query parameter is a name, a code, a day or a number: one short line.
MAX_PARAM_LENGTH = 200


def check_request(params: Iterable[tuple[str, list[str]]], ids: Mapping[str, Any]) -> None:
    """A request's query parameters (name, values) and the ids in its path, held to their
    bounds before a view runs: the API's and the pages' one check."""
    for name, values in params:
        for value in values:
            check_text(value, name[:MAX_PARAM_LENGTH], max_len=MAX_PARAM_LENGTH)
    for name, value in ids.items():
        if isinstance(value, int):
            whole_number(value, name)


def check_json(value: Any, field: str, limit: JsonLimit | None = None) -> Any:
    """A JSON value a dossier will store: within its field's size and depth
    (``JSON_LIMITS``), every text and key a text ``check_text`` accepts (multi-line allowed).
    Walked without recursion, so that the check itself cannot overflow the stack."""
    limit = limit or JSON_LIMITS[field]
    size = 0
    stack: list[tuple[Any, int, str]] = [(value, 1, field)]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, dict | list) and depth > limit.max_depth:
            raise BadInputError(
                field,
                f"is nested more than {limit.max_depth} levels deep (at {where})",
                f"is dieper dan {limit.max_depth} niveaus genest (bij {where})",
            )
        if isinstance(item, dict):
            size += 2
            for key, sub in item.items():
                if not isinstance(key, str):
                    raise BadInputError(where, "keys must be texts", "sleutels moeten tekst zijn")
                check_text(key, f"{where}.{key}"[:200], max_len=200)
                size += len(key) + 3
                stack.append((sub, depth + 1, f"{where}.{key}"))
        elif isinstance(item, list):
            size += 2
            stack.extend((sub, depth + 1, f"{where}[{i}]") for i, sub in enumerate(item))
        elif isinstance(item, str):
            check_text(item, where, max_len=limit.max_bytes, multiline=True)
            size += len(item.encode("utf-8")) + 2
        elif isinstance(item, bool) or item is None:
            size += 5
        elif isinstance(item, int):
            if abs(item) > MAX_ID:
                raise BadInputError(
                    where,
                    f"must lie between -{MAX_ID} and {MAX_ID}",
                    f"moet tussen -{MAX_ID} en {MAX_ID} liggen",
                )
            size += 20
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                raise BadInputError(where, "must be a finite number", "moet een eindig getal zijn")
            size += 24
        else:
            raise BadInputError(where, "is not a JSON value", "is geen JSON-waarde")
        if size > limit.max_bytes:
            raise BadInputError(
                field,
                f"must be at most {limit.max_bytes} bytes as JSON",
                f"mag als JSON hoogstens {limit.max_bytes} bytes groot zijn",
            )
    return value


def too_large(size: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"the request body is {size} bytes; at most {MAX_BODY_BYTES} are accepted",
        field="body",
        rule=f"at most {MAX_BODY_BYTES} bytes",
        detail_nl=f"het verzoek is {size} bytes groot; hoogstens {MAX_BODY_BYTES} worden aanvaard",
        rule_nl=f"hoogstens {MAX_BODY_BYTES} bytes",
    )


def _shown(raw: Any) -> str:
    """A refused value quoted in the message, shortened: the message must not carry a
    megabyte back, nor the control characters it was refused for."""
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."
