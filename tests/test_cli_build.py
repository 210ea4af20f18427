"""The build command as a planning officer runs it: formats, Excel inputs, bad input, apr init."""
from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import copy_sample
from tests.report_helpers import unwrap


def run_apr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apr.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_sample(tmp_path / "sample")


def csvs_to_workbook(project: Path) -> None:
    """Move every data CSV into one workbook, a sheet per table, with numbers as numbers."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for path in sorted((project / "data").glob("*.csv")):
        ws = wb.create_sheet(path.stem)
        with open(path, newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh)):
                ws.append([_cell(v) if i else v for v in row])
        path.unlink()
    wb.save(project / "data" / "strathlinn-data.xlsx")


def _cell(value: str):
    try:
        number = float(value)
    except ValueError:
        return value or None
    return int(number) if number.is_integer() and "." not in value else number


def test_csv_and_excel_inputs_give_the_same_report(tmp_path):
    from apr.pipeline import build
    built = {}
    for form in ("csv", "excel"):
        project = copy_sample(tmp_path / form)
        if form == "excel":
            csvs_to_workbook(project)
            assert not list((project / "data").glob("*.csv"))
        result = build(project, 2023, ("docx", "html"))
        built[form] = {p.suffix: p for p in result.outputs}
    assert built["csv"][".html"].read_bytes() == built["excel"][".html"].read_bytes()
    with zipfile.ZipFile(built["csv"][".docx"]) as a, zipfile.ZipFile(built["excel"][".docx"]) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")


def test_build_prints_what_it_wrote_and_honours_format(project):
    done = run_apr("build", "--year", "2023", "--project", str(project), "--format", "html")
    assert done.returncode == 0, done.stderr
    written = list((project / "output").iterdir())
    assert [p.name for p in written] == [
        "strathlinn-health-and-social-care-partnership-apr-2023-24.html"]
    assert "wrote " in done.stdout and written[0].name in done.stdout


def test_unknown_format_is_refused(project):
    done = run_apr("build", "--year", "2023", "--project", str(project), "--format", "odt")
    assert done.returncode == 2
    assert "choose from docx, html" in done.stderr


def test_every_bad_cell_is_reported_at_once_and_nothing_is_written(project):
    finance = project / "data" / "finance.csv"
    lines = finance.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("budget")] = "lots"
    lines[3] = ",".join(row)
    lines[5] = lines[5].replace("2", "x", 1) if lines[5].startswith("2") else lines[5]
    finance.write_text("\n".join(lines) + "\n", encoding="utf-8")
    locs = project / "data" / "localities.csv"
    locs.write_text(locs.read_text(encoding="utf-8").replace("Upper Strathlinn", "Uper Strathlinn",
                                                             1), encoding="utf-8")
    done = run_apr("build", "--year", "2023", "--project", str(project))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    err = unwrap(done.stderr)
    assert "finance.csv:4: column 'budget': error: expected an amount such as 1234 or (1,234) " \
           "in 'budget', found 'lots' [data.bad_amount]" in err
    assert "finance.csv:6: column 'year': error: expected a reporting year such as 2023/24" in err
    assert "localities.csv" in err and "'Uper Strathlinn' is not one of the localities" in err
    assert "stopped with 3 errors; nothing was written" in err
    assert not (project / "output").exists()


def test_failed_build_leaves_previous_report_untouched(project):
    assert run_apr("build", "--year", "2023", "--project", str(project)).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    (project / "data" / "indicators.csv").write_text("indicator,period,value\nNI-99,2023/24,1\n",
                                                     encoding="utf-8")
    done = run_apr("build", "--year", "2023", "--project", str(project))
    assert done.returncode == 1
    assert "indicators.csv:2: column 'indicator'" in done.stderr
    after = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    assert after == before


def test_missing_table_and_missing_settings(project):
    (project / "data" / "finance.csv").unlink()
    toml = project / "apr.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('council = "Strathlinn Council"',
                                                             ""), encoding="utf-8")
    done = run_apr("build", "--year", "2023", "--project", str(project))
    assert done.returncode == 1
    assert "[partnership] needs 'council'" in done.stderr


def test_missing_finance_table_is_named(project):
    (project / "data" / "finance.csv").unlink()
    done = run_apr("build", "--year", "2023", "--project", str(project))
    assert done.returncode == 1
    assert "the 'finance' table is missing" in done.stderr
    assert "[data.missing_table]" in done.stderr


def test_no_project_here(tmp_path):
    done = run_apr("build", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 1
    assert "no apr.toml in" in done.stderr and "apr init" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_narrative_is_a_visible_marker_not_a_crash(project):
    (project / "content" / "best_value.md").unlink()
    done = run_apr("build", "--year", "2023", "--project", str(project), "--format", "html")
    assert done.returncode == 0, done.stderr
    assert "content/best_value.md: warning: to be completed: an assessment of the arrangements " \
        "to secure best value" in done.stderr
    page = next((project / "output").glob("*.html")).read_text(encoding="utf-8")
    section = page.split('id="best-value"')[1].split("<h2")[0]
    assert "To be completed" in section


def test_strict_fails_on_a_missing_narrative(project):
    (project / "content" / "looking_ahead.md").unlink()
    done = run_apr("build", "--year", "2023", "--project", str(project), "--strict")
    assert done.returncode == 1
    assert "[narrative.missing]" in done.stderr
    assert not (project / "output").exists()


def test_init_creates_a_project_that_builds_with_markers(tmp_path):
    target = tmp_path / "anytown"
    done = run_apr("init", str(target), "--name", "Anytown Health and Social Care Partnership")
    assert done.returncode == 0, done.stderr
    for name in ("apr.toml", "GUIDE.md", "data/indicators.csv", "data/finance.csv",
                 "data/localities.csv", "data/inspections.csv",
                 "data/significant_decisions.csv"):
        assert (target / name).is_file(), name
    built = run_apr("build", "--year", "2023", "--project", str(target))
    assert built.returncode == 0, built.stderr
    page = next((target / "output").glob("anytown-*.html")).read_text(encoding="utf-8")
    assert page.count("To be completed") >= 10
    assert run_apr("init", str(target)).returncode == 1


@pytest.mark.parametrize("command", [[], ["build"], ["init"]])
def test_help_explains_each_command(command):
    done = run_apr(*command, "--help")
    assert done.returncode == 0
    assert "Usage:" in done.stdout and len(done.stdout) > 300


# Run in a fresh interpreter: which modules a command imports (docs/performance.md, Start-up).
# Charts are stubbed so that no test depends on matplotlib's speed.
IMPORTS_OF = """
import sys
from apr import pipeline
from apr.cli import main
pipeline.draw_chart = pipeline.placeholder_chart
try:
    main(sys.argv[2:])
except SystemExit:
    pass
print(" ".join(m for m in sys.argv[1].split(",") if m in sys.modules))
"""


def imported(modules: list[str], *args: str) -> list[str]:
    """Return which of ``modules`` `apr ARGS` imports."""
    done = subprocess.run([sys.executable, "-c", IMPORTS_OF, ",".join(modules), *args],
                          check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1].split()   # the last line: after the command's output


def test_help_imports_no_heavy_library():
    assert imported(["pandas", "matplotlib", "docx", "jinja2", "markdown_it"], "--help") == []


def test_a_build_imports_only_what_its_outputs_need(project):
    unused = ["http.server", "apr.commands.serve", "apr.document.board_paper"]
    assert imported(unused, "build", "--year", "2023", "--project", str(project)) == []
    assert imported(unused, "build", "--year", "2023", "--project", str(project),
                    "--board-paper") == ["apr.document.board_paper"]
