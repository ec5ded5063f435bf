"""The fuzzing profile of the API contract run (``tests/server/test_contract.py``): which roles
run which operations, how many cases, which checks, the seed, and where generated values come
from. Change the run here.

The run is a contract test, not a search for every bug there is: it must finish in CI in about
two minutes on two cores, and a failure must come back the same on the next run, so that it
can be fixed and held fixed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# Issue 13 asked for the run; a fixed seed and Hypothesis's derandomised mode make every run
# draw the same cases, so a failure in CI is the failure on a laptop. To search further by
# hand, set KETEN_CONTRACT_SEED and KETEN_CONTRACT_EXAMPLES (docs/architecture.md).
SEED = int(os.environ.get("KETEN_CONTRACT_SEED", "13"))

# Cases Hypothesis draws per operation and account in the fuzzing phase, each matching the
# schema (the coverage phase adds its own, most of them not matching: every required field left
# out, every wrong type and boundary, once). Sixty reach every branch a body's kind chooses (a
# record's resource, a decision's outcome) a few times over; at 25 most writes never got past
# the first refusal, at 300 (five times the time) the run found nothing more.
MAX_EXAMPLES = int(os.environ.get("KETEN_CONTRACT_EXAMPLES", "60"))

# What every answer is held to. ``not_a_server_error``: no 5xx, whatever is sent.
# ``status_code_conformance``: the status is one the operation documents.
# ``content_type_conformance``: JSON for a success, problem+json for an error, as documented.
# ``response_schema_conformance``: the body matches the documented schema.
# ``response_headers_conformance``: the documented headers (ETag, API-Version) are there and
# well-formed.
# Not ``positive_data_acceptance``: a body can match the schema and still be refused (a day
# before the application, a quota for a half-year that has ended); the schema cannot say all
# the rules, and the rules answer 400 or 422 naming the field.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)


@dataclass(frozen=True)
class Role:
    """A demo account (``keten.server.setup.DEMO_USERS``) and the operations it runs."""

    user: str
    why: str
    # operationIds; empty: every operation in the document.
    operations: tuple[str, ...] = ()
    # The dossier records it writes (a path's ``resource``), drawn for most cases: of the six,
    # each role may write one or two, and the others answer 403 before anything is read.
    resources: tuple[str, ...] = ()


ROLES = (
    Role(
        "ind",
        "The IND case worker may do the most: every dossier (scope all), register, correct, "
        "lodge, record events, decide, add documents, hand-overs and asylum motives.",
        resources=("documents", "handovers", "asylum-motives"),
    ),
    Role(
        "dtenv",
        "A granted scope: it sees only the persons handed over to it, so every read and write "
        "goes through the scope check; it writes measures, which the IND only reads.",
        resources=("measures", "handovers"),
    ),
    Role(
        "jenv",
        "The only role that records a taakstelling (announces quotas, closes a half-year), "
        "also from a forecast run's half-year.",
        ("taakstelling_list", "taakstelling_record", "forecast_run_read", "forecast_carry"),
    ),
    Role(
        "coa",
        "Writes and ends placements (which give municipalities and DJI access) at the locations "
        "it registers and whose capacity it changes; the other records it reads; reads the "
        "occupancy figures of every location; matches permit holders to municipalities; "
        "starts forecast runs (queued: the contract server runs no worker) and reads them.",
        (
            "person_record_add",
            "person_record_end",
            "person_records_list",
            "location_list",
            "location_read",
            "location_register",
            "location_capacity_change",
            "occupancy_read",
            "occupancy_series",
            "occupancy_allocation",
            "outflow_list",
            "outflow_match",
            "forecast_scenarios",
            "forecast_runs_list",
            "forecast_runs_start",
            "forecast_run_read",
            "forecast_compare",
        ),
        resources=("placements",),
    ),
    Role("privacy", "The only role that reads the audit log.", ("audit_list",)),
    Role(
        "jenv-beleid",
        "The ministry's policy staff: the only role that reads the factsheet and the strategy "
        "document (their half-year and reference day fuzzed), and the IND annual figures "
        "(figures only, any year).",
        ("reports_factsheet", "reports_strategy", "reports_annual"),
    ),
)

# How often a value is drawn from what exists (below) rather than as the schema allows: an id
# of a person, procedure, decision or record on the server (otherwise almost every case would
# answer 404 and no write would reach the service layer), or a value the document cannot
# enumerate because it depends on the case (an event of the procedure's type) or on the
# server's data (organisations, rules). The rest still probes the refusals.
KNOWN_SHARE = 0.8

# Where those values go: (operationId or "*" for all, parameter) -> the list of values (keys
# of ``Known``). Parameters are ``path.<name>``, ``query.<name>`` or ``body.<field>``.
BINDINGS: dict[tuple[str, str], str] = {
    ("*", "path.person_id"): "person_id",
    ("*", "path.procedure_id"): "procedure_id",
    ("*", "path.decision_id"): "decision_id",
    ("*", "path.record_id"): "record_id",
    ("person_register", "body.nationality"): "nationality",
    ("person_correct", "body.nationality"): "nationality",
    ("person_family_link", "body.other_person_id"): "person_id",
    ("procedure_lodge", "body.event.kind"): "event_kind",
    ("procedure_event_record", "body.kind"): "event_kind",
    ("procedure_decide", "body.event_kind"): "stop_kind",
    ("procedure_support_run", "body.rule"): "rule",
    ("person_record_add", "body.to_org"): "organisation",
    ("person_record_add", "body.municipality"): "municipality",
    ("outflow_match", "body.municipality"): "municipality",
    ("outflow_list", "query.municipality"): "municipality",
    ("taakstelling_list", "query.period"): "period",
    ("taakstelling_list", "query.municipality"): "municipality",
    ("taakstelling_record", "body.period"): "period",
    ("reports_factsheet", "query.half_year"): "period",
    ("taakstelling_record", "body.figures[*].municipality"): "municipality",
    ("*", "query.on"): "day",
    ("*", "body.day"): "day",
    ("procedure_lodge", "body.event.day"): "day",
    ("person_record_add", "body.start"): "day",
    ("person_record_add", "body.end"): "day",
    ("person_record_add", "body.issued"): "day",
    ("person_record_add", "body.valid_until"): "day",
    ("person_record_end", "body.end"): "day",
    ("*", "path.code"): "location_code",
    ("person_record_add", "body.site"): "location_code",
    ("location_register", "body.opened"): "day",
    ("location_capacity_change", "body.valid_from"): "day",
    ("location_capacity_change", "body.until"): "day",
}

# Days, from today: a year ago to a week ahead. The document says "a date"; the case takes only
# days from the procedure's start to a little ahead (a plan), and the calendar only from 2000.
DAYS = (-400, -60, -14, -1, 0, 7)

# Of the writes the fuzzing phase draws, three in four name the version the server holds, so
# they reach the service layer; the fourth keeps what was drawn (none, stale or malformed).
FRESH = (True, True, True, False)

# The nationalities registered most in the chain, stateless and unknown: the document says
# "a three-letter code of a country", and most three letters name none.
NATIONALITIES = ("SYR", "AFG", "ERI", "TUR", "IRQ", "YEM", "UKR", "NLD", "XXA", "XXX")

# What exists on the server, by the names ``BINDINGS`` uses.
Known = dict[str, list[int] | list[str]]


def config(known: Known, role: Role) -> dict[str, Any]:
    """The schemathesis configuration (what a ``schemathesis.toml`` holds) for one role."""
    operations: list[dict[str, Any]] = []
    if role.operations:  # every other operation switched off for this role
        operations.append({"exclude-operation-id": list(role.operations), "enabled": False})
    known = {**known, "resource": list(role.resources)}
    bindings = {**BINDINGS, ("*", "path.resource"): "resource"}
    everywhere: dict[str, Any] = {}
    per_operation: dict[str, dict[str, Any]] = {}
    for (operation_id, parameter), name in bindings.items():
        if not known.get(name):
            continue
        binding = {"dictionary": name, "probability": KNOWN_SHARE}
        if operation_id == "*":
            everywhere[parameter] = binding
        else:
            per_operation.setdefault(operation_id, {})[parameter] = binding
    operations += [
        {"include-operation-id": operation_id, "parameters": parameters}
        for operation_id, parameters in sorted(per_operation.items())
    ]
    return {
        "seed": SEED,
        # Every failure of an operation, not only its first: a run shows all there is to fix.
        "continue-on-failure": True,
        # A request that hangs is a failure of the run, not a run that never ends.
        "request-timeout": 30,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # Nothing carried over from an earlier run: the same cases every time.
            "database": "none",
            # A failing case is reported as drawn, with the curl that repeats it: shrinking it
            # re-sends variations to a server whose dossiers each of them changes.
            "no-shrink": True,
            # Both cases the schema allows and cases it does not: a refusal must be a 4xx too.
            "mode": "all",
        },
        # No phase draws on the answers it got (values from earlier responses, hints from
        # earlier refusals): those carry timestamps and the order rows came back in, and with
        # them the same seed drew other cases from run to run.
        "phases": {
            "examples": {"enabled": True, "extra-data-sources": {"responses": False}},
            "coverage": {"enabled": True, "extra-data-sources": {"responses": False}},
            # Cases that match the schema only: the coverage phase has sent the ones that do
            # not (a field of every wrong type, each required one left out), and Hypothesis's
            # random bytes where JSON belongs stop at the parser, which the coverage phase and
            # tests/server/test_bounds.py hold to a 400 already.
            "fuzzing": {
                "enabled": True,
                "generation": {"mode": "positive"},
                "extra-data-sources": {"responses": False},
                "error-feedback": {"enabled": False},
            },
            # The document declares no links between operations; those schemathesis infers
            # (an id in a path from an id in a body) drew mostly refusals, for 15% more time.
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            **{name: {"enabled": True} for name in CHECKS},
        },
        "dictionaries": {name: {"values": values} for name, values in known.items() if values},
        "parameters": everywhere,
        "operations": operations,
    }
