"""Finance scenarios built end to end: overspend, underspend, missing reasons, supplied totals
that do not add up, key care groups, reserves and savings; values checked in the HTML and Word."""
from __future__ import annotations

import pytest

from apr.findings import AprError
from tests.report_helpers import (build, build_once, edit, has_table, html_table, project,
                                  rewrite_csv, row, word_table)

CATEGORIES = "Spend on each prescribed category"
LINES = "Budget and outturn by service"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    yield from build_once(tmp_path_factory, "fin")


def test_overspend_is_in_brackets_in_html_and_word(sample):
    for rows in (html_table(sample.page, CATEGORIES), word_table(sample.word, CATEGORIES)):
        # financial statement, final budget (after NHS Linnshire's late allocation), spend
        assert row(rows, "Total spend")[1:] == ["309,800", "311,000", "310,350", "99.8%"]
        assert row(rows, "Overspend")[3:] == ["(550)", ""]
        assert row(rows, "Underspend against the final budget")[3:] == ["650", "0.2%"]
        assert row(rows, "(b) Health care other")[1:] == ["124,272", "125,472", "125,212",
                                                         "40.3%"]
    for rows in (html_table(sample.page, LINES), word_table(sample.word, LINES)):
        assert [row(rows, "Prescribing")[i] for i in (2, 4, 5)] == ["40,562", "42,412",
                                                                    "(1,850)"]
        assert [exact_row(rows, "Total")[i] for i in (2, 4, 5)] == ["309,800", "310,350",
                                                                    "(550)"]
    assert "an overspend of £550k against the annual financial statement" in sample.text
    assert "an overspend of £550k against the annual financial statement" in sample.word_text


def test_categories_add_up_to_the_total(sample):
    rows = html_table(sample.page, CATEGORIES)
    parts = [int(row(rows, f"({c})")[3].replace(",", "")) for c in "abcde"]
    assert sum(parts) == 310_350


def test_supplied_totals_that_agree_are_stated_with_the_tolerance(sample):
    assert "agree with the annual accounts within a rounding tolerance of 1 (£000)" in sample.text
    assert "finance.totals_mismatch" not in sample.codes()


def test_comparison_with_five_preceding_years_in_amounts_and_proportions(sample):
    amounts = html_table(sample.page, "Spend by category, 2018/19 to 2023/24")
    shares = html_table(sample.page, "Proportion of funding spent on each category")
    assert amounts[0][1:] == ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    assert row(amounts, "Total spend")[-1] == "310,350"
    # (c) includes 30% of learning disability services (adult placements): see apr.toml
    assert row(shares, "Hospital and care home share")[1] == "33.8%"
    assert row(shares, "Hospital and care home share")[-1] == "30.5%"
    sentence = "Resources have moved from institutional care towards care in the community."
    assert sentence in sample.text and sentence in sample.word_text


def test_key_care_groups_are_a_separate_table_not_added_to_the_total(sample):
    for rows in (html_table(sample.page, "Spend on key care groups"),
                 word_table(sample.word, "Spend on key care groups")):
        assert row(rows, "People with a learning disability")[1:] == ["24,937", "24,747", "8.0%"]
        assert row(rows, "People with mental health problems")[2] == "18,836"
        assert not any(r[0].startswith("Total") for r in rows)
    assert "are not added to the total" in sample.text


def test_reserves_table_and_chart(sample):
    for rows in (html_table(sample.page, "Reserves, 2023/24"),
                 word_table(sample.word, "Reserves, 2023/24")):
        assert row(rows, "General reserve")[1:] == ["General", "3,300", "(550)", "2,750"]
        assert row(rows, "Total earmarked")[2:] == ["9,600", "(3,400)", "6,200"]
        assert row(rows, "Total reserves")[2:] == ["12,900", "(3,950)", "8,950"]
    assert "from £12.9m at 1 April 2023 to £9.0m at 31 March 2024" in sample.text
    assert "below the 2% set out in the reserves policy" in sample.text
    alts = [img.get("alt") for img in sample.page.iter("img")]
    assert any(a.startswith("Bar chart of reserves") and "£12.9m to £9.0m" in a for a in alts)
    assert has_table(sample.page, "Reserves (£000)")


def test_savings_table_and_chart(sample):
    for rows in (html_table(sample.page, "Savings planned and achieved, 2023/24"),
                 word_table(sample.word, "Savings planned and achieved, 2023/24")):
        assert row(rows, "Total")[1:4] == ["6,200", "5,100", "82.3%"]
        assert row(rows, "of which recurring")[2] == "3,900"
        assert row(rows, "of which non-recurring")[2] == "1,200"
        assert row(rows, "Vacancy management")[4] == "Non-recurring"
    assert "achieved £5.1m (82% of the plan), of which £3.9m is recurring" in sample.text
    alts = [img.get("alt") for img in sample.page.iter("img")]
    assert any(a.startswith("Bar chart of savings planned and achieved") and "£6.2m" in a
               for a in alts)


def test_each_outcome_states_its_spend(sample):
    for n in range(1, 10):
        section = sample.page.get_element_by_id(f"outcome-{n}")
        assert section is not None
    assert sample.text.count("the services that contribute to this outcome spent") == 9


def exact_row(rows: list[list[str]], first: str) -> list[str]:
    """Return the row whose first cell is ``first`` ("Total", not "Total NHS Linnshire")."""
    [found] = [r for r in rows if r and r[0] == first]
    return found


def _set_2023(proj, line: str, **values) -> None:
    def change(r):
        if r["year"] == "2023/24" and r["service_line"] == line:
            r.update(values)
        return r
    rewrite_csv(proj / "data" / "finance.csv", change)


def test_underspend_has_no_brackets(tmp_path, monkeypatch):
    proj = project(tmp_path)
    _set_2023(proj, "Prescribing", outturn="40562", variance="")
    _set_2023(proj, "Care homes", outturn="41907", variance="")
    edit(proj / "apr.toml", "outturn = 310350", "outturn = 307080")
    built = build(proj, monkeypatch)
    for rows in (html_table(built.page, CATEGORIES), word_table(built.word, CATEGORIES)):
        assert row(rows, "Underspend against the annual")[3:] == ["2,720", ""]
        assert row(rows, "Underspend against the final")[3:] == ["3,920", "1.3%"]
        assert row(rows, "Total spend")[3] == "307,080"
    assert "an underspend of £2.7m" in built.text
    assert "an underspend of £2.7m" in built.word_text


def test_missing_reason_is_a_warning_in_the_draft(tmp_path, monkeypatch):
    proj = project(tmp_path)
    _set_2023(proj, "Prescribing", reason="")
    built = build(proj, monkeypatch)
    found = [f for f in built.result.findings if f.code == "finance.missing_reason"]
    assert len(found) == 1 and found[0].severity == "warning"
    f = found[0]
    assert f.location.file.endswith("finance.csv") and f.location.column == "reason"
    assert f.location.row is not None
    assert "1,850" in f.message and "threshold of 250" in f.message
    assert f.message == ("to be completed: the reason why Prescribing was 1,850 (£000) over "
                         "budget, more than the threshold of 250; add it in the 'reason' column")
    cell = "To be completed: the reason why Prescribing was 1,850 (£000) over budget"
    assert "compliance.missing" not in built.codes()   # one finding for one missing reason
    for rows in (html_table(built.page, LINES), word_table(built.word, LINES)):
        assert row(rows, "Prescribing")[7].startswith(cell)
    assert "Every variance above" not in built.text      # the marker in the table says it


def test_missing_reason_is_an_error_with_strict(tmp_path, monkeypatch):
    proj = project(tmp_path)
    _set_2023(proj, "Prescribing", reason="")
    with pytest.raises(AprError) as exc:
        build(proj, monkeypatch, formats=("html",), strict=True)
    assert "finance.missing_reason" in [f.code for f in exc.value.findings]
    assert not (proj / "output").exists() or not list((proj / "output").iterdir())


def test_small_variance_needs_no_reason(tmp_path, monkeypatch):
    proj = project(tmp_path)
    _set_2023(proj, "Prescribing", outturn="40700", reason="", variance="")   # 138 < 250
    edit(proj / "apr.toml", "outturn = 310350", "outturn = 308638")
    built = build(proj, monkeypatch, formats=("html",))
    assert "finance.missing_reason" not in built.codes()


def test_totals_that_do_not_add_up_are_a_finding_with_the_numbers(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "outturn = 310350", "outturn = 310000")
    built = build(proj, monkeypatch)
    found = [f for f in built.result.findings if f.code == "finance.totals_mismatch"]
    assert len(found) == 1 and found[0].severity == "warning"
    message = found[0].message
    assert "310,350" in message and "310,000" in message and "difference of 350" in message
    assert "tolerance of 1" in message
    assert found[0].location.column == "finance.supplied_totals"
    note = "differs from the annual accounts (310,000) by 350 (£000): to be reconciled"
    assert note in built.text and note in built.word_text
    with pytest.raises(AprError):
        build(proj, monkeypatch, formats=("html",), strict=True)


def test_totals_within_the_rounding_tolerance_agree(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "outturn = 310350", "outturn = 310351")
    built = build(proj, monkeypatch, formats=("html",))
    assert "finance.totals_mismatch" not in built.codes()
    edit(proj / "apr.toml", "rounding_tolerance = 1 ", "rounding_tolerance = 0.5 ")
    built = build(proj, monkeypatch, formats=("html",))
    assert "finance.totals_mismatch" in built.codes()


def test_no_key_care_groups_is_stated(tmp_path, monkeypatch):
    proj = project(tmp_path)
    toml = proj / "apr.toml"
    edit(toml, 'key_care_groups = ["People with a learning disability", '
               '"People with mental health problems"]', "key_care_groups = []")
    edit(toml, ', care_groups = ["People with mental health problems"]', "")
    edit(toml, ', care_groups = ["People with a learning disability"]', "")
    built = build(proj, monkeypatch)
    sentence = "The partnership has not identified any key care groups for its area"
    assert sentence in built.text and sentence in built.word_text
    assert not has_table(built.page, "Spend on key care groups")


def test_reserve_that_does_not_add_up_is_a_warning(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "data" / "reserves.csv", "General reserve,3300,(550),2750",
         "General reserve,3300,(550),2700")
    built = build(proj, monkeypatch, formats=("html",))
    found = [f for f in built.result.findings if f.code == "reserves.closing_mismatch"]
    assert len(found) == 1
    assert found[0].location.row == 8 and found[0].location.column == "closing"
    assert "2,750" in found[0].message and "2,700" in found[0].message


def test_bad_reserve_type_and_recurring_flag_are_errors(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "data" / "reserves.csv", "2023/24,general,", "2023/24,contingency,")
    edit(proj / "data" / "savings.csv", "900,900,no", "900,900,maybe")
    with pytest.raises(AprError) as exc:
        build(proj, monkeypatch, formats=("html",))
    by_code = {f.code: f for f in exc.value.findings}
    assert "earmarked, ring-fenced or general" in by_code["reserves.bad_type"].message
    assert by_code["data.bad_yesno"].location.column == "recurring"
    assert "'maybe'" in by_code["data.bad_yesno"].message


def test_without_reserves_and_savings_the_draft_says_what_is_missing(tmp_path, monkeypatch):
    proj = project(tmp_path)
    (proj / "data" / "reserves.csv").unlink()
    (proj / "data" / "savings.csv").unlink()
    built = build(proj, monkeypatch, formats=("html",))
    assert "To be completed: the partnership's reserves at the start and end of 2023/24" \
        in built.text
    assert "To be completed: the savings planned and achieved in 2023/24" in built.text
