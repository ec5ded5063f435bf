"""The monthly management information's set-based SQL (``services/monthly_mi.py``) counts
what the library's rules (``keten.reports.monthly``) count, group for group and lead time for
lead time, on varied chains; on SQLite, and on PostgreSQL when KETEN_DATABASE_URL names one."""

from __future__ import annotations

import uuid

import pytest

from keten.reports import frames as fr
from keten.reports import monthly
from keten.reports.monthly import Counted, Month, Selection
from tests.reports.monthly_chain import EXPECTED, Spec, fixed, frame_rows, varied
from tests.server.live import Server
from tests.server.monthly_db import write


def _frames(specs: list[Spec]) -> fr.Frames:
    rows = frame_rows(specs)
    return fr.Frames(
        procedures=fr.conform("procedures", rows["procedures"]),
        events=fr.conform("events", rows["events"]),
        decisions=fr.empty("decisions"),
        documents=fr.empty("documents"),
        source="test",
    )


def _ours(rows: list[Counted], prefix: str) -> list[tuple[object, ...]]:
    return [(c.key, c.counts, c.lead) for c in rows if c.team.startswith(prefix)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_counts_what_the_library_counts(live: Server, seed: int) -> None:
    from keten.server.services.monthly_mi import counted

    prefix = f"mi-{uuid.uuid4().hex[:6]}-"
    specs = varied(seed, 160, prefix)
    write(specs)
    wanted = monthly.months(Month(2023, 7), Month(2024, 9))
    library = monthly.count(_frames(specs), wanted, Selection())
    assert sum(c.counts["dwangsom_eur"] for c in library) > 0  # the fixture exercises each rule
    assert sum(c.counts["notices"] for c in library) > 0
    assert sum(c.counts["over_term"] for c in library) > 0
    assert any(c.procedure_type == "appeal" and c.counts["decided"] for c in library)
    assert _ours(counted(wanted, Selection()), prefix) == _ours(library, prefix)
    # the filters and the scope are applied alike
    for sel in (
        Selection(organisations=frozenset({"coa"})),
        Selection(organisations=frozenset({"ind", "court"}), procedure_type="appeal"),
        Selection(team=f"{prefix}a"),
        Selection(organisation="ind", team=f"{prefix}b"),
    ):
        assert _ours(counted(wanted, sel), prefix) == _ours(
            monthly.count(_frames(specs), wanted, sel), prefix
        ), sel
    # one month alone counts as it does within the range
    march = [Month(2024, 3)]
    assert _ours(counted(march, Selection()), prefix) == _ours(
        monthly.count(_frames(specs), march, Selection()), prefix
    )


def test_the_sql_counts_the_hand_counted_chain(live: Server) -> None:
    from keten.server.services.monthly_mi import counted

    team = f"mi-{uuid.uuid4().hex[:6]}"
    write(fixed(team))
    rows = monthly.table(
        counted(monthly.months(Month(2024, 2), Month(2024, 4)), Selection(team=team))
    )
    got = {
        (r["month"], r["organisation"], r["procedure_type"]): {k: r[k] for k in monthly.FIGURES}
        for r in rows
    }
    assert got == EXPECTED


def test_no_dwangsom_before_the_law_and_one_statement_per_amounts(live: Server) -> None:
    """The statutory dwangsom came with the Wet dwangsom en beroep bij niet tijdig beslissen,
    in force 1 October 2009 (keten/time/params/dwangsom.yaml): a month before it forfeits
    nothing; the months after are counted at its bands, in a statement of their own. A run
    from 25 September to 5 October: September 0, October its days 7-11 at 23 euro = 115."""
    from keten.server.services.monthly_mi import counted

    team = f"mi-{uuid.uuid4().hex[:6]}"
    spec = Spec(
        "old",
        "mvv",
        "ind",
        monthly.Month(2009, 3).first,
        None,
        monthly.Month(2009, 8).first,
        "open",
        monthly.Month(2009, 9).first.replace(day=25),
        monthly.Month(2009, 10).first.replace(day=5),
        team,
    )
    write([spec])
    wanted = monthly.months(Month(2009, 8), Month(2009, 11))
    sql = counted(wanted, Selection(team=team))
    assert sql == monthly.count(_frames([spec]), wanted, Selection(team=team))
    assert [c.counts["dwangsom_eur"] for c in sql] == [0, 0, 115, 0]
