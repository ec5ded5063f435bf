"""A realistic synthetic chain at any size: households, family links, every procedure type.

Used by ``keten demo`` (a few hundred persons in SQLite) and ``benchmarks/server.py`` (a million
persons in PostgreSQL), so it streams: :func:`generate_chain` yields one household at a time
with its persons, family links, procedures with dated events, decisions, measures, placements,
residence documents and hand-overs. The paths follow the chain as seed 001 describes it: asylum
(with Dublin, border, crisis reception, appeal, departure, detention, nareis, outflow to a
municipality), regular migration (mvv, residence, naturalisation, adoption, complaint) and the
organisation-level procedures (taakstelling, recognised sponsorship). Frequencies are
illustrative, not calibrated, except the outflow of permit holders and the departure caseload
(see the constants below); names are invented from small lists and belong to nobody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from keten.catalog.derive import Event, FactValue
from keten.catalog.loader import load_catalog
from keten.catalog.model import ProcedureType, main_deadline
from keten.chain.countries import STATELESS, UNKNOWN_NATIONALITY
from keten.chain.housing_quota import HalfYear
from keten.chain.identity import PartialDate
from keten.chain.sample_court import (
    UPHELD_ASYLUM,
    UPHELD_REGULAR,
    CourtLink,
    CourtSide,
    SampleDecision,
)
from keten.chain.sample_locations import site_for
from keten.time.periods import add_months


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Asylum nationalities, roughly the inflow mix of recent years; stateless and unknown included.
ASYLUM_NATIONALITIES = {
    "SYR": 30,
    "AFG": 12,
    "ERI": 10,
    "TUR": 10,
    "IRQ": 6,
    "YEM": 5,
    "SOM": 5,
    "IRN": 4,
    "MAR": 3,
    "DZA": 3,
    "NGA": 2,
    "GEO": 2,
    STATELESS: 4,
    UNKNOWN_NATIONALITY: 4,
}
REGULAR_NATIONALITIES = {"IND": 30, "TUR": 15, "CHN": 15, "USA": 12, "GBR": 10, "MAR": 10}
EU_NATIONALITIES = {"POL": 60, "ROU": 40}

GIVEN = {
    "m": "Ahmad Omar Yusuf Karim Samir Tesfay Dawit Ali Hassan Reza Emre Ravi Wei John Tomasz Ion",
    "f": "Amina Fatima Layla Selam Hiwet Mariam Zahra Noor Elif Priya Li Mary Anna Ioana Sara Rana",
}
SURNAMES = _words(
    "Al-Hassan Haidari Tesfamariam Yilmaz Kareem Al-Ahmadi Warsame Moradi Benali Okafor "
    "Beridze Sharma Zhang Miller Smith Kowalski Popescu Haddad Rahimi Ghebremedhin Demir Khalil"
)

COA_LOCATIONS = (
    "azc Ter Apel",
    "azc Budel",
    "azc Gilze",
    "azc Zwolle",
    "azc Almere",
    "azc Den Helder",
    "noodopvang Amsterdam",
    "noodopvang Utrecht",
)
MUNICIPALITIES = ("amsterdam", "rotterdam", "utrecht", "groningen", "eindhoven", "tilburg")
COMPANIES = ("Techno BV", "Zorg Groep NV", "Universiteit Leiden", "ASML", "Philips", "Booking")

# Two paths are calibrated rather than illustrative, because their queues are a planner's whole
# day and an empty or always-on-time queue would show COA and DTenV nothing like their work.
#
# Permit holders wait for housing far beyond the 14-week norm: "Tegelijkertijd verblijven 12.000
# vergunninghouders in de opvang waarvan 7.000 vergunninghouders langer dan de afgesproken 14
# weken na vergunningverlening" (seed 001, p. 45); the forecast starts from the same picture
# (data/forecast/baseline.yaml, permit_holders_waiting: 45 % under 14 weeks, 45 % 14-52, 10 %
# 52-104). Times from permit to leaving reception drawn lognormal with a median of 220 days
# and sigma 0.6 give a waiting stock aged 43 / 46 / 11 % in those bands (20,000 persons,
# seed 7; tests/chain/test_sample.py holds it to the seed's share).
OUTFLOW_MEDIAN_DAYS = 220
OUTFLOW_SIGMA = 0.6
OUTFLOW_MIN_DAYS = 8 * 7  # matching plus the fastest tenancy (baseline.yaml housing.min_weeks)
MATCHING_MEDIAN_DAYS = 21  # the norm is two weeks (phase 1); no figure for the actual time
MATCHING_SIGMA = 0.5
# DTenV's caseload leaves at yearly rates: 3,240 left independently, 2,750 were removed and
# 5,740 left without supervision in 2024 (tk-2025-departures in data/forecast/baseline.yaml),
# over an assumed caseload of 20,000. The ending event is drawn in the same proportions.
DEPARTURE_ENDINGS_PER_YEAR = {
    "departed_independently": 3240 / 20000,
    "removed": 2750 / 20000,
    "absconded": 5740 / 20000,
}
ENDINGS = frozenset(DEPARTURE_ENDINGS_PER_YEAR)
NO_COUNTRY = frozenset({STATELESS, UNKNOWN_NATIONALITY})
# Within those endings, how the person left (keten/chain/departure_kinds.py) is derived from
# the person's key, not drawn, so that every other figure of the generator stays as it was:
# an independent departure of a person referred to IOM (REAN) is one with IOM's support; a
# removal is escorted for every other person. Assumption: no source gives the escorted share.
ESCORTED_EVERY = 2
# IOM's file for a referral (voluntary_return): applied a week after the referral, the IND
# consulted a week later, support granted and the flight booked before the departure. The
# intervals are assumptions (Vc A3/5.1 names the steps, not their length).
IOM_STEP_DAYS = 7


@dataclass
class SamplePerson:
    key: int
    v_number: str
    given_names: str
    surname: str
    sex: str  # m | f | x
    birth_date: PartialDate
    nationality: str
    bsn: str | None = None
    unaccompanied_minor: bool = False
    abroad: bool = False  # a family member abroad (nareis, mvv)


@dataclass
class SampleLink:
    a: int
    b: int
    relation: str  # partner | parent (a is the parent of b)


@dataclass
class SampleProcedure:
    key: int
    person: int | None
    procedure_type: str
    events: list[Event]
    facts: dict[str, FactValue] = field(default_factory=dict)
    decision: SampleDecision | None = None
    municipality: str | None = None  # organisation-level procedures (taakstelling)
    subject: str | None = None  # e.g. the company of a recognised-sponsor application
    # The court's side (keten.chain.sample_court): what a court procedure contests, and the
    # decisions again on an original procedure after a well-founded appeal or a withdrawal.
    link: CourtLink | None = None
    again: list[SampleDecision] = field(default_factory=list)


@dataclass
class SampleMeasure:
    person: int
    kind: str
    start: date
    end: date | None


@dataclass
class SamplePlacement:
    person: int
    kind: str
    location: str
    start: date
    end: date | None
    municipality: str | None = None
    site: str | None = None  # the registered location's code (keten.chain.sample_locations)


def _move(hh: SampleHousehold, person: int, day: date) -> None:
    """A person moves on ``day``: the placements they still hold end that day."""
    for placement in hh.placements:
        if placement.person == person and placement.end is None and placement.start <= day:
            placement.end = day


@dataclass
class SampleDocument:
    person: int
    kind: str
    number: str
    issued: date
    valid_until: date | None


@dataclass
class SampleHandover:
    person: int
    kind: str
    from_org: str
    to_org: str
    day: date
    note: str


@dataclass
class SampleSupportOffer:
    person: int
    kind: str  # keten.chain.support_offers.SUPPORT_KINDS
    programme: str
    offered_on: date
    amount_eur: int | None = None  # no source gives an amount: the sample records none


@dataclass
class SampleHousehold:
    persons: list[SamplePerson] = field(default_factory=list)
    links: list[SampleLink] = field(default_factory=list)
    procedures: list[SampleProcedure] = field(default_factory=list)
    measures: list[SampleMeasure] = field(default_factory=list)
    placements: list[SamplePlacement] = field(default_factory=list)
    documents: list[SampleDocument] = field(default_factory=list)
    handovers: list[SampleHandover] = field(default_factory=list)
    support_offers: list[SampleSupportOffer] = field(default_factory=list)


# The Pact's regulations apply from this day: applicants arriving then are screened first.
PACT_APPLIES = date(2026, 6, 12)


class _Gen:
    def __init__(self, on: date, seed: int) -> None:
        self.on = on
        self.rng = np.random.default_rng(seed)
        self.catalog = load_catalog()
        self.person_key = 0
        self.procedure_key = 0
        self.document_no = 0
        self._nat_cache: dict[int, tuple[list[str], np.ndarray[Any, Any]]] = {}
        self.given = {k: v.split() for k, v in GIVEN.items()}
        # Permit holders housed per municipality and half-year, for quotas of a realistic size.
        self.housed: Counter[tuple[str, HalfYear]] = Counter()
        self.court = CourtSide(seed, on)  # its own random stream: the rest stays as it was

    # -- small helpers ---------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def pick(self, options: dict[str, int]) -> str:
        key = id(options)
        if key not in self._nat_cache:
            names = list(options)
            weights = np.array([options[n] for n in names], dtype=float)
            self._nat_cache[key] = (names, weights / weights.sum())
        names, p = self._nat_cache[key]
        return names[int(self.rng.choice(len(names), p=p))]

    def one(self, seq: tuple[str, ...] | list[str]) -> str:
        return seq[int(self.rng.integers(len(seq)))]

    def days_ago(self, low: int, high: int) -> date:
        return self.on - timedelta(days=int(self.rng.integers(low, high)))

    def placed(
        self, m: SamplePerson, kind: str, location: str, start: date, household: int
    ) -> SamplePlacement:
        """A placement of ``m`` at the registered location the sample's ``location`` name and
        the household stand for (no draw from the random stream), named as in the register."""
        site = site_for(kind, location, household, m.nationality, start, self.on)
        if site is None:
            return SamplePlacement(m.key, kind, location, start, None)
        return SamplePlacement(m.key, kind, site.name, start, None, site=site.code)

    def person(
        self, nationality: str, age: int, sex: str | None = None, **extra: Any
    ) -> SamplePerson:
        self.person_key += 1
        sex = sex or ("m" if self.chance(0.6) else "f")
        year = self.on.year - age
        # Partly unknown birth dates are common for asylum seekers without documents.
        roll = self.rng.random()
        if roll < 0.08:
            birth = PartialDate(year, 0, 0)
        elif roll < 0.12:
            birth = PartialDate(year, int(self.rng.integers(1, 13)), 0)
        else:
            birth = PartialDate(year, int(self.rng.integers(1, 13)), int(self.rng.integers(1, 29)))
        if birth.earliest() > self.on:
            birth = PartialDate(year - 1, birth.month, birth.day)
        return SamplePerson(
            key=self.person_key,
            v_number=f"{2000000000 + self.person_key:010d}",
            given_names=self.one(self.given[sex if sex in self.given else "m"]),
            surname=self.one(SURNAMES),
            sex=sex,
            birth_date=birth,
            nationality=nationality,
            **extra,
        )

    def bsn(self, key: int) -> str:
        base = 100000000 + (key * 7919) % 800000000
        for bump in range(20):
            digits = f"{(base + bump * 10) // 10:08d}"[-8:]
            total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
            check = total % 11
            if check < 10:
                return digits + str(check)
        raise AssertionError("unreachable: some bump always yields a check digit")

    def doc(self, hh: SampleHousehold, person: int, kind: str, issued: date, years: int) -> None:
        self.document_no += 1
        until = issued + timedelta(days=365 * years) if years else None
        hh.documents.append(SampleDocument(person, kind, f"N{self.document_no:08d}", issued, until))

    def procedure(
        self,
        hh: SampleHousehold,
        person: int | None,
        pid: str,
        start: date,
        *,
        decide: str | None = None,
        facts: dict[str, FactValue] | None = None,
        **extra: Any,
    ) -> SampleProcedure:
        """Events of one procedure from its main deadline: start, sometimes an extension or a
        suspension, a stop (decision) when it came before ``on``, else maybe a notice of
        default. ``decide``: the outcome when the stop event is a decision."""
        pt = self.catalog[pid]
        main = main_deadline(pt)
        kinds = {e.kind for e in pt.events}
        root = self._root_event(pt)
        start = min(max(start, pt.in_force_from), self.on)
        events = [Event(root, start)]
        if root != "lodged" and "lodged" in kinds and main.start.deadline is not None:
            events.append(Event("lodged", start + timedelta(days=int(self.rng.integers(3, 25)))))
        regime_kind = pt.regime_events[0] if pt.regime_events else None
        if regime_kind and regime_kind != root:
            events.append(Event(regime_kind, start))
        length = main.length.approx_days()
        if main.extensions and self.chance(0.15):
            ext = main.extensions[0]
            events.append(Event(ext.event, start + timedelta(days=int(length * 0.6))))
            length += ext.length.approx_days()
        if main.suspensions and self.chance(0.1):
            susp = main.suspensions[0]
            begin = start + timedelta(days=int(length * 0.3))
            events.append(Event(susp.start, begin))
            if self.chance(0.8):
                events.append(
                    Event(susp.end, begin + timedelta(days=int(self.rng.integers(5, 40))))
                )
                length += 20
        pace = PACE.get(pid, 0.8)
        took = timedelta(days=int(self.rng.lognormal(np.log(max(length, 2) * pace), 0.45)))
        decision = None
        if main.stop and start + took <= self.on and decide != "open":
            stop = main.stop[0]
            day = start + took
            events.append(Event(stop, day))
            if stop == "decided" and decide:
                decision = SampleDecision(day, decide, _GROUNDS.get(pid, "Vw 2000"))
        elif pt.dwangsom and self.chance(0.3):
            notice = start + timedelta(days=int(length) + int(self.rng.integers(3, 40)))
            if notice <= self.on:
                events.append(Event(pt.dwangsom.notice_event, notice))
        return self._add(hh, person, pid, events, facts or {}, decision, **extra)

    def _add(
        self,
        hh: SampleHousehold,
        person: int | None,
        pid: str,
        events: list[Event],
        facts: dict[str, FactValue] | None = None,
        decision: SampleDecision | None = None,
        **extra: Any,
    ) -> SampleProcedure:
        self.procedure_key += 1
        proc = SampleProcedure(
            self.procedure_key,
            person,
            pid,
            # Nothing is known of the future: events after ``on`` are not generated.
            sorted((e for e in events if e.day <= self.on), key=lambda e: e.day),
            facts or {},
            decision,
            **extra,
        )
        hh.procedures.append(proc)
        return proc

    def screening(
        self, hh: SampleHousehold, person: int, arrived: date, unaccompanied_minor: bool
    ) -> SampleProcedure:
        """The screening of an applicant who arrived under the Pact, inland by the IND: the
        checks on the days after arrival, registered within the five days. Drawn from no random
        stream, so the rest of the sample stays as it was; checks after ``on`` are not yet done."""
        events = [
            Event("application_made", arrived),
            Event("started", arrived),
            Event("identity_checked", (arrived + timedelta(days=1)), {"established": True}),
            Event("security_checked", (arrived + timedelta(days=1)), {"danger": False}),
            Event("health_checked", (arrived + timedelta(days=1))),
            Event(
                "vulnerability_checked",
                (arrived + timedelta(days=2)),
                {"vulnerable": False, "needs_guarantees": False},
            ),
            Event("completed", (arrived + timedelta(days=2))),
            Event("registered", (arrived + timedelta(days=3))),
        ]
        if unaccompanied_minor:  # "krijgen amv's bij aanvang van de screening een voogd van Nidos"
            events.append(Event("guardian_assigned", arrived))
        return self._add(hh, person, "screening", events, facts={"external_border": False})

    def outflow(self, hh: SampleHousehold, person: int, granted: date) -> SampleProcedure:
        """A permit holder's way out of reception: matched by COA, a lease, moved out, at the
        pace of the calibration above (most wait well past the norm)."""
        total = max(
            OUTFLOW_MIN_DAYS, int(self.rng.lognormal(np.log(OUTFLOW_MEDIAN_DAYS), OUTFLOW_SIGMA))
        )
        matching = int(self.rng.lognormal(np.log(MATCHING_MEDIAN_DAYS), MATCHING_SIGMA))
        matched = granted + timedelta(days=min(max(matching, 1), total - 42))
        moved = granted + timedelta(days=total)
        lease = moved - timedelta(days=int(self.rng.integers(0, 15)))
        events = [
            Event("permit_granted", granted),
            Event("matched", matched),
            Event("lease_start", max(lease, matched)),
            Event("moved_out", moved),
        ]
        return self._add(hh, person, "permit_holder_outflow", events)

    def departure(self, hh: SampleHousehold, person: int, decided: date) -> SampleProcedure:
        """A return decision, then DTenV's caseload until the person leaves, is removed or
        leaves without supervision, at the yearly rates above."""
        endings = list(DEPARTURE_ENDINGS_PER_YEAR)
        rates = np.array([DEPARTURE_ENDINGS_PER_YEAR[k] for k in endings])
        stays = int(self.rng.exponential(365 / rates.sum()))
        ending = endings[int(self.rng.choice(len(endings), p=rates / rates.sum()))]
        handed = decided + timedelta(days=int(self.rng.integers(1, 15)))
        events = [
            Event("return_decision", decided),
            Event("handed_over", handed),
            Event(ending, max(handed, decided + timedelta(days=stays))),
        ]
        return self._add(hh, person, "departure", events)

    def describe_departure(
        self, hh: SampleHousehold, m: SamplePerson, dep: SampleProcedure, referred: date | None
    ) -> None:
        """How and where to the person left (the ending event's data), and for a referral to
        IOM its voluntary-return file and support offers. Draws no random numbers."""
        ending = dep.events[-1] if dep.events and dep.events[-1].kind in ENDINGS else None
        destination = {"destination": m.nationality} if m.nationality not in NO_COUNTRY else {}
        supported = False
        if ending is not None:
            data: dict[str, Any] = {}
            if ending.kind == "departed_independently":
                supported = referred is not None and ending.day >= referred + timedelta(
                    days=4 * IOM_STEP_DAYS
                )
                data = {"support": "iom_rean", **destination} if supported else {"support": "none"}
            elif ending.kind == "removed":
                data = {"escorted": m.key % ESCORTED_EVERY == 0, **destination}
            dep.events[-1] = Event(ending.kind, ending.day, data)
        if referred is None:
            return
        applied = referred + timedelta(days=IOM_STEP_DAYS)
        if applied > self.on or (ending is not None and ending.day < applied):
            return
        events = [Event("applied", applied)]
        consulted = applied + timedelta(days=IOM_STEP_DAYS)
        if ending is None or consulted <= ending.day:
            events.append(Event("ind_consulted", consulted))
        if supported and ending is not None:
            booked = ending.day - timedelta(days=IOM_STEP_DAYS)
            granted = min(applied + timedelta(days=2 * IOM_STEP_DAYS), booked)
            events += [
                Event("support_granted", granted),
                Event("flight_booked", booked),
                Event("departed", ending.day),
            ]
            hh.support_offers.append(SampleSupportOffer(m.key, "flight_ticket", "rean", booked))
            if m.key % 2 == 0:  # reintegration support "afhankelijk van hun nationaliteit"
                hh.support_offers.append(
                    SampleSupportOffer(m.key, "reintegration_in_kind", "rean", granted)
                )
        elif ending is not None:
            events.append(Event("application_ended", ending.day))
        self._add(hh, m.key, "voluntary_return", events)

    @staticmethod
    def _root_event(pt: ProcedureType) -> str:
        spec = main_deadline(pt).start
        while spec.event is None:
            if spec.deadline is not None:
                spec = pt.deadline(spec.deadline).start
            else:
                spec = spec.parts()[0]
        return spec.event

    @staticmethod
    def closed(proc: SampleProcedure) -> date | None:
        if proc.decision is not None:
            return proc.decision.day
        return None

    # -- households ------------------------------------------------------------------------------

    def asylum(self) -> SampleHousehold:
        hh = SampleHousehold()
        nat = self.pick(ASYLUM_NATIONALITIES)
        shape = self.rng.random()
        if shape < 0.08:  # unaccompanied minor
            members = [self.person(nat, int(self.rng.integers(13, 18)), unaccompanied_minor=True)]
        elif shape < 0.55:
            members = [self.person(nat, int(self.rng.integers(18, 50)))]
        else:
            a = self.person(nat, int(self.rng.integers(24, 50)), "m")
            b = self.person(nat, int(self.rng.integers(22, 45)), "f")
            kids = [
                self.person(nat, int(self.rng.integers(0, 17)))
                for _ in range(int(self.rng.integers(0, 4)))
            ]
            for kid in kids:
                # Children carry their father's surname; drawn and then replaced, so that the
                # random stream (and every figure calibrated on it) stays as it was.
                kid.surname = a.surname
            members = [a, b, *kids]
            hh.links.append(SampleLink(a.key, b.key, "partner"))
            for kid in kids:
                hh.links += [
                    SampleLink(a.key, kid.key, "parent"),
                    SampleLink(b.key, kid.key, "parent"),
                ]
        hh.persons += members
        head = members[0]
        arrived = self.days_ago(2, 1100)
        # Border or crisis reception on arrival for some.
        if self.chance(0.04):
            self.procedure(hh, head.key, "border_procedure", arrived, decide="refused")
            if self.chance(0.5):
                self.procedure(hh, head.key, "refusal_of_entry", arrived)
                self.procedure(hh, head.key, "admin_appeal_refusal_of_entry", arrived)
        if arrived >= PACT_APPLIES:
            self.screening(hh, head.key, arrived, bool(head.unaccompanied_minor))
        for m in members:
            if arrived > self.on - timedelta(days=30) and self.chance(0.3):
                self.procedure(hh, m.key, "crisis_reception", arrived)
                hh.placements.append(
                    self.placed(m, "coa_crisis", "crisisnoodopvang Ter Apel", arrived, head.key)
                )
        location = self.one(COA_LOCATIONS)
        if head.unaccompanied_minor:
            hh.handovers.append(
                SampleHandover(head.key, "guardianship", "DISA", "Nidos", arrived, "voogdij amv")
            )
            placement_kind = "coa_minors"
        else:
            placement_kind = "coa_regular" if "azc" in location else "coa_emergency"
        lodged = arrived + timedelta(days=int(self.rng.integers(1, 10)))
        dublin = self.chance(0.08) and not head.unaccompanied_minor
        if head.unaccompanied_minor and self.chance(0.1):
            # Vc A5/2.4: an amv without an asylum application is placed in reception and the
            # KMar/DISA sends an overdrachtsdossier to DTenV (seed 004).
            _move(hh, head.key, arrived)
            hh.placements.append(self.placed(head, "coa_minors", location, arrived, head.key))
            hh.handovers.append(
                SampleHandover(
                    head.key,
                    "overdrachtsdossier_amv",
                    self.one(("KMar", "DISA")),
                    "DTenV",
                    arrived + timedelta(days=1),
                    "amv zonder asielaanvraag geplaatst in de minderjarigenopvang (Vc A5/2.4)",
                )
            )
            return hh
        outcome = "granted" if self.chance(0.6) else "refused"
        if self.chance(0.3):
            outcome = "open"  # still waiting
        procs = []
        for m in members:
            _move(hh, m.key, lodged)  # from crisis reception into the regular place
            hh.placements.append(self.placed(m, placement_kind, location, lodged, head.key))
            if dublin:
                self.procedure(
                    hh,
                    m.key,
                    "dublin_outgoing",
                    lodged,
                    facts={"request_type": self.one(("take_charge", "take_back"))},
                )
                continue
            proc = self.procedure(hh, m.key, "asylum_first", lodged, decide=outcome)
            procs.append((m, proc))
            self.doc(hh, m.key, "w_document", lodged + timedelta(days=1), 0)
        for m, proc in procs:
            decided = self.closed(proc)
            if decided is None:
                continue
            if proc.decision is not None and proc.decision.outcome == "granted":
                self.granted(hh, m, decided, location)
            else:
                self.refused(hh, m, decided, proc)
        if procs and self.chance(0.15):
            self.nareis(hh, procs[0][0], procs[0][1])
        return hh

    def granted(self, hh: SampleHousehold, m: SamplePerson, decided: date, location: str) -> None:
        m.bsn = self.bsn(m.key)
        self.doc(hh, m.key, "vva_bepaald", decided + timedelta(days=7), 5)
        if decided < self.on - timedelta(days=5 * 365):
            self.doc(hh, m.key, "vva_onbepaald", decided + timedelta(days=5 * 365), 0)
        if m.unaccompanied_minor or not any(
            p.procedure_type == "permit_holder_outflow" for p in hh.procedures
        ):
            out = self.outflow(hh, m.key, decided)
            happened = {e.kind: e.day for e in out.events}
            if "matched" in happened:
                municipality = self.one(MUNICIPALITIES)
                matched = happened["matched"]
                for member in hh.persons:
                    if member.abroad:
                        continue
                    hh.handovers.append(
                        SampleHandover(
                            member.key,
                            "housing_match",
                            "COA",
                            f"gemeente-{municipality}",
                            matched,
                            f"gekoppeld aan gemeente {municipality.title()} ({location})",
                        )
                    )
                    moved = happened.get("moved_out")
                    if moved is not None:
                        _move(hh, member.key, moved)  # the reception place is freed
                        self.housed[(municipality, HalfYear.of(moved))] += 1
                        hh.placements.append(
                            SamplePlacement(
                                member.key,
                                "municipal_housing",
                                f"woning {municipality.title()}",
                                moved,
                                None,
                                municipality,
                            )
                        )
        if decided < self.on - timedelta(days=5 * 365) and self.chance(0.3):
            self.procedure(hh, m.key, "naturalisation", self.days_ago(10, 400), decide="granted")

    def refused(
        self, hh: SampleHousehold, m: SamplePerson, decided: date, original: SampleProcedure
    ) -> None:
        if self.chance(0.7):
            appeal = self.procedure(hh, m.key, "appeal", decided + timedelta(days=1))
            relief = higher = None
            if self.chance(0.2):
                relief = self.procedure(hh, m.key, "interim_relief", decided + timedelta(days=5))
            if self.chance(0.2) and len(appeal.events) > 1:
                higher = self.procedure(
                    hh, m.key, "higher_appeal", appeal.events[-1].day + timedelta(days=90)
                )
            self.in_court(original, appeal, relief, higher, UPHELD_ASYLUM)
        if self.chance(0.2):
            self.procedure(
                hh, m.key, "asylum_subsequent", decided + timedelta(days=200), decide="refused"
            )
        if m.unaccompanied_minor:
            return
        ret = decided + timedelta(days=int(self.rng.integers(30, 200)))
        if ret > self.on:
            return
        dep = self.departure(hh, m.key, ret)
        hh.handovers.append(
            SampleHandover(
                m.key, "transfer_file", "IND", "DTenV", ret, "overdrachtsdossier na afwijzing"
            )
        )
        hh.measures.append(SampleMeasure(m.key, "reporting_duty", ret, None))
        referred = None
        if self.chance(0.2):
            referred = ret + timedelta(days=14)
            hh.handovers.append(
                SampleHandover(m.key, "rean_referral", "DTenV", "IOM", referred, "REAN")
            )
        self.describe_departure(hh, m, dep, referred if referred and referred <= self.on else None)
        if self.chance(0.1):
            detained = ret + timedelta(days=int(self.rng.integers(10, 90)))
            if detained <= self.on:
                self.procedure(
                    hh,
                    m.key,
                    "detention",
                    detained,
                    facts={"group": "adult", "first_encountered": False},
                )
                hh.measures.append(SampleMeasure(m.key, "detention", detained, None))
                appealed = self.court.detained(detained)
                if appealed is not None:  # Habeas Corpus (seed 003), against the measure
                    dap = self._add(hh, m.key, "detention_appeal", [Event("lodged", appealed)])
                    dap.link = CourtLink(measure=len(hh.measures) - 1)
                    self.court.detention_appeal(dap)
                _move(hh, m.key, detained)  # from the reception place into detention
                hh.placements.append(
                    self.placed(m, "detention_centre", "DC Rotterdam", detained, m.key)
                )
                hh.handovers.append(
                    SampleHandover(m.key, "detention_order", "DTenV", "DJI", detained, "bewaring")
                )
        elif self.chance(0.1):
            hh.measures.append(SampleMeasure(m.key, "freedom_restriction", ret, None))
        left = dep.events[-1] if dep.events and dep.events[-1].kind in ENDINGS else None
        if left is not None and left.day <= self.on:
            # Whoever has left, been removed or gone without supervision no longer holds a
            # reception place or a cell: before, they stayed at their location for ever and
            # the sample's occupancy grew with every refused application.
            _move(hh, m.key, left.day)

    def in_court(
        self,
        original: SampleProcedure,
        appeal: SampleProcedure,
        relief: SampleProcedure | None,
        higher: SampleProcedure | None,
        upheld: float,
    ) -> None:
        """Link the court's procedures to the decision each contests and give them their end
        (keten.chain.sample_court); a higher appeal contests the appeal's judgment, which
        therefore came on the day the higher appeal's term began."""
        grounds = _GROUNDS.get(original.procedure_type, "Vw 2000")
        appeal.link = CourtLink(contests=original.key)
        judged = higher.events[0].day if higher is not None and higher.events else None
        self.court.appeal(
            original,
            appeal,
            upheld,
            judged,
            lambda _day, _key: (self.court.granted_again(), grounds),
        )
        if relief is not None:
            relief.link = CourtLink(contests=original.key)
            self.court.interim_relief(relief)
        if higher is not None and appeal.decision is not None:
            higher.link = CourtLink(contests=appeal.key)
            self.court.higher_appeal(higher)

    def objection_in_court(
        self, hh: SampleHousehold, p: SamplePerson, obj: SampleProcedure
    ) -> None:
        """Some decided objections are recorded with their decision (ongegrond) and appealed:
        the regular appeals whose judgments seed 003's 79 % counts."""
        decided = next((e.day for e in obj.events if e.kind == "decided"), None)
        lodged = self.court.objection_appealed(decided)
        if decided is None or lodged is None:
            return
        obj.decision = SampleDecision(decided, "unfounded", "Awb art. 7:12")
        appeal = self._add(
            hh, p.key, "appeal", [Event("decision_notified", decided), Event("lodged", lodged)]
        )
        self.in_court(obj, appeal, None, None, UPHELD_REGULAR)

    def nareis(self, hh: SampleHousehold, sponsor: SamplePerson, proc: SampleProcedure) -> None:
        if proc.decision is None or proc.decision.outcome != "granted":
            return
        relative = self.person(sponsor.nationality, int(self.rng.integers(1, 40)), abroad=True)
        hh.persons.append(relative)
        hh.links.append(SampleLink(sponsor.key, relative.key, "partner"))
        self.procedure(
            hh, relative.key, "nareis", proc.decision.day + timedelta(days=30), decide="granted"
        )

    def regular(self) -> SampleHousehold:
        hh = SampleHousehold()
        if self.chance(0.15):
            p = self.person(self.pick(EU_NATIONALITIES), int(self.rng.integers(20, 60)))
            hh.persons.append(p)
            self.doc(hh, p.key, "gemeenschapsonderdaan", self.days_ago(10, 2000), 5)
            return hh
        nat = self.pick(REGULAR_NATIONALITIES)
        p = self.person(nat, int(self.rng.integers(22, 55)))
        hh.persons.append(p)
        lodged = self.days_ago(1, 900)
        if self.chance(0.4):
            mvv = self.procedure(hh, p.key, "mvv", lodged, decide="granted")
            lodged = (mvv.decision.day if mvv.decision else lodged) + timedelta(days=30)
        if lodged > self.on:
            return hh
        res = self.procedure(hh, p.key, "regular_residence", lodged, decide="granted")
        if res.decision is not None:
            p.bsn = self.bsn(p.key)
            self.doc(hh, p.key, "vvr_bepaald", res.decision.day + timedelta(days=14), 5)
            if self.chance(0.2):
                obj = self.procedure(hh, p.key, "objection", res.decision.day)
                self.objection_in_court(hh, p, obj)
                if len(obj.events) > 2 and self.chance(0.3):
                    self.procedure(hh, p.key, "complaint", self.days_ago(5, 120))
        if self.chance(0.05):
            child = self.person(self.pick(ASYLUM_NATIONALITIES), int(self.rng.integers(0, 4)))
            child.surname = p.surname  # an adopted child takes the adoptive parent's name
            hh.persons.append(child)
            hh.links.append(SampleLink(p.key, child.key, "parent"))
            self.procedure(
                hh,
                child.key,
                "wobka_adoption",
                self.days_ago(5, 200),
                facts={"via_intermediary": True},
                decide="granted",
            )
        if self.chance(0.1):
            self.doc(hh, p.key, "vvr_onbepaald", self.days_ago(10, 900), 0)
            self.procedure(hh, p.key, "naturalisation", self.days_ago(5, 500), decide="granted")
        return hh

    def taakstelling(self, hh: SampleHousehold) -> None:
        """Every municipality's quota for four half-years up to the current one, and the next
        when its announcement is due: announced on time, the past ones closed.

        As in the seed (4.5), a half-year's national figure is an estimate of the permits to
        come, split by population: here what the sample's municipalities housed in it (the last
        known half-year's for the current and the next), off by a national estimate error, and
        split evenly, since the sample matches permit holders to its municipalities evenly. So
        some municipalities meet a half-year and some do not.
        """
        current = HalfYear.of(self.on)
        periods = [current.previous().previous().previous(), current.previous().previous()]
        periods += [current.previous(), current]
        upcoming = current.next()
        if self.on >= add_months(upcoming.start, -3).end - timedelta(days=20):
            periods.append(upcoming)
        national = 0
        for period in periods:
            if period < current:
                national = sum(self.housed[(m, period)] for m in MUNICIPALITIES)
            estimate = national * float(self.rng.uniform(0.85, 1.3))
            quota = max(1, round(estimate / len(MUNICIPALITIES)))
            due = add_months(period.start, -3).end
            for municipality in MUNICIPALITIES:
                announced = min(due - timedelta(days=int(self.rng.integers(0, 20))), self.on)
                events = [
                    Event("period_start", period.start),
                    Event("announced", announced, {"quota": quota}),
                ]
                closed = period.end + timedelta(days=int(self.rng.integers(20, 60)))
                if closed <= self.on:
                    events.append(Event("period_closed", closed))
                self._add(hh, None, "taakstelling", events, municipality=municipality)
                # ``_add`` keeps what happened by ``on``; a half-year's first day is a date on
                # the calendar, known once it is announced.
                proc = hh.procedures[-1]
                if period.start > self.on:
                    proc.events = sorted([*proc.events, events[0]], key=lambda e: e.day)

    def organisations(self) -> SampleHousehold:
        """Procedures of organisations, not persons: a half-year taakstelling per municipality
        and recognised-sponsor applications of employers."""
        hh = SampleHousehold()
        self.taakstelling(hh)
        for company in COMPANIES:
            self.procedure(hh, None, "recognised_sponsor", self.days_ago(5, 200), subject=company)
        return hh


_GROUNDS = {
    "asylum_first": "Vw 2000 art. 29 lid 1",
    "asylum_subsequent": "Vw 2000 art. 30a lid 1 onder d",
    "nareis": "Vw 2000 art. 29 lid 2",
    "regular_residence": "Vw 2000 art. 14",
    "mvv": "Vw 2000 art. 2a",
    "naturalisation": "Rijkswet op het Nederlanderschap art. 8",
    "wobka_adoption": "Wobka art. 2",
    "border_procedure": "Vw 2000 art. 3 lid 1",
}


# How fast a procedure's stop comes, as a share of its main term (the median of a lognormal
# with sigma 0.45). Complaints: seed 003, "Van de behandelde klachten is 83% binnen de
# wettelijke termijn van zes weken afgedaan": a median at 0.65 of the term puts 83 % within it
# (ln(1 / 0.65) / 0.45 = 0.96 standard deviations).
PACE = {"complaint": 0.65}

TOP_UP = ("complaint", "objection", "regular_residence", "naturalisation")


def generate_chain(
    persons: int, on: date, seed: int = 0, procedures: int | None = None
) -> Iterator[SampleHousehold]:
    """Households until at least ``persons`` persons have been generated (the last household
    may overshoot by its size), then one household of organisation-level procedures.

    ``procedures``: a minimum number of procedures. Households average about 1.6 procedures a
    person; to reach more, later applications (complaints, objections, renewals,
    naturalisation) are added to persons already generated, in households without persons.
    """
    gen = _Gen(on, seed)
    while gen.person_key < persons:
        yield gen.asylum() if gen.chance(0.7) else gen.regular()
    yield gen.organisations()
    if procedures is None:
        return
    while gen.procedure_key < procedures:
        hh = SampleHousehold()
        for _ in range(min(1000, procedures - gen.procedure_key)):
            person = int(gen.rng.integers(1, gen.person_key + 1))
            pid = TOP_UP[int(gen.rng.integers(len(TOP_UP)))]
            gen.procedure(hh, person, pid, gen.days_ago(1, 700), decide="granted")
        yield hh
