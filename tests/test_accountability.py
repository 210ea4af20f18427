"""Issue 17 items 9-11: delegated children's services and justice social work, hosted services,
the Local Government Benchmarking Framework with family groups, the funding gap, indicators by
deprivation quintile and prevention measures. Each built report is reopened as HTML and Word."""
from __future__ import annotations

import pytest

from apr.analysis import analyse
from apr.analysis.accountability import comparison, direction, peer_group
from apr.config import ReportingYear, load_config
from apr.findings import AprError
from apr.sources import read_sources
from tests.report_helpers import (
    build,
    build_once,
    edit,
    has_table,
    html_table,
    project,
    row,
    word_table,
)

HOSTED = "Hosted services, 2023/24"
LGBF = "Local Government Benchmarking Framework: adult social care measures"
GAP = "Funding gap of the coming years and how it will be bridged"
SIMD = "Indicators by deprivation (SIMD quintile)"
PREVENTION = "Prevention measures, 2023/24"
OPTIONAL = ("hosted_services", "benchmarking", "funding_gap", "deprivation", "prevention")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    yield from build_once(tmp_path_factory, "accountability")


def _tables(built, caption):
    return html_table(built.page, caption), word_table(built.word, caption)


def test_sample_shows_hosted_services_both_ways(sample):
    for rows in _tables(sample, HOSTED):
        assert rows[0] == ["Service", "Arrangement", "Host", "Budget (£000)", "Spend (£000)",
                           "Under/(over)spend (£000)", "Performance"]
        assert row(rows, "Linnshire continence service")[1:6] == [
            "Hosted by us for other partnerships", "Strathlinn HSCP", "1,320", "1,395", "(75)"]
        assert row(rows, "Specialist learning disability")[1:3] == [
            "Hosted by another partnership for us", "Westlinn HSCP"]
    sentence = ("The partnership hosts 2 services for other partnerships and uses 1 service "
                "hosted by another partnership.")
    assert sentence in sample.text and sentence in sample.word_text


def test_sample_shows_children_and_justice_sections(sample):
    for text in (sample.text, sample.word_text):
        assert ("Children's services are delegated to the partnership. They report against the "
                "wellbeing indicators of Getting it right for every child:") in text
        assert ("Justice social work is delegated to the partnership. It reports against the "
                "national aims of the National Strategy for Community Justice:") in text
        assert "74 people were referred for diversion from prosecution" in text
        assert "not delegated to the partnership" not in text


def test_sample_benchmarking_compares_with_family_group_and_scotland(sample):
    for rows in _tables(sample, LGBF):
        assert rows[0] == ["Measure", "Year", "Strathlinn", "Family group", "Scotland",
                           "Compared with family group", "Compared with Scotland"]
        # a cost has no better or worse; a delay (lower is better) 702 against 640 is worse
        assert row(rows, "SW1:")[1:] == ["2022/23", "£31.20", "£32.85", "£30.05", "Lower",
                                         "Similar"]
        assert row(rows, "SW8:")[2:] == ["702", "640", "919", "Worse", "Better"]
    assert ("Family group 2 (less deprived areas) is made up of Angus, Argyll and Bute, East "
            "Lothian, Highland, Midlothian, Moray, Scottish Borders and Stirling.") in sample.text
    assert ("The table compares our figures for 6 adult social care measures of the Local "
            "Government Benchmarking Framework with those of the councils in the Improvement "
            "Service's family group 2 and of Scotland.") in sample.word_text


def test_sample_funding_gap_adds_up_and_is_described(sample):
    for rows in _tables(sample, GAP):
        assert row(rows, "2026/27")[1:] == ["9,100", "3,900", "0", "5,200"]
        assert row(rows, "Total")[1:] == ["23,700", "12,800", "2,300", "8,600"]
    sentence = ("Our medium-term financial plan forecasts a funding gap of £23.7m over the 3 "
                "years from 2024/25 to 2026/27")
    assert sentence in sample.text and sentence in sample.word_text
    assert "£8.6m is still to be identified." in sample.text


def test_sample_deprivation_table_suppresses_small_counts(sample):
    for rows in _tables(sample, SIMD):
        assert rows[0][2] == "Quintile 1 (most deprived)" and rows[0][6] == "Quintile 5 " \
            "(least deprived)"
        # L-1 counts 5 and 2 are below suppress_below = 10
        assert row(rows, "People waiting over six weeks")[1:] == ["2023/24", "25", "16", "10",
                                                                  "c", "c"]
        assert row(rows, "Emergency admissions")[2] == "14,238"


def test_sample_prevention_measures_show_direction(sample):
    for rows in _tables(sample, PREVENTION):
        assert row(rows, "Falls resulting")[2:5] == ["1,290", "1,215", "Improved"]
        assert row(rows, "People supported by reablement")[4] == "Worsened"
    assert ("We track 4 measures of how well we prevent ill health and need for care, and "
            "intervene early. Of those with an earlier figure to compare with, 3 improved and "
            "1 worsened.") in sample.text


def _bare(tmp_path):
    """The sample without any of the new inputs or settings."""
    proj = project(tmp_path)
    for name in OPTIONAL:
        (proj / "data" / f"{name}.csv").unlink()
    edit(proj / "apr.toml", "children = true\njustice = true\n", "")
    edit(proj / "apr.toml", "family_group = 2\n", "")
    return proj


def test_absent_inputs_each_say_one_sentence(tmp_path, monkeypatch):
    built = build(_bare(tmp_path), monkeypatch)
    for text in (built.text, built.word_text):
        for sentence in (
                ("Children's services and justice social work are not delegated to the "
                "partnership."),
                ("The partnership neither hosts services for other partnerships nor uses "
                "services hosted by another partnership."),
                "This report does not set out a funding gap for the coming years.",
                "This report does not include measures of prevention.",
                "This report does not break its indicators down by deprivation.",
                ("This report does not include the Local Government Benchmarking Framework's "
                "adult social care measures.")):
            assert sentence in text
    for caption in (HOSTED, LGBF, GAP, SIMD, PREVENTION):
        assert not has_table(built.page, caption)
    assert "Justice social work is delegated" not in built.text


def test_one_service_delegated_with_its_own_outcomes(tmp_path, monkeypatch):
    proj = _bare(tmp_path)
    edit(proj / "apr.toml", "[delegated]\n", '[delegated]\njustice = true\n'
         'justice_outcomes = ["Fewer people reoffend", "Victims feel safer"]\n')
    built = build(proj, monkeypatch, formats=("html",))
    assert "Children's services are not delegated to the partnership." in built.text
    assert ("Justice social work is delegated to the partnership. It reports against these "
            "outcomes:") in built.text
    section = built.page.xpath('//*[@id="delegated-justice"]/following-sibling::ul[1]/li')
    assert [li.text_content() for li in section] == ["Fewer people reoffend",
                                                     "Victims feel safer"]
    assert "National Strategy for Community Justice" not in built.text


def test_missing_narrative_of_a_delegated_service_is_to_be_completed(tmp_path, monkeypatch):
    proj = project(tmp_path)
    (proj / "content" / "children.md").unlink()
    built = build(proj, monkeypatch, formats=("html",))
    assert ("To be completed: what children's services achieved in 2023/24 against each of "
            "these outcomes") in built.text
    found = [f for f in built.result.findings if f.code == "narrative.missing"
             and f.location.file.endswith("content/children.md")]
    assert len(found) == 1


def _write(proj, name, text):
    (proj / "data" / f"{name}.csv").write_text(text, encoding="utf-8")


def test_bad_rows_are_all_reported_with_file_row_and_column(tmp_path):
    proj = project(tmp_path)
    _write(proj, "hosted_services", "service,host,role,budget,outturn\n"
           "Sexual health,Strathlinn HSCP,hosts,10,9\nContinence,Westlinn HSCP,borrows,5,5\n")
    _write(proj, "benchmarking", "measure,year,value\nSW1,2022/23,31\nSW99,2022/23,4\n")
    _write(proj, "funding_gap", "year,gap,savings,reserves,unidentified\n"
           "2024/25,6200,4100,1500,500\n")
    _write(proj, "deprivation", "indicator,period,quintile,value\nNI-12,2023,6,10\n"
           "XX-1,2023,1,10\n")
    with pytest.raises(AprError) as exc:
        read_sources(load_config(proj), ReportingYear(2023))
    found = {f.code: f for f in exc.value.findings}
    assert str(found["hosted_services.bad_role"]).endswith(
        "hosted_services.csv:3: column 'role': error: expected 'hosts' (the partnership hosts "
        "the service for others) or 'uses' (another partnership hosts it) in 'role', found "
        "'borrows'; use one of those two words [hosted_services.bad_role]")
    assert str(found["benchmarking.unknown_measure"]).endswith(
        "benchmarking.csv:3: column 'measure': error: 'SW99' is not a Local Government "
        "Benchmarking Framework adult social care measure apr knows; expected one of SW1, SW2, "
        "SW3a, SW4b, SW4c, SW4d, SW4e, SW5, SW6, SW7, SW8 [benchmarking.unknown_measure]")
    assert str(found["funding_gap.does_not_add_up"]).endswith(
        "funding_gap.csv:2: column 'unidentified': error: the funding gap of 2024/25 is 6,200, "
        "but savings, reserves and unidentified add up to 6,100 (difference 100, tolerance 1); "
        "correct the figures so that savings + reserves + unidentified = gap "
        "[funding_gap.does_not_add_up]")
    assert str(found["deprivation.bad_quintile"]).endswith(
        "deprivation.csv:2: column 'quintile': error: expected an SIMD quintile from 1 (most "
        "deprived) to 5 (least deprived) in 'quintile', found 6 [deprivation.bad_quintile]")
    assert found["deprivation.unknown_indicator"].location.row == 3


def test_a_past_year_of_the_funding_gap_is_left_out_with_a_warning(tmp_path, monkeypatch):
    proj = project(tmp_path)
    _write(proj, "funding_gap", "year,gap,savings,reserves,unidentified\n"
           "2023/24,1000,1000,0,0\n2024/25,2000,2000,0,0\n")
    built = build(proj, monkeypatch, formats=("html",))
    warning = [f for f in built.result.findings if f.code == "funding_gap.past_year"]
    assert [(f.severity, f.location.row) for f in warning] == [("warning", 2)]
    assert warning[0].message == (
        "the funding gap row for 2023/24 is not a coming year of the 2023/24 report and is left "
        "out; give the gap of 2024/25 onwards")
    assert [r[0] for r in html_table(built.page, GAP)[1:]] == ["2024/25", "Total"]
    assert ("forecasts a funding gap of £2.0m in 2024/25: the amount by which the cost of "
            "services is expected to exceed the funding available. Savings are planned to meet "
            "£2.0m of it, so the whole gap has a plan to bridge it.") in built.text


def test_one_suppressed_quintile_takes_the_next_smallest_with_it(tmp_path):
    proj = project(tmp_path)
    _write(proj, "deprivation", "indicator,period,quintile,value,numerator\n"
           "L-1,2023/24,1,30,30\nL-1,2023/24,2,20,20\nL-1,2023/24,3,12,12\n"
           "L-1,2023/24,4,15,15\nL-1,2023/24,5,4,4\n")
    inputs, _ = read_sources(load_config(proj), ReportingYear(2023))
    (result,) = analyse(inputs).accountability["deprivation"]
    assert {q: f.suppressed for q, f in result.quintiles.items()} == {
        1: "", 2: "", 3: "secondary", 4: "", 5: "primary"}


def test_peer_group_from_the_council_a_setting_or_a_list(tmp_path):
    proj = project(tmp_path)
    assert peer_group(load_config(proj)).number == 2                  # family_group = 2
    edit(proj / "apr.toml", "family_group = 2", "")
    assert peer_group(load_config(proj)) is None                      # Strathlinn: no group
    edit(proj / "apr.toml", 'council = "Strathlinn Council"', 'council = "Dundee City Council"')
    assert peer_group(load_config(proj)).number == 4
    edit(proj / "apr.toml", "[benchmarking]\n", '[benchmarking]\npeers = ["Angus", '
         '"Perth & Kinross"]\n')
    peers = peer_group(load_config(proj))
    assert (peers.number, peers.councils) == (None, ["Angus", "Perth and Kinross"])


def test_unknown_peer_council_is_located_in_apr_toml(tmp_path):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "[benchmarking]\n", '[benchmarking]\npeers = ["Angus", "Gotham"]\n')
    with pytest.raises(AprError) as exc:
        load_config(proj)
    (f,) = [f for f in exc.value.findings if f.code == "config.unknown_council"]
    line = (proj / "apr.toml").read_text().splitlines().index(
        'peers = ["Angus", "Gotham"]') + 1
    assert str(f).endswith(
        f"apr.toml:{line}: setting 'benchmarking.peers': error: 'benchmarking.peers' names "
        "'Gotham', which is not one of Scotland's 32 council areas; use the council area's "
        "name, e.g. \"Angus\" or \"Perth and Kinross\" (apr/catalogue/family_groups.toml lists "
        "them) [config.unknown_council]")


@pytest.mark.parametrize("ours,other,better,expected", [
    (104, 100, True, "similar"), (106, 100, True, "better"), (106, 100, False, "worse"),
    (90, 100, None, "lower"), (90, None, True, "")])
def test_comparison_uses_the_similar_band_and_polarity(ours, other, better, expected):
    assert comparison(ours, other, better, 5) == expected


@pytest.mark.parametrize("previous,latest,better,expected", [
    (10, 12, True, "improved"), (10, 12, False, "worsened"), (10, 10, True, "unchanged"),
    (10, 8, None, "fell"), (None, 8, True, "")])
def test_direction_of_a_prevention_measure(previous, latest, better, expected):
    assert direction(previous, latest, better) == expected
