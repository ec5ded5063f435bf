"""Template context: the logged-in actor's organisation and role, for the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keten.server.services.notifications import unread_count
from keten.server.services.policy import policy
from keten.server.services.queues import role_reach
from keten.server.ui.report_views import REPORTS


def actor(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(getattr(request, "user", None), "membership", None)
    if membership is None:
        return {}
    role = policy().roles.get(membership.role)
    return {
        "me_org": membership.organisation,
        "me_role": role,
        "me_can_queue": bool(role and role.can("procedure", "read")),
        # /dashboard: figures on procedures, or the housing quota at a glance; a role with
        # neither (a liaison officer, the partner's officers) is not offered an empty page.
        "me_can_dashboard": bool(
            role and (role_reach(role) != "none" or role.can("taakstelling", "read"))
        ),
        "me_can_audit": bool(role and role.can("audit", "read")),
        # The header's count of unread notifications (/meldingen).
        "me_unread": unread_count(request.user.get_username()),
        "me_can_register": bool(role and role.can("identity", "write")),
        "me_can_quota": bool(role and role.can("taakstelling", "read")),
        "me_can_detention": bool(role and role.can("detention_overview", "read")),
        "me_can_detention_stats": bool(role and role.can("detention_statistics", "read")),
        "me_can_locations": bool(role and role.can("location", "read")),
        "me_can_occupancy": bool(role and role.can("occupancy", "read")),
        # /rapportage: the reports its front page lists (ui/report_views.REPORTS)
        "me_can_reports": bool(role and any(role.can(r[0], "read") for r in REPORTS)),
        # /uitstroom: who handles the outflow or records events on it (COA, a municipality)
        "me_can_outflow": bool(
            role
            and role.can("procedure", "read")
            and role.records_event("permit_holder_outflow", "moved_out")
        ),
    }
