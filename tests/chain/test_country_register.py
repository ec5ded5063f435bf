"""The country register's loader (keten.chain.country_register), on small files of the tests' own
(``tests/chain/fixtures/register``: made-up figures, marked so), never on the shipped rows.

Every expected value is read off the fixture's lines or the test's own lines, not computed by
the code under test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from keten.chain import country_register as register
from keten.chain.country_register import RegisterError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "register"

RATES_HEAD = ",".join(register.COLUMNS[register.RATES_FILE])
INCOME_HEAD = ",".join(register.COLUMNS[register.INCOME_FILE])
SAFE_HEAD = ",".join(register.COLUMNS[register.SAFE_FILE])
VISA_HEAD = ",".join(register.COLUMNS[register.VISA_FILE])
PROV = "test,false,Made up,Verzonnen"  # source, verified, note, note_nl


@pytest.fixture
def fixture_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The fixture register copied to a directory of its own, read through the environment
    variable an installation uses, with the loader's memory cleared before and after."""
    target = tmp_path / "register"
    shutil.copytree(FIXTURE, target)
    monkeypatch.setenv(register.ENV_DIR, str(target))
    register.clear_cache()
    yield target
    register.clear_cache()


def _lines(*rows: str) -> list[str]:
    return [row + "\n" for row in rows]


def _refused(exc: pytest.ExceptionInfo[RegisterError], file: str, row: int, column: str) -> None:
    assert (exc.value.file, exc.value.row, exc.value.column) == (file, row, column)
    assert exc.value.nl and exc.value.en and exc.value.nl in str(exc.value)


# -- parsing ------------------------------------------------------------------------------------


def test_the_fixture_reads_with_its_lines_as_refs(fixture_register: Path) -> None:
    figures = register.rates()
    assert len(figures) == 5
    syr = next(f for f in figures if f.nationality == "SYR")
    assert syr.ref == "data/countries/register/recognition_rates.csv:6"
    assert (syr.rate_percent, syr.decisions, syr.granted) == (85.0, None, None)
    assert syr.verified is False and syr.note_nl.startswith("Verzonnen cijfer")
    mar = next(e for e in register.safe_countries() if e.country == "MAR")
    assert mar.excepted_groups == ("lhbti",) and mar.exception_en == "not for LGBTI persons"
    assert mar.valid_to is None and mar.ref.endswith("safe_countries.csv:2")


def test_a_row_after_a_field_spanning_two_lines_names_its_own_line() -> None:
    lines = _lines(
        VISA_HEAD,
        'MAR,visa_required,2018-12-18,,"Reg. (EU)',
        '2018/1806",test,false,Made up,Verzonnen',
        f"GEO,visa_free,2018-12-18,,Reg. (EU) 2018/1806,{PROV}",
    )
    geo, mar = register.parse_visa(lines)  # sorted by country
    assert (mar.row, geo.row) == (2, 4)
    assert mar.legal_act == "Reg. (EU)\n2018/1806"


@pytest.mark.parametrize(
    ("parse", "rows", "file", "line", "column", "dutch"),
    [
        (
            register.parse_rates,
            [f"QQQ,2024,4.0,,,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "nationality",
            "geen ISO alpha-3-code",
        ),
        (
            register.parse_rates,
            [f"XXA,2024,4.0,,,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "nationality",
            "geen ISO alpha-3-code",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,100.1,,,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "rate_percent",
            "van 0 tot 100",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,12.34,,,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "rate_percent",
            "ten hoogste één decimaal",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,5.0,1000,40,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "rate_percent",
            "niet inwilligingen/beslissingen (40/1000)",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,4.0,,,positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "basis",
            "is niet een van all_positive, international_protection",
        ),
        (
            register.parse_rates,
            [f"MAR,2024-Q5,4.0,,,all_positive,2025-04-24,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "period",
            "geen jaar (2025) of kwartaal",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,4.0,,,all_positive,2024-12-31,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "published",
            "ligt niet na de periode 2024",
        ),
        (
            register.parse_rates,
            [f"MAR,2024,4.0,,,all_positive,24-04-2025,Eurostat,{PROV}"],
            "recognition_rates.csv",
            2,
            "published",
            "geen dag (JJJJ-MM-DD)",
        ),
        (
            register.parse_rates,
            ["MAR,2024,4.0,,,all_positive,2025-04-24,Eurostat,,true,,"],
            "recognition_rates.csv",
            2,
            "source",
            "is verplicht",
        ),
        (
            register.parse_rates,
            ["MAR,2024,4.0,,,all_positive,2025-04-24,Eurostat,test,false,,"],
            "recognition_rates.csv",
            2,
            "note",
            "waartegen ze is gecontroleerd",
        ),
        (
            register.parse_rates,
            ["MAR,2024,4.0,,,all_positive,2025-04-24,Eurostat,test,true,Checked,"],
            "recognition_rates.csv",
            2,
            "note_nl",
            "Nederlands",
        ),
        (
            register.parse_rates,
            [
                f"MAR,2024,4.0,,,all_positive,2025-04-24,Eurostat,{PROV}",
                f"MAR,2024,4.1,,,all_positive,2025-05-24,Eurostat,{PROV}",
            ],
            "recognition_rates.csv",
            3,
            "period",
            "het eerste op regel 2",
        ),
        (
            register.parse_income,
            [f"MAR,FY2026,2025-07-01,,middle,3900,2024,{PROV}"],
            "world_bank_income.csv",
            2,
            "income_group",
            "is niet een van (leeg), high, low, lower_middle, upper_middle",
        ),
        (
            register.parse_income,
            [f"MAR,FY2026,2025-07-01,,lower_middle,3900,,{PROV}"],
            "world_bank_income.csv",
            2,
            "data_year",
            "noemt zijn jaar",
        ),
        (
            register.parse_income,
            [f'MAR,FY2026,2025-07-01,,lower_middle,"3,900",2024,{PROV}'],
            "world_bank_income.csv",
            2,
            "gni_per_capita_usd",
            "geen geheel getal",
        ),
        (
            register.parse_income,
            [
                f"MAR,FY2026,2025-07-01,,lower_middle,3900,2024,{PROV}",
                f"LUX,FY2026,2025-07-02,,high,90000,2024,{PROV}",
            ],
            "world_bank_income.csv",
            3,
            "valid_from",
            "FY2026 heeft andere data op regel 2",
        ),
        (
            register.parse_income,
            [
                f"MAR,FY2025,2024-07-01,,lower_middle,3700,2023,{PROV}",
                f"MAR,FY2026,2025-07-01,,lower_middle,3900,2024,{PROV}",
            ],
            "world_bank_income.csv",
            3,
            "valid_from",
            "FY2026 overlapt FY2025 (regel 2)",
        ),
        (
            register.parse_safe,
            [
                f"UKR,2019-01-01,,,,,test,,{PROV.split(',', 1)[1]}",
                f"UKR,2023-01-01,,,,,test,,{PROV.split(',', 1)[1]}",
            ],
            "safe_countries.csv",
            3,
            "valid_from",
            "overlapt regel 2 voor UKR",
        ),
        (
            register.parse_safe,
            ["MAR,2016-01-01,,lhbti,,not for LGBTI persons,test,,false,Made up,Verzonnen"],
            "safe_countries.csv",
            2,
            "exception_nl",
            "in het Nederlands en Engels",
        ),
        (
            register.parse_safe,
            ["MAR,2016-01-01,,LHBTI,x,y,test,,false,Made up,Verzonnen"],
            "safe_countries.csv",
            2,
            "excepted_groups",
            "geen groeps-id",
        ),
        (
            register.parse_safe,
            ["MAR,2016-01-01,2015-01-01,,,,test,,false,Made up,Verzonnen"],
            "safe_countries.csv",
            2,
            "valid_to",
            "ligt voor valid_from",
        ),
        (
            register.parse_visa,
            [f"MAR,required,2018-12-18,,Reg. (EU) 2018/1806,{PROV}"],
            "visa_requirement.csv",
            2,
            "requirement",
            "is niet een van visa_free, visa_required",
        ),
        (
            register.parse_visa,
            [
                f"GEO,visa_required,2018-12-18,2019-07-01,Reg. (EU) 2018/1806,{PROV}",
                f"GEO,visa_free,2019-07-01,,Reg. (EU) 2018/1806,{PROV}",
            ],
            "visa_requirement.csv",
            3,
            "valid_from",
            "overlapt regel 2 voor GEO",
        ),
        (
            register.parse_visa,
            [f"MAR,visa_required,2018-12-18,,,{PROV}"],
            "visa_requirement.csv",
            2,
            "legal_act",
            "is verplicht",
        ),
        (
            register.parse_visa,
            ["MAR,visa_required,2018-12-18,,Reg. (EU) 2018/1806,test,yes,,"],
            "visa_requirement.csv",
            2,
            "verified",
            "niet true of false",
        ),
    ],
)
def test_parsing_refuses_with_file_row_and_column(
    parse: object, rows: list[str], file: str, line: int, column: str, dutch: str
) -> None:
    head = ",".join(register.COLUMNS[file])
    with pytest.raises(RegisterError) as exc:
        parse(_lines(head, *rows))  # type: ignore[operator]
    _refused(exc, file, line, column)
    assert dutch in exc.value.nl


def test_a_wrong_header_or_field_count_is_refused() -> None:
    with pytest.raises(RegisterError) as exc:
        register.parse_visa(_lines("country,requirement,valid_from,valid_to,source"))
    _refused(exc, "visa_requirement.csv", 1, "legal_act")
    assert "de kopregel moet" in exc.value.nl
    with pytest.raises(RegisterError) as exc:
        register.parse_visa(_lines(VISA_HEAD, "MAR,visa_required,2018-12-18"))
    assert exc.value.row == 2 and "3 velden waar de kopregel er 9 heeft" in exc.value.nl


def test_load_dir_names_a_missing_file(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "r")
    (tmp_path / "r" / "safe_countries.csv").unlink()
    with pytest.raises(RegisterError) as exc:
        register.load_dir(tmp_path / "r")
    assert exc.value.file == "safe_countries.csv" and "ontbreekt" in exc.value.nl


def test_the_version_is_the_files_digest_and_changes_with_them(fixture_register: Path) -> None:
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(p.name for p in fixture_register.glob("*.csv")):
        digest.update((fixture_register / name).read_bytes())
    assert register.version() == digest.hexdigest()[:12]
    with (fixture_register / "visa_requirement.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"UKR,visa_free,2018-12-18,,Reg. (EU) 2018/1806,{PROV}\n")
    before = register.version()
    register.clear_cache()
    assert register.version() != before


# -- recognition rates by publication day --------------------------------------------------------


def test_the_latest_yearly_figure_published_by_the_day(fixture_register: Path) -> None:
    """MAR 2024 (4.0) was published on 2025-04-24, MAR 2025 (5.5) on 2026-04-23 (fixture lines
    2 and 3): a rule on 2026-04-22 reads 2024's figure, on 2026-04-23 2025's."""
    assert register.recognition_rate("MAR", date(2025, 4, 23)) is None
    first = register.recognition_rate("MAR", date(2026, 4, 22))
    assert first is not None and (first.period, first.rate_percent) == ("2024", 4.0)
    later = register.recognition_rate("MAR", date(2026, 4, 23))
    assert later is not None and (later.period, later.rate_percent) == ("2025", 5.5)
    assert later.ref == "data/countries/register/recognition_rates.csv:3"
    broad = register.recognition_rate("MAR", date(2026, 4, 23), basis="all_positive")
    assert broad is not None and (broad.period, broad.rate_percent) == ("2024", 12.5)
    quarter = register.recognition_rate("MAR", date(2025, 9, 20), yearly=False)
    assert quarter is not None and (quarter.period, quarter.rate_percent) == ("2025-Q2", 6.1)
    assert register.recognition_rate("MAR", date(2025, 9, 19), yearly=False) is None
    assert register.recognition_rate("AFG", date(2026, 12, 4)) is None  # no row: unknown


def test_recognition_rates_per_nationality_and_the_change_days(fixture_register: Path) -> None:
    on = register.recognition_rates(date(2026, 1, 1))
    assert {k: v.rate_percent for k, v in on.items()} == {"MAR": 4.0, "SYR": 85.0}
    assert register.rate_change_days() == (
        date(2025, 4, 24),
        date(2025, 9, 20),
        date(2026, 4, 23),
    )


# -- income, rank and the top 35 ----------------------------------------------------------------


def test_the_edition_in_force_with_its_ranks_and_ties(fixture_register: Path) -> None:
    """FY2026 (fixture): LUX 100000, CHE and NOR 95000 (equal: CHE before NOR by code), MAR
    3900, VEN without a figure (no rank)."""
    assert register.income_editions() == ("FY2025", "FY2026")
    assert register.income_edition_spans() == (
        ("FY2025", date(2024, 7, 1), date(2025, 6, 30)),
        ("FY2026", date(2025, 7, 1), None),
    )
    ranks = {e.country: e.rank for e in register.income_on(date(2025, 7, 1))}
    assert ranks == {"CHE": 2, "LUX": 1, "MAR": 4, "NOR": 3, "VEN": None}
    old = {e.country: (e.rank, e.gni_per_capita_usd) for e in register.income_on(date(2025, 6, 30))}
    assert old == {"LUX": (1, 90000), "MAR": (2, 3700)}
    assert register.income_on(date(2024, 6, 30)) == ()
    assert [e.country for e in register.top35(date(2026, 1, 1))] == ["LUX", "CHE", "NOR", "MAR"]


def test_top35_cuts_at_35_and_a_tie_on_the_line_goes_by_code(
    fixture_register: Path,
) -> None:
    """38 countries with falling GNI per head; places 35 and 36 share 66000 (ZAF and BEL
    listed in that order): BEL is 35th by code, ZAF 36th and out."""
    codes = [
        "LUX", "CHE", "NOR", "IRL", "USA", "SGP", "ISL", "QAT", "DNK", "AUS",
        "SWE", "NLD", "AUT", "FIN", "DEU", "CAN", "ISR", "NZL", "GBR", "FRA",
        "JPN", "ARE", "KOR", "ITA", "MLT", "KWT", "ESP", "CYP", "SVN", "BHR",
        "EST", "CZE", "PRT", "LTU",
    ]  # fmt: skip
    rows = [
        f"{c},FY2027,2026-07-01,,high,{100000 - 1000 * i},2025,{PROV}" for i, c in enumerate(codes)
    ]
    rows += [f"ZAF,FY2027,2026-07-01,,upper_middle,66000,2025,{PROV}"]
    rows += [f"BEL,FY2027,2026-07-01,,high,66000,2025,{PROV}"]
    rows += [f"MAR,FY2027,2026-07-01,,lower_middle,4000,2025,{PROV}"]
    income = fixture_register / "world_bank_income.csv"
    text = income.read_text(encoding="utf-8").replace(",2025-07-01,,", ",2025-07-01,2026-06-30,")
    income.write_text(text + "".join(r + "\n" for r in rows), encoding="utf-8")
    register.clear_cache()
    top = register.top35(date(2026, 7, 1))
    assert len(top) == 35
    assert [e.country for e in top[:3]] == ["LUX", "CHE", "NOR"]
    assert (top[-2].country, top[-1].country) == ("LTU", "BEL")
    ranked = {e.country: e for e in register.income_on(date(2026, 7, 1))}
    assert (ranked["ZAF"].rank, ranked["ZAF"].top35) == (36, False)
    assert (ranked["BEL"].rank, ranked["BEL"].top35) == (35, True)
    assert ranked["MAR"].rank == 37
    # The earlier edition still ranks its own countries on its own days.
    assert {e.country: e.rank for e in register.top35(date(2026, 6, 30))}["MAR"] == 4


# -- safe countries, visa and the days the lists change -------------------------------------------


def test_safe_and_visa_on_a_day(fixture_register: Path) -> None:
    assert {e.country for e in register.safe_on(date(2022, 2, 23))} == {"GEO", "MAR", "UKR"}
    assert {e.country for e in register.safe_on(date(2022, 2, 24))} == {"GEO", "MAR"}
    geo = {e.country: e.requirement for e in register.visa_on(date(2019, 6, 30))}
    assert geo == {"GEO": "visa_required", "MAR": "visa_required"}
    assert {e.country: e.requirement for e in register.visa_on(date(2019, 7, 1))}["GEO"] == (
        "visa_free"
    )
    assert register.change_days() == (
        date(2016, 1, 1),
        date(2018, 12, 18),
        date(2019, 1, 1),
        date(2019, 7, 1),
        date(2022, 2, 24),
        date(2024, 7, 1),
        date(2025, 7, 1),
    )


# -- one country ---------------------------------------------------------------------------------


def test_the_profile_of_a_country_on_a_day(fixture_register: Path) -> None:
    p = register.profile("MAR", date(2026, 5, 1))
    assert (p["name_nl"], p["name_en"], p["alpha_2"], p["is_country"]) == (
        "Marokko",
        "Morocco",
        "MA",
        True,
    )
    assert p["register_version"] == register.version()
    pact = p["recognition_rate"]["international_protection"]
    assert pact["yearly"]["rate_percent"] == 5.5 and pact["yearly"]["period"] == "2025"
    assert pact["yearly"]["entry"] == "data/countries/register/recognition_rates.csv:3"
    assert pact["quarterly"]["period"] == "2025-Q2"
    assert p["recognition_rate"]["all_positive"]["quarterly"] is None
    assert p["income_edition"] == "FY2026" and p["income"]["rank"] == 4
    assert p["income"]["income_group_text"] == "lager middeninkomen" and p["top35"] is True
    assert p["safe_country"]["excepted_groups"] == ["lhbti"]
    assert p["visa"]["requirement"] == "visa_required"
    assert p["visa"]["entry"] == "data/countries/register/visa_requirement.csv:2"
    # Return cooperation comes from its own register (seed 001: Morocco after April 2021).
    (coop,) = p["return_cooperation"]
    assert coop["status"] == "no_prospect_of_removal" and coop["entry"].startswith("data/return")


def test_a_country_without_entries_is_unknown_and_stateless_has_no_country_facts(
    fixture_register: Path,
) -> None:
    afg = register.profile("AFG", date(2026, 5, 1))
    assert afg["is_country"] is True and afg["unknown_otherwise"] is True
    assert (afg["income"], afg["top35"], afg["safe_country"], afg["visa"]) == (
        None,
        None,
        None,
        None,
    )
    stateless = register.profile("XXA", date(2026, 5, 1))
    assert stateless["is_country"] is False and stateless["name_nl"] == "staatloos"
    assert stateless["recognition_rate"]["international_protection"]["yearly"] is None
    with pytest.raises(KeyError):
        register.profile("QQQ", date(2026, 5, 1))


def test_history_and_overview(fixture_register: Path) -> None:
    h = register.history("GEO")
    assert [e["requirement"] for e in h["visa"]] == ["visa_required", "visa_free"]
    assert [e["edition"] for e in register.history("MAR")["income"]] == ["FY2025", "FY2026"]
    lines = {row["code"]: row for row in register.overview(date(2026, 5, 1))}
    assert "XXA" not in lines and len(lines) == 250  # 249 ISO countries and Kosovo
    assert (lines["MAR"]["rate_percent"], lines["MAR"]["visa"], lines["MAR"]["safe"]) == (
        5.5,
        "visa_required",
        True,
    )
    assert lines["UKR"]["safe"] is None  # ended 2022-02-23: unknown now, never "not safe"
    assert not register.has_entry(lines["AFG"]) and register.has_entry(lines["VEN"])
