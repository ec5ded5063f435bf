"""The COI documents beside a decision on the dossier page (``coi_citations.of_person``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def coi_of(cited: dict[int, list[dict[str, Any]]] | None, decision_id: int) -> list[Any]:
    return (cited or {}).get(int(decision_id), [])
