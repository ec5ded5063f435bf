"""The chain's state on a day as the forecast starts from it: each starting stock's open
procedures and their ages, counted in the database (``keten server forecast-state``).

Open on a day: begun by then (``started_on``) and not closed by then (no ``closed_on``, or one
after the day), so a past day is counted as it stood, not as it stands now. A procedure's age is
the time since it began: since lodging for an application, since the permit for a permit holder
waiting for a home, since the return decision for a departure.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from keten.forecast.start_state import STOCK_TYPES
from keten.server.dossiers.models import Procedure


def open_ages(on: date) -> dict[str, list[float]]:
    """Per forecast stock, the ages in weeks on ``on`` of the procedures open then."""
    open_then = Q(started_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    ages: dict[str, list[float]] = {}
    for stock, types in STOCK_TYPES.items():
        started = Procedure.objects.filter(open_then, procedure_type__in=types).values_list(
            "started_on", flat=True
        )
        # started_on__lte excludes the procedures without a start day
        ages[stock] = [
            (on - day).days / 7 for day in started.iterator(chunk_size=10_000) if day is not None
        ]
    return ages
