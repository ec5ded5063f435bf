"""The actor of a request: user, organisation, role (from the policy), purpose and trace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from keten.server.audit.log import Context
from keten.server.services.errors import ForbiddenError
from keten.server.services.policy import Role, role

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass
class Actor:
    username: str
    organisation: str  # Organisation.code
    organisation_kind: str
    role: Role
    audit: Context

    @property
    def name(self) -> str:
        return self.username


def actor_for(user: Any, headers: Any = None) -> Actor:
    """The actor of an authenticated Django user; W3C ``traceparent`` links the audit trace
    to the caller's (LDV: trace context across organisations)."""
    membership = getattr(user, "membership", None)
    if membership is None:
        raise ForbiddenError(
            "this account has no organisation and role",
            field="user",
            rule="needs a membership",
            detail_nl="dit account heeft geen organisatie en rol",
            rule_nl="vraag de beheerder u aan een organisatie en rol te koppelen",
        )
    org = membership.organisation
    r = role(membership.role)
    if r.organisation_kind != org.kind:
        raise ForbiddenError(
            f"role {r.id} does not belong to organisation kind {org.kind}",
            field="role",
            rule="role and organisation must match in policy.yaml",
            detail_nl=f"de rol ‘{r.name_nl}’ hoort niet bij dit soort organisatie ({org.kind})",
            rule_nl="rol en organisatie moeten bij elkaar passen (policy.yaml)",
        )
    ctx = Context(
        actor_user=user.get_username(),
        actor_org=org.code,
        actor_role=r.id,
        purpose=r.purpose,
    )
    if headers is not None:
        match = _TRACEPARENT.match(headers.get("traceparent", "") or "")
        if match:
            ctx.trace_id, ctx.parent_span_id = match.group(1), match.group(2)
    return Actor(user.get_username(), org.code, org.kind, r, ctx)
