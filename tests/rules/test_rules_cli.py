"""``keten rules``: the real commands, run through click."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from keten.cli import cli
from keten.rules.registry import all_rules
from tests.rules.rules_support import top35_register  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["rules", *args])
    return result.exit_code, result.output


def test_list_json_covers_every_rule_with_citation_and_dates() -> None:
    code, out = run("list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == list(all_rules())
    by_id = {r["id"]: r for r in rows}
    assert by_id["vc-b1-4.3.3.1-income"]["citation"] == "Vc 2000 B1/4.3.3.1"
    assert by_id["vc-b1-4.3.3.1-income"]["versions"] == 2
    assert by_id["pact-border-procedure"]["in_force_from"] == "2026-06-12"
    assert by_id["anmw-nareis"]["proposed"] == "asielnoodmaatregelenwet"
    assert by_id["vc-a3-5.1-rean"]["sources"] == ["004_cbc7489b66a820d5.txt"]


def test_list_as_a_table() -> None:
    code, out = run("list")
    assert code == 0
    assert "vc-c1-4.9-subsequent-application" in out


def test_show_json_has_quotes_schema_and_parameter_history() -> None:
    code, out = run("show", "labour-knowledge-migrant", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["versions"][0]["quotes"][0]["source"] == "001_7423ba70eed50d30.txt"
    assert "monthly_salary" in payload["facts_schema"]["properties"]
    params = {p["name"]: p for p in payload["versions"][0]["parameters"]}
    history = params["labour.knowledge_migrant.salary_30_plus"]["history"]
    assert history[0]["value"] == 4752.0
    assert history[0]["valid_from"] == "2021-01-01"


def test_show_text() -> None:
    code, out = run("show", "vc-b1-4.3.3.1-income")
    assert code == 0
    assert "11-of-12" in out and "gedeeld door twaalf" in out


def test_schema_is_json_schema_of_the_facts() -> None:
    code, out = run("schema", "vc-a3-5.1-rean")
    assert code == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"applied_to_iom", "signed_consent", "nationality"}


def test_eval_json_matches_the_issue_shape(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(
        json.dumps({"monthly_income": [2000] * 11 + [100], "monthly_norm": 1900}), encoding="utf-8"
    )
    code, out = run("eval", "vc-b1-4.3.3.1-income", "--facts", str(facts), "--on", "2025-09-01",
                    "--json")  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert {"rule", "citation", "on", "outcome", "trail"} <= set(payload)
    assert payload["on"] == "2025-09-01"
    assert payload["outcome"] == {"income_sufficient": False}
    assert all({"check", "value", "citation"} <= set(e) for e in payload["trail"])
    code, out = run("eval", "vc-b1-4.3.3.1-income", "--facts", str(facts), "--on", "2025-06-26",
                    "--json")  # fmt: skip
    assert json.loads(out)["outcome"] == {"income_sufficient": True}


@pytest.mark.usefixtures("top35_register")
def test_eval_text(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"applied_to_iom": True, "signed_consent": True,
                                 "nationality": "SY"}))  # fmt: skip
    code, out = run("eval", "vc-a3-5.1-rean", "--facts", str(facts), "--on", "2025-09-01")
    assert code == 0
    assert "outcome:" in out and "via_iom_rean" in out


def test_eval_bad_fact_names_the_field_and_the_rule_and_fails(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"applied_to_iom": True, "signed_consent": "maybe"}))
    code, out = run("eval", "vc-a3-5.1-rean", "--facts", str(facts), "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["rule"] == "vc-a3-5.1-rean"
    assert set(payload["fields"]) == {"signed_consent", "nationality"}
    assert "vc-a3-5.1-rean" in payload["error"]


def test_eval_proposed_law_needs_the_scenario(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"relation": "spouse", "birth_date": "1990-01-01"}))
    code, out = run("eval", "anmw-core-family", "--facts", str(facts), "--on", "2025-09-01",
                    "--json")  # fmt: skip
    assert code == 1
    assert json.loads(out)["type"] == "NotInForceError"
    code, out = run("eval", "anmw-core-family", "--facts", str(facts), "--on", "2025-09-01",
                    "--scenario", "asielnoodmaatregelenwet", "--json")  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert payload["outcome"] == {"core_family": True}
    assert payload["scenario"] == ["asielnoodmaatregelenwet"]


def test_eval_unknown_rule_fails() -> None:
    code, out = run("eval", "no-such-rule", "--facts", "x.json", "--json")
    assert code == 1
    assert json.loads(out)["type"] == "UnknownRuleError"


def test_eval_parameter_without_value_fails_with_the_date(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"degree_matching_job": True, "monthly_salary": 6000}))
    code, out = run("eval", "labour-blue-card", "--facts", str(facts), "--on", "2027-05-01")
    assert code == 1
    assert "2027-05-01" in out and "labour.blue_card.salary" in out


@pytest.mark.usefixtures("top35_register")
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_bulk_writes_one_outcome_per_row(tmp_path: Path, suffix: str) -> None:
    facts = pl.DataFrame(
        {
            "case": ["a", "b", "c"],
            "applied_to_iom": [True, True, False],
            "signed_consent": [True, True, True],
            "nationality": ["SY", "PL", "AF"],
            "last_supported_departure": [None, None, "2024-01-01"],
        }
    )
    table = tmp_path / f"facts{suffix}"
    if suffix == ".csv":
        facts.write_csv(table)
    else:
        facts.with_columns(pl.col("last_supported_departure").str.to_date()).write_parquet(table)
    out = tmp_path / f"out{suffix}"
    code, printed = run("bulk", "vc-a3-5.1-rean", "--table", str(table), "--on", "2025-09-01",
                        "--out", str(out), "--json")  # fmt: skip
    assert code == 0, printed
    summary = json.loads(printed)
    assert summary["rows"] == 3
    assert summary["counts"]["eligibility"] == {"eligible": 1, "not_eligible": 1,
                                                "incomplete_application": 1}  # fmt: skip
    result = pl.read_csv(out) if suffix == ".csv" else pl.read_parquet(out)
    assert result.get_column("eligibility").to_list() == [
        "eligible", "not_eligible", "incomplete_application"
    ]  # fmt: skip


def test_bulk_with_checks_and_money_in_euros(tmp_path: Path) -> None:
    table = tmp_path / "income.csv"
    table.write_text(
        "monthly_income,monthly_norm\n"
        + "2000;2000;2000;2000;2000;2000;2000;2000;2000;2000;2000;100,1900\n"
    )
    out = tmp_path / "out.csv"
    code, printed = run("bulk", "vc-b1-4.3.3.1-income", "--table", str(table), "--on",
                        "2025-09-01", "--out", str(out), "--with-checks")  # fmt: skip
    assert code == 0, printed
    result = pl.read_csv(out)
    assert result.get_column("income_sufficient").to_list() == [False]
    assert result.get_column("check.total_12_months").to_list() == [2210000]


def test_bulk_bad_column_names_field_rule_and_row(tmp_path: Path) -> None:
    table = tmp_path / "facts.csv"
    table.write_text(
        "applied_to_iom,signed_consent,nationality\ntrue,true,SY\ntrue,yes please,AF\n"
    )
    code, out = run("bulk", "vc-a3-5.1-rean", "--table", str(table), "--out",
                    str(tmp_path / "o.csv"), "--json")  # fmt: skip
    assert code == 1
    payload = json.loads(out)
    assert payload["fields"] == ["signed_consent"]
    assert "row 2" in payload["error"] and "vc-a3-5.1-rean" in payload["error"]


def test_bulk_rejects_other_file_types(tmp_path: Path) -> None:
    table = tmp_path / "facts.xlsx"
    table.write_text("x")
    code, out = run("bulk", "vc-a3-5.1-rean", "--table", str(table), "--out",
                    str(tmp_path / "o.csv"))  # fmt: skip
    assert code == 1
    assert ".csv or .parquet" in out


def test_docs_check_passes_on_the_committed_catalogue(tmp_path: Path) -> None:
    code, out = run("docs", "--check", "--out", str(REPO / "docs" / "rules.md"), "--json")
    assert code == 0, "docs/rules.md is out of date: run `keten rules docs`"
    assert json.loads(out)["up_to_date"] is True
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n")
    code, _ = run("docs", "--check", "--out", str(stale))
    assert code == 1
    code, _ = run("docs", "--out", str(stale))
    assert code == 0
    code, _ = run("docs", "--check", "--out", str(stale))
    assert code == 0


def test_the_installed_command_runs_in_a_subprocess() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "from keten.cli import main; main()", "rules", "schema",
         "dublin-visa"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "visa_valid_until" in json.loads(done.stdout)["properties"]
