"""The API contract: schemathesis runs every operation of the served OpenAPI document against a
real server, as the profile's roles (``contract_profile.py``), and every answer must be one the
document promises: no 5xx, a documented status, content type, headers and body.

The run has a server and database of its own: its writes (persons registered with random names,
events on random days) never reach the server the other tests share. Its figures (operations,
cases, requests, statuses) are printed at the end of the pytest run (``conftest.py``), so that
CI's log shows what the contract run covered.

Schemathesis's engine runs the cases (what its command line runs), not its pytest plugin: the
plugin's per-operation reports for a schema loaded from a fixture use pytest internals that
pytest 9.2 no longer has.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.engine.recorder import ScenarioRecorder

from keten.catalog.loader import load_catalog
from keten.catalog.model import main_deadline
from tests.server import contract_profile as profile
from tests.server.live import REPO, Server, database_env, read_tokens, start

pytestmark = pytest.mark.slow

# Writes whose version (If-Match) is another resource's: the person's for the person's own
# writes, the procedure's for its events and decisions.
PERSON_WRITES = {
    "person_correct",
    "person_family_link",
    "procedure_lodge",
    "person_record_add",
    "person_record_end",
    "outflow_match",
    "outflow_lease",
    "outflow_move",
}
PROCEDURE_WRITES = {"procedure_event_record", "procedure_decide"}

POLICY = REPO / "keten" / "server" / "policy" / "policy.yaml"


@dataclass
class Tally:
    """What one role's run did, for the summary."""

    role: str
    started: float = field(default_factory=time.monotonic)
    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    requests: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        per_op = sorted(self.cases.values()) or [0]
        return (
            f"{self.role}: {len(self.cases)} operations, {sum(per_op)} cases "
            f"({per_op[0]}-{per_op[-1]} per operation, up to {profile.MAX_EXAMPLES} fuzzed; "
            f"seed {profile.SEED}), {self.requests} requests, "
            f"{self.server_errors} server errors, {len(self.failures)} contract violations, "
            f"{time.monotonic() - self.started:.0f} s; statuses "
            + " ".join(f"{code}:{n}" for code, n in sorted(self.statuses.items()))
        )


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(params=profile.ROLES, ids=lambda role: role.user)
def role(request: pytest.FixtureRequest) -> profile.Role:
    assert isinstance(request.param, profile.Role)
    return request.param


@pytest.fixture
def contract_server(role: profile.Role, tmp_path: Path) -> Iterator[Server]:
    """A server on a fresh database for each role's run, so that a run does not depend on
    which runs went before it on the same worker: the same cases meet the same dossiers."""
    env = database_env(f"keten_contract_{_worker()}", tmp_path)
    server = start(env)
    server.tokens = read_tokens(env)
    yield server
    server.stop()


def _ids(server: Server, user: str) -> dict[str, list[int]]:
    """The ids ``user`` sees, by path parameter name: persons, their procedures, the decisions
    on those, their measures and placements (none for a role that reads no dossiers)."""
    ids: dict[str, list[int]] = {
        "person_id": [],
        "procedure_id": [],
        "decision_id": [],
        "record_id": [],
    }
    reply = server.get("/api/v1/persons?page_size=100", user)
    if reply.status != 200:
        return ids
    ids["person_id"] = [p["id"] for p in reply.body["results"]]
    for person in ids["person_id"][:20]:
        rows = server.get(f"/api/v1/persons/{person}/procedures", user).body["results"]
        ids["procedure_id"] += [row["id"] for row in rows]
        for resource in ("measures", "placements"):
            reply = server.get(f"/api/v1/persons/{person}/{resource}", user)
            if reply.status == 200:
                ids["record_id"] += [record["id"] for record in reply.body["results"]]
    for procedure in ids["procedure_id"]:
        reply = server.get(f"/api/v1/procedures/{procedure}/decisions", user)
        if reply.status == 200:
            ids["decision_id"] += [d["id"] for d in reply.body["results"]]
    return ids


def _mixed(seen: dict[str, list[int]], every: dict[str, list[int]]) -> dict[str, list[int]]:
    """Ids a role sees, weighted to about half of the draws, and every id there is: a role with
    a granted scope sees a few persons, and the others test that it is refused them."""
    return {
        name: seen[name] * max(1, len(every[name]) // max(1, len(seen[name]))) + every[name]
        for name in every
    }


def _known(server: Server) -> profile.Known:
    """What exists on the server beside the ids, by the names the profile binds: the
    catalogue's events, the rules, the policy's organisations and municipalities, the
    half-years and days around today."""
    catalog = server.get("/api/v1/catalog/procedures", "ind").body["results"]
    rules = server.get("/api/v1/rules", "ind").body["results"]
    policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    organisations = [org["code"] for org in policy["organisations"]]
    today = date.today()
    year = today.year
    return {
        "event_kind": sorted({e["kind"] for pt in catalog for e in pt["events"]}),
        # The events that end a procedure's main deadline: what a decision records.
        "stop_kind": sorted({k for pt in load_catalog().values() for k in main_deadline(pt).stop}),
        "rule": [rule["id"] for rule in rules],
        "organisation": organisations,
        "municipality": [o.removeprefix("gemeente-") for o in organisations if "gemeente-" in o],
        "period": [f"{y}-{half}" for y in (year - 1, year, year + 1) for half in ("I", "II")],
        "nationality": list(profile.NATIONALITIES),
        "day": [(today + timedelta(days=n)).isoformat() for n in profile.DAYS],
        "location_code": [
            r["code"] for r in server.get("/api/v1/locations", "ind").body["results"]
        ],
    }


def _version_of(case: Case[Any]) -> str | None:
    """The path whose ETag a write is based on, or None for a read or a write that needs no
    version (registering a person, running a rule, a taakstelling: its version is the
    half-year's, named in the body)."""
    operation_id = case.operation.definition.raw.get("operationId")
    params = case.path_parameters or {}
    if operation_id in PERSON_WRITES:
        return f"/api/v1/persons/{params.get('person_id')}"
    if operation_id in PROCEDURE_WRITES:
        return f"/api/v1/procedures/{params.get('procedure_id')}"
    if operation_id == "location_capacity_change":
        return f"/api/v1/locations/{params.get('code')}"
    return None


def _tracebacks(server: Server, limit: int = 3) -> str:
    """The last tracebacks in the server's log, each to its exception: what a 5xx was."""
    if server.log is None or not server.log.exists():
        return ""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in server.log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback (most recent call last):"):
            current = [line]
            blocks.append(current)
        elif current is not None:
            current.append(line)
            if not line.startswith(" "):  # the exception itself ends the traceback
                current = None
    return "".join("\n" + "\n".join(lines) for lines in blocks[-limit:])


def _tally(recorder: ScenarioRecorder, tally: Tally) -> None:
    tally.cases[recorder.label] += len(recorder.cases)
    for interaction in recorder.interactions.values():
        tally.requests += 1
        if interaction.response is not None:
            status = interaction.response.status_code
            tally.statuses[status] += 1
            tally.server_errors += status >= 500
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                tally.failures.append(
                    f"{recorder.label}: {failure.title}\n{failure.message}\n"
                    f"{check.failure_info.code_sample}"
                )


def _expected(document: dict[str, Any], role: profile.Role) -> set[str]:
    """The operations the role's run must cover, as schemathesis labels them."""
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict)
        and "operationId" in op
        and (not role.operations or op["operationId"] in role.operations)
    }


def test_every_answer_is_one_the_document_promises(
    contract_server: Server, role: profile.Role, record_property: Any
) -> None:
    every = _ids(contract_server, "ind")
    ids = every if role.user == "ind" else _mixed(_ids(contract_server, role.user), every)
    data = profile.config({**_known(contract_server), **ids}, role)
    data["headers"] = {"Authorization": f"Token {contract_server.tokens[role.user]}"}
    schema = schemathesis.openapi.from_url(
        f"{contract_server.base}/api/v1/openapi.json",
        config=SchemathesisConfig.from_dict(data),
    )
    tally = Tally(role.user)

    @schema.hook
    def flatmap_case(context: Any, case: Case[Any]) -> st.SearchStrategy[Case[Any]]:
        """Most writes are based on the current version, so that they get past the version
        check into the service layer; the rest test 409, 428 and a malformed If-Match."""

        def based_on(fresh: bool) -> Case[Any]:
            path = _version_of(case) if fresh else None
            if path is not None:
                reply = contract_server.get(path, role.user)
                tally.requests += 1
                if reply.status == 200:  # else the role may not see it: refused anyway
                    case.headers["If-Match"] = reply.headers["ETag"]
            return case

        return st.sampled_from(profile.FRESH).map(based_on)

    errors: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _tally(event.recorder, tally)
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    record_property("contract", tally.line())
    assert not errors, "\n".join(errors)
    assert not tally.failures, (
        f"{len(tally.failures)} failures:\n\n"
        + "\n\n".join(tally.failures[:20])
        + (_tracebacks(contract_server) if tally.server_errors else "")
    )
    missing = _expected(schema.raw_schema, role) - set(tally.cases)
    assert not missing, f"operations the run did not reach: {sorted(missing)}"
