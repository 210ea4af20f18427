"""Localities: population, spend and proportion for each, the unallocated remainder shown."""
from __future__ import annotations

import pytest

from tests.report_helpers import build, build_once, html_table, row, word_table
from tests.scenarios import copy_root, write

CAPTION = "Population and spend by locality, 2023/24"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    yield from build_once(tmp_path_factory, "loc")


def test_each_locality_with_population_spend_and_proportion(sample):
    for rows in (html_table(sample.page, CAPTION), word_table(sample.word, CAPTION)):
        assert row(rows, "Linnhaven Coast")[1:] == ["33,900", "65,913", "21.2%"]
        assert row(rows, "Strathlinn Town")[1:] == ["61,200", "102,260", "32.9%"]
        assert row(rows, "Partnership-wide services not allocated")[2:] == ["39,103", "12.6%"]
        assert row(rows, "Total")[1:] == ["151,300", "310,350", "100.0%"]


def test_locality_rows_and_remainder_add_up_to_the_total(sample):
    rows = html_table(sample.page, CAPTION)[1:-1]
    assert sum(int(r[2].replace(",", "")) for r in rows) == 310_350


def test_each_locality_section_states_population_and_spend(sample):
    sentence = ("Kirkbrae and Glen has a population of about 24,600. In 2023/24, £47.2m (15.2% "
                "of our total spend) was spent on services in Kirkbrae and Glen.")
    assert sentence in sample.text and sentence in sample.word_text
    assert "they account for £39.1m, shown as a separate row" in sample.text


def test_spend_chart_alt_text_names_each_locality(sample):
    alts = [img.get("alt") for img in sample.page.iter("img")]
    alt = next(a for a in alts if a.startswith("Bar chart of spend by locality in 2023/24: "))
    assert "Strathlinn Town £102.3m" in alt and "Strathlinn Town had the largest spend" in alt


def test_locality_without_spend_is_marked_to_be_completed(tmp_path, monkeypatch):
    proj = copy_root("minimal", tmp_path)     # outturn 2023/24: 1,080 + 2,150 = 3,230
    write(proj, "data/localities.csv", "locality,year,population,spend\n"
          "North,2023/24,10000,1500\nSouth,2023/24,12000,\n")
    built = build(proj, monkeypatch, formats=("html",))
    assert "the spend attributed to South in 2023/24" in built.text
    rows = html_table(built.page, CAPTION)
    assert row(rows, "South")[2:] == ["–", "–"]
    assert row(rows, "Partnership-wide services")[2] == "1,730"


def test_localities_spending_more_than_the_total_is_a_warning(tmp_path, monkeypatch):
    proj = copy_root("minimal", tmp_path)     # outturn 2023/24: 3,230
    write(proj, "data/localities.csv", "locality,year,population,spend\n"
          "North,2023/24,10000,2000\nSouth,2023/24,12000,1600\n")
    built = build(proj, monkeypatch, formats=("html",))
    found = [f for f in built.result.findings if f.code == "localities.spend_exceeds_total"]
    assert found and "3,600" in found[0].message and "3,230" in found[0].message
