"""The detention overview for DTenV (the persons granted to it) and DJI (those it holds): per
open detention the group and basis, the days held, the maximum that applies and why, the last
day, the GGV placement term, the next court review and the alerts before a limit, most urgent
first.

Every date comes from the catalogue's derivation (``keten.catalog.derive`` over the standing
events and the recorded facts, as the dossier shows them); nothing here counts a calendar. What
this module adds is the reading: which variant of the maximum applied and its quoted source,
and the alert rule (``alert_window``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from keten.catalog.derive import DeadlineResult, Event, ProcedureState, derive
from keten.catalog.loader import get_procedure
from keten.catalog.model import ProcedureType
from keten.chain.identity import nationality_name
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Procedure, ProcedureEvent
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.policy import check
from keten.server.services.reads import person_row
from keten.server.services.withdrawals import standing, withdrawn
from keten.time.periods import Period

DETENTION = "detention"
RESOURCE = "detention_overview"
# The events that end a detention (the maximum's stop events in detention.yaml).
ENDED = ("released", "removed")
# The terms the overview shows, in the catalogue's ids (detention.yaml).
TERMS = ("maximum", "ggv_placement", "court_notice", "after_removable", "after_interim_relief")
# A term still to be met or running; the others were met, ended, or have not started.
OPEN_STATUSES = ("open", "running", "overdue", "expired")
PASSED_STATUSES = ("overdue", "expired")

# The alert rule. A limit is flagged when it is at most ``alert_window`` days away: a quarter
# of its length, at least 1 day and at most 14. Why: what must happen before a detention limit
# (a flight booked and escorted, a family placed in the GGV, the court notified, a release
# prepared, an extension decided) takes days, and the shorter the limit the less slack there
# is, so the warning scales with the limit: 3 days before a 2-week limit (Vc A5/2.4), 7 before
# 4 weeks (an amv first encountered, art. 59b) and the court's 28 days, 1 before the GGV's 5
# days; two weeks is enough to prepare the end or the extension of a 6-month detention.
# Keten's own working rule, not law (verified: false): DTenV may choose other margins.
ALERT_FRACTION = 4
ALERT_MIN_DAYS = 1
ALERT_MAX_DAYS = 14

LATER_REVIEWS = {
    "nl": "De catalogus kent geen periodieke toetsing na de kennisgeving aan de rechtbank; "
    "Keten toont er daarom geen (niet verzonnen).",
    "en": "The catalogue holds no periodic review after the court's notification, so Keten "
    "shows none rather than invent one.",
}


def alert_window(length: Period) -> int:
    """Days before a limit of ``length`` at which it is flagged (see ``ALERT_FRACTION``)."""
    days = int(length.approx_days())
    return max(ALERT_MIN_DAYS, min(ALERT_MAX_DAYS, days // ALERT_FRACTION))


@dataclass(frozen=True)
class Alert:
    deadline: str
    kind: str  # near | passed | facts_missing
    date: date | None
    days_left: int | None
    window: int | None
    text_nl: str
    text_en: str

    def to_json(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "days_left": self.days_left,
            "window": self.window,
            "text": self.text_nl,
            "text_en": self.text_en,
        }


def _fact_label(pt: ProcedureType, name: str, value: Any) -> tuple[str, str]:
    spec = pt.facts.get(name)
    if value is None or spec is None:
        return "", ""
    if isinstance(value, bool):
        return ("ja", "yes") if value else ("nee", "no")
    label = spec.values.get(str(value))
    return (label.nl, label.en) if label else (str(value), str(value))


def _term_json(d: DeadlineResult) -> dict[str, Any]:
    source = d.source
    return {
        "id": d.id,
        "name": d.name.nl,
        "name_en": d.name.en,
        "date": d.date.isoformat() if d.date else None,
        "status": d.status,
        "days_left": d.days_left if d.status in OPEN_STATUSES else None,
        "length": d.length.label()["nl"] if d.length else None,
        "length_en": d.length.label()["en"] if d.length else None,
        "citation": d.citation,
        "quote": source.quote if source else None,
        "document": source.document if source else None,
        "uncertain": source.uncertain if source else None,
        "uncertain_nl": source.uncertain_nl if source else None,
        "responsible": d.responsible,
    }


def _why(pt: ProcedureType, facts: dict[str, Any], d: DeadlineResult) -> tuple[str, str]:
    """Why this maximum: the group (and first encounter, basis) the facts give, the length, the
    citation and the quoted source of the variant that applied (or of the base term)."""
    base = d.source == pt.deadline("maximum").source
    group_nl, group_en = _fact_label(pt, "group", facts.get("group"))
    length = d.length.label() if d.length else {"nl": "", "en": ""}
    if "group" not in facts:
        who_nl, who_en = "groep niet vastgelegd", "group not recorded"
    elif facts.get("group") == "unaccompanied_minor" and facts.get("first_encountered") is True:
        who_nl = f"{group_nl}, voor het eerst in het toezicht aangetroffen"
        who_en = f"{group_en}, first encountered in supervision"
    else:
        who_nl, who_en = group_nl, group_en
    if not base and d.source is not None and d.source.citation.startswith("Vw 2000 art. 59b"):
        who_nl, who_en = f"{who_nl}; bewaring op grond van art. 59b Vw", f"{who_en}; art. 59b"
    for step in (s for s in d.trail if s.code == "extension"):
        end = step.args["end"].isoformat()
        who_nl += (
            f"; verlengd met {step.args['length']['nl']} ({step.args['reason']['nl']}) tot {end}"
        )
        who_en += (
            f"; extended by {step.args['length']['en']} ({step.args['reason']['en']}) to {end}"
        )
    quote = d.source.quote if d.source and d.source.quote else ""
    uncertain = d.source.uncertain if d.source and d.source.uncertain else ""
    uncertain_nl = (d.source.uncertain_nl if d.source else None) or uncertain
    said = f" «{quote}»" if quote else f" (onzeker: {uncertain_nl})" if uncertain else ""
    said_en = f" «{quote}»" if quote else f" (uncertain: {uncertain})" if uncertain else ""
    return (
        f"{who_nl}: {length['nl']}, {d.citation}{said}",
        f"{who_en}: {length['en']}, {d.citation}{said_en}",
    )


def _alerts(facts: dict[str, Any], terms: Iterable[DeadlineResult]) -> list[Alert]:
    out = []
    for d in terms:
        if d.date is None or d.status not in OPEN_STATUSES or d.days_left is None:
            continue
        window = alert_window(d.length) if d.length else None
        if d.status in PASSED_STATUSES or d.days_left < 0:
            out.append(
                Alert(
                    d.id,
                    "passed",
                    d.date,
                    d.days_left,
                    window,
                    f"{d.name.nl}: termijn verstreken op {d.date.isoformat()} "
                    f"({-d.days_left} dagen geleden)",
                    f"{d.name.en}: term passed on {d.date.isoformat()} ({-d.days_left} days ago)",
                )
            )
        elif window is not None and d.days_left <= window:
            out.append(
                Alert(
                    d.id,
                    "near",
                    d.date,
                    d.days_left,
                    window,
                    f"{d.name.nl}: nog {d.days_left} dagen (tot en met {d.date.isoformat()}; "
                    f"signaal vanaf {window} dagen)",
                    f"{d.name.en}: {d.days_left} days left (until {d.date.isoformat()}; "
                    f"flagged from {window} days)",
                )
            )
    if "group" not in facts:
        out.append(
            Alert(
                "maximum",
                "facts_missing",
                None,
                None,
                None,
                "Groep niet vastgelegd: de termijn voor volwassenen is getoond; leg vast of het "
                "een amv of een gezin met minderjarigen is (Vc 2000 A5/2.4)",
                "Group not recorded: the adult term is shown; record whether this is an "
                "unaccompanied minor or a family with minors (Vc 2000 A5/2.4)",
            )
        )
    return out


def row(
    pt: ProcedureType, proc: Procedure, events: list[Event], state: ProcedureState, on: date
) -> dict[str, Any]:
    """One detention as the overview shows it (``state``: derived from ``events`` on ``on``)."""
    p = proc.person
    assert p is not None
    facts = dict(proc.facts or {})
    terms = {d.id: d for d in state.deadlines if d.id in TERMS}
    maximum = terms["maximum"]
    started = [e for e in events if e.kind == "detained"]
    since = started[0].day if started else None
    why_nl, why_en = _why(pt, facts, maximum)
    alerts = _alerts(facts, terms.values())
    open_left = [
        d.days_left for d in terms.values() if d.status in OPEN_STATUSES and d.days_left is not None
    ]
    court = terms.get("court_notice")
    group_nl, group_en = _fact_label(pt, "group", facts.get("group"))
    basis_nl, basis_en = _fact_label(pt, "basis", facts.get("basis"))
    return {
        "procedure_id": proc.pk,
        "procedure_version": proc.version,
        "person": {**person_row(p), "nationality_name": nationality_name(p.nationality, "nl")},
        "group": facts.get("group"),
        "group_text": group_nl,
        "group_text_en": group_en,
        "first_encountered": facts.get("first_encountered"),
        "basis": facts.get("basis"),
        "basis_text": basis_nl,
        "basis_text_en": basis_en,
        "detained_since": since.isoformat() if since else None,
        "days_held": (on - since).days if since else None,
        "maximum": {**_term_json(maximum), "why": why_nl, "why_en": why_en},
        "last_day": maximum.date.isoformat() if maximum.date else None,
        "days_left": maximum.days_left,
        "ggv_placement": _term_json(terms["ggv_placement"]) if "ggv_placement" in terms else None,
        "court_review": {
            **(_term_json(court) if court else {}),
            "later_reviews": LATER_REVIEWS["nl"],
            "later_reviews_en": LATER_REVIEWS["en"],
        },
        "terms": [_term_json(d) for d in terms.values()],
        "alerts": [a.to_json() for a in alerts],
        "urgency": min(open_left) if open_left else None,
    }


def overview(actor: Actor, on: date) -> dict[str, Any]:
    """Every running detention the actor may see, most urgent first (fewest days to a limit;
    a passed term is negative and comes first), then longest held. One audit record names every
    person listed."""
    check(actor.role, RESOURCE, "read")
    check(actor.role, "identity", "read")
    check(actor.role, "procedure", "read")
    pt = get_procedure(DETENTION)
    ended = standing(
        "event",
        ProcedureEvent.objects.filter(procedure_id=OuterRef("pk"), kind__in=ENDED),
    )
    with transaction.atomic():
        procs = list(
            scope.procedures(actor)
            .filter(procedure_type=DETENTION, person__isnull=False)
            .exclude(Exists(ended))
            .select_related("person")
            .order_by("id")
        )
        events: dict[int, list[Event]] = {}
        rows_ = (
            ProcedureEvent.objects.filter(procedure_id__in=[x.pk for x in procs])
            .exclude(withdrawn("event"))
            .order_by("procedure_id", "day", "id")
        )
        for e in rows_:
            events.setdefault(e.procedure_id, []).append(Event(e.kind, e.day, e.data or {}))
        out = []
        for proc in procs:
            evs = events.get(proc.pk, [])
            if not any(e.kind == "detained" for e in evs):
                continue
            state = derive(pt, evs, facts=proc.facts or {}, on=on)
            out.append(row(pt, proc, evs, state, on))
        out.sort(
            key=lambda r: (
                r["urgency"] if r["urgency"] is not None else 10**6,
                -(r["days_held"] or 0),
                r["procedure_id"],
            )
        )
        if out:
            append(
                actor.audit,
                [
                    Entry(
                        "detention.overview",
                        "read",
                        "procedure",
                        (
                            "identity.v_number",
                            "identity.given_names",
                            "identity.surname",
                            "identity.birth_date",
                            "identity.nationality",
                            "procedure.events",
                            "procedure.deadlines",
                            "procedure.facts",
                        ),
                        subjects=tuple((r["person"]["id"], r["person"]["v_number"]) for r in out),
                    )
                ],
            )
    return {
        "on": on.isoformat(),
        "alert_rule": {
            "text": f"Een termijn krijgt een signaal als hij binnen een kwart van zijn lengte "
            f"afloopt (ten minste {ALERT_MIN_DAYS}, ten hoogste {ALERT_MAX_DAYS} dagen): 3 dagen "
            "vóór een termijn van 2 weken, 14 vóór 6 maanden; een verstreken termijn altijd. "
            "Werkafspraak van Keten, geen wettelijke regel.",
            "text_en": f"A term is flagged when it ends within a quarter of its length (at "
            f"least {ALERT_MIN_DAYS}, at most {ALERT_MAX_DAYS} days): 3 days before a 2-week "
            "term, 14 before 6 months; a passed term always. Keten's working rule, not law.",
            "verified": False,
        },
        "results": out,
    }
