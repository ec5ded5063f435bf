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


def test_setup_refreshes_a_cache_computed_from_other_data_and_run_warns(live: Server) -> None:
    """A catalogue, calendar or policy change reaches the stored queue columns without anyone
    having to remember refresh-cache: setup (and the demo) recompute when the database's
    fingerprint is not this code's, and ``server run`` says so before serving."""
    import socket

    from keten.server.dossiers.models import CacheState, Procedure
    from keten.server.services.cache_refresh import STATE_NAME, cache_fingerprint

    _refresh(live)  # current, and the fingerprint recorded
    assert CacheState.objects.get(name=STATE_NAME).fingerprint == cache_fingerprint()
    outflow = Procedure.objects.filter(procedure_type="permit_holder_outflow").first()
    assert outflow is not None
    right = Procedure.objects.values().get(pk=outflow.pk)
    # as a database left by a release whose catalogue closed the outflow at the match
    Procedure.objects.filter(pk=outflow.pk).update(deadline_id="matching", status="closed")
    CacheState.objects.filter(name=STATE_NAME).update(fingerprint="an older catalogue")

    with socket.socket() as taken:  # run warns, then stops at the port: no server is started
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        stale = keten(live.env, "server", "run", "--port", port, check=False)
        assert stale.returncode == 2 and "already in use" in stale.stderr
        assert "work-queue cache was computed from another catalogue" in stale.stderr

        done = keten(live.env, "server", "setup", "--persons", "0")
        found = re.search(
            r"cache recomputed: (\d+) procedure\(s\) examined, (\d+) cache", done.stdout
        )
        assert found, done.stdout + done.stderr
        assert int(found.group(1)) == Procedure.objects.count() and found.group(2) == "1"
        assert Procedure.objects.values().get(pk=outflow.pk) == right
        assert CacheState.objects.get(name=STATE_NAME).fingerprint == cache_fingerprint()

        again = keten(live.env, "server", "setup", "--persons", "0")
        assert "cache recomputed" not in again.stdout  # nothing to do once current
        current = keten(live.env, "server", "run", "--port", port, check=False)
        assert current.returncode == 2 and "work-queue cache" not in current.stderr


def test_a_partial_refresh_does_not_vouch_for_the_whole_cache(live: Server) -> None:
    from keten.server.dossiers.models import CacheState
    from keten.server.services.cache_refresh import STATE_NAME

    _refresh(live)
    CacheState.objects.filter(name=STATE_NAME).update(fingerprint="an older catalogue")
    _refresh(live, "--type", "permit_holder_outflow")
    assert CacheState.objects.get(name=STATE_NAME).fingerprint == "an older catalogue"
    _refresh(live)
    assert CacheState.objects.get(name=STATE_NAME).fingerprint != "an older catalogue"
