"""The board cover paper: its heading block (no report cover), sections, the legal background
and the directions table, read from the real .docx."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from apr.cli import main
from apr.config import load_config
from apr.document.board_paper import directions_table, read_board_paper
from apr.findings import AprError, Findings

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
OUTPUT = "strathlinn-health-and-social-care-partnership-{}-2023-24.docx"
COVER_STYLES = {"Cover Organisation", "Title", "Subtitle", "Cover Date", "Draft Marking"}
HEADING_BLOCK = [
    "Strathlinn Integration Joint Board",
    "Date of meeting: 26 June 2024",
    "Agenda item: 7",
    "Report title: Annual Performance Report 2023/24",
    "Report no: SIJB14-2024",
    "Report by: Chief Officer (Iain Dalgleish)",
    "Author and contact: Morag Lindsay, Planning and Performance Manager, "
    "planning.performance@example.org",
    "For decision",
]
SECTIONS = ["1.0 Purpose of report", "2.0 Recommendations", "3.0 Financial implications",
            "4.0 Main text", "4.1 Background", "4.2 What the report shows", "4.3 Next steps",
            "5.0 Policy implications", "6.0 Risk assessment", "7.0 Consultations",
            "8.0 Directions", "9.0 Background papers"]


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The output folder of the sample report (Word and HTML) built with its board paper."""
    root = tmp_path_factory.mktemp("board")
    project = root / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--year", "2023",
                                       "--format", "docx,html", "--board-paper"])
    assert result.exit_code == 0, result.output
    path = project / "output" / OUTPUT.format("board-paper")
    assert f"wrote {path}" in result.output or path.name in result.output
    return project / "output"


@pytest.fixture(scope="module")
def paper(output) -> docx.document.Document:
    return docx.Document(str(output / OUTPUT.format("board-paper")))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_numbered_sections_in_order(paper):
    headings = [p.text for p in paper.paragraphs if p.style.name.startswith("Heading")]
    assert headings == SECTIONS


def test_the_paper_opens_with_its_heading_block_from_apr_toml(paper):
    first = paper.paragraphs[:len(HEADING_BLOCK)]
    assert [p.text for p in first] == HEADING_BLOCK
    assert {p.style.name for p in first} == {"Normal"}
    assert all(r.bold for r in first[0].runs if r.text)            # the board's name
    assert [r.text for r in first[1].runs if r.bold] == ["Date of meeting:"]
    assert paper.paragraphs[len(HEADING_BLOCK)].style.name == "Heading 1"
    assert paper.paragraphs[len(HEADING_BLOCK)].text == SECTIONS[0]


def test_no_report_cover_and_no_page_break_before_the_first_section(paper):
    assert not {p.style.name for p in paper.paragraphs} & COVER_STYLES
    first_section = next(i for i, p in enumerate(paper.paragraphs)
                         if p.style.name == "Heading 1")
    before = paper.paragraphs[:first_section]
    assert not [p for p in before if p._p.xpath('.//w:br[@w:type="page"]')]
    assert not [p for p in before if p.paragraph_format.page_break_before]
    assert not paper.paragraphs[first_section].paragraph_format.page_break_before


def test_a_draft_paper_is_marked_in_the_header_and_keeps_its_properties(paper):
    assert paper.sections[0].header.paragraphs[-1].text == (
        "Strathlinn Integration Joint Board | Annual Performance Report 2023/24 | DRAFT")
    props = paper.core_properties
    assert props.title == ("Strathlinn Health and Social Care Partnership: "
                           "Annual Performance Report 2023/24")
    assert props.language == "en-GB"
    assert props.subject.startswith("Cover report presenting the annual performance report")


def test_the_report_itself_keeps_its_cover_page(output):
    report = docx.Document(str(output / OUTPUT.format("apr")))
    cover = [(p.style.name, p.text) for p in report.paragraphs[:7]]
    pictures = [p._p.xpath(".//wp:docPr/@descr") for p in report.paragraphs[:7]]
    assert cover == [
        ("Normal", ""),                                    # the logo (apr.toml report.logo)
        ("Cover Organisation", "Strathlinn Integration Joint Board"),
        ("Title", "Annual Performance Report 2023/24"),
        ("Subtitle", "Strathlinn Health and Social Care Partnership"),
        ("Normal", ""),                                    # the cover picture
        ("Cover Date", "Draft for Strathlinn Integration Joint Board, 26 June 2024"),
        ("Cover Date", "https://www.example.org/strathlinn-hscp"),   # the website, once
    ]
    assert pictures[0] == ["Strathlinn Integration Joint Board logo"] and pictures[4]
    assert report.paragraphs[7].style.name == "Draft Marking"
    assert report.paragraphs[8]._p.xpath('.//w:br[@w:type="page"]')


def test_recommendations_are_numbered_from_apr_toml(paper):
    body = texts(paper)
    assert "2.1 Approves the Annual Performance Report 2023/24 attached as Appendix 1." in body
    assert [t[:4] for t in body if t[:2] == "2." and t[2] != "0"] == ["2.1 ", "2.2 ", "2.3 ", "2.4 "]


def test_legal_background_cites_the_act_the_regulations_and_the_deadline(paper):
    background = next(t for t in texts(paper) if t.startswith("4.1.1"))
    assert "Section 42 of the Public Bodies (Joint Working) (Scotland) Act 2014" in background
    assert "SSI 2014/326" in background and "in force since 20 December 2014" in background
    deadline = next(t for t in texts(paper) if t.startswith("4.1.2"))
    assert "by 31 July 2024" in deadline
    assert "NHS Linnshire" in deadline and "Strathlinn Council" in deadline


def test_directions_table_marks_no_direction_required(paper):
    table = paper.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1] == ["1. No direction required", "X"]
    assert [r[1] for r in rows[2:]] == ["", "", ""]
    assert rows[4][0] == "4. Strathlinn Council and NHS Linnshire"


def test_direction_to_both_and_a_wrong_value(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output"))
    toml = project / "apr.toml"
    toml.write_text(toml.read_text().replace('direction = "none"', 'direction = "both"'))
    config = load_config(project)
    table = directions_table(read_board_paper(config, Findings()), config)
    assert [r[1].text for r in table.rows] == ["", "", "", "X"]
    toml.write_text(toml.read_text().replace('direction = "both"',
                                             'direction = "council and board"'))
    with pytest.raises(AprError) as exc:
        load_config(project)
    findings = exc.value.findings
    assert [f.code for f in findings] == ["config.bad_choice"]
    assert findings[0].location.column == "board_paper.direction"
    lines = toml.read_text().splitlines()
    assert findings[0].location.row == next(i for i, line in enumerate(lines, start=1)
                                            if line.startswith("direction = "))


def test_without_a_board_paper_section_the_standard_words_are_used(tmp_path):
    from apr.pipeline import build
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output"))
    toml = project / "apr.toml"
    text = toml.read_text()
    toml.write_text(text[:text.index("[board_paper]")])
    result = build(project, 2023, ("html",), board_paper=True)
    body = texts(docx.Document(str(result.outputs[-1])))
    assert body[:3] == ["Strathlinn Integration Joint Board", "Date of meeting: 26 June 2024",
                        "Report title: Annual Performance Report 2023/24"]  # no agenda item
    assert "For decision" in body[:8]
    assert "Report no: to be allocated" in body
    assert any(t.startswith("2.1 Approves the Annual Performance Report 2023/24") for t in body)
    assert "9.1 None." in body


def test_classification_and_agenda_item_come_from_apr_toml(tmp_path):
    from apr.pipeline import build
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    toml = project / "apr.toml"
    toml.write_text(toml.read_text().replace('item = "7"', 'item = "5.2"\nclassification = '
                                             '"Public: for approval"'))
    result = build(project, 2023, ("html",), board_paper=True)
    document = docx.Document(str(result.outputs[-1]))
    block = [p.text for p in document.paragraphs[:len(HEADING_BLOCK)]]
    assert block[2] == "Agenda item: 5.2"
    assert block[-1] == "Public: for approval"
    assert document.paragraphs[len(HEADING_BLOCK)].text == SECTIONS[0]
