"""Writers: one per output format; each turns document nodes into a file's bytes.

``WRITERS`` is the one table of formats. Each ``Writer`` has the same three steps, all given
the build's ``WriteJob``:

* ``start(job)``: at the very start of ``apr build``, before anything is read (the PDF's
  browser starts while apr works);
* ``check(job, findings)``: before the document is built, add an error for whatever would stop
  the writer (Word: a style missing from the reference document; PDF: no browser);
* ``render(document, job, findings)``: return the file's bytes, or None with an error added
  when it could not be made (the pipeline then stops).

A new format is a module in this package and one row of ``WRITERS``; ``apr build --format``
accepts every name in it. The writers' modules are imported only when their format is used.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..findings import Findings

if TYPE_CHECKING:
    from ..config import ReportConfig
    from ..document.nodes import Document
    from .docx import Reference


@dataclass
class WriteJob:
    """What the writers of one build share: the settings, the Word reference document (read
    and checked once), the PDF's browser (or the reason it did not start) and the PDF title."""

    config: ReportConfig | None = None
    reference: Reference | None = None
    browser: Any = None
    title: str = ""

    def close(self) -> None:
        """Close whatever the writers started (the PDF's browser), on every way out."""
        if hasattr(self.browser, "close"):
            self.browser.close()


def _nothing(*_: object) -> None:
    return None


@dataclass(frozen=True)
class Writer:
    """One output format: how to render it, what it checks first, what it starts early."""

    name: str
    render: Callable[[Document, WriteJob, Findings], bytes | dict[str, bytes] | None]
    check: Callable[[WriteJob, Findings], None] = _nothing
    start: Callable[[WriteJob], None] = _nothing
    first: bool = False      # rendered before the others (the PDF: its browser quits sooner)


# --- Word -----------------------------------------------------------------------------------


def render_docx(document: Document, job: WriteJob, findings: Findings) -> bytes:
    """Return the .docx, styled from the reference document ``check_docx`` read."""
    from .docx import render_docx as render
    assert job.reference is not None, "check_docx runs before any .docx is rendered"
    return render(document, job.reference)


def check_docx(job: WriteJob, findings: Findings) -> None:
    """Read the reference document; an error for it missing or for each style it lacks."""
    if job.reference is None and job.config is not None:
        job.reference = reference_docx(job.config, findings)


def reference_docx(config: ReportConfig, findings: Findings) -> Reference | None:
    """Return the Word reference document to take styles from, checking it has every style
    (None, with an error, when the file does not exist)."""
    from ..config import display_path
    from ..resources import styles_dir
    from .docx import Reference
    path = config.project_dir / config.reference_docx if config.reference_docx else \
        styles_dir() / "reference.docx"
    if not path.is_file():
        findings.error("config.reference_missing", f"reference document {display_path(path)} "
                       "does not exist; correct report.reference_docx in apr.toml or remove it "
                       "to use apr's house style", config.config_file,
                       column="report.reference_docx")
        return None
    reference = Reference(path)
    for style in reference.missing_styles():
        findings.error("style.missing", f"the reference document has no style '{style}', which "
                       "apr needs; add it in Word (Styles pane, New Style) with exactly that "
                       "name, or copy it from apr's styles/reference.docx", display_path(path))
    return reference


# --- HTML -----------------------------------------------------------------------------------


def render_html(document: Document, job: WriteJob, findings: Findings) -> bytes:
    """Return the HTML page, UTF-8."""
    from .html import render_html as render
    return render(document, cached=True).encode("utf-8")


# --- PDF ------------------------------------------------------------------------------------


def start_pdf(job: WriteJob) -> None:
    """Start the browser that prints the PDF; keep it, None when there is none, or the reason
    (a str) it could not be started."""
    from .chromium import BrowserError, start_browser
    try:
        job.browser = start_browser()
    except BrowserError as exc:
        job.browser = str(exc)


def check_pdf(job: WriteJob, findings: Findings) -> None:
    """Add an error when no browser could be started to print the PDF (--format pdf)."""
    from .chromium import browser_missing_message
    if job.browser is None:
        findings.error("pdf.browser_missing", browser_missing_message())
    elif isinstance(job.browser, str):
        findings.error("pdf.browser_failed", f"the PDF could not be printed: {job.browser}")


def render_pdf(document: Document, job: WriteJob, findings: Findings) -> bytes | None:
    """Return the PDF printed by the build's browser; None, with an error, if it fails."""
    from .chromium import BrowserError
    from .pdf import render_pdf as render
    try:
        return render(document, job.title, job.browser, cached=True)
    except BrowserError as exc:
        findings.error("pdf.browser_failed", f"the PDF could not be printed: {exc}; nothing "
                       "was written. Build again; if it fails again, build without pdf in "
                       "--format and report the message")
        return None
    finally:
        job.browser.close_in_background()


# --- a website: a folder of pages (apr/writers/site.py) ---------------------------------------

def render_site(document: Document, job: WriteJob, findings: Findings) -> dict[str, bytes]:
    """Return the website's files by path: one page per main section, shared CSS, images."""
    from .site import write_site
    return write_site(document)


def render_fragments(document: Document, job: WriteJob, findings: Findings) -> dict[str, bytes]:
    """Return each section's body without page shell, and its images, for a council's CMS."""
    from .site import render_fragments as render
    return render(document)


# --- the table ------------------------------------------------------------------------------

WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("docx", render_docx, check=check_docx),
    Writer("html", render_html),
    Writer("pdf", render_pdf, check=check_pdf, start=start_pdf, first=True),
    Writer("site", render_site),
    Writer("fragments", render_fragments),
)}
FORMATS = tuple(WRITERS)
