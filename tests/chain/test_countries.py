"""The nationality table: the dossier's ICAO alpha-3 codes, the rules' ISO alpha-2 codes, and the
Dutch names the interface shows, all from ``data/countries/iso_3166_1.csv``."""

from __future__ import annotations

import pytest

from keten.chain.countries import STATELESS, UNKNOWN_NATIONALITY, all_countries, alpha_2, country
from keten.chain.identity import (
    EU_EEA_CH,
    NATIONALITY_NAMES,
    IdentityError,
    check_nationality,
    nationality_name,
)
from keten.rules.parameters import default_parameters


def test_alpha_3_and_alpha_2_are_one_country() -> None:
    syria = country("SYR")
    assert syria is not None and syria.alpha_2 == "SY"
    assert (syria.name_nl, syria.name_en) == ("Syrië", "Syria")
    # A3/5.1 names Taiwan with the countries REAN excludes; the rules write it as TW
    assert alpha_2("TWN") == "TW"
    assert alpha_2("NLD") == "NL" and alpha_2("COD") == "CD"


def test_stateless_and_unknown_have_no_country_code() -> None:
    """Neither is an ISO 3166 country: no rule's country group can contain them."""
    assert alpha_2(STATELESS) is None and alpha_2(UNKNOWN_NATIONALITY) is None
    assert nationality_name(STATELESS) == "staatloos"
    assert nationality_name(UNKNOWN_NATIONALITY, "en") == "unknown"


def test_a_code_outside_the_table_is_refused_naming_the_field() -> None:
    assert check_nationality(" cod ") == "COD"
    with pytest.raises(IdentityError) as err:
        check_nationality("ABC")
    assert err.value.field == "nationality" and "ISO 3166-1" in err.value.rule
    assert country("ABC") is None and alpha_2("ABC") is None


def test_names_are_adjectives_for_the_frequent_and_country_names_otherwise() -> None:
    assert nationality_name("SYR") == "Syrisch"
    assert nationality_name("COD") == "Congo, Democratische Republiek"
    assert nationality_name("COD", "en") == "Congo, The Democratic Republic of the"


def test_every_code_the_chain_and_the_rules_use_is_in_the_table() -> None:
    """The synthetic chain's nationalities, the EU/EEA/CH set and every alpha-2 code in the
    rules' country groups (countries.yaml) must resolve, or a rule could never match them."""
    known_alpha_2 = {c.alpha_2 for c in all_countries()}
    assert all(country(code) is not None for code in NATIONALITY_NAMES)
    assert all(alpha_2(code) is not None for code in EU_EEA_CH)
    groups = [p for p in default_parameters() if p.name.startswith("countries.")]
    assert len(groups) >= 3
    for group in groups:
        for version in group.versions:
            assert set(version.value) <= known_alpha_2, group.name


def test_all_countries_lists_the_special_codes_first_then_by_name() -> None:
    listed = all_countries("nl")
    assert [c.alpha_3 for c in listed[:2]] == [STATELESS, UNKNOWN_NATIONALITY]
    names = [c.name_nl.casefold() for c in listed[2:]]
    assert names == sorted(names) and len(listed) == 2 + 249
