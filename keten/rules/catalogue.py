"""The rules catalogue (``docs/rules.md``), generated from the rules themselves.

Nothing here is written by hand: titles, citations, versions, quoted sentences, facts, checks
and parameters all come from the rule objects and the parameter files, so the catalogue cannot
drift from the code. ``keten rules docs --check`` (and a test) fail when the committed file is
out of date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.rules.evaluate import output_kinds, render
from keten.rules.expr import lift
from keten.rules.facts import FactSpec
from keten.rules.instruments import instruments
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.registry import all_rules
from keten.rules.rule import Checklist, Decide, Kinds, Rule, RuleVersion, Value

GROUPS = (
    ("vc-a", "Vreemdelingencirculaire 2000, deel A"),
    ("vc-b", "Vreemdelingencirculaire 2000, deel B"),
    ("vc-c", "Vreemdelingencirculaire 2000, deel C"),
    ("", "Rules from the ministry briefing and the national strategy (seeds 001, 002)"),
)


def _day(value: date | None, *, end: bool = False) -> str:
    if value is not None:
        return value.isoformat()
    return "open" if end else "start not in the sources"


def _period(start: date | None, end: date | None) -> str:
    return f"{_day(start)} to {_day(end, end=True)}"


def anchor(rule_id: str) -> str:
    return rule_id.replace(".", "").lower()


def fact_type(spec: FactSpec) -> str:
    base = {
        "bool": "yes/no",
        "int": "whole number",
        "float": "number",
        "money": "euros",
        "date": "date",
        "str": "text",
        "list_str": "list",
        "list_money": f"{spec.length} amounts in euros" if spec.length else "amounts in euros",
    }[spec.kind]
    if spec.choices:
        base += ": " + ", ".join(f"`{c.code}` ({c.nl})" for c in spec.choice_labels)
    if spec.nullable:
        base += " (may be empty)"
    if not spec.required:
        shown = spec.default if not isinstance(spec.default, list) or len(spec.default) < 4 else "…"
        base += f"; default `{shown}`"
    return base


def version_params(version: RuleVersion) -> tuple[str, ...]:
    # Both kinds: taken on the reference date, and taken on a day of the case.
    return tuple(sorted({*version.parameter_names(), *version.dated_parameter_names()}))


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def render_rule(rule: Rule, params: ParameterSet) -> list[str]:
    lines = [f"### `{rule.id}` — {rule.title.nl}", "", f"*{rule.title.en}*", ""]
    lines.append(f"- **Citation:** {rule.citation}")
    if rule.proposed:
        law = instruments()[rule.proposed]
        lines.append(
            f"- **Status:** proposed law ({law.title_en}), not in force: evaluated only with "
            f"`--scenario {rule.proposed}`"
        )
    else:
        lines.append(f"- **In force:** {_period(rule.in_force_from, rule.in_force_to)}")
    lines.append(f"- **Sources:** {', '.join(f'`{s}`' for s in rule.sources)}")
    lines.append(f"- **Outputs:** {', '.join(f'`{n}`' for n in rule.output_names)}")
    lines.append("")
    lines += ["| fact | type | meaning |", "|---|---|---|"]
    for spec in rule.fact_specs:
        lines.append(f"| `{spec.name}` | {_cell(fact_type(spec))} | {_cell(spec.description_en)} |")
    lines.append("")
    for span in rule.spans:
        version = span.version
        if rule.proposed:
            heading = f"#### {version.label.en} (scenario only)"
        else:
            heading = f"#### {version.label.en}: {_period(span.start, span.end)}"
        lines += [heading, ""]
        if version.note:
            lines += [f"> Note: {version.note}", ""]
        for quote in version.quotes:
            where = f", {quote.where}" if quote.where else ""
            lines += [f"> “{quote.text}”", f"> — `{quote.source}`{where}", ""]
        kinds = Kinds(rule, version, {p.name: p.kind for p in params})
        lines += ["| check | formula | citation |", "|---|---|---|"]
        for check in version.checks:
            formula = check.expr.text()
            if check.only_if is not None:
                formula += f" — only if {check.only_if.text()}"
            lines.append(
                _row(
                    f"`{check.id}`: {_cell(check.label.en)}", _code(formula), _cell(check.citation)
                )
            )
        out_kinds = output_kinds(kinds)
        for out in version.outputs:
            if isinstance(out, Decide):
                for branch in out.branches:
                    cond = branch.when.text() if branch.when is not None else "otherwise"
                    value = _cell(lift(branch.value).text())
                    label = out.value_label(branch.value)
                    if label is not None:
                        # as a fact's choices are listed: the code, then what the case worker reads
                        value = f"{_code(str(branch.value))} ({_cell(label.nl)})"
                    lines.append(
                        _row(f"`{out.name}` = {value}", _code(cond), _cell(branch.citation))
                    )
            elif isinstance(out, Value):
                head = f"`{out.name}` ({out_kinds[out.name]})"
                lines.append(_row(head, _code(out.expr.text()), _cell(out.citation)))
            elif isinstance(out, Checklist):
                for item in out.items:
                    lines.append(
                        f"| `{out.name}` ∋ `{item.id}`: {_cell(item.label.en)} | "
                        f"`{_cell(item.when.text())}` | {_cell(item.citation)} |"
                    )
        lines.append("")
        names = version_params(version)
        if names:
            lines += ["| parameter | value | valid | citation |", "|---|---|---|---|"]
            for name in names:
                parameter = params.get(name)
                for v in parameter.versions:
                    start = "…" if v.valid_from == date.min else v.valid_from.isoformat()
                    end = v.valid_to.isoformat() if v.valid_to else ""
                    value = _brief(render(v.value, parameter.kind))
                    note = f" ({v.note})" if v.note else ""
                    cells = (f"`{name}`", _cell(value), f"{start}..{end}", _cell(v.citation + note))
                    lines.append(_row(*cells))
            lines.append("")
    return lines


def _brief(value: Any) -> Any:
    """A register's long country list or table as its size and first entries."""
    if isinstance(value, list | tuple) and len(value) > 12:
        return f"{len(value)} countries: {', '.join(map(str, value[:8]))}, ..."
    if isinstance(value, dict):
        shown = ", ".join(f"{k} {v}" for k, v in list(value.items())[:8])
        return f"{len(value)} countries" + (f": {shown}" + (", ..." if len(value) > 8 else ""))
    return value


def render_parameters(params: ParameterSet) -> list[str]:
    """Every parameter's newest value, where it was published and when, and whether it was
    checked against the official source: what a reader needs to see how current the law is."""
    lines = [
        "## Parameters: newest value, source and date",
        "",
        "`keten rules stale` lists those without a value today or due for their yearly update.",
        "",
        "| parameter | newest value | valid | source | published | verified |",
        "|---|---|---|---|---|---|",
    ]
    for parameter in params:
        if not parameter.versions:
            lines.append(_row(f"`{parameter.name}`", "(none)", "", "", "", ""))
            continue
        v = parameter.versions[-1]
        start = "…" if v.valid_from == date.min else v.valid_from.isoformat()
        end = v.valid_to.isoformat() if v.valid_to else ""
        source = v.citation + (f"; {v.publication}" if v.publication else "")
        lines.append(
            _row(
                f"`{parameter.name}`" + (" (proposal)" if parameter.scenario else ""),
                _cell(_brief(render(v.value, parameter.kind))),
                f"{start}..{end}",
                _cell(source),
                v.published.isoformat() if v.published else "",
                "yes" if v.verified else "no",
            )
        )
    lines.append("")
    return lines


def render_catalogue(params: ParameterSet | None = None) -> str:
    params = params or default_parameters()
    rules = all_rules()
    lines = [
        "# Rules catalogue",
        "",
        "Generated by `keten rules docs` from the rules in `keten/rules/`; do not edit by hand.",
        "Each rule cites its paragraph and quotes the source sentence it encodes; the trail of an",
        "evaluation repeats the citation of every check. Amounts are in euros. Formulas use the",
        "fact names in the tables, `[name]` for a dated parameter (taken on the reference date",
        "`on`) and `<name>` for an earlier check.",
        "",
        "| rule | citation | title | in force | source |",
        "|---|---|---|---|---|",
    ]
    for rule in rules.values():
        if rule.proposed:
            period = "proposed (scenario only)"
        else:
            period = _period(rule.in_force_from, rule.in_force_to)
        lines.append(
            f"| [`{rule.id}`](#{anchor(rule.id)}) | {rule.citation} | {_cell(rule.title.nl)} | "
            f"{period} | {', '.join(rule.sources)} |"
        )
    lines.append("")
    lines += [
        "## Instruments",
        "",
        "| instrument | in force | citation | note |",
        "|---|---|---|---|",
    ]
    for inst in instruments().values():
        when = "proposed" if inst.proposed else _day(inst.in_force)
        if inst.expires:
            when += f" to {inst.expires.isoformat()}"
        note = inst.note or ""
        if not inst.verified:
            note = "unverified: " + note
        lines.append(
            f"| {_cell(inst.title_en)} | {when} | {_cell(inst.citation)} | {_cell(note)} |"
        )
    lines.append("")
    lines += render_parameters(params)
    for prefix, heading in GROUPS:
        members = [
            r
            for r in rules.values()
            if (r.id.startswith(prefix) if prefix else not r.id.startswith("vc-"))
        ]
        if not members:
            continue
        lines += [f"## {heading}", ""]
        for rule in members:
            lines += [f'<a id="{anchor(rule.id)}"></a>', ""]
            lines += render_rule(rule, params)
    return "\n".join(lines).rstrip() + "\n"
