"""Reading who a procedure is assigned to (writing comes with the queue's bulk actions)."""

from __future__ import annotations

from collections.abc import Iterable

from keten.server.workqueue.models import CurrentAssignment


def current_assignees(procedure_ids: Iterable[int]) -> dict[int, str]:
    """The username each of these procedures is assigned to; unassigned ones are absent."""
    ids = list(procedure_ids)
    if not ids:
        return {}
    rows = CurrentAssignment.objects.filter(procedure_id__in=ids).values_list(
        "procedure_id", "assignee"
    )
    return dict(rows)
