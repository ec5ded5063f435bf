"""Shared helpers for the rule tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent / "cases"
# The seed documents ship with the repository (data/seeds, provenance in data/README.md), so the
# quote checks run everywhere, CI included; a missing seed is a failure, not a skip.
SEEDS_DIR = REPO / "data" / "seeds"


BULLETS = str.maketrans(dict.fromkeys("•●\uf0b7\uf0d8\uf0a7\xad", " "))


def normalise(text: str) -> str:
    """Whitespace collapsed and list bullets dropped, so a quote spanning a list still matches."""
    return " ".join(text.translate(BULLETS).split())


@cache
def seed_text(name: str) -> str:
    path = SEEDS_DIR / name
    if not path.is_file():
        pytest.fail(f"seed document {name} missing from {SEEDS_DIR}")
    return normalise(path.read_text(encoding="utf-8"))


def quote_in_seed(quote: str, source: str) -> bool:
    return normalise(quote) in seed_text(source)


SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


# Thirty-five countries with an income per head, highest first, for tests whose rule reads the
# World Bank top 35 (REAN) while the shipped register holds no figures yet (data/countries/
# register/README.md says why). The figures are made up for the test, not the Bank's.
TOP35_FOR_TESTS = (
    "USA", "NOR", "CHE", "LUX", "IRL", "ISL", "QAT", "SGP", "DNK", "AUS",
    "SWE", "AUT", "FIN", "DEU", "BEL", "CAN", "ISR", "NZL", "GBR", "JPN",
    "FRA", "ARE", "KOR", "MLT", "ITA", "KWT", "BHR", "ESP", "SVN", "CYP",
    "CZE", "EST", "PRT", "SAU", "LTU",
)  # fmt: skip


def write_register_with_top35(directory: Path) -> Path:
    """The shipped register with its World Bank file replaced by one edition that ranks 35
    countries (editions may not overlap, so the shipped rows make way)."""
    import csv
    import shutil

    from keten.chain import country_register

    shipped = country_register.register_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for name in country_register.FILES:
        shutil.copy(shipped / name, directory / name)
    with (directory / country_register.INCOME_FILE).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(country_register.COLUMNS[country_register.INCOME_FILE])
        for rank, code in enumerate(TOP35_FOR_TESTS):
            writer.writerow([code, "FY2000", "2000-01-01", "", "high",
                             200000 - rank, 1999, "test figures", "true", "", ""])  # fmt: skip
    return directory


@pytest.fixture
def top35_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point Keten at a register copy with a ranked World Bank edition, for this test only."""
    from keten.chain import country_register
    from keten.rules.parameters import default_parameters

    directory = write_register_with_top35(tmp_path / "register")
    monkeypatch.setenv(country_register.ENV_DIR, str(directory))
    country_register.clear_cache()
    default_parameters.cache_clear()
    yield directory
    monkeypatch.delenv(country_register.ENV_DIR)
    country_register.clear_cache()
    default_parameters.cache_clear()
