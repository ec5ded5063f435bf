"""Where each case stands: the kind of its latest event, cached on the procedure, on every
work-queue row (API and page), kept by every event, and filled by its migration from the events
already stored the same way the server computes it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.server.live import Browser, Server, database_env, keten
from tests.server.world import lodge, register

TODAY = date.today().isoformat()


def _queue_row(live: Server, proc: int) -> tuple[dict[str, object], str]:
    """The procedure's row in the IND's queue, and the query of the 50-row page holding it
    (the page size the interface shows)."""
    query = "procedure_type=asylum_first&page_size=50"
    while True:
        reply = live.get(f"/api/v1/queue?{query}", "ind")
        assert reply.status == 200, reply.text
        rows = [r for r in reply.body["results"] if r["id"] == proc]
        if rows:
            return dict(rows[0]), query
        assert reply.body["next_after"], "the procedure is in the IND's queue"
        query = f"procedure_type=asylum_first&page_size=50&after={reply.body['next_after']}"


def test_each_queue_row_says_where_the_case_stands(live: Server) -> None:
    lodged = lodge(live, int(register(live)["id"]))
    proc = int(lodged["id"])
    row, _ = _queue_row(live, proc)
    assert (row["stage"], row["stage_name"]) == ("lodged", "Aanvraag ingediend")

    heard = live.request(
        "POST",
        f"/api/v1/procedures/{proc}/events",
        "ind",
        {"kind": "hearing_report", "day": TODAY, "reason": "nader gehoor"},
        headers={"If-Match": f'"{lodged["version"]}"'},
    )
    assert heard.status == 201, heard.text
    row, query = _queue_row(live, proc)
    assert row["stage"] == "hearing_report"
    assert row["stage_name_en"] == "Report of the detailed hearing issued"  # the catalogue's

    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open(f"/queue?{query.replace('&page_size=50', '')}")
    assert status == 200
    cell = html[html.index(f'<span class="muted">#{proc}</span>') :].split("</td>")[0]
    assert 'data-stage="hearing_report">stand: Rapport nader gehoor uitgereikt' in cell


MIGRATE = r"""
from datetime import date
from keten.server.setup import setup
setup(persons=60, on=date(2026, 11, 26))
from django.core.management import call_command
from keten.server.dossiers.models import Procedure
call_command("migrate", "dossiers", "0004", verbosity=0)
call_command("migrate", verbosity=0)
assert Procedure.objects.exclude(stage="").count() == Procedure.objects.count() > 50
print("ok")
"""


def test_the_migration_fills_the_stage_as_the_server_computes_it(tmp_path: Path) -> None:
    env = database_env("keten_stage_migration", tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", MIGRATE], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]
    # the server's own computation finds nothing to correct in what the migration wrote
    done = keten(env, "server", "refresh-cache")
    assert done.stdout.strip().endswith(", 0 cache row(s) rewritten"), done.stdout
