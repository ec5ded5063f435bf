"""The HTML of a document a ministry could send (the factsheet, the strategy): a title page
with the date and the sources, the body, and a print stylesheet whose page footer numbers the
pages (weasyprint renders it to PDF; a browser prints it the same way). No template engine:
every text goes through ``esc``, so nothing from the data reaches the page unescaped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from keten.reports.document_figures import Figure
from keten.time.trail import nl_day

STYLE = """
@page { size: A4; margin: 22mm 20mm 24mm 20mm;
  @bottom-center { content: "pagina " counter(page) " van " counter(pages); font-size: 9pt; }
  @bottom-left { content: string(doctitle); font-size: 8pt; color: #555; } }
@page :first { @bottom-center { content: none; } @bottom-left { content: none; } }
.keten-document { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt;
  line-height: 1.4; color: #111; max-width: 60rem; }
.keten-document .title-page { page-break-after: always; padding-top: 30mm; }
.keten-document .title-page h1 { font-size: 22pt; string-set: doctitle content(); }
.keten-document .title-page .meta { margin-top: 12mm; }
.keten-document h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
.keten-document h3 { font-size: 12pt; margin-top: 1.1em; }
.keten-document .asks { font-style: italic; color: #333; }
.keten-document blockquote { margin: .4em 0 .4em 1.2em; border-left: 3px solid #bbb;
  padding-left: .6em; }
.keten-document .line { color: #666; font-size: 8.5pt; }
.keten-document table { border-collapse: collapse; margin: .4em 0 .8em; }
.keten-document th, .keten-document td { border: 1px solid #bbb; padding: 2px 6px;
  text-align: left; vertical-align: top; }
.keten-document td.num { text-align: right; }
.keten-document .indicator { background: #f3f6fa; border: 1px solid #c9d6e6; padding: .4em .6em;
  margin: .5em 0; page-break-inside: avoid; }
.keten-document .unavailable { color: #8a3b00; }
.keten-document .muted { color: #555; font-size: 9pt; }
@media print { header.top, nav, .no-print { display: none; } }
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def number(value: object) -> str:
    """Dutch notation: 43.000 and 12,5."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return esc(value)


def title_page(
    title: str, subtitle: str, made_on: date, source: str, sources: Iterable[str]
) -> str:
    items = "".join(f"<li>{esc(s)}</li>" for s in sources)
    return (
        '<section class="title-page">'
        f"<h1>{esc(title)}</h1><p>{esc(subtitle)}</p>"
        f'<div class="meta"><p>Opgesteld op {esc(nl_day(made_on))} met Keten.</p>'
        f"<p>Cijfers uit: {esc(source)}</p>"
        f"<h2>Bronnen</h2><ul>{items}</ul>"
        '<p class="muted">Alleen geaggregeerde cijfers: dit document noemt geen persoon.</p>'
        "</div></section>"
    )


def figure_table(figure: Figure) -> str:
    if not figure.available:
        return f'<p class="unavailable">Niet beschikbaar: {esc(figure.unavailable_nl)}</p>'
    head = "".join(f"<th>{esc(figure.label(k))}</th>" for k in figure.values)
    cells = "".join(f'<td class="num">{number(v)}</td>' for v in figure.values.values())
    return f"<table><tr>{head}</tr><tr>{cells}</tr></table>"


def page(body: str, title: str) -> str:
    """The standalone document (for the PDF and the ``--html`` file)."""
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
