"""The one counting rule of occupancy: who stays at a registered location on a day.

A person occupies a place at a location on ``on`` when a placement at that location started on
or before ``on``, has not ended by then (``access.running``: no end, or an end after ``on``) and
was not withdrawn as mistaken. The capacity check of a new placement and every occupancy figure
count with this rule, so that the register and the pages never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, QuerySet

from keten.server.dossiers.models import Placement
from keten.server.services import withdrawals
from keten.server.services.access import running


def staying(on: date, site_ids: Iterable[int] | None = None) -> QuerySet[Placement]:
    """The placements that hold a place at a registered location on ``on``."""
    rows = Placement.objects.filter(running(on), site__isnull=False, start__lte=on)
    if site_ids is not None:
        rows = rows.filter(site_id__in=list(site_ids))
    return withdrawals.standing("placement", rows)


def occupied(on: date, site_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Persons staying at each location on ``on`` (locations without anyone are absent)."""
    counts = staying(on, site_ids).values("site_id").annotate(n=Count("id")).order_by()
    return {row["site_id"]: row["n"] for row in counts}
