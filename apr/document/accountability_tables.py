"""The tables of the issue 17 sections (analysis/accountability.py): hosted services, the Local
Government Benchmarking Framework comparison, the funding gap and how it is bridged, indicators
by deprivation quintile, and prevention measures. Each is built only when its data was given."""
from __future__ import annotations

from ..analysis import Analysis
from ..config import ReportConfig
from ..formatting import DASH, indicator_value, money
from .nodes import Cell, Table

QUINTILES = {1: "1 (most deprived)", 2: "2", 3: "3", 4: "4", 5: "5 (least deprived)"}


def accountability_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return the tables whose data was given, by name."""
    acc = analysis.accountability
    builders = {"hosted.services": (acc["hosted"].hosts or acc["hosted"].uses, hosted_table),
                "best_value.benchmarking": (acc["lgbf"], benchmarking_table),
                "finance.funding-gap": (acc["funding_gap"], funding_gap_table),
                "prevention.deprivation": (acc["deprivation"], deprivation_table),
                "prevention.measures": (acc["prevention"], prevention_table)}
    return {name: build(analysis, config) for name, (data, build) in builders.items() if data}


def _m(config: ReportConfig):
    return lambda v: money(v, config.amounts, True, config.money_decimals)


def hosted_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each hosted service: who hosts it, its budget, spend, variance and performance."""
    m, hosted = _m(config), analysis.accountability["hosted"]
    rows = []
    for role, items in (("Hosted by us for other partnerships", hosted.hosts),
                        ("Hosted by another partnership for us", hosted.uses)):
        for h in items:
            rows.append([Cell(h.service, header=True), Cell(role), Cell(h.host),
                         Cell(m(h.budget), "right"), Cell(m(h.outturn), "right"),
                         Cell(m(h.budget - h.outturn), "right"), Cell(h.performance or "–")])
    unit = config.amounts
    return Table("hosted-services", f"Hosted services, {analysis.year.label}",
                 ["Service", "Arrangement", "Host", f"Budget ({unit})", f"Spend ({unit})",
                  f"Under/(over)spend ({unit})", "Performance"], rows,
                 source="Partnership finance and performance reports", units=unit,
                 notes=[("A hosted service is run by one partnership for several; its budget "
                        "and spend are those of the whole service. An overspend is in "
                        "brackets.")],
                 align=["left", "left", "left", "right", "right", "right", "left"])


def _figure(value, measure) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{measure.decimals}f}"
    if measure.unit_short == "£":
        return "£" + text
    return text + ("%" if measure.unit_short == "%" else "")


def benchmarking_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each LGBF measure's latest figure beside the peer group's and Scotland's."""
    peers = analysis.accountability["peer_group"]
    group = ("Family group" if peers and peers.number else
             "Peer councils" if peers else "Peer group")
    rows = [[Cell(f"{r.measure.code}: {r.measure.title}", header=True), Cell(r.year),
             Cell(_figure(r.value, r.measure), "right"),
             Cell(_figure(r.family_group, r.measure), "right"),
             Cell(_figure(r.scotland, r.measure), "right"),
             Cell(r.vs_family_group.capitalize() or "–"), Cell(r.vs_scotland.capitalize() or "–")]
            for r in analysis.accountability["lgbf"]]
    return Table("best-value-benchmarking",
                 "Local Government Benchmarking Framework: adult social care measures",
                 ["Measure", "Year", config.short_name, group, "Scotland",
                  f"Compared with {group.lower()}", "Compared with Scotland"], rows,
                 source="Improvement Service, Local Government Benchmarking Framework",
                 notes=_benchmark_notes(peers, config),
                 align=["left", "left", "right", "right", "right", "left", "left"])


def _benchmark_notes(peers, config: ReportConfig) -> list[str]:
    notes = [(f"Within {config.similar_band:g}% of the comparison counts as similar. Costs "
             "are compared as higher or lower: a lower cost is not in itself better.")]
    if peers:
        names = (", ".join(peers.councils[:-1]) + " and " + peers.councils[-1]
                 if len(peers.councils) > 1 else peers.councils[0])
        notes.append(f"{peers.description[0].upper()}{peers.description[1:]} "
                     f"{'is made up of' if peers.number else 'are'} {names}.")
    return notes


def funding_gap_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return the funding gap of each coming year and how it is to be bridged."""
    m, gap, unit = _m(config), analysis.accountability["funding_gap"], config.amounts
    rows = [[Cell(y.year.label, header=True), Cell(m(y.gap), "right"), Cell(m(y.savings), "right"),
             Cell(m(y.reserves), "right"), Cell(m(y.unidentified), "right")] for y in gap.years]
    rows.append([Cell("Total", header=True, bold=True), Cell(m(gap.gap), "right"),
                 Cell(m(gap.savings), "right"), Cell(m(gap.reserves), "right"),
                 Cell(m(gap.unidentified), "right")])
    return Table("finance-funding-gap", "Funding gap of the coming years and how it will be "
                 "bridged", ["Year", f"Funding gap ({unit})", f"Savings ({unit})",
                             f"Use of reserves ({unit})", f"Still to be identified ({unit})"],
                 rows, source="Medium-term financial plan", units=unit,
                 notes=[("In each year savings, use of reserves and the amount still to be "
                        "identified add up to the funding gap.")],
                 align=["left", "right", "right", "right", "right"], total_row=True)


def deprivation_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each indicator's latest figures by SIMD quintile, small counts suppressed."""
    rows = []
    for r in analysis.accountability["deprivation"]:
        cells = [Cell(r.indicator.short_title or r.indicator.title, header=True), Cell(r.period)]
        for q in QUINTILES:
            f = r.quintiles.get(q)
            cells.append(Cell(indicator_value(r.indicator, f.value) if f else DASH, "right"))
        rows.append(cells)
    return Table("prevention-deprivation", "Indicators by deprivation (SIMD quintile)",
                 ["Indicator", "Period"] + [f"Quintile {q}" for q in QUINTILES.values()], rows,
                 source="Partnership analysis by Scottish Index of Multiple Deprivation quintile",
                 notes=[("Quintile 1 is the fifth of the population living in the most deprived "
                        "areas of Scotland, quintile 5 the fifth in the least deprived."),
                        (f"c: suppressed to protect confidentiality (a count from 1 to "
                        f"{config.suppress_below - 1}, or a figure from which one could be "
                        "worked out).")],
                 align=["left", "left"] + ["right"] * 5)


def prevention_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each prevention measure's latest value, previous value and direction."""
    rows = []
    for r in analysis.accountability["prevention"]:
        p = r.measure
        unit = f" ({p.unit})" if p.unit else ""
        rows.append([Cell(p.measure + unit, header=True), Cell(p.period),
                     Cell(_number(p.previous), "right"), Cell(_number(p.value), "right"),
                     Cell(r.direction.capitalize() or "–"), Cell(p.note or "–")])
    return Table("prevention-measures", f"Prevention measures, {analysis.year.label}",
                 ["Measure", "Period", "Previous", "Latest", "Direction", "Note"], rows,
                 source="Partnership performance reports",
                 notes=[("Improved or worsened takes account of whether a higher figure is "
                        "better; rose or fell is given where neither is better.")],
                 align=["left", "left", "right", "right", "left", "left"])


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


