"""The need-to-know policy (``keten/server/policy/policy.yaml``) and its checks.

The table is data; this module only reads it. ``check`` is called by every service function
before it touches a person, so the API and the UI cannot differ in what they allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.server.services.errors import ForbiddenError

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy" / "policy.yaml"


@dataclass(frozen=True)
class Role:
    id: str
    organisation_kind: str
    name_nl: str
    name_en: str
    team: str
    scope: str  # all | granted | none
    purpose: str
    procedures: frozenset[str]
    allow: dict[str, frozenset[str]]

    def can(self, resource: str, action: str) -> bool:
        return action in self.allow.get(resource, frozenset())


@dataclass(frozen=True)
class Policy:
    resources: dict[str, dict[str, str]]
    actions: tuple[str, ...]
    roles: dict[str, Role]
    queues: dict[str, tuple[str, str]]
    organisations: tuple[dict[str, str], ...]


@cache
def policy() -> Policy:
    raw: dict[str, Any] = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    resources = raw["resources"]
    actions = tuple(raw["actions"])
    roles = {}
    for rid, spec in raw["roles"].items():
        allow = {res: frozenset(acts) for res, acts in (spec.get("allow") or {}).items()}
        for res, acts in allow.items():
            if res not in resources:
                raise ValueError(f"policy.yaml: role {rid} names unknown resource {res!r}")
            if not acts <= set(actions):
                raise ValueError(f"policy.yaml: role {rid} names unknown actions {sorted(acts)}")
        if spec["scope"] not in ("all", "granted", "none"):
            raise ValueError(f"policy.yaml: role {rid} has unknown scope {spec['scope']!r}")
        roles[rid] = Role(
            id=rid,
            organisation_kind=spec["organisation"],
            name_nl=spec["name"]["nl"],
            name_en=spec["name"]["en"],
            team=spec.get("team") or "",
            scope=spec["scope"],
            purpose=spec["purpose"],
            procedures=frozenset(spec.get("procedures") or ()),
            allow=allow,
        )
    queues = {pid: (q[0], q[1]) for pid, q in raw["queues"].items()}
    return Policy(resources, actions, roles, queues, tuple(raw["organisations"]))


def role(role_id: str) -> Role:
    found = policy().roles.get(role_id)
    if found is None:
        raise ForbiddenError(
            f"unknown role {role_id!r}", field="role", rule="must be in policy.yaml"
        )
    return found


def check(role_: Role, resource: str, action: str) -> None:
    if not role_.can(resource, action):
        raise ForbiddenError(
            f"role {role_.id} may not {action} {resource}",
            field=resource,
            rule=f"policy: {role_.id} has no '{action}' on '{resource}'",
        )


def queue_of(procedure_type: str) -> tuple[str, str]:
    return policy().queues.get(procedure_type, ("", ""))
