"""``keten server refresh-cache``: after a catalogue change, stored procedures' work-queue
columns are recomputed from their events, only the rows that differ are written, and the run
is in the audit log. The dossier's events are not touched."""

from __future__ import annotations

import re

from tests.server.live import Server, keten


def _refresh(live: Server, *args: str) -> tuple[int, int]:
    done = keten(live.env, "server", "refresh-cache", *args)
    found = re.match(r"(\d+) procedure\(s\) examined, (\d+) cache row\(s\) rewritten", done.stdout)
    assert found, done.stdout + done.stderr
    return int(found.group(1)), int(found.group(2))


def test_a_stale_cache_is_recomputed_from_the_events(live: Server) -> None:
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import Procedure, ProcedureEvent

    outflows = Procedure.objects.filter(procedure_type="permit_holder_outflow")
    assert outflows.exists()  # the live server's sample chain has permit holders
    _refresh(live)  # whatever earlier tests left, the cache is current from here
    stale = outflows.filter(status="open").first() or outflows.first()
    assert stale is not None and stale.person is not None
    right = Procedure.objects.values().get(pk=stale.pk)
    events_before = list(ProcedureEvent.objects.filter(procedure=stale).values())
    # What the cache held before the catalogue named the 14-week norm as the main deadline: the
    # match (phase 1) sorted and closed the case.
    Procedure.objects.filter(pk=stale.pk).update(deadline_id="matching", status="closed", due=None)

    examined, rewritten = _refresh(live, "--type", "permit_holder_outflow")
    assert examined == outflows.count() and rewritten == 1
    assert Procedure.objects.values().get(pk=stale.pk) == right
    assert list(ProcedureEvent.objects.filter(procedure=stale).values()) == events_before
    record = AuditRecord.objects.filter(name="procedure.cache_refresh").last()
    assert record is not None and record.actor_user == "keten-cache"
    assert [stale.person_id, stale.person.v_number] in record.subjects

    assert _refresh(live)[1] == 0  # nothing left to rewrite
    unknown = keten(live.env, "server", "refresh-cache", "--type", "asiel", check=False)
    assert unknown.returncode == 2 and "--type" in unknown.stderr and "'asiel'" in unknown.stderr
