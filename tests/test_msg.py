"""The Ministerial Strategic Group indicators (docs/msg.md): the three input layouts, name
variants, bad cells located, the baseline comparison, the aims, and the table, charts and
sentences of the built sample, reopened from what apr wrote."""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from apr.catalogue.msg import msg_code, msg_indicators
from apr.config import ReportingYear, load_config
from apr.findings import AprError
from apr.sources import read_sources
from apr.sources.values import SUPPRESSED
from report_helpers import build, build_once, edit, html_table, project, row, word_table

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"
CAPTION = "Ministerial Strategic Group indicators, "
ABSENT = "The partnership has not supplied the Ministerial Strategic Group indicators for this " \
         "report."


def sample_msg() -> dict[tuple[str, str], tuple[float, float]]:
    """Return the sample's data/msg.csv as {(code, year): (value, scotland)}."""
    with open(SAMPLE / "data" / "msg.csv", newline="", encoding="utf-8") as fh:
        return {(r["indicator"], r["year"]): (float(r["value"]), float(r["scotland"]))
                for r in csv.DictReader(fh)}


def count(x: float) -> str:
    return f"{x:,.0f}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    yield from build_once(tmp_path_factory, "msg")


# --- the built sample ---------------------------------------------------------------------

def test_table_gives_baseline_years_change_aim_and_progress_in_word_and_html(built):
    data = sample_msg()
    html = html_table(built.page, CAPTION)
    assert html == word_table(built.word, CAPTION)
    assert html[0] == ["Indicator", "2017/18 (baseline)", "2022/23", "2023/24",
                       "Change since baseline", "Aim", "Progress"]
    base, prev, now = (data[("MSG-1a", y)][0] for y in ("2017/18", "2022/23", "2023/24"))
    change = (now - base) / base * 100
    assert row(html, "MSG-1a") == [
        "MSG-1a Emergency admissions", count(base), count(prev), count(now),
        f"{'▼' if change < 0 else '▲'} {abs(change):.1f}%", "Reduce to at most 14,500",
        "✓ Target met" if now <= 14500 else "✗ Target not met"]
    base5, now5 = data[("MSG-5", "2017/18")][0], data[("MSG-5", "2023/24")][0]
    assert row(html, "MSG-5")[4:] == [f"{'▲' if now5 > base5 else '▼'} "
                                      f"{abs(now5 - base5):.1f} points", "Increase",
                                      "✓ As aimed" if now5 > base5 else "✗ Not as aimed"]
    assert len(html) == 1 + len(msg_indicators())


def test_sentence_states_baseline_change_scotland_and_the_objective(built):
    data = sample_msg()
    (b, bs), (n, ns) = data[("MSG-4", "2017/18")], data[("MSG-4", "2023/24")]
    ours, scot = (n - b) / b * 100, (ns - bs) / bs * 100
    assert ours > 0 and scot > 0      # the sample's delays rose, here and across Scotland
    expected = (f"The number of bed days lost to delayed discharges rose from {count(b)} in "
                f"2017/18, the baseline year, to {count(n)} in 2023/24, a rise of {ours:.1f}%. "
                f"Across Scotland the figure rose by {scot:.1f}% over the same years. Our "
                f"objective was 12,000 or fewer in 2023/24: "
                f"{'we met it' if n <= 12000 else 'we did not meet it'}.")
    assert expected in built.text
    assert expected in built.word_text


def test_opening_counts_the_indicators_on_track_without_opening_on_a_numeral(built):
    table = html_table(built.page, CAPTION)[1:]
    aimed = [r for r in table if r[5] != "No aim set"]
    on_track = [r for r in aimed if r[6].startswith("✓")]
    targets = [r for r in aimed if "Target" in r[6]]
    met = [r for r in targets if r[6] == "✓ Target met"]
    assert 1 < len(on_track) < len(aimed) and len(met) == 1 and len(targets) == 2
    assert (f"In 2023/24, {len(on_track)} of the {len(aimed)} indicators with an aim were on "
            f"track (1 of the 2 targets was met).") in built.text


def test_chart_of_a_percentage_has_scotland_alt_text_and_its_data(built):
    data = sample_msg()
    figures = [f for f in built.page.iter("figure") if "MSG-5" in f.text_content()]
    assert figures, "no MSG-5 figure in the HTML"
    alt = figures[0].find(".//img").get("alt")
    first, last = data[("MSG-5", "2017/18")][0], data[("MSG-5", "2023/24")][0]
    assert alt.startswith("Line chart of MSG-5, last six months of life spent in the "
                          "community, for Strathlinn, 2017/18 to 2023/24. It rose from "
                          f"{first:.1f}% in 2017/18 to {last:.1f}% in 2023/24.")
    table = html_table(built.page, "Last six months of life spent in the community")
    assert table[0] == ["Year", "Strathlinn", "Scotland"]
    assert row(table, "2020/21")[1:] == [f"{data[('MSG-5', '2020/21')][0]:.1f}%",
                                        f"{data[('MSG-5', '2020/21')][1]:.1f}%"]


def test_every_msg_indicator_with_figures_has_a_chart_in_word(built):
    from docx.oxml.ns import qn
    descriptions = [d.get("descr") for d in built.word.element.body.iter(qn("wp:docPr"))]
    for code in msg_indicators():
        assert any(d and d.startswith(f"Line chart of {code},") for d in descriptions), code


def test_without_msg_data_the_section_says_so_in_one_sentence(tmp_path, monkeypatch):
    proj = project(tmp_path)
    (proj / "data" / "msg.csv").unlink()
    done = build(proj, monkeypatch)
    assert ABSENT in done.text and ABSENT in done.word_text
    assert not any(CAPTION in (t.find("caption").text_content() if t.find("caption") is not None
                               else "") for t in done.page.iter("table"))
    assert not [c for c in done.codes() if c.startswith("msg.")]
    assert "To be completed: the Ministerial" not in done.text


# --- the baseline and aims ------------------------------------------------------------------

def test_baseline_setting_moves_the_comparison(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "baseline = 2017", "baseline = 2019")
    done = build(proj, monkeypatch, formats=("html",))
    data = sample_msg()
    table = html_table(done.page, CAPTION)
    assert table[0][1] == "2019/20 (baseline)"
    b, n = data[("MSG-2b", "2019/20")][0], data[("MSG-2b", "2023/24")][0]
    assert row(table, "MSG-2b")[1] == count(b)
    assert row(table, "MSG-2b")[4] == f"▼ {abs((n - b) / b * 100):.1f}%"
    assert f"to {count(n)} in 2023/24, a fall of {abs((n - b) / b * 100):.1f}%" in done.text


def test_objective_turns_the_aim_and_its_verdict(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", '"5" = "increase"', '"5" = "reduce", "3a" = "maintain"')
    done = build(proj, monkeypatch, formats=("html",))
    table = html_table(done.page, CAPTION)
    assert row(table, "MSG-5")[5:] == ["Reduce", "✗ Not as aimed"]
    data = sample_msg()
    b, n = data[("MSG-3a", "2017/18")][0], data[("MSG-3a", "2023/24")][0]
    assert abs((n - b) / b * 100) < 2       # within the 2% a "maintain" aim allows
    assert row(table, "MSG-3a")[5:] == ["Maintain", "✓ As aimed"]
    assert "Our objective was to reduce it: it did not move the way we aimed." in done.text
    assert "Our objective was to keep it at the baseline level: it stayed close to that " \
           "level." in done.text


def test_indicator_without_polarity_or_objective_claims_no_progress(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", ', "6b" = "maintain"', "")
    done = build(proj, monkeypatch, formats=("html",))
    assert row(html_table(done.page, CAPTION), "MSG-6b")[5:] == ["No aim set", "–"]
    sentence = re.search(r"The share of the population living at home with support[^\n]*?"
                         r"over the same years\.(.{0,40})", done.text).group(1)
    assert not sentence.strip().startswith(("Our objective", "This is"))


def test_bad_objective_is_a_config_error_word_for_word(tmp_path):
    proj = project(tmp_path)
    edit(proj / "apr.toml", '"5" = "increase"', '"7" = "increase", "5" = "better", '
         '"2a" = { aim = "reduce", target = "less" }, "2b" = { aim = "reduce", by = 2025 }')
    with pytest.raises(AprError) as err:
        load_config(proj)
    found = [(f.location.row, f.message) for f in err.value.findings
             if f.code == "config.bad_msg_objective"]
    line = next(i for i, text in enumerate((proj / "apr.toml").read_text().splitlines(), 1)
                if text.startswith("objectives ="))
    assert found == [
        (line, "msg.objectives: '7' is not an MSG indicator (1a, 2a, 2b, 2c, 3a, 3b, 4, 5, 6a "
               "or 6b)"),
        (line, 'msg.objectives: the aim for 5 must be "reduce", "increase" or "maintain", found '
               "'better'; e.g. \"5\" = \"reduce\""),
        (line, "msg.objectives: the target for 2a must be a number of zero or more, found "
               "'less'; e.g. \"2a\" = { aim = \"reduce\", target = 90 }"),
        (line, "msg.objectives: 2b takes aim and target, found 'by'")]


# --- apr's layout: every bad cell at once ---------------------------------------------------

def read_errors(proj: Path) -> list:
    with pytest.raises(AprError) as err:
        read_sources(load_config(proj), ReportingYear(2023))
    return [f for f in err.value.findings if f.code.startswith("msg.")]


def test_bad_cells_are_each_located_with_what_was_expected(tmp_path):
    proj = project(tmp_path)
    path = proj / "data" / "msg.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "MSG-9,2017/18,15210,602400"           # row 2: unknown code
    lines[2] = "MSG-1a,2018,15480,611900"             # row 3: calendar year
    lines[3] = "MSG-1a,2019/20,15 390,n/k"            # row 4: scotland not a number
    lines[4] = "MSG-1a,2020/21,-12,498700"            # row 5: negative
    lines.append("MSG-5,2016/17,0.884,88.0")          # row 72: a proportion
    lines.append("MSG-2a,2017/18,1,1")                # row 73: duplicate of row 9
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(f.code, f.location.row, f.location.column, f.message) for f in read_errors(proj)]
    last = len(lines)      # the header is row 1, so the last line is row len(lines)
    assert found == [
        ("msg.unknown_code", 2, "indicator", "expected an MSG indicator code (1a, 2a, 2b, 2c, "
         "3a, 3b, 4, 5, 6a or 6b, with or without 'MSG-'), found 'MSG-9'; correct it or delete "
         "the row"),
        ("msg.bad_year", 3, "year", "expected a financial year such as 2023/24 in 'year', found "
         "'2018'; MSG figures are reported by financial year"),
        ("msg.bad_number", 4, "scotland", "expected a number of zero or more (or 'c' for a "
         "suppressed figure) in 'scotland', found 'n/k'; correct the cell or leave it empty"),
        ("msg.bad_number", 5, "value", "expected a number of zero or more (or 'c' for a "
         "suppressed figure) in 'value', found -12 (below zero); correct the cell or leave it "
         "empty"),
        ("msg.implausible", last - 1, None, "MSG-5 2016/17: expected the value to be a "
         "percentage from 50 to 100, found 0.884; type a percentage as 88.4, not 0.884"),
        ("msg.duplicate", last, None, "MSG-2a 2017/18 is given twice, on row 9 and row "
         f"{last}; keep one"),
    ]


def test_codes_are_read_in_every_spelling():
    assert [msg_code(t) for t in ("MSG-1a", "msg 2B", "1a", "1", "3", "MSG_4", "6a", "6",
                                  "NI-12", "7")] == \
        ["MSG-1a", "MSG-2b", "MSG-1a", "MSG-1a", "MSG-3a", "MSG-4", "MSG-6a", None, None, None]


# --- Public Health Scotland's extracts ------------------------------------------------------

MONTHLY = ["Partnership", "Locality", "AGE_GROUPS", "AreaTreated", "month", "LA_Code",
           "One_Admissions", "Two_a", "Two_b", "Two_c", "Three_Attendances",
           "three_number_meeting_target", "Four_all_beddays"]


def perth(tmp_path: Path, code: str = "S37000033", short: str = "Perth and Kinross") -> Path:
    """A copy of the sample as Perth and Kinross (or another), without apr's MSG table."""
    proj = project(tmp_path)
    edit(proj / "apr.toml", 'code = "S37999001"', f'code = "{code}"')
    edit(proj / "apr.toml", 'name = "Strathlinn Health and Social Care Partnership"',
         f'name = "{short} Health and Social Care Partnership"')
    edit(proj / "apr.toml", 'short_name = "Strathlinn"', f'short_name = "{short}"')
    (proj / "data" / "msg.csv").unlink()
    return proj


def months(first: dt.date, n: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]


def monthly_rows() -> list[list]:
    """Rows for 2022/23 and 2023/24 (and April 2024 only): the partnership under PHS's
    spelling, in two AreaTreated halves, a locality row and another partnership to skip."""
    rows = []
    for i, m in enumerate(months(dt.date(2022, 4, 1), 25)):
        for area in ("Within HBres", "Outwith HBres"):
            rows.append(["Perth & Kinross", "All", "All Ages", area, m.isoformat(), "S12000048",
                         100 + i, 900, 40, 150, 300, 270, ""])
            rows.append(["Perth & Kinross", "All", "18+", area, m.isoformat(), "S12000048",
                         90, 800, 40, 140, 250, 230, 70 + i])
        rows.append(["Scotland", "All", "All Ages", "Within HBres", m.isoformat(), "S99999999",
                     50000, 400000, 20000, 70000, 130000, 100000, ""])
        rows.append(["Scotland", "All", "18+", "Within HBres", m.isoformat(), "S99999999",
                     45000, 380000, 20000, 68000, 110000, 90000, 40000])
        rows.append(["Perth & Kinross", "Perth City", "All Ages", "Within HBres",
                     m.isoformat(), "S12000048", 7, 7, 7, 7, 7, 7, ""])
        rows.append(["Angus", "All", "All Ages", "Within HBres", m.isoformat(), "S12000041",
                     9, 9, 9, 9, 9, 9, ""])
    return rows


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_monthly_extract_is_added_up_into_whole_financial_years(tmp_path):
    proj = perth(tmp_path)
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, monthly_rows())
    inputs, findings = read_sources(load_config(proj), ReportingYear(2023))
    got = {(v.code, v.start): (v.value, v.scotland) for v in inputs.msg}
    assert set(s for _, s in got) == {2022, 2023}        # April 2024 alone is not a year
    # 2023/24 is months 12 to 23: admissions 2 areas x (100 + i)
    assert got[("MSG-1a", 2023)] == (sum(2 * (100 + i) for i in range(12, 24)), 12 * 50000)
    assert got[("MSG-2a", 2023)] == (12 * 2 * 900, 12 * 400000)
    assert got[("MSG-4", 2023)] == (sum(2 * (70 + i) for i in range(12, 24)), 12 * 40000)
    assert got[("MSG-3b", 2023)] == (270 / 300 * 100, 100000 / 130000 * 100)
    assert not [f for f in findings if f.code.startswith("msg.")]


def test_monthly_extract_short_of_the_reporting_year_warns_naming_the_months(tmp_path):
    proj = perth(tmp_path)
    rows = [r for r in monthly_rows() if r[4] < "2024-01-01"]
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, rows)
    inputs, findings = read_sources(load_config(proj), ReportingYear(2023))
    warned = [f for f in findings if f.code == "msg.part_year"]
    assert [f.message for f in warned] == [
        "the extract has 9 of the 12 months of 2023/24 (April 2023 to December 2023); apr "
        "reports whole financial years only, so 2023/24 is left out. Use an extract that runs "
        "to the end of March"]
    assert {v.start for v in inputs.msg} == {2022}


def test_monthly_extract_without_the_partnership_is_an_error(tmp_path):
    proj = perth(tmp_path)
    rows = [r for r in monthly_rows() if r[0] != "Perth & Kinross"]
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, rows)
    errors = read_errors(proj)
    assert [(f.code, f.message) for f in errors] == [
        ("msg.partnership_not_found", "the file has no rows for Perth and Kinross Health and "
         "Social Care Partnership (S37000033); expected its name or code in the Partnership "
         "column. Set partnership.code in apr.toml to the S37 code, or check it is the right "
         "file")]


def test_monthly_extract_bad_month_and_count_are_located(tmp_path):
    proj = perth(tmp_path)
    rows = monthly_rows()
    rows[0][4] = "Apr-22x"
    rows[2][7] = "lots"          # the partnership's all-ages row for patients treated outwith
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, rows)
    found = [(f.code, f.location.row, f.location.column) for f in read_errors(proj)]
    assert found == [("msg.bad_month", 2, "month"), ("msg.bad_number", 4, "Two_a")]


def test_annual_extract_of_5_and_6_reads_proportions_provisional_years_and_variants(tmp_path):
    proj = perth(tmp_path)
    header = ["year", "Age_Groups", "Indicator", "Partnership", "Community_Percent",
              "HomeUnsupportedRate6", "HomeSupportedRate6"]
    rows = [["2017/18", "", "5", "Perth & Kinross", "0.881", "", ""],
            ["2023/24p", "", "5", "Perth and Kinross", "0.897", "", ""],
            ["2023/24p", "", "5", "Scotland", "0.889", "", ""],
            ["2023/24", "All Ages", "6", "Perth & Kinross", "", "96.6", "2.4"],
            ["2023/24", "65+", "6", "Perth & Kinross", "", "70.0", "20.0"],
            ["2023/24", "All Ages", "6", "Angus", "", "95.0", "3.0"]]
    write_csv(proj / "data" / "MSG Tableau 5 and 6.csv", header, rows)
    inputs, _ = read_sources(load_config(proj), ReportingYear(2023))
    got = {(v.code, v.start): (round(v.value, 6), v.scotland and round(v.scotland, 6),
                               v.qualifiers) for v in inputs.msg}
    assert got == {("MSG-5", 2017): (88.1, None, ""), ("MSG-5", 2023): (89.7, 88.9, "p"),
                   ("MSG-6a", 2023): (96.6, None, ""), ("MSG-6b", 2023): (2.4, None, "")}


def test_unknown_layout_names_the_columns_found(tmp_path):
    proj = project(tmp_path)
    write_csv(proj / "data" / "msg.csv", ["measure", "when", "figure"], [["1a", "2023/24", "1"]])
    assert [(f.code, f.message) for f in read_errors(proj)] == [
        ("msg.unknown_layout", "expected apr's layout (columns indicator, year, value and "
         "optionally scotland), Public Health Scotland's monthly MSG extract (Partnership, "
         "Locality, AGE_GROUPS, month, One_Admissions, Two_a ...) or its extract of indicators "
         "5 and 6 (year, Indicator, Partnership, Community_Percent ...); found columns: "
         "measure, when, figure. See docs/msg.md")]


def test_catalogue_gives_every_indicator_a_definition_unit_and_cited_source():
    for code, ind in msg_indicators().items():
        assert msg_code(code) == code
        assert ind.definition.endswith(".") and ind.unit and ind.subject.startswith("the ")
        assert ind.source.startswith("Public Health Scotland, MSG indicator "), code
        assert "msg-indicators, Code/" in ind.source, code
        assert (ind.plausible is not None) == ind.is_percent, code


def test_a_phs_extract_is_listed_among_the_files_read(tmp_path):
    from apr.config import display_path
    proj = perth(tmp_path)
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, monthly_rows())
    inputs, _ = read_sources(load_config(proj), ReportingYear(2023))
    assert [f for f in inputs.files if "MSG Tableau" in f] == [
        display_path(proj / "data" / "MSG Tableau 1 to 4.csv")]


@pytest.mark.parametrize("code, short, spelling", [
    ("S37000012", "Edinburgh", "City of Edinburgh"),
    ("S37000031", "Western Isles", "Na h-Eileanan Siar"),
    ("S37000005", "Clackmannanshire and Stirling", "Clackmannanshire & Stirling"),
])
def test_phs_spellings_of_the_partnership_are_its_rows(tmp_path, code, short, spelling):
    proj = perth(tmp_path, code, short)
    rows = [[spelling if r[0] == "Perth & Kinross" else r[0], *r[1:]] for r in monthly_rows()]
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, rows)
    inputs, _ = read_sources(load_config(proj), ReportingYear(2023))
    got = {(v.code, v.start): v.value for v in inputs.msg}
    assert got[("MSG-2a", 2023)] == 12 * 2 * 900


def test_a_suppressed_month_suppresses_its_year(tmp_path):
    proj = perth(tmp_path)
    rows = monthly_rows()
    june_2023 = next(i for i, r in enumerate(rows) if r[4] == "2023-06-01")
    rows[june_2023][6] = "c"          # the partnership's admissions in June 2023
    rows[june_2023][10] = "c"         # and its A&E attendances
    write_csv(proj / "data" / "MSG Tableau 1 to 4.csv", MONTHLY, rows)
    inputs, _ = read_sources(load_config(proj), ReportingYear(2023))
    got = {(v.code, v.start): (v.value, v.qualifiers) for v in inputs.msg}
    assert got[("MSG-1a", 2023)] == (SUPPRESSED, "c")
    assert got[("MSG-3b", 2023)] == (SUPPRESSED, "c")
    assert got[("MSG-1a", 2022)] == (sum(2 * (100 + i) for i in range(12)), "")
    from apr.analysis.msg import analyse_msg
    result = analyse_msg(inputs.msg, load_config(proj), ReportingYear(2023)).results[0]
    assert result.sentence == ("The number of emergency admissions is not published for "
                               "2023/24: the numbers are small enough that people could be "
                               "identified.")
