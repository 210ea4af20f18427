"""Finance that matches the signed accounts (issue 16): a published budget-against-outturn table
in rounded £m, grouped by partner body with subtotals that do not reconcile with their rows,
two lines called "Other", a split line, published variances, an in-year allocation and a carers
line of 0. Every test builds the report and reopens what apr wrote."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from apr.findings import AprError
from tests.report_helpers import build, build_once, edit, html_table, project, row, word_table

CATEGORIES = "Spend on each prescribed category"
LINES = "Budget and outturn by service"
GOLDEN = Path(__file__).parent / "golden" / "finance-section.txt"

# As a chief finance officer's accounts publish it, in rounded £m: the published variances are
# computed from unrounded figures (Hospital inpatients: 120.4 - 121.6 is (1), not (2)), and the
# NHS subtotal and the year's total budget are one more than their rows as shown.
ACCOUNTS = """\
year,partner,service_line,financial_statement,revised_budget,actual,variance,reason
2023/24,NHS Linnshire,Hospital inpatients,120,121,122,(1),
2023/24,NHS Linnshire,Community health,300,305,298,2,Vacancies in district nursing.
2023/24,NHS Linnshire,Other,192,192,189,3,Lower use of hosted services.
2023/24,NHS Linnshire,Total NHS Linnshire,613,618,609,4,
2023/24,Strathlinn Council,External purchasing,100,100,101,(1),
2023/24,Strathlinn Council,Other,50,52,49,1,
2023/24,Strathlinn Council,Support for unpaid carers,0,0,0,0,
2023/24,Strathlinn Council,Total Strathlinn Council,150,152,150,0,
2023/24,,Total,763,770,759,4,
"""
MAPPING = """\
[finance.service_lines."NHS Linnshire"]
"Hospital inpatients" = "a"
"Community health" = "b"
"Other" = "b"

[finance.service_lines."Strathlinn Council"]
"External purchasing" = { split = { c = 60, e = 40 } }
"Other" = "e"
"Support for unpaid carers" = "d"

"""


def accounts_project(root: Path, table: str = ACCOUNTS, decimals: int | None = 0) -> Path:
    """Return a copy of the sample whose finance is the published table above, in £m."""
    proj = project(root)
    (proj / "data" / "finance.csv").write_text(table, encoding="utf-8")
    toml = proj / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    start, end = text.index("[finance.service_lines]"), text.index("[best_value]")
    text = text[:start] + MAPPING + text[end:]
    text = re.sub(r"(?m)^supplied_totals = .*\n", "", text)
    text = re.sub(r"(?m)^key_care_groups = .*$", "key_care_groups = []", text)
    text = text.replace('amounts = "£000"', 'amounts = "£m"')
    text = text.replace("variance_threshold = 250 ", "variance_threshold = 1 ")
    if decimals is not None:
        text = text.replace("rounding_tolerance = 1 ", f"rounding_tolerance = 1\ndecimals = "
                                                       f"{decimals} ")
    toml.write_text(text, encoding="utf-8")
    return proj


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    try:
        yield build(accounts_project(tmp_path_factory.mktemp("accounts")), mp)
    finally:
        mp.undo()


def _tables(built, caption):
    return (html_table(built.page, caption), word_table(built.word, caption))


def _notes(built, caption: str) -> str:
    for table in built.page.iter("table"):
        cap = table.find("caption")
        if cap is not None and caption in cap.text_content():
            wrap = table.getparent()
            parts = [s.text_content() for s in wrap.itersiblings()
                     if s.get("class") in ("table-meta", "table-notes")]
            return re.sub(r"\s+", " ", " ".join(parts))
    raise AssertionError(caption)


# 1. Two figures where the law has two --------------------------------------------------------

def test_the_financial_statement_and_the_final_budget_are_kept_apart(accounts):
    for rows in _tables(accounts, CATEGORIES):
        assert rows[0][1:4] == ["Budget in the annual financial statement (£m)",
                                "Final budget (£m)", "Spend (£m)"]
        # proportions are of the total paid or set aside, 770: (a) 122 / 770
        assert row(rows, "(a)")[1:] == ["120", "121", "122", "15.8%"]
        assert row(rows, "Total spend")[1:] == ["763", "770", "759", "98.6%"]
        assert row(rows, "Underspend against the annual")[3] == "4"
        assert row(rows, "Underspend against the final")[3:] == ["11", "1.4%"]
        assert row(rows, "Total paid to or set aside")[1:] == ["", "770", "", "100.0%"]
    assert ("In 2023/24 the annual financial statement set planned spending of £763m. During "
            "the year NHS Linnshire and Strathlinn Council allocated a further £7m, so the total "
            "paid to or set aside for the partnership, its final budget, was £770m. It spent "
            "£759m: an underspend of £4m against the annual financial statement and an "
            "underspend of £11m against the final budget.") in accounts.text


def test_one_budget_figure_is_used_for_both_and_said_so_once(tmp_path, monkeypatch):
    table = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 4)
                      for line in ACCOUNTS.splitlines()) + "\n"
    built = build(accounts_project(tmp_path, table), monkeypatch, formats=("html",))
    sentence = ("The partnership keeps one budget figure, so this is both the planned spending "
                "in the annual financial statement and the total paid to or set aside for it.")
    assert built.text.count(sentence) == 1
    rows = html_table(built.page, CATEGORIES)
    assert rows[0][1:3] == ["Budget (£m)", "Spend (£m)"]
    assert row(rows, "(a)")[1:] == ["120", "122", "16.0%"]    # 122 / 763


# 2. Published figures win --------------------------------------------------------------------

def test_a_published_variance_is_shown_as_given(accounts):
    for rows in _tables(accounts, LINES):
        # budget 120, outturn 122: the accounts say (1), computed from unrounded figures
        assert row(rows, "Hospital inpatients")[2:7] == ["120", "121", "122", "(1)", "0"]
    assert "finance.variance_mismatch" not in accounts.codes()
    assert ("Variances are as published in the annual accounts, which compute them from "
            "unrounded figures.") in _notes(accounts, LINES)


def test_published_subtotals_and_totals_are_shown_and_their_rounding_stated(accounts):
    for rows in _tables(accounts, LINES):
        assert row(rows, "Total NHS Linnshire")[2:7] == ["613", "618", "609", "4", "9"]
        assert [r for r in rows if r[0] == "Total"][0][2:7] == ["763", "770", "759", "4", "11"]
    notes = _notes(accounts, LINES)
    assert ("The accounts give the NHS Linnshire subtotal budget as 613; its lines as shown add "
            "up to 612, the difference being rounding.") in notes
    assert ("The accounts give the total budget as 763; its lines as shown add up to 762, the "
            "difference being rounding.") in notes
    assert not [c for c in accounts.codes() if c.endswith("_mismatch")]


def test_a_published_variance_outside_the_tolerance_is_a_warning_naming_both(tmp_path,
                                                                          monkeypatch):
    table = ACCOUNTS.replace("Community health,300,305,298,2,", "Community health,300,305,298,5,")
    built = build(accounts_project(tmp_path, table), monkeypatch, formats=("html",))
    [problem] = [f for f in built.result.findings if f.code == "finance.variance_mismatch"]
    assert problem.severity == "warning"
    assert problem.message == (
        "'Community health' (NHS Linnshire, 2023/24): the published variance 5 is not budget "
        "300 minus outturn 298, which is 2 (£m; overspends in brackets), within the rounding "
        "tolerance of 1.0; correct the variance, the budget or the outturn")
    assert (problem.location.row, problem.location.column) == (3, "variance")
    assert row(html_table(built.page, LINES), "Community health")[5] == "5"


def test_a_published_subtotal_outside_the_tolerance_is_a_warning(tmp_path, monkeypatch):
    table = ACCOUNTS.replace("Total NHS Linnshire,613,618,609", "Total NHS Linnshire,615,618,609")
    built = build(accounts_project(tmp_path, table), monkeypatch, formats=("html",))
    [problem] = [f for f in built.result.findings if f.code == "finance.subtotal_mismatch"]
    assert problem.message == (
        "'Total NHS Linnshire' gives budget 615 and outturn 609 and final budget 618 for "
        "2023/24, but the lines of NHS Linnshire add up to 612 and 609 and 618 (£m), more than "
        "the rounding tolerance of 1.0 apart; correct the lines or the total")
    assert ("The accounts give the NHS Linnshire subtotal budget as 615; its lines as shown add "
            "up to 612, the difference being a difference still to be reconciled.") \
        in _notes(built, LINES)
    with pytest.raises(AprError):
        build(accounts_project(tmp_path / "strict", table), monkeypatch, formats=("html",),
              strict=True)


# 3. The accounts' structure -------------------------------------------------------------------

def test_lines_in_the_accounts_order_grouped_by_body_with_subtotals(accounts):
    for rows in _tables(accounts, LINES):
        assert [r[0] for r in rows[1:]] == [
            "NHS Linnshire", "Hospital inpatients", "Community health", "Other",
            "Total NHS Linnshire", "Strathlinn Council", "External purchasing", "Other",
            "Support for unpaid carers", "Total Strathlinn Council", "Total"]
        # two lines called Other, each mapped by its body
        assert [r[1] for r in rows if r[0] == "Other"] == ["(b)", "(e)"]
        assert row(rows, "External purchasing")[1] == "(c), (e)"


def test_a_split_line_is_shared_between_categories_and_stated(accounts):
    for rows in _tables(accounts, CATEGORIES):
        assert row(rows, "(c)")[3] == "61"         # 60% of 101
        assert row(rows, "(e)")[3] == "89"         # 40% of 101, and the council's Other, 49
    assert ("External purchasing (Strathlinn Council) spans categories and is split: 60% to "
            "(c), 61; 40% to (e), 40.") in _notes(accounts, CATEGORIES)


def test_a_split_that_does_not_add_up_to_100_is_an_error(tmp_path, monkeypatch):
    proj = accounts_project(tmp_path)
    edit(proj / "apr.toml", "split = { c = 60, e = 40 }", "split = { c = 60, e = 30 }")
    with pytest.raises(AprError) as exc:
        build(proj, monkeypatch, formats=("html",))
    [problem] = [f for f in exc.value.findings if f.code == "config.bad_split"]
    assert problem.message == (
        "service line 'External purchasing': a split names two or more categories a to e with "
        "the percentage of the line in each, split = { c = 60, e = 40 } (percentages of the line "
        "that add up to 100); the percentages add up to 90, not 100")


# 4. Decimals as published ---------------------------------------------------------------------

def test_whole_millions_are_shown_without_decimals(accounts, tmp_path, monkeypatch):
    assert row(html_table(accounts.page, CATEGORIES), "(b)")[1] == "492"
    default = build(accounts_project(tmp_path, decimals=None), monkeypatch, formats=("html",))
    assert row(html_table(default.page, CATEGORIES), "(b)")[1] == "492.0"


# 5. Zero is an answer -------------------------------------------------------------------------

def test_a_category_given_as_zero_is_no_spend_and_meets_the_regulation(accounts):
    for rows in _tables(accounts, CATEGORIES):
        assert row(rows, "(d)")[1:] == ["0", "0", "0", "0.0%"]
    assert "There was no spend on social care to support unpaid carers in 2023/24." \
        in accounts.text
    assert "No spend on social care to support unpaid carers (d) in 2023/24." \
        in _notes(accounts, CATEGORIES)
    [req] = [r for r in accounts.result.requirements if r.id == "reg4.1.a"]
    assert req.status == "met"
    assert "To be completed" not in finance_section_text(accounts.page)


# 6. Finance officers' words -------------------------------------------------------------------

def test_a_missing_column_names_the_synonyms_apr_knows(tmp_path, monkeypatch):
    table = ACCOUNTS.replace(",actual,", ",spent,")
    with pytest.raises(AprError) as exc:
        build(accounts_project(tmp_path, table), monkeypatch, formats=("html",))
    [problem] = [f for f in exc.value.findings if f.code == "data.missing_column"]
    assert problem.message == (
        "the 'finance' table needs a column 'outturn' (apr also knows it as 'actual', "
        "'actuals', 'actual_spend', 'expenditure', 'net_expenditure' or 'spend'); found "
        "columns: year, partner, service_line, financial_statement, revised_budget, spent, "
        "variance, reason")


def test_two_columns_meaning_the_same_are_an_error(tmp_path, monkeypatch):
    table = ACCOUNTS.replace(",reason\n", ",reason,outturn\n", 1)
    with pytest.raises(AprError) as exc:
        build(accounts_project(tmp_path, table), monkeypatch, formats=("html",))
    [problem] = [f for f in exc.value.findings if f.code == "finance.ambiguous_column"]
    assert problem.message == ("columns 'outturn' and 'actual' both mean 'outturn'; keep one of "
                               "them (or rename the other to a name apr does not use)")


# 7. The sample partnership --------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    yield from build_once(tmp_path_factory, "finance-golden")


def finance_section_text(page) -> str:
    """Return the finance section of the built HTML as text: headings, paragraphs, captions
    and table rows (cells joined by ' | '), one a line."""
    tree = lxml_html.fromstring(lxml_html.tostring(page))
    [head] = tree.xpath('//*[@id="finance"]')
    out, started = [], False
    for el in tree.iter():
        if el is head:
            started = True
        elif started and el.tag == "h1":
            break
        if started and el.tag in ("h1", "h2", "h3", "p", "caption", "li"):
            out.append(" ".join(el.text_content().split()))
        elif started and el.tag == "tr":
            out.append(" | ".join(" ".join(c.text_content().split())
                                  for c in el.xpath("./th|./td")))
    return "\n".join(out) + "\n"


def test_the_sample_finance_section_reads_as_the_golden_text(sample, request):
    text = finance_section_text(sample.page)
    if request.config.update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_sample_shows_the_accounts_structure(sample):
    rows = html_table(sample.page, LINES)
    assert [r[0] for r in rows if r[0].startswith("Total")] == [
        "Total NHS Linnshire", "Total Strathlinn Council", "Total"]
    assert row(rows, "Learning disability services")[1] == "(c), (e)"
    assert row(rows, "Mental health services")[5] == "411"       # as published
    assert row(rows, "Primary care (GMS)")[2:4] == ["31,870", "33,070"]   # late allocation
