"""Updating the country register from downloads: ``keten countries import-rates`` and
``import-income`` run as a user runs them (a real process) on small files written by hand from
the publishers' formats (``tests/chain/fixtures``: Eurostat SDMX-CSV and bulk TSV, the World
Bank's CLASS sheet as CSV and a WDI API download). The expected rates are worked out by hand
from the fixture counts, in the docstrings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from keten.chain import country_register as register
from keten.chain import country_register_import as imports

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNUAL = FIXTURES / "eurostat_migr_asydcfsta.csv"
QUARTERLY = FIXTURES / "eurostat_migr_asydcfstq.tsv"
CLASS = FIXTURES / "world_bank_class.csv"
GNI = FIXTURES / "world_bank_gni.csv"


def keten(*args: str) -> subprocess.CompletedProcess[str]:
    """The command's output with rich's line wrapping undone, so a message reads as one line."""
    done = subprocess.run(
        [sys.executable, "-m", "keten", "countries", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if "--json" not in args:
        done.stdout, done.stderr = " ".join(done.stdout.split()), " ".join(done.stderr.split())
    return done


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    target = tmp_path / "register"
    shutil.copytree(FIXTURES / "register", target)
    return target


def _rates(directory: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    rows = imports.read_rows(directory / register.RATES_FILE)
    return {(r["nationality"], r["period"], r["basis"]): r for r in rows}


def _figure(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["rate_percent"], row["decisions"], row["granted"], row["published"]


def test_annual_sdmx_csv_gives_both_rates_per_citizenship(directory: Path) -> None:
    """EU27_2020, sex T, age TOTAL only (the NL, sex F and under-18 rows are other numbers):
    Morocco 2025: (60 + 50) / 2000 = 5.5 %, 120 / 2000 = 6.0 %;
    Syria: (12000 + 13505) / 30000 = 85.02 -> 85.0 %, 25605 / 30000 = 85.35 -> 85.4 % (half up);
    Kosovo (XK): 5 / 15 = 33.3 %; Greece (Eurostat's EL): 5 / 5 = 100.0 %;
    Andorra: 0 decisions, no rate; EXT_EU27_2020, STLS and UNK are no countries."""
    done = keten("import-rates", str(ANNUAL), "--register-dir", str(directory), "--json")
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    assert summary["skipped_codes"] == {"EXT_EU27_2020": 1, "STLS": 1, "UNK": 1}
    assert summary["without_decisions"] == 1 and summary["published"] == "2026-05-22"
    assert summary["dataset"] == "Eurostat migr_asydcfsta"
    rows = _rates(directory)
    # The fixture's MAR 2025 figure (5.5, 2000, 110, first published 2026-04-23) is the same
    # figure: its row stays, with the day it was first published.
    assert _figure(rows["MAR", "2025", "international_protection"]) == (
        "5.5",
        "2000",
        "110",
        "2026-04-23",
    )
    assert _figure(rows["MAR", "2025", "all_positive"]) == ("6.0", "2000", "120", "2026-05-22")
    assert _figure(rows["SYR", "2025", "international_protection"])[:3] == (
        "85.0",
        "30000",
        "25505",
    )
    assert _figure(rows["SYR", "2025", "all_positive"])[:3] == ("85.4", "30000", "25605")
    assert _figure(rows["XKX", "2025", "international_protection"])[:3] == ("33.3", "15", "5")
    assert _figure(rows["GRC", "2025", "all_positive"])[:3] == ("100.0", "5", "5")
    assert not any(k[0] == "AND" for k in rows)
    # The fixture's other rows are kept; the new ones cite the data browser and are verified.
    assert _figure(rows["MAR", "2024", "international_protection"])[0] == "4.0"
    new = rows["SYR", "2025", "all_positive"]
    assert new["verified"] == "true" and "migr_asydcfsta" in new["source"]
    assert new["note_nl"].startswith("Berekend door keten countries import-rates")
    assert (summary["added"], summary["unchanged"], summary["kept"]) == (7, 1, 4)
    # What was written reads as a register, and the loader sees the new figure.
    loaded = register.load_dir(directory)
    syr = [f for f in loaded.rates if (f.nationality, f.period) == ("SYR", "2025")]
    assert {f.basis: f.rate_percent for f in syr} == {
        "international_protection": 85.0,
        "all_positive": 85.4,
    }
    lines = (directory / register.RATES_FILE).read_text(encoding="utf-8").splitlines()
    keys = [tuple(line.split(",")[i] for i in (0, 5, 1)) for line in lines[1:]]
    assert keys == sorted(keys)  # by nationality, basis, period


def test_quarterly_bulk_tsv_needs_the_publication_day(directory: Path) -> None:
    """Morocco 2025-Q1: (15 + 10) / 500 = 5.0 %, 30 / 500 = 6.0 %; 2025-Q2: SUB_PROT missing
    (':'), so only 40 / 600 = 6.7 %; the flag 'p' after 20 is not part of the number."""
    refused = keten("import-rates", str(QUARTERLY), "--register-dir", str(directory))
    assert refused.returncode == 2 and "--published" in refused.stderr
    done = keten(
        "import-rates",
        str(QUARTERLY),
        "--register-dir",
        str(directory),
        "--published",
        "2025-09-20",
    )
    assert done.returncode == 0, done.stderr
    assert "Eurostat migr_asydcfstq" in done.stdout and "STLS (2)" in done.stdout
    rows = _rates(directory)
    assert _figure(rows["MAR", "2025-Q1", "international_protection"]) == (
        "5.0",
        "500",
        "25",
        "2025-09-20",
    )
    assert _figure(rows["MAR", "2025-Q1", "all_positive"])[:3] == ("6.0", "500", "30")
    assert _figure(rows["MAR", "2025-Q2", "all_positive"])[:3] == ("6.7", "600", "40")
    # The fixture's 2025-Q2 figure (6.1 %, no counts) differs from nothing the file gives on
    # that basis (no SUB_PROT): it stays as it was.
    assert _figure(rows["MAR", "2025-Q2", "international_protection"]) == (
        "6.1",
        "",
        "",
        "2025-09-20",
    )


def test_a_revised_figure_replaces_the_row_and_dry_run_writes_nothing(directory: Path) -> None:
    before = (directory / register.RATES_FILE).read_bytes()
    dry = keten("import-rates", str(ANNUAL), "--register-dir", str(directory), "--dry-run")
    assert dry.returncode == 0 and "nieuw / added: 7" in dry.stdout
    assert (directory / register.RATES_FILE).read_bytes() == before
    text = before.decode().replace("MAR,2025,5.5,2000,110", "MAR,2025,5.4,2000,108")
    (directory / register.RATES_FILE).write_text(text, encoding="utf-8")
    done = keten("import-rates", str(ANNUAL), "--register-dir", str(directory), "--json")
    assert json.loads(done.stdout)["changed"] == 1
    revised = _rates(directory)["MAR", "2025", "international_protection"]
    assert _figure(revised) == ("5.5", "2000", "110", "2026-05-22")


def test_a_result_that_would_not_read_is_refused_and_nothing_written(directory: Path) -> None:
    """Figures for 2025 "published" on 2025-06-01 would be read by rules before the year
    ended: the register refuses them, so the file stays as it was."""
    before = (directory / register.RATES_FILE).read_bytes()
    done = keten(
        "import-rates",
        str(ANNUAL),
        "--register-dir",
        str(directory),
        "--published",
        "2025-06-01",
    )
    assert done.returncode == 2
    assert "ligt niet na de periode 2025" in done.stderr
    assert (directory / register.RATES_FILE).read_bytes() == before
    assert not list(directory.glob(".*"))


def test_a_file_that_is_no_eurostat_download_is_refused(tmp_path: Path, directory: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    done = keten("import-rates", str(other), "--register-dir", str(directory))
    assert done.returncode == 2 and "geen SDMX-CSV" in done.stderr


def test_sdmx_csv_2_with_labels_reads_the_codes() -> None:
    """SDMX-CSV 2.0 as the data browser writes it with "code:label" values."""
    text = (
        "STRUCTURE,STRUCTURE_ID,freq,unit,citizen,sex,age,decision,geo,TIME_PERIOD,OBS_VALUE,"
        "OBS_FLAG\n"
        "dataflow,ESTAT:MIGR_ASYDCFSTA(1.0),A:Annual,PER:Person,MA:Morocco,T:Total,"
        "TOTAL:Total,TOTAL:Total,EU27_2020:European Union - 27 countries (from 2020),2025,"
        "2000,\n"
    )
    read = imports.read_eurostat(text)
    assert read.values == {("MA", "2025"): {"TOTAL": 2000}}
    assert read.dataflow == "migr_asydcfsta" and read.frequencies == {"A"}


def test_import_income_makes_an_edition_and_closes_the_last(directory: Path) -> None:
    """FY2027 from 2026-07-01 on 2025 figures: LUX 101000.5 -> 101001 (half up), MAR 4010,
    Kosovo 6400, Venezuela not classified and without a figure; the Channel Islands (CHI) have
    no ISO code; the World aggregate is not an economy. FY2026 ends on 2026-06-30."""
    done = keten(
        "import-income",
        str(CLASS),
        str(GNI),
        "--edition",
        "FY2027",
        "--valid-from",
        "2026-07-01",
        "--register-dir",
        str(directory),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["countries"], summary["with_gni"], summary["data_year"]) == (4, 3, 2025)
    assert summary["skipped_codes"] == ["CHI"] and summary["closed_editions"] == ["FY2026"]
    rows = imports.read_rows(directory / register.INCOME_FILE)
    new = {r["country"]: r for r in rows if r["edition"] == "FY2027"}
    assert {
        c: (r["income_group"], r["gni_per_capita_usd"], r["data_year"]) for c, r in new.items()
    } == {
        "LUX": ("high", "101001", "2025"),
        "MAR": ("lower_middle", "4010", "2025"),
        "VEN": ("", "", ""),
        "XKX": ("upper_middle", "6400", "2025"),
    }
    assert {r["valid_to"] for r in rows if r["edition"] == "FY2026"} == {"2026-06-30"}
    assert {r["valid_to"] for r in rows if r["edition"] == "FY2025"} == {"2025-06-30"}
    assert "2026-07-01" in new["LUX"]["note"]
    spans = register.load_dir(directory).income
    assert {(e.edition, e.valid_to) for e in spans if e.country == "MAR"} == {
        ("FY2025", date(2025, 6, 30)),
        ("FY2026", date(2026, 6, 30)),
        ("FY2027", None),
    }
    # Imported again, the edition's rows are replaced, not doubled.
    again = keten(
        "import-income",
        str(CLASS),
        str(GNI),
        "--edition",
        "FY2027",
        "--valid-from",
        "2026-07-01",
        "--register-dir",
        str(directory),
        "--json",
    )
    assert json.loads(again.stdout)["replaced"] == 4
    assert len(imports.read_rows(directory / register.INCOME_FILE)) == len(rows)


def test_import_income_refuses_a_wrong_indicator_and_a_missing_year(
    tmp_path: Path, directory: Path
) -> None:
    wrong = tmp_path / "wdi.csv"
    wrong.write_text(GNI.read_text().replace("NY.GNP.PCAP.CD", "NY.GDP.PCAP.CD"), "utf-8")
    args = ("--edition", "FY2027", "--valid-from", "2026-07-01", "--register-dir", str(directory))
    done = keten("import-income", str(CLASS), str(wrong), *args)
    assert done.returncode == 2 and "niet NY.GNP.PCAP.CD" in done.stderr
    done = keten("import-income", str(CLASS), str(GNI), *args, "--data-year", "2026")
    assert done.returncode == 2 and "geen kolom voor 2026" in done.stderr
