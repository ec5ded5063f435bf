"""What each location kind allows (data/reception/location_kinds.yaml, keten.chain.locations):
every kind covered and cited word for word from its seed, and the two questions others ask,
``admits`` and ``overstay``, answered as the seeds' sentences say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from keten.chain.kinds import PLACEMENT_TYPES
from keten.chain.locations import (
    LOCATION_KINDS,
    LOCATION_OF_PLACEMENT,
    PLACEMENTS_AT,
    admits,
    location_rules,
    overstay,
)
from tests.conftest import SEEDS, in_seed

QUOTES = [
    (kind, source.seed, source.quote)
    for kind, rules in location_rules().items()
    for source in rules.sources
]


def test_every_kind_has_its_rules_and_a_source_or_says_why_not() -> None:
    rules = location_rules()
    assert set(rules) == set(LOCATION_KINDS)
    for kind, r in rules.items():
        assert r.sources or r.uncertain, kind
        assert r.operators and set(r.placements) <= set(PLACEMENT_TYPES), kind
    # The shared table others read is the data file's.
    assert PLACEMENTS_AT["sober"] == ("coa_regular",)
    assert LOCATION_OF_PLACEMENT["coa_crisis"] == "crisis"
    assert "coa_regular" not in LOCATION_OF_PLACEMENT  # regular, sober, family, application


@pytest.mark.parametrize(("kind", "document", "quote"), QUOTES, ids=[q[0] for q in QUOTES])
def test_location_quotes_are_verbatim(kind: str, document: str, quote: str) -> None:
    assert (SEEDS / document).is_file(), f"{kind}: unknown seed {document}"
    assert in_seed(document, quote), f"{kind}: quote not found in {document}"


def test_crisis_reception_lasts_at_most_seven_days() -> None:
    """Seed 001, 4.1: "kan als uiterste redmiddel crisisnoodopvang worden ingezet (max. 7
    dagen opvang in bijv. lokale sporthallen)". Counted from the first day as day 1: the
    7th day is within, the 8th (start + 7) over."""
    start = date(2026, 3, 2)
    assert overstay("crisis", start, start + timedelta(days=6)) is None
    over = overstay("crisis", start, start + timedelta(days=7))
    assert over is not None
    assert (over.max_days, over.days, over.since) == (7, 8, start + timedelta(days=7))
    assert "max. 7 dagen" in over.source.quote
    # A stay that ended: its last day is the day before the end day.
    assert overstay("crisis", start, date(2026, 4, 1), end=start + timedelta(days=7)) is None
    assert overstay("crisis", start, date(2026, 4, 1), end=start + timedelta(days=8)) is not None
    # Other kinds have no maximum in the seeds.
    assert overstay("regular", start, date(2030, 1, 1)) is None
    assert overstay("emergency", start, date(2030, 1, 1)) is None


def test_who_may_be_placed_where() -> None:
    """Seed 001, 4.2: "Alleen de alleenstaande minderjarige vreemdelingen waren uitgezonderd
    van het sobere regime." Seed 004, Vc A5/2.4: "zowel alleenstaande minderjarigen als
    gezinnen met minderjarigen ... in de Gesloten Gezinsvoorziening"."""
    assert not admits("sober", unaccompanied_minor=True, family_with_minors=False)
    assert admits("sober", unaccompanied_minor=False, family_with_minors=True)
    assert admits("amv_small_scale", unaccompanied_minor=True, family_with_minors=False)
    assert not admits("amv_small_scale", unaccompanied_minor=False, family_with_minors=True)
    assert admits("ggv", unaccompanied_minor=True, family_with_minors=False)
    assert admits("ggv", unaccompanied_minor=False, family_with_minors=True)
    assert not admits("ggv", unaccompanied_minor=False, family_with_minors=False)
    assert not admits("family_location", unaccompanied_minor=False, family_with_minors=False)
    assert not admits("detention_centre", unaccompanied_minor=True, family_with_minors=False)
    assert admits("regular", unaccompanied_minor=True, family_with_minors=False)
    assert location_rules()["family_location"].uncertain  # no seed: said so


def test_the_border_location_holds_neither_amv_nor_families() -> None:
    """Seed 002: "Als de grensprocedure wordt toegepast voor gezinnen met kinderen of amv’s,
    vindt dit plaats in een gesloten gezinsvoorziening in Zeist." Seed 004: the border guard
    "plaatst de vreemdeling ... in AC Schiphol", an application centre "gevestigd in het
    Justitieel Complex Schiphol"."""
    assert admits("border", unaccompanied_minor=False, family_with_minors=False)
    assert not admits("border", unaccompanied_minor=True, family_with_minors=False)
    assert not admits("border", unaccompanied_minor=False, family_with_minors=True)
    assert PLACEMENTS_AT["border"] == ("border_detention",)
    assert LOCATION_OF_PLACEMENT["border_detention"] == "border"
    assert location_rules()["border"].operators == ("dji",)
    assert location_rules()["border"].max_stay_days is None
