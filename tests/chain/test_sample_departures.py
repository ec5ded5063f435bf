"""The sample chain's departures: every kind the departure procedure records, split within the
calibrated yearly endings (``DEPARTURE_ENDINGS_PER_YEAR``) from the person's key, and IOM's
voluntary-return files and support offers for the persons referred to it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from keten.catalog.derive import derive
from keten.catalog.loader import get_procedure
from keten.chain.departure_kinds import kind_of
from keten.chain.sample import generate_chain

ON = date(2026, 12, 1)


def test_departures_of_every_kind_and_iom_files_for_referrals() -> None:
    kinds: Counter[str] = Counter()
    escorted: Counter[bool] = Counter()
    iom_files: Counter[str] = Counter()
    offers: Counter[str] = Counter()
    referred: set[int] = set()
    supported: set[int] = set()
    voluntary = get_procedure("voluntary_return")
    for hh in generate_chain(20_000, ON, seed=7):
        referred |= {h.person for h in hh.handovers if h.kind == "rean_referral"}
        offers.update(o.kind for o in hh.support_offers)
        for p in hh.procedures:
            if p.procedure_type == "voluntary_return":
                derive(voluntary, p.events, facts={}, on=ON)  # a history the catalogue accepts
                iom_files[p.events[-1].kind] += 1
                assert p.person in referred  # IOM's file only for a person referred to it
            if p.procedure_type != "departure" or not p.events:
                continue
            last = p.events[-1]
            kind = kind_of(last.kind, last.data)
            if kind is None:
                continue
            kinds[kind] += 1
            if kind == "forced":
                escorted[bool(last.data["escorted"])] += 1
            if kind == "independent_iom":
                assert p.person in referred
                supported.add(p.person or 0)
    # Dublin transfers are not in the sample (its Dublin claims stop at the request).
    assert set(kinds) == {"independent", "independent_iom", "forced", "absconded"}
    assert escorted[True] and escorted[False]
    assert iom_files["departed"] == kinds["independent_iom"]
    assert iom_files["application_ended"] > 0
    assert offers["flight_ticket"] == kinds["independent_iom"]
    # The split stays within the endings: IOM-supported departures are independent ones.
    assert kinds["independent"] + kinds["independent_iom"] > kinds["independent_iom"] > 0
