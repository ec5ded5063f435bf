"""A letter as it was made: the decision it belongs to, the template (id and version) and the
language it was written with, the HTML exactly as rendered and its SHA-256. Append-only (the
application refuses a change and a database trigger too, migration 0001): a corrected letter
is a new row, the old one stays as it was sent."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import AppendOnly, Decision, Recorded


class Letter(AppendOnly, Recorded):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    template_id = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField()
    language = models.CharField(max_length=2)
    html = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        indexes = (models.Index(fields=["decision", "id"], name="letter_of_decision"),)
