"""The bulk path reproduces the scalar path exactly, for every deadline of every procedure."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from keten.catalog.bulk import bulk_deadline, bulk_table
from keten.catalog.derive import Event, FactValue, derive
from keten.catalog.loader import load_catalog
from keten.catalog.model import DeadlineSpec, ProcedureType

ON = date(2027, 6, 1)


def _bulkable() -> list[tuple[ProcedureType, DeadlineSpec]]:
    """Deadlines counted forward from one event, with conditions on facts only (one per id)."""
    pairs = []
    for pt in load_catalog().values():
        seen = set()
        for d in pt.deadlines:
            if d.backwards or d.start.event is None or d.applies_if is not None or d.id in seen:
                continue
            seen.add(d.id)
            pairs.append((pt, d))
    return pairs


PAIRS = _bulkable()


def _alternatives(pt: ProcedureType, d: DeadlineSpec) -> list[DeadlineSpec]:
    return [x for x in pt.deadlines if x.id == d.id]


def _events_for(
    pt: ProcedureType, d: DeadlineSpec, start: date, ext: int, susp: int
) -> list[Event]:
    """The events the bulk inputs stand for, across the id's regime alternatives."""
    assert d.start.event is not None
    events = [Event(d.start.event, start)]
    events += [Event(kind, start) for kind in pt.regime_events if kind != d.start.event]
    for alt in _alternatives(pt, d):
        if ext and alt.extensions:
            events.append(Event(alt.extensions[0].event, start + timedelta(days=1)))
        if susp and alt.suspensions:
            s = alt.suspensions[0]
            events.append(Event(s.start, start + timedelta(days=1)))
            events.append(Event(s.end, start + timedelta(days=2 + susp)))
    return list({(e.kind, e.day): e for e in events}.values())


def _fact(name: str, flag: bool) -> FactValue:
    if name == "group":
        return "family" if flag else "unaccompanied_minor"
    if name == "request_type":
        return "take_back" if flag else "take_charge"
    return flag


@pytest.mark.parametrize(("pt", "d"), PAIRS, ids=[f"{pt.id}.{d.id}" for pt, d in PAIRS])
def test_bulk_equals_scalar(pt: ProcedureType, d: DeadlineSpec) -> None:
    rng = np.random.default_rng(len(pt.id) * 1000 + len(d.id))
    first = max(pt.in_force_from, date(2016, 1, 1))
    span = (date(2027, 5, 1) - first).days
    rows = [
        (
            first + timedelta(days=int(rng.integers(0, span))),
            int(rng.integers(0, 2)),
            int(rng.integers(0, 3)) * int(rng.integers(1, 40)),
            bool(rng.integers(0, 2)),
        )
        for _ in range(60)
    ]
    facts = {name: [_fact(name, r[3]) for r in rows] for name in pt.facts}
    ext_kinds = {alt.extensions[0].event for alt in _alternatives(pt, d) if alt.extensions}
    bulk = bulk_deadline(
        pt.id,
        d.id,
        np.array([r[0] for r in rows], dtype="datetime64[D]"),
        facts={k: np.array(v, dtype=object) for k, v in facts.items()},
        extensions={k: np.array([r[1] for r in rows]) for k in ext_kinds},
        suspended_days=np.array([r[2] for r in rows]),
    )
    for i, (start, ext, susp, _) in enumerate(rows):
        row_facts = {k: v[i] for k, v in facts.items()}
        state = derive(pt, _events_for(pt, d, start, ext, susp), facts=row_facts, on=ON)
        matching = [x for x in state.deadlines if x.id == d.id]
        expected = matching[0].date if matching else None
        got = None if np.isnat(bulk[i]) else bulk[i].astype(object)
        assert got == expected, (pt.id, d.id, start, ext, susp, row_facts)


def test_bulk_table_mixes_procedures() -> None:
    table = pl.DataFrame(
        {
            "procedure": ["complaint", "asylum_first", "complaint", "dublin_outgoing"],
            "deadline": ["handling", "decision", "handling", "transfer"],
            "start": [date(2026, 11, 25), date(2025, 3, 3), date(2026, 12, 20), date(2025, 3, 3)],
            "ext:absconded": [0, 0, 0, 1],
        }
    )
    due = bulk_table(table).to_list()
    # complaint: six weeks (Awb 9:11, 31 Jan 2027 a Sunday -> 1 Feb); asylum: six months
    # (Vw 42); Dublin: six months plus twelve when the person absconded (Reg. 604/2013 art. 29).
    assert due == [date(2027, 1, 6), date(2025, 9, 3), date(2027, 2, 1), date(2026, 9, 3)]


def test_a_million_rows_in_one_call() -> None:
    n = 1_000_000
    starts = np.datetime64("2024-01-01") + (np.arange(n) % 1500).astype("timedelta64[D]")
    due = bulk_deadline("regular_residence", "decision", starts)
    assert due.shape == (n,) and not np.isnat(due).any()
