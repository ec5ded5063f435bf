"""Every quoted sentence of a rule, a parameter or an instrument occurs in its seed document."""

from __future__ import annotations

import pytest

from keten.rules.instruments import instruments
from keten.rules.parameters import default_parameters
from keten.rules.registry import all_rules
from tests.rules.rules_support import SEED_NAME, quote_in_seed

RULE_QUOTES = [
    (rule.id, quote.source, quote.text)
    for rule in all_rules().values()
    for version in rule.versions
    for quote in version.quotes
]
PARAM_QUOTES = [
    (p.name, v.source, v.quote)
    for p in default_parameters()
    for v in p.versions
    if v.source and v.quote
]
INSTRUMENT_QUOTES = [
    (i.id, i.source, i.quote) for i in instruments().values() if i.source and i.quote
]
ALL = RULE_QUOTES + PARAM_QUOTES + INSTRUMENT_QUOTES


@pytest.mark.parametrize(("owner", "source", "text"), ALL, ids=[f"{o}:{t[:40]}" for o, _, t in ALL])
def test_quote_occurs_in_its_source(owner: str, source: str, text: str) -> None:
    assert SEED_NAME.match(source), f"{owner}: source must be a seed file name, got {source!r}"
    assert quote_in_seed(text, source), f"{owner}: not found in {source}: {text}"


def test_every_rule_quotes_a_source() -> None:
    for rule in all_rules().values():
        for version in rule.versions:
            assert version.quotes, f"{rule.id}: version {version.label.en} quotes nothing"


def test_every_check_and_parameter_has_a_citation() -> None:
    for rule in all_rules().values():
        for version in rule.versions:
            for check in version.checks:
                assert check.citation.strip(), f"{rule.id}: check {check.id} has no citation"
    for parameter in default_parameters():
        for dated in parameter.versions:
            assert dated.citation.strip(), f"{parameter.name} has a version without citation"
