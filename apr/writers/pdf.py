"""PDF writer: a tagged PDF (PDF/UA-1) printed by WeasyPrint from the HTML report.

The PDF is the HTML writer's page laid out with the print rules of ``styles/report.css``
(``@page``, ``@media print``), so it has the same structure as the web page: WeasyPrint tags
it (``/StructTreeRoot``, ``/MarkInfo``), takes the language from ``<html lang>``, the title
and author from ``<title>`` and ``<meta>``, and the bookmarks from the headings.

Determinism.  WeasyPrint writes no creation date unless the HTML carries
``dcterms.created``/``dcterms.modified`` (apr's does not) and no random ``/ID`` unless asked
for one, so the same document gives byte-identical PDFs; a test checks it.

WeasyPrint is an optional dependency (``pip install 'apr[pdf]'``) because it needs the Pango
text library from the operating system, which pip cannot install.  ``pdf_unavailable()``
returns the reason it cannot be used, for a finding before anything is rendered.
"""
from __future__ import annotations

from apr.document.nodes import Document
from apr.writers.html import render_html

PDF_VARIANT = "pdf/ua-1"
INSTALL_HINT = ("PDF needs WeasyPrint: pip install 'apr[pdf]'; it also needs the Pango library "
                "(Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew "
                "install pango; Windows: see doc.courtbouillon.org/weasyprint, Installation)")


def pdf_unavailable() -> str:
    """Return why WeasyPrint cannot be imported (empty when it can)."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return INSTALL_HINT
    except OSError as exc:  # WeasyPrint installed, but the Pango library is missing
        return f"{INSTALL_HINT} (loading it failed: {exc})"
    return ""


def render_pdf(document: Document) -> bytes:
    """Return the report as a tagged PDF/UA-1 file (same document -> same bytes)."""
    import weasyprint

    html = render_html(document)
    return weasyprint.HTML(string=html, base_url=None).write_pdf(
        pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
