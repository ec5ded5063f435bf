"""How names are folded and matched (keten/chain/names.py): no database."""

from __future__ import annotations

import pytest

from keten.chain import names


@pytest.mark.parametrize(
    "written, folded",
    [
        ("Al-Hassan", "al hassan"),
        ("AL HASSAN", "al hassan"),
        ("Müller", "muller"),
        ("Straße", "strasse"),
        ("ʿAbd al-Rahman", "abd al rahman"),
        ("O'Brien", "obrien"),
        ("Øyvind  Łukasz", "oyvind lukasz"),
        ("Şükrü Yılmaz", "sukru yilmaz"),
        ("  Hiwet . Tesfamariam ", "hiwet tesfamariam"),
    ],
)
def test_diacritics_case_and_punctuation_fold_away(written: str, folded: str) -> None:
    assert names.fold(written) == folded


def test_spelling_variants_of_one_name_share_a_key() -> None:
    keys = {names.canonical(s) for s in ("mohammed", "muhammad", "mohamed", "mohammad")}
    assert keys == {"muhammad"}
    assert names.canonical("abdel") == names.canonical("abdul") == "abd"
    assert names.canonical("hussein") == names.canonical("husayn")
    assert names.canonical("rahimi") == "rahimi"  # a name in no group is itself


def test_the_skeleton_survives_a_misspelt_vowel_not_a_misspelt_consonant() -> None:
    assert names.skeleton("samir") == names.skeleton("samier") == "smr"
    assert names.skeleton("amina") == names.skeleton("amena")
    assert names.skeleton("rahimi") != names.skeleton("rahini")


@pytest.mark.parametrize(
    "query, given, surname, how",
    [
        ("omar rahimi", "Omar", "Rahimi", ["exact", "exact"]),
        ("rahimi omar", "Omar", "Rahimi", ["exact", "exact"]),  # any order
        ("Omer Rahimi", "Omar", "Rahimi", ["variant", "exact"]),  # listed variant
        ("samier", "Samir", "Haddad", ["similar"]),  # misspelt, in no list
        ("Al Hassan", "Dawit", "Al-Hassan", ["exact", "exact"]),
        ("muller", "Anna", "Müller", ["exact"]),
        ("moh", "Mohammed", "Yusuf", ["prefix"]),
        ("mohamed", "Mohammed", "Yusuf", ["variant"]),
    ],
)
def test_every_query_part_must_match_a_name_part(
    query: str, given: str, surname: str, how: list[str]
) -> None:
    m = names.match(query, given, surname)
    assert [h for _, _, h in m.how] == how


def test_a_part_that_matches_nothing_fails_the_whole_query() -> None:
    assert names.match("omar smith", "Omar", "Rahimi").score == 0
    assert names.match("rahini", "Omar", "Rahimi").score == 0  # only PostgreSQL finds this


def test_exact_ranks_above_prefix_above_similar() -> None:
    exact = names.match("samir", "Samir", "X").score
    prefix = names.match("sami", "Samir", "X").score
    similar = names.match("samier", "Samir", "X").score
    assert exact > prefix > similar > 0


def test_the_stored_keys_hold_parts_as_written_canonical_and_skeletons() -> None:
    k = names.name_keys("Mohammed Omar", "Al-Hassan")
    assert k.search_name == "mohammed omar al hassan"
    assert {"mohammed", "muhammad", "omar", "umar", "al", "hassan", "hasan"} <= set(k.keys)
    assert {"#mhmd", "#umr", "#al", "#hsn"} <= set(k.keys)
    # One key for the name in any order: the duplicate check's.
    assert k.search_skeleton == names.name_keys("Al Hassan", "Muhammad Umar").search_skeleton


def test_the_variant_list_is_data_with_its_source_and_uncertainty_stated() -> None:
    text = names.VARIANTS_FILE.read_text(encoding="utf-8")
    assert "Source:" in text and "UNCERTAIN" in text
    # No spelling in two groups: a name would fold to whichever came first.
    seen: dict[str, int] = {}
    for i, line in enumerate(x for x in text.splitlines() if x and not x.startswith("#")):
        for spelling in line.split(","):
            assert spelling not in seen, f"{spelling} in lines {seen[spelling]} and {i}"
            seen[spelling] = i
