"""The board cover paper: sections, the legal background and the directions table in the .docx."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from apr.cli import main
from apr.config import load_config
from apr.document.board_paper import directions_table, read_board_paper
from apr.findings import Findings

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
SECTIONS = ["1.0 Purpose of report", "2.0 Recommendations", "3.0 Financial implications",
            "4.0 Main text", "4.1 Background", "4.2 What the report shows", "4.3 Next steps",
            "5.0 Policy implications", "6.0 Risk assessment", "7.0 Consultations",
            "8.0 Directions", "9.0 Background papers"]


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> docx.document.Document:
    root = tmp_path_factory.mktemp("board")
    project = root / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--year", "2023",
                                       "--format", "html", "--board-paper"])
    assert result.exit_code == 0, result.output
    path = project / "output" / ("strathlinn-health-and-social-care-partnership-board-paper-"
                                 "2023-24.docx")
    assert f"wrote {path}" in result.output or path.name in result.output
    return docx.Document(str(path))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_numbered_sections_in_order(paper):
    headings = [p.text for p in paper.paragraphs if p.style.name.startswith("Heading")]
    assert headings == SECTIONS


def test_header_block_from_apr_toml(paper):
    body = texts(paper)
    assert "Report to: Strathlinn Integration Joint Board, 26 June 2024" in body
    assert "Report on: Annual Performance Report 2023/24" in body
    assert "Report no: SIJB14-2024" in body
    assert paper.core_properties.title == "Annual Performance Report 2023/24"


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
    config.raw["board_paper"]["direction"] = "council and board"
    findings = Findings()
    read_board_paper(config, findings)
    assert [f.code for f in findings] == ["config.bad_choice"]
    assert findings[0].location.column == "board_paper.direction"


def test_without_a_board_paper_section_the_standard_words_are_used(tmp_path):
    from apr.pipeline import build
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output"))
    toml = project / "apr.toml"
    text = toml.read_text()
    toml.write_text(text[:text.index("[board_paper]")])
    result = build(project, 2023, ("html",), board_paper=True)
    body = texts(docx.Document(str(result.outputs[-1])))
    assert "Report no: to be allocated" in body
    assert any(t.startswith("2.1 Approves the Annual Performance Report 2023/24") for t in body)
    assert "9.1 None." in body
