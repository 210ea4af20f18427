"""The apr.toml schema: every setting once, with its type, its one default and its help text.

Each ``[section]`` of apr.toml is a dataclass below; each of its settings is a field made with
``setting()``, whose annotation is the type apr.toml must give and whose metadata holds the help
text shown in docs/configuration.md. ``apr.config.load_config`` reads apr.toml against these
classes (unknown keys, keys in the wrong table and wrong types are findings), and
``configuration_markdown()`` writes docs/configuration.md from them:

    python -m apr.settings_schema > docs/configuration.md

(tests/test_config_schema.py fails when the committed page is not what this module writes).

A default of ``None`` with a ``default_doc`` is worked out from other settings by the loader
(``short_name`` defaults to ``name``, ``variance_threshold`` to 250 in £000 or 0.25 in £m ...);
such a text setting given as "" takes that default too.
"""
from __future__ import annotations

import datetime as dt
import sys
import typing
from dataclasses import MISSING, dataclass, field, fields
from functools import cache

from .formatting import setting_number

# Names and other one-line settings that end up in headings, file names and chart labels.
NAME_LENGTH = 150
# Any other text: a paragraph of the board paper is a few hundred characters; narrative belongs
# in content/*.md, so text longer than this is almost certainly a paste error.
TEXT_LENGTH = 5000


def setting(default=None, help: str = "", *, required: bool = False, choices: tuple = (),
            key: str | None = None, attr: str | None = "", default_doc: str | None = None,
            low: float | dt.date | None = None, high: float | dt.date | None = None,
            one_line: bool = False, example: str = "") -> typing.Any:
    """Return a dataclass field that is an apr.toml setting.

    ``key`` is the name in apr.toml when the attribute is named differently; ``attr`` the name
    of the flat ``ReportConfig`` attribute ("" for the same name as the field, None for none);
    ``low``/``high`` bound a number or date; ``one_line`` marks names (no line breaks, at most
    NAME_LENGTH characters); ``example`` is the value shown in messages.

    Typed ``Any`` (like ``dataclasses.field`` itself) so that ``name: str = setting(...)`` checks:
    the field's annotation, not this function, is the setting's type."""
    meta = {"help": help, "required": required, "choices": tuple(choices), "key": key,
            "attr": attr, "default_doc": default_doc, "low": low, "high": high,
            "one_line": one_line, "example": example}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


def derived(default=None) -> typing.Any:
    """A field filled by the loader from other settings, not read from apr.toml."""
    if isinstance(default, list):
        return field(default_factory=list)
    return field(default=default)


FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)


@dataclass
class PartnershipSettings:
    name: str = setting("", "full name, used on the cover: \"Strathlinn Health and Social Care "
                        "Partnership\"", required=True, one_line=True,
                        example='"Strathlinn Health and Social Care Partnership"')
    short_name: str | None = setting(None, "used in sentences, chart labels and file names: "
                                     "\"Strathlinn\"", default_doc="name", one_line=True,
                                     example='"Strathlinn"')
    authority: str | None = setting(None, "the integration authority: \"Strathlinn Integration "
                                    "Joint Board\"", default_doc="name", one_line=True,
                                    example='"Strathlinn Integration Joint Board"')
    code: str = setting("", "HSCP code, e.g. \"S37000012\"; used to find the partnership in "
                        "national files. It must be the code the catalogue gives to this "
                        "partnership (apr checks the name and the code agree)", one_line=True,
                        example='"S37000012"')
    model: str = setting("ijb", "\"ijb\", or \"lead_agency\" (the report then covers the joint "
                         "monitoring committee, and goes to different recipients under "
                         "s.42(5))", choices=("ijb", "lead_agency"))
    council: str | list[str] = setting(
        "", "the constituent local authority; where the partnership has more than one, a list: "
        "`council = [\"Clackmannanshire Council\", \"Stirling Council\"]`. Each receives "
        "the report (s.42(5)) and is named in the board paper's directions table",
        required=True, one_line=True, example='"Strathlinn Council"')
    # every constituent council, one per item (filled from council by the loader)
    councils: list[str] = derived([])
    health_board: str = setting("", "the constituent health board", required=True,
                                one_line=True, example='"NHS Linnshire"')
    population: int | None = setting(None, "people living in the area", low=1, high=10_000_000,
                                     example="151300")
    chief_officer: str = setting("", "the chief officer; signs the foreword, and is named in the "
                                 "board paper", one_line=True)
    chair: str = setting("", "the chair of the board; signs the foreword", one_line=True)
    website: str = setting("", "the partnership's website, printed on the cover and back page",
                           one_line=True)
    lead: str = setting("", "lead agency model only: which body is the lead agency, "
                        "\"health_board\" or \"council\". The report is then sent to the joint "
                        "monitoring committee and the other authority, named; without it the "
                        "report names both and says \"whichever is not the lead agency\"",
                        choices=("health_board", "council"))


@dataclass
class ReportSettings:
    status: str = setting("draft", "\"draft\" marks every page DRAFT (the cover and the page "
                          "header; the board paper, which has no cover, in its page header); "
                          "\"final\" for publication", choices=("draft", "final"))
    output: str = setting("output", "folder inside the project where reports are written",
                          one_line=True, example='"output"')
    amounts: str = setting("£000", "unit of the money in the data files and of every amount in "
                           "this file (`variance_threshold`, `supplied_totals`, "
                           "`rounding_tolerance`): \"£000\" or \"£m\"; see docs/finance.md, "
                           "\"Reporting in £m\"", choices=("£000", "£m"))
    first_year: int = setting(2016, "first reporting year of the partnership (2016 means "
                              "2016/17): the indicator tables never go back before it",
                              low=2000, high=2100, example="2016")
    board_meeting: str = setting("", "the meeting that approves the report", one_line=True)
    board_date: dt.date | None = setting(None, "its date; shown on the cover (and as the meeting "
                                         "date of the board paper) and used as the document "
                                         "date", low=FIRST_DATE, high=LAST_DATE,
                                         example="2024-06-26")
    publication_date: dt.date | None = setting(None, "planned publication date (the law's "
                                               "deadline is 31 July after the year)",
                                               low=FIRST_DATE, high=LAST_DATE,
                                               example="2024-07-31")
    author: str = setting("", "document author in the file properties",
                          default_doc="authority", one_line=True)
    data_vintage: str = setting("", "which release of the indicators the report uses; printed "
                                "under every indicator table")
    variance_threshold: float | None = setting(
        None, "a service line whose outturn differs from budget by more than this (in "
        "`amounts`) needs a reason", default_doc="250 (£000), 0.25 (£m)", low=0, high=1e9,
        example="250")
    similar_band: float = setting(5.0, "percent: a value within this of Scotland's counts as "
                                  "similar", low=0, high=100, example="5")
    reference_docx: str = setting("", "your own Word reference document (.docx) for styles, "
                                  "relative to the project; apr names any style it lacks",
                                  one_line=True, example='"styles/our-house-style.docx"')
    logo: str = setting("", "the partnership's logo (PNG or JPEG) for the top of the cover, "
                        "relative to the project; its alt text is the authority's name and "
                        "\"logo\"", one_line=True, example='"content/images/logo.png"')
    cover_image: str = setting("", "a picture for the cover (PNG or JPEG), relative to the "
                               "project; needs `cover_image_alt`", one_line=True,
                               example='"content/images/cover.jpg"')
    cover_image_alt: str = setting("", "what the cover picture shows, for people who cannot "
                                   "see it (its alt text)", one_line=True,
                                   example='"Carers at the Linnhaven day centre"')
    accent_colour: str = setting("", "web pages only: the partnership's colour, written "
                                 "#rrggbb, for the rules under the header and headings and the "
                                 "key figures; it must have WCAG AA contrast (4.5:1) on white, "
                                 "which apr checks", one_line=True, example='"#7a1f5c"')
    header_links: list[str] = setting([], "web pages only: links at the top of every page, "
                                      "each written \"[text](address)\"", example='["[Home]'
                                      '(https://www.example.org)"]')
    footer_links: list[str] = setting([], "web pages only: links in the footer of every page, "
                                      "each written \"[text](address)\"",
                                      example='["[Accessibility]'
                                              '(https://www.example.org/accessibility)"]')


@dataclass
class LocalitySettings:
    name: str = setting("", "the locality's name, exactly as in the data files", required=True,
                        one_line=True, example='"North"')
    summary: str = setting("", "one sentence describing it")


@dataclass
class StrategicPlanSettings:
    title: str = setting("", "the plan's title: \"Strathlinn Strategic Plan 2022 to 2025\"",
                         attr="plan_title", one_line=True)
    period: str = setting("", "the years it covers: \"2022 to 2025\"", attr="plan_period",
                          one_line=True)
    priorities: list[str] = setting([], "list of the plan's priorities, in the plan's order",
                                    example='["Prevention", "Carers"]')
    reviewed: bool = setting(False, "true if the plan was reviewed in the reporting year "
                             "(regulation 8)", attr="plan_reviewed")
    changed: bool = setting(False, "true if that review changed the plan", attr="plan_changed")


@dataclass
class ServiceLineSettings:
    category: str = setting("", "the regulation 4(2) spend category, a letter a to e",
                            required=True, choices=("a", "b", "c", "d", "e"), example='"b"')
    outcomes: list[int] = setting([], "the national outcomes (1 to 9) the line serves",
                                  example="[1, 9]")
    care_groups: list[str] = setting([], "the key care groups (from `[finance] "
                                     "key_care_groups`) the line serves")
    split: dict = setting({}, "for a line that spans categories (a council's external "
                          "purchasing of care home places and care at home), the percentage "
                          "of the line in each category, adding up to 100: `split = { c = 60, "
                          "e = 40 }`; `category` may then be left out. The split is stated "
                          "under the category table", attr=None)


@dataclass
class FinanceSettings:
    key_care_groups: list[str] = setting(
        [], "the key care groups identified for the area (regulation 4(2)(f)), e.g. "
        "`[\"Older people\", \"People with a learning disability\"]`. Each appears in a separate "
        "table of spend and proportion, made up of the service lines that name it under "
        "`care_groups`; care groups overlap categories (a) to (e) and are never added to the "
        "total. With none the report states that no key care groups have been identified. "
        "Naming a group a service line does not list is an error (`config.unknown_care_group`)")
    supplied_totals: dict = setting(
        {}, "totals from the annual accounts, by reporting year, in the amounts unit: "
        "`supplied_totals = { \"2023/24\" = { budget = 309800, outturn = 310350 } }`. Each is "
        "checked against the sum of the service lines; a difference above `rounding_tolerance` "
        "is a warning with both numbers (`finance.totals_mismatch`) and a To be completed marker "
        "in the draft", attr=None)
    rounding_tolerance: float | None = setting(
        None, "how far, in the amounts unit, a computed total may differ from a supplied total, "
        "and a reserve's closing balance from opening + movement, before apr reports it. The "
        "agreed tolerance is stated under the category table", default_doc="1 (£000), 0.1 (£m)",
        low=0, high=1e9, example="1")
    reserves_policy_percent: float | None = setting(
        None, "the general reserve the reserves policy aims for, as a percentage of the budget "
        "(e.g. 2); the report says whether the closing general reserve is within or below it",
        low=0, high=100, example="2")
    decimals: int = setting(
        1, "decimal places of every amount of £1m or more in the text (\"£65.9m\"), of the chart "
        "data and, when `amounts` is \"£m\", of the finance tables: one money style for the "
        "whole report; 0 gives whole millions (\"£66m\"), 2 two places. Amounts in £000 tables "
        "are always whole thousands; see docs/numbers.md", attr="money_decimals", low=0, high=2,
        example="1")
    service_lines: dict = setting({}, "the `[finance.service_lines]` table (below)", attr=None)


@dataclass
class BestValueSettings:
    audit_opinion: str = setting(
        "", "the external auditor's opinion on the latest audited annual accounts: "
        "\"unqualified\", \"qualified\", \"adverse\" or \"disclaimer\". Without it the draft "
        "shows a To be completed marker",
        choices=("unqualified", "qualified", "adverse", "disclaimer"))
    auditor: str = setting("", "the external auditor, e.g. \"Carrick Whyte LLP\"", one_line=True)
    audited_accounts: str = setting("", "the year of the accounts the opinion is on, e.g. "
                                    "\"2022/23\" (the audit of the reporting year's accounts is "
                                    "usually not finished when the report is approved)",
                                    one_line=True)


@dataclass
class DelegatedSettings:
    children: bool = setting(False, "true when children's services (children and families "
                             "social work, and any children's health services) are delegated to "
                             "the partnership: the report then has a section on them", attr=None)
    children_outcomes: list[str] = setting(
        [], "what those services report against, one item each, in your order; without it the "
        "eight wellbeing indicators of Getting it right for every child (apr/catalogue/"
        "delegated.toml). The narrative is content/children.md", attr=None,
        example='["Safe", "Healthy"]')
    justice: bool = setting(False, "true when justice social work is delegated to the "
                            "partnership: the report then has a section on it", attr=None)
    justice_outcomes: list[str] = setting(
        [], "what justice social work reports against; without it the four national aims of "
        "the National Strategy for Community Justice (apr/catalogue/delegated.toml). The "
        "narrative is content/justice.md", attr=None)


@dataclass
class BenchmarkingSettings:
    family_group: int | None = setting(
        None, "the Improvement Service family group (1 to 4, people services) whose councils "
        "are the peer group of the benchmarking table; by default the group of "
        "`[partnership] council`. The groups in apr/catalogue/family_groups.toml are marked "
        "to verify: check yours", low=1, high=4, attr=None, default_doc="council's group",
        example="2")
    peers: list[str] = setting(
        [], "instead of a family group, the council areas to compare with, e.g. "
        "`[\"Angus\", \"Moray\"]`: named in the table's notes; the figures for them come "
        "from data/benchmarking.csv (family_group column)", attr=None)


@dataclass
class IndicatorSettings:
    outcomes: dict = setting({}, "override the indicator-to-outcome links: `outcomes = { "
                             "\"NI-12\" = [2, 9] }` (main outcome first)", attr=None)
    peer_group: list[str] = setting(
        [], "partnerships to compare with when a national file (a PHS MI workbook or dashboard "
        "extract) is the indicators table: `peer_group = [\"Angus\", \"Moray\", \"Falkirk\"]`; "
        "names or S37 codes, any PHS spelling")
    suppress_below: int = setting(10, "locality counts from 1 to one less than this (and rates "
                                  "built on them) are suppressed as `c`; a count from 1 to 100 "
                                  "(PHS practice is 5 or 10)", example="10")


@dataclass
class MsgSettings:
    baseline: int = setting(2017, "the baseline year the Ministerial Strategic Group (MSG) "
                            "indicators are compared with: 2017 means 2017/18, the year the "
                            "MSG objectives were first set against", attr="msg_baseline",
                            low=2010, high=2100, example="2017")
    objectives: dict = setting({}, "the partnership's aim for each MSG indicator it set one for: "
                               "`objectives = { \"1a\" = \"reduce\", \"5\" = { aim = "
                               "\"increase\", target = 90 } }`; an aim is \"reduce\", "
                               "\"increase\" or \"maintain\", a target the figure to reach "
                               "in the reporting year (in the indicator's unit). Without one the "
                               "aim is the catalogue's direction (fewer admissions, more time "
                               "at home). See docs/msg.md", attr=None)


@dataclass
class LocalIndicatorSettings:
    code: str = setting("", "the indicator's code, e.g. `\"L-1\"`; must not look like a core "
                        "code (`NI-12`, `12`)", required=True, one_line=True, example='"L-1"')
    title: str = setting("", "full title, as in the tables", required=True, one_line=True)
    short_title: str | None = setting(None, "short title used in sentences and charts",
                                      default_doc="title", one_line=True)
    unit: str = setting("", "unit in words, e.g. `\"people\"` or `\"per 1,000 adults\"`",
                        required=True, one_line=True)
    unit_short: str | None = setting(None, "`\"%\"`, `\"£\"` or a short unit",
                                     default_doc="unit", one_line=True)
    higher_is_better: bool | None = setting(
        None, "`true` or `false`: decides improved/worsened and better/worse than Scotland; leave "
        "out for no judgement (rose/fell)", default_doc="none")
    period_basis: str = setting("financial", "`\"financial\"`, `\"calendar\"`, "
                                "`\"calendar_standin\"` or `\"survey\"`",
                                choices=("financial", "calendar", "calendar_standin", "survey"))
    outcomes: list[int] = setting([], "national outcomes it serves, main outcome first, e.g. "
                                  "`[2, 9]`", required=True, example="[2, 9]")
    decimals: int = setting(1, "decimal places shown", low=0, high=6, example="1")
    source: str = setting("Partnership's own data", "where the figures come from (printed in "
                          "the table source)")
    definition: str = setting("", "how it is measured (printed in the definitions appendix)")
    denominator: str = setting("", "what a rate is per, in words, like the core indicators' "
                               "denominators")
    breaks: list[str] = setting([], "years where the series breaks, e.g. `[\"2022/23\"]` (no "
                                "trend is shown across them)")
    break_note: str = setting("", "what changed at the break, and so why no trend is shown "
                              "across it")
    plausible: list[float] | None = setting(
        None, "the lowest and highest value the measure can plausibly take, e.g. `[0, 500]`; a "
        "value outside is an error (docs/indicators.md)", default_doc="`[0, 100]` for a %, "
        "otherwise none", example="[0, 500]")
    jump_points: float | None = setting(
        None, "a change from one year to the next larger than this many units is questioned "
        "(a warning naming both years)", default_doc="none", example="20")
    jump_factor: float | None = setting(
        None, "a value more than this many times (or less than this fraction of) the year "
        "before is questioned", default_doc="none", example="3")


@dataclass
class BoardPaperSettings:
    """The [board_paper] settings; ``date`` (the meeting date) comes from report.board_date and
    the paper's own sign-off date is ``paper_date`` (``date`` in apr.toml)."""

    meeting: str | None = setting(None, "the meeting the paper goes to", attr=None,
                                  default_doc="report.board_meeting", one_line=True)
    date: dt.date | None = derived()
    item: str = setting("", "the agenda item number, e.g. \"7\"", attr=None, one_line=True)
    report_number: str = setting("", "the board's report number, e.g. \"SIJB14-2024\"; without "
                                 "it the paper says \"to be allocated\"", attr=None,
                                 one_line=True)
    report_by: str = setting("Chief Officer", "the post presenting the paper", attr=None,
                             one_line=True)
    report_by_name: str | None = setting(None, "the name of that person", attr=None,
                                         default_doc="partnership.chief_officer", one_line=True)
    author: str | None = setting(None, "who wrote the paper", attr=None,
                                 default_doc="report.author", one_line=True)
    contact: str = setting("", "contact details (e-mail or telephone)", attr=None, one_line=True)
    classification: str = setting("For decision", "printed under the heading block, e.g. "
                                  "\"For decision\" or \"Public: for approval\"", attr=None,
                                  one_line=True)
    purpose: str = setting("", "the purpose of the report, one paragraph", attr=None)
    recommendations: list[str] = setting([], "what the board is asked to do, one list item per "
                                         "numbered recommendation", attr=None)
    financial_implications: str = setting("", "one paragraph", attr=None)
    policy_implications: str = setting("", "one paragraph (equalities, integrated impact "
                                       "assessment)", attr=None)
    risk: str = setting("", "one paragraph", attr=None)
    consultations: str = setting("", "one paragraph: who was consulted", attr=None)
    consulted: list[str] = setting([], "instead of consultations: the posts or groups "
                                   "consulted in preparing the paper, e.g. [\"Chief Finance "
                                   "Officer\", \"Clerk\"]; without either the paper has a To be "
                                   "completed marker", attr=None)
    impact_screening: str = setting("", "instead of policy_implications: the result of "
                                    "screening the report for an integrated impact assessment, "
                                    "\"no_full_assessment\" (screened; none needed) or "
                                    "\"full_assessment\" (one was carried out); without either the "
                                    "paper has a To be completed marker", attr=None,
                                    choices=("", "no_full_assessment", "full_assessment"))
    direction: str = setting("none", "direction required: \"none\", \"council\", "
                             "\"health_board\" or \"both\"", attr=None,
                             choices=("none", "council", "health_board", "both"))
    background_papers: list[str] = setting([], "list of background papers", attr=None)
    paper_date: dt.date | None = setting(None, "the date the paper was signed off",
                                         key="date", attr=None, low=FIRST_DATE, high=LAST_DATE,
                                         example="2024-06-12")


@dataclass(frozen=True)
class Section:
    """One table of apr.toml: ``[name]`` (``array`` False) or ``[[name]]`` (``array`` True)."""

    name: str
    cls: type
    array: bool = False
    intro: str = ""
    notes: str = ""

    @property
    def heading(self) -> str:
        return f"[[{self.name}]]" if self.array else f"[{self.name}]"


@dataclass(frozen=True)
class Setting:
    """One setting of a section, as the loader and the docs see it."""

    section: str
    key: str            # the name in apr.toml
    name: str           # the dataclass attribute
    type: object        # the annotation, resolved
    default: object
    help: str
    required: bool
    choices: tuple
    attr: str | None    # the flat ReportConfig attribute, or None
    default_doc: str | None
    low: object
    high: object
    one_line: bool
    example: str

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def base(self) -> object:
        """The annotation without ``| None``."""
        args = [a for a in typing.get_args(self.type) if a is not type(None)]
        return args[0] if typing.get_origin(self.type) in (typing.Union, _UnionType) \
            and len(args) == 1 else self.type


_UnionType = type(int | None)

SECTIONS: tuple[Section, ...] = (
    Section("partnership", PartnershipSettings),
    Section("report", ReportSettings),
    Section("localities", LocalitySettings, array=True,
            intro="One block per locality in the strategic plan; at least two, as the Act "
                  "requires, each with its own name.",
            notes="The narrative for a locality lives in `content/localities/<name in lower "
                  "case with hyphens>.md`."),
    Section("strategic_plan", StrategicPlanSettings),
    Section("finance", FinanceSettings),
    Section("finance.service_lines", ServiceLineSettings,
            intro="Every service line of `data/finance.csv` maps to a spend category of "
                  "regulation 4(2), one line per service line:\n\n"
                  "```toml\n[finance.service_lines]\n"
                  "\"Prescribing\" = { category = \"b\", outcomes = [1, 9] }\n"
                  "\"Care homes\"  = { category = \"c\", outcomes = [2, 4] }\n"
                  "\"Learning disability services\" = { category = \"e\", outcomes = [2, 4], "
                  "care_groups = [\"People with a learning disability\"] }\n```\n\n"
                  "`category` is a letter: a hospital inpatient health care (including "
                  "set-aside), b other health care, c care homes and adult placements, d support "
                  "for unpaid carers, e other social care. `\"Care homes\" = \"c\"` is short for "
                  "`{ category = \"c\" }`. `outcomes` lets each outcome's section say what was "
                  "spent towards it. Lines of one partner body (when `data/finance.csv` has a "
                  "`body` column) may be mapped in a table under the body's name, so that two "
                  "lines of the same name in different bodies map differently:\n\n"
                  "```toml\n[finance.service_lines.\"Scottish Borders Council\"]\n"
                  "\"Other\" = \"e\"\n\"External purchasing\" = { split = { c = 60, "
                  "e = 40 } }\n```\n\nA line of a body is mapped by its body's table first, "
                  "then by the plain table. Each service line's table takes:",
            notes="See `docs/finance.md` for what apr computes and checks."),
    Section("best_value", BestValueSettings,
            intro="Evidence for the best value section (regulation 5), listed alongside "
                  "savings, reserves and the indicators' comparison with Scotland."),
    Section("delegated", DelegatedSettings,
            intro="Services delegated to the partnership beyond adult health and social care. "
                  "Each delegated service has its own section; without either the report says "
                  "in one sentence that they are not delegated. Services hosted for or by "
                  "other partnerships are listed in data/hosted_services.csv "
                  "(docs/input-formats.md)."),
    Section("benchmarking", BenchmarkingSettings,
            intro="The peer group of the Local Government Benchmarking Framework table in the "
                  "best value section (data/benchmarking.csv)."),
    Section("indicators", IndicatorSettings),
    Section("msg", MsgSettings,
            intro="The Ministerial Strategic Group indicators (`data/msg.csv` or Public Health "
                  "Scotland's MSG extracts): the baseline year and the partnership's "
                  "objectives. See docs/msg.md."),
    Section("local_indicators", LocalIndicatorSettings, array=True,
            intro="The partnership's own measures, one `[[local_indicators]]` table each; their "
                  "values go in the same `indicators` table under their code, and they appear "
                  "in the same tables (under their main outcome) and charts as the core "
                  "indicators. See docs/indicators.md."),
    Section("board_paper", BoardPaperSettings,
            intro="The cover paper that takes the report to the board (`apr build "
                  "--board-paper`). Its meeting date is `[report] board_date`. Leave a setting "
                  "out to use apr's standard wording (the template `board_paper.md.j2`)."),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}


def settings_of(section: Section | str) -> tuple[Setting, ...]:
    """Return the settings of ``section`` in the order they are declared."""
    return _settings_of(SECTION_BY_NAME[section] if isinstance(section, str) else section)


@cache
def _settings_of(section: Section) -> tuple[Setting, ...]:
    hints = typing.get_type_hints(section.cls, vars(sys.modules[__name__]))
    result = []
    for f in fields(section.cls):
        if "help" not in f.metadata:
            continue
        m = f.metadata
        default = f.default if f.default is not MISSING else f.default_factory()
        attr = f.name if m["attr"] == "" else m["attr"]
        result.append(Setting(section.name, m["key"] or f.name, f.name, hints[f.name], default,
                              m["help"], m["required"], m["choices"], attr, m["default_doc"],
                              m["low"], m["high"], m["one_line"], m["example"]))
    return tuple(result)


@cache
def all_settings() -> tuple[Setting, ...]:
    return tuple(s for section in SECTIONS for s in settings_of(section))


@cache
def sections_with_key(key: str) -> list[str]:
    """Return the headings of every section that has a setting ``key``."""
    return [sec.heading for sec in SECTIONS if any(s.key == key for s in settings_of(sec))]


# --- docs/configuration.md -------------------------------------------------------------------

_INTRO = """\
# apr.toml: the project's settings

<!-- Written by `python -m apr.settings_schema > docs/configuration.md` from apr/settings_schema.py;
edit that file, not this page (tests/test_config_schema.py checks the two agree). -->

Every project has an `apr.toml` in its top folder. It is a TOML file: `key = value` lines under
`[section]` headings, one setting per line; text in "quotes", dates written `2024-06-26` (no
quotes, no time of day), lists in `[ ]`, true or false without quotes. apr reads all of it before
anything else and lists every problem at once, naming the line and the setting:

```
apr.toml:14: setting 'report.board_dat': error: unknown setting 'report.board_dat'
  (did you mean 'report.board_date'?); ...
```

A misspelt setting, a setting under the wrong `[heading]`, a value of the wrong kind (text for
a number, a date with a time of day) and a TOML syntax error are all errors: apr never quietly
uses a default instead of what you meant. Names (marked *one line* below) may not contain line
breaks or other control characters and are at most {name} characters; other text is at most
{text} characters (narrative belongs in `content/*.md`). A required setting may not be empty; a
setting whose default is another setting (`short_name`, `authority`, ...) takes that default when
it is left empty (`short_name = ""`).
"""




def _type_words(s: Setting) -> str:
    base = s.base
    if s.choices:
        return "one of " + ", ".join(f'"{c}"' for c in s.choices)
    words = {str: "text", int: "whole number", float: "number", bool: "true/false",
             dt.date: "date", dict: "table"}
    if base in words:
        text = words[base]
    elif typing.get_origin(base) is list:
        inner = typing.get_args(base)[0]
        text = "list of " + ("numbers" if inner is int else "text")
    elif base == str | list[str]:
        text = "text, or list of text"
    else:
        text = str(base)
    if s.one_line:
        text += ", one line"
    if s.low is not None and s.high is not None and base in (int, float):
        text += f", {setting_number(s.low)} to {setting_number(s.high)}"
    return text


def _default_words(s: Setting) -> str:
    if s.required:
        return "(required)"
    if s.default_doc:
        return s.default_doc
    if s.default is None:
        return "none"
    if isinstance(s.default, bool):
        return "true" if s.default else "false"
    if isinstance(s.default, str):
        return f'"{s.default}"'
    if isinstance(s.default, float):
        return f"{s.default:g}"
    if isinstance(s.default, (list, dict)):
        return "[]" if isinstance(s.default, list) else "{}"
    return str(s.default)


def configuration_markdown() -> str:
    """Return docs/configuration.md, written from the schema."""
    out = [_INTRO.format(name=NAME_LENGTH, text=f"{TEXT_LENGTH:,}")]
    for section in SECTIONS:
        out.append(f"## {section.heading}\n")
        if section.intro:
            out.append(section.intro + "\n")
        out.append("| key | type | default | meaning |\n|---|---|---|---|")
        for s in settings_of(section):
            help_text = s.help.replace("|", "\\|")
            out.append(f"| {s.key} | {_type_words(s)} | {_default_words(s)} | {help_text} |")
        out.append("")
        if section.notes:
            out.append(section.notes + "\n")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(configuration_markdown())
