"""Template filter: a procedure's recorded facts as the inputs of its correction form."""

from __future__ import annotations

from typing import Any

from django import template

from keten.catalog.loader import get_procedure
from keten.server.ui.procedure_fact_form import FactField, fields

register = template.Library()


@register.filter
def fact_fields(proc: dict[str, Any]) -> list[FactField]:
    """The facts the procedure's type declares, showing what is recorded (empty for a type
    without facts: the panel then shows no facts section)."""
    pt = get_procedure(proc["procedure_type"])
    return fields(pt, recorded=proc.get("facts") or {})
