"""What a role sees beyond its scope, through real HTTP: quota files only for the roles that may
read the taakstelling, occupancy over the role's own persons, and a sample that an interrupted
setup does not leave half loaded."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import REPO, Server, database_env, keten
from tests.server.sites import site
from tests.server.world import register, version

TODAY = date.today().isoformat()


def _quota_file(municipality: str) -> int:
    from keten.server.dossiers.models import Procedure

    found = (
        Procedure.objects.filter(
            person__isnull=True, procedure_type="taakstelling", municipality=municipality
        )
        .values_list("pk", flat=True)
        .first()
    )
    assert found is not None, f"the sample has no taakstelling half-year for {municipality}"
    return int(found)


@pytest.mark.parametrize(
    "user, status",
    [("ind", 404), ("dtenv", 404), ("coa", 200), ("gemeente-utrecht", 200), ("privacy", 403)],
)
def test_a_quota_file_is_read_by_those_who_may_read_the_taakstelling(
    live: Server, user: str, status: int
) -> None:
    """Before: roles without taakstelling rights read quota files through GET /procedures/{id}."""
    reply = live.get(f"/api/v1/procedures/{_quota_file('utrecht')}", user)
    assert reply.status == status, reply.text


def test_a_municipality_reads_its_own_quota_file_only(live: Server) -> None:
    assert (
        live.get(f"/api/v1/procedures/{_quota_file('amsterdam')}", "gemeente-utrecht").status == 404
    )


def _occupied(live: Server, user: str) -> dict[str, int]:
    body: dict[str, Any] = live.get("/api/v1/dashboard", user).body
    return {row["kind"]: row["n"] for row in body["occupancy"]}


def test_occupancy_counts_the_places_of_the_roles_own_persons(live: Server) -> None:
    """Before: the dashboard showed chain-wide occupancy to roles scoped to granted persons."""
    before_ind, before_dtenv = _occupied(live, "ind"), _occupied(live, "dtenv")
    person = int(register(live)["id"])
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "coa",
        {
            "kind": "coa_emergency",
            "site": site(live, "coa", "emergency"),
            "location": "noodopvang",
            "start": TODAY,
            "reason": "x",
        },
        headers={"If-Match": version(live, person)},
    )
    assert placed.status == 201, placed.text
    assert _occupied(live, "ind").get("coa_emergency", 0) == before_ind.get("coa_emergency", 0) + 1
    assert _occupied(live, "dtenv") == before_dtenv  # not DTenV's person
    assert _occupied(live, "jenv") == {}  # no dossiers, no places


@pytest.mark.slow
def test_an_interrupted_setup_leaves_no_half_sample(tmp_path: Path) -> None:
    """Before: an interrupted `keten server setup` left a partial sample that the next run kept
    without a word. Now the sample is loaded in one transaction."""
    env = database_env("keten_interrupted_setup", tmp_path)
    keten(env, "server", "setup", "--persons", "0")  # migrated, no sample
    started = subprocess.Popen(
        [str(Path(sys.executable).with_name("keten")), "server", "setup", "--persons", "4000"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4)  # well into loading the households
    started.send_signal(signal.SIGKILL)
    started.wait(timeout=30)
    probe = (
        "from keten.server.setup import django_setup; django_setup()\n"
        "from keten.server.dossiers.models import Person; print(Person.objects.count())"
    )
    count = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert count.stdout.strip() == "0", "half a sample survived the interruption"
    done = keten(env, "server", "setup", "--persons", "400")
    assert " persons" in done.stdout
    again = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert int(again.stdout.strip()) >= 400
