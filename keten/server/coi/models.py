"""A country-of-origin report as registered (or received from the Belgian partner), the
events that end its force (superseded by a later one), and the citations of a decision that
relied on it. All three are append-only: a correction is a new row, never an edit, so what a
decision cited stays as it was on the decision day (migration 0001 adds database triggers)."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import AppendOnly, Decision, Recorded


class CoiDocument(AppendOnly, Recorded):
    country = models.CharField(max_length=3)  # ISO 3166-1 alpha-3 (XKX for Kosovo)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)  # keten.server.coi.kinds.DOCUMENT_KINDS
    published_on = models.DateField()
    # The last day the publisher says it holds, when it says so; a later report usually ends
    # it instead, through a ``superseded`` event.
    valid_until = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=500)  # URL or document number
    summary = models.TextField()
    language = models.CharField(max_length=2)
    # Whether it may be sent to the Belgian partner (CGVS): a public report may, a report
    # with restricted annexes or received under conditions may not.
    shareable = models.BooleanField(default=False)
    # Set when the document came from a partner's Keten (its organisation code and its own
    # id there), empty for one registered here.
    received_from = models.CharField(max_length=64, blank=True, default="")
    received_ref = models.CharField(max_length=64, blank=True, default="")
    # A shipped sample whose day or title could not be confirmed says so (data/coi/).
    verified = models.BooleanField(default=True)
    source_note = models.TextField(blank=True, default="")

    class Meta:
        indexes = (models.Index(fields=["country", "published_on"], name="coi_country_day"),)
        # A partner's message delivered twice stores one document.
        constraints = (
            models.UniqueConstraint(
                fields=["received_from", "received_ref"],
                condition=~models.Q(received_from=""),
                name="coi_received_once",
            ),
        )


class CoiDocumentEvent(AppendOnly, Recorded):
    """What happened to a document after it was registered: ``superseded`` by a later one
    from ``day`` on."""

    KINDS = (("superseded", "superseded"),)

    document = models.ForeignKey(CoiDocument, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=KINDS)
    day = models.DateField()
    superseded_by = models.ForeignKey(
        CoiDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class CoiCitation(AppendOnly, Recorded):
    """A decision relied on a document. ``day`` is the decision day; the confirmations say
    that the officer knowingly cited a report of another country than the person's
    nationality, or one no longer in force on that day."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="coi_citations")
    document = models.ForeignKey(CoiDocument, on_delete=models.PROTECT, related_name="citations")
    day = models.DateField()
    other_country_confirmed = models.BooleanField(default=False)
    not_in_force_confirmed = models.BooleanField(default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["decision", "document"], name="coi_cited_once"),
        )
