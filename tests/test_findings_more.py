"""Findings of the optional tables, the templates and the commands beside the build, one real
scenario each (tests/roots/minimal), the finding asserted word for word."""
from __future__ import annotations

from pathlib import Path

import pytest

from apr.config import display_path
from apr.findings import AprError
from apr.nextyear import make_next_year
from apr.resources import templates_dir
from apr.workbook import write_workbook
from tests.scenarios import copy_root, findings_of, write

KEEP_ONE = "keep one row (add the amounts together if both are real)"


@pytest.fixture
def minimal(tmp_path, monkeypatch) -> Path:
    """tests/roots/minimal at ./minimal, the current folder its parent."""
    monkeypatch.chdir(tmp_path)
    copy_root("minimal", tmp_path)
    return Path("minimal")


def stopped_with(run) -> list[str]:
    with pytest.raises(AprError) as stopped:
        run()
    return [str(f) for f in stopped.value.findings]


# -- the optional tables: a row given twice ---------------------------------------------------

@pytest.mark.parametrize("code, text, said", [
    ("hosted_services.duplicate", "service,host,role,budget,outturn\n"
     "Sexual health,Minimal HSCP,hosts,100,90\nSexual health,Minimal HSCP,hosts,100,90\n",
     "hosted service 'Sexual health' (hosts, Minimal HSCP)"),
    ("benchmarking.duplicate", "measure,year,value\nSW1,2022/23,31.2\nSW1,2022/23,30.0\n",
     "measure SW1 in 2022/23"),
    ("funding_gap.duplicate", "year,gap,savings,reserves,unidentified\n"
     "2024/25,100,50,25,25\n2024/25,100,50,25,25\n", "the funding gap of 2024/25"),
    ("deprivation.duplicate", "indicator,period,quintile,value\nNI-12,2023/24,1,5\nNI-12,2023/24,1,6\n",
     "quintile 1 of NI-12 in 2023/24"),
    ("prevention.duplicate", "measure,period,value\nFalls,2023/24,5\nFalls,2023/24,6\n",
     "prevention measure 'Falls' for 2023/24"),
])
def test_a_row_given_twice(minimal, code, text, said):
    table = code.removesuffix(".duplicate")
    write(minimal, f"data/{table}.csv", text)
    assert findings_of(minimal, code=code) == [
        f"minimal/data/{table}.csv:3: error: {said} is given twice, on rows 2 and 3; "
        f"{KEEP_ONE} [{code}]"]


# -- templates ---------------------------------------------------------------------------------

def test_a_template_that_divides_by_zero(minimal):
    write(minimal, "templates/foreword.md.j2", "# Foreword { #foreword }\n\n{{ 1 / 0 }}\n")
    assert findings_of(minimal, code="template.error") == [
        "minimal/templates/foreword.md.j2:3: error: division by zero; check the values and "
        "functions used on this line [template.error]"]


def test_a_template_that_opens_a_box_it_never_closes(minimal):
    write(minimal, "templates/foreword.md.j2",
          "# Foreword { #foreword }\n\n::: case-study Home first\n\nText.\n")
    master = display_path(templates_dir() / "report.md.j2")
    assert findings_of(minimal, code="template.markup") == [
        f"{master}: error: the box '::: case-study' opened here is never closed; add a line "
        "with just ':::' after its text (line 11 of the rendered report) [template.markup]"]


# -- next year and the workbook ----------------------------------------------------------------

def test_next_year_without_a_date_to_tell_the_year(minimal):
    assert stopped_with(lambda: make_next_year(minimal, Path("next"))) == [
        "minimal/apr.toml: error: apr cannot tell which year this project reports on: apr.toml "
        "has no [report] publication_date or board_date. Say which year the new project is for "
        "with --year, e.g. --year 2024 for 2024/25 [next_year.no_year]"]


def test_next_year_inside_this_years_project(minimal, tmp_path):
    assert stopped_with(lambda: make_next_year(minimal, minimal / "next", 2024)) == [
        "minimal/next: error: minimal/next is inside this year's project; make next year's "
        f"project in a folder beside it, e.g. {display_path(tmp_path / 'apr-next-year')} "
        "[next_year.inside_project]"]
    assert not (minimal / "next").exists()


def test_a_workbook_would_overwrite_a_kept_csv(minimal):
    write(minimal, "data/previous-csv/finance.csv", "an older copy\n")
    assert stopped_with(lambda: write_workbook(minimal)) == [
        "minimal/data/previous-csv/finance.csv: error: minimal/data/previous-csv/finance.csv "
        "already exists: moving finance.csv there would overwrite it; rename or delete the old "
        "copy first [workbook.previous_exists]"]
    assert not (minimal / "data" / "apr-data.xlsx").exists()
