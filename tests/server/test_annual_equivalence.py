"""The same annual report computed in the library from an export and through the server agree
figure for figure (issue 15): ``keten server export-frames`` writes the rows from the live
server's database (PostgreSQL in CI: the sample loaded on it), ``keten report annual --export``
computes from them without a server, and the API answers from the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.server.live import Server, keten


@pytest.mark.parametrize("year", [date.today().year - 1, date.today().year])
def test_export_and_server_agree(live: Server, tmp_path: Path, year: int) -> None:
    out = tmp_path / f"export-{year}"
    done = keten(
        live.env, "server", "export-frames", "--from", f"{year - 1}-01-01", "--to",
        f"{year}-12-31", "--out", str(out),
    )  # fmt: skip
    assert "wrote" in done.stdout, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["procedures"] > 0  # the sample's procedures are in it
    library = keten(
        live.env, "report", "annual", "--year", str(year), "--export", str(out), "--json"
    )
    exported = {f["id"]: f for s in json.loads(library.stdout)["sections"] for f in s["figures"]}
    reply = live.get(f"/api/v1/reports/annual?year={year}", "jenv-beleid")
    assert reply.status == 200, reply.text
    served = {f["id"]: f for s in reply.body["sections"] for f in s["figures"]}
    assert set(exported) == set(served)
    for fid, f in served.items():
        for key in ("previous_unrounded", "current_unrounded", "current_text", "difference_text"):
            assert exported[fid][key] == f[key], (fid, key)
    # the sample has asylum applications in its history: something is counted at all
    assert any(f["current_unrounded"] for f in served.values() if f["shape"] == "count50")


@pytest.mark.parametrize("year", [date.today().year - 1, date.today().year])
def test_the_period_selection_loses_nothing(live: Server, year: int) -> None:
    """The frames a year's report reads (``report_source``: only the rows the period needs)
    give the same figures as every row of the database, read without any period selection
    (all procedure types, every day from the calendar's first year)."""
    from keten.catalog.loader import load_catalog
    from keten.reports import annual
    from keten.reports.counting import COURT
    from keten.server.services import annual_report
    from keten.server.services.report_source import frames_for

    selected = annual_report.compute(year)
    everything = frames_for(
        sorted(set(load_catalog()) | set(COURT.types)), date(2000, 1, 1), date(year, 12, 31)
    )
    assert everything.procedures.height >= annual_report.frames(year).procedures.height
    whole = annual.compute(everything, year)
    for fid, row in selected.rows.items():
        assert (row.previous, row.current) == (whole.rows[fid].previous, whole.rows[fid].current), (
            fid
        )
