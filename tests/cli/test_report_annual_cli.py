"""``keten report annual``, run as a user runs it: a real process over an export on disk (the
hand-built chain of ``tests/reports/annual_chain``), no server."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from keten.reports.frames import write
from tests.reports.annual_chain import chain

REPO = Path(__file__).resolve().parents[2]


def keten(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "keten", *args], capture_output=True, text=True, env=env, check=False
    )


def test_json_csv_xlsx_and_html_from_an_export(tmp_path: Path) -> None:
    export = tmp_path / "export"
    write(chain(), export)
    out = keten("report", "annual", "--year", "2025", "--export", str(export), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    figures = {f["id"]: f for s in data["sections"] for f in s["figures"]}
    # hand-counted in annual_chain: 26 and 74 mvv applications, both shown as 50, +185 %
    assert figures["mvv_intake"]["previous_text"] == "50"
    assert figures["mvv_intake"]["difference_text"] == "+185%"
    assert figures["asylum_handled"]["current_unrounded"] == 5
    csv_out = keten("report", "annual", "--year", "2025", "--export", str(export), "--csv")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("Regulier verblijf,2024,2025")
    xlsx, html = tmp_path / "j.xlsx", tmp_path / "j.html"
    args = ("--year", "2025", "--export", str(export), "--xlsx", str(xlsx), "--html", str(html))
    table = keten("report", "annual", *args)
    assert table.returncode == 0, table.stderr
    assert "IND-jaarcijfers 2025" in table.stdout
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames[1] == "Asiel"
    assert "figure-upheld_asylum" in html.read_text(encoding="utf-8")


def test_bad_year_and_an_export_that_does_not_cover_it(tmp_path: Path) -> None:
    export = tmp_path / "export"
    write(chain(), export)
    bad = keten("report", "annual", "--year", "1990", "--export", str(export))
    assert bad.returncode == 2 and "year" in bad.stderr
    short = keten("report", "annual", "--year", "2026", "--export", str(export), "--json")
    assert short.returncode == 2
    assert json.loads(short.stderr)["error"]["field"] == "export"
    assert "needs 2025-01-01..2026-12-31" in short.stderr
