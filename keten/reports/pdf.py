"""A document's HTML as PDF, through weasyprint (pango renders the text; the stylesheet of
``keten.reports.document_html`` numbers the pages). Imported only when a PDF is asked for, so
the rest of the reports work without it."""

from __future__ import annotations


class PdfUnavailableError(RuntimeError):
    """weasyprint (the ``server`` extra) or the pango library it renders with is missing."""


def to_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - the extra installs it
        raise PdfUnavailableError(
            "PDF needs weasyprint (pip install 'keten[server]'); print the HTML instead"
        ) from exc
    except OSError as exc:  # pragma: no cover - weasyprint loads pango when imported
        raise PdfUnavailableError(
            "PDF needs the pango library (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0); print the HTML instead"
        ) from exc
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
