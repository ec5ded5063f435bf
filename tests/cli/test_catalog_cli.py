"""The catalogue commands, run as a user runs them: a real process, real output."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def keten(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keten", *args], capture_output=True, text=True, check=False
    )


def ok_json(*args: str) -> Any:
    proc = keten(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_procedures_lists_at_least_twenty_each_with_a_citation() -> None:
    procedures = ok_json("procedures")
    assert len(procedures) >= 20
    for p in procedures:
        assert p["id"] and p["names"]["nl"] and p["names"]["en"]
        assert p["citation"]
        assert p["events"] and p["deadlines"]
        assert all(d["citation"] for d in p["deadlines"])


def test_deadlines_json_has_procedure_regime_and_trails() -> None:
    out = ok_json(
        "deadlines",
        "--procedure",
        "asylum_first",
        "--event",
        "lodged=2026-06-12",
        "--on",
        "2026-11-25",
    )
    assert out["procedure"] == "asylum_first"
    assert out["regime"] == "pact"
    decision = next(d for d in out["deadlines"] if d["id"] == "decision")
    assert decision["date"] == "2026-12-14"
    assert decision["citation"] == "Verordening (EU) 2024/1348 art. 35 lid 3"
    texts = [step["text_en"] for step in decision["trail"]]
    assert any("runs on to Monday 14 Dec 2026" in t for t in texts)


def test_deadlines_with_facts() -> None:
    out = ok_json(
        "deadlines",
        "--procedure",
        "detention",
        "--event",
        "detained=2026-11-20",
        "--fact",
        "group=unaccompanied_minor",
        "--fact",
        "first_encountered=true",
        "--on",
        "2026-11-25",
    )
    maximum = next(d for d in out["deadlines"] if d["id"] == "maximum")
    assert (maximum["date"], maximum["status"]) == ("2026-12-18", "running")


def test_bad_date_names_the_field_and_exits_non_zero() -> None:
    proc = keten(
        "deadlines", "--procedure", "complaint", "--event", "received=2026-13-01", "--json"
    )
    assert proc.returncode != 0
    error = json.loads(proc.stderr)["error"]
    assert error["field"] == "event received"
    assert "YYYY-MM-DD" in error["rule"]


def test_unknown_event_kind_names_the_rule() -> None:
    proc = keten("deadlines", "--procedure", "complaint", "--event", "filed=2026-01-01", "--json")
    assert proc.returncode != 0
    error = json.loads(proc.stderr)["error"]
    assert error["field"] == "event"
    assert "is not an event of procedure 'complaint'" in error["rule"]


def test_unknown_procedure() -> None:
    proc = keten("deadlines", "--procedure", "visa", "--json")
    assert proc.returncode != 0
    assert json.loads(proc.stderr)["error"]["field"] == "procedure"


def test_dwangsom_json() -> None:
    out = ok_json("dwangsom", "--due", "2026-01-10", "--notice", "2026-02-02", "--on", "2026-03-31")
    # From 16 Feb: 14 days x 23 + 14 x 35 + 16 x 45 would be 44 days; capped at 42.
    assert out["days"] == 42
    assert out["amount_eur"] == 1442
    assert out["trail"]


def test_dwangsom_rejects_on_before_due() -> None:
    proc = keten(
        "dwangsom", "--due", "2026-01-10", "--notice", "2026-02-02", "--on", "2026-01-01", "--json"
    )
    assert proc.returncode != 0
    assert json.loads(proc.stderr)["error"]["field"] == "on"


def test_human_output_is_dutch_first() -> None:
    proc = keten(
        "deadlines",
        "--procedure",
        "complaint",
        "--event",
        "received=2026-11-25",
        "--on",
        "2026-11-25",
    )
    assert proc.returncode == 0
    assert "Afhandelingstermijn / Handling term" in proc.stdout


def test_calendar_lists_the_year_with_sources() -> None:
    out = ok_json("calendar", "2026")
    by_date = {h["date"]: h for h in out["holidays"]}
    assert by_date["2026-05-05"]["basis"].startswith("Atw art. 3 lid 1")
    assert by_date["2026-05-15"]["verified"] is True  # equated by the 2026-2028 decree
    eu = ok_json("calendar", "2026", "--system", "eu_1182_71")
    assert "2026-05-15" not in {h["date"] for h in eu["holidays"]}


def test_calendar_outside_coverage_is_an_error() -> None:
    proc = keten("calendar", "1990", "--json")
    assert proc.returncode != 0
    assert json.loads(proc.stderr)["error"]["field"] == "year"


def test_docs_procedures_md_is_generated_from_the_catalogue() -> None:
    from keten.catalog.docs import render
    from tests.conftest import REPO

    assert (REPO / "docs" / "procedures.md").read_text(encoding="utf-8") == render()


def test_overview_derives_the_sample_chain_without_a_server() -> None:
    proc = keten("overview", "--cases", "300", "--on", "2026-11-25")
    assert proc.returncode == 0, proc.stderr
    assert "termijnen per procedure op 2026-11-25 (300 voorbeeldzaken)" in proc.stdout
    assert "Meest urgent" in proc.stdout
