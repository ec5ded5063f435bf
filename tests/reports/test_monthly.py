"""The monthly management information's rules in the library, on the hand-counted chain of
``monthly_chain`` and on small cases of each rule."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from keten.reports import frames as fr
from keten.reports import monthly
from keten.reports.monthly import Month, Selection
from keten.reports.tables import to_csv
from keten.time.dwangsom import params
from tests.reports.monthly_chain import EXPECTED, fixed, frame_rows

FEB, APR = Month(2024, 2), Month(2024, 4)


def chain_frames(team: str = "t") -> fr.Frames:
    rows = frame_rows(fixed(team))
    return fr.Frames(
        procedures=fr.conform("procedures", rows["procedures"]),
        events=fr.conform("events", rows["events"]),
        decisions=fr.empty("decisions"),
        documents=fr.empty("documents"),
        source="test chain",
    )


def by_key(rows: list[dict[str, object]]) -> dict[tuple[str, str, str], dict[str, object]]:
    return {
        (str(r["month"]), str(r["organisation"]), str(r["procedure_type"])): {
            k: r[k] for k in monthly.FIGURES
        }
        for r in rows
    }


def test_the_hand_counted_chain() -> None:
    data = monthly.report(chain_frames(), FEB, APR, Selection())
    assert by_key(data["results"]) == EXPECTED
    assert {r["team"] for r in data["results"]} == {"t"}
    assert data["months"] == ["2024-02", "2024-03", "2024-04"]


def test_totals_take_the_percentiles_over_all_lead_times() -> None:
    """March: A 19, E 30 (asylum) and G 48 (appeal): the median of three by nearest rank is the
    second (30), P90 the third (48); not an average of the groups' medians."""
    data = monthly.report(chain_frames(), FEB, APR, Selection())
    march = next(t for t in data["totals"] if t["month"] == "2024-03")
    assert (march["intake"], march["decided"], march["open"], march["over_term"]) == (5, 3, 6, 2)
    assert (march["lead_median"], march["lead_p90"]) == (30, 48)
    assert march["dwangsom_eur"] == 777


def test_scope_and_filters_select_groups() -> None:
    coa = monthly.report(chain_frames(), FEB, APR, Selection(organisations=frozenset({"coa"})))
    assert {r["organisation"] for r in coa["results"]} == {"coa"}
    appeals = monthly.report(chain_frames(), FEB, APR, Selection(procedure_type="appeal"))
    assert {r["procedure_type"] for r in appeals["results"]} == {"appeal"}
    other_team = monthly.report(chain_frames(), FEB, APR, Selection(team="x"))
    assert other_team["results"] == []


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ({}, None, None),
        ({7: 1}, 7, 7),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 2, 4),  # ranks ceil(2) = 2 and ceil(3.6) = 4
        (dict.fromkeys(range(1, 11), 1), 5, 9),  # ten values: ranks 5 and 9
        ({1: 9, 100: 1}, 1, 1),  # rank 9 of 10 is still a 1
        ({1: 8, 100: 2}, 1, 100),
    ],
)
def test_nearest_rank_percentiles(
    values: dict[int, int], median: int | None, p90: int | None
) -> None:
    assert monthly.percentile(values, 1, 2) == median
    assert monthly.percentile(values, 9, 10) == p90


def test_forfeited_follows_the_bands_and_the_cap() -> None:
    """Awb 4:17 lid 1-2: 23, 35, then 45 euro a day, "doch voor ten hoogste 42 dagen"."""
    amounts = params().amounts.at(date(2024, 3, 31))
    assert monthly.forfeited_through(14, amounts) == 14 * 23
    assert monthly.forfeited_through(15, amounts) == 14 * 23 + 35
    assert monthly.forfeited_through(42, amounts) == 14 * 23 + 14 * 35 + 14 * 45 == 1442
    assert monthly.forfeited_through(80, amounts) == 1442
    assert monthly.forfeited_through(-3, amounts) == 0


def test_month_parsing_and_ranges() -> None:
    assert monthly.parse_month("2024-02") == FEB
    assert FEB.last == date(2024, 2, 29)
    assert [m.label for m in monthly.months(Month(2023, 11), FEB)] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
    ]
    for bad in ("2024-13", "2024-2", "24-02", "2024-02-01", "maart"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            monthly.parse_month(bad)
    with pytest.raises(ValueError, match="at most 36 months"):
        monthly.report(chain_frames(), Month(2021, 1), Month(2024, 1), Selection())


def test_tables_carry_dutch_headings_and_the_figures() -> None:
    data = monthly.report(chain_frames(), FEB, APR, Selection())
    per_group, total = monthly.tables(data["results"], data["totals"])
    text = to_csv(per_group)
    header, *lines = text.splitlines()
    assert header.startswith("maand,organisatie,team,soort procedure,instroom,afgehandeld")
    assert "2024-03,ind,t,asylum_first,3,2,4,2,19,30,777,0" in lines
    assert len(total.rows) == 3


def test_frames_written_and_read_back_count_the_same(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path)) / "export"
    fr.write(chain_frames(), directory)
    again = fr.read(directory)
    assert again.procedures.height == pl.DataFrame(frame_rows(fixed("t"))["procedures"]).height
    data = monthly.report(again, FEB, APR, Selection())
    assert by_key(data["results"]) == EXPECTED
