"""`--format pdf`: a tagged PDF/UA-1 file with title, language and bookmarks, reopened with pypdf."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from apr.findings import AprError
from tests.conftest import copy_sample

pytest.importorskip("weasyprint")


def outline_titles(reader: PdfReader) -> list[str]:
    """Return every bookmark title, depth first."""
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(reader.outline)
    return titles


@pytest.fixture(scope="module")
def report_pdf(publication) -> PdfReader:
    return PdfReader(publication.report["pdf"])


def test_pdf_is_tagged_with_language_and_title(report_pdf, publication):
    root = report_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] is True
    assert root["/Lang"] == "en-GB"
    meta = publication.document.meta
    assert report_pdf.metadata.title.endswith(meta.title)
    assert report_pdf.metadata.author == meta.author
    assert report_pdf.metadata.subject == meta.subject
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # PDF/UA identification


def test_pdf_bookmarks_follow_the_sections(report_pdf, publication):
    titles = outline_titles(report_pdf)
    sections = [h.text for h in publication.document.headings(1)]
    assert sections and all(s in titles for s in sections), set(sections) - set(titles)
    assert len(report_pdf.pages) > 20
    assert "Financial performance" in report_pdf.pages[-1].extract_text() or len(titles) > 20


def test_pdf_has_every_chart_with_alt_text(report_pdf, publication):
    figures = [b for b in publication.document.walk() if type(b).__name__ == "Figure"]
    raw = b"".join(report_pdf.stream.getvalue().split(b"\n")) if hasattr(
        report_pdf.stream, "getvalue") else publication.report["pdf"].read_bytes()
    structure = publication.report["pdf"].read_bytes()
    assert figures
    assert structure.count(b"/Figure") >= len(figures), "charts are not tagged as figures"
    del raw


def test_same_document_gives_byte_identical_pdf(publication):
    from apr.writers.pdf import render_pdf
    first = render_pdf(publication.summary_document)
    assert first == render_pdf(publication.summary_document)
    assert b"/CreationDate" not in first and b"/ModDate" not in first


def test_summary_pdf_is_two_to_four_pages(publication):
    reader = PdfReader(publication.summary["pdf"])
    assert 2 <= len(reader.pages) <= 4
    assert "summary" in reader.metadata.title
    assert "Our money" in outline_titles(reader)


def test_missing_weasyprint_is_a_finding_naming_the_fix(tmp_path, monkeypatch):
    import apr.writers.pdf as pdf
    from apr.pipeline import build
    monkeypatch.setattr(pdf, "pdf_unavailable", lambda: pdf.INSTALL_HINT)
    project = copy_sample(tmp_path / "sample")
    with pytest.raises(AprError) as caught:
        build(project, 2023, ("html", "pdf"))
    codes = {f.code: f.message for f in caught.value.findings}
    assert "PDF needs WeasyPrint: pip install 'apr[pdf]'" in codes["pdf.weasyprint_missing"]
    assert not (project / "output").exists()
