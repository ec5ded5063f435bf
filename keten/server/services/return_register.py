"""Reading the return-cooperation register (``keten.chain.return_cooperation``): per country
and day, what a source says of its cooperation on return, with the register's version. No
personal data; who may read it is ``return_cooperation`` in policy.yaml."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.chain import return_cooperation as register
from keten.chain.countries import country as country_of
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check


def countries(actor: Actor, on: date, country: str = "") -> dict[str, Any]:
    check(actor.role, "return_cooperation", "read")
    code = country.strip().upper()
    if code and (country_of(code) is None or len(code) != 3):
        raise BadInputError(
            "country",
            f"{code!r} is not an ISO 3166-1 alpha-3 code (e.g. MAR)",
            f"{code!r} is geen ISO 3166-1 alpha-3-code (bijv. MAR)",
        )
    shown = register.on(on, code or None)
    return {
        "on": on.isoformat(),
        "register_version": register.version(),
        "register": "data/return/cooperation.csv",
        "general": {"quote": register.GENERAL[0], "source": register.GENERAL[1]},
        # A country without an entry is unknown: the register holds only what a source says.
        "unknown_otherwise": True,
        "results": [e.to_json() for e in shown],
        "history": [e.to_json() for e in register.entries() if not code or e.country == code],
    }
