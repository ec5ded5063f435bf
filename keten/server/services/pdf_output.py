"""A document as PDF for a reader, or a refusal that says how to print it instead."""

from __future__ import annotations

from keten.reports.pdf import PdfUnavailableError, to_pdf
from keten.server.services.errors import UnavailableError


def pdf_or_unavailable(html: str, print_instead_nl: str) -> bytes:
    """``html`` rendered as PDF; without weasyprint and pango a 503 naming what is missing
    and, in ``print_instead_nl``, what the reader can do instead."""
    try:
        return to_pdf(html)
    except PdfUnavailableError as exc:
        raise UnavailableError(
            str(exc),
            field="pdf",
            rule="this installation cannot render PDF",
            detail_nl=f"Deze installatie kan geen PDF maken; {print_instead_nl}",
            rule_nl="PDF vraagt weasyprint en de bibliotheek pango",
        ) from exc
