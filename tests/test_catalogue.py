"""The domain catalogue agrees with the domain facts (facts.md sections 1, 3, 4 and "Surprises")."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from apr import catalogue
from apr.catalogue import (
    catalogue_sources,
    find_partnership,
    indicator,
    indicators,
    normalise_indicator_code,
    outcome,
    outcomes,
    partnerships,
    principles,
    scotland,
)

# CI clones the repository with shared/ beside it
FACTS = Path(__file__).resolve().parents[2] / "shared" / "domain" / "facts.md"

# Exact titles as written in facts.md section 3.1 (SSI 2014/343), kept here so the test also runs
# where the shared facts file is not mounted.
EXPECTED_TITLES = {
    1: "People are able to look after and improve their own health and wellbeing and live in "
    "good health for longer.",
    6: "People who provide unpaid care are supported to look after their own health and "
    "wellbeing, including to reduce any negative impact of their caring role on their own "
    "health and wellbeing.",
    9: "Resources are used effectively and efficiently in the provision of health and social "
    "care services.",
}


# --- outcomes and principles -------------------------------------------------------------------


def test_nine_outcomes_numbered_1_to_9():
    assert [o.number for o in outcomes()] == list(range(1, 10))


@pytest.mark.parametrize("number", sorted(EXPECTED_TITLES))
def test_outcome_titles_are_exact(number):
    assert outcome(number).title == EXPECTED_TITLES[number]


@pytest.mark.skipif(not FACTS.exists(), reason="shared facts.md not available")
def test_every_outcome_title_appears_verbatim_in_facts():
    text = FACTS.read_text(encoding="utf-8")
    for item in outcomes():
        assert f"{item.number}. {item.title}" in text, item.number


def test_outcome_short_titles_are_short():
    for item in outcomes():
        assert 2 <= len(item.short_title.split()) <= 6, item


def test_unknown_outcome_raises_key_error_naming_the_range():
    with pytest.raises(KeyError, match="1 to 9"):
        outcome(10)


def test_principles_are_main_purpose_and_twelve():
    items = principles()
    assert [p.number for p in items] == list(range(13))
    assert items[0].is_main_purpose and "wellbeing" in items[0].text
    assert all(p.text and p.short_title for p in items)
    assert catalogue_sources()["principles"]["paraphrased"] is True


# --- indicators ---------------------------------------------------------------------------------


def test_twenty_three_indicators_in_order():
    assert list(indicators()) == [f"NI-{n}" for n in range(1, 24)]
    assert [i.number for i in indicators().values()] == list(range(1, 24))


def test_not_reported_indicators():
    not_reported = {c for c, i in indicators().items() if i.status == "not_reported"}
    assert not_reported == {"NI-10", "NI-21", "NI-22", "NI-23"}
    assert all(not indicators()[c].reportable for c in not_reported)
    assert all(indicators()[c].source_kind == "none" for c in not_reported)


def test_ni20_frozen_at_2019_20_but_still_reportable():
    ni20 = indicators()["NI-20"]
    assert ni20.status == "frozen"
    assert ni20.frozen_at == "2019/20"
    assert ni20.reportable
    assert "2019/20" in ni20.status_note
    others = [i for i in indicators().values() if i.code != "NI-20"]
    assert all(i.frozen_at is None for i in others)


@pytest.mark.parametrize("number", [2, 3, 4, 5, 7, 9])
def test_survey_wording_change_breaks_series_in_2023_24(number):
    item = indicators()[f"NI-{number}"]
    assert item.breaks == ("2023/24",)
    assert "wording" in item.break_note


@pytest.mark.parametrize("number", [1, 6, 8])
def test_other_survey_indicators_do_not_break(number):
    assert indicators()[f"NI-{number}"].breaks == ()


def test_survey_indicators_are_ni_1_to_9():
    assert [i.number for i in indicators().values() if i.is_survey] == list(range(1, 10))
    assert all(i.period_basis == "survey" for i in indicators().values() if i.is_survey)


def test_polarity():
    lower = {i.number for i in indicators().values() if i.higher_is_better is False}
    assert lower == {11, 12, 13, 14, 16, 19, 20, 21}
    assert {11, 12, 13, 14, 16, 19, 20} <= lower
    assert indicators()["NI-23"].higher_is_better is None
    assert indicators()["NI-15"].higher_is_better is True


def test_units_from_the_surprises():
    ni = indicators()
    assert "per 100,000 adults aged 18+" in ni["NI-12"].unit
    assert "100,000" in ni["NI-13"].unit and "18+" in ni["NI-13"].unit
    assert "per 1,000 discharges" in ni["NI-14"].unit
    assert "65+" in ni["NI-16"].unit and "per 1,000" in ni["NI-16"].unit
    assert "75+" in ni["NI-19"].unit and "per 1,000" in ni["NI-19"].unit
    assert "182.5" in ni["NI-15"].definition


def test_unit_short_and_decimals_agree():
    expected = {"%": 1, "per 100,000": 0, "per 1,000": 1, "£": 0}
    published = {"NI-19": 0}   # PHS publishes delayed bed days per 1,000 as whole numbers
    for item in indicators().values():
        assert item.decimals == published.get(item.code, expected[item.unit_short]), item.code


def test_period_bases():
    ni = indicators()
    assert {n for n in range(12, 17) if ni[f"NI-{n}"].period_basis == "calendar_standin"} == set(
        range(12, 17)
    )
    assert ni["NI-11"].period_basis == "calendar"
    assert ni["NI-18"].period_basis == "calendar"
    assert ni["NI-17"].period_basis == "financial"
    assert ni["NI-19"].period_basis == "financial"


def test_every_outcome_has_an_indicator_and_links_are_valid():
    linked = {n for i in indicators().values() for n in i.outcomes}
    assert linked == set(range(1, 10))
    for item in indicators().values():
        assert item.outcomes and len(set(item.outcomes)) == len(item.outcomes), item.code
        assert item.main_outcome == item.outcomes[0]


def test_every_indicator_is_fully_described():
    for item in indicators().values():
        for field in dataclasses.fields(item):
            if field.name in {"higher_is_better", "frozen_at", "breaks", "break_note",
                              "jump_points", "jump_factor", "lag_note", "table_title"}:
                continue
            assert getattr(item, field.name) not in ("", None, ()), (item.code, field.name)
        assert item.data_label == f"NI{item.number}"
        assert bool(item.lag) == bool(item.lag_note), item.code   # a lag says why
        # a table name is short: the full title is in the definitions appendix
        assert len(item.table_name) <= 60 and item.table_name.startswith(item.code), item.code
        # one year-on-year threshold: points for a percentage, a factor for a rate
        assert (item.jump_points is None) != (item.jump_factor is None), item.code
        assert (item.jump_points is not None) == item.is_percentage, item.code
        low, high = item.plausible
        assert 0 <= low < high, item.code
        if item.is_percentage:
            assert low >= 1 and high <= 100, item.code


def test_indicator_sources_cite_phs_and_gov_scot():
    source = catalogue_sources()["indicators"]
    assert source["data_label_form"] == "NI12"
    text = " ".join(source["citations"])
    assert "Public Health Scotland" in text and "gov.scot" in text and "national-indicators" in text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NI12", "NI-12"),
        ("NI 12", "NI-12"),
        ("ni-12", "NI-12"),
        ("NI-12", "NI-12"),
        ("Indicator 12", "NI-12"),
        ("indicator12", "NI-12"),
        ("12", "NI-12"),
        (" NI_1 ", "NI-1"),
        ("NI023", "NI-23"),
        ("NI-24", None),
        ("NI0", None),
        ("123", None),
        ("", None),
        ("MSG 1a", None),
        ("Indicator twelve", None),
    ],
)
def test_normalise_indicator_code(text, expected):
    assert normalise_indicator_code(text) == expected


def test_indicator_lookup_accepts_any_spelling():
    assert indicator("NI14").code == "NI-14"
    with pytest.raises(KeyError, match="NI-1 to NI-23"):
        indicator("NI-99")


# --- partnerships -------------------------------------------------------------------------------


def test_thirty_one_partnerships_with_unique_codes():
    items = partnerships()
    assert len(items) == 31
    codes = [p.code for p in items] + [c for p in items for c in p.old_codes]
    assert len(set(codes)) == len(codes)
    assert all(c.startswith("S37") and len(c) == 9 for c in codes)
    assert len({p.name for p in items}) == 31


def test_models_and_health_boards():
    models = {p.name: p.model for p in partnerships()}
    assert models.pop("Highland") == "lead_agency"
    assert set(models.values()) == {"ijb"}
    assert all(p.health_board and p.health_board_code.startswith("S08") for p in partnerships())
    assert find_partnership("Argyll and Bute").health_board == "Highland"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Edinburgh", "S37000012"),
        ("City of Edinburgh", "S37000012"),
        ("Edinburgh City", "S37000012"),
        ("Edinburgh, City of", "S37000012"),
        ("Western Isles", "S37000031"),
        ("Na h-Eileanan Siar", "S37000031"),
        ("Comhairle nan Eilean Siar", "S37000031"),
        ("Perth and Kinross", "S37000033"),
        ("Perth & Kinross", "S37000033"),
        ("Orkney", "S37000022"),
        ("Orkney Islands", "S37000022"),
        ("Shetland", "S37000026"),
        ("Borders", "S37000025"),
        ("Scottish Borders", "S37000025"),
        ("Clackmannanshire and Stirling", "S37000005"),
        ("Clackmannanshire & Stirling", "S37000005"),
        ("Argyll & Bute", "S37000004"),
        ("Dumfries & Galloway", "S37000006"),
        ("dumfries and galloway", "S37000006"),
        ("Glasgow City", "S37000034"),
        ("Orkney IJB", "S37000022"),
        ("Fife HSCP", "S37000032"),
        ("  EDINBURGH  ", "S37000012"),
        ("S37000012", "S37000012"),
        ("s37000012", "S37000012"),
    ],
)
def test_name_variants_resolve(text, code):
    found = find_partnership(text)
    assert found is not None, text
    assert found.code == code


def test_every_listed_variant_resolves_to_its_partnership():
    for item in partnerships():
        for text in (item.name, item.code, *item.variants, *item.old_codes):
            assert find_partnership(text) == item, text


@pytest.mark.parametrize(
    "old, name",
    [
        ("S37000014", "Fife"),
        ("S37000015", "Glasgow City"),
        ("S37000021", "North Lanarkshire"),
        ("S37000023", "Perth and Kinross"),
    ],
)
def test_old_codes_resolve(old, name):
    assert find_partnership(old).name == name


def test_scotland_is_a_separate_entry():
    entry = find_partnership("Scotland")
    assert entry == scotland()
    assert entry.code == "S92000003" and entry.is_scotland
    assert find_partnership("S92000003") == entry
    assert entry not in partnerships()


@pytest.mark.parametrize("text", ["", "Atlantis", "S37000099", "Lothian"])
def test_unknown_partnership_is_none(text):
    assert find_partnership(text) is None


# --- loader behaviour ---------------------------------------------------------------------------


def test_returned_collections_are_copies():
    outcomes().clear()
    indicators().clear()
    partnerships().clear()
    catalogue_sources()["indicators"]["citations"].clear()
    assert len(outcomes()) == 9 and len(indicators()) == 23 and len(partnerships()) == 31
    assert catalogue_sources()["indicators"]["citations"]


def test_every_catalogue_file_has_a_source():
    for name, source in catalogue_sources().items():
        assert source, name
    assert "2014/343" in catalogue_sources()["outcomes"]["citation"]


def test_catalogue_entries_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.outcome(1).title = "x"  # type: ignore[misc]


def test_publication_lags_are_cited_facts():
    # PHS's July 2024 release had premature mortality only to calendar 2022
    # (Runs/general_run_may_24.R); the other indicators were published to the reporting year
    lagged = {i.code: i.lag for i in indicators().values() if i.lag}
    assert lagged == {"NI-11": 1}
    assert "2022" in indicators()["NI-11"].lag_note
    assert any("general_run_may_24.R" in c and "NI-11" in c
               for c in catalogue_sources()["indicators"]["citations"])
