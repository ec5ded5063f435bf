"""The dossier's tables.

Truth is append-only: procedure events, dossier events (every change to a person, with who,
when and why), decisions, hand-overs and protected records are never updated or deleted
(database triggers refuse it, see migration 0002). Columns marked *cache* are derived by
``keten.chain.summary`` from the events and rewritten in the same transaction as each event.
``version`` columns carry optimistic concurrency: every write names the version it read.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from keten.server.organisations.models import Organisation


class AppendOnly(models.Model):
    """Rows of truth: saved once, never changed from application code either."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{type(self).__name__} is append-only")


class Recorded(models.Model):
    """Who recorded a row, for which organisation and role, when, and why."""

    recorded_by = models.CharField(max_length=150)
    recorded_org = models.CharField(max_length=64)
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True


class Person(models.Model):
    v_number = models.CharField(max_length=10, unique=True)
    given_names = models.CharField(max_length=200)
    surname = models.CharField(max_length=200)
    sex = models.CharField(max_length=1, default="x")
    birth_date = models.CharField(max_length=10)  # YYYY-MM-DD, 00 for unknown parts
    nationality = models.CharField(max_length=3)  # ICAO alpha-3, XXA stateless, XXX unknown
    bsn = models.CharField(max_length=9, null=True, blank=True, unique=True)
    unaccompanied_minor = models.BooleanField(default=False)
    abroad = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # --- search keys, derived from the names by keten.chain.names (person_search.write_keys)
    # and rewritten wherever a name is written: the folded name (SearchName.name, how the
    # search reaches persons) and the parts' skeletons sorted (the duplicate check's key) ---
    search_name = models.CharField(max_length=400, blank=True, default="")
    search_skeleton = models.CharField(max_length=400, blank=True, default="")
    # Set once when the person is merged into another (services/person_duplicates.py): the dossier
    # stays, read through the survivor; search no longer lists it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        indexes = (
            models.Index(fields=["surname", "given_names"]),
            models.Index(fields=["search_skeleton", "birth_date"], name="person_dup_key"),
            models.Index(fields=["search_name"], name="person_search_name"),
        )

    def __str__(self) -> str:
        return f"{self.v_number} {self.surname}"


class SearchName(models.Model):
    """Cache: each distinct folded name of the register (``Person.search_name``) once. The
    search matches a query against these, not against every person: names repeat (families,
    common names), so the candidates are few names, then their persons by an index."""

    name = models.CharField(max_length=400, unique=True)


class SearchNameKey(models.Model):
    """Cache: one row per part of a distinct name (as written and canonical) and per
    skeleton ("#omr"), so that a query part finds its names through an index on every
    database (keten.chain.names). Written once with the name; never changes."""

    name = models.ForeignKey(SearchName, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    class Meta:
        indexes = (models.Index(fields=["key", "name"], name="search_name_key"),)


class DuplicateDecision(AppendOnly, Recorded):
    """A reviewer's decision on a pair the duplicate check found: ``merged`` (``person`` was
    merged into ``other``) or ``distinct`` (two people; the pair leaves the review queue)."""

    DECISIONS = (("merged", "merged"), ("distinct", "distinct"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=DECISIONS)


class FamilyLink(AppendOnly, Recorded):
    RELATIONS = (("partner", "partner"), ("parent", "parent"))
    parent_or_partner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=16, choices=RELATIONS)
    # Both sides are looked up (a person's family): the foreign keys' own indexes serve.


class DossierEvent(AppendOnly, Recorded):
    """Every change to a dossier outside procedure events: registration, corrections, family
    links, measures, placements, documents, hand-overs; ``payload`` holds what changed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dossier_events")
    kind = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)

    class Meta:
        indexes = (models.Index(fields=["person", "id"]),)


class Procedure(models.Model):
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    procedure_type = models.CharField(max_length=64)
    facts = models.JSONField(default=dict, blank=True)
    municipality = models.CharField(max_length=64, null=True, blank=True)  # taakstelling
    subject = models.CharField(max_length=200, null=True, blank=True)  # e.g. the company
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # --- cache, derived from the events (keten.chain.summary) ---
    queue = models.CharField(max_length=64)  # organisation kind whose work queue holds it
    team = models.CharField(max_length=64, blank=True)
    priority = models.PositiveSmallIntegerField(default=2)  # keten.chain.priority.Priority
    deadline_id = models.CharField(max_length=64, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, default="not_started")
    closed_on = models.DateField(null=True, blank=True)
    regime = models.CharField(max_length=32, null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    dwangsom_first_day = models.DateField(null=True, blank=True)
    dwangsom_last_day = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=64, blank=True, default="")  # latest event's kind
    # An appeal, interim relief or higher appeal names the decision it contests, once, when it
    # is lodged: the court's outcome on it is what "instandhouding" counts (seed 003).
    contests = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="contested_by"
    )

    class Meta:
        indexes = (
            # Reports over a period (keten.reports): what came in and what was handled per type.
            models.Index(fields=["procedure_type", "started_on"], name="report_intake"),
            models.Index(fields=["procedure_type", "closed_on"], name="report_handled"),
            # The work queue: open procedures of one queue/team by Pact priority, then deadline.
            # It carries the rest of a page row too (PostgreSQL), so that a page reads only its
            # persons from the tables: the rows' own reads were 40 % of the page's database
            # time (docs/benchmarks.md, server).
            models.Index(
                fields=["queue", "team", "priority", "due", "id"],
                name="queue_team_order",
                condition=models.Q(status__in=["open", "suspended", "not_started"]),
                include=[
                    "person",
                    "procedure_type",
                    "status",
                    "deadline_id",
                    "dwangsom_first_day",
                    "dwangsom_last_day",
                    "regime",
                    "version",
                    "stage",
                ],
            ),
            models.Index(
                fields=["queue", "priority", "due", "id"],
                name="queue_order",
                condition=models.Q(status__in=["open", "suspended", "not_started"]),
            ),
            models.Index(
                fields=["queue", "dwangsom_first_day"],
                name="queue_dwangsom",
                condition=models.Q(dwangsom_first_day__isnull=False),
            ),
            # A person's procedures: the foreign key's own index serves.
        )


class ProcedureEvent(AppendOnly, Recorded):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=64)
    day = models.DateField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=["procedure", "day"]),
            # Reports count events of one kind over a period (notices of default, judgments).
            models.Index(fields=["kind", "day"], name="report_event_kind_day"),
        )


class Decision(AppendOnly, Recorded):
    """A decision on a procedure with the rule trail that supported it (``keten.rules``
    outcome JSON, or the officer's own grounds when no rule was run)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="decisions")
    event = models.OneToOneField(ProcedureEvent, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=64)
    grounds = models.TextField(blank=True)
    decided_on = models.DateField()
    rule_trail = models.JSONField(default=list, blank=True)


class Measure(Recorded):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=32)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)


class Location(models.Model):
    """A place where the chain houses or holds people: an azc, an emergency or crisis location,
    an amv small-scale unit, the family location, the application centres, the closed family
    facility, a detention centre. ``kind`` is one of the location kinds of
    ``data/reception/location_kinds.yaml`` (what each allows: who may be placed, for how long).
    Its capacity over time is the step function of its ``CapacityChange`` rows; ``closes`` is
    set when a closing is recorded, after which nobody is placed there."""

    code = models.CharField(max_length=64, unique=True)  # e.g. "azc-ter-apel"
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    operator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    municipality = models.CharField(max_length=64)  # where it lies, e.g. "westerwolde"
    province = models.CharField(max_length=64)  # the region occupancy is summed over
    opened = models.DateField()
    closes = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CapacityChange(AppendOnly, Recorded):
    """From ``valid_from`` on, the location has ``places`` places of which ``reserve`` are held
    back (COA's reserve capacity, seed 001 4.1: "daarnaast wordt eventuele reservecapaciteit
    ingezet"). An opening, an expansion (temporary ones come as two rows), a reduction, a
    closing (places 0): each a row with who, when and why, never rewritten."""

    CHANGES = (
        ("opening", "opening"),
        ("expansion", "expansion"),
        ("reduction", "reduction"),
        ("closing", "closing"),
        ("reserve", "reserve changed"),
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="capacity")
    change = models.CharField(max_length=16, choices=CHANGES)
    valid_from = models.DateField()
    places = models.PositiveIntegerField()
    reserve = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        indexes = (models.Index(fields=["location", "valid_from", "id"]),)


class Placement(Recorded):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(max_length=32)
    location = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    municipality = models.CharField(max_length=64, null=True, blank=True)
    # The registered location (COA, Nidos small-scale units, DJI); None for a municipal home
    # or a foster family, whose ``location`` is its free-text description.
    site = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    # Placed although the location was full, said so explicitly by the one who placed.
    overcapacity = models.BooleanField(default=False)

    class Meta:
        indexes = (
            models.Index(fields=["kind", "end"], name="placement_occupancy"),
            # Occupancy per location: the running placements of each site.
            models.Index(
                fields=["site", "end"],
                name="placement_site_occupancy",
                condition=models.Q(site__isnull=False),
            ),
        )


class ResidenceDocument(Recorded):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=32)
    number = models.CharField(max_length=32)
    issued = models.DateField()
    valid_until = models.DateField(null=True, blank=True)


class Handover(AppendOnly, Recorded):
    """A hand-over between organisations; the receiving organisation gets an access grant."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handovers")
    kind = models.CharField(max_length=32)
    from_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    note = models.TextField(blank=True)


class ProtectedRecord(AppendOnly, Recorded):
    """Asylum motives and 1F findings: the most sensitive parts of a dossier, each its own
    resource in the policy so that e.g. COA never sees them."""

    CATEGORIES = (("asylum_motive", "asylum motive"), ("finding_1f", "1F finding"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="protected")
    category = models.CharField(max_length=16, choices=CATEGORIES)
    text = models.TextField()


class SupportOffer(AppendOnly, Recorded):
    """Return and reintegration support offered to a person: by IOM under REAN (a ticket, a
    cash contribution, reintegration support in kind) or by DTenV. ``amount_eur`` is the
    offer's value in whole euros where it has one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_offers")
    kind = models.CharField(max_length=32)
    programme = models.CharField(max_length=32, blank=True)
    amount_eur = models.PositiveIntegerField(null=True, blank=True)
    offered_on = models.DateField()
    note = models.TextField(blank=True)


class Withdrawal(AppendOnly, Recorded):
    """A mistaken entry withdrawn: the correcting record naming what it withdraws (``resource``
    and ``record_id``: a procedure event, a decision, a measure, a placement, a hand-over or a
    support offer) and why (``reason``). The withdrawn row stays as it was, shown as
    withdrawn; derived state, deadlines, occupancy and access follow as if it had not been
    recorded (``services/withdrawals.py``). A record is withdrawn once, and a withdrawal is
    not itself withdrawn: a record entered again is entered anew."""

    RESOURCES = (
        ("event", "procedure event"),
        ("decision", "decision"),
        ("measure", "measure"),
        ("placement", "placement"),
        ("handover", "hand-over"),
        ("support_offer", "support offer"),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="withdrawals")
    resource = models.CharField(max_length=16, choices=RESOURCES)
    record_id = models.BigIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["resource", "record_id"], name="withdrawn_once"),
        )
        # A person's withdrawals are read with the dossier: the foreign key's index serves.


class AccessGrant(models.Model):
    """Need-to-know as rows: an organisation whose role is scoped to 'granted' persons sees a
    person because of a hand-over, its registration, or a running placement or measure,
    written in the same transaction. Ending the last placement or measure that gave it
    (policy.yaml ``grants``) deletes the row in the ending's transaction, and the daily sweep
    (``keten server expire-grants``) deletes it once a planned end day has passed, when no
    hand-over or registration holds it; the dossier event ``access_withdrawn`` keeps the
    history."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=64)
    since = models.DateField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["organisation", "person"], name="grant_unique"),
        )


class CacheState(models.Model):
    """What the stored procedures' cache columns were computed from: a fingerprint of the
    catalogue, the calendar, the dwangsom regimes and the queue policy (one row,
    ``services/cache_refresh.py``). When it differs from the running code's, the queues and
    the dashboard may show columns computed under the old rules."""

    name = models.CharField(primary_key=True, max_length=64)
    fingerprint = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now=True)
