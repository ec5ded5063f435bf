"""A procedure type's facts as form inputs (the lodge form, the facts correction) and back.

The catalogue declares each fact's values (``keten/catalog/procedures/*.yaml``): a choice is a
list of labelled options, a yes/no fact a select of the two, anything else a short text. The
officer never types a code. What the dossier proposes is shown as the starting value with
where it comes from; what was entered wins, so a refused form loses nothing.

Field names are ``pfact-<name>``: the dossier page also carries decision support's rule facts
(``fact-<name>``, ``ui/fact_form.py``), and the two forms must not read each other's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from keten.catalog.model import ProcedureType
from keten.server.services.errors import BadInputError, ServiceError
from keten.server.services.procedure_facts import kind_of
from keten.server.services.support import KnownFact

PREFIX = "pfact-"


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class FactField:
    """One input, ready for the template."""

    name: str
    kind: str  # choice | bool | text
    label: str
    label_en: str
    options: tuple[Option, ...]
    value: str  # as the input shows it: a code, "true"/"false", or ""
    source: str = ""  # where a proposed value comes from, in Dutch
    source_en: str = ""
    error: str = ""

    @property
    def field(self) -> str:
        return PREFIX + self.name

    @property
    def value_label(self) -> str:
        return next((o.label for o in self.options if o.code == self.value), self.value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fields(
    pt: ProcedureType,
    *,
    entered: Mapping[str, Any] | None = None,
    known: Mapping[str, KnownFact] | None = None,
    recorded: Mapping[str, Any] | None = None,
    error: ServiceError | None = None,
) -> list[FactField]:
    """The type's facts as inputs: what was ``entered`` (a refused form, by field name), else
    the ``recorded`` facts (a correction), else what the dossier proposes (``known``)."""
    bad = error.field.removeprefix("facts.") if error and error.field else ""
    out = []
    for name, spec in pt.facts.items():
        kind = kind_of(pt, name)
        source = source_en = ""
        if entered is not None:
            value = str(entered.get(PREFIX + name, "") or "")
        elif recorded is not None:
            value = _text(recorded.get(name))
        elif known and name in known:
            value = _text(known[name].value)
            source, source_en = known[name].source_nl, known[name].source_en
        else:
            value = ""
        if kind == "choice":
            options = tuple(Option(c, t.nl, t.en) for c, t in spec.values.items())
        elif kind == "bool":
            options = (Option("true", "ja", "yes"), Option("false", "nee", "no"))
        else:
            options = ()
        out.append(
            FactField(
                name=name,
                kind=kind,
                label=spec.nl,
                label_en=spec.en,
                options=options,
                value=value,
                source=source,
                source_en=source_en,
                error=(error.rule_nl or error.detail_nl or "") if error and bad == name else "",
            )
        )
    return out


def read(pt: ProcedureType, form: Mapping[str, Any]) -> dict[str, Any]:
    """The facts entered, typed: an empty input is a fact not given; yes/no becomes a bool.
    Values are checked against the catalogue by the service (``procedure_facts``)."""
    facts: dict[str, Any] = {}
    for name in pt.facts:
        raw = str(form.get(PREFIX + name, "") or "").strip()
        if not raw:
            continue
        if kind_of(pt, name) == "bool":
            if raw not in ("true", "false"):
                raise BadInputError(
                    f"facts.{name}", f"{raw!r} is not yes or no", f"{raw!r} is geen ja of nee"
                )
            facts[name] = raw == "true"
        else:
            facts[name] = raw
    return facts


def as_correction(pt: ProcedureType, form: Mapping[str, Any]) -> dict[str, Any]:
    """A correction form's facts: every fact of the type, an emptied input as None (no longer
    known). The service records only those that differ from what is recorded."""
    given = read(pt, form)
    return {name: given.get(name) for name in pt.facts}
