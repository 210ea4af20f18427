"""Project settings: ``apr.toml`` read against the schema in ``settings_schema``, with every
problem reported at once, each at its line and setting.

The schema (apr/settings_schema.py) is the single source of every setting's type, default and
help text; this module reads the file, checks it against the schema (unknown keys, keys in the
wrong table, wrong types, out-of-range values, control characters), works out the defaults that
depend on other settings, and runs the checks that need more than one setting (localities,
service lines, the partnership's code against the catalogue).
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import tomllib
import typing
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .findings import AprError, Findings
from .formatting import setting_number
from .settings_schema import (
    NAME_LENGTH,
    SECTION_BY_NAME,
    TEXT_LENGTH,
    BenchmarkingSettings,
    BestValueSettings,
    BoardPaperSettings,
    DelegatedSettings,
    FinanceSettings,
    IndicatorSettings,
    MsgSettings,
    PartnershipSettings,
    ReportSettings,
    Section,
    Setting,
    StrategicPlanSettings,
    all_settings,
    sections_with_key,
    settings_of,
)

CATEGORY_LETTERS = next(s.choices for s in settings_of("finance.service_lines")
                        if s.key == "category")         # a to e, regulation 4(2)
MAX_AMOUNT = 1e12           # £ a trillion in any unit: larger is a typing error, not a budget


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
    summary: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class ServiceLine:
    name: str
    category: str
    outcomes: tuple[int, ...]
    care_groups: tuple[str, ...]
    body: str = ""                                   # "" for a line of any partner body
    split: tuple[tuple[str, float], ...] = ()        # (category, percent) for a split line

    @property
    def shares(self) -> tuple[tuple[str, float], ...]:
        """Return (category, percent) pairs: the split, or the one category at 100%."""
        return self.split or ((self.category, 100.0),)

    @property
    def categories(self) -> str:
        """Return the line's category letters as shown: "(c)", or "(c), (e)" when split."""
        return ", ".join(f"({c})" for c, _ in self.shares)


@dataclass
class Settings:
    """Every section of apr.toml as read, defaults filled in."""

    partnership: PartnershipSettings
    report: ReportSettings
    strategic_plan: StrategicPlanSettings
    finance: FinanceSettings
    best_value: BestValueSettings
    delegated: DelegatedSettings
    benchmarking: BenchmarkingSettings
    indicators: IndicatorSettings
    board_paper: BoardPaperSettings
    msg: MsgSettings


@dataclass
class ReportConfig:
    """Everything ``apr.toml`` says, with defaults filled in.

    The plain settings are read through flat attributes (``config.board_date``,
    ``config.plan_title``): one typed property for each schema setting with an ``attr``.
    """

    project_dir: Path
    settings: Settings
    localities: list[LocalityConfig] = field(default_factory=list)
    service_lines: dict[str, ServiceLine] = field(default_factory=dict)
    # lines mapped for one partner body: (body in lower case, name) -> mapping
    body_service_lines: dict[tuple[str, str], ServiceLine] = field(default_factory=dict)
    supplied_totals: dict[int, dict[str, float]] = field(default_factory=dict)
    indicator_outcomes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    local_indicators: list = field(default_factory=list)   # catalogue.IntegrationIndicator
    msg_objectives: dict = field(default_factory=dict)     # MSG code -> (aim, target or None)
    stylesheet: str = ""    # the project's styles/*.css, joined (apr/document/brand.py)
    raw: dict = field(default_factory=dict)
    locator: Locator | None = field(default=None, repr=False, compare=False)

    def line_mapping(self, body: str, name: str) -> ServiceLine | None:
        """Return the mapping of service line ``name`` of partner body ``body``: the body's own
        ([finance.service_lines."NHS Borders"]) before one for any body; None if unmapped."""
        own = self.body_service_lines.get((" ".join(body.lower().split()), name))
        return own or self.service_lines.get(name)

    def setting_line(self, dotted: str) -> int | None:
        """Return the line of apr.toml where setting ``dotted`` ("report.board_date") is, or of
        its table; None when neither is in the file. For findings about a setting:
        ``findings.error(code, message, config.config_file, config.setting_line(s), s)``."""
        return self.locator.line(tuple(dotted.split("."))) if self.locator else None

    @property
    def councils(self) -> list[str]:
        """Every constituent council, one per item (``council`` may list several)."""
        return self.settings.partnership.councils

    @property
    def constituent_authorities(self) -> str:
        """The council(s) and health board in words: "Stirling Council and NHS Forth Valley"."""
        return and_words([*self.councils, self.health_board])

    @property
    def board_paper(self) -> BoardPaperSettings:
        return self.settings.board_paper

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def output_dir(self) -> Path:
        return self.project_dir / self.output

    @property
    def config_file(self) -> str:
        return display_path(self.project_dir / "apr.toml")

    # --- the flat settings: one property for each schema setting with an ``attr`` ---------------
    # (tests/test_config_schema.py checks this list against the schema). A setting whose default
    # the loader works out from others (``default_doc``) is never None once loaded.

    @property
    def name(self) -> str:
        """[partnership] name"""
        return self.settings.partnership.name

    @property
    def short_name(self) -> str:
        """[partnership] short_name"""
        return _filled(self.settings.partnership.short_name, "partnership.short_name")

    @property
    def authority(self) -> str:
        """[partnership] authority"""
        return _filled(self.settings.partnership.authority, "partnership.authority")

    @property
    def code(self) -> str:
        """[partnership] code"""
        return self.settings.partnership.code

    @property
    def model(self) -> str:
        """[partnership] model"""
        return self.settings.partnership.model

    @property
    def council(self) -> str | list[str]:
        """[partnership] council"""
        return self.settings.partnership.council

    @property
    def health_board(self) -> str:
        """[partnership] health_board"""
        return self.settings.partnership.health_board

    @property
    def population(self) -> int | None:
        """[partnership] population"""
        return self.settings.partnership.population

    @property
    def chief_officer(self) -> str:
        """[partnership] chief_officer"""
        return self.settings.partnership.chief_officer

    @property
    def chair(self) -> str:
        """[partnership] chair"""
        return self.settings.partnership.chair

    @property
    def website(self) -> str:
        """[partnership] website"""
        return self.settings.partnership.website

    @property
    def lead(self) -> str:
        """[partnership] lead"""
        return self.settings.partnership.lead

    @property
    def status(self) -> str:
        """[report] status"""
        return self.settings.report.status

    @property
    def output(self) -> str:
        """[report] output"""
        return self.settings.report.output

    @property
    def amounts(self) -> str:
        """[report] amounts"""
        return self.settings.report.amounts

    @property
    def first_year(self) -> int:
        """[report] first_year"""
        return self.settings.report.first_year

    @property
    def board_meeting(self) -> str:
        """[report] board_meeting"""
        return self.settings.report.board_meeting

    @property
    def board_date(self) -> dt.date | None:
        """[report] board_date"""
        return self.settings.report.board_date

    @property
    def publication_date(self) -> dt.date | None:
        """[report] publication_date"""
        return self.settings.report.publication_date

    @property
    def author(self) -> str:
        """[report] author"""
        return self.settings.report.author

    @property
    def data_vintage(self) -> str:
        """[report] data_vintage"""
        return self.settings.report.data_vintage

    @property
    def variance_threshold(self) -> float:
        """[report] variance_threshold"""
        return _filled(self.settings.report.variance_threshold, "report.variance_threshold")

    @property
    def similar_band(self) -> float:
        """[report] similar_band"""
        return self.settings.report.similar_band

    @property
    def reference_docx(self) -> str:
        """[report] reference_docx"""
        return self.settings.report.reference_docx

    @property
    def logo(self) -> str:
        """[report] logo"""
        return self.settings.report.logo

    @property
    def cover_image(self) -> str:
        """[report] cover_image"""
        return self.settings.report.cover_image

    @property
    def cover_image_alt(self) -> str:
        """[report] cover_image_alt"""
        return self.settings.report.cover_image_alt

    @property
    def accent_colour(self) -> str:
        """[report] accent_colour"""
        return self.settings.report.accent_colour

    @property
    def header_links(self) -> list[str]:
        """[report] header_links"""
        return self.settings.report.header_links

    @property
    def footer_links(self) -> list[str]:
        """[report] footer_links"""
        return self.settings.report.footer_links

    @property
    def plan_title(self) -> str:
        """[strategic_plan] title"""
        return self.settings.strategic_plan.title

    @property
    def plan_period(self) -> str:
        """[strategic_plan] period"""
        return self.settings.strategic_plan.period

    @property
    def priorities(self) -> list[str]:
        """[strategic_plan] priorities"""
        return self.settings.strategic_plan.priorities

    @property
    def plan_reviewed(self) -> bool:
        """[strategic_plan] reviewed"""
        return self.settings.strategic_plan.reviewed

    @property
    def plan_changed(self) -> bool:
        """[strategic_plan] changed"""
        return self.settings.strategic_plan.changed

    @property
    def key_care_groups(self) -> list[str]:
        """[finance] key_care_groups"""
        return self.settings.finance.key_care_groups

    @property
    def rounding_tolerance(self) -> float:
        """[finance] rounding_tolerance"""
        return _filled(self.settings.finance.rounding_tolerance, "finance.rounding_tolerance")

    @property
    def reserves_policy_percent(self) -> float | None:
        """[finance] reserves_policy_percent"""
        return self.settings.finance.reserves_policy_percent

    @property
    def money_decimals(self) -> int:
        """[finance] decimals"""
        return self.settings.finance.decimals

    @property
    def audit_opinion(self) -> str:
        """[best_value] audit_opinion"""
        return self.settings.best_value.audit_opinion

    @property
    def auditor(self) -> str:
        """[best_value] auditor"""
        return self.settings.best_value.auditor

    @property
    def audited_accounts(self) -> str:
        """[best_value] audited_accounts"""
        return self.settings.best_value.audited_accounts

    @property
    def peer_group(self) -> list[str]:
        """[indicators] peer_group"""
        return self.settings.indicators.peer_group

    @property
    def suppress_below(self) -> int:
        """[indicators] suppress_below"""
        return self.settings.indicators.suppress_below

    @property
    def msg_baseline(self) -> int:
        """[msg] baseline"""
        return self.settings.msg.baseline


_T = typing.TypeVar("_T")


def _filled(value: _T | None, setting: str) -> _T:
    """Return a setting whose default ``_fill_defaults`` works out; it is never None after
    loading, so None here is a bug in apr, not in apr.toml."""
    if value is None:
        raise AssertionError(f"{setting} read before load_config filled in its default")
    return value


def and_words(items: list[str]) -> str:
    """Return "A", "A and B" or "A, B and C"."""
    items = [i for i in items if i]
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated file-name form of ``text``."""
    text = text.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current folder where possible, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --- where things are in apr.toml --------------------------------------------------------------

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|\'[^\'\n]*\')'
_KEY_LINE = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*(\]\]?)")


def _parts(key_text: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in re.findall(_KEY_PART, key_text))


class Locator:
    """Line numbers of the tables and keys of a TOML text, found by scanning it (tomllib keeps
    no positions). A path is a tuple of keys, with a 0-based index after an array of tables:
    ("localities", 1, "name")."""

    def __init__(self, text: str):
        self.lines: dict[tuple, list[int]] = {}
        self.text_lines = text.splitlines()
        current: tuple = ()
        counts: dict[tuple, int] = {}
        in_string = ""
        for number, line in enumerate(self.text_lines, start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = ""
                continue
            header = _HEADER.match(line)
            if header and line.lstrip().startswith("["):
                path = _parts(header.group(2))
                if header.group(1) == "[[":
                    counts[path] = counts.get(path, -1) + 1
                    current = path + (counts[path],)
                else:
                    current = path
                self.lines.setdefault(current, []).append(number)
                self.lines.setdefault(path, []).append(number)
                continue
            key = _KEY_LINE.match(line)
            if key:
                self.lines.setdefault(current + _parts(key.group(1)), []).append(number)
                rest = line[key.end():]
                for quotes in ('"""', "'''"):
                    if rest.count(quotes) % 2 == 1:
                        in_string = quotes

    def line(self, path: tuple) -> int | None:
        """Return the line of ``path``, or of the nearest enclosing table or key found."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path][0]
            path = path[:-1]
        return None

    def all_lines(self, path: tuple) -> list[int]:
        return self.lines.get(tuple(path), [])


# --- reading -----------------------------------------------------------------------------------

class _Context:
    """The file being read, where its keys are, and the findings so far."""

    def __init__(self, file: str, locator: Locator, findings: Findings):
        self.file, self.locator, self.findings = file, locator, findings

    def error(self, code: str, message: str, path: tuple, setting: str) -> None:
        self.findings.error(code, message, self.file, self.locator.line(path), setting)


def load_config(project_dir: Path) -> ReportConfig:
    """Read ``apr.toml`` in ``project_dir``; raise AprError listing every problem at once."""
    findings = Findings()
    path = project_dir / "apr.toml"
    file = display_path(path)
    if not path.is_file():
        raise AprError([_missing_project(project_dir, file)])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        findings.error("config.syntax", "apr.toml is not UTF-8 text (it has a byte "
                       f"0x{raw[exc.start]:02x} that UTF-8 does not allow); save it as UTF-8 "
                       "(in Notepad: Save As, Encoding UTF-8)", file,
                       raw[:exc.start].count(b"\n") + 1)
        raise AprError(findings) from None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        line, message = explain_syntax_error(text, exc)
        findings.error("config.syntax", message, file, line)
        raise AprError(findings) from None
    config = parse_settings(project_dir, data, text, file, findings)
    if findings.errors:
        raise AprError(sorted(findings, key=lambda f: f.location.row or 0))   # in file order
    return config


def _missing_project(project_dir: Path, file: str):
    from .findings import ERROR, Finding, Location
    return Finding("config.not_found", ERROR,
                   f"no apr.toml in {display_path(project_dir)}; run apr in a partnership project "
                   "folder, pass --project DIR, or create one with `apr init DIR`",
                   Location(file))


def parse_settings(project_dir: Path, data: dict, text: str, file: str,
                   findings: Findings) -> ReportConfig:
    """Return the settings of ``data`` (apr.toml read as ``text``), recording each problem."""
    ctx = _Context(file, Locator(text), findings)
    tables: dict[str, object] = {}
    for key, value in data.items():
        if key in ("localities", "local_indicators"):
            continue
        if key in Settings.__dataclass_fields__:
            tables[key] = value
        else:
            _unknown(ctx, None, key, (key,))
    sections = {}
    for name in Settings.__dataclass_fields__:
        sections[name] = _read_table(ctx, SECTION_BY_NAME[name], tables.get(name), (name,))
    settings = Settings(**sections)
    config = ReportConfig(project_dir=project_dir, settings=settings, raw=data,
                          locator=ctx.locator)
    _fill_defaults(settings)
    config.localities = _localities(ctx, data.get("localities", []))
    finance = tables.get("finance") if isinstance(tables.get("finance"), dict) else {}
    mapped = _service_lines(ctx, finance.get("service_lines", {}),
                            settings.finance.key_care_groups)
    config.service_lines = {ln.name: ln for ln in mapped if not ln.body}
    config.body_service_lines = {(" ".join(ln.body.lower().split()), ln.name): ln
                                 for ln in mapped if ln.body}
    config.supplied_totals = _supplied_totals(ctx, settings.finance.supplied_totals)
    config.indicator_outcomes = _indicator_outcomes(ctx, settings.indicators.outcomes)
    _check_peer_group(ctx, settings.indicators.peer_group)
    _check_benchmarking_peers(ctx, settings.benchmarking.peers)
    if not 1 <= settings.indicators.suppress_below <= 100:
        ctx.error("config.bad_suppress_below", "'indicators.suppress_below' must be a count from "
                  "1 to 100 (PHS practice is 5 or 10), found "
                  f"{settings.indicators.suppress_below}", ("indicators", "suppress_below"),
                  "indicators.suppress_below")
        settings.indicators.suppress_below = 10
    config.local_indicators = _local_indicators(ctx, data.get("local_indicators", []))
    config.msg_objectives = _msg_objectives(ctx, settings.msg.objectives)
    _check_output(ctx, config)
    _check_reference_docx(ctx, config)
    _check_cover_pictures(ctx, config)
    _check_brand(ctx, config)
    _check_code(ctx, settings.partnership)
    return config


def _fill_defaults(settings: Settings) -> None:
    """Work out the defaults that depend on other settings (``default_doc`` in the schema)."""
    p, r, f, b = settings.partnership, settings.report, settings.finance, settings.board_paper
    p.short_name = p.name if p.short_name is None else p.short_name
    p.authority = p.name if p.authority is None else p.authority
    # council may list several councils (Clackmannanshire and Stirling): councils keeps each,
    # council becomes their names in words for sentences ("A and B")
    p.councils = [c for c in ([p.council] if isinstance(p.council, str) else p.council)
                  if c.strip()]
    p.council = and_words(p.councils)
    # amounts settings default to the same sums of money whatever the unit: £250k and £1k
    # in £000; £250k and the £0.1m shown in £m (whose rows, rounded to 0.1, can be 0.1 out)
    millions = r.amounts == "£m"
    if r.variance_threshold is None:
        r.variance_threshold = 0.25 if millions else 250.0
    if f.rounding_tolerance is None:
        f.rounding_tolerance = 0.1 if millions else 1.0
    # 'output\\drafts' (as typed on Windows) is output/drafts
    from .paths import portable
    r.output, r.reference_docx = portable(r.output), portable(r.reference_docx)
    b.meeting = r.board_meeting if b.meeting is None else b.meeting
    b.date = r.board_date
    b.report_by_name = p.chief_officer if b.report_by_name is None else b.report_by_name
    b.author = r.author if b.author is None else b.author


def _read_table(ctx: _Context, section: Section, table, path: tuple,
                where: str | None = None, check_required: bool = True,
                label: str | None = None) -> object:
    """Return ``section``'s dataclass from ``table``, defaults for anything missing or wrong."""
    where = where or section.name
    values: dict[str, object] = {}
    specs = settings_of(section)
    by_key = {s.key: s for s in specs}
    if table is None:
        table = {}
    elif not isinstance(table, dict):
        ctx.error("config.wrong_type", f"'{where}' must be a table of settings: a line "
                  f"{section.heading} followed by lines of key = value, found {_shown(table)}",
                  path, where)
        table = {}
    for key, value in table.items():
        spec = by_key.get(key)
        if spec is None:
            _unknown(ctx, section, key, path + (key,), where)
            continue
        if isinstance(value, str) and not value.strip() and spec.default is None and \
                spec.default_doc:
            continue    # short_name = "": no short name of its own, so the name (the default)
        if spec.required and (isinstance(value, str) and not value.strip() or value == []):
            ctx.error("config.missing_key", f"'{where}.{key}' is empty; give it a value, e.g. "
                      f"{key} = {spec.example or chr(34) + '...' + chr(34)}", path + (key,),
                      f"{where}.{key}")
            continue
        ok, value = _check_value(ctx, spec, value, path + (key,), f"{where}.{key}")
        if ok:
            values[spec.name] = value
    for spec in specs:
        if check_required and spec.required and spec.key not in table:
            example = spec.example or '"..."'
            ctx.error("config.missing_key", f"{label or section.heading} needs '{spec.key}'; "
                      f"add `{spec.key} = {example}` to it in apr.toml (see "
                      "docs/configuration.md)",
                      path, f"{where}.{spec.key}")
    return section.cls(**values)


def _unknown(ctx: _Context, section: Section | None, key: str, path: tuple,
             where: str | None = None) -> None:
    """Record a key that ``section`` (None: the top of the file) has no setting for."""
    shown = _short(key, 60)
    if section is None:
        homes = sections_with_key(key)
        if homes:
            ctx.error("config.wrong_table", f"'{shown}' belongs in {' or '.join(homes)}, not at "
                      f"the top of apr.toml; move the line under the {homes[0]} heading",
                      path, key)
            return
        close = difflib.get_close_matches(key, list(SECTION_BY_NAME), n=1, cutoff=0.6)
        if close:
            ctx.error("config.unknown_key", f"unknown table [{shown}] (did you mean "
                      f"{SECTION_BY_NAME[close[0]].heading}?); apr does not use it, so correct "
                      "the heading or remove the table", path, key)
            return
        _unknown_setting(ctx, key, key, None, path)
        return
    where = where or section.name
    homes = [h for h in sections_with_key(key) if h != section.heading]
    if homes:
        ctx.error("config.wrong_table", f"'{shown}' belongs in {' or '.join(homes)}, not "
                  f"{section.heading}; move the line under the {homes[0]} heading",
                  path, f"{where}.{key}")
        return
    _unknown_setting(ctx, key, f"{where}.{key}", section, path)


def _unknown_setting(ctx: _Context, key: str, dotted: str, section: Section | None,
                     path: tuple) -> None:
    hint = ""
    own = [s.key for s in settings_of(section)] if section else []
    close = difflib.get_close_matches(key, own, n=1, cutoff=0.6)
    if close:
        prefix = dotted.rsplit(".", 1)[0]
        hint = f" (did you mean '{prefix}.{close[0]}'?)" if len(prefix) <= 30 else \
            f" (did you mean '{close[0]}'?)"
    else:
        everywhere = {s.key: s.dotted for s in all_settings() if not s.dotted.startswith(
            ("localities.", "local_indicators.", "finance.service_lines."))}
        close = difflib.get_close_matches(key, list(everywhere), n=1, cutoff=0.75)
        if close:
            hint = f" (did you mean '{everywhere[close[0]]}'?)"
    ctx.error("config.unknown_key", f"unknown setting '{_short(dotted, 60)}'{hint}; correct its "
              "spelling or remove it (docs/configuration.md lists every setting)", path,
              _short(dotted, 80))


_TYPE_WORDS = {str: "text in quotes", int: "a whole number", float: "a number",
               bool: "true or false (no quotes)", dt.date: "a date written 2024-06-26",
               dict: "a table", list[str]: "a list of text in [ ]",
               list[int]: "a list of whole numbers in [ ]",
               list[float]: "a list of numbers in [ ]",
               str | list[str]: "text in quotes, or a list of text in [ ]"}
_EXAMPLES = {str: '"..."', int: "10", float: "5", bool: "true", dt.date: "2024-06-26",
             dict: "{ ... }", list[str]: '["...", "..."]', list[int]: "[1, 2]"}


def _short(text: str, limit: int) -> str:
    text = "".join(c if unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in str(text))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _shown(value) -> str:
    """Return ``value`` as a message shows it: short, and with control characters visible."""
    if isinstance(value, dict):
        return "a table { ... }" if value else "an empty table {}"
    if isinstance(value, list):
        return f"a list {_short(repr(value), 40)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return repr(_short(value, 40))
    return _short(repr(value), 40)


def _check_value(ctx: _Context, spec: Setting, value, path: tuple,
                 where: str) -> tuple[bool, object]:
    """Return (True, the value to use) or (False, None) after recording what is wrong."""
    base = spec.base
    example = f"{spec.key} = {spec.example or _EXAMPLES.get(base, '...')}"
    if base is dt.date:
        return _check_date(ctx, spec, value, path, where, example)
    if base is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not _is(value, base):
        ctx.error("config.wrong_type", f"'{where}' must be {_TYPE_WORDS[base]}, found "
                  f"{_shown(value)}; write it as e.g. {example}", path, where)
        return False, None
    if isinstance(value, float) and not math.isfinite(value):
        ctx.error("config.out_of_range", f"'{where}' must be a number, found {value}; write it "
                  f"as e.g. {example}", path, where)
        return False, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and \
            spec.low is not None and not spec.low <= value <= spec.high:
        ctx.error("config.out_of_range", f"'{where}' must be from {setting_number(spec.low)} "
                  f"to {setting_number(spec.high)}, found {setting_number(value)}; write it as "
                  f"e.g. {example}", path, where)
        return False, None
    texts = [value] if isinstance(value, str) else \
        [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    for text in texts:
        if not _check_text(ctx, spec.one_line, text, path, where):
            return False, None
    if spec.choices and value not in spec.choices and value != spec.default:
        close = [c for c in spec.choices if c.lower() == value.strip().lower()] or \
            difflib.get_close_matches(value, spec.choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        ctx.error("config.bad_choice", f"'{where}' must be one of "
                  f"{', '.join(repr(c) for c in spec.choices)}, found {_shown(value)}{hint}",
                  path, where)
        return False, None
    if isinstance(value, list) and typing.get_args(base) == (int,) and \
            spec.key == "outcomes" and any(not 1 <= v <= 9 for v in value):
        bad = next(v for v in value if not 1 <= v <= 9)
        ctx.error("config.bad_outcome", f"'{where}' lists outcome {bad}; national outcomes are "
                  "numbered 1 to 9", path, where)
        return False, None
    return True, value


def _is(value, base) -> bool:
    if base is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if base is float:       # a whole number is a number too (inside lists: [0, 500])
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if base in (str, bool, dict):
        return isinstance(value, base)
    if typing.get_origin(base) is list:
        inner = typing.get_args(base)[0]
        return isinstance(value, list) and all(_is(v, inner) for v in value)
    if isinstance(base, type(str | None)):     # text or a list of text (council)
        return any(_is(value, option) for option in typing.get_args(base))
    return False


def _check_text(ctx: _Context, one_line: bool, text: str, path: tuple, where: str) -> bool:
    """Report control characters in ``text``, and text longer than apr allows."""
    allowed = "" if one_line else "\n\t"
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs") and c not in allowed]
    if bad:
        what = "a line break" if bad[0] in "\r\n" else \
            f"the control character {repr(bad[0])[1:-1]}"
        if "\\" in _line_text(ctx, path):
            fix = "a backslash in \"quotes\" makes one: write paths with /, or in 'single quotes'"
        else:
            fix = "retype it as plain text" + (" on one line" if one_line else "")
        ctx.error("config.control_character", f"'{where}' contains {what}; {fix}", path, where)
        return False
    limit = NAME_LENGTH if one_line else TEXT_LENGTH
    if len(text) > limit:
        ctx.error("config.too_long", f"'{where}' is {len(text):,} characters long; it must be at "
                  f"most {limit:,} (" + ("a name or title, one line" if one_line else
                                         "put longer text in content/*.md") + ")", path, where)
        return False
    return True


def _line_text(ctx: _Context, path: tuple) -> str:
    line = ctx.locator.line(path)
    lines = ctx.locator.text_lines
    return lines[line - 1] if line and line <= len(lines) else ""


_DATE_LIKE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def _check_date(ctx: _Context, spec: Setting, value, path: tuple, where: str,
                example: str) -> tuple[bool, object]:
    if isinstance(value, dt.datetime):
        ctx.error("config.bad_date", f"'{where}' must be a date without a time of day, found "
                  f"{value.isoformat()}; write {spec.key} = {value.date().isoformat()}",
                  path, where)
        return False, None
    if isinstance(value, str):
        # a quoted ISO date is what was meant; anything else is ambiguous (26/06 or 06/26?)
        try:
            value = dt.date.fromisoformat(value.strip()) \
                if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value) else value
        except ValueError:
            pass
    if isinstance(value, str):
        m = _DATE_LIKE.fullmatch(value)
        hint = f"{spec.key} = {m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m \
            else example
        ctx.error("config.bad_date", f"'{where}' must be a date written year-month-day without "
                  f"quotes, found {_shown(value)}; write it as e.g. {hint}", path, where)
        return False, None
    if isinstance(value, dt.time) or not isinstance(value, dt.date):
        ctx.error("config.bad_date" if isinstance(value, dt.time) else "config.wrong_type",
                  f"'{where}' must be a date written 2024-06-26, found {_shown(value)}; write "
                  f"it as e.g. {example}", path, where)
        return False, None
    if spec.low is not None and not spec.low <= value <= spec.high:
        ctx.error("config.bad_date", f"'{where}' must be a date from {spec.low.year} to "
                  f"{spec.high.year}, found {value.isoformat()}; check the year", path, where)
        return False, None
    return True, value


# --- tables of tables --------------------------------------------------------------------------

def _array(ctx: _Context, name: str, items) -> list[tuple[int, dict]]:
    """Return (index, table) for each table of the array ``[[name]]``."""
    section = SECTION_BY_NAME[name]
    if isinstance(items, dict):
        ctx.error("config.wrong_type", f"write [[{name}]] with double brackets, once before each "
                  f"entry's settings; apr.toml has [{name}]", (name,), name)
        return []
    if not isinstance(items, list):
        ctx.error("config.wrong_type", f"'{name}' must be a list of tables, each starting with a "
                  f"line {section.heading}, found {_shown(items)}", (name,), name)
        return []
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            ctx.error("config.wrong_type", f"entry {i + 1} of '{name}' must be a table of "
                      f"settings after a line {section.heading}, found {_shown(item)}",
                      (name,), name)
            continue
        result.append((i, item))
    return result


def _localities(ctx: _Context, items) -> list[LocalityConfig]:
    result: list[LocalityConfig] = []
    seen: dict[str, int] = {}
    section = SECTION_BY_NAME["localities"]
    entries = _array(ctx, "localities", items)
    for i, item in entries:
        path = ("localities", i)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            ctx.error("config.locality_name", f"locality {i + 1} in [[localities]] needs a "
                      "name, e.g. name = \"North\"", path, "localities.name")
            _read_table(ctx, section, {k: v for k, v in item.items() if k != "name"}, path,
                        "localities", check_required=False)
            continue
        loc = _read_table(ctx, section, item, path, "localities",
                          label=f"locality {i + 1} in [[localities]]")
        if not loc.name:
            continue
        key = " ".join(loc.name.split()).casefold()
        if key in seen:
            first = seen[key]
            lines = [ctx.locator.line(("localities", j, "name")) for j in (first, i)]
            ctx.error("config.duplicate_locality", f"locality {loc.name.strip()!r} is given "
                      f"twice in [[localities]] (entries {first + 1} and {i + 1}, lines "
                      f"{lines[0]} and {lines[1]}); give each locality once, under its own name",
                      ("localities", i, "name"), "localities.name")
            continue
        seen[key] = i
        result.append(LocalityConfig(loc.name.strip(), loc.summary))
    if len(entries) < 2:     # (a wrong or repeated name is reported as such)
        ctx.error("config.too_few_localities",
                  f"the Act requires at least two localities; apr.toml lists {len(entries)}. "
                  "Add a [[localities]] table with a name for each locality in your "
                  "strategic plan", ("localities",), "localities")
    return result


def _local_indicators(ctx: _Context, items) -> list:
    """Return the [[local_indicators]]: each table checked against the schema here, then made
    into an indicator (with the checks that need the catalogue) by catalogue.local."""
    from .catalogue.local import read_local_indicators
    from .findings import Finding, Location
    section = SECTION_BY_NAME["local_indicators"]
    checked, places = [], []
    for i, item in _array(ctx, "local_indicators", items):
        before = len(ctx.findings)
        settings = _read_table(ctx, section, item, ("local_indicators", i), "local_indicators",
                               label=f"local indicator {i + 1} in [[local_indicators]]")
        if len(ctx.findings) > before:
            continue
        checked.append({s.key: getattr(settings, s.name) for s in settings_of(section)
                        if getattr(settings, s.name) is not None})
        places.append(i)
    start = len(ctx.findings)
    result = read_local_indicators(checked, ctx.file, ctx.findings)
    for k in range(start, len(ctx.findings)):     # "local indicator n": give it its line
        found = ctx.findings[k]
        m = re.match(r"local indicator (\d+) ", found.message)
        if m and found.location.row is None and int(m.group(1)) <= len(places):
            i = places[int(m.group(1)) - 1]
            ctx.findings[k] = Finding(found.code, found.severity,
                                      found.message.replace(f"local indicator {m.group(1)} ",
                                                            f"local indicator {i + 1} ", 1),
                                      Location(found.location.file,
                                               ctx.locator.line(("local_indicators", i)),
                                               found.location.column))
    return result


LINE_KEYS = ("category", "split", "outcomes", "care_groups")


def _service_lines(ctx: _Context, table, care_groups: list[str],
                   body: str = "") -> list[ServiceLine]:
    """Return the mappings of [finance.service_lines]; a table of mappings under a partner
    body's name ([finance.service_lines."NHS Borders"]) maps that body's lines."""
    lines: list[ServiceLine] = []
    if not isinstance(table, dict):
        return lines     # reported as a wrong type of finance.service_lines
    for name, spec in table.items():
        if not body and _is_body_table(spec):
            lines += _service_lines(ctx, spec, care_groups, name)
            continue
        line = _service_line(ctx, name, spec, care_groups, body)
        if line is not None:
            lines.append(line)
    return lines


def _is_body_table(spec) -> bool:
    """True for a partner body's table of mappings: none of a line's keys, only mappings."""
    return (isinstance(spec, dict) and bool(spec) and not any(k in spec for k in LINE_KEYS)
            and all(isinstance(v, (str, dict)) for v in spec.values()))


def _service_line(ctx: _Context, name: str, spec, care_groups: list[str],
                  body: str) -> ServiceLine | None:
    section = SECTION_BY_NAME["finance.service_lines"]
    path = ("finance", "service_lines") + ((body,) if body else ()) + (name,)
    where = "finance.service_lines." + (f'"{_short(body, 60)}".' if body else "") + \
        f'"{_short(name, 60)}"'
    if not _check_text(ctx, True, name, path, where):
        return None
    if isinstance(spec, str):
        spec = {"category": spec}
    if not isinstance(spec, dict):
        ctx.error("config.bad_category", f"service line {_short(name, 60)!r} must map to a "
                  "reg 4(2) category a to e, e.g. \"Care homes\" = { category = \"c\", "
                  f"outcomes = [2, 4] }}, found {_shown(spec)}; see docs/finance.md",
                  path, where)
        return None
    split = _split(ctx, name, spec.get("split"), path, where)
    if split is None:
        return None
    if split and "category" not in spec:
        spec = {**spec, "category": split[0][0]}
    category = spec.get("category")
    if isinstance(category, str):     # "(b)" and "B" are what people copy from the SSI
        spec = {**spec, "category": category.lower().strip("() ")}
    if "category" in spec and spec["category"] not in CATEGORY_LETTERS:
        ctx.error("config.bad_category", f"service line {_short(name, 60)!r} must map to a "
                  f"reg 4(2) category a to e, found {_shown(category)}; see docs/finance.md",
                  path, where)
        return None
    before = len(ctx.findings)
    line = _read_table(ctx, section, {k: v for k, v in spec.items() if k != "split"}, path,
                       where, label=f"service line {_short(name, 60)!r}")
    if len(ctx.findings) > before:
        return None
    unknown = [g for g in line.care_groups if g not in care_groups]
    if unknown:
        ctx.error("config.unknown_care_group", f"service line {_short(name, 60)!r} names care "
                  f"group {_short(unknown[0], 60)!r}, which is not in finance.key_care_groups",
                  path, where)
    return ServiceLine(name, line.category, tuple(line.outcomes), tuple(line.care_groups),
                       body, split)


def _split(ctx: _Context, name: str, split, path: tuple,
           where: str) -> tuple[tuple[str, float], ...] | None:
    """Return a split line's (category, percent) pairs, () for none, None when wrong."""
    if split is None:
        return ()
    example = "split = { c = 60, e = 40 } (percentages of the line that add up to 100)"
    problem = ""
    if not isinstance(split, dict) or len(split) < 2:
        problem = f"found {_shown(split)}"
    else:
        letters = {str(k).lower().strip("() "): v for k, v in split.items()}
        bad = [k for k, v in letters.items() if k not in CATEGORY_LETTERS
               or not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v <= 100]
        if bad:
            problem = f"found {_short(bad[0], 20)!r} = {_shown(letters[bad[0]])}"
        elif abs(sum(letters.values()) - 100) > 0.001:
            problem = f"the percentages add up to {sum(letters.values()):g}, not 100"
    if problem:
        ctx.error("config.bad_split", f"service line {_short(name, 60)!r}: a split names two "
                  f"or more categories a to e with the percentage of the line in each, "
                  f"{example}; {problem}", path, where + ".split")
        return None
    return tuple((k, float(v)) for k, v in letters.items())


def _supplied_totals(ctx: _Context, table: dict) -> dict[int, dict[str, float]]:
    """Return {year start: {"budget": ..., "outturn": ...}} from [finance] supplied_totals."""
    result: dict[int, dict[str, float]] = {}
    example = "e.g. \"2023/24\" = { budget = 309800, outturn = 310350 }"
    for key, spec in table.items():
        path = ("finance", "supplied_totals", key)
        year = ReportingYear.parse(key)
        problem = ""
        if year is None:
            problem = f"{_short(key, 40)!r} is not a reporting year such as \"2023/24\""
        elif not isinstance(spec, dict) or not spec:
            problem = f"{key} must be a table of budget and outturn, found {_shown(spec)}"
        else:
            unknown = [k for k in spec if k not in ("budget", "outturn")]
            bad = [k for k, v in spec.items() if k not in unknown and (
                not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v)
                or abs(v) > MAX_AMOUNT)]
            if unknown:
                close = difflib.get_close_matches(unknown[0], ["budget", "outturn"], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problem = f"{key} has {_short(unknown[0], 40)!r}{hint}; a year takes budget " \
                    "and outturn"
            elif bad:
                problem = f"{key} {bad[0]} must be an amount up to {MAX_AMOUNT:,.0f} in the " \
                    f"amounts unit, found {_shown(spec[bad[0]])}"
        if problem:
            ctx.error("config.bad_supplied_totals", f"finance.supplied_totals: {problem}; "
                      f"{example}", path, "finance.supplied_totals")
            continue
        result[year.start] = {k: float(v) for k, v in spec.items()}
    return result


def _indicator_outcomes(ctx: _Context, table: dict) -> dict[str, tuple[int, ...]]:
    from .catalogue import normalise_indicator_code
    result = {}
    for key, value in table.items():
        code = normalise_indicator_code(key)
        good = isinstance(value, list) and bool(value) and all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 9 for v in value)
        if code is None or not good:
            ctx.error("config.bad_indicator_outcomes",
                      "indicators.outcomes: expected e.g. \"NI-12\" = [1, 9] (outcomes 1 to 9), "
                      f"found {_short(key, 40)} = {_shown(value)}",
                      ("indicators", "outcomes", key), "indicators.outcomes")
            continue
        result[code] = tuple(value)
    return result


MSG_AIMS = ("reduce", "increase", "maintain")


def _msg_objectives(ctx: _Context, table: dict) -> dict[str, tuple[str, float | None]]:
    """Return {MSG code: (aim, target or None)} from [msg] objectives."""
    from .catalogue.msg import msg_code
    result = {}
    for key, spec in table.items():
        code, problem = msg_code(key), ""
        aim, target = (spec, None) if isinstance(spec, str) else (
            (spec.get("aim"), spec.get("target")) if isinstance(spec, dict) else (None, None))
        extra = [k for k in spec if k not in ("aim", "target")] if isinstance(spec, dict) else []
        if code is None:
            problem = (f"{_short(key, 40)!r} is not an MSG indicator (1a, 2a, 2b, 2c, 3a, 3b, 4, "
                       "5, 6a or 6b)")
        elif extra:
            problem = f"{key} takes aim and target, found {_short(extra[0], 40)!r}"
        elif aim not in MSG_AIMS:
            problem = (f'the aim for {key} must be "reduce", "increase" or "maintain", found '
                       f'{_shown(aim)}; e.g. "{key}" = "reduce"')
        elif target is not None and not _msg_target(target):
            problem = (f"the target for {key} must be a number of zero or more, found "
                       f'{_shown(target)}; e.g. "{key}" = {{ aim = "{aim}", target = 90 }}')
        if problem:
            ctx.error("config.bad_msg_objective", f"msg.objectives: {problem}",
                      ("msg", "objectives", key), "msg.objectives")
            continue
        result[code] = (aim, float(target) if target is not None else None)
    return result


def _msg_target(target) -> bool:
    return isinstance(target, (int, float)) and not isinstance(target, bool) and \
        math.isfinite(target) and target >= 0


def _check_peer_group(ctx: _Context, names: list[str]) -> None:
    """Report each peer-group name that is not one of the 31 partnerships."""
    from .catalogue import find_partnership, partnerships
    known = [p.name for p in partnerships()]
    for name in names:
        if find_partnership(name) is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            ctx.error("config.unknown_peer", f"'indicators.peer_group' names {_short(name, 60)!r}, "
                      f"which is not one of the 31 partnerships{hint}; use the "
                      "partnership's name or HSCP code", ("indicators", "peer_group"),
                      "indicators.peer_group")


def _check_benchmarking_peers(ctx: _Context, names: list[str]) -> None:
    """Record each name of [benchmarking] peers that is not a Scottish council area."""
    from .catalogue.benchmarking import find_council
    for name in names:
        if find_council(name) is None:
            ctx.error("config.unknown_council",
                      f"'benchmarking.peers' names {_short(name, 60)!r}, which is not one of "
                      "Scotland's 32 council areas; use the council area's name, e.g. "
                      "\"Angus\" or \"Perth and Kinross\" (apr/catalogue/family_groups.toml "
                      "lists them)", ("benchmarking", "peers"), "benchmarking.peers")


def _check_output(ctx: _Context, config: ReportConfig) -> None:
    output = config.settings.report.output
    where, path = "report.output", ("report", "output")
    if not output.strip():
        ctx.error("config.output_not_folder", "'report.output' must name a folder inside the "
                  "project, e.g. output = \"output\"", path, where)
        return
    if Path(output).is_absolute() or ".." in Path(output).parts:
        ctx.error("config.output_outside", f"'report.output' must be a folder inside the "
                  f"project, found {output!r}", path, where)
        return
    target = config.project_dir / output
    try:
        is_file = target.exists() and not target.is_dir()
    except OSError:
        is_file = False
    if is_file:
        ctx.error("config.output_not_folder", f"'report.output' names {_short(output, 60)!r}, "
                  "which is a file in the project, not a folder; give a folder name such as "
                  "\"output\" (apr creates it)", path, where)


def _check_reference_docx(ctx: _Context, config: ReportConfig) -> None:
    name = config.settings.report.reference_docx
    if not name:
        return
    target = config.project_dir / name
    try:
        if not target.is_file():
            return      # reported when a Word file is written (config.reference_missing)
        with zipfile.ZipFile(target) as docx:
            ok = "word/document.xml" in docx.namelist() and "word/styles.xml" in docx.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        ok = False
    if not ok:
        ctx.error("config.reference_not_docx", f"'report.reference_docx' names "
                  f"{_short(name, 60)!r}, which is not a Word document (.docx); save it from "
                  "Word as a .docx, or remove the setting to use apr's house style",
                  ("report", "reference_docx"), "report.reference_docx")


def _check_cover_pictures(ctx: _Context, config: ReportConfig) -> None:
    """The cover's logo and picture: files inside the project, pictures of a sensible size,
    and a picture says what it shows (docs/bad-input.md)."""
    from .document.markup import project_image_problem
    report = config.settings.report
    for key in ("logo", "cover_image"):
        name = getattr(report, key)
        problem = name and project_image_problem(name, config.project_dir, f"report.{key}")
        if problem:
            ctx.error("config.cover_picture", problem, ("report", key), f"report.{key}")
    if report.cover_image and not report.cover_image_alt.strip():
        ctx.error("config.cover_picture", "'report.cover_image' needs 'report.cover_image_alt': "
                  "say in a few words what the picture shows, for people who cannot see it",
                  ("report", "cover_image"), "report.cover_image_alt")


def _check_brand(ctx: _Context, config: ReportConfig) -> None:
    """The web pages' accent colour and links (apr/document/brand.py), and the project's own
    stylesheet (styles/*.css), each problem located."""
    from .document.brand import colour_problem, link_problem, project_stylesheet
    report = config.settings.report
    accent = report.accent_colour
    problem = accent and colour_problem(accent, "report.accent_colour")
    if problem:
        ctx.error("config.accent_colour", problem, ("report", "accent_colour"),
                  "report.accent_colour")
    for key in ("header_links", "footer_links"):
        for item in getattr(report, key):
            problem = link_problem(item, f"report.{key}")
            if problem:
                ctx.error("config.web_link", problem, ("report", key), f"report.{key}")
    config.stylesheet, problems = project_stylesheet(config.project_dir)
    for name, line, message in problems:
        ctx.findings.error("style.stylesheet", f"{name} {message}",
                           display_path(config.project_dir / "styles" / name), line)


def _check_code(ctx: _Context, p: PartnershipSettings) -> None:
    """A code must be an HSCP code, and the one the catalogue gives this partnership."""
    from .catalogue import find_partnership
    code = p.code.strip()
    if not code:
        return
    where, path = "partnership.code", ("partnership", "code")
    if not re.fullmatch(r"S37\d{6}", code):
        ctx.error("config.bad_code", f"'partnership.code' must be an HSCP code: S37 and six "
                  f"digits, e.g. \"S37000012\", found {code!r}; leave it out if you do not know "
                  "it", path, where)
        return
    by_code = find_partnership(code)
    if by_code is None or by_code.is_scotland:
        return      # a code the catalogue does not know (a new or an illustrative one)
    by_name = next((found for text in (p.name, p.short_name, p.authority)
                    if text and (found := find_partnership(text)) is not None), None)
    # A name the catalogue does not know ("Kingdom") is taken to be the code's partnership:
    # the code is what finds it in national files. Only a name and a code that the catalogue
    # gives to two different partnerships disagree.
    if by_name is None or by_name.code == by_code.code:
        return
    named = "Scotland" if by_name.is_scotland else by_name.name
    ctx.error("config.code_mismatch", f"'partnership.code' {code} is {by_code.name}'s code in "
              f"apr's catalogue, but 'partnership.name' {_short(p.name, 60)!r} is {named} "
              f"({by_name.code}); correct the code or the name", path, where)


# --- TOML syntax errors in plain words --------------------------------------------------------

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"


def explain_syntax_error(text: str, exc: Exception) -> tuple[int | None, str]:
    """Return (line, message) for a TOML error: what is wrong, in plain words, and the fix."""
    try:
        return _explain(text, exc)
    except Exception:   # noqa: BLE001 - the explanation must never hide the error itself
        m = re.search(r"line (\d+)", str(exc))
        return (int(m.group(1)) if m else None,
                f"apr.toml is not valid TOML ({_short(str(exc), 120)}); check the quotes, "
                "brackets and = on that line")


def _explain(text: str, exc: Exception) -> tuple[int | None, str]:
    message = str(exc)
    lines = text.splitlines()
    m = re.search(r"line (\d+)", message)
    line = int(m.group(1)) if m else None
    if isinstance(exc, RecursionError):
        return None, "apr.toml has lists or tables nested too deep to read; simplify them"
    locator = Locator(text)
    if "Cannot declare" in message:
        header = line and lines[line - 1].strip()
        name = _HEADER.match(header or "")
        if name:
            seen = locator.all_lines(_parts(name.group(2)))
            where = f" (lines {seen[0]} and {line})" if len(seen) > 1 else ""
            return line, (f"the heading {header.split('#')[0].strip()} appears twice{where}; put "
                          "all of its settings under one heading")
    if "Cannot overwrite a value" in message or "Duplicate inline table key" in message:
        for path, seen in locator.lines.items():
            if len(seen) > 1 and not _is_header(lines, seen[0]):
                key = ".".join(str(p) for p in path if not isinstance(p, int))
                return seen[1], (f"'{_short(key, 60)}' is set twice (lines {seen[0]} and "
                                 f"{seen[1]}); keep one setting per key")
        if "Duplicate inline table key" in message:
            return line, "a key appears twice inside the same { ... }; keep one"
    if line is None:
        line = _guess_line(lines, message)
    opened = _open_list(text, line) if "Unclosed array" in message or "Invalid value" in message \
        or "Expected newline" in message else None
    if opened is not None:
        return opened, ("a list opened with [ is not closed with ]: end it with ] after its "
                        f"last item, before line {line}; the list starts: "
                        f"{_short(lines[opened - 1].strip(), 60)}")
    source = lines[line - 1] if line and line <= len(lines) else ""
    plain = _plain(message, source)
    room = 190 - len(plain) - len("; the line reads: ")
    shown = _short(source.strip(), room) if room >= 20 else ""
    return line, plain + (f"; the line reads: {shown}" if shown else "")


def _is_header(lines: list[str], number: int) -> bool:
    return lines[number - 1].lstrip().startswith("[")


def _guess_line(lines: list[str], message: str) -> int | None:
    """The line of an error tomllib places "at end of document": the last that opens and does
    not close a string, list or table."""
    for number in range(len(lines), 0, -1):
        code = lines[number - 1].split("#")[0] if '"' not in lines[number - 1] \
            else lines[number - 1]
        if "string" in message and code.count('"') % 2 == 1:
            return number
        if "array" in message and code.count("[") > code.count("]") and "=" in code:
            return number
        if "inline table" in message and code.count("{") > code.count("}"):
            return number
        if "table declaration" in message and code.lstrip().startswith("[") and \
                "]" not in code:
            return number
    return None


def _plain(message: str, source: str) -> str:
    key, sep, value = source.partition("=")
    key, value = key.strip(), value.split(" #")[0].strip()
    name = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else "name"
    if "Illegal character" in message and ("'\\n'" in message or "'\\r'" in message):
        return (f"text must end with a closing quote on the same line: {name} = \"...\" (for "
                "text over several lines, use three quotes \"\"\" before and after)")
    if "Unterminated string" in message:
        return f"text must start and end with a quote on the same line: {name} = \"...\""
    if "Illegal character" in message or "Found invalid character" in message:
        return ("the line contains an invisible control character (copied from another "
                "program?); delete the line and type it again")
    if "Unescaped '\\'" in message or "Invalid hex value" in message or "Unicode scalar" in message:
        return ("a backslash \\ in \"quotes\" starts an escape: write a folder path with / "
                "(styles/house.docx), or put the text in 'single quotes'")
    if "Unclosed array" in message:
        return ("a list opened with [ is not closed with ]: e.g. "
                "priorities = [\"First\", \"Second\"]")
    if "Unclosed inline table" in message or "Invalid initial character" in message and \
            source.rstrip().endswith(","):
        return ("a { ... } table must close with } on the same line: "
                "\"Care homes\" = { category = \"c\", outcomes = [2, 4] }")
    if "table declaration" in message or "array declaration" in message:
        return "a heading needs its closing bracket: [report], or [[localities]]"
    if "Invalid date" in message or _looks_like_date(value) and sep:
        return _plain_date(name, value)
    if "Expected '=' after a key" in message or "Invalid statement" in message or \
            "Invalid initial character" in message:
        if not sep:
            return ("each line must be a setting (name = value), a [heading] or a comment "
                    "starting with #; text belongs in quotes after =: e.g. summary = \"...\"")
        if " " in key and not key.startswith(('"', "'")):
            return (f"setting names have no spaces: write {'_'.join(key.split())} = ..., with "
                    "underscores (a name with spaces, such as a service line, goes in quotes)")
        return ("a setting's name is letters, digits and _ before the =; put other names in "
                "quotes: \"Care homes\" = ...")
    if "Expected newline" in message and sep and \
            re.search(r"\S\s+[A-Za-z_][\w-]*\s*=", value):
        return "one setting per line: put each key = value on a line of its own"
    kinds = {str(s.base) for s in all_settings() if s.key == key}
    if sep and value and value[0] not in "\"'[{" and kinds == {str(str)}:
        return _quotes(name, value)
    if sep and re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", value):
        return (f"write numbers without commas: {name} = {value.replace(',', '')} (or with "
                f"underscores, {value.replace(',', '_')})")
    if sep and re.fullmatch(r"[£$]?\s*-?[\d.,_]+\s*(%|k|m|bn)?", value, re.I):
        return (f"write numbers without £, % or letters: {name} = "
                f"{re.sub(r'[^0-9.-]', '', value) or '0'}")
    if sep and value.lower() in ("yes", "no", "true", "false", "y", "n"):
        word = "true" if value.lower() in ("yes", "true", "y") else "false"
        return f"write true or false in small letters, without quotes: {name} = {word}"
    if sep and value and kinds == {str(bool)}:
        return f"write true or false in small letters, without quotes: {name} = true"
    if sep and value and kinds == {str(dt.date)}:
        return f"write dates as year-month-day without quotes: {name} = 2024-06-26"
    if sep and value and kinds and kinds <= {str(int), str(float)}:
        return f"write a number, without quotes, commas or letters: {name} = 10"
    if sep and value and value[0] not in "\"'[{0123456789+-":
        return _quotes(name, value)
    if sep and not value:
        return f"a setting needs a value after =: e.g. {name} = \"...\""
    detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    return (f"apr.toml is not valid TOML here ({detail}); check the quotes, brackets and = on "
            "this line")


def _quotes(name: str, value: str) -> str:
    if value.startswith("="):
        return f"a setting has one = between its name and its value: {name} = ..."
    bare = value.strip(" \"',")
    return f"text must be in quotes, one \" at each end: {name} = \"{_short(bare, 60)}\""


def _plain_date(name: str, value: str) -> str:
    iso = _iso(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d.*", value):
        return f"{name} takes a date without a time of day: {name} = {iso}"
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return f"{_short(value, 30)} is not a real date; write dates as year-month-day: " \
            f"{name} = 2024-06-26"
    return f"write dates as year-month-day without quotes: {name} = {iso}"


def _open_list(text: str, line: int | None) -> int | None:
    """Return the line of a list still open before ``line`` (strings and comments skipped)."""
    if line is None:
        return None
    stack: list[int] = []
    for number, source in enumerate(text.splitlines()[:line - 1], start=1):
        code = re.sub(r'"(\\.|[^"\\])*"|\'[^\']*\'', '""', source).split("#")[0]
        if not stack and code.lstrip().startswith("["):
            continue          # a [heading]
        for char in code:
            if char == "[":
                stack.append(number)
            elif char == "]" and stack:
                stack.pop()
    return stack[0] if stack else None


def _looks_like_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}([ T].*)?", value) or
                re.fullmatch(rf"\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})[a-z]*\s+\d{{4}}", value,
                             re.I))


def _iso(value: str) -> str:
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if m:   # the UK order: day/month/year
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})([ T].*)?", value)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})[a-z]*\s+(\d{{4}})", value,
                     re.I)
    if m:
        month = _MONTHS.split("|").index(m.group(2).lower()[:3]) + 1
        return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    return "2024-06-26"
