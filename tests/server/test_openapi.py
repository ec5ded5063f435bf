"""The OpenAPI document partners generate clients from: generated without a warning, every
operation named once and for good, every success answer with a body, errors as problem+json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Server

METHODS = ("get", "put", "post", "patch", "delete")


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
            assert responses[code].get("content", {}).get("application/json"), (
                method,
                path,
                code,
            )
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
    problem = served["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert set(problem["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "field",
        "rule",
        "invalidParams",
        "currentVersion",
        "current",
    }


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
