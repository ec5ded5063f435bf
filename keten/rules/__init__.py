"""Executable policy rules: dated, citable, explained, and the same for one case or a million.

A :class:`~keten.rules.rule.Rule` has an id, its citation, a Dutch and an English title, the
quoted source sentences, dated versions (e.g. before and after a WBV), typed facts and checks.
:func:`~keten.rules.evaluate.evaluate` runs one case with a trail of every check, its value and
its citation; :func:`~keten.rules.evaluate.evaluate_table` runs the same rule over a table.
Parameters that change over time live in ``keten/rules/params/*.yaml`` with their validity dates
and citations.
"""

from keten.rules.errors import FactsError, NotInForceError, RuleError, UnknownRuleError
from keten.rules.evaluate import Outcome, evaluate, evaluate_table
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.registry import all_rules, get_rule
from keten.rules.rule import Rule

__all__ = [
    "FactsError",
    "NotInForceError",
    "Outcome",
    "ParameterSet",
    "Rule",
    "RuleError",
    "UnknownRuleError",
    "all_rules",
    "default_parameters",
    "evaluate",
    "evaluate_table",
    "get_rule",
]
