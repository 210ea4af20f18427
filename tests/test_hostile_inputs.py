"""Hostile data, names and years (issue 13, part 4): exit 0 with a safe report, or exit 1 with
a located message; never a traceback, never a file left behind.

- Every column of every data table is walked through wrong types and extreme values, in a row
  of the reporting year (so an accepted value reaches the templates, the Word writer and the
  HTML writer). Each build must either write both files or stop with findings that each name
  a file; any other exception fails the test.
- Names with characters special to Markdown, XML, LaTeX, Jinja and apr's own markup appear
  literally in the report; very long names and names with control characters are refused
  with a message naming the apr.toml setting.
- ``--year`` out of range or not a year is a located message and exit 1.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from apr import pipeline
from apr.findings import AprError
from apr.sources import SCHEMAS
from tests.conftest import copy_sample
from tests.report_helpers import unwrap

REPO = Path(__file__).resolve().parents[1]
COMMON = ["", " ", "abc", "=HYPERLINK(\"http://x\",\"y\")", "<script>alert(1)</script>",
          "**bold** [link](http://x)", "{{ 7*7 }}{% if %}", "<<pagebreak>>", "::: box",
          "x" * 20_000, "Vertical\x0btab", "\u202eRTL", "a\nb", "−5", "١٢٣", "½"]
NUMBERS = ["1e308", "-1e308", "1e999", "nan", "inf", "-inf", "-0", "0", "0.0000001",
           "99999999999999999999999", "-99999999999999999999999", "(1,234)", "12%", "£1,2,3",
           "1.2.3", "c", "*", "0x10", "TRUE", "2023/24", "45123"]
DATES = ["2023-13-45", "31/02/2024", "9999-12-31", "0001-01-01", "2023-06-14T10:00",
         "45123", "1e9", "14 June 2023", "2024-02-29"]
YEARS = ["1900/01", "2999/00", "2023/25", "2023", "23/24", "2023-24", "20233/24", "0/1"]
EXTRA = {"number": NUMBERS, "amount": NUMBERS, "int": NUMBERS + ["1000000000", "-1"],
         "grade": NUMBERS + ["7", "6.5", "1", "-1"], "date": DATES, "year": YEARS,
         "period": YEARS + ["2023 Q1", "2023/24 provisional"], "yesno": ["maybe", "Y", "0"],
         "text": []}


def _current(table: str, row: dict) -> bool:
    """True for a row of the 2023/24 reporting year (it reaches the report)."""
    for col in ("year", "period"):
        if col in row:
            return row[col] == "2023/24"
    return any(row.get(col, "").startswith(("2023-", "2024-0", "2024-03")) for col in ("date",))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("hostile-inputs") / "project")


def _cases():
    for table, columns in SCHEMAS.items():
        if not (REPO / "sample_inputs" / "data" / f"{table}.csv").exists():
            continue
        for col in columns:
            yield pytest.param(table, col.name, col.kind, id=f"{table}.{col.name}")


def _build_with(project: Path, monkeypatch, table: str, column: str, value: str,
                formats: tuple[str, ...] = ("html", "docx")) -> None:
    """Build with ``value`` in ``column`` of the first 2023/24 row; assert the outcome is a
    report or located findings, and nothing is left behind."""
    path = project / "data" / f"{table}.csv"
    original = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(original.decode("utf-8"))))
    fields = list(rows[0])
    if column not in fields:
        fields.append(column)
    # a table without a 2023/24 row (hosted services, coming years' funding gap, last year's
    # benchmarking figures) reaches the report through its first row
    target = next((r for r in rows if _current(table, r)), rows[0])
    target[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        result = pipeline.build(project, 2023, formats)
    except AprError as exc:
        assert exc.findings and all(f.location.file for f in exc.findings
                                    if f.severity == "error"), (value[:40], exc.findings)
        assert all(len(line) < 2000 for f in exc.findings for line in str(f).splitlines())
    else:
        assert len(result.outputs) == len(formats) and all(p.stat().st_size
                                                           for p in result.outputs)
        page = result.outputs[0].read_text(encoding="utf-8")
        assert "<script>alert" not in page, "text from the data became HTML"
        assert '<a href="http://x"' not in page, "text from the data became a link"
    finally:
        path.write_bytes(original)
        assert not list((project / "output").glob("*.part")) if (project / "output").exists() \
            else True


@pytest.mark.parametrize("table, column, kind", list(_cases()))
def test_every_column_through_wrong_types_and_extremes(project, monkeypatch, table, column,
                                                       kind):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    for value in COMMON:                    # text: written into Word's XML as well
        _build_with(project, monkeypatch, table, column, value)
    for value in EXTRA.get(kind, []):       # numbers, dates, years: the HTML is enough
        _build_with(project, monkeypatch, table, column, value, ("html",))


# --- names -------------------------------------------------------------------------------

SPECIAL = {
    "xml": 'Tom & Jerry <b>"q"</b> \'a\' ]]> <!--',
    "markdown": "**Bold** _it_ [link](http://x) | pipe | `code` # not a heading",
    "latex": r"\textbf{x} $m$ 50% ~ ^ {braces} \\",
    "jinja": "{{ 7*7 }} {% raw %}",
    "apr markup": "<<pagebreak>> ::: case-study",
    "dollars": r"Cost $\undefinedcommand$ here",
}


def _set_locality(project: Path, name: str) -> None:
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    toml.write_text(text.replace('"Linnhaven Coast"', f'"{quoted}"'), encoding="utf-8")
    for path in (project / "data").glob("*.csv"):
        data = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(data)))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(
            [[name if c == "Linnhaven Coast" else c for c in r] for r in rows])
        path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_locality_name_with_special_characters_shows_as_typed(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    project = copy_sample(tmp_path / "project")
    name = SPECIAL[kind]
    _set_locality(project, name)
    result = pipeline.build(project, 2023, ("html", "docx"))
    page = lxml_html.fromstring(result.outputs[0].read_bytes())
    text = re.sub(r"\s+", " ", page.text_content())
    assert name in text, "the name must appear exactly as typed"
    assert not page.xpath('//a[@href="http://x"]') and not page.xpath("//b")
    import docx
    word = docx.Document(str(result.outputs[1]))
    assert any(name in p.text for p in word.paragraphs) or any(
        name in c.text for t in word.tables for r in t.rows for c in r.cells)


def test_a_chart_label_with_dollars_or_a_huge_name_is_drawn(tmp_path):
    """Real matplotlib: a name with $...$ is not read as a formula; a long one is shortened
    on the chart (the data table keeps it whole)."""
    from apr.charts import ChartSpec, Series
    from apr.charts.batch import draw_all
    specs = [ChartSpec("bar", "Spend by locality", [SPECIAL["dollars"], "Glen " * 200],
                       [Series("Spend " * 50, [1.0, 2.0])], unit="£m", extra={"rotate": True})]
    png = draw_all(specs, None)[0]
    assert png.startswith(b"\x89PNG")


def _apr(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apr.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("setting, value, message", [
    ("name", "Glen " * 400, "'partnership.name' is 2,000 characters long; it must be at most "
     "150 (a name or title, one line) [config.too_long]"),
    ("name", "Strathlinn\\u000bPartnership", "'partnership.name' contains the control "
     "character \\x0b; a backslash in \"quotes\" makes one: write paths with /, or in 'single "
     "quotes' [config.control_character]"),
    ("name", "Glen " * 24, "the name 'Glen Glen Glen Glen Glen Glen Glen Glen ...' is 120 "
     "characters long; apr takes names of up to 100 (it is printed on the cover, in headings "
     "and on charts); use the name as it is normally written [names.too_long]"),
])
def test_bad_partnership_names_are_located_messages(tmp_path, setting, value, message):
    """One finding per bad name: apr.toml's schema refuses control characters and text no
    name could be (over 150 characters) at its line; a name over 100 characters is refused
    once the settings are read."""
    project = copy_sample(tmp_path / "project")
    toml = project / "apr.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "Strathlinn Health and Social Care Partnership"', f'{setting} = "{value}"', 1),
        encoding="utf-8")
    done = _apr("build", "--project", "project", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in unwrap(done.stderr).splitlines() if ": error: " in line]
    assert len(errors) == 1, errors
    assert errors[0] == f"project/apr.toml:14: setting 'partnership.{setting}': error: {message}"
    assert not (project / "output").exists()


def test_a_very_long_locality_name_is_refused(tmp_path):
    project = copy_sample(tmp_path / "project")
    _set_locality(project, "Glen " * 100)
    done = _apr("build", "--project", "project", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "setting 'localities.name': error: 'localities.name' is 500 characters long" in \
        unwrap(done.stderr)
    assert "[config.too_long]" in done.stderr


# --- --year --------------------------------------------------------------------------------

@pytest.mark.parametrize("year, found", [
    ("20233", "expected a reporting year from 2015 (2015/16, the first year of integration) to "
              "2100, found 20233; for 2023/24 write --year 2023"),
    ("1999", "expected a reporting year from 2015 (2015/16, the first year of integration) to "
             "2100, found 1999; for 2023/24 write --year 2023"),
    ("-1", "expected a reporting year from 2015 (2015/16, the first year of integration) to "
           "2100, found -1; for 2023/24 write --year 2023"),
    ("twenty", "expected the reporting year by the calendar year it starts in, such as 2023 "
               "for 2023/24, found 'twenty'"),
    ("9" * 40, "expected the reporting year by the calendar year it starts in, such as 2023 "
               f"for 2023/24, found '{'9' * 40}'"),
])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_year_that_cannot_be_right_is_a_located_message(tmp_path, year, found, command):
    copy_sample(tmp_path / "project")
    done = _apr(command, "--project", "project", "--year", year, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (f"--year: error: {found} [cli.bad_year]\n"
                           "apr: stopped with 1 error; nothing was written.\n")


def test_a_year_outside_the_data_is_a_located_message(tmp_path):
    copy_sample(tmp_path / "project")
    done = _apr("build", "--project", "project", "--year", "2030", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "the finance table has no rows for 2030/31" in done.stderr


def test_the_year_may_be_written_as_the_financial_year(tmp_path):
    """2023/24 is how a finance officer writes it: accepted as 2023."""
    copy_sample(tmp_path / "project")
    done = _apr("check", "--project", "project", "--year", "2023/24", cwd=tmp_path)
    assert "Traceback" not in done.stderr
    assert "Annual performance report 2023/24: publish by 31 July 2024" in done.stdout


def test_suppression_marks_only_in_indicators_and_no_absurd_amounts(project, monkeypatch):
    """'c' is a suppressed indicator value (accepted), but not a population; 1e308 is no
    budget (it overflowed sums and rounding before it was refused)."""
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    _build_with(project, monkeypatch, "indicators", "value", "c", ("html",))
    for table, column, value, found in [
            ("localities", "population", "c", "a suppression mark ('c' or '*'); only indicator "
             "values may be suppressed"),
            ("finance", "budget", "1e308", "1e+308, which is larger than any real figure (over "
             "1,000,000,000,000)")]:
        path = project / "data" / f"{table}.csv"
        original = path.read_bytes()
        rows = list(csv.DictReader(io.StringIO(original.decode("utf-8"))))
        next(r for r in rows if _current(table, r))[column] = value
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            with pytest.raises(AprError) as exc:
                pipeline.build(project, 2023, ("html",))
        finally:
            path.write_bytes(original)
        messages = [f.message for f in exc.value.findings if f.location.column == column]
        assert any(m.endswith(f"in '{column}', found {found}") for m in messages), messages
