"""The IND annual figures of 2025 against 2024 on the hand-built chain of ``annual_chain``:
every expected value below is counted by hand from that chain (see its comments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from keten.reports import frames as frames_io
from keten.reports.annual import ANNUAL, compute, difference_text, text
from keten.reports.counting import Share, Top
from keten.reports.render import figures, to_html, to_json, to_tables
from tests.reports.annual_chain import chain


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return compute(chain(), 2025)


def test_asylum_intake_and_handled(report) -> None:  # type: ignore[no-untyped-def]
    r = report.rows
    assert (r["asylum_first_intake"].previous, r["asylum_first_intake"].current) == (1, 2)
    assert (r["asylum_subsequent_intake"].previous, r["asylum_subsequent_intake"].current) == (1, 1)
    assert (r["asylum_intake"].previous, r["asylum_intake"].current) == (2, 3)
    # 2025: p1, p2, p3 closed; the new decision on p1 after the well-founded appeal; d2
    # withdrawn by the IND while a4 ran. 2024: p4.
    assert (r["asylum_handled"].previous, r["asylum_handled"].current) == (1, 5)


def test_a_decision_after_a_well_founded_appeal_is_counted_once(report) -> None:  # type: ignore[no-untyped-def]
    """p1's decision d1 was found well-founded twice (appeal a1 and interim relief ir2); the new
    decision d5 counts once, and p1's own closing (its first decision) once, not again for the
    second 'decided' event: seed 003 "inclusief beslissingen na gegrond beroep"."""
    from keten.reports import counting

    f = chain()
    y = (date(2025, 1, 1), date(2025, 12, 31))
    assert counting.redecided(f, *y, types=("asylum_first",)) == 1
    assert counting.handled(f, *y, types=("asylum_first",)) == 2  # p1 and p2, once each
    assert counting.ind_withdrew(f, *y, types=("asylum_first",)) == 1


def test_court_cases(report) -> None:  # type: ignore[no-untyped-def]
    r = report.rows
    # received 2025: a1, a2, a4 lodged, ir1, ir2 requested; 2024: a3
    assert (r["court_intake"].previous, r["court_intake"].current) == (1, 5)
    assert r["appeal_intake"].current == 3 and r["interim_relief_intake"].current == 2
    # ended 2025: a1, a2, a3 (judgments), a4 (the IND withdrew d2), ir1 (withdrawn), ir2
    assert (r["court_handled"].previous, r["court_handled"].current) == (0, 6)
    assert r["habeas_corpus_intake"].current == 0


def test_within_term_share(report) -> None:  # type: ignore[no-untyped-def]
    r = report.rows
    # asylum closed 2025: p1 (1 Mar <= 10 Jul), p2 (15 Sep > 1 Aug), p3 (20 Jan <= 1 May)
    assert r["within_term_asylum"].current == Share(2, 3)
    # regular: five mvv decided 1 Jun <= 1 Jul, p5 decided 11 Jan 2025 > 10 Dec 2024
    assert r["within_term_regular"].current == Share(5, 6)
    assert text(r["within_term_asylum"].figure, r["within_term_asylum"].current) == "67%"
    # against the 2012 target of 85 % (the last known, carried forward): 66.7 - 85 = -18.3
    assert difference_text(r["within_term_asylum"]) == "-18%"
    assert r["within_term_asylum"].target is not None
    assert r["within_term_asylum"].target.carried
    assert r["within_term_naturalisation"].current == Share(0, 0)
    assert text(r["within_term_naturalisation"].figure, Share(0, 0)) == "n.v.t."


def test_upheld_in_court_share(report) -> None:  # type: ignore[no-untyped-def]
    """Judgments on appeals in 2025 against asylum decisions: a1 well-founded, a2 and a3
    unfounded: 2 of 3 upheld. Interim relief ir2 is not an appeal on the merits."""
    r = report.rows
    assert r["upheld_asylum"].current == Share(2, 3)
    assert r["upheld_asylum"].previous == Share(0, 0)
    assert r["upheld_regular"].current == Share(0, 0)


def test_complaints_notices_dwangsom_documents(report) -> None:  # type: ignore[no-untyped-def]
    r = report.rows
    assert r["complaints_intake"].current == 3
    assert r["complaints_on_time"].current == Share(2, 3)
    assert (r["notices_lodged"].previous, r["notices_lodged"].current) == (1, 1)
    assert r["notices_handled"].current == 2  # p5's (2024) and p2's, by their decisions
    assert (r["dwangsom_runs"].previous, r["dwangsom_runs"].current) == (1, 2)
    # Awb 4:17: 23 euro a day for 14 days, then 35: p2 22 days = 602; p5 266 in 2025, 161 in 2024
    assert (r["dwangsom_forfeited"].previous, r["dwangsom_forfeited"].current) == (161, 868)
    assert r["documents_w_document"].current == 2 and r["documents_w_document"].previous == 1
    assert r["documents_total"].current == 3
    assert r["visa_intake"].current is None


def test_top_nationalities(report) -> None:  # type: ignore[no-untyped-def]
    r = report.rows
    assert r["top_mvv_granted"].current == Top((("CHN", 3), ("IND", 2)))
    assert r["top_asylum_intake"].current == Top((("SYR", 2), ("ERI", 1)))


def test_rounded_to_fifty_with_the_difference_on_unrounded_figures(report) -> None:  # type: ignore[no-untyped-def]
    """Seed 003: "De cijfers zijn in principe afgerond op 50-tallen. ... De verschilpercentages
    in de diverse tabellen zijn overigens berekend met de onafgeronde cijfers." 26 and 74 mvv
    applications both print as 50, and the difference is +184.6 %, not 0 %."""
    row = report.rows["mvv_intake"]
    assert (row.previous, row.current) == (26, 74)
    assert text(row.figure, row.previous) == "50" and text(row.figure, row.current) == "50"
    assert difference_text(row) == "+185%"
    data = figures(to_json(report))
    assert data["mvv_intake"]["previous"] == 50 and data["mvv_intake"]["current_unrounded"] == 74
    # exact counts stay exact: the seed prints "3.819" notices of default
    assert data["dwangsom_forfeited"]["current_text"] == "€ 868"


def test_renderings_carry_every_figure(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = to_json(report)
    assert len(figures(data)) == len(ANNUAL.figures())
    tables = to_tables(report)
    assert [t.title for t in tables] == [s.nl for s in ANNUAL.sections]
    assert tables[0].columns[:4] == ("Regulier verblijf", "2024", "2025", "verschil")
    page = to_html(report)
    assert "figure-asylum_handled" in page and "afgerond op 50-tallen" in page
    # the export round trip keeps every figure
    frames_io.write(chain(), tmp_path)
    again = compute(frames_io.read(tmp_path), 2025)
    assert figures(to_json(again)) == figures(data)


def test_frames_must_cover_both_years() -> None:
    f = chain()
    short = type(f)(
        f.procedures,
        f.events,
        f.decisions,
        f.documents,
        f.source,
        (date(2025, 1, 1), date(2025, 12, 31)),
    )
    with pytest.raises(ValueError, match="needs 2024-01-01"):
        compute(short, 2025)
