"""The partnership's year as typed objects, built from the inputs by ``read_sources``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .config import ReportConfig, ReportingYear


@dataclass(frozen=True)
class Source:
    """Where a value came from: file and spreadsheet row."""

    file: str
    row: int | None = None


@dataclass
class IndicatorValue:
    """One indicator value for one period, with its Scotland comparator."""

    code: str
    start: int
    calendar: bool
    value: object            # float, None, or values.SUPPRESSED
    scotland: object = None
    numerator: float | None = None
    denominator: float | None = None
    qualifiers: str = ""
    source: Source | None = None
    locality: str | None = None
    partnership: str | None = None   # another partnership's name in a national file; None = ours
    lower: float | None = None       # 95% confidence limits (survey indicators), both or neither
    upper: float | None = None

    @property
    def period(self) -> str:
        from .sources.values import period_label
        return period_label(self.start, self.calendar)

    @property
    def interval(self) -> tuple[float, float] | None:
        """Return the 95% confidence interval (lower, upper), or None if none was given."""
        if self.lower is None or self.upper is None:
            return None
        return self.lower, self.upper


@dataclass
class FinanceLine:
    """A service line's budget and outturn for one year (amounts in the project's unit)."""

    year: ReportingYear
    service_line: str
    budget: float
    outturn: float
    reason: str = ""
    source: Source | None = None
    body: str = ""                       # the partner body (NHS board, council), if given
    final_budget: float | None = None    # total paid or set aside (reg 4(1)(b)), if given apart
    published_variance: float | None = None        # against the budget, as the accounts show it
    published_final_variance: float | None = None  # against the final budget, as published

    @property
    def computed_variance(self) -> float:
        """Budget minus outturn: positive is an underspend, negative an overspend."""
        return round(self.budget - self.outturn, 9)   # no float noise in £m: 24.9 - 24.7

    @property
    def variance(self) -> float:
        """The variance against the annual financial statement: the published one when given
        (the accounts compute it from unrounded figures), else budget minus outturn."""
        if self.published_variance is not None:
            return self.published_variance
        return self.computed_variance

    @property
    def funding(self) -> float:
        """The final budget (total paid to or set aside), or the one budget figure given."""
        return self.budget if self.final_budget is None else self.final_budget

    @property
    def final_variance(self) -> float:
        """The variance against the final budget: published when given; else the published
        variance plus the funding allocated in the year; else computed."""
        if self.published_final_variance is not None:
            return self.published_final_variance
        if self.published_variance is not None:
            return round(self.published_variance + self.funding - self.budget, 9)
        return round(self.funding - self.outturn, 9)


@dataclass
class PublishedTotal:
    """A total row of the finance table: the year's (body "") or a partner body's subtotal,
    as the accounts publish it; checked against its lines and shown as published."""

    year: ReportingYear
    body: str
    name: str
    budget: float
    outturn: float
    final_budget: float | None = None
    published_variance: float | None = None
    published_final_variance: float | None = None
    source: Source | None = None


@dataclass
class LocalityYear:
    locality: str
    year: ReportingYear
    population: float | None = None
    spend: float | None = None
    source: Source | None = None


@dataclass
class Inspection:
    """An inspection report; ``body`` is normalised, ``body_detail`` keeps the text given."""

    service: str
    body: str
    date: dt.date
    findings: str
    response: str
    provider: str = ""
    grades: dict[str, int] = field(default_factory=dict)
    requirements: int | None = None
    recommendations: int | None = None
    source: Source | None = None
    body_detail: str = ""


@dataclass
class Reserve:
    """One reserve's balance for a year: opening, movement in the year and closing."""

    year: ReportingYear
    type: str                # earmarked, ring-fenced or general
    description: str
    opening: float
    movement: float
    closing: float
    source: Source | None = None


@dataclass
class Saving:
    """One savings programme for a year: planned, achieved and whether it recurs."""

    year: ReportingYear
    programme: str
    planned: float
    achieved: float
    recurring: bool
    source: Source | None = None


@dataclass
class JmcRecommendation:
    """A recommendation of the integration joint monitoring committee (lead agency model)."""

    date: dt.date
    recommendation: str
    response: str
    source: Source | None = None


@dataclass
class SignificantDecision:
    date: dt.date
    decision: str
    reason: str
    source: Source | None = None


@dataclass
class Narrative:
    """A Markdown narrative file from ``content/``."""

    name: str
    file: str
    text: str


@dataclass
class Inputs:
    """Everything read from the project for one reporting year."""

    config: ReportConfig
    year: ReportingYear
    indicators: list[IndicatorValue] = field(default_factory=list)
    national: list[IndicatorValue] = field(default_factory=list)   # other partnerships' values
    finance: list[FinanceLine] = field(default_factory=list)
    finance_totals: list[PublishedTotal] = field(default_factory=list)
    localities: list[LocalityYear] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)
    decisions: list[SignificantDecision] = field(default_factory=list)
    reserves: list[Reserve] = field(default_factory=list)
    savings: list[Saving] = field(default_factory=list)
    jmc_recommendations: list[JmcRecommendation] = field(default_factory=list)
    msg: list | None = None      # sources.msg.MsgValue; None when no MSG table was given
    # the optional tables of sources/accountability.py, by table name
    accountability: dict[str, list] = field(default_factory=dict)
    narrative: dict[str, Narrative] = field(default_factory=dict)
    tables: dict[str, object] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
