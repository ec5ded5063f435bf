"""Errors of the rule framework. Each names what is wrong and the rule it concerns."""

from __future__ import annotations

from collections.abc import Sequence


class RuleError(Exception):
    """Base of the errors a caller of a rule can act on."""


class FactsError(RuleError, ValueError):
    """Facts that do not fit the rule: names the rule and every bad field."""

    def __init__(self, rule_id: str, problems: Sequence[tuple[str, str]]) -> None:
        self.rule_id = rule_id
        self.problems = list(problems)
        detail = "; ".join(f"fact '{name}': {message}" for name, message in self.problems)
        super().__init__(f"rule {rule_id}: {detail}")

    @property
    def fields(self) -> list[str]:
        return [name for name, _ in self.problems]


class NotInForceError(RuleError, LookupError):
    """The rule has no version in force on the date, or is a proposal evaluated without scenario."""


class UnknownRuleError(RuleError, LookupError):
    """No rule with that id."""


class UnknownParameterError(RuleError, LookupError):
    """No parameter with that name."""
