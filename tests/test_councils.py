"""A partnership with more than one constituent council (issue 17, item 6): Clackmannanshire and
Stirling has two councils and NHS Forth Valley. `council` takes a list; every council receives the
report (s.42(5)(a)) and appears in the board paper's directions table, read from the real .docx.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from apr.analysis import recipients
from apr.catalogue import find_partnership
from apr.cli import main
from apr.config import load_config
from apr.findings import AprError
from tests.report_helpers import html_visible_text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
TWO = 'council = ["Clackmannanshire Council", "Stirling Council"]'
PAPER = "strathlinn-health-and-social-care-partnership-board-paper-2023-24.docx"
REPORT = "strathlinn-health-and-social-care-partnership-apr-2023-24.html"


def _project(tmp_path: Path, council_line: str) -> Path:
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output"))
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'council = "Strathlinn Council"' in text
    text = text.replace('council = "Strathlinn Council"', council_line)
    toml.write_text(text.replace('health_board = "NHS Linnshire"',
                                 'health_board = "NHS Forth Valley"'), encoding="utf-8")
    return project


def test_the_catalogue_names_both_councils_of_clackmannanshire_and_stirling():
    assert find_partnership("S37000005").councils == ("Clackmannanshire Council",
                                                       "Stirling Council")
    assert find_partnership("Fife").councils == ()


def test_a_list_of_councils_each_receives_the_report(tmp_path):
    config = load_config(_project(tmp_path, TWO))
    assert config.councils == ["Clackmannanshire Council", "Stirling Council"]
    assert config.council == "Clackmannanshire Council and Stirling Council"
    assert recipients(config) == ["NHS Forth Valley", "Clackmannanshire Council",
                                  "Stirling Council"]


def test_the_single_council_form_still_works(tmp_path):
    config = load_config(_project(tmp_path, 'council = "Stirling Council"'))
    assert config.councils == ["Stirling Council"] and config.council == "Stirling Council"
    assert recipients(config) == ["NHS Forth Valley", "Stirling Council"]


def test_a_council_that_is_neither_text_nor_a_list_of_text(tmp_path):
    project = _project(tmp_path, "council = 12")
    with pytest.raises(AprError) as exc:
        load_config(project)
    [finding] = exc.value.findings
    assert finding.code == "config.wrong_type"
    assert finding.message == ("'partnership.council' must be text in quotes, or a list of text "
                               "in [ ], found 12; write it as e.g. council = \"Strathlinn "
                               "Council\"")


def test_board_paper_and_report_name_every_constituent_authority(tmp_path):
    project = _project(tmp_path, TWO)
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--year", "2023",
                                       "--format", "html", "--board-paper"])
    assert result.exit_code == 0, result.output
    paper = docx.Document(str(project / "output" / PAPER))
    table = paper.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [r[0] for r in rows[1:]] == [
        "1. No direction required", "2. Clackmannanshire Council and Stirling Council",
        "3. NHS Forth Valley", "4. Clackmannanshire Council, Stirling Council and NHS Forth Valley"]
    paragraphs = [p.text for p in paper.paragraphs]
    assert ("Direction required to Clackmannanshire Council and Stirling Council, NHS Forth "
            "Valley or all of them") in " ".join(paragraphs)
    copy = ("A copy must be given to NHS Forth Valley, Clackmannanshire Council and Stirling "
            "Council.")
    assert any(copy in p for p in paragraphs)
    report = " ".join(html_visible_text(project / "output" / REPORT).split())
    assert ("a copy given to NHS Forth Valley, Clackmannanshire Council and Stirling Council."
            in report)
    assert "delegated to it by Clackmannanshire Council, Stirling Council and NHS Forth Valley" \
        in report
