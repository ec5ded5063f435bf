"""A document's HTML as PDF, through weasyprint (pango renders the text; the stylesheet of
``keten.reports.document_html`` numbers the pages). Imported only when a PDF is asked for, so
the rest of the reports work without it."""

from __future__ import annotations


class PdfUnavailableError(RuntimeError):
    """weasyprint is not installed (it is in the ``server`` extra)."""


def to_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - the extra installs it
        raise PdfUnavailableError(
            "PDF needs weasyprint (pip install 'keten[server]'); print the HTML instead"
        ) from exc
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
