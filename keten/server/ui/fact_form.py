"""A rule's facts as a form: one input per fact, of the fact's kind, and back to typed facts.

The rules declare their facts (name, kind, choices with a Dutch and an English label, whether
required, a Dutch and an English description; ``keten.rules.facts.FactSpec``). From that the
decision-support panel draws the inputs a case worker fills in, so that nobody types JSON or a
code: an option shows its label and sends its code. What was entered is kept and shown
again with the outcome or with the refusal, so a correction loses nothing.

Field names are ``fact-<name>``; a list of amounts has one input per month under the same name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.datastructures import MultiValueDict

from keten.server.services.errors import BadInputError, ServiceError

if TYPE_CHECKING:  # the models behind it need Django set up; the form itself does not
    from keten.server.services.support import KnownFact

PREFIX = "fact-"
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Choice:
    """One option of a fact with choices: the code is sent, the label is shown."""

    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class FactInput:
    """One input of the form, ready for the template."""

    name: str
    kind: str
    required: bool
    label: str
    label_en: str
    choices: tuple[Choice, ...]
    value: str  # the text shown (a date as YYYY-MM-DD, a bool as "true"/"false"/"")
    values: tuple[str, ...]  # list kinds: one per chosen option or month
    default: str
    default_label: str = ""  # the default as shown: a choice's label rather than its code
    default_label_en: str = ""
    source: str = ""  # where a prefilled value comes from, in Dutch
    source_en: str = ""
    error: str = ""

    @property
    def field(self) -> str:
        return PREFIX + self.name


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def inputs(
    rule: Mapping[str, Any],
    *,
    entered: MultiValueDict[str, str] | None = None,
    known: Mapping[str, KnownFact] | None = None,
    error: ServiceError | None = None,
) -> list[FactInput]:
    """The rule's inputs, showing what was ``entered`` (a refused or run form) or else what
    the dossier ``known``s; the refused fact carries the error text."""
    out = []
    bad = error.field.removeprefix("facts.").split(".")[0] if error and error.field else ""
    for spec in rule["facts"]:
        name, kind = spec["name"], spec["kind"]
        source = source_en = ""
        if entered is not None:
            raw = entered.getlist(PREFIX + name)
            value = raw[0] if raw and kind not in ("list_str", "list_money") else ""
            values = tuple(raw) if kind in ("list_str", "list_money") else ()
        elif known and name in known:
            fact = known[name]
            value, values = _text(fact.value), ()
            source, source_en = fact.source_nl, fact.source_en
        else:
            value, values = "", ()
        if kind == "list_money":
            values = tuple(values) + ("",) * (int(spec["length"] or 0) - len(values))
        default = spec.get("default")
        default_text = "" if default in (None, []) else _text(default)
        choices = _choices(spec)
        shown = next((c for c in choices if c.code == default_text), None)
        out.append(
            FactInput(
                name=name,
                kind=kind,
                required=bool(spec["required"]),
                label=spec["description"] or name,
                label_en=spec.get("description_en") or name,
                choices=choices,
                value=value,
                values=values,
                default=default_text,
                default_label=shown.label if shown else default_text,
                default_label_en=shown.label_en if shown else default_text,
                source=source,
                source_en=source_en,
                error=(error.rule or error.detail) if error and name == bad else "",
            )
        )
    return out


def _choices(spec: Mapping[str, Any]) -> tuple[Choice, ...]:
    labels = {c["code"]: c for c in spec.get("choice_labels") or ()}
    out = []
    for code in spec["choices"] or ():
        # The rules refuse a choice without labels; the code is a last resort, not a blank.
        label = labels.get(code, {})
        out.append(Choice(code, label.get("label") or code, label.get("label_en") or code))
    return tuple(out)


def read(rule: Mapping[str, Any], form: MultiValueDict[str, str]) -> dict[str, Any]:
    """The facts entered, typed as the rule's JSON facts. An empty input is a fact not given
    (the rule then uses its default, or refuses a required fact by name); text that is not
    of the fact's kind is refused here, naming the fact."""
    facts: dict[str, Any] = {}
    for spec in rule["facts"]:
        name, kind = spec["name"], spec["kind"]
        field = f"facts.{name}"
        if kind == "list_str":
            chosen = [v.strip() for v in form.getlist(PREFIX + name) if v.strip()]
            if not spec["choices"]:  # free text, several values in one input
                chosen = [p.strip() for v in chosen for p in v.split(LIST_SEPARATOR) if p.strip()]
            if chosen:
                facts[name] = chosen
            continue
        if kind == "list_money":
            months = [v.strip() for v in form.getlist(PREFIX + name)]
            if any(months):
                facts[name] = [_money(field, m) if m else None for m in months]
            continue
        raw = (form.get(PREFIX + name) or "").strip()
        if not raw:
            continue
        facts[name] = _value(field, kind, raw)
    return facts


def _value(field: str, kind: str, raw: str) -> Any:
    if kind == "bool":
        if raw not in ("true", "false"):
            raise BadInputError(field, f"{raw!r} is not yes or no", f"{raw!r} is geen ja of nee")
        return raw == "true"
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise BadInputError(
                field, f"{raw!r} is not a whole number", f"{raw!r} is geen geheel getal"
            ) from None
    if kind == "float":
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            raise BadInputError(
                field, f"{raw!r} is not a number", f"{raw!r} is geen getal"
            ) from None
    if kind == "money":
        return _money(field, raw)
    if kind == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise BadInputError(
                field, f"{raw!r} is not a date (YYYY-MM-DD)", f"{raw!r} is geen datum (JJJJ-MM-DD)"
            ) from None
    return raw


def _money(field: str, raw: str) -> str:
    """Euros as a Dutch officer writes them (``2.497,50``, ``€ 2497,50``) or as a machine
    does (``2497.50``); sent on as decimal text, so no float rounds a cent away."""
    text = raw.replace("€", "").replace(" ", "")
    if "," in text or _THOUSANDS.fullmatch(text):
        # Dutch: comma for the cents, points between thousands ("1.500" is fifteen hundred:
        # an amount in euros never has three decimals)
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise BadInputError(
            field, f"{raw!r} is not an amount in euros", f"{raw!r} is geen bedrag in euro's"
        ) from None
    if not amount.is_finite():
        raise BadInputError(
            field, f"{raw!r} is not an amount in euros", f"{raw!r} is geen bedrag in euro's"
        )
    return str(amount)
