"""Final means final (issue 12, points 2, 5 and 6): with --strict or status = "final" nothing
left to complete (a placeholder, an example row or text from `apr init`, any warning) reaches a
final report; apr says what is left, grouped by file, in lines a person can read; and a project
filled in step by step as its GUIDE.md says passes at the end.

Every command runs as a planning officer runs it: `python -m apr.cli` in a temporary project.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from apr import pipeline
from apr.cli import main
from apr.config import display_path
from apr.scaffold import SOURCE as SCAFFOLD
from tests.conftest import SAMPLE, copy_sample
from tests.report_helpers import MARKER, PNG, docx_texts, edit, html_visible_text

TO_COMPLETE = {"narrative.missing", "placeholder.narrative", "placeholder.setting",
               "placeholder.data", "placeholder.template", "placeholder.text",
               "finance.missing_reason", "data.example_row"}
FIRST_LINE = re.compile(r"^(?P<file>[^:]+)(:\d+)?(: (setting|column) '[^']*')?: "
                        r"(?P<severity>error|warning): .*\[(?P<code>[a-z_.]+)\]$")
NAME = "Anytown Health and Social Care Partnership"
SLUG = "anytown-health-and-social-care-partnership"


def run_apr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apr.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def init(folder: Path, name: str = "anytown") -> Path:
    target = folder / name
    done = run_apr("init", str(target), "--name", NAME)
    assert done.returncode == 0, done.stderr
    return target


def check_json(project: Path) -> tuple[int, dict]:
    done = run_apr("check", "--year", "2023", "--project", str(project), "--format", "json")
    return done.returncode, json.loads(done.stdout)


def left(project: Path) -> int:
    """How many things `apr check` says are still to complete."""
    code, data = check_json(project)
    assert "to_complete" in data, [f"{f['file']}: {f['message']}" for f in data["findings"]]
    return len(data["to_complete"])


def outputs(project: Path) -> list[Path]:
    return sorted((project / "output").glob("*")) if (project / "output").exists() else []


def assert_no_marker(project: Path) -> None:
    """Neither the .html nor the .docx written shows a "To be completed" marker."""
    html = next((project / "output").glob("*-apr-2023-24.html"))
    word = next((project / "output").glob("*-apr-2023-24.docx"))
    assert MARKER not in html_visible_text(html)
    assert MARKER not in html.read_text(encoding="utf-8")
    assert not [t for t in docx_texts(word) if MARKER in t]


def finding_blocks(stderr: str) -> list[tuple[str, str, list[str]]]:
    """Return each printed finding as (file, code, its lines); apr's own lines are left out."""
    blocks: list[tuple[str, str, list[str]]] = []
    for line in stderr.splitlines():
        if line.startswith("    ") and blocks:
            blocks[-1][2].append(line)
        elif not line.startswith("apr: "):
            m = FIRST_LINE.match(line)
            assert m, f"not a finding line: {line!r}"
            blocks.append((m["file"], m["code"], [line]))
    return blocks


# --- (1) the sample builds clean ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_strict(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    project = copy_sample(tmp_path_factory.mktemp("strict") / "sample")
    return project, run_apr("build", "--year", "2023", "--project", str(project), "--strict")


def test_the_sample_builds_under_strict_and_checks_clean(sample_strict):
    project, done = sample_strict
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(outputs(project)) == 2
    assert_no_marker(project)
    checked = run_apr("check", "--year", "2023", "--project", str(project))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    last = checked.stdout.splitlines()[-1]
    assert re.fullmatch(r"\d+ met, 0 missing, \d+ needs reading, \d+ not applicable; "
                        r"0 things still to complete in the report", last), last
    code, data = check_json(project)
    assert code == 0 and data["ok"] is True and data["to_complete"] == []


def test_a_strict_report_has_no_unconfirmed_text(sample_strict):
    project, done = sample_strict
    assert done.returncode == 0, done.stderr
    html = next((project / "output").glob("*.html"))
    assert "to be confirmed" not in html_visible_text(html).lower()


# --- (2) and (3) a fresh apr init project ---------------------------------------------------


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A fresh `apr init` project, never changed by the tests that use it."""
    return init(tmp_path_factory.mktemp("fresh"))


@pytest.fixture(scope="module")
def fresh_check(fresh) -> tuple[int, dict]:
    """`apr check --format json` on the fresh project: its exit status and its JSON."""
    return check_json(fresh)


@pytest.fixture(scope="module")
def final_run(fresh, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the fresh project marked status = "final", built once."""
    project = tmp_path_factory.mktemp("final") / "anytown"
    shutil.copytree(fresh, project)
    edit(project / "apr.toml", 'status = "draft"', 'status = "final"')
    return project, run_apr("build", "--year", "2023", "--project", str(project))


def test_status_final_stops_a_fresh_project_and_writes_nothing(final_run):
    project, done = final_run
    assert done.returncode == 1
    assert done.stdout == ""
    assert not (project / "output").exists()
    assert "Traceback" not in done.stderr


def test_final_lists_each_thing_to_complete_grouped_by_file(final_run, fresh_check):
    project, done = final_run
    blocks = finding_blocks(done.stderr)
    files = [file for file, _, _ in blocks]
    runs = [f for i, f in enumerate(files) if i == 0 or files[i - 1] != f]
    assert len(runs) == len(set(runs)), f"a file's findings are split: {runs}"
    for file in set(files):      # every file named is the project's own
        assert Path(file).resolve().is_relative_to(project.resolve()), file
    # every thing `apr check` lists as to complete is printed, once
    _, data = check_json(project)
    expected = sorted((f["file"], f["code"]) for f in data["to_complete"])
    printed = [(file, code) for file, code, _ in blocks if code in TO_COMPLETE]
    assert sorted(printed) == expected
    assert len(printed) >= 40
    # the checked project is the same as the fresh one except for its status
    assert len(data["to_complete"]) == len(fresh_check[1]["to_complete"])


def test_final_prints_short_lines_and_a_closing_summary(final_run):
    project, done = final_run
    lines = done.stderr.splitlines()
    assert all(len(line) < 200 for line in lines), max(lines, key=len)
    blocks = finding_blocks(done.stderr)
    things = sum(1 for _, code, _ in blocks if code in TO_COMPLETE)
    warnings = sum(1 for _, code, _ in blocks if code not in TO_COMPLETE)
    assert ": error: " not in done.stderr
    assert lines[-1] == (
        f"apr: stopped with {warnings} warning{'s' if warnings != 1 else ''}, {things} things to "
        "complete before this report is final; nothing was written and the previous report is "
        "unchanged.")
    # many findings: apr says where to start, with the first one printed
    first = blocks[0][2][0]
    location, _, rest = first.partition(": warning: ")
    message, _, code = rest.rpartition(" [")
    start, _, start_code = lines[-2].rpartition(" [")
    assert start_code == code   # the same finding, its first words as far as the line allows
    assert start.startswith(f"apr: start with {location}: ") and \
        message.startswith(start.removeprefix(f"apr: start with {location}: ").rstrip(",;. "))
    assert lines[-2].startswith(f"apr: start with {display_path(project / 'data')}")


def test_start_with_names_the_first_problem_the_same_way_for_a_setting(fresh, tmp_path):
    project = tmp_path / "anytown"
    shutil.copytree(fresh, project)
    text = (project / "apr.toml").read_text(encoding="utf-8")
    for old, new in (('model = "ijb"', 'model = "other"'),
                     ("population = 50000", 'population = "many"'),
                     ('status = "draft"', 'status = "maybe"'),
                     ('amounts = "£000"', 'amounts = "pounds"'),
                     ("first_year = 2016", 'first_year = "x"'),
                     ("board_date = 2024-06-26", 'board_date = "soon"'),
                     ("variance_threshold = 250", 'variance_threshold = "a"'),
                     ("similar_band = 5", 'similar_band = "b"'),
                     ("publication_date = 2024-07-31", 'publication_date = "later"')):
        assert old in text
        text = text.replace(old, new, 1)
    (project / "apr.toml").write_text(text, encoding="utf-8")
    done = run_apr("build", "--year", "2023", "--project", "anytown", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == ("anytown/apr.toml:11: setting 'partnership.model': error: 'partnership.model' "
                        "must be one of 'ijb', 'lead_agency', found 'other' [config.bad_choice]")
    assert lines[-1] == ("apr: stopped with 9 errors; nothing was written and the previous report "
                         "is unchanged.")
    assert lines[-2] == ("apr: start with anytown/apr.toml:11: setting 'partnership.model': "
                         "'partnership.model' must be one of 'ijb', 'lead_agency', found 'other' "
                         "[config.bad_choice]")


def test_strict_on_a_draft_stops_like_final(fresh, tmp_path):
    project = tmp_path / "anytown"
    shutil.copytree(fresh, project)
    done = run_apr("build", "--year", "2023", "--project", str(project), "--strict",
                   "--format", "html")
    assert done.returncode == 1 and not (project / "output").exists()
    assert re.search(r"^apr: stopped with \d+ warnings, \d+ things to complete before this "
                     r"report is final; nothing was written", done.stderr.splitlines()[-1])


def test_check_on_a_fresh_project_lists_every_placeholder(fresh, fresh_check, tmp_path):
    code, data = fresh_check
    assert code == 1 and data["ok"] is False
    # the same project built as a draft: every placeholder it shows is in to_complete
    project = tmp_path / "anytown"
    shutil.copytree(fresh, project)
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_chart", lambda spec: PNG)
    try:
        result = pipeline.build(project, 2023, ("html",))
    finally:
        mp.undo()
    built = sorted((f.code, f.message, Path(f.location.file).resolve(), f.location.row,
                    f.location.column) for f in result.findings if f.code in TO_COMPLETE)
    listed = sorted((f["code"], f["message"], Path(f["file"]).resolve(), f["row"], f["column"])
                    for f in data["to_complete"])
    relocated = [(c, m, fresh.resolve() / p.relative_to(project.resolve()), r, col)
                 for c, m, p, r, col in built]
    assert sorted(relocated) == listed
    markers = html_visible_text(result.outputs[0]).count(MARKER)
    shown = sum(int(m.group(1)) if (m := re.search(r"\(shown (\d+) times\)", f["message"]))
                else 1 for f in data["to_complete"] if f["code"] != "data.example_row")
    assert markers == shown > 30
    assert {f["code"] for f in data["to_complete"]} == {
        "narrative.missing", "placeholder.narrative", "placeholder.setting", "placeholder.data",
        "placeholder.template", "data.example_row"}


def test_check_text_ends_with_the_count_left(fresh, fresh_check):
    done = run_apr("check", "--year", "2023", "--project", str(fresh))
    assert done.returncode == 1
    n = len(fresh_check[1]["to_complete"])
    assert re.fullmatch(rf"\d+ met, [1-9]\d* missing, \d+ needs reading, \d+ not applicable; "
                        rf"{n} things still to complete in the report \(listed above\)",
                        done.stdout.splitlines()[-1]), done.stdout.splitlines()[-1]
    assert all(len(line) < 200 for line in done.stderr.splitlines())


def test_the_guide_names_every_narrative_file_to_write(fresh, fresh_check):
    """GUIDE.md, which `apr init` writes, names each narrative file the fresh report lacks."""
    guide = (fresh / "GUIDE.md").read_text(encoding="utf-8")
    missing = [Path(f["file"]).resolve().relative_to(fresh.resolve()).as_posix()
               for f in fresh_check[1]["to_complete"] if f["code"] == "narrative.missing"]
    assert len(missing) == 18
    for file in missing:
        if file.startswith("content/outcomes/"):
            assert "`content/outcomes/outcome-1.md` to `outcome-9.md`" in guide
        elif file.startswith("content/localities/"):
            assert f"`{file}`" in guide or f"`{file.split('/')[-1]}`" in guide, file
        else:
            assert f"`{file}`" in guide, file


def test_every_setting_a_fresh_report_asks_for_is_shown_in_apr_toml_or_the_guide(fresh,
                                                                                fresh_check):
    known = (fresh / "apr.toml").read_text(encoding="utf-8") + \
        (fresh / "GUIDE.md").read_text(encoding="utf-8")
    asked = {f["column"] for f in fresh_check[1]["to_complete"]
             if f["code"] == "placeholder.template" and f["file"].endswith("apr.toml")}
    assert asked
    unknown = sorted(s for s in asked if s.rsplit(".", 1)[-1] not in known)
    assert not unknown


# --- (4) filled in step by step as GUIDE.md says -----------------------------------------------

SAMPLE_TOML = (SAMPLE / "apr.toml").read_text(encoding="utf-8")


def sample_block(start: str, end: str) -> str:
    """Return the sample's apr.toml text from the line ``start`` up to the line ``end``."""
    begin = SAMPLE_TOML.index(f"\n{start}\n") + 1
    return SAMPLE_TOML[begin:SAMPLE_TOML.index(f"\n{end}\n", begin) + 1]


def replace_between(path: Path, start: str, end: str | None, new: str) -> None:
    """Replace the text of apr.toml from the line ``start`` up to the line ``end`` (or the end of
    the file) with ``new``, as a person pasting settings over the example ones does."""
    text = path.read_text(encoding="utf-8")
    begin = text.index(f"\n{start}\n") + 1
    stop = text.index(f"\n{end}\n", begin) + 1 if end else len(text)
    path.write_text(text[:begin] + new + text[stop:], encoding="utf-8")


def copy_data(project: Path, *names: str) -> None:
    for name in names:
        shutil.copyfile(SAMPLE / "data" / f"{name}.csv", project / "data" / f"{name}.csv")


def finance_to_excel(project: Path) -> None:
    """Type the finance table into a workbook (data/apr-data.xlsx, sheet `finance`), numbers as
    numbers, and remove finance.csv: one place per table, as the GUIDE says."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "finance"
    with open(SAMPLE / "data" / "finance.csv", newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh)):
            ws.append(row if i == 0 else [row[0], row[1], int(row[2]), int(row[3]),
                                          row[4] or None])
    wb.save(project / "data" / "apr-data.xlsx")
    (project / "data" / "finance.csv").unlink()


NARRATIVE = {
    "foreword": "This report sets out how the partnership performed in 2023/24.\n\n"
                "We thank the staff, carers and volunteers who made it possible.",
    "about": "The partnership plans and delivers community health and social care services.\n\n"
             "Its integration joint board directs the council and the health board.",
    "principles": "Our services were planned with the people who use them.\n\n"
                  "We put prevention and early help first.",
    "strategic_planning": "We commissioned services in line with the strategic plan.\n\n"
                          "Locality planning groups shaped our priorities.",
    "finance": "The partnership spent slightly more than its budget.\n\n"
               "Prescribing and care homes drove the overspend.",
    "best_value": "Savings were tracked monthly by the finance team.\n\n"
                  "The auditor gave an unqualified opinion.",
    "inspections": "Inspection reports are reviewed by the clinical and care governance group.",
    "looking_ahead": "Next year we will publish a new strategic plan.",
}


def write_narrative(project: Path, names) -> None:
    for name in names:
        path = project / "content" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = NARRATIVE.get(name) or f"What we did in 2023/24 for {name.split('/')[-1]}.\n\n" \
            "People who use our services told us what mattered to them."
        path.write_text(text + "\n", encoding="utf-8")


OUTCOMES = [f"outcomes/outcome-{n}" for n in range(1, 10)]
LOCALITIES = [f"localities/{slug}" for slug in ("linnhaven-coast", "kirkbrae-and-glen",
                                                "strathlinn-town", "upper-strathlinn")]


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, list[int]]:
    """A fresh project filled in step by step; returns it and the count left after each step."""
    project = init(tmp_path_factory.mktemp("filled"))
    toml = project / "apr.toml"
    counts = [left(project)]

    # 1. apr.toml: the settings still saying "To be completed", and the auditor's opinion
    text = toml.read_text(encoding="utf-8")
    text = text.replace('summary = "To be completed: one sentence describing the locality."',
                        'summary = "The northern towns and villages."', 1)
    text = text.replace('summary = "To be completed: one sentence describing the locality."',
                        'summary = "The southern farming communities."', 1)
    text = text.replace('["To be completed: first priority", "To be completed: second priority"]',
                        '["Prevention and early intervention", "Supporting unpaid carers"]')
    toml.write_text(text + '\n[best_value]\naudit_opinion = "unqualified"\n'
                    'auditor = "Carrick Whyte LLP"\naudited_accounts = "2022/23"\n',
                    encoding="utf-8")
    counts.append(left(project))

    # 2. the localities (four, as in the strategic plan): settings, figures and narrative
    copy_data(project, "localities")
    replace_between(toml, "[[localities]]", "[strategic_plan]",
                    sample_block("[[localities]]", "[strategic_plan]"))
    edit(toml, "population = 50000", "population = 151300")
    write_narrative(project, LOCALITIES)     # a paragraph on each locality's year
    counts.append(left(project))

    # 3. data: the indicators with the partnership's own measures
    copy_data(project, "indicators")
    edit(toml, "[[localities]]\n", sample_block("[[local_indicators]]", "# One [[localities]] "
                                               "table per locality in the strategic plan, in "
                                               "the order") + "\n[[localities]]\n")
    counts.append(left(project))

    # 4. data: finance typed into an Excel workbook, with the service lines it uses
    finance_to_excel(project)
    replace_between(toml, "[finance.service_lines]", "[best_value]",
                    sample_block("[finance]", "[best_value]"))
    counts.append(left(project))

    # 5. data: inspections, decisions, reserves and savings
    copy_data(project, "inspections", "significant_decisions", "reserves", "savings")
    counts.append(left(project))

    # 6. narrative: the sections, then the outcomes and the localities
    write_narrative(project, NARRATIVE)
    counts.append(left(project))
    write_narrative(project, OUTCOMES)
    counts.append(left(project))
    return project, counts


def test_each_step_of_the_guide_leaves_less_to_complete(filled):
    _, counts = filled
    assert all(later < earlier for earlier, later in zip(counts, counts[1:])), f"{counts}"
    assert counts[-1] == 0, f"{counts}"


def test_the_filled_project_builds_under_strict_with_no_marker(filled):
    project, _ = filled
    code, data = check_json(project)
    assert code == 0 and data["ok"], [f["message"] for f in data["findings"]]
    done = run_apr("build", "--year", "2023", "--project", str(project), "--strict")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert_no_marker(project)
    assert not (project / "data" / "finance.csv").exists()


# --- (5) an example row left stops a final build ---------------------------------------------


def test_an_example_row_left_stops_strict(filled, tmp_path):
    """The filled project with apr init's general reserve row kept: a row with no "To be
    completed" text in it, so only its being the example's figures can stop the build."""
    project = tmp_path / "anytown"
    shutil.copytree(filled[0], project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    reserves = project / "data" / "reserves.csv"
    rows = reserves.read_text(encoding="utf-8").rstrip("\n").split("\n")
    example = "2023/24,general,Contingency reserve,1000,0,1000"
    assert example in (SCAFFOLD / "data" / "reserves.csv").read_text(encoding="utf-8")
    reserves.write_text("\n".join(rows + [example]) + "\n", encoding="utf-8")
    done = run_apr("build", "--year", "2023", "--project", "anytown", "--strict",
                   "--format", "html", cwd=tmp_path)
    assert done.returncode == 1 and not (project / "output").exists()
    assert done.stderr.splitlines() == [
        f"anytown/data/reserves.csv:{len(rows) + 1}: warning: this row is an example that apr "
        "init wrote; replace it with your own figures or delete it [data.example_row]",
        "apr: stopped with 1 thing to complete before this report is final; nothing was "
        "written and the previous report is unchanged."]


def test_text_to_complete_in_a_workbook_is_located_at_its_sheet_row_and_column(filled, tmp_path):
    """An Excel edit: a reason typed as "To be completed: ..." in the finance sheet."""
    project = tmp_path / "anytown"
    shutil.copytree(filled[0], project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    wb = openpyxl.load_workbook(project / "data" / "apr-data.xlsx")
    ws = wb["finance"]
    row = next(r for r in range(2, ws.max_row + 1)
               if [ws.cell(r, 1).value, ws.cell(r, 2).value] == ["2023/24", "Care homes"])
    ws.cell(row, 5).value = "To be completed: reason for the overspend"
    wb.save(project / "data" / "apr-data.xlsx")
    done = run_apr("build", "--year", "2023", "--project", "anytown", "--format", "html",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"anytown/data/apr-data.xlsx[finance]:{row}: column 'reason': warning: to be completed: "
        "reason for the overspend; replace this text in the data with your own "
        "[placeholder.data]",
        "apr: a draft with 1 thing to complete before this report is final; the draft marks "
        "each in the text. Build with --strict, or set status = \"final\" in apr.toml, to make "
        "sure none is left."]
    page = html_visible_text(next((project / "output").glob("*.html")))
    assert page.count(MARKER) == 1
    assert "To be completed: reason for the overspend" in page


# --- (6) apr build --all honours --strict, --summary and --board-paper ------------------------


@pytest.fixture(scope="module")
def batch(fresh, tmp_path_factory) -> Path:
    """A folder holding the sample and a fresh init project."""
    folder = tmp_path_factory.mktemp("batch")
    copy_sample(folder / "strathlinn")
    shutil.copytree(fresh, folder / "anytown")
    return folder


def build_all(folder: Path, *options: str):
    """Run `apr build --all` from the batch folder (paths shown relative to it), charts stubbed."""
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_chart", lambda spec: PNG)
    mp.chdir(folder)
    try:
        return CliRunner().invoke(main, ["build", "--all", "--project", ".", "--year",
                                         "2023", "--jobs", "1", *options])
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def strict_all(batch):
    """`apr build --all --strict` over the batch folder, run once, and what each project's
    output folder then holds (the tests below write more)."""
    done = build_all(batch, "--strict", "--format", "html")
    return done, {name: [p.name for p in outputs(batch / name)]
                  for name in ("anytown", "strathlinn")}


def test_build_all_strict_fails_the_unfinished_project_only(strict_all):
    done, written = strict_all
    assert done.exit_code == 1, done.output
    assert "built 1 of 2 reports" in done.stderr
    assert "\napr: anytown failed:\nanytown/data/indicators.csv: warning: " in done.stderr
    assert "\nanytown/data/indicators.csv:2: warning: rows 2, 3, 4, 5 and 6 are examples that " \
        "apr init wrote; replace them with your own figures or delete them " \
        "[data.example_row]\n" in done.stderr
    assert "[data.example_row]" in done.stderr and "[narrative.missing]" in done.stderr
    assert written == {"anytown": [], "strathlinn": [
        "strathlinn-health-and-social-care-partnership-apr-2023-24.html"]}


def test_build_all_failure_lines_are_under_200_characters(strict_all):
    long = [line for line in strict_all[0].stderr.splitlines() if len(line) >= 200]
    assert not long, long


def test_build_all_writes_summaries(batch):
    done = build_all(batch, "--summary", "--format", "html")
    assert done.exit_code == 0, done.output
    assert (batch / "strathlinn" / "output" /
            "strathlinn-health-and-social-care-partnership-apr-summary-2023-24.html").is_file()
    assert (batch / "anytown" / "output" / f"{SLUG}-apr-summary-2023-24.html").is_file()


@pytest.fixture(scope="module")
def board_papers(batch):
    """`apr build --all --board-paper` over the batch folder, run once."""
    return build_all(batch, "--board-paper", "--format", "html")


def test_build_all_writes_board_papers(batch, board_papers):
    done = board_papers
    assert done.exit_code == 0, done.output
    assert (batch / "strathlinn" / "output" /
            "strathlinn-health-and-social-care-partnership-board-paper-2023-24.docx").is_file()
    assert (batch / "anytown" / "output" / f"{SLUG}-board-paper-2023-24.docx").is_file()


def test_a_board_paper_says_sections_are_marked_only_when_some_are(batch, board_papers):
    paper = batch / "strathlinn" / "output" / \
        "strathlinn-health-and-social-care-partnership-board-paper-2023-24.docx"
    assert board_papers.exit_code == 0, board_papers.output
    text = " ".join(docx_texts(paper))
    anytown = " ".join(docx_texts(batch / "anytown" / "output" /
                                  f"{SLUG}-board-paper-2023-24.docx"))
    assert "the sections still to be completed are marked in it" in anytown
    assert "still to be completed" not in text
