"""Hostile project files (issue 13, parts 5, 6 and 7): templates, narrative, pictures,
workbooks, links and the preview server. Each case gives a located message and exit 1 (or a
correct report), never a traceback.

Families:
- templates that include themselves, recurse, loop or grow without end, ask lipsum/range/powers
  for too much, or run too long; saved in Windows-1252; links leading outside the project;
- narrative files with an unclosed ``:::`` box, a stray ``:::``, an unknown ``<<...>>`` or an
  unknown table: the message names the narrative file and its line; UTF-16 narrative is read,
  UTF-16 without a byte order mark is refused with advice;
- pictures: names with spaces and accents work; a link out of the project, too many pixels,
  a damaged file are refused;
- workbooks that unpack to too much or hold too many cells (generated, a few KB on disk);
- data files that are links leading outside the project;
- ``apr templates eject ../x`` and ``apr serve`` with a foreign Host.
"""
from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from apr import pipeline
from apr.document import templating
from apr.findings import AprError
from tests.conftest import copy_sample


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    return copy_sample(tmp_path / "proj")


def _errors(project: Path) -> list[str]:
    """Build and return every error line (the build must stop with findings)."""
    with pytest.raises(AprError) as exc:
        pipeline.build(Path("proj"), 2023, ("html", "docx"))
    return [str(f) for f in exc.value.findings if f.severity == "error"]


def _template(project: Path, text: str, name: str = "foreword.md.j2") -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")


# --- templates -----------------------------------------------------------------------------

@pytest.mark.parametrize("body, line, message", [
    ('{% include "foreword.md.j2" %}', 3, "this template includes or calls itself without end "
     "(directly or through another template or macro); remove the include or macro call that "
     "leads back to it [template.recursion]"),
    ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}", 3, "this template includes or "
     "calls itself without end (directly or through another template or macro); remove the "
     "include or macro call that leads back to it [template.recursion]"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", 3,
     "the templates' loops would run more than 1,000,000 times (this one asks for 1,000,001); "
     "a range() is far too large or loops are nested too deeply [template.too_many_loops]"),
    ("{{ range(10 ** 9) | length }}", 3, "the templates' loops would run more than 1,000,000 "
     "times (this one asks for 1,000,000,000); a range() is far too large or loops are nested "
     "too deeply [template.too_many_loops]"),
    ("{{ lipsum(100000) }}", 3, "lipsum(100000, min=20, max=100) asks for too much text; apr "
     "allows up to 100 paragraphs of up to 1000 words [template.too_large]"),
    ('{{ "x" * 1000000000 }}', 3, "this multiplication would make 1,000,000,000 characters or "
     "items; apr allows up to 20,000,000 [template.too_large]"),
    ("{{ 2 ** 100000 }}", 3, "2 ** 100000 is too large a power; apr allows exponents up to "
     "1000 [template.too_large]"),
    ('{{ "a" | center(1000000000) }}', 3, "center with a width over 10,000 would make a huge "
     "text [template.too_large]"),
])
def test_template_bombs_and_recursion_are_located(project, body, line, message):
    _template(project, f"# Foreword\n\n{body}\n")
    assert _errors(project) == [f"proj/templates/foreword.md.j2:{line}: error: {message}"]


def test_a_template_that_makes_too_much_text_is_stopped(project, monkeypatch):
    monkeypatch.setattr(templating, "MAX_OUTPUT_CHARS", 200_000)
    _template(project, "# Foreword\n\n{% for i in range(900) %}{{ lipsum(5) }}\n{% endfor %}\n")
    errors = _errors(project)
    assert errors == [
        f"{templating.template_file(templating.make_environment(project), 'report.md.j2')}: "
        "error: the report's text grew past 200,000 characters (a real report is well under a "
        "million); a loop or a filter in the templates makes far too much text "
        "[template.too_large]"]


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="needs SIGALRM")
def test_a_template_that_runs_too_long_is_stopped_at_its_line(project, monkeypatch):
    monkeypatch.setattr(templating, "MAX_RENDER_SECONDS", 1)
    _template(project, "# Foreword\n\n{% for a in range(1000) %}{% for b in range(999) %}"
              "{% set c = [a, b] | sort %}{% endfor %}{% endfor %}\n")
    monkeypatch.setattr(templating, "MAX_LOOP_ITEMS", 10 ** 9)
    assert _errors(project) == [
        "proj/templates/foreword.md.j2:3: error: the templates took more than 1 seconds to "
        "render and were stopped here (the sample report takes under a second); a loop "
        "probably runs far too many times [template.too_slow]"]


def test_a_template_saved_in_windows_1252_is_named(project):
    (project / "templates").mkdir()
    (project / "templates" / "foreword.md.j2").write_bytes(
        "# Foreword\n\nOur caf\u00e9 \u201cwelcome\u201d.\n".encode("cp1252"))
    assert _errors(project) == [
        "proj/templates/foreword.md.j2:3: error: the template is not saved as UTF-8 (byte 0xe9 "
        "here is not UTF-8: Windows-1252 or 'ANSI'?); save it as UTF-8 (in Notepad: Save as, "
        "Encoding UTF-8) [template.encoding]"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_template_linked_from_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere.md.j2"
    outside.write_text("# Foreword\n\nA secret.\n", encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "foreword.md.j2").symlink_to(outside)
    assert _errors(project) == [
        "proj/templates/foreword.md.j2: error: proj/templates/foreword.md.j2 is a link to a file "
        "outside the project folder, which apr does not read (a report must be built only from "
        "the project's own files); copy the file into the project instead of linking to it "
        "[template.outside_project]"]


def test_a_link_inside_the_project_is_fine(project):
    (project / "templates").mkdir()
    (project / "shared.md.j2").write_text("# Foreword { #foreword }\n\nShared words.\n",
                                          encoding="utf-8")
    (project / "templates" / "foreword.md.j2").symlink_to(project / "shared.md.j2")
    result = pipeline.build(Path("proj"), 2023, ("html",))
    assert "Shared words." in result.outputs[0].read_text(encoding="utf-8")


# --- narrative -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("# Foreword\n\n::: case-study A day at the hub\n\nText.\n",
     ["proj/content/foreword.md:3: error: the box '::: case-study' opened here is never closed; "
      "add a line with just ':::' after its text [narrative.markup]"]),
    ("# Foreword\n\nText.\n\n:::\n",
     ["proj/content/foreword.md:5: error: this ':::' closes no box; remove it, or open the box "
      "above with a line such as '::: case-study Title' [narrative.markup]"]),
    ("# Foreword\n\n<<chart spending>>\n",
     ["proj/content/foreword.md:3: error: unknown instruction '<<chart>>'; apr knows <<table "
      "NAME>>, <<figure NAME>>, <<todo TEXT>>, <<contents>> and <<pagebreak>> "
      "[narrative.markup]"]),
    ("# Foreword\n\n<<table finance.categorys>>\n",
     ["proj/content/foreword.md:3: error: there is no table called 'finance.categorys' (did you "
      "mean 'finance.categories'?); `apr templates context` lists the tables there are "
      "[narrative.markup]"]),
])
def test_broken_markup_in_a_narrative_file_names_that_file_and_line(project, text, expected):
    (project / "content" / "foreword.md").write_text(text, encoding="utf-8")
    assert _errors(project) == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-sig"])
def test_narrative_in_utf16_or_with_a_bom_is_read(project, encoding):
    text = "# Foreword\n\nA caf\u00e9 called \u201cThe Hub\u201d opened in Linnhaven.\n"
    data = {"utf-16": text.encode("utf-16"),
            "utf-16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
            "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
            "utf-8-sig": text.encode("utf-8-sig")}[encoding]
    (project / "content" / "foreword.md").write_bytes(data)
    result = pipeline.build(Path("proj"), 2023, ("html",))
    assert "A caf\u00e9 called \u201cThe Hub\u201d opened" in \
        result.outputs[0].read_text(encoding="utf-8")


def test_narrative_in_utf16_without_a_mark_is_refused_with_advice(project):
    (project / "content" / "foreword.md").write_bytes("# Foreword\n\nText.\n".encode("utf-16-le"))
    assert _errors(project) == [
        "proj/content/foreword.md: error: the file is not text apr can read (it holds zero "
        "bytes: UTF-16 without a byte order mark, or a Word or other binary file); save it as "
        "plain text in UTF-8 (in Notepad: Save as, Encoding UTF-8) [narrative.encoding]"]


def test_narrative_in_windows_1252_is_read_with_a_warning(project):
    (project / "content" / "foreword.md").write_bytes(
        "# Foreword\n\nWe spent \u00a3350k on the caf\u00e9.\n".encode("cp1252"))
    result = pipeline.build(Path("proj"), 2023, ("html",))
    assert "We spent \u00a3350k on the caf\u00e9." in result.outputs[0].read_text(encoding="utf-8")
    assert "narrative.encoding" in [f.code for f in result.findings]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_narrative_and_data_linked_from_outside_are_refused(project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Foreword\n\nSomething private.\n", encoding="utf-8")
    (project / "content" / "foreword.md").unlink()
    (project / "content" / "foreword.md").symlink_to(secret)
    table = tmp_path / "savings.csv"
    table.write_bytes((project / "data" / "savings.csv").read_bytes())
    (project / "data" / "savings.csv").unlink()
    (project / "data" / "savings.csv").symlink_to(table)
    errors = _errors(project)
    assert "proj/content/foreword.md: error: proj/content/foreword.md is a link to a file outside " \
        "the project folder, which apr does not read (a report must be built only from the " \
        "project's own files); copy the file into the project instead of linking to it " \
        "[narrative.outside_project]" in errors
    assert any(e.startswith("proj/data/savings.csv: error: proj/data/savings.csv is a link to a "
                            "file outside the project folder") and "[data.outside_project]" in e
               for e in errors)


# --- pictures ------------------------------------------------------------------------------

def _png(width: int, height: int) -> bytes:
    """A valid PNG of width x height (one colour, compressed: a few KB even when huge)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    raw = b"".join(compressor.compress(row) for _ in range(min(height, 4))) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                                 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name, written", [
    ("staff at the hub.png", "<images/staff at the hub.png>"),
    ("staff at the hub.png", "images/staff%20at%20the%20hub.png"),
    ("caf\u00e9 \u00e0 Linnhaven.png", "images/caf\u00e9 \u00e0 Linnhaven.png".replace(" ", "%20")),
    ("r\u00e9union.png", "images/r\u00e9union.png"),
])
def test_pictures_with_spaces_and_accents_work(project, name, written):
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    (project / "content" / "images").mkdir(exist_ok=True)
    (project / "content" / "images" / name).write_bytes(buffer.getvalue())
    foreword = project / "content" / "foreword.md"
    foreword.write_text(foreword.read_text(encoding="utf-8") +
                        f"\n![Staff at the hub]({written})\n", encoding="utf-8")
    result = pipeline.build(Path("proj"), 2023, ("html", "docx"))
    page = result.outputs[0].read_text(encoding="utf-8")
    assert 'alt="Staff at the hub"' in page


@pytest.mark.parametrize("kind, message", [
    ("pixels", "the image content/images/bomb.png has 400 million pixels; apr includes pictures "
               "of up to 60 million. Save a smaller copy (2000 pixels wide is plenty for a "
               "report)"),
    ("damaged", "the image content/images/bomb.png cannot be read as a picture (it may be "
                "damaged); open it and save it again as .png or .jpg"),
    ("outside", "the image content/images/bomb.png is a link to a file outside the project "
                "folder, which apr does not read (a report must be built only from the project's "
                "own files); copy the file into the project instead of linking to it"),
])
def test_picture_bombs_and_links_are_refused(project, tmp_path, kind, message):
    images = project / "content" / "images"
    images.mkdir(exist_ok=True)
    if kind == "pixels":
        (images / "bomb.png").write_bytes(_png(20_000, 20_000))
    elif kind == "damaged":
        (images / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    else:
        (tmp_path / "private.png").write_bytes(_png(10, 10))
        (images / "bomb.png").symlink_to(tmp_path / "private.png")
    foreword = project / "content" / "foreword.md"
    lines = foreword.read_text(encoding="utf-8").count("\n")
    foreword.write_text(foreword.read_text(encoding="utf-8") + "\n![A picture](images/bomb.png)\n",
                        encoding="utf-8")
    assert _errors(project) == [
        f"proj/content/foreword.md:{lines + 2}: error: {message} [narrative.image]"]


# --- workbooks -----------------------------------------------------------------------------

def _workbook_bomb(path: Path, rows: int, cols: int) -> None:
    """A real .xlsx whose one sheet holds rows x cols cells, written as a compressed stream."""
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("savings")
    ws.append(["year", "programme", "planned", "achieved", "recurring"] + [None] * (cols - 5))
    row = ["2023/24", "x", 1, 1, "yes"] + [0] * (cols - 5)
    for _ in range(rows):
        ws.append(row)
    wb.save(path)


def test_a_workbook_with_too_many_cells_is_refused(project, monkeypatch):
    from apr.sources import tables
    monkeypatch.setattr(tables, "MAX_CELLS", 50_000)
    (project / "data" / "savings.csv").unlink()
    _workbook_bomb(project / "data" / "extra.xlsx", 2_000, 30)
    assert _errors(project) == [
        "proj/data/extra.xlsx: error: sheet 'savings' has more than 50,000 cells; apr reads "
        "sheets of up to that many. Delete unused rows and columns (select them, Delete), or "
        "keep only the data tables in the workbook [data.workbook_too_large]"]


def test_a_workbook_that_unpacks_to_too_much_is_refused(project):
    """A zip bomb: 300 MB of zeros compress to 300 KB; refused before anything unpacks it."""
    from apr.sources import tables
    path = project / "data" / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\x00" * (1 << 20)
            for _ in range(tables.MAX_UNPACKED_BYTES // len(block) + 20):
                fh.write(block)
    assert path.stat().st_size < 2_000_000
    errors = _errors(project)
    assert errors == [
        "proj/data/bomb.xlsx: error: the workbook unpacks to 220 MB; apr reads workbooks that "
        "unpack to 200 MB at most. Keep only the data tables in it (one sheet each), or save "
        "each table as a CSV file [data.workbook_too_large]"]


def test_a_csv_of_tiny_rows_is_refused_by_its_cell_count(project, monkeypatch):
    """50 MB of one-character rows would be gigabytes as rows: the cells are counted."""
    from apr.sources import tables
    monkeypatch.setattr(tables, "MAX_CSV_CELLS", 100_000)
    path = project / "data" / "savings.csv"
    path.write_text(path.read_text(encoding="utf-8") + "1\n" * 200_000, encoding="utf-8")
    assert _errors(project) == [
        "proj/data/savings.csv: error: the table has more than 100,000 cells; apr reads tables "
        "of up to that many. Remove rows for years the report does not use, and unused columns "
        "[data.too_many_cells]"]


def test_a_csv_cell_longer_than_any_real_one_is_refused(project):
    path = project / "data" / "savings.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '2023/24,"' + "word " * 5000 + '",1,1,yes\n', encoding="utf-8")
    errors = _errors(project)
    assert len(errors) == 1 and errors[0].startswith(
        f"proj/data/savings.csv:{text.count(chr(10)) + 1}: error: a cell holds 25,000 characters (it starts 'word word "
        "word word word word '); apr reads cells of up to 10,000.")
    assert errors[0].endswith("[data.cell_too_long]")


# --- eject and serve -----------------------------------------------------------------------

def _apr(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apr.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("name", ["../x", "../../pyproject.toml", "../README.md", "/etc/passwd",
                                  "..\\x.md.j2", "templates/../../x"])
def test_eject_cannot_write_outside_templates(tmp_path, name):
    project = copy_sample(tmp_path / "proj")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    done = _apr("templates", "eject", name, "--project", "proj", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("apr: apr has no template '")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (project / "templates").exists()


def test_eject_still_copies_a_real_template(tmp_path):
    project = copy_sample(tmp_path / "proj")
    done = _apr("templates", "eject", "finance", "--project", "proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (project / "templates" / "finance.md.j2").is_file()


def test_serve_answers_only_its_own_address(tmp_path, monkeypatch):
    import http.client

    from apr.commands.serve import Preview
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    preview = Preview(copy_sample(tmp_path / "proj"), 2023, echo=lambda text: None)
    url = preview.start(0)
    port = preview.server.server_address[1]
    try:
        def get(host: str | None) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.putrequest("GET", "/", skip_host=True)
            if host is not None:
                conn.putheader("Host", host)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        assert get(f"127.0.0.1:{port}")[0] == 200
        assert get(f"localhost:{port}")[0] == 200
        for foreign in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1:{port + 1}",
                        "", None):
            status, body = get(foreign)
            assert status == 421 and b"<html" not in body.lower()
    finally:
        preview.stop()
    assert url == f"http://127.0.0.1:{port}/"
