"""Composing a letter from what the dossier holds: which template serves a decision, which
remedy lies open against it, which forms its rule trail names, the trail as the letter shows
it, and the HTML. The texts, remedies and forms are data (``data/letters/*.yaml``, listed in
``data/README.md``); this module reads them and reads nothing from the database, so that what
a letter says follows from the rows the service gives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import yaml
from django.template.loader import render_to_string

from keten._data import data_path
from keten.time.trail import MONTHS_EN_FULL, nl_day

LANGUAGES = ("nl", "en")
# The form numbers of the Vc's annexes as rules write them: M17, M18A, M117-C.
FORM_CODE = re.compile(r"\bM\d{2,3}[A-Z]?(?:-[A-Z])?\b")
# The first step of every trail: which version of the rule ran.
VERSION_LABEL = {"nl": "Versie van de regel", "en": "Version of the rule"}
# Where the letter sits inside the stored document, so a page can show it inside its frame.
START, END = "<!--letter-->", "<!--/letter-->"


def _load(name: str) -> dict[str, Any]:
    with data_path("letters", name).open(encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    name: Mapping[str, str]
    procedure_types: frozenset[str]
    outcomes: frozenset[str]
    text: Mapping[str, Mapping[str, str]]

    def serves(self, procedure_type: str, outcome: str) -> bool:
        return procedure_type in self.procedure_types and outcome in self.outcomes


@dataclass(frozen=True)
class Remedy:
    id: str
    procedure_types: frozenset[str]
    kind: str  # beroep | bezwaar
    weeks: int
    citation: str
    text: Mapping[str, str]
    when: str | None = None  # general_procedure | extended_procedure
    regimes: frozenset[str] = frozenset()
    quote: str | None = None
    document: str | None = None
    uncertain: str | None = None
    uncertain_nl: str | None = None

    def uncertain_in(self, language: str) -> str:
        """Why the term is uncertain, in the letter's language (English where no Dutch)."""
        said = self.uncertain_nl if language == "nl" and self.uncertain_nl else self.uncertain
        return " ".join((said or "").split())

    def matches(self, procedure_type: str, regime: str | None, extended: bool) -> bool:
        if procedure_type not in self.procedure_types:
            return False
        if self.regimes and regime not in self.regimes:
            return False
        if self.when == "general_procedure":
            return not extended
        if self.when == "extended_procedure":
            return extended
        return True


@dataclass(frozen=True)
class Form:
    code: str
    title: Mapping[str, str]
    citation: str
    quote: str
    document: str
    with_rules: frozenset[str] = field(default_factory=frozenset)


@cache
def templates() -> tuple[Template, ...]:
    return tuple(
        Template(
            id=t["id"],
            version=int(t["version"]),
            name=t["name"],
            procedure_types=frozenset(t["serves"]["procedure_types"]),
            outcomes=frozenset(t["serves"]["outcomes"]),
            text=t["text"],
        )
        for t in _load("templates.yaml")["templates"]
    )


@cache
def remedies() -> tuple[Remedy, ...]:
    return tuple(
        Remedy(
            id=r["id"],
            procedure_types=frozenset(r["procedure_types"]),
            kind=r["kind"],
            weeks=int(r["weeks"]),
            citation=r["citation"],
            text=r["text"],
            when=r.get("when"),
            regimes=frozenset(r.get("regimes") or ()),
            quote=r.get("quote"),
            document=r.get("document"),
            uncertain=r.get("uncertain"),
            uncertain_nl=r.get("uncertain_nl"),
        )
        for r in _load("remedies.yaml")["remedies"]
    )


@cache
def forms() -> dict[str, Form]:
    return {
        str(code): Form(
            code=str(code),
            title=f["title"],
            citation=f["citation"],
            quote=" ".join(f["quote"].split()),
            document=f["document"],
            with_rules=frozenset(f.get("with_rules") or ()),
        )
        for code, f in _load("forms.yaml")["forms"].items()
    }


def template_for(procedure_type: str, outcome: str) -> Template | None:
    return next((t for t in templates() if t.serves(procedure_type, outcome)), None)


def remedy_for(procedure_type: str, regime: str | None, extended: bool) -> Remedy | None:
    """The first remedy row for the procedure (``extended``: an asylum decision taken after a
    referral to the extended procedure)."""
    return next((r for r in remedies() if r.matches(procedure_type, regime, extended)), None)


def outcomes_of(trail: Any) -> list[dict[str, Any]]:
    """The rule outcomes in a decision's trail: one outcome (``keten.rules`` Outcome JSON, as
    decision support gives it), several, or an older plain list of steps (one unnamed rule)."""
    if isinstance(trail, dict) and isinstance(trail.get("trail"), list):
        return [trail]
    if isinstance(trail, list) and trail:
        if all(isinstance(t, dict) and isinstance(t.get("trail"), list) for t in trail):
            return list(trail)
        return [{"trail": [t for t in trail if isinstance(t, dict)]}]
    return []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def forms_named(trail: Any) -> list[Form]:
    """The forms the trail's rules name: a form code among the values the rules produced or
    ran on, and the forms a rule's paragraph always hands out (``with_rules``); in the order
    of ``forms.yaml``."""
    known = forms()
    named: set[str] = set()
    rules: set[str] = set()
    for outcome in outcomes_of(trail):
        if isinstance(outcome.get("rule"), str):
            rules.add(outcome["rule"])
        for part in ("outcome", "facts", "trail"):
            for text in _strings(outcome.get(part)):
                named.update(code for code in FORM_CODE.findall(text) if code in known)
    return [f for code, f in known.items() if code in named or f.with_rules & rules]


def _in(value: Any, language: str) -> str:
    """A trail's label or value label ({"nl": ..., "en": ...}) or plain value as text."""
    if isinstance(value, dict) and language in value:
        return str(value[language])
    if isinstance(value, bool):
        return {"nl": ("nee", "ja"), "en": ("no", "yes")}[language][value]
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_in(v, language) for v in value)
    return str(value)


def trail_rows(trail: Any, language: str) -> list[dict[str, Any]]:
    """The rules applied as the letter shows them: per rule its title and citation, per
    check its label, result and source."""
    out = []
    for outcome in outcomes_of(trail):
        title = outcome.get("title_en") if language == "en" else outcome.get("title")
        steps = []
        for step in outcome["trail"]:
            label = step.get("label") or step.get("check") or ""
            shown = step["value_label"] if step.get("value_label") else step.get("value")
            if step.get("check") == "version":
                # The version step's value is its English label; its label is the version's
                # name in both languages, which is what the row should say.
                label, shown = VERSION_LABEL, step.get("label") or shown
            steps.append(
                {
                    "label": _in(label, language),
                    "value": _in(shown, language),
                    "citation": str(step.get("citation") or ""),
                    "note": str(step.get("note") or ""),
                }
            )
        out.append(
            {
                "title": str(title or outcome.get("rule") or ""),
                "citation": str(outcome.get("citation") or ""),
                "steps": steps,
            }
        )
    return out


def long_date(day: date, language: str) -> str:
    """4 december 2026 / 4 December 2026."""
    if language == "nl":
        return nl_day(day)
    return f"{day.day} {MONTHS_EN_FULL[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class LetterFacts:
    """What the service read for one letter (the dossier and the decision)."""

    template: Template
    language: str
    name: str
    v_number: str
    address: tuple[str, ...]  # lines; empty when unknown
    care_of: str | None  # the reception location when there is no address
    procedure_name: str
    procedure_id: int
    decision_id: int
    decided_on: date
    outcome_text: str
    grounds: str
    trail: Any
    remedy: Remedy | None
    signer: str
    on: date


def render(facts: LetterFacts) -> str:
    """The letter as one HTML document (own stylesheet, A4), the same for screen, print and
    PDF; the service stores exactly this text and its SHA-256."""
    lang = facts.language
    text = facts.template.text[lang]
    fill = {
        "procedure": facts.procedure_name,
        "decided_on": long_date(facts.decided_on, lang),
        "name": facts.name,
        "signer": facts.signer,
    }
    said = {key: value.format(**fill) for key, value in text.items()}
    remedy = facts.remedy
    uncertain = [remedy.uncertain_in(lang)] if remedy and remedy.uncertain else []
    context = {
        "lang": lang,
        "t": said,
        "f": facts,
        "letter_date": long_date(facts.on, lang),
        "reference": f"{facts.procedure_id}/{facts.decision_id}",
        "rules": trail_rows(facts.trail, lang),
        "forms": [
            {"code": f.code, "title": f.title[lang], "citation": f.citation}
            for f in forms_named(facts.trail)
        ],
        "remedy_text": " ".join(facts.remedy.text[lang].split()) if facts.remedy else "",
        "uncertain": uncertain,
        "start": START,
        "end": END,
    }
    return render_to_string("letters/letter.html", context)


def body_of(html: str) -> str:
    """The letter inside a stored document (between its markers), for a page to show."""
    if START in html and END in html:
        return html.split(START, 1)[1].split(END, 1)[0]
    return html
