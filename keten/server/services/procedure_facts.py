"""A procedure's facts (the detention's group, basis, first encounter): checked against what the
catalogue declares, proposed from what the dossier knows, and corrected later as a recorded
change of their own.

The catalogue declares each fact a deadline reads (``keten/catalog/procedures/*.yaml``,
``facts:``) and, for a typed fact, the values it takes (``kind: choice`` with labelled values,
``kind: bool``). A value outside them would make a variant silently not apply (a family
detained for six months instead of two weeks), so it is refused naming the fact and the
values, in English and Dutch. Facts change the deadlines: a correction bumps the procedure's
version (If-Match), writes a dossier event ``facts_corrected`` with who, when, why and the
values before and after, re-derives the cached columns and is audited, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from keten.catalog.derive import InputError, derive
from keten.catalog.loader import CatalogError, get_procedure
from keten.catalog.model import Condition, FactSpec, ProcedureType
from keten.chain.identity import PartialDate
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import DossierEvent, Person, Procedure
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_json, check_text
from keten.server.services.derived import events_of, refresh
from keten.server.services.errors import BadInputError, ContradictionError, ForbiddenError
from keten.server.services.family import minor_in_family
from keten.server.services.policy import check
from keten.server.services.reads import procedure_row
from keten.server.services.support import KnownFact
from keten.server.services.writing import atomic, bump_procedure, entry, reason_of, recorded

# A fact's value is a short code ("family", "59b"), never prose.
MAX_FACT_TEXT = 64

# The detention's facts whose values the dossier can contradict (Vc A5/2.4, seed 004).
DETENTION = "detention"


def procedure_type(name: Any) -> ProcedureType:
    if not isinstance(name, str) or not name:
        raise BadInputError("procedure_type", "is required", "is verplicht")
    check_text(name, "procedure_type", max_len=64)
    try:
        return get_procedure(name)
    except CatalogError as exc:
        raise BadInputError(
            "procedure_type",
            str(exc).removeprefix("procedure: "),
            f"onbekende soort procedure {name!r}",
        ) from None


def kind_of(pt: ProcedureType, name: str) -> str:
    """``choice``, ``bool`` or ``text``: as declared, else what the catalogue's conditions
    compare the fact with (a fact compared only with true/false is a yes/no question)."""
    spec = pt.facts[name]
    if spec.kind is not None:
        return spec.kind
    compared = [c.equals for d in pt.deadlines for c in _conditions(d) if c.fact == name]
    return "bool" if compared and all(isinstance(v, bool) for v in compared) else "text"


def _conditions(d: Any) -> list[Condition]:
    out: list[Condition] = []
    todo = [v.when for v in d.variants] + ([d.applies_if] if d.applies_if else [])
    while todo:
        cond = todo.pop()
        out.append(cond)
        todo += [*(cond.all or ()), *(cond.any or ()), *((cond.not_,) if cond.not_ else ())]
    return out


def _values_text(spec: FactSpec) -> tuple[str, str]:
    return (
        ", ".join(f"{code} ({label.en})" for code, label in spec.values.items()),
        ", ".join(f"{code} ({label.nl})" for code, label in spec.values.items()),
    )


def check_value(pt: ProcedureType, name: str, value: Any) -> Any:
    """``value`` of fact ``name`` as the catalogue declares it, or a refusal naming
    ``facts.<name>`` and the values it takes."""
    field = f"facts.{name}"
    kind = kind_of(pt, name)
    spec = pt.facts[name]
    if kind == "bool":
        if not isinstance(value, bool):
            raise BadInputError(
                field, "must be true or false", "moet ja (true) of nee (false) zijn"
            )
        return value
    if kind == "choice":
        if not isinstance(value, str) or value not in spec.values:
            en, nl = _values_text(spec)
            raise BadInputError(
                field,
                f"{value!r} is not one of the values of {name} in {pt.id}: {en}",
                f"{value!r} is geen van de waarden van {name} in {pt.id}: {nl}",
            )
        return value
    if isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2**31):
        return value
    if not isinstance(value, str):
        raise BadInputError(
            field,
            "must be a text, a whole number or true/false",
            "moet tekst, getal of ja/nee zijn",
        )
    return check_text(value, field, max_len=MAX_FACT_TEXT).strip()


def check_facts(pt: ProcedureType, facts: Any) -> dict[str, Any]:
    """Every fact named must be one the type declares, with a value it takes."""
    if not isinstance(facts, dict):
        raise BadInputError("facts", "must be an object", "moet een object zijn")
    check_json(facts, "facts")
    out = {}
    for name, value in facts.items():
        if name not in pt.facts:
            known = ", ".join(sorted(pt.facts)) or "none"
            raise BadInputError(
                f"facts.{name}",
                f"{name!r} is not a fact of {pt.id}; its facts: {known}",
                f"{name!r} is geen feit van {pt.id}; de feiten: {known}",
            )
        out[name] = check_value(pt, name, value)
    return out


def check_against_case(pt: ProcedureType, facts: Mapping[str, Any], person: Person) -> None:
    """Facts that contradict the dossier are refused (422), not stored: the detention's group
    says whether the person is an unaccompanied minor, and the first encounter is a question
    about an amv only (Vc A5/2.4 onder c, seed 004: "Als de amv voor het eerst in het
    vreemdelingentoezicht wordt aangetroffen, geldt een termijn van vier weken")."""
    if pt.id != DETENTION:
        return
    group = facts.get("group")
    if group == "unaccompanied_minor" and not person.unaccompanied_minor:
        raise ContradictionError(
            "facts.group",
            "the dossier does not mark the person as an unaccompanied minor: correct the "
            "identity's amv mark first",
            "het dossier merkt de persoon niet aan als alleenstaande minderjarige: corrigeer "
            "eerst het amv-kenmerk in de identiteit",
        )
    if group in ("adult", "family") and person.unaccompanied_minor:
        raise ContradictionError(
            "facts.group",
            "the dossier marks the person as an unaccompanied minor (group unaccompanied_minor)",
            "het dossier merkt de persoon aan als alleenstaande minderjarige (groep "
            "unaccompanied_minor)",
        )
    if facts.get("first_encountered") is True and group != "unaccompanied_minor":
        raise ContradictionError(
            "facts.first_encountered",
            "applies to an unaccompanied minor only (Vc 2000 A5/2.4 under c)",
            "geldt alleen voor een alleenstaande minderjarige (Vc 2000 A5/2.4 onder c)",
        )


# -- what the dossier already knows --------------------------------------------------------------


def proposed(actor: Actor, person_id: int, pt: ProcedureType, on: date) -> dict[str, KnownFact]:
    """The facts of ``pt`` the dossier suggests for the person, each with where it comes from;
    the officer confirms or changes them in the lodge form. Only the detention's ``group`` is
    proposed: the first encounter and the legal basis are the officer's own findings. A read of
    personal data: checked, scoped and audited."""
    check(actor.role, "identity", "read")
    if pt.id != DETENTION:
        return {}
    with transaction.atomic():
        p = scope.person(actor, person_id)
        out: dict[str, KnownFact] = {}
        if p.unaccompanied_minor:
            out["group"] = KnownFact(
                "unaccompanied_minor",
                "amv-kenmerk in het dossier",
                "unaccompanied-minor mark in the dossier",
            )
        else:
            # Only members the actor may see: a proposal must not reveal a hidden child.
            minor = minor_in_family(p, on, lambda pk: scope.in_scope(actor, pk))
            if minor is not None and minor.pk != p.pk:
                out["group"] = KnownFact(
                    "family",
                    f"gezinsband in het dossier met minderjarig kind {minor.v_number} "
                    f"(geboren {PartialDate.parse(minor.birth_date).display('nl')})",
                    f"family link in the dossier to minor child {minor.v_number} "
                    f"(born {PartialDate.parse(minor.birth_date).display('en')})",
                )
            elif minor is not None:
                out["group"] = KnownFact(
                    "family",
                    "minderjarig, met een ouder in het dossier",
                    "a minor with a parent in the dossier",
                )
            else:
                out["group"] = KnownFact(
                    "adult",
                    "geen amv-kenmerk en geen minderjarige kinderen in het dossier",
                    "no unaccompanied-minor mark and no minor children in the dossier",
                )
        append(
            actor.audit,
            [
                Entry(
                    "procedure_facts.proposal",
                    "read",
                    "identity",
                    ("identity.birth_date", "identity.unaccompanied_minor", "identity.family"),
                    subjects=((p.pk, p.v_number),),
                    object_ref=f"procedure_type:{pt.id}",
                )
            ],
        )
    return out


# -- correcting them -------------------------------------------------------------------------------


def correct(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Correct some of a procedure's facts: ``facts`` names each changed fact with its new
    value (null: no longer known), ``reason`` says why. Refused when nothing changes."""
    check(actor.role, "procedure", "write")
    given = data.get("facts")
    if not isinstance(given, dict) or not given:
        raise BadInputError(
            "facts",
            "must name at least one fact and its new value",
            "moet ten minste één feit met de nieuwe waarde noemen",
        )
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        if proc.procedure_type not in actor.role.procedures or proc.person is None:
            raise ForbiddenError(
                f"role {actor.role.id} may not correct the facts of {proc.procedure_type}",
                field="procedure",
                rule=f"policy: {actor.role.id} handles "
                f"{', '.join(sorted(actor.role.procedures)) or 'no procedure types'}",
                detail_nl=f"de rol {actor.role.name_nl} mag de feiten van "
                f"{proc.procedure_type} niet corrigeren",
                rule_nl=f"beleid: {actor.role.id} behandelt "
                f"{', '.join(sorted(actor.role.procedures)) or 'geen procedures'}",
            )
        pt = get_procedure(proc.procedure_type)
        removed = {k for k, v in given.items() if v is None}
        for name in removed - set(pt.facts):
            check_facts(pt, {name: ""})  # an unknown fact is refused by name, null or not
        changed = check_facts(pt, {k: v for k, v in given.items() if v is not None})
        before = dict(proc.facts or {})
        after = {k: v for k, v in {**before, **changed}.items() if k not in removed}
        if after == before:
            raise BadInputError(
                "facts",
                "changes nothing: every value named is the one recorded",
                "wijzigt niets: elke genoemde waarde is de vastgelegde",
            )
        check_against_case(pt, after, proc.person)
        events = events_of(proc)
        try:
            derive(pt, events, facts=after, on=on)
        except InputError as exc:
            raise BadInputError(exc.field, exc.rule, exc.rule_nl) from None
        bump_procedure(proc, expected, on)
        Procedure.objects.filter(pk=proc.pk).update(facts=after)
        proc.facts = after
        names = sorted(set(before) ^ set(after) | {k for k in after if before.get(k) != after[k]})
        DossierEvent.objects.create(
            person=proc.person,
            kind="facts_corrected",
            payload={
                "procedure": proc.pk,
                "type": proc.procedure_type,
                "before": {k: before.get(k) for k in names},
                "after": {k: after.get(k) for k in names},
            },
            **recorded(actor, reason),
        )
        refresh(proc, events)
        append(
            actor.audit,
            [
                entry(
                    "procedure.facts",
                    "procedure",
                    tuple(f"facts.{k}" for k in names),
                    proc.person,
                    f"procedure:{proc.pk}",
                )
            ],
        )
        return {**procedure_row(proc, on), "facts": after, "corrected": names}

    result: dict[str, Any] = atomic(run)
    return result
