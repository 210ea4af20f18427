"""`--format pdf`: a tagged PDF/UA-1 with title, language and bookmarks, reopened with pypdf."""
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
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
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
    assert len(report_pdf.pages) > 20 and len(titles) > 20


def structure_elements(reader: PdfReader) -> list:
    """Return every element of the PDF's structure tree (tags), depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif hasattr(node, "get"):
            if "/S" in node:
                found.append(node)
            if node.get("/K") is not None:
                stack.append(node["/K"])
    return found


def test_pdf_tags_headings_tables_and_every_figure_with_alt_text(report_pdf, publication):
    tags = structure_elements(report_pdf)
    kinds = [t["/S"] for t in tags]
    meta = publication.document.meta
    cover = [alt for alt in (meta.logo_alt, meta.cover_image_alt) if alt]   # apr.toml pictures
    figures = [b for b in publication.document.walk() if type(b).__name__ == "Figure"]
    alts = [str(t.get("/Alt", "")) for t in tags if t["/S"] == "/Figure"]
    assert len(alts) == len(figures) + len(cover) and all(a.strip() for a in alts)
    assert {f.alt for f in figures} | set(cover) == set(alts)
    assert kinds.count("/H1") == 1 and "/H2" in kinds and "/H3" in kinds
    assert "/Table" in kinds and "/TH" in kinds and "/Caption" in kinds


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
