"""The Netherlands' solidarity records under Reg. (EU) 2024/1351 art. 56-57: pledges to the
annual pool and requests between member states (relocations, financial contributions, offsets
of Dublin responsibility, alternative measures). No personal data: figures and counterparts.

Append-only (the application refuses a change and a database trigger too, migration 0001): a
pledge that is fulfilled or withdrawn, or a request that is accepted or refused, is a new row
that names the row it ``supersedes``, with who, when and why; the chain's last row is the
record's state. A row is superseded at most once (a unique constraint), so two officers
changing the same record cannot both succeed.
"""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import AppendOnly, Recorded


class SolidarityRecord(AppendOnly, Recorded):
    cycle = models.PositiveSmallIntegerField()  # the calendar year of the pool's cycle
    record_type = models.CharField(max_length=16)  # pledge | request
    kind = models.CharField(max_length=16)  # keten.chain.solidarity_pool.KINDS
    persons = models.PositiveIntegerField(null=True, blank=True)  # relocations, offsets
    amount_eur = models.PositiveBigIntegerField(null=True, blank=True)  # financial, alternative
    counterpart = models.CharField(max_length=2, blank=True)  # member state, ISO alpha-2
    status = models.CharField(max_length=16)
    day = models.DateField()  # when the pledge, request or change was made
    source = models.CharField(max_length=500)  # the document it rests on
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        indexes = (models.Index(fields=["cycle", "id"], name="solidarity_cycle"),)
