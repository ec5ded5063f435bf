"""Explanations: every computed date carries the steps that produced it.

A step is a message code with arguments, rendered in Dutch (first) and English, plus the
citation it rests on. Keeping the code and arguments (not only prose) lets the server and the UI
render the same trail in either language and lets tests assert on structure, not wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_NL_FULL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN_FULL = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def nl_day(value: date) -> str:
    """A day as a Dutch reader writes it in a message or a letter: "3 december 2026"."""
    return f"{value.day} {MONTHS_NL_FULL[value.month - 1]} {value.year}"


def format_day(d: date, lang: str = "en") -> str:
    """``Sunday 27 Dec 2026`` / ``zondag 27 dec 2026``."""
    if lang == "nl":
        return f"{WEEKDAYS_NL[d.weekday()]} {d.day} {MONTHS_NL[d.month - 1]} {d.year}"
    return f"{WEEKDAYS_EN[d.weekday()]} {d.day} {MONTHS_EN[d.month - 1]} {d.year}"


# Message templates: {name} placeholders; dates are rendered with format_day per language.
MESSAGES: dict[str, dict[str, str]] = {
    "start": {
        "en": "Starts from {event} on {day}; the period runs from the next day",
        "nl": "Vangt aan na {event} op {day}; de termijn loopt vanaf de volgende dag",
    },
    "start_missing": {
        "en": "Not started: no {event} recorded",
        "nl": "Niet aangevangen: geen {event} vastgelegd",
    },
    "period": {
        "en": "{length} after {day} ends on {end}",
        "nl": "{length} na {day} eindigt op {end}",
    },
    "month_end": {
        "en": "{month} has no day {wanted}: the period ends on its last day, {end}",
        "nl": "{month} heeft geen dag {wanted}: de termijn eindigt op de laatste dag, {end}",
    },
    "variant": {
        "en": "Here {length} applies",
        "nl": "Hier geldt {length}",
    },
    "derived_from": {
        "en": "Counted from the deadline '{other}' ({day})",
        "nl": "Gerekend vanaf de termijn '{other}' ({day})",
    },
    "extension": {
        "en": "Extended by {length} ({reason}): now ends on {end}",
        "nl": "Verlengd met {length} ({reason}): eindigt nu op {end}",
    },
    "extension_refused": {
        "en": "Extension '{reason}' on {day} not applied: {why}",
        "nl": "Verlenging '{reason}' op {day} niet toegepast: {why}",
    },
    "suspension": {
        "en": "Suspended {days} day(s) from {from_day} until {to_day}: now ends on {end}",
        "nl": "Opgeschort {days} dag(en) van {from_day} tot {to_day}: eindigt nu op {end}",
    },
    "suspension_open": {
        "en": "Suspended since {from_day} and not resumed: no end date while suspended",
        "nl": "Opgeschort sinds {from_day} en niet hervat: geen einddatum zolang opgeschort",
    },
    "shift": {
        "en": "Ends {day} ({why}), runs on to {end}",
        "nl": "Eindigt {day} ({why}), loopt door tot {end}",
    },
    "two_open_days": {
        "en": "A period of {length} must contain at least two days that are not a Saturday, "
        "Sunday or public holiday: extended to {end}",
        "nl": "Een termijn van {length} moet ten minste twee dagen bevatten die geen zaterdag, "
        "zondag of feestdag zijn: verlengd tot {end}",
    },
    "no_shift_backward": {
        "en": "Counted backwards from an event: not moved for weekends or holidays",
        "nl": "Teruggerekend vanaf een gebeurtenis: niet verschoven voor weekend of feestdag",
    },
    "no_shift_long": {
        "en": "Period of {length} is longer than the Atw covers: not moved for weekends or "
        "holidays",
        "nl": "Termijn van {length} is langer dan de Atw bestrijkt: niet verschoven voor weekend "
        "of feestdag",
    },
    "no_shift_hours": {
        "en": "Period in hours: the Atw does not apply",
        "nl": "Termijn in uren: de Atw is niet van toepassing",
    },
    "no_shift_policy": {
        "en": "Period set by policy ({source}), not by statute: not moved for weekends or holidays",
        "nl": "Termijn uit beleid ({source}), niet uit de wet: niet verschoven voor weekend of "
        "feestdag",
    },
    "no_shift_needed": {
        "en": "{day} is a working day: no shift",
        "nl": "{day} is een werkdag: geen verschuiving",
    },
    "maximum": {
        "en": "Capped at the maximum of {length} after {day}: {end}",
        "nl": "Begrensd op het maximum van {length} na {day}: {end}",
    },
    "regime": {
        "en": "Regime: {regime} ({why})",
        "nl": "Regime: {regime} ({why})",
    },
    "closed": {
        "en": "{event} on {day}: {status}",
        "nl": "{event} op {day}: {status}",
    },
    "note": {"en": "{text}", "nl": "{text_nl}"},
    "uncertain": {"en": "Uncertain: {text}", "nl": "Onzeker: {text}"},
    "dwangsom_regime": {
        "en": "Dwangsom regime: {regime} ({why})",
        "nl": "Dwangsomregime: {regime} ({why})",
    },
    "dwangsom_first_day": {
        "en": "Term ended {due}, notice of default received {notice}: the dwangsom runs from "
        "{first}, two weeks after {later}",
        "nl": "Beslistermijn verstreken {due}, ingebrekestelling ontvangen {notice}: de dwangsom "
        "loopt vanaf {first}, twee weken na {later}",
    },
    "dwangsom_premature": {
        "en": "Notice of default received {notice}, before the decision term ended ({due}): "
        "premature, no dwangsom",
        "nl": "Ingebrekestelling ontvangen {notice}, vóór het verstrijken van de beslistermijn "
        "({due}): prematuur, geen dwangsom",
    },
    "dwangsom_not_yet": {
        "en": "On {on} the dwangsom has not started yet (first day {first})",
        "nl": "Op {on} loopt de dwangsom nog niet (eerste dag {first})",
    },
    "dwangsom_band": {
        "en": "{days} day(s) x EUR {rate} = EUR {amount} ({band})",
        "nl": "{days} dag(en) x EUR {rate} = EUR {amount} ({band})",
    },
    "dwangsom_cap": {
        "en": "At most {max_days} days: the last day is {last}",
        "nl": "Ten hoogste {max_days} dagen: de laatste dag is {last}",
    },
    "dwangsom_none": {
        "en": "No administrative dwangsom under this regime: {why}",
        "nl": "Geen dwangsom van rechtswege onder dit regime: {why}",
    },
}


def _render_value(value: Any, lang: str) -> str:
    # Exact types first: every trail of every dossier read comes through here, and an
    # isinstance check against the Mapping ABC cost more than the rendering.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is date:
        return format_day(value, lang)
    if kind is dict:
        return str(value.get(lang) or value.get("en") or "")
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return format_day(value, lang)
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("en") or "")
    return str(value)


@dataclass(frozen=True)
class TrailStep:
    """One step of an explanation."""

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)
    citation: str | None = None
    uncertain: str | None = None
    uncertain_nl: str | None = None  # the note in Dutch; the English stands in without one

    def text(self, lang: str = "en") -> str:
        rendered = {k: _render_value(v, lang) for k, v in self.args.items()}
        return self._finish(lang, rendered)

    def _finish(self, lang: str, rendered: Mapping[str, str]) -> str:
        text = MESSAGES[self.code][lang].format_map(rendered)
        if self.uncertain:
            if lang == "nl":
                text += f" [onzeker: {self.uncertain_nl or self.uncertain}]"
            else:
                text += f" [uncertain: {self.uncertain}]"
        return text

    def to_json(self) -> dict[str, Any]:
        # Both languages in one pass over the arguments: every trail of every dossier read is
        # rendered here, and most arguments are text, the same in both.
        nl: dict[str, str] = {}
        en: dict[str, str] = {}
        for k, v in self.args.items():
            if type(v) is str:
                nl[k] = en[k] = v
            else:
                nl[k], en[k] = _render_value(v, "nl"), _render_value(v, "en")
        out: dict[str, Any] = {
            "step": self.code,
            "text": self._finish("nl", nl),
            "text_en": self._finish("en", en),
            "citation": self.citation,
        }
        if self.uncertain:
            out["uncertain"] = self.uncertain
            if self.uncertain_nl:
                out["uncertain_nl"] = self.uncertain_nl
        return out


Trail = list[TrailStep]
