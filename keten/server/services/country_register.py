"""Reading the country register (``keten.chain.country_register``): every country on a day in
one line each, and one country's profile with its history, each fact with its source and the
register's version. Public sources, no personal data; who may read it is ``country_register``
in policy.yaml (every role)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from keten.chain import country_register as register
from keten.chain.countries import country as country_of
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, NotFoundError
from keten.server.services.policy import check

_CODE = re.compile(r"^[A-Z]{3}$")
MAX_QUERY = 100


def _header(on: date) -> dict[str, Any]:
    return {
        "on": on.isoformat(),
        "register_version": register.version(),
        "register": register.REF_PREFIX,
        # A country without an entry is unknown in that respect, never "no".
        "unknown_otherwise": True,
    }


def countries(actor: Actor, on: date, q: str = "") -> dict[str, Any]:
    """Every country on ``on``; ``q`` keeps those whose code or Dutch or English name holds it."""
    check(actor.role, "country_register", "read")
    wanted = " ".join(q.split()).casefold()
    if len(wanted) > MAX_QUERY:
        raise BadInputError(
            "q", f"at most {MAX_QUERY} characters", f"ten hoogste {MAX_QUERY} tekens"
        )
    rows = [
        r
        for r in register.overview(on)
        if not wanted
        or wanted in r["code"].casefold()
        or wanted in r["name_nl"].casefold()
        or wanted in r["name_en"].casefold()
    ]
    return {**_header(on), "q": q, "count": len(rows), "results": rows}


def country(actor: Actor, code: str, on: date) -> dict[str, Any]:
    """One country's profile on ``on`` with every entry the register holds for it."""
    check(actor.role, "country_register", "read")
    wanted = code.strip().upper()
    if not _CODE.match(wanted):
        raise BadInputError(
            "code",
            f"{code[:20]!r} is not an ISO 3166-1 alpha-3 code (three letters, e.g. MAR)",
            f"{code[:20]!r} is geen ISO 3166-1 alpha-3-code (drie letters, bijv. MAR)",
        )
    if country_of(wanted) is None:
        raise NotFoundError(
            f"no country with code {wanted}",
            field="code",
            rule="a code of ISO 3166-1 (or XKX for Kosovo)",
            detail_nl=f"geen land met code {wanted}",
            rule_nl="een code uit ISO 3166-1 (of XKX voor Kosovo)",
        )
    profile = register.profile(wanted, on)
    history = register.history(wanted) if profile["is_country"] else {}
    return {**profile, "history": history}
