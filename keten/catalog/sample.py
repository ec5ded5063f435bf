"""Synthetic event histories for every procedure type, for the demo and the benchmarks.

Each generated procedure starts from its main deadline's start event, is decided (or ended) on
a day drawn around the statutory length, sometimes gets an extension or a suspension, and
sometimes a notice of default after the term ran out. The numbers are illustrative, not
calibrated: the chain forecast (``keten.forecast``) carries the calibrated figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from keten.catalog.derive import Event, FactValue
from keten.catalog.loader import load_catalog
from keten.catalog.model import DeadlineSpec, main_deadline

# Relative frequency of procedure types in the sample (roughly the IND's product mix).
WEIGHTS = {
    "asylum_first": 30,
    "asylum_subsequent": 5,
    "nareis": 15,
    "regular_residence": 20,
    "mvv": 15,
    "naturalisation": 10,
    "objection": 8,
    "appeal": 6,
    "dublin_outgoing": 6,
    "detention": 3,
    "permit_holder_outflow": 10,
    "departure": 4,
    "complaint": 3,
}


@dataclass(frozen=True)
class SampleProcedure:
    case_id: int
    procedure: str
    events: tuple[Event, ...]
    facts: dict[str, FactValue]


def _days(d: DeadlineSpec) -> float:
    return d.length.approx_days()


def generate(n: int, on: date, seed: int = 0) -> Iterator[SampleProcedure]:
    rng = np.random.default_rng(seed)
    catalog = load_catalog()
    kinds = [k for k in WEIGHTS if k in catalog]
    p = np.array([WEIGHTS[k] for k in kinds], dtype=float)
    p /= p.sum()
    for case_id, kind in enumerate(rng.choice(kinds, size=n, p=p)):
        pt = catalog[str(kind)]
        main = main_deadline(pt)
        length = _days(main)
        start_kind = main.start.event or pt.events[0].kind
        start = on - timedelta(days=int(rng.integers(1, max(2, int(length * 2.2)))))
        events = [Event(start_kind, start)]
        regime_kind = pt.regime_events[0] if pt.regime_events else None
        if regime_kind and regime_kind != start_kind:
            events.append(Event(regime_kind, start))
        facts: dict[str, FactValue] = {}
        if pt.id == "detention":
            facts["group"] = str(
                rng.choice(["adult", "adult", "adult", "family", "unaccompanied_minor"])
            )
            facts["first_encountered"] = bool(rng.random() < 0.5)
        if pt.id == "dublin_outgoing":
            facts["request_type"] = str(rng.choice(["take_charge", "take_back"]))
        if main.extensions and rng.random() < 0.2:
            ext = main.extensions[0]
            events.append(Event(ext.event, start + timedelta(days=int(length * 0.7))))
            length += ext.length.approx_days()
        took = timedelta(days=int(rng.lognormal(np.log(max(length, 2) * 0.8), 0.45)))
        if main.stop and start + took <= on:
            events.append(Event(main.stop[0], start + took))
        elif pt.dwangsom and rng.random() < 0.35:
            notice = start + timedelta(days=int(length) + int(rng.integers(3, 40)))
            if notice <= on:
                events.append(Event(pt.dwangsom.notice_event, notice))
        yield SampleProcedure(case_id, pt.id, tuple(sorted(events, key=lambda e: e.day)), facts)
