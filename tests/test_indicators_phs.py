"""Public Health Scotland layouts: MI workbook (facts 4.2) and dashboard extract (facts 4.3),
column for column, with "c" in Rate, "2023" beside "2023/24", name variants and old codes."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apr.analysis import analyse
from apr.config import ReportingYear, load_config
from apr.findings import AprError, Findings
from apr.sources import read_sources
from apr.sources.indicators import detect_layout, read_indicators
from apr.sources.tables import RawTable, normalise_column
from apr.sources.values import SUPPRESSED

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"
MI = ["Lookup", "Year", "Time Period", "Partnership", "Indicator", "Estimate", "Numerator",
      "Denominator", "Rate", "Ind. no.", "lower_ci", "upper_ci"]
DASH = ["Indicator1", "Year1", "Data1", "Partnership1", "Locality", "Denominator", "Value",
        "Scotland", "Numerator", "LA_Code", "UpperCI", "LowerCI"]


def project(tmp_path: Path, header: list[str], rows: list[list], code: str = "S37000032",
            name: str = "Fife Health and Social Care Partnership", short: str = "Fife",
            extra: str = "") -> Path:
    """Return a copy of the sample project whose indicators table is the given rows."""
    root = tmp_path / "p"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("output"))
    toml = (root / "apr.toml").read_text(encoding="utf-8")
    toml = toml.replace('code = "S37999001"', f'code = "{code}"')
    toml = toml.replace('name = "Strathlinn Health and Social Care Partnership"',
                        f'name = "{name}"').replace('short_name = "Strathlinn"',
                                                    f'short_name = "{short}"')
    toml = toml.replace('peer_group = ["Angus", "Moray", "East Lothian", "Falkirk", "Inverclyde"]',
                        'peer_group = ["Angus", "Edinburgh City", "Perth & Kinross"]' + extra)
    (root / "apr.toml").write_text(toml, encoding="utf-8")
    with open(root / "data" / "indicators.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header] + rows)
    return root


def mi_row(year, partnership, ind, rate, num="", den="", period="Annual"):
    n = ind.removeprefix("NI")
    return [f"{year}{period}{ind}{partnership}No", year, period, partnership, ind, "No", num, den,
            rate, n, "", ""]


def mi_rows() -> list[list]:
    rows = []
    for who, base in (("Fife", 11000), ("Scotland", 11700), ("Angus", 10500),
                      ("City of Edinburgh", 12000), ("Perth & Kinross", 10000),
                      ("Na h-Eileanan Siar", 9000)):
        rows.append(mi_row("2022/23", who, "NI12", base, 100, 1000))
        rows.append(mi_row("2023", who, "NI12", base + 100, 100, 1000))
        rows.append(mi_row("2023/24", who, "NI12", base + 999, 100, 1000, "Q1"))
    rows.append(mi_row("2023/24", "Fife", "NI3", "c"))
    rows.append(mi_row("2023/24", "Scotland", "NI3", "59.6"))
    rows.append(mi_row("2022", "Fife", "NI11", "440"))
    rows.append(mi_row("2022", "Scotland", "NI11", "442"))
    return rows


def test_mi_workbook_layout_is_detected_and_read(tmp_path):
    root = project(tmp_path, MI, mi_rows())
    inputs, _ = read_sources(load_config(root), ReportingYear(2023))
    ours = {(v.code, v.period): v for v in inputs.indicators}
    assert ours[("NI-12", "2023")].value == 11100.0           # "2023" beside "2023/24"
    assert ours[("NI-12", "2023")].scotland == 11800.0        # Scotland from its own row
    assert ours[("NI-12", "2022/23")].value == 11000.0
    assert ("NI-12", "2023/24") not in ours                  # quarters are not used
    assert ours[("NI-3", "2023/24")].value is SUPPRESSED     # "c" in Rate
    assert "c" in ours[("NI-3", "2023/24")].qualifiers
    others = {v.partnership for v in inputs.national}
    assert {"Angus", "Edinburgh", "Perth and Kinross", "Western Isles"} <= others


def test_mi_workbook_ranks_and_peer_group(tmp_path):
    root = project(tmp_path, MI, mi_rows())
    inputs, _ = read_sources(load_config(root), ReportingYear(2023))
    ni12 = next(r for r in analyse(inputs).indicators if r.code == "NI-12")
    # lower is better: Western Isles 9,100, Perth and Kinross 10,100, Angus 10,600, Fife 11,100
    assert (ni12.rank, ni12.rank_of) == (4, 5)
    assert dict(ni12.peers) == {"Angus": 10600.0, "Edinburgh": 12100.0,
                                "Perth and Kinross": 10100.0}
    assert (ni12.peer_rank, ni12.peer_of) == (3, 4)
    assert ni12.latest.standin and ni12.latest.period == "2023"


def test_superseded_code_selects_the_partnership(tmp_path):
    rows = [["NI12", "2022/23", "Annual", "Fife", "All", 1000, 11000, 11700, 110, "S37000014",
             "", ""]]
    root = project(tmp_path, DASH, rows, code="S37000014", name="Kingdom", short="Kingdom")
    inputs, _ = read_sources(load_config(root), ReportingYear(2023))
    assert [v.value for v in inputs.indicators] == [11000.0]


def dash_rows() -> list[list]:
    return [
        ["NI12", "2022/23", "Annual", "Fife", "All", 1000, 11000, 11700, 110, "S37000032", "", ""],
        ["NI12", "2022/23", "Q1", "Fife", "All", 1000, 99999, 11700, 110, "S37000032", "", ""],
        ["NI11", "2022/23", "Annual", "Fife", "All", "", 440, 442, "", "S37000032", "", ""],
        ["NI1", "2023/24", "Annual", "Fife", "All", "", 91.0, 90.7, "", "S37000032", 92, 90],
        ["NI12", "2022/23", "Annual", "Fife", "Kirkcaldy", 200, 9000, 11700, 18, "S37000032",
         "", ""],
        ["NI12", "2022/23", "Annual", "Borders", "All", 900, 10000, 11700, 90, "S37000025",
         "", ""],
    ]


def test_dashboard_extract_scotland_column_and_tableau_relabel(tmp_path):
    extra = '\n\n[[localities]]\nname = "Kirkcaldy"'
    root = project(tmp_path, DASH, dash_rows())
    (root / "apr.toml").write_text((root / "apr.toml").read_text() + extra)
    inputs, _ = read_sources(load_config(root), ReportingYear(2023))
    ours = {(v.code, v.period, v.locality): v for v in inputs.indicators}
    assert ours[("NI-12", "2022/23", None)].scotland == 11700.0
    assert ours[("NI-12", "2022/23", None)].value == 11000.0      # the quarter is skipped
    assert ("NI-11", "2022", None) in ours                        # "2022/23" was CY 2022
    assert ours[("NI-12", "2022/23", "Kirkcaldy")].numerator == 18.0
    assert [v.partnership for v in inputs.national] == ["Scottish Borders"]


def test_partnership_not_in_the_file_is_an_error_with_what_to_do(tmp_path):
    root = project(tmp_path, DASH, dash_rows(), code="S37000003", name="Angus", short="Angus")
    with pytest.raises(AprError) as err:
        read_sources(load_config(root), ReportingYear(2023))
    found = [f for f in err.value.findings if f.code == "indicators.partnership_not_found"]
    assert found and "partnership.code" in found[0].message


@pytest.mark.parametrize("name", ["Edinburgh", "City of Edinburgh", "Edinburgh City",
                                  "Edinburgh, City of", "EDINBURGH HSCP"])
def test_name_variants_all_select_edinburgh(tmp_path, name):
    rows = [mi_row("2022/23", name, "NI12", 12000), mi_row("2022/23", "Scotland", "NI12", 11000)]
    root = project(tmp_path, MI, rows, code="", name="Edinburgh Health and Social Care "
                   "Partnership", short="Edinburgh")
    inputs, _ = read_sources(load_config(root), ReportingYear(2023))
    assert [(v.value, v.scotland) for v in inputs.indicators] == [(12000.0, 11000.0)]


def test_layouts_are_detected_from_columns():
    assert detect_layout([normalise_column(c) for c in MI]) == "phs_mi"
    assert detect_layout([normalise_column(c) for c in DASH]) == "phs_dashboard"
    assert detect_layout(["indicator", "period", "value"]) == "apr"
    assert detect_layout(["foo"]) is None


cells = st.one_of(st.none(), st.text(max_size=8), st.integers(-10, 10**6),
                  st.floats(allow_nan=True), st.sampled_from(["c", "NI12", "2023", "2023/24",
                                                               "Annual", "Q1", "Scotland",
                                                               "Fife", "All", "S37000032"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([MI, DASH, ["indicator", "period", "value", "scotland", "qualifier",
                                   "locality", "valueQF"]]),
       st.lists(st.lists(cells, min_size=12, max_size=12), max_size=8))
def test_loaders_give_findings_never_a_traceback(header, rows):
    config = load_config(SAMPLE)
    columns = [normalise_column(c) for c in header]
    raw = RawTable("indicators", "data/indicators.csv", columns,
                   [dict(zip(columns, r)) for r in rows], list(range(2, len(rows) + 2)),
                   {c: h for c, h in zip(columns, header)})
    findings = Findings()
    ours, others = read_indicators(raw, config, findings)
    for f in findings:
        assert f.code.startswith(("indicators.", "data.")) and f.location.file
