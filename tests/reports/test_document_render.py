"""The documents rendered: HTML that escapes what it shows, a PDF that is a PDF with the title
and page numbers in it, and the CLI over a dossier export (figures the export holds counted,
the rest printed as unavailable)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from keten.cli.report_cmds import report
from keten.reports import factsheet, strategy
from keten.reports.document_figures import Figure
from keten.reports.frames import Frames, conform, empty, write
from keten.reports.pdf import to_pdf

pypdf = pytest.importorskip("pypdf")

TODAY = date(2026, 12, 4)


def _pdf_text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_strategy_html_shows_sections_indicators_and_escapes() -> None:
    model = strategy.load()
    figures = {
        "border_capacity": Figure(
            "border_capacity",
            "<b>telregel</b>",
            "rule",
            {"open": 3, "capacity": 211, "margin": 208},
        )
    }
    html = strategy.render(model, figures, TODAY, "test & co", "peildatum 2026-12-04")
    assert "2.2.2. Doeltreffende toegang tot internationale bescherming" in html
    assert '<td class="num">208</td>' in html
    assert "&lt;b&gt;telregel&lt;/b&gt;" in html and "<b>telregel</b>" not in html
    assert "test &amp; co" in html
    assert "4 december 2026" in html  # the date on the title page
    # an indicator nobody supplied shows its name and source, no made-up number
    assert 'data-indicator="nareis_waiting"' in html


def test_the_strategy_pdf_is_a_pdf_with_title_and_page_numbers() -> None:
    model = strategy.load()
    pdf = to_pdf(strategy.render(model, {}, TODAY, "test", "peildatum 2026-12-04"))
    assert pdf.startswith(b"%PDF-")
    pages = _pdf_text(pdf)
    assert len(pages) > 3
    assert "Nationale strategie voor asiel- en migratiebeheer" in pages[0]
    assert f"pagina 2 van {len(pages)}" in pages[1]  # the title page has no number
    assert "pagina" not in pages[0]
    assert "Bronnen" in pages[0]


def _export(tmp: Path) -> Path:
    procs = [
        (1, 1, "SYR", "border_procedure", "ind", "", date(2026, 9, 1), None, None, "open", "pact"),
        (2, 2, "SYR", "border_procedure", "ind", "", date(2026, 9, 2), None, None, "open", "pact"),
        (3, 3, "ERI", "asylum_first", "ind", "", date(2026, 8, 1), None, None, "open", "pact"),
        (4, 4, "ERI", "nareis", "ind", "", date(2026, 8, 1), None, None, "open", None),
    ]
    events = [
        (1, "made_at_border", date(2026, 9, 1)),
        (2, "made_at_border", date(2026, 9, 2)),
        (2, "lodged", date(2026, 9, 3)),
        (3, "reported", date(2026, 8, 1)),
        (3, "registered", date(2026, 8, 4)),
        (3, "lodged", date(2026, 8, 10)),
        (4, "lodged", date(2026, 8, 1)),
    ]
    frames = Frames(
        conform("procedures", [(*p, None, None, None) for p in procs]),
        conform("events", events),
        empty("decisions"),
        empty("documents"),
        source="testexport",
    )
    out = tmp / "export"
    write(frames, out)
    return out


def test_cli_strategy_counts_from_an_export(tmp_path: Path) -> None:
    """Two border procedures running on 30 September (211 - 2 = 209 left); two registrations,
    both within five days (the asylum application after 3 days, the border procedure's
    lodging after 1 day; the other border procedure is not yet registered); one open nareis
    application; detention places need the server's location register and are printed as
    unavailable."""
    export = _export(tmp_path)
    pdf = tmp_path / "s.pdf"
    run = CliRunner().invoke(
        report,
        ["strategy", "--on", "2026-09-30", "--frames", str(export), "--json", "--pdf", str(pdf)],
    )
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    ind = out["indicators"]
    assert ind["border_capacity"]["values"] == {"open": 2, "capacity": 211, "margin": 209}
    registrations = ind["registration_within_five_days"]["values"]
    assert registrations["registered"] == 2 and registrations["within_term"] == 2
    assert ind["nareis_waiting"]["values"] == {"open": 1}
    assert ind["detention_places"]["available"] is False
    assert "locatieregister" in ind["detention_places"]["unavailable"]["nl"]
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_cli_factsheet_from_an_export_and_without_one(tmp_path: Path) -> None:
    export = _export(tmp_path)
    run = CliRunner().invoke(
        report, ["factsheet", "--half-year", "2026-2", "--frames", str(export), "--json"]
    )
    assert run.exit_code == 0, run.output
    figures = {f["id"]: f for f in json.loads(run.stdout)["figures"]}
    assert figures["asylum_applications"]["values"]["total"] == 2  # ids 2 and 3 lodged
    assert figures["nareis_applications"]["values"] == {"lodged": 1}
    assert figures["night_shelter"]["available"] is False
    assert figures["coa_occupancy"]["available"] is False  # needs the server
    bare = CliRunner().invoke(report, ["factsheet", "--half-year", "2026-2", "--json"])
    assert bare.exit_code == 0, bare.output
    assert all(not f["available"] for f in json.loads(bare.stdout)["figures"])


def test_cli_refuses_a_bad_half_year() -> None:
    run = CliRunner().invoke(report, ["factsheet", "--half-year", "2026-7", "--json"])
    assert run.exit_code == 2
    assert "half-year" in run.stderr


def test_factsheet_html_names_the_half_year() -> None:
    form = factsheet.load()
    h = factsheet.half_year("2026-2", TODAY)
    html = factsheet.render(form, h, h.start, TODAY, {}, TODAY, "test")
    assert "Factsheet migratieketen 2026, tweede halfjaar" in html
    assert "Van 1 juli 2026 tot en met 4 december 2026" in html
    assert html.count("Niet beschikbaar") == len(form.figures)  # nothing supplied
