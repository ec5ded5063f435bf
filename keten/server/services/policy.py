"""The need-to-know policy (``keten/server/policy/policy.yaml``) and its checks.

The table is data; this module only reads it. ``check`` is called by every service function
before it touches a person, so the API and the UI cannot differ in what they allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.catalog.loader import CatalogError, get_procedure
from keten.chain.kinds import HANDOVER_TYPES, MEASURE_TYPES, PLACEMENT_TYPES
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
    # Events it records on procedure types it does not handle (policy.yaml ``events``).
    events: dict[str, frozenset[str]] = field(default_factory=dict)
    # Whose aggregate figures it reads (policy.yaml ``figures``): "own" (the queues of its
    # organisation kind) or "all".
    figures: str = "own"

    def can(self, resource: str, action: str) -> bool:
        return action in self.allow.get(resource, frozenset())

    def records_event(self, procedure_type: str, kind: str) -> bool:
        """Whether the role may record an event of ``kind`` on a procedure of the type: every
        event of the types it handles (``procedures``), the listed ones of others (``events``)."""
        return procedure_type in self.procedures or kind in self.events.get(
            procedure_type, frozenset()
        )


@dataclass(frozen=True)
class Grant:
    """A kind of measure or placement that gives ``organisation`` need-to-know of the person
    while it runs (``grants`` in policy.yaml); ``reason`` is written on the access grant."""

    resource: str
    kind: str
    organisation: str  # a code, or "gemeente-{municipality}"
    reason: str


@dataclass(frozen=True)
class HandoverRule:
    """Who may send a kind of hand-over to whom, and in what state of the case
    (``handovers`` in policy.yaml; the states are ``CASE_STATES``)."""

    kind: str
    senders: frozenset[str]  # organisation kinds
    receivers: frozenset[str]  # organisation kinds
    requires: tuple[str, ...]


# The states of a person's case a hand-over may require (services/case_checks.py).
CASE_STATES = ("refused", "without_permit", "asylum_permit", "unaccompanied_minor")


@dataclass(frozen=True)
class Policy:
    resources: dict[str, dict[str, str]]
    actions: tuple[str, ...]
    roles: dict[str, Role]
    queues: dict[str, tuple[str, str]]
    organisations: tuple[dict[str, str], ...]
    grants: dict[tuple[str, str], Grant]
    placement_kinds: dict[str, frozenset[str]]
    handovers: dict[str, HandoverRule]

    def placements_of(self, organisation_kind: str) -> frozenset[str]:
        return self.placement_kinds.get(organisation_kind, frozenset())

    def handovers_from(self, organisation_kind: str) -> dict[str, HandoverRule]:
        return {k: r for k, r in self.handovers.items() if organisation_kind in r.senders}


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
        if spec.get("figures", "own") not in ("own", "all"):
            raise ValueError(f"policy.yaml: role {rid} has unknown figures {spec['figures']!r}")
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
            events=_role_events(rid, spec.get("events") or {}, allow),
            figures=spec.get("figures", "own"),
        )
    queues = {pid: (q[0], q[1]) for pid, q in raw["queues"].items()}
    organisations = tuple(raw["organisations"])
    provinces = {o["code"] for o in organisations if o["kind"] == "province"}
    for o in organisations:
        if "province" in o and o["province"] not in provinces:
            raise ValueError(f"policy.yaml: {o['code']} names unknown province {o['province']!r}")
    grants = _grants(raw.get("grants") or {}, {o["code"] for o in organisations})
    org_kinds = {o["kind"] for o in organisations}
    placement_kinds = _placement_kinds(raw.get("placement_kinds") or {}, org_kinds)
    handovers = _handovers(raw.get("handovers") or {}, org_kinds)
    for r in roles.values():
        # Write on a resource with nothing of it to write would offer the role an empty form.
        if r.can("placement", "write") and r.organisation_kind not in placement_kinds:
            raise ValueError(f"policy.yaml: {r.id} may write placements but places in none")
        sends = any(r.organisation_kind in h.senders for h in handovers.values())
        if r.can("handover", "write") and not sends:
            raise ValueError(f"policy.yaml: {r.id} may write hand-overs but sends no kind")
    return Policy(
        resources,
        actions,
        roles,
        queues,
        organisations,
        grants,
        placement_kinds,
        handovers,
    )


def _role_events(
    rid: str, raw: dict[str, Any], allow: dict[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """A role's ``events``: procedure type -> the event kinds it records there. Each type and
    kind must be in the catalogue, and the role must have write on 'procedure'."""
    out = {}
    for procedure_type, kinds in raw.items():
        try:
            known = {e.kind for e in get_procedure(procedure_type).events}
        except CatalogError:
            raise ValueError(
                f"policy.yaml: {rid} names unknown procedure type {procedure_type!r}"
            ) from None
        unknown = set(kinds) - known
        if unknown:
            raise ValueError(f"policy.yaml: {rid} names unknown events {sorted(unknown)}")
        out[procedure_type] = frozenset(kinds)
    if out and "write" not in allow.get("procedure", frozenset()):
        raise ValueError(f"policy.yaml: {rid} records events but has no write on 'procedure'")
    return out


def _placement_kinds(raw: dict[str, Any], org_kinds: set[str]) -> dict[str, frozenset[str]]:
    out = {}
    for org_kind, kinds in raw.items():
        if org_kind not in org_kinds:
            raise ValueError(
                f"policy.yaml: placement_kinds names unknown organisation kind {org_kind!r}"
            )
        unknown = set(kinds) - set(PLACEMENT_TYPES)
        if unknown:
            raise ValueError(f"policy.yaml: placement_kinds names unknown kinds {sorted(unknown)}")
        out[org_kind] = frozenset(kinds)
    return out


def _handovers(raw: dict[str, Any], org_kinds: set[str]) -> dict[str, HandoverRule]:
    out = {}
    for kind, spec in raw.items():
        if kind not in HANDOVER_TYPES:
            raise ValueError(f"policy.yaml: handovers names unknown kind {kind!r}")
        senders, receivers = frozenset(spec["from"]), frozenset(spec["to"])
        if not (senders | receivers) <= org_kinds:
            unknown = sorted((senders | receivers) - org_kinds)
            raise ValueError(
                f"policy.yaml: handovers.{kind} names unknown organisation kinds {unknown}"
            )
        requires = tuple(spec.get("requires") or ())
        if not set(requires) <= set(CASE_STATES):
            raise ValueError(f"policy.yaml: handovers.{kind} requires unknown states {requires}")
        out[kind] = HandoverRule(kind, senders, receivers, requires)
    missing = set(HANDOVER_TYPES) - set(out)
    if missing:  # a kind nobody may send would be offered nowhere and refused everywhere
        raise ValueError(f"policy.yaml: handovers does not say who sends {sorted(missing)}")
    return out


_GRANTING_KINDS = {"measure": MEASURE_TYPES, "placement": PLACEMENT_TYPES}


def _grants(raw: dict[str, Any], codes: set[str]) -> dict[tuple[str, str], Grant]:
    out = {}
    for resource, kinds in raw.items():
        if resource not in _GRANTING_KINDS:
            raise ValueError(f"policy.yaml: grants by {resource!r} (only measure, placement)")
        for kind, spec in kinds.items():
            if kind not in _GRANTING_KINDS[resource]:
                raise ValueError(f"policy.yaml: grants names unknown {resource} kind {kind!r}")
            org = spec["organisation"]
            per_municipality = resource == "placement" and org == "gemeente-{municipality}"
            if org not in codes and not per_municipality:
                raise ValueError(f"policy.yaml: grants names unknown organisation {org!r}")
            out[(resource, kind)] = Grant(resource, kind, org, spec["reason"])
    return out


def grant_of(resource: str, kind: str, municipality: str | None = None) -> tuple[str, str] | None:
    """(organisation code, grant reason) for a running measure or placement of ``kind``, or
    None when that kind gives no organisation access: the one table of ``grants``, used where
    grants are written, where they are withdrawn, and by the sample loader."""
    found = policy().grants.get((resource, kind))
    if found is None:
        return None
    if "{municipality}" not in found.organisation:
        return found.organisation, found.reason
    if not municipality:  # a placement that names no municipality gives none access
        return None
    return found.organisation.format(municipality=municipality), found.reason


def role(role_id: str) -> Role:
    found = policy().roles.get(role_id)
    if found is None:
        raise ForbiddenError(
            f"unknown role {role_id!r}",
            field="role",
            rule="must be in policy.yaml",
            detail_nl=f"onbekende rol {role_id!r}",
            rule_nl="moet in policy.yaml staan",
        )
    return found


_ACTIONS_NL = {"read": "inzien", "write": "vastleggen"}


def _resource_nl(resource: str) -> str:
    return str(policy().resources.get(resource, {}).get("nl", resource))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def check(role_: Role, resource: str, action: str) -> None:
    if not role_.can(resource, action):
        raise ForbiddenError(
            f"role {role_.id} may not {action} {resource}",
            field=resource,
            rule=f"policy: {role_.id} has no '{action}' on '{resource}'",
            detail_nl=f"de rol ‘{role_.name_nl}’ mag {_lower_first(_resource_nl(resource))} "
            f"niet {_ACTIONS_NL.get(action, action)}",
            rule_nl=f"beleid: {role_.id} heeft geen '{action}' op '{resource}'",
        )


def queue_of(procedure_type: str) -> tuple[str, str]:
    return policy().queues.get(procedure_type, ("", ""))
