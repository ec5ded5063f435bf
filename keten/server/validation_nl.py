"""Dutch for the validation messages ``keten.rules`` passes on from pydantic ("Field
required", "Input should be a valid integer"): the rules library speaks English to its
callers, the server's pages speak Dutch (issue 16: "validation errors ('Field required')").

Matched by pattern on pydantic's own texts (pydantic 2's ``msg``); one not listed gets a plain
Dutch "ongeldige waarde" rather than the English."""

from __future__ import annotations

import re
from collections.abc import Callable

_Rewrite = Callable[[re.Match[str]], str]

PATTERNS: tuple[tuple[re.Pattern[str], _Rewrite], ...] = tuple(
    (re.compile(pattern), rewrite)
    for pattern, rewrite in (
        (r"^Field required$", lambda m: "is verplicht"),
        (r"^Extra inputs are not permitted$", lambda m: "is geen feit van deze regel"),
        (r"^Input should be a valid boolean", lambda m: "moet ja of nee zijn"),
        (r"^Input should be a valid integer", lambda m: "moet een geheel getal zijn"),
        (r"^Input should be a valid number", lambda m: "moet een getal zijn"),
        (r"^Input should be a valid decimal", lambda m: "moet een bedrag of getal zijn"),
        (r"^Input should be a valid date", lambda m: "moet een datum zijn (JJJJ-MM-DD)"),
        (r"^Input should be a valid string", lambda m: "moet tekst zijn"),
        (r"^Input should be a valid list", lambda m: "moet een lijst zijn"),
        (
            r"^Input should be (?:greater than or equal to|>=) (.+)$",
            lambda m: f"moet ten minste {m.group(1)} zijn",
        ),
        (
            r"^Input should be (?:less than or equal to|<=) (.+)$",
            lambda m: f"mag ten hoogste {m.group(1)} zijn",
        ),
        (r"^Input should be greater than (.+)$", lambda m: f"moet groter zijn dan {m.group(1)}"),
        (r"^Input should be less than (.+)$", lambda m: f"moet kleiner zijn dan {m.group(1)}"),
        (
            r"^Input should be (.+)$",
            lambda m: "moet een van deze zijn: " + m.group(1).replace(" or ", " of "),
        ),
        (
            r"^String should have at most (\d+) characters?$",
            lambda m: f"mag ten hoogste {m.group(1)} tekens lang zijn",
        ),
        (r"^Value error, (.+)$", lambda m: f"ongeldige waarde ({m.group(1)})"),
    )
)


def dutch(message: str) -> str:
    """The Dutch of one pydantic validation message."""
    for pattern, rewrite in PATTERNS:
        match = pattern.match(message)
        if match:
            return rewrite(match)
    return "ongeldige waarde"
