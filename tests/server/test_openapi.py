"""The OpenAPI document partners generate clients from: generated without a warning, every
operation named once and for good, every success answer with a body, errors as problem+json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Reply, Server
from tests.server.world import register, v_number

METHODS = ("get", "put", "post", "patch", "delete")

# POSTs that compute an answer and store nothing (running a rule on a case): no version to
# match and none to return.
COMPUTATIONS = {
    ("post", "/api/v1/procedures/{procedure_id}/support"),
    ("post", "/api/v1/forecast/runs"),  # queues a computation: no version, a job to poll
    # a letter is a new row beside a decision that never changes: nothing to be stale against
    ("post", "/api/v1/decisions/{decision_id}/letters"),
    # Bulk actions on many cases: one If-Match cannot name many versions; each assignment
    # item carries its own (``procedures[].version``), and a hand-over adds a record to each
    # person under a row lock (services/queue_handover.py). Their own tests: test_queue_work.
    ("post", "/api/v1/queue/assign"),
    ("post", "/api/v1/queue/handover"),
}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


@pytest.fixture(scope="module")
def served(live: Server) -> dict[str, Any]:
    reply = live.request("GET", "/api/v1/openapi.json")
    assert reply.status == 200, reply.text
    assert isinstance(reply.body, dict)
    return reply.body


# Writes that create what they would otherwise be based on: no version to name.
# Operations whose answer is a file, not JSON: the media types they document.
FILES = {
    "/api/v1/queue/export": {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

# A solidarity record is new each time too: a change names the record it supersedes, and is
# refused (409) when another record superseded it first (services/solidarity.py).
REGISTRATIONS = ("/api/v1/persons", "/api/v1/locations", "/api/v1/solidarity")
# Rows that are never changed, a COI report and its supersession: nothing to be stale against,
# so no version; two supersessions of one report wait on its row lock and the second is
# refused (422, services/coi.py).
APPEND_ONLY = {
    ("post", "/api/v1/coi"),
    ("post", "/api/v1/coi/{document_id}/supersede"),
    ("post", "/api/v1/return/operations"),
    # Escorts and a joint request's steps are rows that add up; a step out of order is refused
    # under the request's row lock (services/joint_requests.py).
    ("post", "/api/v1/return/operations/{operation_id}/escorts"),
    ("post", "/api/v1/return/joint-requests"),
    ("post", "/api/v1/return/joint-requests/{request_id}/steps"),
}
# Writes on the caller's own state, not on a dossier: no version to match (marking a
# notification read, one's horizon, an organisation's webhook subscriptions).
OWN_STATE = {
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("post", "/api/v1/notifications/settings"),
    ("post", "/api/v1/subscriptions"),
    ("post", "/api/v1/subscriptions/{subscription_id}/end"),
    # The exchange: a signed message is never changed, so there is no version to be stale
    # against; answering locks the request and refuses one already answered (422).
    ("post", "/api/v1/exchange/inbox"),
    ("post", "/api/v1/exchange/requests"),
    ("post", "/api/v1/exchange/inbox/{message_id}/answer"),
    ("post", "/api/v1/exchange/shares"),
    ("post", "/api/v1/exchange/inbox/{message_id}/take-over"),
}


def test_schema_generates_without_warnings(live: Server, tmp_path: Path) -> None:
    # ``live`` has pointed Django at the worker's database and set it up.
    from django.core.management import call_command

    out = tmp_path / "openapi.yaml"
    # Raises (SystemExit) on any drf-spectacular warning or error.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert out.stat().st_size > 0


def test_every_operation_has_a_unique_explicit_id(served: dict[str, Any]) -> None:
    ops = _operations(served)
    assert ops
    ids = [op.get("operationId") for _, _, op in ops]
    assert all(ids), [(m, p) for m, p, op in ops if not op.get("operationId")]
    assert len(set(ids)) == len(ids), sorted(str(i) for i in ids if ids.count(i) > 1)
    # Explicit names, not drf-spectacular's path-derived ones with numeral suffixes.
    for operation_id in ids:
        assert isinstance(operation_id, str)
        assert operation_id.islower() and not operation_id[-1].isdigit(), operation_id
        assert not operation_id.startswith(("persons_", "procedures_", "api_")), operation_id


def test_every_operation_answers_a_body_and_problem_errors(served: dict[str, Any]) -> None:
    for method, path, op in _operations(served):
        responses = op["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert success, (method, path)
        for code in success:
            content = responses[code].get("content", {})
            if path in FILES:  # an export answers a file in the format asked for
                assert set(content) == FILES[path], (method, path, code)
            else:
                assert content.get("application/json"), (method, path, code)
        errors = [code for code in responses if code[0] in "45"]
        assert "401" in errors and "403" in errors, (method, path)
        for code in errors:
            content = responses[code]["content"]
            assert list(content) == ["application/problem+json"], (method, path, code)
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
        if method != "get":
            assert "400" in errors, (method, path)


def test_problem_schema_names_what_problems_emits(served: dict[str, Any]) -> None:
    """The Problem schema names every field ``problems.body`` writes, in English and Dutch:
    always the first six, ``field``, ``rule`` (and their Dutch) with a field, the current
    version with a 409."""
    from keten.server.api.problems import body

    problem = served["components"]["schemas"]["Problem"]
    bare = body(404, "not-found", "Not found", "no such resource")
    assert set(problem["required"]) == set(bare)
    conflict = body(
        409,
        "version-conflict",
        "Version conflict",
        "stale",
        field="If-Match",
        rule="must name the current version",
        extra={"currentVersion": 2, "current": {}},
    )
    assert set(problem["properties"]) == set(conflict)
    invalid = served["components"]["schemas"]["InvalidParam"]
    assert set(invalid["properties"]) == set(conflict["invalidParams"][0])
    assert set(invalid["required"]) == set(conflict["invalidParams"][0])


def _body_schema(served: dict[str, Any], path: str, method: str, code: str) -> dict[str, Any]:
    content = served["paths"][path][method]["responses"][code]["content"]
    schema: dict[str, Any] = content["application/json"]["schema"]
    ref = schema.get("$ref")
    if ref:
        schema = served["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/api/v1/me", "/api/v1/me"),
        ("/api/v1/persons?page_size=2", "/api/v1/persons"),
        ("/api/v1/persons/{p}", "/api/v1/persons/{person_id}"),
        ("/api/v1/persons/{p}/procedures", "/api/v1/persons/{person_id}/procedures"),
        ("/api/v1/queue?page_size=2", "/api/v1/queue"),
        ("/api/v1/queue/summary", "/api/v1/queue/summary"),
        ("/api/v1/dashboard", "/api/v1/dashboard"),
    ],
)
def test_documented_bodies_are_the_bodies_the_server_sends(
    live: Server, world: Any, served: dict[str, Any], path: str, template: str
) -> None:
    """The schema is written by hand beside the service functions (``api/schema.py``); here it
    is held to what the server actually answers: the same top-level fields, and for lists the
    same fields in every row the schema spells out."""
    reply = live.get(path.format(p=world.p), "ind")
    assert reply.status == 200, reply.text
    schema = _body_schema(served, template, "get", "200")
    if schema.get("type") == "array":  # a bare list of rows
        rows, row_schema = reply.body, schema["items"]
    else:
        assert set(reply.body) == set(schema["properties"]), template
        results = schema["properties"].get("results", {})
        rows, row_schema = reply.body.get("results", []), results.get("items", {})
    ref = row_schema.get("$ref")
    if ref:
        row_schema = served["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    if "properties" in row_schema:
        assert rows, f"{template}: no rows to hold to the schema"
        for row in rows:
            assert set(row) == set(row_schema["properties"]), template


def test_the_rules_are_documented_as_listed_with_the_labels_of_their_choices(
    live: Server, served: dict[str, Any]
) -> None:
    reply = live.get("/api/v1/rules", "ind")
    assert reply.status == 200, reply.text
    schemas = served["components"]["schemas"]
    fact_fields = set(schemas["RuleFact"]["properties"])
    label_fields = set(schemas["ChoiceLabel"]["properties"])
    labels = 0
    for rule in reply.body["results"]:
        for fact in rule["facts"]:
            assert set(fact) == fact_fields, (rule["id"], fact["name"])
            for label in fact["choice_labels"] or []:
                assert set(label) == label_fields, (rule["id"], fact["name"])
                labels += 1
    assert labels


def _resolve(served: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "allOf" in schema:  # drf-spectacular: a $ref with a description beside it
        schema = schema["allOf"][0]
    ref = schema.get("$ref")
    if ref:
        resolved: dict[str, Any] = served["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        return resolved
    return schema


def _request_schema(served: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = served["paths"][path][method]["requestBody"]
    return _resolve(served, body["content"]["application/json"]["schema"])


def _request_shapes(served: dict[str, Any], path: str, method: str) -> list[dict[str, Any]]:
    """The request body's shapes: one, or each of a oneOf (a record's body per resource)."""
    schema = _request_schema(served, path, method)
    return [_resolve(served, shape) for shape in schema.get("oneOf", [schema])]


def _required_body(
    served: dict[str, Any], path: str, method: str, values: dict[str, Any]
) -> dict[str, Any]:
    """The documented required fields, with ``values``' (valid) values, each held to the
    documented enum where there is one."""
    schema = _request_schema(served, path, method)
    required = schema.get("required", [])
    assert required, (method, path)
    assert set(required) <= set(values), (method, path, sorted(set(required) - set(values)))
    for name in required:
        enum = _resolve(served, schema["properties"][name]).get("enum")
        if enum is not None:
            assert values[name] in enum, (method, path, name, enum)
    return {name: values[name] for name in required}


def _refused_without_each(
    live: Server, method: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> None:
    """Leaving out any documented-required field is refused: 400 naming that field."""
    for name in body:
        short = {k: v for k, v in body.items() if k != name}
        reply = live.request(method, path, "ind", short, headers=headers)
        assert reply.status == 400, (method, path, name, reply.text)
        assert reply.body["field"] == name, (method, path, name, reply.body)


def _accepted(reply: Reply, status: int = 201) -> dict[str, Any]:
    assert reply.status == status, reply.text
    assert reply.headers["ETag"], "documented: the answer carries an ETag"
    body: dict[str, Any] = reply.body
    return body


def test_writes_take_the_documented_request_bodies(live: Server, served: dict[str, Any]) -> None:
    """Every write documents its body: a body of just the documented-required fields (with
    valid values) is accepted, one that leaves any of them out is refused naming it."""
    today = date.today().isoformat()
    writes = [
        (m, p)
        for m, p, op in _operations(served)
        if m in ("post", "patch", "put", "delete")
        and (m, p) not in COMPUTATIONS
        and (m, p) not in OWN_STATE
    ]
    assert writes
    for method, path in writes:
        for shape in _request_shapes(served, path, method):
            assert shape.get("properties"), (method, path)
        params = served["paths"][path][method].get("parameters", [])
        # Registering (a person, a location) needs no version; every other write does.
        if path not in REGISTRATIONS and (method, path) not in APPEND_ONLY:
            assert "If-Match" in [p["name"] for p in params if p["in"] == "header"], path

    # Register.
    path = "/api/v1/persons"
    register = _required_body(
        served,
        path,
        "post",
        {
            "v_number": v_number(),
            "given_names": "Schema",
            "surname": "Verzoek",
            "birth_date": "1988-04-00",
            "nationality": "SYR",
            "reason": "openapi request body",
        },
    )
    _refused_without_each(live, "POST", path, register, {})
    person = _accepted(live.request("POST", path, "ind", register))

    # Lodge: `day` is required unless an `event` is sent, so it is documented optional.
    path = f"/api/v1/persons/{person['id']}/procedures"
    template = "/api/v1/persons/{person_id}/procedures"
    lodge = _required_body(
        served,
        template,
        "post",
        {"procedure_type": "regular_residence", "reason": "openapi request body"},
    )
    if_match = {"If-Match": f'"{person["version"]}"'}
    _refused_without_each(live, "POST", path, {**lodge, "day": today}, if_match)
    no_day = live.request("POST", path, "ind", lodge, headers=if_match)
    assert no_day.status == 400 and no_day.body["field"] == "day", no_day.text
    procedure = _accepted(live.request("POST", path, "ind", {**lodge, "day": today}, if_match))

    # Record an event.
    path = f"/api/v1/procedures/{procedure['id']}/events"
    event = _required_body(
        served,
        "/api/v1/procedures/{procedure_id}/events",
        "post",
        {"kind": "incomplete_notice", "day": today, "reason": "openapi request body"},
    )
    if_match = {"If-Match": f'"{procedure["version"]}"'}
    _refused_without_each(live, "POST", path, event, if_match)
    after = _accepted(live.request("POST", path, "ind", event, headers=if_match))

    # Decide.
    path = f"/api/v1/procedures/{procedure['id']}/decisions"
    decide = _required_body(
        served,
        "/api/v1/procedures/{procedure_id}/decisions",
        "post",
        {"outcome": "granted", "day": today, "reason": "openapi request body"},
    )
    if_match = {"If-Match": f'"{after["version"]}"'}
    _refused_without_each(live, "POST", path, decide, if_match)
    _accepted(live.request("POST", path, "ind", decide, headers=if_match))

    # Correct: the PATCH body keeps `reason` required (drf-spectacular would make it optional).
    path = f"/api/v1/persons/{person['id']}"
    correct = _required_body(served, "/api/v1/persons/{person_id}", "patch", {"reason": "x"})
    current = live.get(path, "ind").headers["ETag"]
    refused = live.request("PATCH", path, "ind", {"surname": "Nieuw"}, {"If-Match": current})
    assert refused.status == 400 and refused.body["field"] == "reason", refused.text
    _accepted(
        live.request("PATCH", path, "ind", {**correct, "surname": "Nieuw"}, {"If-Match": current}),
        200,
    )


def test_if_match_and_etag_are_documented_as_the_server_uses_them(
    live: Server, served: dict[str, Any]
) -> None:
    """Writes name If-Match (or a body `version`): without either 428; the answers carry the
    ETag the schema documents, a 409 the current one."""
    for method, path, op in _operations(served):
        reads_with_etag = ("/api/v1/persons/{person_id}", "/api/v1/procedures/{procedure_id}")
        if (method == "get" and path not in reads_with_etag) or (method, path) in COMPUTATIONS:
            continue
        if (method, path) in OWN_STATE or (method, path) in APPEND_ONLY:
            continue
        codes = [c for c in op["responses"] if c.startswith("2")]
        for code in codes:
            assert "ETag" in op["responses"][code].get("headers", {}), (method, path, code)
        # A version conflict carries the current version; registering a person has no version
        # to conflict with, and its 409 (an identifier already held) has none.
        if "409" in op["responses"] and (method, path) != ("post", "/api/v1/persons"):
            assert "ETag" in op["responses"]["409"].get("headers", {}), (method, path)
        if method != "get" and path not in REGISTRATIONS:
            for shape in _request_shapes(served, path, method):
                assert "version" in shape["properties"], path
    person = register(live, unaccompanied_minor=True)
    path = f"/api/v1/persons/{person['id']}/handovers"
    today = date.today().isoformat()
    body = {"kind": "guardianship", "to_org": "Nidos", "day": today, "reason": "x"}
    missing = live.request("POST", path, "ind", body)
    assert missing.status == 428 and missing.body["field"] == "If-Match", missing.text
    added = _accepted(live.request("POST", path, "ind", {**body, "version": person["version"]}))
    assert added["person_version"] == person["version"] + 1
    stale = live.request("POST", path, "ind", body, headers={"If-Match": f'"{person["version"]}"'})
    assert stale.status == 409 and stale.headers["ETag"] == f'"{added["person_version"]}"'


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        (path, accept)
        for path in ("/api/v1/openapi.json", "/api/v1/openapi.yaml")
        for accept in (None, "*/*", "application/json", "application/yaml", "text/html")
    ],
)
def test_the_document_is_in_the_format_its_url_names(
    live: Server, path: str, accept: str | None
) -> None:
    """Before: openapi.json answered YAML unless JSON was asked for, and fuzzers and client
    generators that fetch it without an Accept header could not read it."""
    import urllib.request

    import yaml

    request = urllib.request.Request(live.base + path)
    if accept is not None:
        request.add_header("Accept", accept)
    with urllib.request.urlopen(request, timeout=60) as response:
        content_type = response.headers["Content-Type"]
        text = response.read().decode()
    if path.endswith(".json"):
        assert content_type == "application/json", content_type
        document = json.loads(text)
    else:
        assert content_type.startswith("application/yaml"), content_type
        assert not text.lstrip().startswith("{")
        document = yaml.safe_load(text)
    assert document["openapi"].startswith("3.") and document["paths"]


def test_json_and_yaml_are_the_same_document(live: Server) -> None:
    import yaml

    as_json = live.request("GET", "/api/v1/openapi.json")
    as_yaml = live.request("GET", "/api/v1/openapi.yaml")
    assert as_json.status == as_yaml.status == 200
    assert json.loads(json.dumps(yaml.safe_load(as_yaml.text))) == as_json.body


def test_every_status_an_operation_gives_is_documented(served: dict[str, Any]) -> None:
    """What the views and the service layer answer, per operation: a query parameter out of
    bounds (400) anywhere, a body too large (413) or not JSON (415) wherever a body is read, a
    write on a dossier that contradicts it (422), a stale or missing version (409, 428)."""
    for method, path, op in _operations(served):
        codes = set(op["responses"])
        assert {"400", "401", "403"} <= codes, (method, path)
        if "requestBody" in op:
            assert {"413", "415"} <= codes, (method, path)
        if "If-Match" in [p["name"] for p in op.get("parameters", []) if p["in"] == "header"]:
            assert {"409", "422", "428"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)


def test_every_answer_documents_the_api_version_header(served: dict[str, Any]) -> None:
    for method, path, op in _operations(served):
        for code, response in op["responses"].items():
            assert "API-Version" in response.get("headers", {}), (method, path, code)


def test_path_ids_are_documented_within_the_bounds_the_server_holds_them_to(
    served: dict[str, Any], live: Server
) -> None:
    """A path id outside 1..2**63-1 is refused (400) before the view runs: documented so."""
    from keten.server.services.bounds import MAX_ID

    ids = [
        parameter["schema"]
        for _, _, op in _operations(served)
        for parameter in op.get("parameters", [])
        if parameter["in"] == "path" and parameter["schema"].get("type") == "integer"
    ]
    assert ids
    for schema in ids:
        assert (schema["minimum"], schema["maximum"]) == (1, MAX_ID), schema
    assert live.get("/api/v1/persons/0", "ind").status == 400
    assert live.get(f"/api/v1/persons/{MAX_ID + 1}", "ind").status == 400


def test_a_taakstelling_row_is_documented_as_the_server_writes_it(
    live: Server, served: dict[str, Any]
) -> None:
    """Before: ``announcement`` was documented as an object and is null for a half-year nobody
    announced."""
    later = f"{date.today().year + 2}-I"  # a half-year nobody has announced
    rows = live.get(f"/api/v1/taakstelling?period={later}", "jenv").body["results"]
    rows += live.get("/api/v1/taakstelling", "jenv").body["results"]
    schema = served["components"]["schemas"]["TaakstellingRow"]["properties"]["announcement"]
    assert schema.get("nullable") is True
    assert any(row["announcement"] is None for row in rows)
    fields = set(served["components"]["schemas"]["TaakstellingAnnouncement"]["properties"])
    for row in rows:
        assert row["announcement"] is None or set(row["announcement"]) == fields


def test_texts_in_request_bodies_are_documented_as_the_server_takes_them(
    served: dict[str, Any],
) -> None:
    """A text in a body is one line without control characters (a multi-line text may break
    lines), and more than blanks where it may not be empty: what ``inputs.text`` takes."""
    import re

    from keten.server.api.schema import TEXT_PATTERNS

    checked = 0
    for name, component in served["components"]["schemas"].items():
        if not name.endswith("Request"):
            continue
        for field, schema in component.get("properties", {}).items():
            if schema.get("type") != "string" or {"enum", "format"} & set(schema):
                continue
            if schema.get("pattern") not in TEXT_PATTERNS.values():  # its own says more
                assert "pattern" in schema, (name, field)
                continue
            pattern = re.compile(schema["pattern"])
            assert pattern.search("Jan de Vries-Öztürk"), (name, field)
            assert not pattern.search("a\x00b") and not pattern.search("a\x1bb"), (name, field)
            if schema.get("maxLength", 0) >= 1000:
                assert pattern.search("eerste regel\ntweede regel"), (name, field)
            checked += 1
    assert checked > 20
