"""The decision-support panel's rule list, split per procedure (``decision_support_scope``):
the rules that serve its type and regime first, the others folded away."""

from __future__ import annotations

from typing import Any

from django import template

from keten.server.decision_support_scope import Offered, offered

register = template.Library()


@register.simple_tag
def offered_rules(rules: list[dict[str, Any]], proc: dict[str, Any]) -> Offered:
    return offered(rules, str(proc.get("procedure_type", "")), proc.get("regime"))
