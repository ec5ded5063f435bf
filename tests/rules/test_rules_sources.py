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
    if v.source and v.quote and not v.source.startswith("https://")
]
# Values taken from a publication outside the seeds (the yearly amounts after 2021): the
# sentence cannot be checked offline, so the version must say where and when it was published
# and must not claim to be verified unless that is the official publication.
PUBLISHED = [
    (p.name, v)
    for p in default_parameters()
    for v in p.versions
    if (v.source or "").startswith("https://")
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


@pytest.mark.parametrize(
    ("owner", "version"), PUBLISHED, ids=[f"{o}:{v.valid_from}" for o, v in PUBLISHED]
)
def test_a_published_value_names_its_publication_day_and_quote(owner: str, version: object) -> None:
    from keten.time.dated import Version

    assert isinstance(version, Version)
    assert version.publication, f"{owner}: a value from {version.source} names its publication"
    assert version.published is not None, f"{owner}: and the day it was published"
    assert version.quote and len(version.quote) > 15, f"{owner}: and quotes the sentence"
    assert version.verified or len((version.note or "").removeprefix("unverified: ")) > 40, (
        f"{owner}: an unverified value says what it was checked against and when"
    )
