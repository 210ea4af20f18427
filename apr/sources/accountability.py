"""The optional tables of issue 17: services hosted for or by other partnerships, the Local
Government Benchmarking Framework measures, the funding gap of the coming years, indicators by
deprivation quintile and prevention measures. Each row becomes a small typed record in
``inputs.accountability[table]``; rows with problems are reported and left out."""
from __future__ import annotations

from dataclasses import dataclass

from ..config import ReportingYear
from ..findings import Findings
from ..model import Inputs, Source

ROLES = {"hosts": "hosts", "host": "hosts", "hosted": "hosts", "hosting": "hosts",
         "lead": "hosts", "lead partner": "hosts", "uses": "uses", "use": "uses",
         "used": "uses", "user": "uses", "hosted elsewhere": "uses"}


@dataclass
class HostedService:
    service: str
    host: str
    role: str                 # "hosts" (we host it for others) or "uses" (hosted elsewhere)
    budget: float
    outturn: float
    performance: str
    source: Source


@dataclass
class BenchmarkValue:
    measure: str              # the catalogue code, e.g. "SW1"
    year: ReportingYear
    value: float
    family_group: float | None
    scotland: float | None
    source: Source


@dataclass
class FundingGapYear:
    year: ReportingYear
    gap: float
    savings: float
    reserves: float
    unidentified: float
    source: Source


@dataclass
class DeprivationValue:
    indicator: str            # the indicator's code, as the catalogue or apr.toml spells it
    start: int
    calendar: bool
    quintile: int             # 1 most deprived to 5 least deprived (SIMD)
    value: object             # float, None or values.SUPPRESSED
    numerator: float | None
    denominator: float | None
    source: Source


@dataclass
class PreventionMeasure:
    measure: str
    period: str
    value: float
    previous: float | None
    unit: str
    higher_is_better: bool | None
    note: str
    source: Source


def build_accountability(inputs: Inputs, typed: dict[str, list[dict]],
                         findings: Findings) -> None:
    """Check and keep the rows of each optional table that was given."""
    builders = {"hosted_services": _hosted, "benchmarking": _benchmarking,
                "funding_gap": _funding_gap, "deprivation": _deprivation,
                "prevention": _prevention}
    for name, builder in builders.items():
        if name in typed:
            inputs.accountability[name] = builder(inputs, typed[name], findings)


def _duplicate_error(code: str, rows: list[dict], key, describe, findings: Findings) -> list[dict]:
    from . import _duplicate_rows_error
    return _duplicate_rows_error(code, rows, key, describe, findings)


def _hosted(inputs: Inputs, rows: list[dict], findings: Findings) -> list[HostedService]:
    rows = _duplicate_error("hosted_services.duplicate", rows, ("service", "host", "role"),
                       lambda r: f"hosted service '{r['service'][:60]}' ({r['role'][:20]}, "
                                 f"{r['host'][:40]})", findings)
    result = []
    for row in rows:
        src = row["_source"]
        role = ROLES.get(" ".join(row["role"].lower().split()))
        if role is None:
            findings.error("hosted_services.bad_role",
                           f"expected 'hosts' (the partnership hosts the service for others) or "
                           f"'uses' (another partnership hosts it) in 'role', found "
                           f"'{row['role'][:40]}'; use one of those two words",
                           src.file, src.row, "role")
            continue
        result.append(HostedService(row["service"], row["host"], role, row["budget"],
                                    row["outturn"], row.get("performance") or "", src))
    return result


def _benchmarking(inputs: Inputs, rows: list[dict], findings: Findings) -> list[BenchmarkValue]:
    from ..catalogue.benchmarking import lgbf_measure, lgbf_measures
    result = []
    for row in rows:
        measure = lgbf_measure(row["measure"])
        if measure is None:
            src = row["_source"]
            findings.error("benchmarking.unknown_measure",
                           f"'{row['measure'][:40]}' is not a Local Government Benchmarking "
                           f"Framework adult social care measure apr knows; expected one of "
                           f"{', '.join(lgbf_measures())}", src.file, src.row, "measure")
            continue
        row["measure"] = measure.code
        result.append(row)
    rows = _duplicate_error("benchmarking.duplicate", result, ("measure", "year"),
                       lambda r: f"measure {r['measure']} in {r['year'].label}", findings)
    return [BenchmarkValue(r["measure"], r["year"], r["value"], r.get("family_group"),
                           r.get("scotland"), r["_source"]) for r in rows]


def _funding_gap(inputs: Inputs, rows: list[dict], findings: Findings) -> list[FundingGapYear]:
    from ..analysis.finance import total, within
    from ..formatting import money
    config = inputs.config
    rows = _duplicate_error("funding_gap.duplicate", rows, ("year",),
                       lambda r: f"the funding gap of {r['year'].label}", findings)
    result = []
    for row in rows:
        src, unit = row["_source"], config.amounts
        bridged = total([row["savings"], row["reserves"], row["unidentified"]])
        if not within(row["gap"] - bridged, config.rounding_tolerance):
            findings.error(
                "funding_gap.does_not_add_up",
                f"the funding gap of {row['year'].label} is {money(row['gap'], unit, False)}, but "
                f"savings, reserves and unidentified add up to {money(bridged, unit, False)} "
                f"(difference {money(row['gap'] - bridged, unit, False)}, tolerance "
                f"{config.rounding_tolerance:,g}); correct the figures so that savings + "
                "reserves + unidentified = gap", src.file, src.row, "unidentified")
            continue
        if row["year"].start <= inputs.year.start:
            findings.warning(
                "funding_gap.past_year",
                f"the funding gap row for {row['year'].label} is not a coming year of the "
                f"{inputs.year.label} report and is left out; give the gap of "
                f"{inputs.year.start + 1}/{(inputs.year.start + 2) % 100:02d} onwards",
                src.file, src.row, "year")
            continue
        result.append(FundingGapYear(row["year"], row["gap"], row["savings"], row["reserves"],
                                     row["unidentified"], src))
    return sorted(result, key=lambda r: r.year.start)


def _deprivation(inputs: Inputs, rows: list[dict], findings: Findings) -> list[DeprivationValue]:
    known = _indicator_codes(inputs)
    result = []
    for row in rows:
        src = row["_source"]
        code = known.get(_code_key(row["indicator"]))
        if code is None:
            findings.error("deprivation.unknown_indicator",
                           f"'{row['indicator'][:40]}' is not a core integration indicator or a "
                           "local indicator of apr.toml; use its code, e.g. NI-12 or L-1",
                           src.file, src.row, "indicator")
            continue
        if not 1 <= row["quintile"] <= 5:
            findings.error("deprivation.bad_quintile",
                           f"expected an SIMD quintile from 1 (most deprived) to 5 (least "
                           f"deprived) in 'quintile', found {row['quintile']}",
                           src.file, src.row, "quintile")
            continue
        row["indicator"] = code
        result.append(row)
    rows = _duplicate_error("deprivation.duplicate", result, ("indicator", "period", "quintile"),
                       lambda r: f"quintile {r['quintile']} of {r['indicator']} in "
                                 f"{_period(r['period'])}", findings)
    return [DeprivationValue(r["indicator"], r["period"][0], r["period"][1], r["quintile"],
                             r.get("value"), r.get("numerator"), r.get("denominator"),
                             r["_source"]) for r in rows]


def _period(period) -> str:
    from .values import period_label
    return period_label(*period)


def _code_key(code: str) -> str:
    return "".join(code.upper().split()).replace("_", "-")


def _indicator_codes(inputs: Inputs) -> dict[str, str]:
    from ..catalogue import indicators
    codes = {_code_key(i.code): i.code for i in indicators().values()}
    codes.update({_code_key(i.code): i.code for i in inputs.config.local_indicators})
    return codes


def _prevention(inputs: Inputs, rows: list[dict], findings: Findings) -> list[PreventionMeasure]:
    rows = _duplicate_error("prevention.duplicate", rows, ("measure", "period"),
                       lambda r: f"prevention measure '{r['measure'][:60]}' for {r['period']}",
                       findings)
    return [PreventionMeasure(r["measure"], r["period"], r["value"], r.get("previous"),
                              r.get("unit") or "", r.get("higher_is_better"), r.get("note") or "",
                              r["_source"]) for r in rows]
