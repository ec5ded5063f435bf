"""Loading the generated chain (``keten.chain.sample``) into the dossier tables.

For the demo and the tests: a few hundred to a few thousand persons through the ORM with
``bulk_create``. The rows are generated, never an officer's work, and are recorded as written
by the account ``SAMPLE_ACCOUNT`` (README, docs/workday.md say so). Their reasons read as a
Dutch case worker writes them (issue 16: the demo said "synthetic sample data" on every row),
one per kind of record. The benchmark loads a million persons with COPY instead
(``benchmarks/server.py``) and fills the same columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import transaction

from keten.chain.court import DECIDED_AGAIN
from keten.chain.sample import SampleHousehold, generate_chain
from keten.chain.sample_locations import SAMPLE_LOCATIONS, capacities, opened, staying_on
from keten.server.dossiers.models import (
    AccessGrant,
    CapacityChange,
    Decision,
    DossierEvent,
    FamilyLink,
    Handover,
    Location,
    Measure,
    Person,
    Placement,
    Procedure,
    ProcedureEvent,
    ResidenceDocument,
    SupportOffer,
)
from keten.server.organisations.models import Organisation
from keten.server.services import person_search
from keten.server.services.access import HANDOVER_REASON, running_grant
from keten.server.services.appeals import MEASURE_PREFIX
from keten.server.services.derived import refresh

# Who wrote the generated rows: one account of its own, so that they can be told from an
# officer's (tests select them by it), named as the data's origin reads in a dossier.
SAMPLE_ACCOUNT = "gegevensmigratie"
SAMPLE = {
    "recorded_by": SAMPLE_ACCOUNT,
    "recorded_org": "keten",
    "recorded_role": "migratie",
    "reason": "overgenomen uit het dossier bij de aansluiting op Keten",
}

# The reason on each kind of generated record, as an officer would have written it.
REASONS = {
    "capacity": "capaciteit volgens de locatieplanning",
    "registered": "aanmelding en registratie in het aanmeldcentrum",
    "family": "gezinsrelatie vastgesteld bij het aanmeldgehoor",
    "reporting_duty": "meldplicht opgelegd na het vertrekgesprek (art. 54 Vw)",
    "freedom_restriction": "vrijheidsbeperkende maatregel opgelegd (art. 56 Vw)",
    "detention": "inbewaringstelling na gehoor: risico op onttrekking (art. 59 Vw)",
    "placement": "plaatsing volgens de bezettingsplanning",
    "document": "verblijfsdocument uitgereikt na inwilliging",
    "handover": "overdracht volgens de werkafspraken in de keten",
    "support_offer": "ondersteuning aangeboden in het vertrekgesprek",
    "event": "vastgelegd bij de behandeling van de aanvraag",
    "decision": "besluit na beoordeling van het dossier en het gehoor",
}


def _by(kind: str) -> dict[str, str]:
    """The recorded who/why of a generated row of ``kind`` (a key of ``REASONS``)."""
    return {**SAMPLE, "reason": REASONS[kind]}


def ensure_organisations() -> None:
    from keten.server.services.policy import policy

    for org in policy().organisations:
        Organisation.objects.update_or_create(
            code=org["code"], defaults={"kind": org["kind"], "name": org["name"]}
        )


@transaction.atomic
def load(persons: int, on: date, seed: int = 0) -> dict[str, int]:
    """The whole sample in one transaction: an interrupted setup leaves no half of it, which
    the next setup (finding persons) would have kept without a word."""
    ensure_organisations()
    counts = {"persons": 0, "procedures": 0}
    sites = _locations(on)
    occupied: Counter[str] = Counter()
    batch: list[SampleHousehold] = []
    for hh in generate_chain(persons, on, seed):
        batch.append(hh)
        if len(batch) >= 200:
            _load_batch(batch, counts, on, sites, occupied)
            batch = []
    if batch:
        _load_batch(batch, counts, on, sites, occupied)
    _capacities(sites, occupied, on)
    return counts


def _locations(on: date) -> dict[str, Location]:
    """The sample's location register (``keten.chain.sample_locations``); a second sample in
    the same database (tests load more than one) finds it there."""
    sites: dict[str, Location] = {}
    for loc in SAMPLE_LOCATIONS:
        sites[loc.code], _ = Location.objects.get_or_create(
            code=loc.code,
            defaults={
                "name": loc.name,
                "kind": loc.kind,
                "operator_id": loc.operator,
                "municipality": loc.municipality,
                "province": loc.province,
                "opened": opened(loc, on),
            },
        )
    return sites


def _capacities(sites: dict[str, Location], occupied: Counter[str], on: date) -> None:
    """Capacity rows sized to who stays where on ``on``, written once per register."""
    if CapacityChange.objects.filter(location__in=sites.values()).exists():
        return
    CapacityChange.objects.bulk_create(
        [
            CapacityChange(
                location=sites[row.code],
                change=row.change,
                valid_from=row.valid_from,
                places=row.places,
                reserve=row.reserve,
                note=row.note,
                **_by("capacity"),
            )
            for row in capacities(occupied, on)
        ]
    )


@transaction.atomic
def _load_batch(
    households: Iterable[SampleHousehold],
    counts: dict[str, int],
    on: date,
    sites: dict[str, Location],
    occupied: Counter[str],
) -> None:
    households = list(households)
    key_to_person: dict[int, Person] = {}
    people = [p for hh in households for p in hh.persons]
    created = Person.objects.bulk_create(
        [
            Person(
                v_number=p.v_number,
                given_names=p.given_names,
                surname=p.surname,
                sex=p.sex,
                birth_date=str(p.birth_date),
                nationality=p.nationality,
                bsn=p.bsn,
                unaccompanied_minor=p.unaccompanied_minor,
                abroad=p.abroad,
            )
            for p in people
        ]
    )
    # Backends without RETURNING leave the ids unset; the stubs type a saved row's pk as int.
    first_pk: int | None = created[0].pk if created else None
    if created and first_pk is None:
        by_v = dict(
            Person.objects.filter(v_number__in=[p.v_number for p in people]).values_list(
                "v_number", "pk"
            )
        )
        for obj in created:
            obj.pk = by_v[obj.v_number]
    for sp, obj in zip(people, created, strict=True):
        key_to_person[sp.key] = obj
    person_search.write_keys(created)
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(person=obj, kind="registered", payload={}, **_by("registered"))
            for obj in created
        ]
    )
    grants: dict[tuple[int, str], AccessGrant] = {}
    for hh in households:
        FamilyLink.objects.bulk_create(
            [
                FamilyLink(
                    parent_or_partner=key_to_person[link.a],
                    other=key_to_person[link.b],
                    relation=link.relation,
                    **_by("family"),
                )
                for link in hh.links
            ]
        )
        measures = []
        for m in hh.measures:
            measures.append(
                Measure.objects.create(
                    person=key_to_person[m.person],
                    kind=m.kind,
                    start=m.start,
                    end=m.end,
                    **_by(m.kind),
                )
            )
            _grant(grants, key_to_person[m.person], "measure", m.kind, None, m.start, m.end, on)
        for pl in hh.placements:
            Placement.objects.create(
                person=key_to_person[pl.person],
                kind=pl.kind,
                location=pl.location,
                start=pl.start,
                end=pl.end,
                municipality=pl.municipality,
                site=sites[pl.site] if pl.site is not None else None,
                **_by("placement"),
            )
            if pl.site is not None and staying_on(pl.start, pl.end, on):
                occupied[pl.site] += 1
            _grant(
                grants,
                key_to_person[pl.person],
                "placement",
                pl.kind,
                pl.municipality,
                pl.start,
                pl.end,
                on,
            )
        for d in hh.documents:
            ResidenceDocument.objects.create(
                person=key_to_person[d.person],
                kind=d.kind,
                number=d.number,
                issued=d.issued,
                valid_until=d.valid_until,
                **_by("document"),
            )
        for h in hh.handovers:
            Handover.objects.create(
                person=key_to_person[h.person],
                kind=h.kind,
                from_org_id=h.from_org,
                to_org_id=h.to_org,
                day=h.day,
                note=h.note,
                **_by("handover"),
            )
            reason = f"{HANDOVER_REASON}{h.kind}"
            _hold(grants, key_to_person[h.person], h.to_org, reason, h.day)
        SupportOffer.objects.bulk_create(
            [
                SupportOffer(
                    person=key_to_person[o.person],
                    kind=o.kind,
                    programme=o.programme,
                    amount_eur=o.amount_eur,
                    offered_on=o.offered_on,
                    **_by("support_offer"),
                )
                for o in hh.support_offers
            ]
        )
        _procedures(hh, key_to_person, measures, counts)
    existing = set(
        AccessGrant.objects.filter(person__in=created).values_list("person_id", "organisation_id")
    )
    AccessGrant.objects.bulk_create([g for k, g in grants.items() if k not in existing])
    counts["persons"] += len(created)


def _procedures(
    hh: SampleHousehold,
    key_to_person: dict[int, Person],
    measures: list[Measure],
    counts: dict[str, int],
) -> None:
    """A household's procedures with their events and decisions. The court's procedures name
    what they contest by sample key (keten.chain.sample_court): the contested procedure's
    first decision, or the household's detention measure; a decision again names the court
    procedure after which it came. Those keys become the ids assigned here: the procedures
    first, then their events and decisions, then each court procedure's ``contests``."""
    by_key: dict[int, Procedure] = {}
    for sproc in hh.procedures:
        person = key_to_person.get(sproc.person) if sproc.person is not None else None
        if sproc.person is not None and person is None:
            person = Person.objects.get(v_number=f"{2000000000 + sproc.person:010d}")
        subject = sproc.subject
        if sproc.link is not None and sproc.link.measure is not None:
            subject = f"{MEASURE_PREFIX}{measures[sproc.link.measure].pk}"
        by_key[sproc.key] = Procedure.objects.create(
            person=person,
            procedure_type=sproc.procedure_type,
            facts=sproc.facts,
            municipality=sproc.municipality,
            subject=subject,
        )
    first_decision: dict[int, Decision] = {}
    for sproc in hh.procedures:
        proc = by_key[sproc.key]
        events = []
        for e in sproc.events:
            data = dict(e.data)
            if e.kind == DECIDED_AGAIN:
                data["after"] = by_key[int(data["after"])].pk
            events.append(
                ProcedureEvent.objects.create(
                    procedure=proc, kind=e.kind, day=e.day, data=data, **_by("event")
                )
            )
        decisions = [sproc.decision] if sproc.decision is not None else []
        for sd in [*decisions, *sproc.again]:
            after = by_key[sd.after].pk if sd.after is not None else None
            stop = next(
                ev
                for ev in events
                if ev.day == sd.day
                and ev.kind == sd.kind
                and (after is None or ev.data.get("after") == after)
            )
            made = Decision.objects.create(
                procedure=proc,
                event=stop,
                outcome=sd.outcome,
                grounds=sd.grounds,
                decided_on=sd.day,
                rule_trail=[],
                **_by("decision"),
            )
            first_decision.setdefault(sproc.key, made)
        refresh(proc, list(sproc.events))
        counts["procedures"] += 1
    for sproc in hh.procedures:
        if sproc.link is not None and sproc.link.contests is not None:
            Procedure.objects.filter(pk=by_key[sproc.key].pk).update(
                contests=first_decision[sproc.link.contests]
            )


def _grant(
    grants: dict[tuple[int, str], AccessGrant],
    person: Person,
    resource: str,
    kind: str,
    municipality: str | None,
    start: date,
    end: date | None,
    on: date,
) -> None:
    """The grant a measure or placement running on ``on`` gives (policy.yaml ``grants``), as
    ``commands.add_record`` writes it."""
    basis = running_grant(resource, kind, municipality, end, on)
    if basis is not None:
        _hold(grants, person, basis[0], basis[1], start)


def _hold(
    grants: dict[tuple[int, str], AccessGrant], person: Person, org: str, reason: str, since: date
) -> None:
    key = (person.pk, org)
    if key not in grants:
        grants[key] = AccessGrant(person=person, organisation_id=org, reason=reason, since=since)
