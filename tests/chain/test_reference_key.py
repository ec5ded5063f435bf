"""The Netherlands' fair share by the reference key (Reg. (EU) 2024/1351, half population and
half total GDP), worked by hand on small figures, and the shipped file without GDP figures
giving no share but saying what is missing."""

from __future__ import annotations

import pytest

from keten.chain.reference_key import fair_share, netherlands_share, to_json

STATES = ("AA", "BB", "NL")


def test_half_population_half_gdp() -> None:
    # Population 10, 30, 60 (NL 60 %); GDP 50, 25, 25 (NL 25 %): 0.5 * 0.6 + 0.5 * 0.25.
    share = fair_share("NL", STATES, {"AA": 10, "BB": 30, "NL": 60}, {"AA": 50, "BB": 25, "NL": 25})
    assert share.population_fraction == pytest.approx(0.6)
    assert share.gdp_fraction == pytest.approx(0.25)
    assert share.fraction == pytest.approx(0.425)
    assert share.missing == ()


def test_a_missing_figure_gives_no_share_and_says_which() -> None:
    share = fair_share("NL", STATES, {"AA": 10, "BB": 30, "NL": 60}, {"AA": 50, "NL": 25})
    assert share.fraction is None and share.gdp_fraction is None
    assert share.population_fraction == pytest.approx(0.6)
    assert share.missing == ("gdp: BB",)
    assert share.missing_nl == ("bbp: BB",)
    with pytest.raises(ValueError):
        fair_share("XX", STATES, {}, {})


def test_the_shipped_key_lacks_gdp_and_computes_no_share() -> None:
    """GDP per member state was not found (data/solidarity/reference_key.yaml): no share."""
    share = netherlands_share()
    assert share.fraction is None
    assert share.missing_nl == ("bbp: alle 27",)
    # Eurostat, 1 January 2024, as shipped: NL 17,942,900 of the 27 figures' 449,206,200.
    assert share.population_fraction == pytest.approx(17_942_900 / 449_206_200)
    shown = to_json(21_000, 420_000_000)
    assert (shown["computed"], shown["eur"], shown["relocations"]) == (False, None, None)
    assert shown["key"]["verified"] is False and shown["gdp"]["value"] == 0
