"""A figure shown in a document (the factsheet, the strategy): named numbers with what they
count, or the reason Keten cannot give them. A figure Keten cannot compute is shown as such,
never invented (issue 15), so "unavailable" is a state of the figure, not a missing key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Number = int | float | None

# Dutch and English labels of the named numbers, in the order a document shows them.
LABELS: dict[str, tuple[str, str]] = {
    "open": ("lopend", "running"),
    "capacity": ("toereikende capaciteit", "adequate capacity"),
    "margin": ("ruimte", "margin"),
    "decided": ("besloten", "decided"),
    "within_term": ("binnen de termijn", "within the term"),
    "share_within_term": ("% binnen de termijn", "% within the term"),
    "median_days": ("mediaan dagen", "median days"),
    "registered": ("geregistreerd", "registered"),
    "places": ("plaatsen", "places"),
    "occupied": ("bezet", "occupied"),
    "free": ("vrij", "free"),
    "locations": ("locaties", "locations"),
    "asylum_first": ("eerste aanvragen", "first applications"),
    "asylum_subsequent": ("opvolgende aanvragen", "subsequent applications"),
    "border_procedure": ("grensprocedure", "border procedure"),
    "total": ("totaal", "total"),
    "lodged": ("ingediend", "lodged"),
    "quota": ("taakstelling", "quota"),
    "realised": ("gehuisvest", "housed"),
    "municipalities_met": ("gemeenten die de taakstelling haalden", "municipalities that met it"),
    "started": ("gestart", "started"),
    "ended": ("beëindigd", "ended"),
    "released": ("opgeheven", "released"),
    "removed": ("uitgezet", "removed"),
    "days_mean": ("gemiddelde duur (dagen)", "mean days held"),
}


def label(key: str, lang: str = "nl") -> str:
    nl, en = LABELS.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return nl if lang == "nl" else en


@dataclass(frozen=True)
class Figure:
    """One figure: ``values`` (label key -> number) with its definition, or ``unavailable``
    with why (then ``values`` is empty)."""

    id: str
    definition_nl: str
    definition_en: str
    values: dict[str, Number] = field(default_factory=dict)
    unavailable_nl: str | None = None
    unavailable_en: str | None = None
    # labels of value keys that ``LABELS`` does not hold (e.g. departure kinds): key -> (nl, en)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def label(self, key: str, lang: str = "nl") -> str:
        if key in self.labels:
            return self.labels[key][0 if lang == "nl" else 1]
        return label(key, lang)

    @property
    def available(self) -> bool:
        return self.unavailable_nl is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "available": self.available,
            "values": self.values,
            "labels": {k: {"nl": self.label(k), "en": self.label(k, "en")} for k in self.values},
            "definition": {"nl": self.definition_nl, "en": self.definition_en},
            "unavailable": (
                None
                if self.available
                else {"nl": self.unavailable_nl, "en": self.unavailable_en or self.unavailable_nl}
            ),
        }


def unavailable(figure_id: str, definition: tuple[str, str], why: tuple[str, str]) -> Figure:
    return Figure(figure_id, definition[0], definition[1], {}, why[0], why[1])


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None for nothing counted (0 of 0 is no 100 %)."""
    return None if whole == 0 else round(100 * part / whole, 1)
