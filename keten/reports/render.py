"""The annual figures handed over: as a JSON-able dict (the API and ``--json``), as ``Table``s
(CSV and XLSX through ``keten.reports.tables``) and as a standalone HTML page (``--html``).

All three carry the same figures: the shown (rounded) value, the unrounded value, the printed
text as the seed prints it, the difference, the target and what each figure counts.
"""

from __future__ import annotations

import html
from typing import Any

from keten.reports.annual import (
    ANNUAL,
    AnnualReport,
    Row,
    difference,
    difference_text,
    shown,
    text,
)
from keten.reports.counting import Share, Top, Value
from keten.reports.model import Report
from keten.reports.tables import Table


def _raw(value: Value) -> Any:
    if isinstance(value, Share):
        return {"numerator": value.numerator, "denominator": value.denominator}
    if isinstance(value, Top):
        return [[c, n] for c, n in value.items]
    return value


def _row_json(row: Row) -> dict[str, Any]:
    f = row.figure
    return {
        "id": f.id,
        "nl": f.nl,
        "en": f.en,
        "shape": f.shape,
        "rule": f.rule,
        "previous": shown(f, row.previous),
        "current": shown(f, row.current),
        "previous_unrounded": _raw(row.previous),
        "current_unrounded": _raw(row.current),
        "previous_text": text(f, row.previous),
        "current_text": text(f, row.current),
        "difference": difference(row),
        "difference_text": difference_text(row),
        "target": row.target.to_json() if row.target else None,
        "target_text": f"{row.target.value:g}%" if row.target else "",
        "counts_nl": f.counts_nl,
        "counts_en": f.counts_en,
        "source": f.source,
        "uncertain": f.uncertain,
        "uncertain_nl": f.uncertain_nl or f.uncertain,
    }


def to_json(result: AnnualReport, report: Report = ANNUAL) -> dict[str, Any]:
    return {
        "report": report.id,
        "title_nl": report.nl,
        "title_en": report.en,
        "year": result.year,
        "previous_year": result.year - 1,
        "source": result.source,
        "rounding": {
            "step": 50,
            "rule_nl": "De cijfers zijn in principe afgerond op 50-tallen. De verschilpercentages "
            "zijn berekend met de onafgeronde cijfers (IND jaarverslag 2012).",
            "rule_en": "Figures are rounded to 50; differences are computed on the unrounded "
            "figures (IND annual report 2012).",
            "fall_shown_as": "-",
        },
        "sections": [
            {
                "id": s.id,
                "nl": s.nl,
                "en": s.en,
                "layout": s.layout,
                "note_nl": s.note_nl,
                "figures": [_row_json(result.rows[f.id]) for f in s.figures],
            }
            for s in report.sections
        ],
    }


def figures(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Figure id -> its JSON, from ``to_json``'s output (for comparing two reports)."""
    return {f["id"]: f for s in data["sections"] for f in s["figures"]}


def to_tables(result: AnnualReport, report: Report = ANNUAL) -> list[Table]:
    """One table per section, in the seed's columns, then each figure's unrounded values."""
    y, p = result.year, result.year - 1
    out: list[Table] = []
    for s in report.sections:
        if s.layout == "target":
            columns: tuple[str, ...] = (s.nl, f"realisatie {y}", "streven", "verschil")
        else:
            columns = (s.nl, str(p), str(y), "verschil")
        columns += (f"{p} onafgerond", f"{y} onafgerond", "telt")
        rows = []
        for f in s.figures:
            r = result.rows[f.id]
            raw_prev, raw_cur = _raw(r.previous), _raw(r.current)
            if s.layout == "target":
                first: tuple[Any, ...] = (
                    f.nl,
                    text(f, r.current),
                    f"{r.target.value:g}%" if r.target else "",
                    difference_text(r),
                )
            else:
                first = (f.nl, text(f, r.previous), text(f, r.current), difference_text(r))
            rows.append(
                (
                    *first,
                    raw_prev if isinstance(raw_prev, int) else _cell(raw_prev),
                    raw_cur if isinstance(raw_cur, int) else _cell(raw_cur),
                    f.counts_nl,
                )
            )
        out.append(Table(s.nl, columns, tuple(rows)))
    return out


def _cell(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dict):
        return f"{raw['numerator']}/{raw['denominator']}"
    return ", ".join(f"{c} {n}" for c, n in raw)


def to_html(result: AnnualReport, report: Report = ANNUAL) -> str:
    """A standalone page (no server): the seed's tables, each figure with a footnote."""
    esc = html.escape
    data = to_json(result, report)
    parts = [
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'>",
        f"<title>{esc(report.nl)} {result.year}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "td,th{padding:.2rem .6rem;text-align:right}td:first-child,th:first-child"
        "{text-align:left}table{border-collapse:collapse;margin-bottom:1.5rem}"
        "caption{text-align:left;font-weight:bold}</style></head><body>",
        f"<h1>{esc(report.nl)} {result.year}</h1>",
        f"<p>{esc(data['rounding']['rule_nl'])}</p>",
        f"<p>Bron: {esc(result.source)}</p>",
    ]
    notes: list[str] = []
    for s in data["sections"]:
        parts.append(f"<table id='section-{esc(s['id'])}'><caption>{esc(s['nl'])}</caption>")
        if s["layout"] == "target":
            head = ["", "realisatie", "streven", "verschil"]
        else:
            head = ["", str(data["previous_year"]), str(data["year"]), "verschil"]
        parts.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>")
        for f in s["figures"]:
            notes.append(
                f["counts_nl"] + (f" (onzeker: {f['uncertain_nl']})" if f["uncertain"] else "")
            )
            label = f"{esc(f['nl'])}<sup>{len(notes)}</sup>"
            if s["layout"] == "target":
                cells = [f["current_text"], f["target_text"], f["difference_text"]]
            else:
                cells = [f["previous_text"], f["current_text"], f["difference_text"]]
            parts.append(
                f"<tr id='figure-{esc(f['id'])}' title='{esc(f['counts_nl'])}'><td>{label}</td>"
                + "".join(f"<td>{esc(c)}</td>" for c in cells)
                + "</tr>"
            )
        parts.append("</table>")
    parts.append("<ol>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ol></body></html>")
    return "\n".join(parts)


def to_flat_table(result: AnnualReport, report: Report = ANNUAL) -> Table:
    """Every figure in one table (one CSV file): section, figure, both years as printed, the
    difference, the target, the unrounded values and what it counts."""
    y, p = result.year, result.year - 1
    rows = []
    for s in report.sections:
        for f in s.figures:
            r = result.rows[f.id]
            raw_prev, raw_cur = _raw(r.previous), _raw(r.current)
            rows.append(
                (
                    s.nl,
                    f.id,
                    f.nl,
                    text(f, r.previous),
                    text(f, r.current),
                    difference_text(r),
                    f"{r.target.value:g}%" if r.target else "",
                    raw_prev if isinstance(raw_prev, int) else _cell(raw_prev),
                    raw_cur if isinstance(raw_cur, int) else _cell(raw_cur),
                    f.counts_nl,
                )
            )
    return Table(
        f"jaarcijfers {y}",
        (
            "sectie",
            "cijfer",
            "omschrijving",
            str(p),
            str(y),
            "verschil",
            "streven",
            f"{p} onafgerond",
            f"{y} onafgerond",
            "telt",
        ),
        tuple(rows),
    )
