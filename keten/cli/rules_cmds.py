"""``keten rules``: list, show, evaluate and document the executable policy rules.

Every subcommand takes ``--json``. Errors (an unknown rule, a bad or missing fact, a rule or
parameter not in force on the date) name what is wrong and the rule, and exit with status 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DOCS_PATH = Path("docs") / "rules.md"


def _json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def _on_option(func: F) -> F:
    return click.option(
        "--on",
        "on",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Reference date (YYYY-MM-DD); default today. The rule version and the "
        "parameters in force on this date are used.",
    )(func)


def _scenario_option(func: F) -> F:
    return click.option(
        "--scenario",
        "scenarios",
        multiple=True,
        help="Evaluate a proposed law as if in force (e.g. asielnoodmaatregelenwet).",
    )(func)


def _fail(exc: BaseException, as_json: bool, rule_id: str | None = None) -> NoReturn:
    from keten.rules.errors import FactsError

    payload: dict[str, Any] = {"error": str(exc), "type": type(exc).__name__}
    if rule_id:
        payload["rule"] = rule_id
    if isinstance(exc, FactsError):
        payload["fields"] = exc.fields
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(1)


def _handled() -> tuple[type[BaseException], ...]:
    from keten.rules.errors import RuleError
    from keten.time.dated import NoValueError

    return (RuleError, NoValueError, FileNotFoundError, json.JSONDecodeError, ValueError)


def _day(value: Any) -> date:
    return value.date() if value is not None else date.today()


@click.group()
def rules() -> None:
    """The Vreemdelingencirculaire and related policy as executable, cited rules."""


@rules.command("list")
@_json_option
def list_rules(as_json: bool) -> None:
    """Every rule: id, citation, title, in force from/to, source documents."""
    from keten.rules.registry import all_rules

    rows: list[dict[str, Any]] = []
    for rule in all_rules().values():
        rows.append(
            {
                "id": rule.id,
                "citation": rule.citation,
                "title": rule.title.to_json(),
                "in_force_from": rule.in_force_from.isoformat() if rule.in_force_from else None,
                "in_force_to": rule.in_force_to.isoformat() if rule.in_force_to else None,
                "proposed": rule.proposed,
                "sources": rule.sources,
                "versions": len(rule.versions),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "citation", "title", "in force", "source")
    row: dict[str, Any]
    for row in rows:
        period = (
            f"proposed ({row['proposed']})"
            if row["proposed"]
            else f"{row['in_force_from'] or '…'} – {row['in_force_to'] or ''}"
        )
        table.add_row(
            row["id"], row["citation"], row["title"]["nl"], period, ", ".join(row["sources"])
        )
    Console(width=200).print(table)


def _show_payload(rule_id: str) -> dict[str, Any]:
    from keten.rules.catalogue import version_params
    from keten.rules.evaluate import render
    from keten.rules.parameters import default_parameters
    from keten.rules.registry import get_rule

    rule = get_rule(rule_id)
    params = default_parameters()
    versions = []
    for span in rule.spans:
        version = span.version
        names = version_params(version)
        versions.append(
            {
                "label": version.label.to_json(),
                "from": span.start.isoformat() if span.start else None,
                "to": span.end.isoformat() if span.end else None,
                "note": version.note,
                "quotes": [
                    {"text": q.text, "source": q.source, "where": q.where} for q in version.quotes
                ],
                "checks": [
                    {
                        "check": c.id,
                        "formula": c.expr.text(),
                        "citation": c.citation,
                        "label": c.label.to_json(),
                    }
                    for c in version.checks
                ],
                "parameters": [
                    {
                        "name": name,
                        "unit": params.get(name).unit,
                        "history": [
                            {
                                "value": render(v.value, params.get(name).kind),
                                "valid_from": None
                                if v.valid_from == date.min
                                else v.valid_from.isoformat(),
                                "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                                "citation": v.citation,
                                "source": v.source,
                                "quote": v.quote,
                                "note": v.note,
                            }
                            for v in params.get(name).versions
                        ],
                    }
                    for name in names
                ],
            }
        )
    return {
        "id": rule.id,
        "citation": rule.citation,
        "title": rule.title.to_json(),
        "proposed": rule.proposed,
        "in_force_from": rule.in_force_from.isoformat() if rule.in_force_from else None,
        "in_force_to": rule.in_force_to.isoformat() if rule.in_force_to else None,
        "sources": rule.sources,
        "outputs": list(rule.output_names),
        "facts_schema": rule.facts.model_json_schema(),
        "versions": versions,
    }


@rules.command("show")
@click.argument("rule_id")
@_json_option
def show(rule_id: str, as_json: bool) -> None:
    """The quoted source text, the facts schema and the parameters with their history."""
    try:
        payload = _show_payload(rule_id)
    except _handled() as exc:
        _fail(exc, as_json, rule_id)
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{payload['id']}  {payload['citation']}")
    click.echo(f"  {payload['title']['nl']}")
    click.echo(f"  {payload['title']['en']}")
    if payload["proposed"]:
        click.echo(f"  proposed law: evaluate with --scenario {payload['proposed']}")
    for version in payload["versions"]:
        click.echo(f"\n[{version['label']['en']}] {version['from'] or '…'} – {version['to'] or ''}")
        if version["note"]:
            click.echo(f"  note: {version['note']}")
        for quote in version["quotes"]:
            click.echo(f"  “{quote['text']}”\n      — {quote['source']}, {quote['where'] or ''}")
        for check in version["checks"]:
            click.echo(f"  - {check['check']}: {check['formula']}  ({check['citation']})")
        for param in version["parameters"]:
            click.echo(f"  parameter {param['name']} ({param['unit']}):")
            for v in param["history"]:
                span = f"{v['valid_from'] or '…'} – {v['valid_to'] or ''}"
                click.echo(f"      {span}: {v['value']}  ({v['citation']})")
    click.echo("\nfacts:")
    for name, prop in payload["facts_schema"]["properties"].items():
        click.echo(f"  {name}: {prop.get('description', '')}")


@rules.command("schema")
@click.argument("rule_id")
@_json_option
def schema(rule_id: str, as_json: bool) -> None:
    """JSON Schema of the rule's facts (always JSON)."""
    from keten.rules.registry import get_rule

    try:
        rule = get_rule(rule_id)
    except _handled() as exc:
        _fail(exc, as_json, rule_id)
    click.echo(json.dumps(rule.facts.model_json_schema(), ensure_ascii=False, indent=2))


@rules.command("eval")
@click.argument("rule_id")
@click.option(
    "--facts",
    "facts_path",
    type=click.Path(path_type=Path),
    required=True,
    help="JSON file with the facts of one case.",
)
@_on_option
@_scenario_option
@_json_option
def eval_cmd(
    rule_id: str, facts_path: Path, on: Any, scenarios: tuple[str, ...], as_json: bool
) -> None:
    """Evaluate one case: outcome and the trail of every check with its citation."""
    from keten.rules.evaluate import evaluate
    from keten.rules.registry import get_rule

    try:
        rule = get_rule(rule_id)
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        if not isinstance(facts, dict):
            raise ValueError(f"{facts_path}: expected a JSON object with the facts")
        outcome = evaluate(rule, facts, _day(on), scenarios=frozenset(scenarios))
    except _handled() as exc:
        _fail(exc, as_json, rule_id)
    payload = outcome.to_json()
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{payload['rule']}  {payload['citation']}  on {payload['on']}")
    click.echo(f"version: {payload['version']['label']['en']}")
    for entry in payload["trail"]:
        if entry["check"] == "version":  # already shown above; repeat only its caveat
            if entry.get("note"):
                click.echo(f"  note: {entry['note']}")
            continue
        flag = "" if entry.get("assessed", True) else "  (not assessed)"
        click.echo(
            f"  {entry['label']['en']}: {json.dumps(entry['value'])}{flag}  [{entry['citation']}]"
        )
    click.echo("outcome: " + json.dumps(payload["outcome"], ensure_ascii=False))
    if payload["parameters"]:
        click.echo("values used:")
    for used in payload["parameters"]:
        span = f"{used['valid_from'] or '...'}..{used['valid_to'] or ''}"
        click.echo(f"  {used['name']} = {json.dumps(used['value'])}  [{span}; {used['citation']}]")
        if used.get("publication"):
            click.echo(f"    published {used.get('published', '?')}: {used['publication']}")
        if not used["verified"]:
            # Said on every answer that rests on the value, not only in the parameter file.
            click.echo(
                "    NOT VERIFIED against the official source: "
                + str(used.get("note", "")).removeprefix("unverified: ")
            )


@rules.command("bulk")
@click.argument("rule_id")
@click.option(
    "--table",
    "table_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Facts, one case per row: .csv or .parquet (lists in CSV: items separated by ';').",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the outcome per row: .csv or .parquet.",
)
@click.option("--with-checks", is_flag=True, help="Also write every check's value per row.")
@_on_option
@_scenario_option
@_json_option
def bulk(
    rule_id: str,
    table_path: Path,
    out_path: Path,
    with_checks: bool,
    on: Any,
    scenarios: tuple[str, ...],
    as_json: bool,
) -> None:
    """Evaluate a whole table: one row of outcomes per row of facts."""
    import polars as pl

    from keten.rules.evaluate import evaluate_table, render_table
    from keten.rules.registry import get_rule
    from keten.rules.tables import read_table, write_table

    try:
        rule = get_rule(rule_id)
        day = _day(on)
        table = read_table(table_path)
        result = evaluate_table(
            rule, table, day, scenarios=frozenset(scenarios), with_checks=with_checks
        )
        result = render_table(rule, result, day, scenarios=frozenset(scenarios))
        write_table(result, out_path)
    except _handled() as exc:
        _fail(exc, as_json, rule_id)
    summary: dict[str, Any] = {
        "rule": rule.id,
        "on": day.isoformat(),
        "rows": result.height,
        "out": str(out_path),
    }
    counts: dict[str, dict[str, int]] = {}
    for name in rule.output_names:
        if result.schema[name] in (pl.Boolean, pl.String):
            counted = result.get_column(name).value_counts(sort=True)
            counts[name] = {str(row[0]): int(row[1]) for row in counted.iter_rows()}
    summary["counts"] = counts
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{summary['rows']} rows of {rule.id} on {summary['on']} written to {out_path}")
        for name, values in counts.items():
            click.echo(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in values.items()))


@rules.command("docs")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=DOCS_PATH,
    show_default=True,
    help="Where to write the catalogue.",
)
@click.option("--check", is_flag=True, help="Only check that the file is up to date.")
@_json_option
def docs(out_path: Path, check: bool, as_json: bool) -> None:
    """Write (or check) docs/rules.md, the catalogue generated from the rules."""
    from keten.rules.catalogue import render_catalogue

    text = render_catalogue()
    if check:
        current = out_path.read_text(encoding="utf-8") if out_path.is_file() else ""
        fresh = current == text
        if as_json:
            click.echo(json.dumps({"path": str(out_path), "up_to_date": fresh}))
        elif not fresh:
            click.echo(f"{out_path} is out of date: run `keten rules docs`", err=True)
        sys.exit(0 if fresh else 1)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")
    if as_json:
        click.echo(json.dumps({"path": str(out_path), "written": True}))
    else:
        click.echo(f"wrote {out_path}")


@rules.command("stale")
@_on_option
@_json_option
def stale(on: Any, as_json: bool) -> None:
    """The law watch: parameters with no value in force on the day (lapsed), yearly ones whose
    newest value is from an earlier year (due), and rules that quote an older text than one in
    data/ for the same paragraph. Exits 0: it informs, CI prints it."""
    from keten.rules.parameters import default_parameters
    from keten.rules.registry import all_rules
    from keten.rules.stale import stale_parameters
    from keten.rules.stale_sources import documents, stale_rules

    day = _day(on)
    found = stale_parameters(default_parameters(), day)
    rules_found = stale_rules(all_rules().values(), documents())
    if as_json:
        rows = [
            {
                "parameter": s.name,
                "file": s.file,
                "why": s.why,
                "last_from": s.last_from.isoformat(),
                "last_to": s.last_to.isoformat() if s.last_to else None,
                "citation": s.citation,
            }
            for s in found
        ]
        rule_rows = [
            {
                "rule": r.rule,
                "citation": r.citation,
                "quotes": list(r.quotes),
                "newer": r.newer.id,
                "newer_published": r.newer.published.isoformat(),
            }
            for r in rules_found
        ]
        click.echo(json.dumps({"on": day.isoformat(), "stale": rows, "rules": rule_rows}, indent=2))
        return
    click.echo(f"{len(found)} parameters out of date on {day.isoformat()}")
    for s in found:
        click.echo(f"  {s.said()}")
    click.echo(f"{len(rules_found)} rules quote an older text than one in data/")
    for r in rules_found:
        click.echo(f"  {r.said()}")
