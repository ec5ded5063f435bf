"""Which rules decision support offers on a procedure: those that serve its type and regime.

The mapping is data (``data/decision_support/rule_scope.yaml``: rule id -> procedure types ->
regimes, each entry with what the rule's paragraph decides on). A rule that serves the
procedure's type under its regime is offered first; every other rule stays reachable under
"other rules", so nothing a case worker might need is taken away. A proposed law's rule (the
Asielnoodmaatregelenwet) is never offered first: it runs only as a scenario.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from keten._data import data_path

SCOPE_FILE = ("decision_support", "rule_scope.yaml")


@dataclass(frozen=True)
class RuleScope:
    rule_id: str
    serves: Mapping[str, tuple[str, ...]]  # procedure type -> regimes (empty: every regime)
    why: str
    uncertain: str | None = None

    def applies(self, procedure_type: str, regime: str | None) -> bool:
        if procedure_type not in self.serves:
            return False
        regimes = self.serves[procedure_type]
        return not regimes or regime in regimes


@cache
def scopes() -> dict[str, RuleScope]:
    with data_path(*SCOPE_FILE).open(encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    out: dict[str, RuleScope] = {}
    for rule_id, entry in raw["rules"].items():
        serves = {str(t): tuple(str(r) for r in (rs or ())) for t, rs in entry["serves"].items()}
        out[str(rule_id)] = RuleScope(str(rule_id), serves, entry["why"], entry.get("uncertain"))
    return out


@dataclass(frozen=True)
class Offered:
    """The rules for one procedure: ``applicable`` first, ``other`` folded away."""

    applicable: list[dict[str, Any]]
    other: list[dict[str, Any]]


def offered(rules: Iterable[dict[str, Any]], procedure_type: str, regime: str | None) -> Offered:
    """Split ``rules`` (as ``decision_support.rules`` lists them) for a procedure of
    ``procedure_type`` under ``regime``; each applicable rule carries ``why`` (and
    ``uncertain`` where the mapping is Keten's reading)."""
    known = scopes()
    applicable: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for rule in rules:
        scope = known.get(rule["id"])
        if scope is not None and not rule.get("proposed") and scope.applies(procedure_type, regime):
            applicable.append({**rule, "why": scope.why, "uncertain": scope.uncertain})
        else:
            other.append(rule)
    return Offered(applicable, other)
