"""Assignment of a procedure to a person: the history and its cache."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import AppendOnly, Procedure, Recorded


class Assignment(AppendOnly, Recorded):
    """One assignment (or, with an empty ``assignee``, a release back to the team's queue)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    assignee = models.CharField(max_length=150, blank=True)  # a username; "" = unassigned

    class Meta:
        indexes = (models.Index(fields=["procedure", "id"], name="assignment_history"),)


class CurrentAssignment(models.Model):
    """Cache of the latest ``Assignment`` per procedure (absent when unassigned)."""

    procedure = models.OneToOneField(
        Procedure, on_delete=models.PROTECT, primary_key=True, related_name="assignment"
    )
    assignee = models.CharField(max_length=150)
    assigned_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = (models.Index(fields=["assignee"], name="assignment_assignee"),)
