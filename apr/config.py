"""Project settings: the ``apr.toml`` schema, read with every problem reported at once."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .findings import AprError, Findings

CATEGORY_LETTERS = ("a", "b", "c", "d", "e")
MODELS = ("ijb", "lead_agency")
LEADS = ("health_board", "council")
AUDIT_OPINIONS = ("unqualified", "qualified", "adverse", "disclaimer")


@dataclass(frozen=True)
class ReportingYear:
    """A reporting year that starts in April of ``start``: ReportingYear(2023) is 2023/24."""

    start: int

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def publication_deadline(self) -> dt.date:
        """The last day of the 4 months beginning with the end of the year: 31 July (s.42(4))."""
        return dt.date(self.start + 1, 7, 31)

    def previous(self, n: int) -> ReportingYear:
        return ReportingYear(self.start - n)

    @classmethod
    def parse(cls, text: str) -> ReportingYear | None:
        """Return the year for "2023/24" or "2023-24"; None for anything else."""
        m = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*", str(text))
        if not m:
            return None
        start, end = int(m.group(1)), int(m.group(2))
        if end % 100 != (start + 1) % 100:
            return None
        return cls(start)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class LocalityConfig:
    name: str
    summary: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class ServiceLine:
    name: str
    category: str
    outcomes: tuple[int, ...] = ()
    care_groups: tuple[str, ...] = ()


@dataclass
class ReportConfig:
    """Everything ``apr.toml`` says, with defaults filled in."""

    project_dir: Path
    name: str
    short_name: str
    authority: str
    code: str
    model: str
    council: str
    health_board: str
    population: int | None = None
    chief_officer: str = ""
    chair: str = ""
    website: str = ""
    status: str = "draft"
    output: str = "output"
    amounts: str = "£000"
    first_year: int = 2016
    board_meeting: str = ""
    board_date: dt.date | None = None
    publication_date: dt.date | None = None
    author: str = ""
    data_vintage: str = ""
    variance_threshold: float = 250.0
    similar_band: float = 5.0
    reference_docx: str = ""
    localities: list[LocalityConfig] = field(default_factory=list)
    plan_title: str = ""
    plan_period: str = ""
    priorities: list[str] = field(default_factory=list)
    plan_reviewed: bool = False
    plan_changed: bool = False
    service_lines: dict[str, ServiceLine] = field(default_factory=dict)
    key_care_groups: list[str] = field(default_factory=list)
    rounding_tolerance: float = 1.0
    supplied_totals: dict[int, dict[str, float]] = field(default_factory=dict)
    reserves_policy_percent: float | None = None
    lead: str = ""
    audit_opinion: str = ""
    auditor: str = ""
    audited_accounts: str = ""
    indicator_outcomes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    peer_group: list[str] = field(default_factory=list)
    suppress_below: int = 10
    local_indicators: list = field(default_factory=list)   # catalogue.IntegrationIndicator
    raw: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def output_dir(self) -> Path:
        return self.project_dir / self.output

    @property
    def config_file(self) -> str:
        return display_path(self.project_dir / "apr.toml")


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated file-name form of ``text``."""
    text = text.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current folder where possible, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Reader:
    """Typed access to a TOML table that records a finding for each wrong value."""

    def __init__(self, data: dict, section: str, file: str, findings: Findings):
        self.data, self.section, self.file, self.findings = data, section, file, findings

    def _where(self, key: str) -> str:
        return f"{self.section}.{key}" if self.section else key

    def get(self, key: str, kind: type | tuple, default=None, required: bool = False):
        if key not in self.data:
            if required:
                self.findings.error(
                    "config.missing_key",
                    f"[{self.section}] needs '{key}'; add a line `{key} = ...` to apr.toml "
                    f"(see docs/configuration.md)", self.file, column=self._where(key))
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.findings.error(
                "config.wrong_type",
                f"'{self._where(key)}' must be {_TYPE_WORDS.get(expected, expected)}, "
                f"found {value!r}; correct it in apr.toml", self.file, column=self._where(key))
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(key, str, default)
        if value not in choices:
            self.findings.error(
                "config.bad_choice",
                f"'{self._where(key)}' must be one of {', '.join(repr(c) for c in choices)}, "
                f"found {value!r}", self.file, column=self._where(key))
            return default
        return value


_TYPE_WORDS = {"str": "text in quotes", "int": "a whole number", "float": "a number",
               "bool": "true or false", "list": "a list in [ ]", "dict": "a table",
               "date": "a date written 2024-06-26"}


def load_config(project_dir: Path) -> ReportConfig:
    """Read ``apr.toml`` in ``project_dir``; raise AprError listing every problem at once."""
    findings = Findings()
    path = project_dir / "apr.toml"
    file = display_path(path)
    if not path.is_file():
        raise AprError([_missing_project(project_dir, file)])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        findings.error("config.syntax", f"apr.toml is not valid TOML: {exc}. Check quotes, "
                       "brackets and '=' signs on that line", file, _line_of(exc))
        raise AprError(findings) from None
    config = _parse(project_dir, data, file, findings)
    if findings.errors:
        raise AprError(findings)
    return config


def _missing_project(project_dir: Path, file: str):
    from .findings import ERROR, Finding, Location
    return Finding("config.not_found", ERROR,
                   f"no apr.toml in {display_path(project_dir)}; run apr in a partnership project "
                   "folder, pass --project DIR, or create one with `apr init DIR`",
                   Location(file))


def _line_of(exc: Exception) -> int | None:
    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None


def _parse(project_dir: Path, data: dict, file: str, findings: Findings) -> ReportConfig:
    p = _Reader(data.get("partnership", {}), "partnership", file, findings)
    r = _Reader(data.get("report", {}), "report", file, findings)
    sp = _Reader(data.get("strategic_plan", {}), "strategic_plan", file, findings)
    name = p.get("name", str, "", required=True)
    config = ReportConfig(
        project_dir=project_dir,
        name=name,
        short_name=p.get("short_name", str, name),
        authority=p.get("authority", str, name),
        code=p.get("code", str, ""),
        model=p.choice("model", MODELS, "ijb"),
        council=p.get("council", str, "", required=True),
        health_board=p.get("health_board", str, "", required=True),
        population=p.get("population", int),
        chief_officer=p.get("chief_officer", str, ""),
        chair=p.get("chair", str, ""),
        website=p.get("website", str, ""),
        status=r.choice("status", ("draft", "final"), "draft"),
        output=r.get("output", str, "output"),
        amounts=r.choice("amounts", ("£000", "£m"), "£000"),
        first_year=r.get("first_year", int, 2016),
        board_meeting=r.get("board_meeting", str, ""),
        board_date=r.get("board_date", dt.date),
        publication_date=r.get("publication_date", dt.date),
        author=r.get("author", str, ""),
        data_vintage=r.get("data_vintage", str, ""),
        variance_threshold=r.get("variance_threshold", float, None),
        similar_band=r.get("similar_band", float, 5.0),
        reference_docx=r.get("reference_docx", str, ""),
        plan_title=sp.get("title", str, ""),
        plan_period=sp.get("period", str, ""),
        priorities=sp.get("priorities", list, []),
        plan_reviewed=sp.get("reviewed", bool, False),
        plan_changed=sp.get("changed", bool, False),
        raw=data,
    )
    # amounts settings default to the same sums of money whatever the unit: £250k and £1k
    # in £000; £250k and the £0.1m shown in £m (whose rows, rounded to 0.1, can be 0.1 out)
    millions = config.amounts == "£m"
    if config.variance_threshold is None:
        config.variance_threshold = 0.25 if millions else 250.0
    if Path(config.output).is_absolute() or ".." in Path(config.output).parts:
        findings.error("config.output_outside", f"'report.output' must be a folder inside the "
                       f"project, found {config.output!r}", file, column="report.output")
    config.localities = _localities(data.get("localities", []), file, findings)
    finance = data.get("finance", {})
    f = _Reader(finance, "finance", file, findings)
    config.key_care_groups = f.get("key_care_groups", list, [])
    config.service_lines = _service_lines(finance.get("service_lines", {}), config, file, findings)
    config.rounding_tolerance = f.get("rounding_tolerance", float, 0.1 if millions else 1.0)
    config.reserves_policy_percent = f.get("reserves_policy_percent", float)
    config.supplied_totals = _supplied_totals(f.get("supplied_totals", dict, {}), file, findings)
    config.lead = p.choice("lead", LEADS, "") if "lead" in p.data else ""
    bv = _Reader(data.get("best_value", {}), "best_value", file, findings)
    config.audit_opinion = bv.choice("audit_opinion", AUDIT_OPINIONS, "") \
        if "audit_opinion" in bv.data else ""
    config.auditor = bv.get("auditor", str, "")
    config.audited_accounts = bv.get("audited_accounts", str, "")
    config.indicator_outcomes = _indicator_outcomes(data.get("indicators", {}), file, findings)
    _indicator_settings(config, data, file, findings)
    return config


def _check_peer_group(names: list[str], file: str, findings: Findings) -> None:
    """Report each peer-group name that is not one of the 31 partnerships."""
    import difflib

    from .catalogue import find_partnership, partnerships
    known = [p.name for p in partnerships()]
    for name in names:
        if find_partnership(name) is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            findings.error("config.unknown_peer", f"'indicators.peer_group' names {name!r}, "
                           f"which is not one of the 31 partnerships{hint}; use the "
                           "partnership's name or HSCP code", file, column="indicators.peer_group")


def _indicator_settings(config: ReportConfig, data: dict, file: str, findings: Findings) -> None:
    """Fill the [indicators] settings and the [[local_indicators]] into ``config``."""
    from .catalogue.local import read_local_indicators
    table = data.get("indicators", {})
    i = _Reader(table if isinstance(table, dict) else {}, "indicators", file, findings)
    config.peer_group = [str(p) for p in i.get("peer_group", list, [])]
    _check_peer_group(config.peer_group, file, findings)
    config.suppress_below = i.get("suppress_below", int, 10)
    if not 1 <= config.suppress_below <= 100:
        findings.error("config.bad_suppress_below", "'indicators.suppress_below' must be a "
                       f"count from 1 to 100 (PHS practice is 5 or 10), found "
                       f"{config.suppress_below}", file, column="indicators.suppress_below")
        config.suppress_below = 10
    config.local_indicators = read_local_indicators(data.get("local_indicators", []), file,
                                                    findings)


def _localities(items, file: str, findings: Findings) -> list[LocalityConfig]:
    if not isinstance(items, list):
        items = []
    result = []
    for i, item in enumerate(items, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip():
            findings.error("config.locality_name", f"locality {i} in [[localities]] needs a "
                           "name, e.g. name = \"North\"", file, column="localities")
            continue
        result.append(LocalityConfig(name.strip(), str(item.get("summary", ""))))
    if len(result) < 2:
        findings.error("config.too_few_localities",
                       f"the Act requires at least two localities; apr.toml lists {len(result)}. "
                       "Add a [[localities]] table with a name for each locality in your "
                       "strategic plan", file, column="localities")
    return result


def _service_lines(table: dict, config: ReportConfig, file: str,
                   findings: Findings) -> dict[str, ServiceLine]:
    lines = {}
    for name, spec in table.items():
        where = f"finance.service_lines.\"{name}\""
        if isinstance(spec, str):
            spec = {"category": spec}
        category = str(spec.get("category", "")).lower().strip("() ")
        if category not in CATEGORY_LETTERS:
            findings.error("config.bad_category",
                           f"service line '{name}' must map to a reg 4(2) category a to e, found "
                           f"{spec.get('category')!r}; see docs/finance.md", file, column=where)
            continue
        outcomes = tuple(int(o) for o in spec.get("outcomes", []) if str(o).isdigit())
        bad = [o for o in outcomes if not 1 <= o <= 9]
        if bad:
            findings.error("config.bad_outcome", f"service line '{name}' lists outcome {bad[0]}; "
                           "national outcomes are numbered 1 to 9", file, column=where)
        groups = tuple(str(g) for g in spec.get("care_groups", []))
        unknown = [g for g in groups if g not in config.key_care_groups]
        if unknown:
            findings.error("config.unknown_care_group",
                           f"service line '{name}' names care group {unknown[0]!r}, which is not "
                           "in finance.key_care_groups", file, column=where)
        lines[name] = ServiceLine(name, category, outcomes, groups)
    return lines


def _supplied_totals(table: dict, file: str,
                     findings: Findings) -> dict[int, dict[str, float]]:
    """Return {year start: {"budget": ..., "outturn": ...}} from [finance] supplied_totals."""
    result: dict[int, dict[str, float]] = {}
    for key, spec in table.items():
        year = ReportingYear.parse(key)
        amounts = {k: v for k, v in spec.items() if k in ("budget", "outturn")} \
            if isinstance(spec, dict) else {}
        good = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                   for v in amounts.values())
        if year is None or not amounts or not good:
            findings.error("config.bad_supplied_totals",
                           f"finance.supplied_totals: expected e.g. \"2023/24\" = {{ budget = "
                           f"309800, outturn = 310350 }}, found {key} = {spec!r}", file,
                           column="finance.supplied_totals")
            continue
        result[year.start] = {k: float(v) for k, v in amounts.items()}
    return result


def _indicator_outcomes(table: dict, file: str, findings: Findings) -> dict[str, tuple[int, ...]]:
    from .catalogue import normalise_indicator_code
    result = {}
    for key, value in table.get("outcomes", {}).items():
        code = normalise_indicator_code(key)
        if code is None or not isinstance(value, list) or not value:
            findings.error("config.bad_indicator_outcomes",
                           f"indicators.outcomes: expected e.g. \"NI-12\" = [1, 9], found "
                           f"{key} = {value!r}", file, column="indicators.outcomes")
            continue
        result[code] = tuple(int(v) for v in value)
    return result
