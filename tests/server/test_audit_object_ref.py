"""An audit record's object reference fits its column (64 characters) without naming another
object: PostgreSQL refused a queue export whose filter made the reference longer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.live import Server


@pytest.fixture
def log(live: Server) -> Any:  # the live server's fixture has set Django up
    from keten.server.audit import log

    return log


def test_a_reference_that_fits_is_kept_whole(log: Any) -> None:
    ref = "queue:ind:page:1"
    assert log.fit_object_ref(ref) == ref
    assert log.Entry("queue.read", "read", "procedure", object_ref=ref).object_ref == ref


def test_a_long_reference_fits_and_two_that_share_their_start_stay_apart(log: Any) -> None:
    base = "queue:ind:export:procedure_type=asylum_first&overdue=1&"
    one, other = base + "unassigned=1", base + "mine=1&priority=0"
    fitted = log.fit_object_ref(one), log.fit_object_ref(other)
    assert all(len(f) == log.OBJECT_REF_MAX for f in fitted)
    assert fitted[0] != fitted[1]
    assert all(f.startswith("queue:ind:export:procedure_type=asylum_first") for f in fitted)
    entry = log.Entry("queue.export", "read", "procedure", object_ref=one)
    assert entry.object_ref == fitted[0]
