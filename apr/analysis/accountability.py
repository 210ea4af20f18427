"""Analysis of the issue 17 sections: delegated children's services and justice social work,
services hosted for or by other partnerships, the Local Government Benchmarking Framework
comparison, the funding gap of the coming years, indicators by deprivation and prevention."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.finance import total
from ..config import ReportConfig
from ..model import IndicatorValue, Inputs


@dataclass
class DelegatedService:
    key: str                  # "children" or "justice"
    title: str
    framework: str            # what the outcomes are, in words; "" for the partnership's own
    outcomes: list[str]


@dataclass
class Hosted:
    given: bool               # was data/hosted_services given (even with only a header)?
    hosts: list = field(default_factory=list)     # HostedService we host for others
    uses: list = field(default_factory=list)      # HostedService hosted elsewhere for us


@dataclass
class BenchmarkRow:
    measure: object           # catalogue.benchmarking.LgbfMeasure
    year: str
    value: float
    family_group: float | None
    scotland: float | None
    vs_family_group: str      # "better", "worse", "similar", "higher", "lower" or ""
    vs_scotland: str


@dataclass
class PeerGroup:
    number: int | None        # the family group, or None for a list of peers in apr.toml
    councils: list[str]
    description: str          # "family group 2 (less deprived areas)", "the peer councils"


@dataclass
class FundingGap:
    years: list               # sources.accountability.FundingGapYear, first year first
    gap: float
    savings: float
    reserves: float
    unidentified: float


@dataclass
class DeprivationRow:
    indicator: object         # IntegrationIndicator
    period: str
    quintiles: dict           # quintile (1-5) -> LocalityFigure after disclosure control


@dataclass
class PreventionRow:
    measure: object           # sources.accountability.PreventionMeasure
    direction: str            # improved, worsened, unchanged, rose, fell or ""


def analyse_accountability(inputs: Inputs) -> dict[str, object]:
    """Return the figures of each section by context name (see document/context.py)."""
    config, given = inputs.config, inputs.accountability
    return {
        "delegated": delegated_services(config),
        "hosted": Hosted("hosted_services" in given,
                         [h for h in given.get("hosted_services", []) if h.role == "hosts"],
                         [h for h in given.get("hosted_services", []) if h.role == "uses"]),
        "lgbf": benchmark_rows(given.get("benchmarking", []), inputs.year.start,
                               config.similar_band),
        "peer_group": peer_group(config),
        "funding_gap": funding_gap(given.get("funding_gap", [])),
        "deprivation": deprivation_rows(inputs),
        "prevention": [PreventionRow(m, direction(m.previous, m.value, m.higher_is_better))
                       for m in given.get("prevention", [])],
    }


def delegated_services(config: ReportConfig) -> list[DelegatedService]:
    """Return children's services and justice social work where apr.toml delegates them."""
    from ..catalogue.benchmarking import delegated_framework
    d = config.settings.delegated
    result = []
    for key, on, own in (("children", d.children, d.children_outcomes),
                         ("justice", d.justice, d.justice_outcomes)):
        if on:
            base = delegated_framework(key)
            result.append(DelegatedService(key, base["title"], "" if own else base["framework"],
                                           list(own or base["outcomes"])))
    return result


def peer_group(config: ReportConfig) -> PeerGroup | None:
    """Return the peers of the benchmarking table: [benchmarking] peers, the family group set,
    or the family group of the partnership's council; None when none of those applies."""
    from ..catalogue.benchmarking import family_groups, find_council, group_of
    b = config.settings.benchmarking
    if b.peers:
        return PeerGroup(None, [find_council(p) or p for p in b.peers], "the peer councils")
    group = (next(g for g in family_groups() if g.number == b.family_group)
             if b.family_group else group_of(config.council))
    if group is None:
        return None
    return PeerGroup(group.number, list(group.councils),
                     f"family group {group.number} ({group.basis} areas)")


def benchmark_rows(values: list, start: int, band: float) -> list[BenchmarkRow]:
    """Return each measure's latest figure up to the reporting year, in catalogue order."""
    from ..catalogue.benchmarking import lgbf_measures
    rows = []
    for code, measure in lgbf_measures().items():
        mine = [v for v in values if v.measure == code and v.year.start <= start]
        if not mine:
            continue
        v = max(mine, key=lambda v: v.year.start)
        rows.append(BenchmarkRow(measure, v.year.label, v.value, v.family_group, v.scotland,
                                 comparison(v.value, v.family_group, measure.higher_is_better,
                                            band),
                                 comparison(v.value, v.scotland, measure.higher_is_better, band)))
    return rows


def comparison(ours: float, other: float | None, higher_is_better: bool | None,
               band: float) -> str:
    """Return how OURS compares with OTHER: within BAND percent is 'similar'; otherwise
    'better' or 'worse' by polarity, or 'higher' or 'lower' for a measure without one."""
    if other is None:
        return ""
    if abs(ours - other) <= abs(other) * band / 100:
        return "similar"
    higher = ours > other
    if higher_is_better is None:
        return "higher" if higher else "lower"
    return "better" if higher == higher_is_better else "worse"


def funding_gap(years: list) -> FundingGap | None:
    """Return the funding gap of the coming years with its totals; None without the table."""
    if not years:
        return None
    return FundingGap(years, total([y.gap for y in years]), total([y.savings for y in years]),
                      total([y.reserves for y in years]),
                      total([y.unidentified for y in years]))


def deprivation_rows(inputs: Inputs) -> list[DeprivationRow]:
    """Return each indicator's latest figures by SIMD quintile after disclosure control (the
    locality rules: counts from 1 to suppress_below - 1 and one more where needed)."""
    from ..catalogue import indicators
    from .indicators import locality_figures
    catalogue = indicators() | {i.code: i for i in inputs.config.local_indicators}
    by_code: dict[str, list[IndicatorValue]] = {}
    for v in inputs.accountability.get("deprivation", []):
        by_code.setdefault(v.indicator, []).append(IndicatorValue(
            v.indicator, v.start, v.calendar, v.value, numerator=v.numerator,
            denominator=v.denominator, source=v.source, locality=str(v.quintile)))
    rows = []
    for code in [c for c in catalogue if c in by_code]:
        figures = locality_figures(by_code[code], inputs.config.suppress_below)
        rows.append(DeprivationRow(catalogue[code], figures[0].period,
                                   {int(f.locality): f for f in figures}))
    return rows


def direction(previous: float | None, latest: float, higher_is_better: bool | None) -> str:
    """Return 'improved', 'worsened' or 'unchanged' (with a polarity), 'rose' or 'fell'
    (without one), or '' without a previous figure."""
    if previous is None:
        return ""
    if latest == previous:
        return "unchanged"
    if higher_is_better is None:
        return "rose" if latest > previous else "fell"
    return "improved" if (latest > previous) == higher_is_better else "worsened"
