"""The nationality table: the dossier's ICAO alpha-3 codes, the rules' ISO alpha-2 codes, and the
Dutch names the interface shows, all from ``data/countries/iso_3166_1.csv``, and the import that
builds it from iso-codes plus the sourced ``dutch_names.csv`` and ``additional_codes.csv``."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

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
from tests.conftest import REPO

COUNTRIES = REPO / "data" / "countries"


def _import_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_iso_codes", COUNTRIES / "import_iso_codes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    assert names == sorted(names) and len(listed) == 2 + 249 + 1  # ISO 3166-1 and Kosovo


def test_kosovo_is_a_nationality_under_the_eu_user_assigned_code() -> None:
    """ISO 3166-1 has no Kosovo; PRADO (Council of the EU) files its documents under XKX, "a code
    used for practical reasons and not an official ISO country code", and XK is its alpha-2."""
    kosovo = country("XKX")
    assert kosovo is not None
    assert (kosovo.alpha_2, kosovo.name_nl, kosovo.name_en) == ("XK", "Kosovo", "Kosovo")
    assert alpha_2("XKX") == "XK"
    assert check_nationality(" xkx ") == "XKX"
    assert nationality_name("XKX") == "Kosovo" and nationality_name("XKX", "en") == "Kosovo"
    assert kosovo in all_countries("nl") and kosovo in all_countries("en")
    # one code per nationality: the MRZ code of Kosovo passports is not a second way in
    assert country("RKS") is None
    with pytest.raises(IdentityError, match="register the nationality as XKX"):
        check_nationality("RKS")


def test_a_code_copied_from_a_passport_is_refused_with_the_code_to_use() -> None:
    """ICAO Doc 9303 has German documents print "D", not DEU; the register keeps DEU."""
    with pytest.raises(IdentityError, match="register the nationality as DEU") as refused:
        check_nationality("d")
    assert refused.value.field == "nationality"


def test_georgia_is_named_in_dutch_where_iso_codes_has_no_translation() -> None:
    """Rechtbank Den Haag, ECLI:NL:RBDHA:2020:9937: "dat Georgië kan worden aangemerkt als
    veilig land van herkomst"; iso-codes 4.15.0 leaves "Georgia" untranslated."""
    georgia = country("GEO")
    assert georgia is not None
    assert (georgia.alpha_2, georgia.name_nl, georgia.name_en) == ("GE", "Georgië", "Georgia")
    assert georgia.name("nl") == "Georgië" and georgia.name("en") == "Georgia"


def test_the_table_carries_every_sourced_row() -> None:
    """The generated table is the one read at run time: every override and every added code
    must be in it, and each hand-kept row names its source and the day it was taken."""
    with (COUNTRIES / "iso_3166_1.csv").open(encoding="utf-8", newline="") as handle:
        table = {row["alpha_3"]: row for row in csv.DictReader(handle)}
    read_sourced = _import_script().read_sourced
    overrides = read_sourced(COUNTRIES / "dutch_names.csv")
    additions = read_sourced(COUNTRIES / "additional_codes.csv")
    assert overrides and additions
    for override in overrides:
        assert table[override["alpha_3"]]["name_nl"] == override["name_nl"]
        assert table[override["alpha_3"]]["name_en"] == override["name_en"]
    for added in additions:
        assert table[added["alpha_3"]] == {k: v for k, v in added.items() if k in table["NLD"]}
    for row in (*overrides, *additions):
        assert "https://" in row["source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["taken"])


_GEORGIA = {"alpha_3": "GEO", "alpha_2": "GE", "numeric": "268", "name": "Georgia"}
_SYRIA = {
    "alpha_3": "SYR",
    "alpha_2": "SY",
    "numeric": "760",
    "name": "Syrian Arab Republic",
    "common_name": "Syria",
}
_DUTCH = {"Syrian Arab Republic": "Syrië"}
_GEORGIA_NL = {"alpha_3": "GEO", "name_en": "Georgia", "name_nl": "Georgië"}
_KOSOVO = {
    "alpha_3": "XKX",
    "alpha_2": "XK",
    "numeric": "",
    "name_en": "Kosovo",
    "name_nl": "Kosovo",
}


def _translate(catalogue: dict[str, str]) -> Callable[[str], str]:
    return lambda msgid: catalogue.get(msgid, msgid)  # gettext returns the msgid when untranslated


def test_import_applies_overrides_and_additions_in_alpha_3_order() -> None:
    merge = _import_script().merge
    rows = merge([_SYRIA, _GEORGIA], _translate(_DUTCH), [_GEORGIA_NL], [_KOSOVO])
    assert rows == [
        ("GEO", "GE", "268", "Georgia", "Georgië"),
        ("SYR", "SY", "760", "Syria", "Syrië"),
        ("XKX", "XK", "", "Kosovo", "Kosovo"),
    ]


def test_import_refuses_an_override_once_iso_codes_translates_the_name() -> None:
    merge = _import_script().merge
    translated = _translate({**_DUTCH, "Georgia": "Georgië"})
    with pytest.raises(ValueError, match="iso-codes now translates 'Georgia'"):
        merge([_GEORGIA], translated, [_GEORGIA_NL], [])
    with pytest.raises(ValueError, match="not in iso-codes"):
        merge([_SYRIA], _translate(_DUTCH), [_GEORGIA_NL], [])


def test_import_adds_only_user_assigned_codes_that_are_free() -> None:
    """A code outside ISO's user-assigned X range could be given to a country by a later
    edition of the standard; RKS (Kosovo's MRZ code) is such a code."""
    merge = _import_script().merge
    with pytest.raises(ValueError, match="not a user-assigned code"):
        merge([_GEORGIA], _translate({}), [], [{**_KOSOVO, "alpha_3": "RKS"}])
    with pytest.raises(ValueError, match="already in the table"):
        merge([_GEORGIA], _translate({}), [], [_KOSOVO, {**_KOSOVO, "alpha_3": "XKK"}])


def test_hand_kept_rows_without_a_source_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "additional_codes.csv"
    path.write_text(
        "# why\nalpha_3,alpha_2,numeric,name_en,name_nl,source,taken\n"
        "XKX,XK,,Kosovo,Kosovo,,2026-11-26\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="XKX has no source"):
        _import_script().read_sourced(path)
