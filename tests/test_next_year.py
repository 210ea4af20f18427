"""apr next-year: next year's project from this year's, built at once, final only when rewritten.

The sample (2023/24) becomes a 2024/25 project; the test builds it, checks that --strict fails
naming every narrative file, every date and every finance row left as last year's, then does
what a planning officer would (rewrites the narrative, moves the dates, enters the year's
figures) and checks that --strict then passes.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from apr.config import ReportingYear
from apr.nextyear import LAST_YEAR, placeholder_text
from tests.conftest import copy_sample
from tests.report_helpers import unwrap
from tests.test_cli_build import run_apr

NEW = ReportingYear(2024)
LAST = ReportingYear(2023)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("next-year")
    sample = copy_sample(root / "sample")
    done = run_apr("next-year", "next", "--project", "sample", cwd=root)
    assert done.returncode == 0, done.stderr
    return sample, root / "next", done.stdout


def _narrative(project: Path) -> list[str]:
    return sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*.md"))


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _dates(project: Path) -> dict[str, dt.date]:
    settings = tomllib.loads((project / "apr.toml").read_text(encoding="utf-8"))
    found = {f"report.{k}": settings["report"].get(k) for k in ("board_date", "publication_date")}
    found["board_paper.date"] = settings.get("board_paper", {}).get("date")
    return {k: v for k, v in found.items() if isinstance(v, dt.date)}


def test_narrative_becomes_placeholders_with_last_years_text_kept(made):
    sample, new, _ = made
    files = _narrative(sample)
    assert files and _narrative(new) == files
    for rel in files:
        assert (new / rel).read_text(encoding="utf-8") == placeholder_text(NEW, rel)
        kept = new / LAST_YEAR / rel
        assert kept.read_bytes() == (sample / rel).read_bytes()
    assert (new / "content/images/home-first.png").read_bytes() == \
        (sample / "content/images/home-first.png").read_bytes()


def test_settings_and_data_carried_over(made):
    sample, new, out = made
    assert (new / "apr.toml").read_text() == (sample / "apr.toml").read_text()
    for name in ("indicators", "localities", "reserves", "savings", "inspections"):
        assert (new / "data" / f"{name}.csv").read_bytes() == \
            (sample / "data" / f"{name}.csv").read_bytes()
    old, rows = _rows(sample / "data/finance.csv"), _rows(new / "data/finance.csv")
    last = [r for r in old if r["year"] == LAST.label]
    added = rows[len(old):]
    assert rows[:len(old)] == old
    assert [(r["service_line"], r["budget"], r["outturn"]) for r in added] == \
        [(r["service_line"], r["budget"], r["outturn"]) for r in last]
    assert {r["year"] for r in added} == {NEW.label} and {r["reason"] for r in added} == {""}
    assert f"created next for {NEW.label} with " in out
    assert f"  {len(added)} finance rows copied from last year for {NEW.label}: enter this " \
           "year's budget, outturn and reasons" in out
    for setting, when in _dates(sample).items():
        assert f": {setting} = {when.isoformat()} is last year's date; set the {NEW.label} " \
               "date" in out


def test_next_year_refuses_a_folder_in_use(made, tmp_path):
    sample, new, _ = made
    done = run_apr("init", "--from", str(sample), str(new))
    assert done.returncode == 1
    assert f"{new}: error: {new} already exists and is not empty; choose a new folder name so " \
           "nothing is overwritten [init.not_empty]" in unwrap(done.stderr)
    assert "Traceback" not in done.stderr


def test_strict_fails_until_rewritten_then_passes(made, tmp_path):
    import shutil
    _, made_project, _ = made
    new = tmp_path / "next"
    shutil.copytree(made_project, new)
    draft = run_apr("build", "--project", str(new), "--year", str(NEW.start), "--format",
                    "html")
    assert draft.returncode == 0, draft.stderr
    strict = run_apr("build", "--project", str(new), "--year", str(NEW.start), "--format",
                     "html", "--strict")
    assert strict.returncode == 1
    errors = unwrap(strict.stderr)
    for rel in _narrative(new):
        assert re.search(rf"{re.escape(str(new / rel))}:1: warning: to be completed: this "
                         rf"section's text for {NEW.label}\. .*\[placeholder\.narrative\]",
                         errors), rel
    for setting, when in _dates(new).items():
        assert f"setting '{setting}': warning: [{setting.replace('.', '] ', 1)} is " \
               f"{when.day} {when:%B %Y}, on or before the end of the reporting year " \
               f"{NEW.label} (31 March {NEW.start + 1}): it is still last year's date; set " \
               f"the date for the {NEW.label} report [dates.before_year_end]" in errors
    carried = [r for r in _rows(new / "data/finance.csv") if r["year"] == NEW.label]
    rows = re.findall(r"^\S*finance\.csv:(\d+): column 'budget': warning: .*"
                      r"\[data\.carried_over\]$", errors, re.MULTILINE)
    assert len(rows) == len(carried)
    assert f"'{carried[0]['service_line']}' has the same budget and outturn in {NEW.label} as " \
           f"in {LAST.label}: still last year's figures, as apr next-year copied them; enter " \
           f"{NEW.label}'s budget, outturn and reason [data.carried_over]" in errors

    _rewrite(new)
    final = run_apr("build", "--project", str(new), "--year", str(NEW.start), "--format",
                    "html", "--strict")
    assert final.returncode == 0, final.stderr


def _rewrite(project: Path) -> None:
    """Do the year's work: narrative, dates, and the new year's figures in every table."""
    for rel in _narrative(project):
        # new text: last year's would now contradict the new figures (narrative.figure_mismatch)
        (project / rel).write_text(f"What we did in {NEW.label}, written afresh.\n",
                                   encoding="utf-8")
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    for when in _dates(project).values():
        text = text.replace(when.isoformat(), when.replace(year=when.year + 1).isoformat())
    toml.write_text(text, encoding="utf-8")
    _next_year_rows(project / "data/finance.csv", "year", _new_figures)
    for name in ("localities", "reserves", "savings"):
        _next_year_rows(project / "data" / f"{name}.csv", "year")
    _shift_years(project / "data/funding_gap.csv")
    _next_year_rows(project / "data/indicators.csv", "period")


def _shift_years(path: Path) -> None:
    """Move the funding gap on a year: its coming years start after the new reporting year."""
    rows = _rows(path)
    for row in rows:
        start = int(row["year"][:4]) + 1
        row["year"] = f"{start}/{(start + 1) % 100:02d}"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _new_figures(row: dict) -> dict:
    """The new year's figures, as the finance officer enters them: budget, outturn and no
    published variance (a copied one would contradict them)."""
    figure = str(int(row["budget"]) + 1)
    return dict(row, budget=figure, outturn=figure, final_budget=figure,
                **{k: "" for k in ("variance", "final_variance") if k in row})


def _next_year_rows(path: Path, column: str, change=None) -> None:
    """Give the table rows for the new year: the last year's rows relabelled (survey
    indicators, NI-1 to NI-9, have no row between survey years), changed by ``change``."""
    rows = _rows(path)
    fields = list(rows[0])
    kept = [r for r in rows if r[column] != NEW.label]
    relabel = {LAST.label: NEW.label, str(LAST.start): str(NEW.start)}
    survey = re.compile(r"NI-[1-9]$")
    added = [dict(r, **{column: relabel[r[column]]}) for r in rows if r[column] in relabel
             and not survey.match(r.get("indicator", ""))]
    added = [change(r) if change else r for r in added]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        writer.writerows(kept + added)


def test_finance_in_the_workbook_carried_below_the_data(tmp_path):
    import openpyxl
    sample = copy_sample(tmp_path / "sample")
    assert run_apr("workbook", "--project", "sample", cwd=tmp_path).returncode == 0
    done = run_apr("next-year", "next", "--project", "sample", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    old = openpyxl.load_workbook(sample / "data/apr-data.xlsx")["finance"]
    new = openpyxl.load_workbook(tmp_path / "next/data/apr-data.xlsx")["finance"]
    rows = [[c.value for c in line] for line in old.iter_rows() if line[0].value is not None]
    added = [[c.value for c in line] for line in new.iter_rows(min_row=len(rows) + 1)
             if line[0].value is not None]
    last = [r for r in rows if r[0] == LAST.label]
    assert [r[0] for r in added] == [NEW.label] * len(last)
    assert [r[1:4] for r in added] == [r[1:4] for r in last]
    assert new.cell(len(rows) + 1, 1).value == NEW.label     # at once below the data
    assert new.protection.sheet and new.data_validations.dataValidation
