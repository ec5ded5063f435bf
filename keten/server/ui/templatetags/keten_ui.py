"""Template filters: deadline and procedure states in words, Dutch first."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS = {
    "open": _("open"),
    "overdue": _("past the deadline"),
    "elapsed": _("elapsed"),
    "waiting": _("waiting period running"),
    "not_started": _("not started"),
    "met": _("met in time"),
    "late": _("met late"),
    "suspended": _("suspended"),
    "closed": _("closed"),
    "running": _("running"),
    "expired": _("expired"),
    "lapsed": _("lapsed by law"),
    "ended": _("ended within the period"),
    "ended_late": _("ended after the period"),
}


@register.filter
def status_text(value: str) -> str:
    return str(STATUS.get(value, value))


@register.filter
def tr(item: dict[str, object], key: str) -> object:
    """``item[key]`` in Dutch, or ``item[key + '_en']`` when the interface speaks English."""
    from django.utils.translation import get_language

    if (get_language() or "nl").startswith("en") and f"{key}_en" in item:
        return item[f"{key}_en"]
    return item.get(key, "")
