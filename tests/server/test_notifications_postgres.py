"""PostgreSQL only: two digest runs at the same moment (two schedulers, or a timer firing while
someone runs it by hand) send each person one e-mail, not two. The (recipient, day) row is
inserted in the transaction that sends; the second inserter waits on the first's row lock and
then finds it taken."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.server.live import REPO, Server
from tests.server.test_notifications import _messages
from tests.server.world import World

pytestmark = pytest.mark.postgres


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_two_digest_runs_at_once_send_each_person_one(
    live: Server, world: World, tmp_path: Path
) -> None:
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {**live.env, "KETEN_EMAIL_FILE_PATH": str(outbox)}
    # A day of its own: the other digest test sends today's.
    day = (date.today() - timedelta(days=3)).isoformat()
    command = [str(Path(sys.executable).with_name("keten")), "server", "digest", "--on", day]
    runs = [
        subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [r.communicate(timeout=300)[0] for r in runs]
    assert all(r.returncode == 0 for r in runs), outputs
    sent = [int(re.search(r"(\d+) sent", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    recipients = Counter(m["To"] for m in _messages(outbox))
    assert recipients and max(recipients.values()) == 1, recipients
    assert sum(sent) == len(recipients)  # every one sent by exactly one of the two runs
