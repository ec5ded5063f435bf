"""Every rule Keten ships, by id. A rule set is a module with a ``RULES`` tuple."""

from __future__ import annotations

import importlib
from functools import cache

from keten.rules.errors import UnknownRuleError
from keten.rules.rule import Rule

# Vc chapters first (in the Circular's order), then the rules from the other sources.
RULE_MODULES: tuple[str, ...] = (
    "keten.rules.vc.a1",
    "keten.rules.vc.a3",
    "keten.rules.vc.a4",
    "keten.rules.vc.a5",
    "keten.rules.vc.b1",
    "keten.rules.vc.b5",
    "keten.rules.vc.b7",
    "keten.rules.vc.b9",
    "keten.rules.vc.b10",
    "keten.rules.vc.b13",
    "keten.rules.vc.c1",
    "keten.rules.dublin",
    "keten.rules.exclusion_1f",
    "keten.rules.labour",
    "keten.rules.resettlement",
    "keten.rules.return_stoplights",
    "keten.rules.pact",
    "keten.rules.asielnood",
)


@cache
def all_rules() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for module_name in RULE_MODULES:
        module = importlib.import_module(module_name)
        rules: tuple[Rule, ...] = module.RULES
        for rule in rules:
            if rule.id in found:
                raise ValueError(f"rule id {rule.id} defined twice")
            found[rule.id] = rule
    return found


def get_rule(rule_id: str) -> Rule:
    rules = all_rules()
    if rule_id not in rules:
        close = [r for r in rules if rule_id.lower() in r.lower()]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        raise UnknownRuleError(f"no rule {rule_id!r}{hint} (see `keten rules list`)")
    return rules[rule_id]
