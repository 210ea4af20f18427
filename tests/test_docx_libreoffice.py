"""The built Word files open in LibreOffice: headless LibreOffice converts the sample report and
its summary to PDF without error (the nearest check to Word available here), and the PDF has the
pages, the title and the section headings. With CI=true a missing LibreOffice fails the test."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.browser import libreoffice_to_pdf


def _text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture(scope="module")
def converted(publication, tmp_path_factory) -> dict[str, PdfReader]:
    out = tmp_path_factory.mktemp("libreoffice")
    return {which: PdfReader(libreoffice_to_pdf(getattr(publication, which)["docx"], out))
            for which in ("report", "summary")}


def test_report_converts_with_title_and_sections(converted, publication):
    reader = converted["report"]
    assert len(reader.pages) > 20
    text = _text(reader)
    assert publication.document.meta.title in text
    for heading in publication.document.headings(1)[:3] + publication.document.headings(1)[-2:]:
        assert heading.text in text, heading.text


def test_summary_is_two_to_four_pages_in_word(converted, publication):
    reader = converted["summary"]
    assert 2 <= len(reader.pages) <= 4, len(reader.pages)
    text = _text(reader)
    assert publication.summary_document.meta.title in text
    assert "How we compare with Scotland" in text and "Our money" in text
