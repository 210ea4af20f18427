"""Placeholders are document nodes (issue 12, point 1): every "To be completed" marker a reader
sees in the Word and HTML report is one placeholder, and the findings name every one of them,
each at a file, row and column, or an apr.toml line and setting, that a person can open.

Five projects are built for real (charts stubbed) and the markers counted in what was written:
the sample, a fresh `apr init`, an init project with one year of data, a lead agency project
and a project with every optional table absent.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from apr import pipeline
from apr.cli import main
from apr.document.nodes import (
    Cell,
    Document,
    DocumentMeta,
    Paragraph,
    Placeholder,
    Run,
    Table,
)
from apr.config import display_path
from apr.document.placeholders import PLACEHOLDER_CODES
from apr.findings import Location
from apr.resources import styles_dir
from apr.writers.docx import render_docx
from apr.writers.html import render_html
from tests.conftest import copy_sample
from tests.report_helpers import MARKER, PNG, docx_texts, edit, html_visible_text, marker_counts

CODES = {"narrative.missing", "placeholder.narrative", "placeholder.setting", "placeholder.data",
         "placeholder.template", "placeholder.text", "finance.missing_reason",
         "placeholder.cited_figure"}
OPTIONAL_TABLES = ("reserves", "savings", "inspections", "significant_decisions",
                   "jmc_recommendations")
SHOWN = re.compile(r"\(shown (\d+) times\)")


def init_project(folder: Path) -> Path:
    """Run `apr init` as a person does and return the new project."""
    target = folder / "anytown"
    done = CliRunner().invoke(main, ["init", str(target), "--name",
                                     "Anytown Health and Social Care Partnership"])
    assert done.exit_code == 0, done.output
    return target


def keep_rows(path: Path, keep) -> None:
    """Rewrite a CSV keeping the header and the rows for which ``keep(row)`` is true."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if keep(dict(zip(rows[0], r)))])


def sample(folder: Path) -> Path:
    return copy_sample(folder / "sample")


def one_year(folder: Path) -> Path:
    """An init project whose data tables hold the reporting year 2023/24 only."""
    project = init_project(folder)
    for name, column in (("finance", "year"), ("indicators", "period"), ("localities", "year"),
                         ("reserves", "year"), ("savings", "year")):
        keep_rows(project / "data" / f"{name}.csv", lambda r, c=column: r[c] == "2023/24")
    return project


def lead_agency(folder: Path) -> Path:
    """The sample as a lead agency partnership (as tests/test_lead_agency.py makes one), with a
    recommendation of the joint monitoring committee whose response is still to be written."""
    project = sample(folder)
    edit(project / "apr.toml", 'model = "ijb"', 'model = "lead_agency"\nlead = "health_board"')
    (project / "data" / "jmc_recommendations.csv").write_text(
        "date,recommendation,response\n"
        "2023-09-20,Report delayed discharges by locality every quarter,"
        "A locality breakdown was added to the quarterly performance report from December 2023\n"
        "2024-01-17,Publish waiting times for care at home,"
        "To be completed: our response to the committee\n", encoding="utf-8")
    return project


def optional_absent(folder: Path) -> Path:
    """The sample without any of the optional tables."""
    project = sample(folder)
    for name in OPTIONAL_TABLES:
        (project / "data" / f"{name}.csv").unlink(missing_ok=True)
    assert not any((project / "data" / f"{name}.csv").exists() for name in OPTIONAL_TABLES)
    return project


PROJECTS = {"sample": sample, "init": init_project, "one_year": one_year,
            "lead_agency": lead_agency, "optional_absent": optional_absent}


class Built:
    def __init__(self, name: str, project: Path, result) -> None:
        self.name, self.project, self.result = name, project, result
        self.paths = {p.suffix: p for p in result.outputs}

    @property
    def placeholder_findings(self) -> list:
        return [f for f in self.result.findings if f.code in CODES]


@pytest.fixture(scope="module", params=list(PROJECTS))
def built(request, tmp_path_factory) -> Built:
    """Each project built once for this module, to Word and HTML, with charts stubbed."""
    name = request.param
    project = PROJECTS[name](tmp_path_factory.mktemp(name))
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_chart", lambda spec: PNG)
    try:
        yield Built(name, project, pipeline.build(project, 2023, ("docx", "html")))
    finally:
        mp.undo()


def shown(finding) -> int:
    """How many markers a finding names: 1, or N when it says "(shown N times)"."""
    m = SHOWN.search(finding.message)
    return int(m.group(1)) if m else 1


def test_the_codes_counted_are_the_placeholder_codes():
    assert PLACEHOLDER_CODES == CODES


def test_visible_markers_equal_the_findings_that_name_them(built):
    counts = marker_counts(built.paths.values())
    named = sum(shown(f) for f in built.placeholder_findings)
    assert counts == {"html": named, "docx": named}, [str(f) for f in built.placeholder_findings]
    assert len(built.result.document.placeholders()) == named
    if built.name == "sample":
        assert named == 0
    else:
        assert named >= 1


def test_every_distinct_placeholder_is_one_finding(built):
    keys = [(f.code, f.message, f.location) for f in built.placeholder_findings]
    assert len(keys) == len(set(keys))
    distinct = {p.key for p in built.result.document.placeholders()}
    assert len(built.placeholder_findings) == len(distinct)


def test_every_marker_is_traced_to_where_it_came_from(built):
    assert not [str(f) for f in built.result.findings if f.code == "placeholder.text"]


def test_no_finding_is_located_at_an_internal_name(built):
    for f in built.result.findings:
        assert f.location.file, str(f)
        assert str(f.location) != "the project" and not str(f.location).startswith("#"), str(f)


def _csv_row(path: Path, row: int) -> dict[str, str]:
    """Return the spreadsheet row ROW (1-based, the header is row 1) of a CSV file as a dict."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return dict(zip(rows[0], rows[row - 1]))


def test_each_placeholder_finding_names_a_file_and_where_in_it(built):
    project = built.project.resolve()
    for f in built.placeholder_findings + [f for f in built.result.findings
                                           if f.code == "data.example_row"]:
        where = f.location
        path = Path(where.file)
        assert where.file and path.resolve().is_relative_to(project), str(f)
        if f.code == "narrative.missing":
            # the file to write: inside content/, not there yet (or empty)
            assert path.suffix == ".md" and "content" in path.parts, str(f)
            assert not path.exists() or not path.read_text(encoding="utf-8").strip(), str(f)
            assert f.message.endswith("; write it in this file (Markdown)"), str(f)
            continue
        if f.code == "placeholder.template" and not path.exists():
            # a data table to add
            assert path.parent.name == "data" and path.suffix == ".csv", str(f)
            assert f.message.endswith("; add it in this file"), str(f)
            continue
        assert path.is_file(), str(f)
        lines = path.read_text(encoding="utf-8").split("\n")
        if path.name == "apr.toml":
            assert where.column, f"no setting: {f}"
            last = where.column.rsplit(".", 1)[-1]
            if f.code == "placeholder.setting":
                assert where.row and MARKER in lines[where.row - 1], str(f)
            elif where.row is None:   # a setting still to add: it is not in the file yet
                assert f"{last} =" not in path.read_text(encoding="utf-8"), str(f)
                assert f"[{where.column}]" not in path.read_text(encoding="utf-8"), str(f)
            else:
                assert last in lines[where.row - 1], str(f)
        elif path.suffix == ".md":
            assert f.code == "placeholder.narrative" and where.row, str(f)
            assert MARKER in lines[where.row - 1], str(f)
        else:
            assert path.suffix == ".csv" and where.row and where.row >= 2, str(f)
            values = _csv_row(path, where.row)
            if f.code == "placeholder.data":
                assert values[where.column].startswith(MARKER + ":"), str(f)
            elif f.code == "finance.missing_reason":
                assert where.column == "reason" and not values["reason"].strip(), str(f)
            else:
                assert f.code == "data.example_row" and where.column is None, str(f)


# --- what each project shows, word for word --------------------------------------------------


def _messages(built: Built, code: str) -> list[str]:
    return [f"{f.location}: {f.message}" for f in built.result.findings if f.code == code]


@pytest.mark.parametrize("built", ["init"], indirect=True)
def test_init_project_findings_word_for_word(built):
    toml = display_path(built.project / "apr.toml")   # as apr shows paths
    settings = _messages(built, "placeholder.setting")
    assert settings == [
        f"{toml}:35: setting 'localities.summary': to be completed: one sentence describing the "
        "locality; replace this text in apr.toml",
        f"{toml}:39: setting 'localities.summary': to be completed: one sentence describing the "
        "locality; replace this text in apr.toml",
        f"{toml}:44: setting 'strategic_plan.priorities': to be completed: first priority; "
        "replace this text in apr.toml",
        f"{toml}:44: setting 'strategic_plan.priorities': to be completed: second priority; "
        "replace this text in apr.toml",
    ]
    templates = _messages(built, "placeholder.template")
    assert f"{toml}: setting 'best_value.audit_opinion': to be completed: the external " \
        "auditor's opinion on the annual accounts (audit_opinion and auditor); set it in " \
        "apr.toml" in templates
    assert f"{toml}:55: setting 'finance.service_lines': to be completed: the spending that " \
        "contributes to outcome 3 (the service lines that serve it); set it in apr.toml" \
        in templates
    data = str(Path(toml).parent / "data")
    assert sorted(_messages(built, "placeholder.data")) == [
        f"{data}/finance.csv:8: column 'reason': to be completed: reason for the underspend; "
        "replace this text in the data with your own",
        f"{data}/finance.csv:9: column 'reason': to be completed: reason for the overspend; "
        "replace this text in the data with your own",
        f"{data}/inspections.csv:2: column 'findings': to be completed: the inspection's main "
        "findings; replace this text in the data with your own",
        f"{data}/inspections.csv:2: column 'response': to be completed: what the partnership did "
        "in response; replace this text in the data with your own",
        f"{data}/reserves.csv:2: column 'description': to be completed: what the reserve is for; "
        "replace this text in the data with your own",
        f"{data}/savings.csv:2: column 'programme': to be completed: savings programme (shown 2 "
        "times); replace this text in the data with your own",
    ]
    content = str(Path(toml).parent / "content")
    assert _messages(built, "placeholder.narrative") == [
        f"{content}/foreword.md:1: to be completed: a foreword from the Chair and the Chief "
        "Officer, introducing the year; replace this text in the file with your own"]
    missing = _messages(built, "narrative.missing")
    assert f"{content}/finance.md: to be completed: the chief finance officer's commentary on " \
        "the year; write it in this file (Markdown)" in missing
    # one finding per missing narrative file, however many requirements it fails
    files = [f.location.file for f in built.result.findings if f.code == "narrative.missing"]
    assert len(files) == len(set(files)) == 18


@pytest.mark.parametrize("built", ["lead_agency"], indirect=True)
def test_lead_agency_response_to_complete_is_located(built):
    assert [(f.location.row, f.location.column, f.message) for f in built.placeholder_findings] \
        == [(3, "response", "to be completed: our response to the committee; replace this text "
             "in the data with your own")]
    assert built.placeholder_findings[0].location.file.endswith("data/jmc_recommendations.csv")


@pytest.mark.parametrize("built", ["optional_absent"], indirect=True)
def test_absent_optional_tables_are_named_as_files_to_add(built):
    assert sorted((Path(f.location.file).name, f.message) for f in built.placeholder_findings) \
        == [("inspections.csv", "to be completed: the inspection reports on services published "
             "in 2023/24, or the table with only its header row if there were none; add it in "
             "this file"),
            ("reserves.csv", "to be completed: the partnership's reserves at the start and end of "
             "2023/24; add it in this file"),
            ("savings.csv", "to be completed: the savings planned and achieved in 2023/24; add "
             "it in this file"),
            ("significant_decisions.csv", "to be completed: the significant decisions taken in "
             "2023/24 and the reason for each, or the table with only its header row if there "
             "were none; add it in this file")]


# --- the node in both writers ----------------------------------------------------------------

REASON = Placeholder("the reason for the overspend on Care homes",
                     Location("data/finance.csv", 9, "reason"), code="finance.missing_reason")
SUMMARY = Placeholder("one sentence describing the locality",
                      Location("apr.toml", 34, "localities.summary"), code="placeholder.setting")
BLOCK = Placeholder("the chief finance officer's commentary",
                    Location("content/finance.md"), code="narrative.missing")


def _document() -> Document:
    meta = DocumentMeta(title="Annual Performance Report 2023/24", subtitle="Test",
                        author="Planning team", subject="Annual performance report",
                        organisation="Anytown HSCP", date_label="June 2024")
    return Document(meta, [
        Paragraph([Run("North is "), Run("", placeholder=SUMMARY), Run(" Next sentence.")]),
        Table("finance.lines", "Budget and outturn", ["Service line", "Variance", "Reason"],
              [[Cell("Care homes", header=True), Cell("(400)", "right"),
                Cell("", placeholder=REASON)],
               [Cell("Care at home", header=True), Cell("50", "right"), Cell("Fewer hours")]]),
        BLOCK,
    ])


def test_document_lists_its_placeholders_in_reading_order():
    assert _document().placeholders() == [SUMMARY, REASON, BLOCK]


def test_html_writer_marks_placeholders_in_runs_and_cells():
    page = lxml_html.fromstring(render_html(_document()))
    marks = page.xpath("//mark[@class='todo']")
    assert [m.text_content() for m in marks] == [
        "To be completed: one sentence describing the locality",
        "To be completed: the reason for the overspend on Care homes"]
    assert all(m.find("strong").text == "To be completed:" for m in marks)
    sentence = marks[0].getparent()
    assert sentence.tag == "p" and re.sub(r"\s+", " ", sentence.text_content()) == \
        "North is To be completed: one sentence describing the locality Next sentence."
    assert marks[1].getparent().tag == "td"
    rows = [[c.text_content() for c in tr] for tr in page.iter("tr")]
    assert rows[1] == ["Care homes", "(400)",
                       "To be completed: the reason for the overspend on Care homes"]
    block = page.xpath("//p[@class='todo']")
    assert [b.text_content() for b in block] == [
        "To be completed: the chief finance officer's commentary"]
    body = page.find("body")
    assert body.text_content().count(MARKER) == 3


def test_docx_writer_marks_placeholders_in_runs_and_cells(tmp_path):
    path = tmp_path / "doc.docx"
    path.write_bytes(render_docx(_document(), styles_dir() / "reference.docx"))
    word = docx.Document(str(path))
    texts = docx_texts(path)
    assert sum(t.count(MARKER) for t in texts) == 3
    assert "North is To be completed: one sentence describing the locality Next sentence." \
        in texts
    table = word.tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "Care homes", "(400)", "To be completed: the reason for the overspend on Care homes"]
    assert [c.text for c in table.rows[2].cells][2] == "Fewer hours"
    # the marker in a sentence and in a cell is highlighted, and so only the marker
    sentence = next(p for p in word.paragraphs if p.text.startswith("North is"))
    highlighted = "".join(r.text for r in sentence.runs if r.font.highlight_color is not None)
    assert highlighted == "To be completed: one sentence describing the locality"
    cell = table.rows[1].cells[2].paragraphs[0]
    assert all(r.font.highlight_color is not None for r in cell.runs) and cell.runs
    assert cell.runs[0].bold and cell.runs[0].text == "To be completed: "
    block = next(p for p in word.paragraphs if "commentary" in p.text)
    assert block.text == "To be completed: the chief finance officer's commentary"
    assert block.style.name == "To Be Completed"


@pytest.mark.parametrize("built", ["optional_absent"], indirect=True)
def test_an_absent_table_is_not_reported_as_none(built):
    text = re.sub(r"\s+", " ", html_visible_text(built.paths[".html"]))
    assert "No inspection reports on services" not in text
    assert "took no significant decisions" not in text
