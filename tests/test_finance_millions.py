"""The sample report built with its finance in £m, as a finance officer whose ledger is in
millions would do it: copy the sample, set ``[report] amounts = "£m"``, convert every finance
table (finance, reserves, savings, localities' spend) and every amount in apr.toml to £m with one
decimal place, and build. Each check opens what apr wrote (python-docx for the Word file, lxml
for the HTML) and compares it with the £000 build of the same sample."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html

from apr import pipeline
from apr.findings import AprError
from tests.conftest import copy_sample
from tests.report_helpers import Built, rewrite_csv

# Every amount column of the input tables (apr.sources.SCHEMAS, kind "amount").
AMOUNT_COLUMNS = {
    "finance": ("budget", "outturn", "final_budget", "variance"),
    "reserves": ("opening", "movement", "closing"),
    "savings": ("planned", "achieved"),
    "localities": ("spend",),
    "funding_gap": ("gap", "savings", "reserves", "unidentified"),
    "hosted_services": ("budget", "outturn"),
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The money tables of the report: caption -> the columns that hold amounts (0 is the row label).
MONEY_TABLES = {
    "Spend on each prescribed category": (1, 2),
    "Budget and outturn by service": (2, 3, 4),
    "Spend on key care groups": (1, 2),
    "Spend by category, 2018/19 to 2023/24": (1, 2, 3, 4, 5, 6),
    "Reserves, 2023/24": (2, 3, 4),
    "Savings planned and achieved, 2023/24": (1, 2),
    "Population and spend by locality": (2,),
}
ROUNDING_NOTE = "Figures are rounded, so the rows may not add up exactly to the total shown."


def to_millions(text: str) -> str:
    """Return an amount in £000 as the finance officer writes it in £m: one decimal place,
    rounded half away from zero as accounts are, a use or reduction in brackets."""
    text = text.strip().replace(",", "").replace("£", "")
    if not text:
        return text
    negative = text.startswith("(") or text.startswith("-")
    size = (Decimal(text.strip("()-")) / 1000).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"({size:,})" if negative else f"{size:,}"


def convert_to_millions(project: Path) -> Path:
    """Convert a copy of the sample from £000 to £m: the data tables and apr.toml."""
    for table, columns in AMOUNT_COLUMNS.items():
        rewrite_csv(project / "data" / f"{table}.csv",
                    lambda row, columns=columns: {k: to_millions(v) if k in columns else v
                                                  for k, v in row.items()})
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in (
            ('amounts = "£000"', 'amounts = "£m"'),
            ("variance_threshold = 250 ", "variance_threshold = 0.25"),
            ("budget = 309800, outturn = 310350", "budget = 309.8, outturn = 310.4"),
            ("rounding_tolerance = 1 ", "rounding_tolerance = 0.1")):
        assert old in text, old
        text = text.replace(old, new, 1)
    toml.write_text(text, encoding="utf-8")
    return project


@dataclass
class Report(Built):
    """A build with real charts: the project, and every ChartSpec drawn."""

    project: Path = Path()
    specs: list = field(default_factory=list)

    def html_table(self, caption: str) -> tuple[list[list[str]], str]:
        """Return the rows (header first) and the text around the table captioned ``caption``."""
        for table in self.page.iter("table"):
            cap = table.find("caption")
            if cap is not None and caption in cap.text_content():
                rows = [[c.text_content().strip() for c in tr if c.tag in ("th", "td")]
                        for tr in table.iter("tr")]
                # the wrapper, then the units, source and notes written under the table
                wrap = table.getparent()
                parts = [wrap.text_content()]
                for sibling in wrap.itersiblings():
                    if sibling.get("class") not in ("table-meta", "table-notes"):
                        break
                    parts.append(sibling.text_content())
                return rows, re.sub(r"\s+", " ", " ".join(parts))
        raise AssertionError(f"no HTML table captioned {caption!r}")

    def word_table(self, caption: str) -> list[list[str]]:
        for table in self.word.tables:
            cap = table._tbl.tblPr.find(f"{W}tblCaption")
            if cap is not None and caption in (cap.get(f"{W}val") or ""):
                # without the invisible line-break point after a slash in a header
                return [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]
        raise AssertionError(f"no Word table captioned {caption!r}")


def _build(project: Path) -> Report:
    specs: list = []
    original = pipeline.draw_charts

    def recording(chart_specs, *args, **kwargs):
        specs.extend(chart_specs)
        return original(chart_specs, *args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_charts", recording)
    try:
        result = pipeline.build(project, 2023, ("docx", "html"))
    finally:
        mp.undo()
    paths = {p.suffix: p for p in result.outputs}
    return Report(result, lxml_html.fromstring(paths[".html"].read_bytes()),
                  docx.Document(str(paths[".docx"])), project=project, specs=specs)


@pytest.fixture(scope="session")
def thousands(tmp_path_factory) -> Report:
    """The sample as it is, in £000."""
    return _build(copy_sample(tmp_path_factory.mktemp("fin000") / "sample"))


@pytest.fixture(scope="session")
def millions(tmp_path_factory) -> Report:
    """The sample converted to £m and built end to end, charts and all."""
    return _build(convert_to_millions(copy_sample(tmp_path_factory.mktemp("finm") / "sample")))


def _amount(cell: str) -> Decimal:
    """Return the value of an amount as shown: '1,234.5' or '(0.6)'."""
    negative = cell.startswith("(")
    value = Decimal(cell.strip("()").replace(",", ""))
    return -value if negative else value


def _row(rows: list[list[str]], first: str) -> list[str]:
    """Return the row whose first cell is ``first``, or else the first that starts with it."""
    for r in rows:
        if r and r[0] == first:
            return r
    for r in rows:
        if r and r[0].startswith(first):
            return r
    raise AssertionError(f"no row starting {first!r} in {[r[0] for r in rows if r]}")


# ---------------------------------------------------------------------------------------------
# The conversion itself

def test_conversion_writes_one_decimal_place_and_brackets():
    assert to_millions("32594") == "32.6"
    assert to_millions("310350") == "310.4"
    assert to_millions("(1400)") == "(1.4)"
    assert to_millions("(550)") == "(0.6)"      # half away from zero, as the accounts round
    assert to_millions("-450") == "(0.5)"
    assert to_millions("") == ""


# ---------------------------------------------------------------------------------------------
# The build

def _finance_findings(report: Report) -> list:
    return [f for f in report.result.findings
            if f.code.split(".")[0] in ("finance", "reserves", "localities", "data")]


def test_builds_without_false_finance_warnings(millions, thousands):
    """No false warnings from rounding to 0.1: the service lines, rounded to £0.1m, add up to
    the annual accounts' totals within the stated tolerance of 0.1, and the £m build warns as the
    £000 build does."""
    assert _finance_findings(thousands) == []
    findings = _finance_findings(millions)
    assert findings == [], [str(f) for f in findings]
    assert sorted(millions.codes()) == sorted(thousands.codes())


def test_reserve_rounded_to_a_tenth_is_not_a_closing_mismatch(millions):
    """The general reserve 3,300 - 550 = 2,750 (£000) is 3.3 - 0.6 = 2.8 in £m: one tenth out,
    within the tolerance of 0.1 (3.3 - 0.6 is 2.6999999999999997 in binary floating point)."""
    assert "reserves.closing_mismatch" not in millions.codes(), \
        [str(f) for f in millions.result.findings if f.code == "reserves.closing_mismatch"]


@pytest.mark.parametrize("caption", sorted(MONEY_TABLES))
def test_every_money_table_is_labelled_in_millions(millions, caption):
    rows, around = millions.html_table(caption)
    word = millions.word_table(caption)
    assert rows == word, "the Word and HTML tables differ"
    header = " ".join(rows[0])
    assert "£000" not in header and "£000" not in around
    money_headers = [rows[0][i] for i in MONEY_TABLES[caption] if "(" in rows[0][i]]
    assert all("(£m)" in h for h in money_headers), money_headers
    if caption.startswith("Spend by category"):        # the trend table: unit stated once
        assert "£m" in around


@pytest.mark.parametrize("caption", sorted(MONEY_TABLES))
def test_amounts_show_one_decimal_place_with_separators_and_brackets(millions, caption):
    rows, _ = millions.html_table(caption)
    pattern = re.compile(r"^\(?\d{1,3}(,\d{3})*\.\d\)?$")
    cells = [r[i] for r in rows[1:] for i in MONEY_TABLES[caption] if i < len(r) and r[i]]
    assert cells
    for cell in cells:
        assert pattern.match(cell), f"{caption}: {cell!r}"
        assert cell != "(0.0)"


def test_amounts_match_the_thousands_build(millions, thousands):
    """Every amount in £m is the £000 amount in millions, to within the rounding of the lines."""
    for caption, columns in MONEY_TABLES.items():
        m_rows, _ = millions.html_table(caption)
        k_rows, _ = thousands.html_table(caption)
        assert [r[0] for r in m_rows] == [r[0] for r in k_rows]
        for m, k in zip(m_rows[1:], k_rows[1:]):
            for i in columns:
                if i < len(m) and m[i]:
                    assert abs(_amount(m[i]) - _amount(k[i]) / 1000) <= Decimal("0.65"), \
                        (caption, m[0], m[i], k[i])


def test_negatives_are_in_brackets(millions):
    rows, _ = millions.html_table("Budget and outturn by service")
    # budget, outturn and the variance as published (from unrounded figures: 1.85 is (1.9))
    assert [_row(rows, "Prescribing")[i] for i in (2, 4, 5)] == ["40.6", "42.4", "(1.9)"]
    assert [_row(rows, "Care homes")[i] for i in (2, 4, 5)] == ["41.9", "43.3", "(1.4)"]
    assert _row(rows, "Care at home")[5] == "0.5"
    assert [_row(rows, "Total")[i] for i in (2, 4, 5)] == ["309.7", "310.3", "(0.6)"]
    rows, _ = millions.html_table("Reserves, 2023/24")
    assert _row(rows, "Primary care improvement fund")[2:] == ["3.1", "(1.4)", "1.7"]
    assert _row(rows, "Total reserves")[2:] == ["12.9", "(4.0)", "9.0"]
    rows, _ = millions.html_table("Spend on each prescribed category")
    assert _row(rows, "Overspend")[3:] == ["(0.6)", ""]
    assert _row(rows, "Underspend against the final budget")[3:] == ["0.6", "0.2%"]


def test_prescribed_category_proportions_are_those_of_the_thousands_build(millions, thousands):
    for caption in ("Spend on each prescribed category", "Spend on key care groups"):
        m_rows, _ = millions.html_table(caption)
        k_rows, _ = thousands.html_table(caption)
        assert [r[0] for r in m_rows] == [r[0] for r in k_rows]
        # proportions of the total paid or set aside: the same, or a tenth apart where
        # rounding each line to £0.1m moves a figure across a half (docs/finance.md)
        for m_row, k_row in zip(m_rows[1:], k_rows[1:]):
            if m_row[-1] != k_row[-1]:
                gap = abs(float(m_row[-1].rstrip("%")) - float(k_row[-1].rstrip("%")))
                assert gap <= 0.1 + 1e-9, (caption, m_row, k_row)
        assert [r[-1] for r in millions.word_table(caption)] == [r[-1] for r in m_rows]


def test_proportions_over_the_years_within_a_tenth_of_the_thousands_build(millions, thousands):
    """Lines rounded to £0.1m can move an earlier year's proportion by 0.1 points (2018/19
    other social care: 28.0% of £246.9m in £000, 28.1% in £m), never more."""
    m_rows, _ = millions.html_table("Proportion of funding spent on each category")
    k_rows, _ = thousands.html_table("Proportion of funding spent on each category")
    assert [r[0] for r in m_rows] == [r[0] for r in k_rows] and m_rows[0] == k_rows[0]
    for m, k in zip(m_rows[1:], k_rows[1:]):
        for a, b in zip(m[1:], k[1:]):
            assert abs(float(a.rstrip("%")) - float(b.rstrip("%"))) <= 0.1 + 1e-9, (m, k)
    assert _row(m_rows, "(a)") == _row(k_rows, "(a)")


def test_totals_add_up_within_the_stated_tolerance(millions):
    # the lines table: outturn and the variance as published (columns 4 and 5)
    for caption, total_row, columns in (
            ("Spend on each prescribed category", "Total spend", (3,)),
            ("Budget and outturn by service", "Total", (4, 5)),
            ("Reserves, 2023/24", "Total reserves", (4,)),
            ("Population and spend by locality", "Total", (2,))):
        rows, around = millions.html_table(caption)
        body = [r for r in rows[1:] if not r[0].startswith("Total")
                and not r[0].startswith(("Underspend", "Overspend"))]
        differ = False
        for column in columns:
            total = _amount(_row(rows, total_row)[column])
            shown = sum(_amount(r[column]) for r in body if r[column])
            assert abs(shown - total) <= Decimal("0.1"), (caption, shown, total)
            differ = differ or shown != total
        # the note appears only when the rows as shown really do not add up
        assert (ROUNDING_NOTE in around) == differ, (caption, columns)
    _, around = millions.html_table("Spend on each prescribed category")
    assert "agree with the annual accounts within a rounding tolerance of 0.1 (£m)" in around
    assert "to be reconciled" not in millions.text


def test_variance_threshold_is_stated_as_set(millions):
    _, around = millions.html_table("Budget and outturn by service")
    assert "Reasons are given for every variance above 0.25 (£m)." in around
    assert "Every variance above £250k is explained in the table." in millions.text


def test_sentences_read_in_millions(millions, thousands):
    for text in (millions.text, millions.word_text):
        assert "was £309.7m. It spent £310.3m: an overspend of £550k against" not in text
        assert "It spent £310.3m: an overspend of £600k against the annual financial " \
               "statement" in text
        assert "total spending went from £246.9m to £310.3m" in text
        assert "Resources have moved from institutional care towards care in the community." \
            in text
        assert "reserves went from £12.9m at 1 April 2023 to £9.0m at 31 March 2024" in text
        assert "The shortfall was £1.1m." in text
        assert "In 2023/24, £102.3m (33.0% of our total spend) was spent on services in " \
            "Strathlinn Town." in text
        assert re.search(r"£\d{1,3}(,\d{3})+(\.\d+)?m", text) is None    # no "£1,200m"
        assert re.search(r"£0\.0\d*m", text) is None                     # no "£0.0012m"
        assert "million million" not in text
    assert "total spending went from £247.0m to £310.4m" in thousands.text


FINANCE_CHARTS = ("Budget and outturn by year", "Spend by prescribed category",
                  "Spend by locality, 2023/24", "Reserves at the start and end of 2023/24",
                  "Savings planned and achieved, 2023/24")


SMALL_CHARTS = ("Reserves at the start and end of 2023/24",
                "Savings planned and achieved, 2023/24")


def test_charts_are_in_millions(millions, thousands):
    """The spend charts are drawn in £m from either unit, with the same values to within the
    rounding of the lines (the £000 build scales by 1/1000, the £m build by 1). Reserves and
    savings, far below £1m a line, are drawn in the project's own unit, as their tables are
    (docs/numbers.md): in £m one decimal place would show £550k as 0.6."""
    m_specs = {s.title: s for s in millions.specs}
    k_specs = {s.title: s for s in thousands.specs}
    for title in FINANCE_CHARTS:
        spec, k = m_specs[title], k_specs[title]
        small = title in SMALL_CHARTS
        assert spec.unit == "£m" and k.unit == ("£000" if small else "£m"), title
        assert spec.labels == k.labels and [s.name for s in spec.series] == \
            [s.name for s in k.series]
        for ms, ks in zip(spec.series, k.series):
            for a, b in zip(ms.values, ks.values):
                assert abs(a - (b / 1000 if small else b)) <= 0.65, (title, ms.name, a, b)
    budget = m_specs["Budget and outturn by year"].series
    assert budget[0].values[-1] == pytest.approx(309.7) and \
        budget[1].values[-1] == pytest.approx(310.3)
    for caption in ("Spend by category (£m)", "Budget and outturn (£m)",
                    "Spend by locality (£m)"):
        m_rows, around = millions.html_table(caption)
        k_rows, _ = thousands.html_table(caption)
        assert len(m_rows) == len(k_rows) and "Units: £m" in around
    for name in ("Reserves", "Savings planned and achieved"):
        m_rows, _ = millions.html_table(f"{name} (£m)")
        k_rows, around = thousands.html_table(f"{name} (£000)")
        assert len(m_rows) == len(k_rows) and "Units: £000" in around
    rows, _ = millions.html_table("Budget and outturn (£m)")
    assert _row(rows, "2023/24") == ["2023/24", "309.7", "310.3", "(0.6)"]


def test_no_amount_is_labelled_in_thousands(millions):
    assert "£000" not in millions.text
    assert "£000" not in millions.word_text
    assert all("£000" not in cell.text for table in millions.word.tables
               for row in table.rows for cell in row.cells)


def test_compliance_is_unchanged(millions, thousands):
    """The build's checklist and apr check give the same result, requirement by requirement."""
    def statuses(requirements):
        return [(r.id, r.status, r.where) for r in requirements]
    assert statuses(millions.result.requirements) == statuses(thousands.result.requirements)
    m_check, k_check = pipeline.check(millions.project, 2023), pipeline.check(thousands.project,
                                                                              2023)
    assert statuses(m_check.requirements) == statuses(k_check.requirements)
    assert not m_check.missing


def test_reader_errors_name_file_row_and_column(tmp_path):
    project = convert_to_millions(copy_sample(tmp_path / "sample"))
    path = project / "data" / "finance.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("2017/18,Prescribing,31.5,32.1,")
    lines[3] = lines[3].replace(",31.5,", ",31.5m,", 1)       # row 4 of the file, column budget
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AprError) as exc:
        pipeline.build(project, 2023, ("html",))
    bad = [f for f in exc.value.findings if f.code == "data.bad_amount"]
    assert len(bad) == 1
    where = bad[0].location
    assert (Path(where.file).name, where.row, where.column) == ("finance.csv", 4, "budget"), \
        str(bad[0])
    assert "'31.5m'" in bad[0].message


# ---------------------------------------------------------------------------------------------
# The settings in the amounts unit, and rounding sums of tenths

def test_amount_settings_default_to_the_same_sums_of_money_in_millions(tmp_path):
    """Left out of apr.toml, variance_threshold and rounding_tolerance mean £250k and one unit of
    the last place shown, whatever the unit (before, a £m project needed a reason only for a
    variance above £250m, and tolerated £1m)."""
    from apr.config import load_config
    project = convert_to_millions(copy_sample(tmp_path / "sample"))
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(variance_threshold|rounding_tolerance) = .*$", "", text)
    toml.write_text(text, encoding="utf-8")
    config = load_config(project)
    assert (config.amounts, config.variance_threshold, config.rounding_tolerance) == \
        ("£m", 0.25, 0.1)
    toml.write_text(text.replace('amounts = "£m"', 'amounts = "£000"'), encoding="utf-8")
    config = load_config(project)
    assert (config.variance_threshold, config.rounding_tolerance) == (250.0, 1.0)


def test_sums_of_tenths_round_as_the_accounts_do():
    from apr.analysis.finance import total, within
    from apr.formatting import money, round_half_up, setting_amount
    assert round_half_up(1.1 + 1.15 + 1.1, 1) == 3.4        # 3.3499999999999996 in floating point
    assert round_half_up(0.1 + 0.2 + 0.15, 1) == 0.5
    assert money(1.1 + 1.15 + 1.1, "£m") == "3.4"
    assert total([0.1, 0.2]) == 0.3 and total([3.3, -0.6]) == 2.7
    assert within(309.7 - 309.8, 0.1) and not within(309.6 - 309.8, 0.1)
    assert setting_amount(0.25, "£m") == "0.25" and setting_amount(0.1, "£m") == "0.1"
    assert setting_amount(1, "£m") == "1.0" and setting_amount(250, "£000") == "250"
    assert setting_amount(2.5, "£000") == "2.5"


def test_a_reserve_that_does_not_add_up_is_reported_in_millions(tmp_path):
    """The closing-balance warning names the amounts as the project keeps them: in £m, with
    their decimal place."""
    proj = copy_sample(tmp_path / "proj")
    convert_to_millions(proj)
    reserves = proj / "data" / "reserves.csv"
    text = reserves.read_text(encoding="utf-8")
    assert "General reserve,3.3,(0.6),2.8" in text
    reserves.write_text(text.replace("General reserve,3.3,(0.6),2.8",
                                     "General reserve,3.3,(0.6),2.4"), encoding="utf-8")
    result = pipeline.build(proj, 2023, ("html",))
    (found,) = [f for f in result.findings if f.code == "reserves.closing_mismatch"]
    assert "opening 3.3 plus movement -0.6 is 2.7, but closing is 2.4 (difference -0.3" \
        in found.message
