"""``keten countries``: read the country register and update it from downloaded files.

``list`` and ``show`` read the register (``keten.chain.country_register``); ``import-rates``
and ``import-income`` rewrite one of its files from a Eurostat or World Bank download
(``keten.chain.country_register_import``), refusing before anything is written when the result
would not read. Errors name the field, in Dutch and English, and exit with status 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from keten.cli.output import console, emit_json, fail, parse_day

_DAY_HELP = "Reference day (YYYY-MM-DD); default today."


def _on(raw: str | None, as_json: bool) -> date:
    return parse_day(raw, "on", as_json=as_json) if raw else date.today()


def _dash(value: Any) -> str:
    return "—" if value is None else str(value)


def _register_dir(raw: str | None) -> Path:
    from keten.chain import country_register

    return Path(raw) if raw else country_register.register_dir()


@click.group()
def countries() -> None:
    """Landenregister / country register: erkenningspercentages, inkomen, veilige landen,
    visumplicht."""


@countries.command("list")
@click.option("--on", "on", default=None, help=_DAY_HELP)
@click.option("--all", "every", is_flag=True, help="Also countries without any entry.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_countries(on: str | None, every: bool, as_json: bool) -> None:
    """Landen met hun gegevens op een dag / countries with their facts on a day."""
    from keten.chain import country_register as register

    day = _on(on, as_json)
    rows = [r for r in register.overview(day) if every or register.has_entry(r)]
    if as_json:
        emit_json(
            {"on": day.isoformat(), "register_version": register.version(), "countries": rows}
        )
        return
    table = Table(title=f"Landenregister op {day.isoformat()} (versie {register.version()})")
    for col in ("code", "land", "erkenning %", "inkomensgroep", "top 35", "veilig", "visum"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["code"],
            escape(r["name_nl"]),
            "—" if r["rate_percent"] is None else f"{r['rate_percent']} ({r['rate_period']})",
            _dash(r["income_group_text"]),
            {True: "ja", False: "nee", None: "—"}[r["top35"]],
            "ja" if r["safe"] else "—",
            _dash(r["visa_text"]),
        )
    console.print(table)
    console.print("[dim]— : geen vermelding in het register (onbekend, niet 'nee')[/]")


def _fact(label: str, entry: dict[str, Any] | None, text: str) -> None:
    if entry is None:
        console.print(f"  {label}: — [dim](onbekend)[/]")
        return
    flag = "" if entry["verified"] else f" [yellow]niet geverifieerd: {escape(entry['note_nl'])}[/]"
    console.print(f"  {label}: {escape(text)} [dim]({escape(entry['entry'])})[/]{flag}")


@countries.command("show")
@click.argument("code")
@click.option("--on", "on", default=None, help=_DAY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_country(code: str, on: str | None, as_json: bool) -> None:
    """Eén land op een dag, met bronnen / one country on a day, with sources."""
    from keten.chain import country_register as register

    day = _on(on, as_json)
    wanted = code.strip().upper()
    try:
        profile = register.profile(wanted, day)
    except KeyError:
        fail(
            "code",
            f"{code!r} is geen bekende ISO alpha-3-code / is not a known ISO alpha-3 code",
            as_json=as_json,
        )
    if as_json:
        emit_json({**profile, "history": register.history(wanted)})
        return
    console.print(
        f"[bold]{escape(profile['name_nl'])}[/] ({wanted}) op {day.isoformat()} · "
        f"registerversie {profile['register_version']}"
    )
    if not profile["is_country"]:
        console.print(
            f"  {wanted} is geen land maar een ICAO-code ({escape(profile['name_nl'])}): het "
            "register heeft er geen landgegevens voor / not a country: no country facts"
        )
        return
    for basis in register.BASES.values():
        for period in ("yearly", "quarterly"):
            fig = profile["recognition_rate"][basis.id][period]
            label = f"erkenning, {basis.nl}, {'jaar' if period == 'yearly' else 'kwartaal'}"
            text = (
                f"{fig['rate_percent']} % ({fig['period']}, gepubliceerd {fig['published']}, "
                f"{fig['dataset']})"
                if fig
                else ""
            )
            _fact(label, fig, text)
    income = profile["income"]
    _fact(
        "inkomen (Wereldbank)",
        income,
        f"{income['income_group_text']}, BNI per hoofd {_dash(income['gni_per_capita_usd'])} "
        f"USD ({income['edition']}), plaats {_dash(income['rank'])}, top 35: "
        f"{'ja' if income['top35'] else 'nee' if income['top35'] is False else '—'}"
        if income
        else "",
    )
    safe = profile["safe_country"]
    _fact(
        "veilig land van herkomst",
        safe,
        f"ja, sinds {safe['valid_from']}"
        + (f"; behalve: {safe['exception_nl']}" if safe["excepted_groups"] else "")
        if safe
        else "",
    )
    visa = profile["visa"]
    _fact(
        "visumplicht",
        visa,
        f"{visa['requirement_text']} sinds {visa['valid_from']} ({visa['legal_act']})"
        if visa
        else "",
    )
    for entry in profile["return_cooperation"]:
        _fact(
            f"terugkeer, {entry['aspect_text'].lower()}",
            entry,
            f"{entry['status_text']} sinds {entry['valid_from']}",
        )


def _refuse(exc: Exception, field: str, as_json: bool) -> None:
    fail(field, str(exc), as_json=as_json)


@countries.command("import-rates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--published",
    default=None,
    help="Day the figures were published (YYYY-MM-DD); default the file's LAST UPDATE.",
)
@click.option("--dataset", default=None, help="Dataset name; default 'Eurostat <code>'.")
@click.option("--source", default=None, help="Source to cite; default the data browser URL.")
@click.option(
    "--register-dir", default=None, help="The register's directory; default the shipped one."
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable summary.")
def import_rates(
    file: Path,
    published: str | None,
    dataset: str | None,
    source: str | None,
    register_dir: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Erkenningspercentages uit een Eurostat-download (migr_asydcfsta/-stq) / recognition
    rates from a Eurostat download."""
    from keten.chain import country_register as register
    from keten.chain import country_register_import as imports

    day = parse_day(published, "published", as_json=as_json) if published else None
    directory = _register_dir(register_dir)
    try:
        download = imports.read_eurostat(file.read_text(encoding="utf-8"))
        made = imports.rate_rows(
            download, file_name=file.name, published=day, dataset=dataset, source=source
        )
        merge = imports.merge_rates(imports.read_rows(directory / register.RATES_FILE), made.rows)
        if not dry_run:
            imports.write_file(directory, register.RATES_FILE, merge.rows)
    except imports.DownloadError as exc:
        _refuse(exc, "file", as_json)
    except register.RegisterError as exc:
        _refuse(exc, exc.column or "file", as_json)
    summary = {
        "file": str(directory / register.RATES_FILE),
        "dataset": made.dataset,
        "published": made.published.isoformat(),
        "rows_read": download.rows_read,
        "figures": len(made.rows),
        "added": merge.added,
        "changed": merge.changed,
        "unchanged": merge.unchanged,
        "kept": merge.kept,
        "skipped_codes": made.skipped_codes,
        "without_decisions": made.without_decisions,
        "written": not dry_run,
    }
    _summary(summary, as_json)


@countries.command("import-income")
@click.argument("class_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("gni_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", required=True, help="The edition, e.g. FY2027.")
@click.option("--valid-from", "valid_from", required=True, help="Its first day (YYYY-MM-DD).")
@click.option(
    "--data-year",
    type=int,
    default=None,
    help="The year of the GNI figures; default two before the edition (FY2027: 2025).",
)
@click.option("--source", default=None, help="Source to cite; default the World Bank's pages.")
@click.option(
    "--register-dir", default=None, help="The register's directory; default the shipped one."
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable summary.")
def import_income(
    class_csv: Path,
    gni_csv: Path,
    edition: str,
    valid_from: str,
    data_year: int | None,
    source: str | None,
    register_dir: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Inkomensindeling en BNI per hoofd van de Wereldbank / the World Bank's income
    classification and GNI per head."""
    from keten.chain import country_register as register
    from keten.chain import country_register_import as imports

    start = parse_day(valid_from, "valid_from", as_json=as_json)
    if not edition.startswith("FY") or not edition[2:].isdigit() or len(edition) != 6:
        fail("edition", f"{edition!r} is niet als FY2027 / is not like FY2027", as_json=as_json)
    year = data_year if data_year is not None else int(edition[2:]) - 2
    directory = _register_dir(register_dir)
    try:
        classification = imports.read_class(class_csv.read_text(encoding="utf-8-sig"))
        indicator = imports.read_wdi(gni_csv.read_text(encoding="utf-8-sig"), year)
        rows = imports.income_rows(
            classification,
            indicator,
            edition=edition,
            valid_from=start,
            data_year=year,
            files=(class_csv.name, gni_csv.name),
            source=source,
        )
        merge = imports.merge_income(
            imports.read_rows(directory / register.INCOME_FILE), rows, edition, start
        )
        if not dry_run:
            imports.write_file(directory, register.INCOME_FILE, merge.rows)
    except imports.DownloadError as exc:
        _refuse(exc, "file", as_json)
    except register.RegisterError as exc:
        _refuse(exc, exc.column or "file", as_json)
    summary = {
        "file": str(directory / register.INCOME_FILE),
        "edition": edition,
        "valid_from": start.isoformat(),
        "data_year": year,
        "countries": len(rows),
        "with_gni": sum(1 for r in rows if r["gni_per_capita_usd"]),
        "replaced": merge.removed,
        "kept": merge.kept,
        "closed_editions": merge.closed,
        "skipped_codes": classification.skipped_codes,
        "written": not dry_run,
    }
    _summary(summary, as_json)


_LABELS = {
    "file": "bestand / file",
    "dataset": "dataset",
    "published": "gepubliceerd / published",
    "rows_read": "rijen gelezen / rows read",
    "figures": "cijfers / figures",
    "added": "nieuw / added",
    "changed": "gewijzigd / changed",
    "unchanged": "ongewijzigd / unchanged",
    "kept": "behouden / kept",
    "skipped_codes": "overgeslagen codes (aggregaten, staatloos, onbekend) / skipped codes",
    "without_decisions": "zonder beslissingen / without decisions",
    "edition": "editie / edition",
    "valid_from": "geldig vanaf / valid from",
    "data_year": "jaar BNI / GNI year",
    "countries": "landen / countries",
    "with_gni": "met BNI / with GNI",
    "replaced": "vervangen / replaced",
    "closed_editions": "afgesloten edities / closed editions",
    "written": "geschreven / written",
}


def _summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(summary)
        return
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} ({n})" for k, n in sorted(value.items())) or "—"
        elif isinstance(value, list):
            value = ", ".join(value) or "—"
        elif isinstance(value, bool):
            value = "ja / yes" if value else "nee, --dry-run / no, --dry-run"
        console.print(f"{_LABELS[key]}: {escape(str(value))}")


__all__ = ["countries"]
