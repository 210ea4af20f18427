"""Data that cannot be right is stopped or questioned, never printed silently (issue 12, part 3).

Each rule on a copy of the sample project with one thing wrong, read as `apr build` reads it;
messages asserted word for word. Excel cases use real .xlsx files written with openpyxl.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from apr.batch.synthetic import make_national
from apr.config import ReportingYear, load_config
from apr.findings import AprError
from apr.sources import read_sources
from tests.conftest import copy_sample
from tests.report_helpers import edit, rewrite_csv

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"


@pytest.fixture
def proj(tmp_path) -> Path:
    return copy_sample(tmp_path / "project")


def read(root: Path):
    """Return (inputs or None, findings) as `apr build` reads the project's sources."""
    try:
        inputs, findings = read_sources(load_config(root), ReportingYear(2023))
        return inputs, findings
    except AprError as exc:
        return None, exc.findings


def _line(root: Path, start: str) -> int:
    """Return the line number of the row of data/indicators.csv that starts with ``start``."""
    lines = (root / "data" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def csv_to_sheet(root: Path, table: str, percent_cells: dict[tuple[str, str], float] = {},
                 number_format: str = "0.0%") -> Path:
    """Move data/<table>.csv into a sheet of data/apr-data.xlsx; cells keyed (column, first
    cell of the row's key) are written as Excel stores percentages, with ``number_format``."""
    import csv
    path = root / "data" / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    path.unlink()
    book = root / "data" / "apr-data.xlsx"
    wb = openpyxl.load_workbook(book) if book.exists() else openpyxl.Workbook()
    if not book.exists():
        wb.remove(wb.active)
    ws = wb.create_sheet(table)
    header = rows[0]
    for r, cells in enumerate(rows, start=1):
        for c, text in enumerate(cells, start=1):
            value: object = text
            if r > 1:
                try:
                    value = float(text.replace(",", "")) if text else None
                except ValueError:
                    value = text
            key = (header[c - 1], "|".join(cells[:2]))
            cell = ws.cell(row=r, column=c, value=value)
            if r > 1 and key in percent_cells:
                cell.value = percent_cells[key]
                cell.number_format = number_format
    wb.save(book)
    return book


# --- Excel percentages ---------------------------------------------------------------------------


def test_a_percentage_formatted_excel_cell_is_read_as_the_percentage_it_shows(proj):
    csv_to_sheet(proj, "indicators", {("value", "NI-15|2023"): 0.899,
                                      ("scotland", "NI-15|2023"): 0.89})
    inputs, findings = read(proj)
    assert not findings.errors
    value = next(v for v in inputs.indicators if v.code == "NI-15" and v.period == "2023")
    assert (value.value, value.scotland) == (89.9, 89.0)


def test_a_literal_percent_sign_in_the_number_format_is_not_multiplied(proj):
    csv_to_sheet(proj, "indicators", {("value", "NI-15|2023"): 89.9}, number_format='0.0"%"')
    inputs, _ = read(proj)
    value = next(v for v in inputs.indicators if v.code == "NI-15" and v.period == "2023")
    assert value.value == 89.9


def test_a_proportion_typed_for_a_percentage_is_an_error_with_the_cell(proj):
    edit(proj / "data" / "indicators.csv", "NI-15,2023,89.9,", "NI-15,2023,0.899,")
    _, findings = read(proj)
    message = next(f for f in findings if f.code == "indicators.implausible")
    assert message.message == ("NI-15 2023: expected a percentage from 50 to 100, found 0.899; "
                               "a proportion? type it as a percentage, 89.9, or format the Excel "
                               "cell as %")
    assert (message.location.row, message.location.column) == (
        _line(proj, "NI-15,2023,"), "value")
    assert message.location.file.endswith("data/indicators.csv")


def test_a_percentage_cell_in_a_money_column_is_an_error(proj):
    book = csv_to_sheet(proj, "finance", {("budget", "2023/24|Prescribing"): 0.25})
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "data.percent_in_money"]
    assert problem.message == ("expected an amount such as 1234 or (1,234) in 'budget', found "
                               "25% (a cell formatted as a percentage)")
    assert problem.location.file.endswith("data/apr-data.xlsx[finance]")
    assert problem.location.column == "budget"
    assert book.exists()


# --- catalogue ranges and jumps ----------------------------------------------------------------


def test_a_rate_far_outside_every_partnerships_range_is_an_error(proj):
    edit(proj / "data" / "indicators.csv", "NI-12,2023,11240,11707,",
         "NI-12,2023,112400,11707,")
    _, findings = read(proj)
    problem = next(f for f in findings if f.code == "indicators.implausible")
    assert problem.message == ("NI-12 2023: expected 3,000 to 30,000 per "
                               "100,000, found 112,400; check the unit (per 100,000 adults aged "
                               "18+) and the digits")


def test_a_scotland_value_outside_the_range_is_an_error_in_its_column(proj):
    edit(proj / "data" / "indicators.csv", "NI-1,2023/24,91.2,90.7,", "NI-1,2023/24,91.2,907,")
    _, findings = read(proj)
    problem = next(f for f in findings if f.code == "indicators.implausible")
    assert problem.message == ("NI-1 2023/24 for Scotland: expected a percentage from 50 to "
                               "100, found 907; check the unit (% of adults responding "
                               "(weighted)) and the digits")
    assert problem.location.column == "scotland"


def test_a_jump_beyond_the_threshold_is_a_warning_naming_both_years(proj):
    edit(proj / "data" / "indicators.csv", "NI-16,2022/23,22.1,", "NI-16,2022/23,42.1,")
    inputs, findings = read(proj)
    assert inputs is not None                              # a warning: the build goes on
    jumps = [f for f in findings if f.code == "indicators.jump"]
    assert [f.message for f in jumps] == [
        "NI-16 changed from 22.9 in 2021/22 to 42.1 in 2022/23, more than the 1.6-fold change "
        "expected from one year to the next; check both figures (unit, digits)"]
    assert (jumps[0].location.row, jumps[0].location.column) == (
        _line(proj, "NI-16,2022/23,"), "value")


def test_a_percentage_jump_is_measured_in_points_and_not_across_a_break(proj):
    path = proj / "data" / "indicators.csv"
    edit(path, "NI-17,2022/23,73.7,", "NI-17,2022/23,50.7,")
    edit(path, "NI-2,2023/24,71.1,", "NI-2,2023/24,41.1,")      # 2023/24 is a break for NI-2
    _, findings = read(proj)
    messages = [f.message for f in findings if f.code == "indicators.jump"]
    assert messages == [
        "NI-17 changed from 78.9 in 2021/22 to 50.7 in 2022/23, more than the 20 percentage "
        "points expected from one year to the next; check both figures (unit, digits)",
        "NI-17 changed from 50.7 in 2022/23 to 79.4 in 2023/24, more than the 20 percentage "
        "points expected from one year to the next; check both figures (unit, digits)"]


def test_the_sample_and_the_31_synthetic_partnerships_are_inside_every_range(tmp_path):
    for national in (False, True):
        dest = tmp_path / ("national" if national else "own")
        for root in make_national(SAMPLE, dest, 31, national_file=national):
            tables = {"indicators": dest / "national" / "indicators.csv"} if national else None
            _, findings = read_sources(load_config(root), ReportingYear(2023), tables)
            assert not [f for f in findings if f.code.startswith("indicators.")], root.name


def test_a_local_percentage_indicator_is_checked_against_0_to_100(proj):
    edit(proj / "apr.toml", 'unit = "people"\nunit_short = "people"',
         'unit = "people"\nunit_short = "%"')
    _, findings = read(proj)
    problem = next(f for f in findings if f.code == "indicators.implausible")
    assert problem.message == ("L-1 2021/22: expected a percentage from 0 to 100, found 121; "
                               "check the unit (people) and the digits")


# --- money cells -------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, code, expected", [
    ('"309,8"', "data.decimal_comma", "'309,8' (a decimal comma: write 309.8 with a point, or "
     "1,234 with a comma only between thousands)"),
    ('"40.562,5"', "data.decimal_comma", "'40.562,5' (a decimal comma: write 40562.5 with a "
     "point, or 1,234 with a comma only between thousands)"),
    ("€40562", "data.wrong_currency", "'€40562' (a € sign: amounts are in pounds, in the unit "
     "of [report] amounts)"),
    ("4%", "data.percent_in_money", "'4%' (a % sign in a money column)"),
])
def test_a_bad_money_cell_is_an_error_naming_the_cell(proj, cell, code, expected):
    edit(proj / "data" / "finance.csv", "2023/24,Prescribing,40562,",
         f"2023/24,Prescribing,{cell},")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == code]
    assert problem.message == ("expected an amount such as 1234 or (1,234) in 'budget', "
                               f"found {expected}")
    assert (problem.location.row, problem.location.column) == (76, "budget")


def test_thousands_separators_and_pound_signs_are_still_accepted_in_money(proj):
    edit(proj / "data" / "finance.csv", "2023/24,Prescribing,40562,42412,",
         '2023/24,Prescribing,"£40,562","42,412",')
    inputs, findings = read(proj)
    assert not findings.errors
    line = next(ln for ln in inputs.finance if ln.service_line == "Prescribing"
                and ln.year.start == 2023)
    assert (line.budget, line.outturn) == (40562, 42412)


def test_a_pound_sign_in_a_column_that_is_not_money_is_an_error(proj):
    edit(proj / "data" / "localities.csv", "Linnhaven Coast,2023/24,33900,",
         'Linnhaven Coast,2023/24,"£33,900",')
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "data.wrong_currency"]
    assert problem.message == ("expected a number in 'population', found '£33,900' (a £ sign in "
                               "a column that is not money)")


def test_a_negative_budget_is_an_error_but_a_reserve_movement_may_be_negative(proj):
    edit(proj / "data" / "finance.csv", "2023/24,Prescribing,40562,",
         "2023/24,Prescribing,(40562),")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "data.negative"]
    assert problem.message == ("expected an amount of zero or more in 'budget', found (40562); "
                               "net income off the service line it funds, as the annual "
                               "accounts do")
    assert "data.negative" not in [f.code for f in read(copy_sample(proj.parent / "b"))[1]]


# --- duplicates --------------------------------------------------------------------------------


def test_a_finance_line_given_twice_is_an_error_naming_both_rows(proj):
    path = proj / "data" / "finance.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "2023/24,Prescribing,100,100,,NHS Linnshire\n", encoding="utf-8")
    last = len(text.splitlines()) + 1
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "finance.duplicate_line"]
    assert problem.message == (f"service line 'Prescribing' of NHS Linnshire in 2023/24 is given "
                               f"twice, on rows 76 and {last}; keep one row (add the amounts "
                               "together if both are real)")
    assert problem.location.row == last


def test_the_same_line_of_two_bodies_is_two_lines(proj):
    add_finance(proj, "2023/24,Prescribing,100,100,,Strathlinn Council")
    inputs, findings = read(proj)
    assert not findings.errors
    assert len([ln for ln in inputs.finance if ln.service_line == "Prescribing"
                and ln.year.start == 2023]) == 2


def test_a_locality_given_twice_is_an_error_naming_both_rows(proj):
    path = proj / "data" / "localities.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Strathlinn Town,2023/24,61200,102260\n",
                    encoding="utf-8")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "localities.duplicate"]
    assert problem.message == ("locality 'Strathlinn Town' in 2023/24 is given twice, on rows 28 "
                               "and 30; keep one row (add the amounts together if both are real)")


def test_an_indicator_row_given_twice_is_an_error_naming_both_rows(proj):
    path = proj / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines().index(next(line for line in text.splitlines()
                                         if line.startswith("NI-12,2023,"))) + 1
    path.write_text(text + "NI-12,2023,11240,11707,,,,,,\n", encoding="utf-8")
    added = len(text.splitlines()) + 1         # the header is row 1
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "indicators.duplicate"]
    assert problem.message == (f"NI-12 2023 for the partnership is given twice, on rows {first} "
                               f"and {added}; keep one row")


# --- totals and subtotals ----------------------------------------------------------------------


def add_finance(proj: Path, *lines: str) -> None:
    path = proj / "data" / "finance.csv"
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"{ln}\n" for ln in lines),
                    encoding="utf-8")


def test_a_total_row_is_used_as_the_years_total_never_added_in(proj):
    add_finance(proj, "2023/24,Total,309800,310350,")
    inputs, findings = read(proj)
    assert not findings
    this_year = [ln for ln in inputs.finance if ln.year.start == 2023]
    assert len(this_year) == 12 and sum(ln.budget for ln in this_year) == 309800


def test_a_total_row_that_does_not_add_up_is_a_warning(proj):
    add_finance(proj, "2023/24,TOTAL,309900,310350,")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "finance.total_row_mismatch"]
    assert problem.message == ("'TOTAL' gives budget 309,900 and outturn 310,350 for 2023/24, but "
                               "the lines add up to 309,800 and 310,350 (£000), more than the "
                               "rounding tolerance of 1 apart; correct the lines or the total")
    assert (problem.location.row, problem.location.column) == (86, "service_line")


def test_a_total_row_is_not_compared_while_a_line_is_refused(proj):
    edit(proj / "data" / "finance.csv", "2023/24,Prescribing,40562,", '2023/24,Prescribing,"40,5",')
    add_finance(proj, "2023/24,Total,309800,310350,")
    _, findings = read(proj)
    assert [f.code for f in findings] == ["data.decimal_comma"]


@pytest.mark.parametrize("name", ["Sub total", "Total NHS", "Council services total"])
def test_a_subtotal_row_without_a_body_is_refused_with_advice(proj, name):
    add_finance(proj, f"2023/24,{name},100000,100000,")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "finance.subtotal_row"]
    assert problem.message == (f"'{name}' looks like a subtotal of other rows, but gives no "
                               "partner body, so apr cannot tell which lines it adds up. Give "
                               "the body (NHS board or council) in a 'body' column to have it "
                               "checked and shown as that body's subtotal, or delete the row")


def test_a_row_equal_to_the_sum_of_the_others_is_refused(proj):
    edit(proj / "apr.toml", '"Prescribing" = {', '"All services" = { category = "b" }\n'
         '"Prescribing" = {')
    add_finance(proj, "2023/24,All services,309800,310350,")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "finance.sum_row"]
    assert problem.message == ("'All services' equals the sum of the other 12 2023/24 lines "
                               "(budget 309,800, outturn 310,350); it looks like a total: name "
                               "it Total, or delete it")


def test_a_localities_total_row_is_refused(proj):
    path = proj / "data" / "localities.csv"
    path.write_text(path.read_text(encoding="utf-8") + "All localities,2023/24,151300,271247\n",
                    encoding="utf-8")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "localities.total_row"]
    assert problem.message == ("'All localities' looks like a total of the localities; apr adds "
                               "the localities itself and would count it twice. Delete the row")


# --- another partnership's rows ----------------------------------------------------------------


def test_a_row_for_another_partnership_in_aprs_layout_is_an_error_naming_both(proj):
    def tag(row):
        row["partnership"] = "Fife" if row["indicator"] == "NI-11" and row["period"] == "2023" \
            else "Strathlinn"
        return row
    path = proj / "data" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",partnership"
    path.write_text("\n".join(ln + ("," if i else "") for i, ln in enumerate(lines)) + "\n",
                    encoding="utf-8")
    rewrite_csv(path, tag)
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "indicators.other_partnership"]
    assert problem.message == ("this row is for Fife, not this project's partnership Strathlinn "
                               "(S37999001); delete the row, or use a Public Health Scotland "
                               "national file, which apr reads for ranks")
    assert (problem.location.row, problem.location.column) == (44, "partnership")
    assert "data.extra_column" not in [f.code for f in findings]


def test_a_reserve_or_saving_given_twice_is_an_error_naming_both_rows(proj):
    for name, line in (("reserves", "2023/24,earmarked,Primary care improvement fund,1,0,1"),
                       ("savings", "2023/24,Prescribing efficiencies,10,10,yes")):
        path = proj / "data" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    _, findings = read(proj)
    messages = {f.code: f.message for f in findings
                if f.code in ("reserves.duplicate", "savings.duplicate")}
    assert messages == {
        "reserves.duplicate": "earmarked reserve 'Primary care improvement fund' in 2023/24 is "
                              "given twice, on rows 2 and 9; keep one row (add the amounts "
                              "together if both are real)",
        "savings.duplicate": "the recurring part of savings programme 'Prescribing "
                             "efficiencies' in 2023/24 is given twice, on rows 2 and 9; keep "
                             "one row (add the amounts together if both are real)"}


def test_excel_currency_formats_are_checked_against_the_column(proj):
    csv_to_sheet(proj, "localities")
    csv_to_sheet(proj, "finance")
    book = proj / "data" / "apr-data.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["localities"]["C2"].number_format = '"£"#,##0'      # a population formatted as money
    wb["finance"]["C2"].number_format = '[$€-1809]#,##0'   # a budget in euros
    wb["finance"]["D2"].number_format = '"£"#,##0'         # fine: money in pounds
    wb.save(book)
    _, findings = read(proj)
    messages = sorted(f"{f.location.file.rsplit('/', 1)[-1]}:{f.location.row}: {f.message}"
                      for f in findings if f.code == "data.wrong_currency")
    assert messages == [
        "apr-data.xlsx[finance]:2: expected an amount such as 1234 or (1,234) in 'budget', "
        "found 22700 (a cell formatted as €, not pounds)",
        "apr-data.xlsx[localities]:2: expected a number in 'population', found 33400 (a cell "
        "formatted as £, in a column that is not money)"]


def test_an_indicator_in_pounds_may_carry_a_pound_sign(proj):
    edit(proj / "apr.toml", 'unit = "people"\nunit_short = "people"',
         'unit = "pounds per person"\nunit_short = "£"')
    edit(proj / "data" / "indicators.csv", "L-1,2021/22,121,", 'L-1,2021/22,"£1,210",')
    inputs, findings = read(proj)
    assert not findings.errors
    assert any(v.code == "L-1" and v.value == 1210 for v in inputs.indicators)


def test_a_body_subtotal_is_checked_and_a_total_in_disguise_refused(proj):
    """The sample gives each line's body: "Total NHS Linnshire" with that body is the body's
    subtotal, checked against its lines; a line equal to the sum of its body's is refused."""
    edit(proj / "apr.toml", '"Prescribing" = {', '"NHS services" = { category = "b" }\n'
         '"Prescribing" = {')
    add_finance(proj, "2023/24,Total NHS Linnshire,168455,169245,,NHS Linnshire",
                "2023/24,Total,141345,141000,,Strathlinn Council",
                "2023/24,NHS services,168455,169245,,NHS Linnshire")
    _, findings = read(proj)
    assert [(f.code, f.message) for f in findings if f.code.startswith("finance.")] == [
        ("finance.sum_row", "'NHS services' equals the sum of the other 6 2023/24 lines of NHS "
         "Linnshire (budget 168,455, outturn 169,245); it looks like a total: name it Total, or "
         "delete it"),
        ("finance.subtotal_mismatch", "'Total' gives budget 141,345 and outturn 141,000 for "
         "2023/24, but the lines of Strathlinn Council add up to 141,345 and 141,105 (£000), "
         "more than the rounding tolerance of 1 apart; correct the lines or the total")]


def test_a_scotland_row_in_aprs_layout_is_refused_with_advice(proj):
    path = proj / "data" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",area_code"] + [line + "," for line in lines[1:]]
    lines.append("NI-11,2016,430,,,,,,,,S92000003")
    added = len(lines)                          # the header is row 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, findings = read(proj)
    [problem] = [f for f in findings if f.code == "indicators.other_partnership"]
    assert problem.message == ("this row is for Scotland, not this project's partnership "
                               "Strathlinn (S37999001); put Scotland's figure in the 'scotland' "
                               "column of the partnership's row")
    assert (problem.location.row, problem.location.column) == (added, "area_code")


def test_a_local_indicator_may_set_its_own_range_and_jump(proj):
    edit(proj / "apr.toml", 'unit = "people"\nunit_short = "people"',
         'unit = "people"\nunit_short = "people"\nplausible = [0, 500]\njump_factor = 3')
    edit(proj / "data" / "indicators.csv", "L-1,2022/23,97,", "L-1,2022/23,970,")
    _, findings = read(proj)
    assert [f.message for f in findings if f.code.startswith("indicators.")] == [
        "L-1 2022/23: expected 0 to 500 people, found 970; check the unit (people) and the "
        "digits"]
    edit(proj / "data" / "indicators.csv", "L-1,2022/23,970,", "L-1,2022/23,400,")
    _, findings = read(proj)
    assert [f.message for f in findings if f.code.startswith("indicators.")] == [
        "L-1 changed from 121 in 2021/22 to 400 in 2022/23, more than the 3-fold change "
        "expected from one year to the next; check both figures (unit, digits)",
        "L-1 changed from 400 in 2022/23 to 58 in 2023/24, more than the 3-fold change "
        "expected from one year to the next; check both figures (unit, digits)"]


def test_a_local_indicators_range_must_be_two_numbers(proj):
    edit(proj / "apr.toml", 'unit = "people"\nunit_short = "people"',
         'unit = "people"\nunit_short = "people"\nplausible = [500]')
    _, findings = read(proj)
    assert [f.message for f in findings if f.code == "config.local_indicator"] == [
        "local indicator 1 in [[local_indicators]]: L-1: expected plausible = [lowest, highest], "
        "e.g. [0, 100], found [500]"]
