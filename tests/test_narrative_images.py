"""Narrative Markdown: case studies and images (alt text required) become document nodes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from apr.cli import main
from apr.document import nodes as n
from apr.document.markup import MarkupError, MarkupParser
from tests.report_helpers import unwrap

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
PNG = (SAMPLE / "content" / "images" / "home-first.png").read_bytes()


def parser(base: Path) -> MarkupParser:
    return MarkupParser(lambda kind, key: None, base)


def test_an_image_alone_in_a_paragraph_becomes_a_figure(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "day-centre.png").write_bytes(PNG)
    blocks = parser(tmp_path).parse('Text before.\n\n![People at the day centre](images/'
                                    'day-centre.png "Our new day centre")\n\nText after.\n')
    figure = blocks[1]
    assert isinstance(figure, n.Figure)
    assert (figure.alt, figure.caption, figure.png) == ("People at the day centre",
                                                        "Our new day centre", PNG)
    assert figure.width_cm == 15.0     # 600 px at 96 dpi is wider than the page: text width


def test_a_case_study_can_hold_an_image(tmp_path):
    (tmp_path / "a.png").write_bytes(PNG)
    blocks = parser(tmp_path).parse("::: case-study Mrs K\n![Mrs K at home](a.png)\n\nShe is "
                                    "home.\n:::\n")
    assert isinstance(blocks[0], n.Callout) and blocks[0].title == "Mrs K"
    assert [type(b) for b in blocks[0].blocks] == [n.Figure, n.Paragraph]


@pytest.mark.parametrize("markup, problem", [
    ("![](a.png)", "the image 'a.png' has no alt text"),
    ("![A chart](missing.png)", "the image file content/missing.png does not exist"),
    ("![A chart](../secret.png)", "must be a file inside the project's content/ folder"),
    ("![A chart](https://example.org/x.png)", "must be a file inside the project's content/"),
    ("![A chart](notes.txt)", "is not a PNG or JPEG file"),
])
def test_bad_images_are_errors_with_their_line(tmp_path, markup, problem):
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(MarkupError) as caught:
        parser(tmp_path).parse(f"# Title\n\nSome text.\n\n{markup}\n")
    assert problem in str(caught.value) and caught.value.line == 5


def test_the_sample_report_shows_its_case_study_picture(built_sample):
    page = built_sample.html.read_text(encoding="utf-8")
    assert 'id="image-home-first"' in page
    assert 'alt="Drawing of a small house' in page


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "proj"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    return dest


def build_errors(project: Path) -> list[str]:
    result = CliRunner().invoke(main, ["build", "--project", "proj", "--year", "2023",
                                       "--format", "html"])
    assert result.exit_code == 1
    return [line for line in unwrap(result.stderr).splitlines() if ": error: " in line]


def test_empty_alt_text_in_a_narrative_names_the_file_and_line(project):
    story = project / "content" / "outcomes" / "outcome-3.md"
    story.write_text("Intro.\n\n![](images/home-first.png)\n", encoding="utf-8")
    assert build_errors(project) == [
        "proj/content/outcomes/outcome-3.md:3: error: the image 'images/home-first.png' has no "
        "alt text; describe what it shows between the square brackets, e.g. ![Staff at the "
        "Linnhaven day centre](images/home-first.png) [narrative.image]"]


def test_a_missing_image_file_is_an_error(project):
    story = project / "content" / "foreword.md"
    story.write_text("Welcome.\n\n![Our chair](images/chair.jpg)\n", encoding="utf-8")
    assert build_errors(project) == [
        "proj/content/foreword.md:3: error: the image file content/images/chair.jpg does not "
        "exist; put the picture there or correct the path (it is relative to the content/ "
        "folder) [narrative.image]"]
