"""The one place the server touches ``keten.rules`` (the executable Vreemdelingencirculaire).

``keten.rules`` is built on its own branch; this adapter imports it lazily, so the server runs
without it and the decision-support panel says plainly that the rules are not available rather
than showing anything made up. When both branches have landed nothing else needs to change.
The API it codes against: ``keten.rules.registry.all_rules()/get_rule(id)`` and
``keten.rules.evaluate.evaluate(rule, facts, on) -> Outcome`` with ``Outcome.to_json()``;
``keten.rules.errors.FactsError`` names every bad fact.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from keten.server.services.errors import BadInputError
from keten.server.validation_nl import dutch
from keten.time.dated import NoValueError

UNAVAILABLE_NL = (
    "Beslisondersteuning is niet beschikbaar: de regels van de Vreemdelingencirculaire "
    "(keten.rules) zijn in deze installatie niet aanwezig. Er wordt geen advies getoond."
)
UNAVAILABLE_EN = (
    "Decision support is not available: the Vreemdelingencirculaire rules (keten.rules) are not "
    "installed here. No advice is shown."
)


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str


def _modules() -> tuple[Any, Any, Any] | None:
    try:
        registry = importlib.import_module("keten.rules.registry")
        evaluate = importlib.import_module("keten.rules.evaluate")
        errors = importlib.import_module("keten.rules.errors")
    except ImportError:
        return None
    return registry, evaluate, errors


def availability() -> Availability:
    mods = _modules()
    if mods is None:
        return Availability(False, UNAVAILABLE_NL)
    try:
        mods[0].all_rules()
    except Exception as exc:  # a half-built rule set must not take the dossier page down
        return Availability(False, f"{UNAVAILABLE_NL} ({type(exc).__name__}: {exc})")
    return Availability(True, "")


def rules() -> list[dict[str, Any]]:
    """Every rule with its citation, title and facts (name, kind, description, choices with
    their Dutch and English labels)."""
    return list(_rules())


@functools.cache
def _rules() -> tuple[dict[str, Any], ...]:
    # Built once per process: the rules do not change while it runs, and every dossier page
    # lists them once per procedure it shows.
    mods = _modules()
    if mods is None:
        return ()
    out = []
    for rule in mods[0].all_rules().values():
        out.append(
            {
                "id": rule.id,
                "citation": rule.citation,
                "title": rule.title.nl,
                "title_en": rule.title.en,
                # a proposed law's rule runs only as a scenario (never offered first)
                "proposed": rule.proposed,
                "facts": [
                    {
                        "name": spec.name,
                        "kind": spec.kind,
                        "required": spec.required,
                        "description": spec.description_nl,
                        "description_en": spec.description_en,
                        "choices": list(spec.choices) if spec.choices else None,
                        "choice_labels": [
                            {"code": c.code, "label": c.nl, "label_en": c.en}
                            for c in spec.choice_labels
                        ]
                        if spec.choices
                        else None,
                        "default": _jsonable(spec.default),
                        "length": spec.length,
                        "minimum": spec.minimum,
                        "maximum": spec.maximum,
                    }
                    for spec in rule.fact_specs
                ],
            }
        )
    return tuple(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def rule(rule_id: str) -> dict[str, Any]:
    """One rule as :func:`rules` lists it; an unknown id is refused naming ``rule``."""
    if _modules() is None:
        raise BadInputError("rule", UNAVAILABLE_EN, UNAVAILABLE_NL)
    for r in rules():
        if r["id"] == rule_id:
            return r
    raise BadInputError(
        "rule",
        f"{rule_id!r} is not a rule of keten.rules",
        f"{rule_id!r} is geen regel van de Vreemdelingencirculaire in Keten",
    )


# Facts that describe the person whose dossier it is. A rule with a ``relation`` fact is about
# someone else (a family member of the sponsor or permit holder): the dossier's birth date is
# then the wrong person's, so these are not offered there.
_PERSON_FACTS = frozenset(
    {
        "birth_date",
        "nationality",
        "unaccompanied_minor",
        "unaccompanied",
        "minor_or_family_of_minor",
    }
)


def applicable(rule_: dict[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
    """The known facts (by name) that this rule asks for and that mean the same here."""
    names = {f["name"] for f in rule_["facts"]}
    about_someone_else = "relation" in names
    return {
        name: value
        for name, value in known.items()
        if name in names and not (about_someone_else and name in _PERSON_FACTS)
    }


def run(rule_id: str, facts: dict[str, Any], on: date) -> dict[str, Any]:
    """Evaluate one rule on one case; the outcome JSON carries the trail with citations."""
    mods = _modules()
    if mods is None:
        raise BadInputError("rule", UNAVAILABLE_EN, UNAVAILABLE_NL)
    registry, evaluate, errors = mods
    try:
        found = registry.get_rule(rule_id)
        outcome = evaluate.evaluate(found, facts, on)
    except NoValueError as exc:  # a dated parameter the rule reads has no value on the day
        raise BadInputError("on", str(exc), exc.message_nl) from None
    except errors.FactsError as exc:
        name, message = exc.problems[0] if exc.problems else ("facts", str(exc))
        raise BadInputError(f"facts.{name}", message, dutch(message)) from None
    except errors.RuleError as exc:
        if isinstance(exc, errors.UnknownRuleError):
            said_nl = f"{rule_id!r} is geen regel van de Vreemdelingencirculaire in Keten"
        elif isinstance(exc, errors.NotInForceError):
            said_nl = f"regel {rule_id} (of een waarde die zij gebruikt) geldt niet op deze datum"
        else:
            said_nl = f"regel {rule_id} kan niet worden toegepast"
        raise BadInputError("rule", str(exc), said_nl) from None
    result: dict[str, Any] = outcome.to_json()
    # The facts as given go with the outcome, so that a decision recording this trail also
    # records what the rule was run on.
    result["facts"] = facts
    result["title"], result["title_en"] = found.title.nl, found.title.en
    return result
