"""What every shared message body is checked for first, whatever it carries (a COI report, a
flight programme, a joint request): its kind and format version, no field its kind does not
have, and the sender's id of each thing it names. One reading, so the kinds refuse alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from keten.server.services.errors import BadInputError

MAX_SOURCE_ID = 64  # the receiving side stores it in a column of this width


def checked(
    body: Any, kind: str, version: int, keys: Iterable[str], field: str = "kind"
) -> dict[str, Any]:
    """``body`` as an object of ``kind`` in ``version`` with only ``keys`` besides those two;
    a field too many is refused under ``field``."""
    if not isinstance(body, dict) or body.get("kind") != kind:
        raise BadInputError("kind", f"must be {kind}", f"moet {kind} zijn")
    if body.get("version") != version:
        raise BadInputError(
            "version",
            f"must be {version} (this server reads no other)",
            f"moet {version} zijn (deze server leest geen andere)",
        )
    extra(body, {*keys, "kind", "version"}, field, kind)
    return body


def extra(
    found: dict[str, Any], keys: Iterable[str], field: str, kind: str, prefix: str = ""
) -> None:
    """Refuse, naming them, the fields of ``found`` that are not ``keys``: nothing rides
    along that the kind does not say it carries."""
    unknown = sorted(f"{prefix}{str(k)[:40]}" for k in set(found) - set(keys))
    if unknown:
        names = ", ".join(unknown)
        raise BadInputError(
            field,
            f"carries fields a {kind} does not have: {names}",
            f"bevat velden die een {kind} niet heeft: {names}",
        )


def source_id(item: dict[str, Any], what_en: str, what_nl: str) -> str:
    """The sender's id of the thing an item names: the receiver keeps it to take it once."""
    source = item.get("source_id")
    if not isinstance(source, str) or not 0 < len(source) <= MAX_SOURCE_ID:
        raise BadInputError(
            "source_id",
            f"must be the sender's id of the {what_en} (1 to {MAX_SOURCE_ID} characters)",
            f"moet het id van {what_nl} bij de afzender zijn (1 tot {MAX_SOURCE_ID} tekens)",
        )
    return source
