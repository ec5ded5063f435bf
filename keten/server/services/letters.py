"""Decision letters and notices (``keten.server.letters``): make one from a decision, list a
decision's letters, read one (HTML as stored, or PDF rendered from the stored HTML).

Access: ``letter`` in the policy (read, write), and the decision's person must be in the
actor's scope, as for the decision itself; a decision the actor may not read gets no letter
(its id answers 404, as elsewhere). Making a letter also reads the decision (``decision``
read) and its rule trail (``rule_trail`` read): the letter shows both. The addressee's
address is the housing a municipality recorded (``lease_start``) or, failing that, "p/a" the
reception location the person stays at, read only when the role may read placements.

A letter is stored as rendered, with who, when and why, and never changed: a new letter for
the same decision is a new row. The PDF is rendered from the stored HTML, so the letter sent
and the letter kept are the same text (its SHA-256 is stored beside it).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import transaction

from keten.catalog.loader import get_procedure as catalog_procedure
from keten.chain.kinds import DECISION_OUTCOMES
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Decision, Person, Placement, ProcedureEvent
from keten.server.letters import compose
from keten.server.letters.models import Letter
from keten.server.services import scope, withdrawals
from keten.server.services.actor import Actor
from keten.server.services.errors import (
    ContradictionError,
    NotFoundError,
)
from keten.server.services.inputs import choice
from keten.server.services.pdf_output import pdf_or_unavailable
from keten.server.services.policy import check
from keten.server.services.withdrawals import standing
from keten.server.services.writing import reason_of, recorded

# A person's address in the dossier: the rental contract a municipality recorded for a permit
# holder (services/outflow.py ``lease``).
LEASE_EVENT = "lease_start"
# The asylum event that moves a case to the extended procedure: a decision without it was
# taken in the general asylum procedure (remedies.yaml ``when``).
EXTENDED_EVENT = "referred_extended"
MAX_LETTERS_PER_DECISION = 50  # a correction is a new letter; fifty is a mistake, not work


def _decision(actor: Actor, decision_id: int) -> Decision:
    """The decision, when its person is in the actor's scope (else 404, naming nothing)."""
    d = Decision.objects.filter(pk=decision_id).select_related("procedure").first()
    if d is None:
        raise NotFoundError(
            f"no decision {decision_id}",
            field="decision",
            rule="must exist in your scope",
            detail_nl=f"geen besluit {decision_id}",
            rule_nl="moet bestaan en binnen uw bevoegdheid vallen",
        )
    scope.procedure(actor, d.procedure_id)  # NotFoundError outside the scope
    if d.procedure.person_id is None:
        raise NotFoundError(
            f"no decision {decision_id}",
            field="decision",
            rule="must be a decision on a person's procedure",
            detail_nl=f"geen besluit {decision_id}",
            rule_nl="moet een besluit in de procedure van een persoon zijn",
        )
    return d


def _entry(name: str, action: str, fields: tuple[str, ...], p: Person, ref: str) -> Entry:
    return Entry(name, action, "letter", fields, subjects=((p.pk, p.v_number),), object_ref=ref)


def letter_json(letter: Letter, with_html: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": letter.pk,
        "decision_id": letter.decision_id,
        "template_id": letter.template_id,
        "template_version": letter.template_version,
        "language": letter.language,
        "sha256": letter.sha256,
        "recorded_by": letter.recorded_by,
        "recorded_org": letter.recorded_org,
        "recorded_at": letter.recorded_at.isoformat(),
        "reason": letter.reason,
        "html_url": f"/api/v1/letters/{letter.pk}?format=html",
        "pdf_url": f"/api/v1/letters/{letter.pk}?format=pdf",
    }
    if with_html:
        out["html"] = letter.html
    return out


def _address(actor: Actor, p: Person, on: date) -> tuple[tuple[str, ...], str | None]:
    """(address lines, reception location for "p/a"): the latest standing lease of the
    person's outflow, else the placement running on ``on`` (when the role reads placements)."""
    lease = (
        standing(
            "event",
            ProcedureEvent.objects.filter(procedure__person=p, kind=LEASE_EVENT, day__lte=on),
        )
        .order_by("-day", "-id")
        .first()
    )
    if lease is not None and str(lease.data.get("address") or "").strip():
        return tuple(str(lease.data["address"]).strip().splitlines()), None
    if not actor.role.can("placement", "read"):
        return (), None
    placement = (
        standing("placement", Placement.objects.filter(person=p, start__lte=on))
        .exclude(end__lt=on)
        .select_related("site")
        .order_by("-start", "-id")
        .first()
    )
    if placement is None:
        return (), None
    return (), placement.site.name if placement.site is not None else placement.location


def make(actor: Actor, decision_id: int, data: dict[str, Any], on: date) -> dict[str, Any]:
    """Compose the letter for a decision, store it (who, when, why; the HTML and its SHA-256)
    and return it. Refused naming the field: a language other than nl/en, no reason, a
    withdrawn decision, a decision no template serves (``ContradictionError``)."""
    check(actor.role, "letter", "write")
    check(actor.role, "decision", "read")
    check(actor.role, "rule_trail", "read")
    language = choice({"language": data.get("language") or "nl"}, "language", compose.LANGUAGES)
    reason = reason_of(data)
    with transaction.atomic():
        d = _decision(actor, decision_id)
        proc = d.procedure
        p = proc.person
        assert p is not None  # _decision refuses a decision without a person
        if ("decision", d.pk) in withdrawals.of_person(p.pk):
            raise ContradictionError(
                "decision",
                f"decision {d.pk} was withdrawn as mistaken: it gets no letter",
                f"besluit {d.pk} is als onjuist ingetrokken: daarvoor wordt geen brief gemaakt",
            )
        template = compose.template_for(proc.procedure_type, d.outcome)
        if template is None:
            raise ContradictionError(
                "decision",
                f"no letter template serves a decision '{d.outcome}' on {proc.procedure_type} "
                "(data/letters/templates.yaml)",
                f"geen briefsjabloon voor een besluit '{d.outcome}' in {proc.procedure_type} "
                "(data/letters/templates.yaml)",
            )
        if Letter.objects.filter(decision=d).count() >= MAX_LETTERS_PER_DECISION:
            raise ContradictionError(
                "decision",
                f"decision {d.pk} has {MAX_LETTERS_PER_DECISION} letters already",
                f"besluit {d.pk} heeft al {MAX_LETTERS_PER_DECISION} brieven",
            )
        extended = ProcedureEvent.objects.filter(procedure=proc, kind=EXTENDED_EVENT).exists()
        address, care_of = _address(actor, p, on)
        pt = catalog_procedure(proc.procedure_type)
        outcome = DECISION_OUTCOMES.get(d.outcome)
        facts = compose.LetterFacts(
            template=template,
            language=language,
            name=f"{p.given_names} {p.surname}".strip(),
            v_number=p.v_number,
            address=address,
            care_of=care_of,
            procedure_name=pt.name.en if language == "en" else pt.name.nl,
            procedure_id=proc.pk,
            decision_id=d.pk,
            decided_on=d.decided_on,
            outcome_text=(outcome.en if language == "en" else outcome.nl) if outcome else d.outcome,
            grounds=d.grounds,
            trail=d.rule_trail,
            remedy=compose.remedy_for(proc.procedure_type, proc.regime, extended),
            signer=actor.username,
            on=on,
        )
        html = compose.render(facts)
        letter = Letter.objects.create(
            decision=d,
            template_id=template.id,
            template_version=template.version,
            language=language,
            html=html,
            sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(),
            **recorded(actor, reason),
        )
        append(
            actor.audit,
            [
                _entry(
                    "letter.make",
                    "write",
                    ("identity", "decision", "rule_trail", "address"),
                    p,
                    f"decision:{d.pk}:letter:{letter.pk}",
                )
            ],
        )
    return letter_json(letter)


def of_decision(actor: Actor, decision_id: int) -> list[dict[str, Any]]:
    """The decision's letters, oldest first (without their HTML)."""
    check(actor.role, "letter", "read")
    with transaction.atomic():
        d = _decision(actor, decision_id)
        p = d.procedure.person
        assert p is not None
        append(actor.audit, [_entry("letter.list", "read", ("*",), p, f"decision:{d.pk}")])
        return [letter_json(x) for x in Letter.objects.filter(decision=d).order_by("id")]


def of_person(actor: Actor, person_id: int) -> dict[int, list[dict[str, Any]]]:
    """Decision id -> its letters, for the dossier page (empty for a role without ``letter``
    read; the caller has read the dossier, scope and all)."""
    if not actor.role.can("letter", "read"):
        return {}
    scope.person(actor, person_id)
    out: dict[int, list[dict[str, Any]]] = {}
    for x in Letter.objects.filter(decision__procedure__person_id=person_id).order_by("id"):
        out.setdefault(x.decision_id, []).append(letter_json(x))
    return out


def read(actor: Actor, letter_id: int) -> dict[str, Any]:
    """One letter with its stored HTML; the read is logged."""
    check(actor.role, "letter", "read")
    with transaction.atomic():
        # A letter outside the reader's scope is answered as one that does not exist.
        missing = NotFoundError(
            f"no letter {letter_id}",
            field="letter",
            rule="must exist in your scope",
            detail_nl=f"geen brief {letter_id}",
            rule_nl="moet bestaan en binnen uw bevoegdheid vallen",
        )
        letter = Letter.objects.filter(pk=letter_id).select_related("decision").first()
        if letter is None:
            raise missing
        try:
            d = _decision(actor, letter.decision_id)
        except NotFoundError:
            raise missing from None
        p = d.procedure.person
        assert p is not None
        append(actor.audit, [_entry("letter.read", "read", ("html",), p, f"letter:{letter.pk}")])
        out = letter_json(letter, with_html=True)
        out["procedure_id"] = d.procedure_id
        out["person_id"] = p.pk
    return out


def pdf(actor: Actor, letter_id: int) -> tuple[bytes, dict[str, Any]]:
    """The stored letter as PDF (rendered from the stored HTML, never recomposed)."""
    letter = read(actor, letter_id)
    return pdf_or_unavailable(letter["html"], "druk de brief af vanuit de browser."), letter
