"""The external checkers really run and really catch problems (tests/browser.py).

If these fail, accessibility tests elsewhere cannot be trusted: a checker that finds nothing
because it never ran would look exactly like a clean report.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

import pytest

from tests.browser import (
    format_violations,
    libreoffice_to_pdf,
    open_browser,
    run_axe,
    run_vnu,
    screenshot,
)

# 1x1 transparent PNG
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness check: a good page</title>
<style>body {{ font-family: sans-serif; color: #0b0c0c; background: #fff; }}</style>
</head>
<body>
<main>
<h1>Annual performance</h1>
<p>Emergency admissions fell by 4% in the year.</p>
<img src="dot.png" alt="{alt}" width="20" height="20">
<table>
<caption>Admissions by year</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Admissions</th></tr></thead>
<tbody><tr><td>2024/25</td><td>1,234</td></tr></tbody>
</table>
</main>
</body>
</html>
"""

BAD_IMG_PAGE = GOOD_PAGE.replace('alt="{alt}" ', "")

INVALID_PAGE = """<html>
<head><title>Broken</title></head>
<body>
<p>An unclosed <span>element</div>
<p><table><tr><td>cell</td></tr></table></p>
<img src="dot.png">
<blink>old</blink>
</body>
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "dot.png").write_bytes(PNG_1PX)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_axe_passes_a_good_page(tmp_path):
    page = _write(tmp_path, "good.html", GOOD_PAGE.format(alt="A small dot"))
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_axe_reports_missing_alt_text(tmp_path):
    page = _write(tmp_path, "bad.html", BAD_IMG_PAGE.format(alt=""))
    assert 'alt="' not in page.read_text()
    violations = run_axe(page)
    ids = {v["id"] for v in violations}
    assert "image-alt" in ids, format_violations(violations)


def test_one_browser_serves_many_pages_and_screenshots(tmp_path):
    good = _write(tmp_path, "good.html", GOOD_PAGE.format(alt="A small dot"))
    bad = _write(tmp_path, "bad.html", BAD_IMG_PAGE.format(alt=""))
    with open_browser() as browser:
        assert run_axe(good, browser=browser) == []
        assert run_axe(bad, browser=browser) != []
        png = screenshot(good, tmp_path / "shots" / "good-375.png", width=375, browser=browser)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 375 and height > 100


def test_vnu_accepts_a_valid_page(tmp_path):
    page = _write(tmp_path, "good.html", GOOD_PAGE.format(alt="A small dot"))
    errors = run_vnu(page)
    assert errors == [], errors


def test_vnu_rejects_an_invalid_page(tmp_path):
    page = _write(tmp_path, "invalid.html", INVALID_PAGE)
    errors = run_vnu(page)
    assert len(errors) >= 3, errors
    text = " ".join(e["message"] for e in errors)
    assert "doctype" in text.lower()
    assert "alt" in text  # <img> without alt is a conformance error too
    assert all(e["type"] == "error" for e in errors)


def test_libreoffice_converts_docx_to_pdf(tmp_path):
    docx = pytest.importorskip("docx")
    from pypdf import PdfReader

    document = docx.Document()
    document.add_heading("Harness check heading", level=1)
    document.add_paragraph("Delayed discharges fell across the partnership.")
    source = tmp_path / "tiny report.docx"  # a space in the name, as users' files have
    document.save(source)

    pdf = libreoffice_to_pdf(source, tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Harness check heading" in text
    assert "Delayed discharges" in text


def test_libreoffice_failure_is_reported_not_swallowed(tmp_path, monkeypatch):
    # LibreOffice imports almost anything as text, so simulate a converter that exits with
    # an error and writes no PDF: the helper must raise and show what it printed.
    fake = tmp_path / "fake-soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("APR_SOFFICE", str(fake))
    source = tmp_path / "x.docx"
    source.write_bytes(b"not used")
    with pytest.raises(RuntimeError, match="could not be loaded"):
        libreoffice_to_pdf(source, tmp_path / "pdf")
