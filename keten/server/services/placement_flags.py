"""Flags a placement carries on every read, computed and never stored: a stay that outlasts
the maximum of its location's kind (a crisis stay past 7 days, seed 001 4.1: "max. 7 dagen
opvang in bijv. lokale sporthallen"), with the source of the maximum."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.chain.locations import LOCATION_OF_PLACEMENT, overstay
from keten.server.services.bounds import nl_day


def overstay_flag(
    kind: str, site_kind: str | None, start: date, end: date | None, on: date
) -> dict[str, Any] | None:
    """The flag of a placement of ``kind`` at a location of ``site_kind`` (None: entered as
    free text, counted against the one location kind that takes ``kind``, if there is one)
    from ``start`` to ``end``, as it stands on ``on``; None when no maximum is exceeded."""
    where = site_kind or LOCATION_OF_PLACEMENT.get(kind)
    if where is None:
        return None
    over = overstay(where, start, on, end)
    if over is None:
        return None
    return {
        "max_days": over.max_days,
        "since": over.since.isoformat(),
        "days": over.days,
        "text": f"verblijf van {over.days} dagen: boven het maximum van {over.max_days} "
        f"dagen sinds {nl_day(over.since)}",
        "text_en": f"a stay of {over.days} days: over the maximum of {over.max_days} days "
        f"since {over.since.isoformat()}",
        "source": {"seed": over.source.seed, "quote": over.source.quote},
    }
