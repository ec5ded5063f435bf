"""``keten report monthly`` (a real process) over an export directory: the hand-counted chain of
``tests/reports/monthly_chain.py`` as JSON, CSV and XLSX, and refusals of bad months."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from keten.reports import frames as fr
from tests.reports.monthly_chain import EXPECTED, fixed, frame_rows


@pytest.fixture
def export(tmp_path: Path) -> Path:
    rows = frame_rows(fixed("t"))
    directory = tmp_path / "export"
    fr.write(
        fr.Frames(
            procedures=fr.conform("procedures", rows["procedures"]),
            events=fr.conform("events", rows["events"]),
            decisions=fr.empty("decisions"),
            documents=fr.empty("documents"),
            source="test chain",
        ),
        directory,
    )
    return directory


def _run(*args: str) -> tuple[int, str]:
    """As a user runs it: a real process; standard output, or the error on standard error."""
    proc = subprocess.run(
        [sys.executable, "-m", "keten", "report", "monthly", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, proc.stdout if proc.returncode == 0 else proc.stderr


def test_json(export: Path) -> None:
    code, out = _run("--from", "2024-02", "--to", "2024-04", "--export", str(export))
    assert code == 0, out
    data = json.loads(out)
    got = {
        (r["month"], r["organisation"], r["procedure_type"]): {
            k: v
            for k, v in r.items()
            if k not in ("month", "organisation", "team", "procedure_type")
        }
        for r in data["results"]
    }
    assert got == EXPECTED
    assert data["source"].startswith("test chain")


def test_csv_and_xlsx(export: Path, tmp_path: Path) -> None:
    code, out = _run(
        "--from",
        "2024-03",
        "--to",
        "2024-03",
        "--export",
        str(export),
        "--csv",
        "--organisation",
        "court",
    )
    assert code == 0, out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "maand"
    assert rows[1:] == [
        ["2024-03", "court", "t", "appeal", "1", "1", "1", "0", "48", "48", "0", "0"]
    ]
    target = tmp_path / "mi.xlsx"
    code, out = _run(
        "--from",
        "2024-02",
        "--to",
        "2024-04",
        "--export",
        str(export),
        "--xlsx",
        "--output",
        str(target),
    )
    assert code == 0, out
    from openpyxl import load_workbook

    book = load_workbook(target)
    total = [list(r) for r in book["totaal per maand"].iter_rows(values_only=True)]
    assert total[2][:5] == ["2024-03", 5, 3, 6, 2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2024-13", "--to", "2024-12"), "geen maand"),
        (("--from", "2021-01", "--to", "2024-01"), "ten hoogste 36 maanden, niet 37"),
        (("--from", "2024-04", "--to", "2024-01"), "vóór --from"),
    ],
)
def test_bad_months(export: Path, args: tuple[str, ...], message: str) -> None:
    code, out = _run(*args, "--export", str(export))
    assert code == 2 and message in out, out
