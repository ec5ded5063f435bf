"""The letters beside a decision on the dossier page (``services.letters.of_person``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def letters_of(letters: dict[int, list[dict[str, Any]]] | None, decision_id: int) -> list[Any]:
    return (letters or {}).get(int(decision_id), [])
