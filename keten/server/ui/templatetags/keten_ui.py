"""Template filters: deadline and procedure states in words, Dutch first."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from keten.chain.identity import nationality_name
from keten.chain.kinds import Kind
from keten.server import decision_support
from keten.server.services.errors import BadInputError, ForbiddenError, NotFoundError, ServiceError
from keten.server.ui.field_labels import label

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


# What kind of source a forecast figure rests on (keten.forecast.scenario.Source.kind).
SOURCE_KINDS = {
    "seed": _("source document"),
    "published": _("published figure"),
    "assumption": _("assumption"),
    "register": _("Keten's own register"),
}


@register.filter
def source_kind(value: str) -> str:
    return str(SOURCE_KINDS.get(value, value))


@register.filter
def status_text(value: str) -> str:
    return str(STATUS.get(value, value))


@register.filter
def tr(item: object, key: str) -> object:
    """``item[key]`` in Dutch, or ``item[key + '_en']`` when the interface speaks English
    (``item`` a dict, or an object with those attributes)."""
    if not isinstance(item, dict):
        item = {k: getattr(item, k) for k in (key, f"{key}_en") if hasattr(item, k)}
    if _english() and f"{key}_en" in item:
        return item[f"{key}_en"]
    return item.get(key, "")


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


@register.filter
def kind_name(kind: Kind) -> str:
    """A vocabulary entry's name (``keten.chain.kinds``) in the interface's language."""
    return kind.en if _english() else kind.nl


@register.filter
def invalid(form: Any, field: str) -> str:
    """The attributes marking ``field``'s input invalid and pointing at its error, when the
    form came back refused for that field (``form``: see ``views.add_record``)."""
    if not isinstance(form, dict) or form.get("field") != field:
        return ""
    # The id is what the error summary's link goes to (inputs carry no id otherwise).
    result: SafeString = format_html(
        ' id="{}-{}" aria-invalid="true" aria-describedby="{}-{}-error"',
        form["resource"],
        field,
        form["resource"],
        field,
    )
    return result


@register.filter
def in_language(text: object) -> object:
    """A ``{"nl": ..., "en": ...}`` text (a rule's labels) in the interface's language."""
    if isinstance(text, dict):
        return text.get("en" if _english() else "nl") or text.get("nl") or ""
    return text


@register.filter
def fact_value(value: object) -> str:
    """A fact's or outcome's value as an officer reads it: yes/no, a dash for none."""
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(fact_value(v) for v in value) or "—"
    return str(value)


@register.filter
def facts_read(outcome: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The facts a rule ran on as (name, description, value) in the interface's language, a
    choice by its label. A trail stored by a rule this server no longer has keeps its names."""
    facts: dict[str, Any] = outcome.get("facts") or {}
    try:
        specs = {f["name"]: f for f in decision_support.rule(str(outcome.get("rule")))["facts"]}
    except BadInputError:
        specs = {}
    english = _english()
    out = []
    for name, value in facts.items():
        spec = specs.get(name, {})
        labels = {
            c["code"]: c["label_en" if english else "label"]
            for c in spec.get("choice_labels") or ()
        }
        shown = [labels.get(v, v) for v in value] if isinstance(value, list) else value
        if isinstance(value, str):
            shown = labels.get(value, value)
        description = spec.get("description_en" if english else "description") or name
        out.append((name, description, fact_value(shown)))
    return out


@register.filter
def nationality(code: str) -> str:
    """A nationality code's name in the interface's language (``Eritrees`` for ERI)."""
    return nationality_name(code, "en" if _english() else "nl")


@register.filter
def euro(amount: object) -> str:
    """An amount in euros with cents in the interface's language (see :func:`euro_text`)."""
    return euro_text(amount, english=_english())


def euro_text(amount: object, *, english: bool) -> str:
    """Dutch style (``1.442,00``), or English (``1,442.00``)."""
    try:
        text = f"{float(str(amount)):,.2f}"
    except ValueError:
        return str(amount)
    if english:
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def get(mapping: object, key: str) -> object:
    """``mapping[key]``, or None when it is not there (templates cannot index by a variable)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def said(error: object) -> str:
    """A refusal's message in the page's language (Dutch unless the reader chose English)."""
    if isinstance(error, ServiceError):
        return error.detail_in("en" if _english() else "nl")
    return str(getattr(error, "detail", error))


@register.filter
def said_rule(error: object) -> str:
    """The rule a refusal names, in the page's language."""
    if isinstance(error, ServiceError):
        return error.rule_in("en" if _english() else "nl") or ""
    return str(getattr(error, "rule", "") or "")


@register.filter
def said_beside(error: object) -> str:
    """A refusal's message beside its field: without the API's field name in front of it
    (the label stands next to it)."""
    if not isinstance(error, ServiceError):
        return str(getattr(error, "detail", error))
    text = error.detail_in("en" if _english() else "nl")
    if error.field and text.startswith(f"{error.field}: "):
        text = text[len(error.field) + 2 :]
    return text


@register.filter
def said_summary(error: object, form: str = "") -> str:
    """A refusal in the error summary: the field by the page's label, then what is wrong
    (``form``: the form's resource, where a field's label depends on it)."""
    if not isinstance(error, ServiceError) or isinstance(error, ForbiddenError | NotFoundError):
        return said_beside(error)
    name = label(error.field, form or None)
    if name is None:  # a part of a field no page labels ("populations.rotterdam"): as said
        return said(error)
    return f"{name}: {said_beside(error)}"


@register.filter
def said_more(error: object) -> str:
    """The rule a refusal names when its message does not already say it; not the policy's
    internal rule ("beleid: rol heeft geen 'read' op 'procedure'"), which the message says in
    words."""
    if not isinstance(error, ServiceError):
        return ""
    rule = error.rule_in("en" if _english() else "nl") or ""
    if not rule or rule in said_beside(error) or rule.startswith(("beleid:", "policy:")):
        return ""
    return rule


@register.filter
def error_target(form: object) -> str:
    """The id of the input a form's error summary links to: the refused field's input, which
    ``invalid`` gives the id ``{resource}-{field}``; empty when the field is not one of the
    form's (``general``: the summary then says it without a link)."""
    if not isinstance(form, dict) or form.get("general") or not form.get("field"):
        return ""
    return f"{form['resource']}-{form['field']}"


@register.filter
def record_key(resource: str, record_id: object) -> str:
    """``resource:id``, as the dossier page lists what may be withdrawn."""
    return f"{resource}:{record_id}"
