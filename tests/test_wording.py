"""Sentences a person would write (issue 14, parts 3, 4, 6 and 11): every scenario report, its
public summary and its board paper are built, reopened (python-docx, tables included; the HTML
parsed) and read line by line for the patterns of machine-made text: a sentence or numbered
paragraph opening with a numeral, "0" as a count, "1 of the 1", a plural after 1, "from X to
X", a phrase that repeats itself, "[to be confirmed]", apr's own commands, files and settings
outside "To be completed" markers, chart data captioned "Data for the chart", alt text over 250
characters or with doubled units."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from apr import pipeline
from apr.scaffold import create_project
from tests.conftest import copy_sample
from tests.report_helpers import PNG, edit, rewrite_csv
from tests.rendered_text import docx_lines, html_lines
from tests.scenarios import copy_root

MAX_ALT = 250
SINGULAR_S = {"was", "is", "has", "does", "class", "process", "status", "analysis", "business",
              "bus", "focus", "plus", "across", "less", "this", "its", "us", "as"}
APR_WORDS = re.compile(r"\bapr (check|build|init)\b|apr\.toml|\.csv\b|\.xlsx\b|content/"
                       r"|service line mapping|\[to be confirmed\]|Present; to be read",
                       re.IGNORECASE)


# --- the patterns ------------------------------------------------------------------------------

def sentences(line: str) -> list[str]:
    """Return the sentences of a line of prose, without a leading paragraph number (4.2.1)."""
    line = re.sub(r"^\d+(\.\d+)+\s+", "", line)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=\S)", line) if s]


def prose_problems(line: str) -> list[str]:
    """Return what is wrong with one line of prose (not a table row, not alt text)."""
    found = []
    for s in sentences(line):
        if re.match(r"[\d]", s) and not re.match(r"\d{4}/\d\d\b", s):
            found.append("sentence opens with a numeral")
    if re.search(r"(?<![\w.,£$/-])0(?![\w.,%/])", line):
        found.append("0 as a count (write 'no')")
    if re.search(r"\b(\d+) of (the )?\1\b", line):
        found.append("'N of the N' (write 'all' or 'the only')")
    for word in re.findall(r"(?<![\d.,£])\b1 ([a-z]+s)\b", line):
        if word not in SINGULAR_S:
            found.append(f"plural after 1: '1 {word}'")
    if re.search(r"\beach of (the )?\d", line):
        found.append("'each of N' (write 'each of the N' or name them)")
    if re.search(r"\bfrom (£?[\d.,]+[%m]?k?) to \1(?![\d]|[.,]\d)", line):
        found.append("'from X to X' (write 'was unchanged at X')")
    if re.search(r"(\d{4} to \d{4}) covers \1", line):
        found.append("repeats itself ('covers' the years of its own name)")
    return found


def line_problems(line: str) -> list[str]:
    """Return what is wrong with one line of rendered text."""
    found = []
    if re.search(r"Data for (the|this) chart(?!s)", line):
        found.append("chart data not named after its chart")
    if line.startswith("alt: "):
        alt = line[5:]
        if len(alt) > MAX_ALT:
            found.append(f"alt text of {len(alt)} characters")
        if re.search(r"\([^()]*\) \([^()]*\)", alt):
            found.append("alt text with two units side by side")
    elif line.startswith("fact: "):     # a key fact opens with its figure ("1 of 1"), by design
        found.extend(p for p in prose_problems(line[6:])
                     if "opens with a numeral" not in p and "N of the N" not in p)
    elif not line.startswith(("| ", "table: ", "title: ")):
        found.extend(prose_problems(line))
    if APR_WORDS.search(line) and "To be completed" not in line:
        found.append("apr's own words in a published document")
    return found


def problems(lines: list[str]) -> list[str]:
    """Return one entry per problem found, with the line it is on."""
    return [f"{why}: {line[:200]}" for line in lines for why in line_problems(line)]


# --- the patterns themselves, so that a test that cannot fail is noticed -----------------------

@pytest.mark.parametrize("bad", [
    "8 inspection reports were published.", "4.2.1 2 of the core indicators were better.",
    "Of the indicators, 2 were better than Scotland, 0 worse and 3 similar.",
    "The board made 0 significant decisions.", "Then 1 of the 1 graded services was good.",
    "Savings came from each of 1 programmes.", "The share went from 38.6% to 38.6%.",
    "Strathlinn Strategic Plan 2022 to 2025 covers 2022 to 2025.",
    "Data for Figure 3: Data for the chart: spend", "Source: apr check, against s.42",
    "Units: £000. Source: Annual accounts; service line mapping in apr.toml",
    "A service (SSI 2014/326, regulation 5 [to be confirmed])", "alt: " + "x" * 251,
    "alt: Line chart of rate (per 100,000 population) (per 100,000 adults) for Strathlinn."])
def test_each_pattern_is_caught(bad):
    assert problems([bad])


@pytest.mark.parametrize("good", [
    "Of the 11 indicators, 2 were better than Scotland, none worse.", "2023/24 at a glance",
    "4.2.1 Of the core integration indicators, two compared better.", "NI-1 fell to 0.6%.",
    "The board made no significant decisions.", "It made 1 requirement and 2 recommendations.",
    "The share was unchanged at 38.6%.", "| 2023/24 | 0 | 1",
    "To be completed: the date of the meeting ([report] board_date in apr.toml)",
    "Data for Figure 3: emergency bed days"])
def test_good_text_passes(good):
    assert problems([good]) == []


# --- the scenarios --------------------------------------------------------------------------------

def outputs(project: Path) -> dict[str, list[str]]:
    """Build the report (Word and HTML) with its board paper, then the summary, and return the
    rendered lines of each file by name."""
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_chart", lambda spec: PNG)
    try:
        report = pipeline.build(project, 2023, ("docx", "html"), board_paper=True)
        summary = pipeline.build(project, 2023, ("docx", "html"), summary=True)
    finally:
        mp.undo()
    lines = {}
    for kind, result in (("report", report), ("summary", summary)):
        for path in result.outputs:
            name = "board-paper" if "board-paper" in path.name else kind
            read = docx_lines if path.suffix == ".docx" else html_lines
            lines[f"{name}{path.suffix}"] = read(path)
    return lines


def sample(folder: Path) -> Path:
    return copy_sample(folder / "sample")


def fresh(folder: Path) -> Path:
    create_project(folder / "anytown", "Anytown Health and Social Care Partnership")
    return folder / "anytown"


def highland(folder: Path) -> Path:
    create_project(folder / "highland", "Highland Health and Social Care Partnership")
    return folder / "highland"


def one_year(folder: Path) -> Path:
    """The sample with nothing before 2023/24: no trend, no earlier year to compare."""
    project = sample(folder)
    edit(project / "apr.toml", "first_year = 2016", "first_year = 2023")
    for name in ("finance", "indicators", "reserves", "savings"):
        rewrite_csv(project / "data" / f"{name}.csv", _only_2023)
    return project


def _only_2023(row: dict) -> dict | None:
    period = row.get("year") or row.get("period") or ""
    return row if not period or period.startswith("2023") else None


def singles(folder: Path) -> Path:
    """One inspection (with no requirements or recommendations), one savings programme, no
    significant decisions."""
    project = sample(folder)
    data = project / "data"
    first = {"done": False}

    def one(row: dict) -> dict | None:
        if first["done"]:
            return None
        first["done"] = True
        return {**row, "requirements": "0", "recommendations": "0"} if "requirements" in row \
            else row
    rewrite_csv(data / "inspections.csv", one)
    first["done"] = False
    rewrite_csv(data / "savings.csv", one)
    rewrite_csv(data / "significant_decisions.csv", lambda row: None)
    return project


def minimal(folder: Path) -> Path:
    """The fewest inputs apr builds from: one indicator, two years, nothing optional."""
    return copy_root("minimal", folder)


def millions(folder: Path) -> Path:
    """A small project whose amounts are in £m."""
    return copy_root("finance-in-millions", folder)


SCENARIOS = {"sample": sample, "fresh": fresh, "highland": highland, "one-year": one_year,
             "singles": singles, "minimal": minimal, "millions": millions}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def built(request, tmp_path_factory) -> tuple[str, dict[str, list[str]]]:
    name = request.param
    return name, outputs(SCENARIOS[name](tmp_path_factory.mktemp(name)))


def test_every_output_reads_as_a_person_wrote_it(built):
    name, files = built
    assert set(files) == {"report.docx", "report.html", "summary.docx", "summary.html",
                          "board-paper.docx"}
    found = [f"{file}: {p}" for file, lines in files.items() for p in problems(lines)]
    assert not found, f"{name}: {len(found)} problems\n" + "\n".join(found)


def test_verdicts_stay_out_of_the_public_report(built):
    """apr's verdicts on the regulations (met, missing, to be read) are for `apr check` and the
    board paper, not the public report or summary."""
    name, files = built
    for file in ("report.docx", "report.html", "summary.docx", "summary.html"):
        text = "\n".join(files[file])
        assert "Where in this report | Status" not in text, (name, file)
        assert not re.search(r"\| (Met|Missing|Present; to be read)$", text, re.M), (name, file)


def test_chart_data_is_named_after_its_chart(built):
    name, files = built
    word = [line for line in files["report.docx"] if line.startswith("Data for Figure")]
    html = [line for line in files["report.html"] if line.startswith("Data for ")]
    assert word and html, name
    for lines in (word, html):
        assert len(set(lines)) == len(lines), f"{name}: the same label twice: {lines}"


def test_titles_name_the_partnership(built):
    """The title a file is known by names the partnership, then the report and its year, in
    every scenario (the sample's, word for word)."""
    name, files = built
    title = re.compile(r"title: (DRAFT: )?(?P<who>[^:]+): Annual Performance Report 2023/24")
    for page in ("report.html", "summary.html"):
        found = title.match(files[page][0])
        assert found and "Partnership" in found["who"], (name, files[page][0])
    if name == "sample":
        expected = ("Strathlinn Health and Social Care Partnership: Annual Performance Report "
                    "2023/24")
        assert files["report.html"][0] == f"title: DRAFT: {expected}"
        assert files["summary.html"][0].startswith(f"title: DRAFT: {expected}")
