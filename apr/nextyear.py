"""``apr next-year``: start next year's project from this year's.

The new project is a copy of this year's with four changes:

* every narrative file in ``content/`` becomes a "To be completed: ..." placeholder, and last
  year's text is kept for reference under ``last-year/content/`` (apr never reads that
  folder: only ``content/`` holds narrative);
* ``status`` is set back to "draft";
* the finance table gains a copy of the last year's service lines for the new year, so the
  project builds at once; each copied row keeps last year's budget and outturn (without its
  reason), and ``carried_over_findings`` lists every row of the reporting year whose budget
  and outturn are still the previous year's;
* nothing else is changed: dates stay as they were, and ``dates.before_year_end`` (see
  compliance.date_findings) stops a final build while any date is last year's.

The new project is written into a temporary folder beside the target and moved into place
only when complete, so a failure leaves nothing half-made.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .config import ReportConfig, ReportingYear, display_path, load_config
from .findings import AprError, Findings

LAST_YEAR = "last-year"          # the folder (in the new project) holding last year's narrative
SKIPPED = {LAST_YEAR, "__pycache__", "previous-csv"}


@dataclass
class NextYear:
    """What ``make_next_year`` did: the files written and what the user must still change."""

    directory: Path
    year: ReportingYear
    files: list[Path] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)   # content/... files made placeholders
    finance_rows: int = 0                                  # finance rows copied for the year
    to_change: list[str] = field(default_factory=list)    # apr.toml lines to look at


def make_next_year(project: Path, target: Path, year: int | None = None) -> NextYear:
    """Make next year's project in ``target`` (new or empty) from the project in ``project``;
    raise AprError, creating nothing, if it cannot."""
    config = load_config(project)
    new_year = ReportingYear(year if year is not None else _next_year_start(config))
    _check_target(target, project)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".apr-next-year-", dir=target.parent))
    try:
        result = _fill(config, temp, new_year)
        if target.exists():
            target.rmdir()                      # checked empty above
        temp.rename(target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    result.directory = target
    result.files = [target / f.relative_to(temp) for f in result.files]
    return result


def _error(code: str, message: str, where: str) -> AprError:
    findings = Findings()
    findings.error(code, message, where)
    return AprError(findings)


def _next_year_start(config: ReportConfig) -> int:
    """Return the year after the one the project reports on, judged from its publication (or
    board) date: a report published in 2024 is 2023/24's, so next year starts in 2024."""
    when = config.publication_date or config.board_date
    if when is None:
        raise _error("next_year.no_year", "apr cannot tell which year this project reports on: "
                    "apr.toml has no [report] publication_date or board_date. Say which year "
                    "the new project is for with --year, e.g. --year 2024 for 2024/25",
                    config.config_file)
    return when.year if when.month > 3 else when.year - 1


def _check_target(target: Path, project: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise _error("init.not_empty", f"{display_path(target)} already exists and is not empty; "
                    "choose a new folder name so nothing is overwritten", display_path(target))
    if target.resolve() == project.resolve() or project.resolve() in target.resolve().parents:
        raise _error("next_year.inside_project", f"{display_path(target)} is inside this year's "
                    "project; make next year's project in a folder beside it, e.g. "
                    f"{display_path(project.resolve().parent / 'apr-next-year')}",
                    display_path(target))


def _fill(config: ReportConfig, folder: Path, year: ReportingYear) -> NextYear:
    result = NextYear(folder, year)
    result.files = _copy_project(config, folder)
    result.narrative = _narrative_placeholders(folder, year)
    result.files += [folder / LAST_YEAR / n for n in result.narrative]
    _draft_status(folder / "apr.toml")
    result.finance_rows = _carry_finance(folder / "data", year)
    result.to_change = things_to_change(config, year)
    return result


def _copy_project(config: ReportConfig, folder: Path) -> list[Path]:
    """Copy the project's files into ``folder``, except its output folder, last year's
    narrative and links leading outside the project; return the files copied."""
    from .paths import leads_outside
    root = config.project_dir
    output = config.output_dir.resolve()
    written = []
    for src in sorted(root.rglob("*")):
        rel = src.relative_to(root)
        if rel.parts[0] in SKIPPED or rel.parts[0].startswith(".") or src.is_dir() \
                or output in src.resolve().parents or leads_outside(src, root) \
                or "__pycache__" in rel.parts:
            continue
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written


def _narrative_placeholders(folder: Path, year: ReportingYear) -> list[str]:
    """Move each narrative file to last-year/content/ and leave a placeholder in its place;
    return the files (content/...) made placeholders."""
    content = folder / "content"
    done = []
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        rel = path.relative_to(folder).as_posix()
        kept = folder / LAST_YEAR / rel
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, kept)
        path.write_text(placeholder_text(year, rel), encoding="utf-8")
        done.append(rel)
    return done


def placeholder_text(year: ReportingYear, rel: str) -> str:
    """Return what a new narrative file says until it is rewritten."""
    return (f"To be completed: this section's text for {year.label}. Last year's text is in "
            f"{LAST_YEAR}/{rel}: copy what still holds, rewrite the rest, and replace this "
            "line.\n")


def _draft_status(toml: Path) -> None:
    """Set ``status = "final"`` back to "draft" (next year's report starts as a draft)."""
    text = toml.read_text(encoding="utf-8-sig")
    new = re.sub(r'(?m)^(\s*status\s*=\s*)(["\'])final\2', r"\1\2draft\2", text)
    if new != text:
        toml.write_text(new, encoding="utf-8")


def _carry_finance(data: Path, year: ReportingYear) -> int:
    """Add to the finance table a copy of its latest year's rows for ``year`` (unless it has
    rows for ``year`` already); return how many rows were added."""
    from .sources.tables import find_sources, read_table
    findings = Findings()
    place = find_sources(data, findings).get("finance")
    raw = read_table("finance", place, findings) if place else None
    if raw is None or "year" not in raw.columns:
        return 0         # apr build reports what is wrong with the table
    years = [ReportingYear.parse(str(r.get("year") or "")) for r in raw.rows]
    if year in years or not any(years):
        return 0
    last = max((y for y in years if y and y.start < year.start), key=lambda y: y.start,
               default=None)
    if last is None:
        return 0
    copied = [_carried_row(row, raw.columns, year)
              for row, y in zip(raw.rows, years) if y == last]
    (_append_csv if place[1] is None else _append_sheet)(place, copied)
    return len(copied)


def _carried_row(row: dict, columns: list[str], year: ReportingYear) -> list:
    """Return a row copied for ``year``: last year's budgets and outturn (listed by
    carried_over_findings until changed), without last year's reason or published variances,
    whatever name the finance officer's columns use."""
    from .sources.finance import SYNONYMS
    blank = {name for key in ("reason", "variance", "final_variance")
             for name in (key, *SYNONYMS.get(key, ()))}
    values = dict(row, year=year.label)
    return [None if c in blank else values.get(c) for c in columns]


def _append_csv(place: tuple[Path, None], rows: list[list]) -> None:
    path = place[0]
    data = path.read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    newline = "\r\n" if b"\r\n" in data else "\n"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(
        [["" if v is None else v for v in row] for row in rows])
    tail = b"" if not data or data.endswith(b"\n") else newline.encode()
    encoding = "utf-8" if _is_utf8(data) else "cp1252"
    path.write_bytes(data + tail + out.getvalue().encode(encoding, errors="replace"))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _append_sheet(place: tuple[Path, str], rows: list[list]) -> None:
    import openpyxl
    book = openpyxl.load_workbook(place[0])
    sheet = book[place[1]]
    # below the last row holding a value (apr workbook formats empty rows below the data)
    last = max((c.row for line in sheet.iter_rows() for c in line if c.value is not None),
               default=0)
    for offset, row in enumerate(rows, start=last + 1):
        for column, value in enumerate(row, start=1):
            sheet.cell(offset, column, value)
    book.save(place[0])


def things_to_change(config: ReportConfig, year: ReportingYear) -> list[str]:
    """Return the apr.toml settings that are last year's: dates before the new year ends, and
    lines that name last year (2023/24, 2023-24)."""
    last = year.previous(1)
    lines = _toml_lines(config)
    seen: set[int] = set()
    found = []
    for dotted, when in date_settings(config):
        if when <= year.end_date:
            line = config.setting_line(dotted)
            seen.add(line or 0)
            found.append(f"apr.toml line {line}: {dotted} = {when.isoformat()} is last year's "
                         f"date; set the {year.label} date")
    names = (last.label, last.slug, f"{last.start} to {last.start + 1}")
    for number, text in enumerate(lines, start=1):
        body = "" if text.lstrip().startswith("#") else text.split(" #", 1)[0]
        if number not in seen and any(name in body for name in names):
            found.append(f"apr.toml line {number}: {body.strip()[:70]} names {last.label}; "
                         "check it is right for " + year.label)
    plan_end = _plan_end(config.settings.strategic_plan.period)
    if plan_end is not None and plan_end < year.start + 1:
        found.append(f"apr.toml line {config.setting_line('strategic_plan.period')}: the "
                     f"strategic plan's period ends in {plan_end}, before {year.label} ends; "
                     "give the plan in force in " + year.label)
    return found


def date_settings(config: ReportConfig) -> list[tuple[str, object]]:
    """Return the dates of apr.toml that belong to one year's report, with their settings."""
    paper = (config.raw.get("board_paper") or {}).get("date")
    found = [("report.board_date", config.board_date),
             ("report.publication_date", config.publication_date),
             ("board_paper.date", paper)]
    import datetime as dt
    return [(name, when) for name, when in found if isinstance(when, dt.date)]


def _plan_end(period: str | None) -> int | None:
    years = re.findall(r"\b(20\d\d)\b", period or "")
    return int(years[-1]) if years else None


def _toml_lines(config: ReportConfig) -> list[str]:
    try:
        return (config.project_dir / "apr.toml").read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def carried_over_findings(inputs, findings: Findings) -> None:
    """Warn for every finance row of the reporting year whose budget and outturn are still the
    same line's figures of the year before (as apr next-year copies them)."""
    year = inputs.year
    before = {(line.service_line, line.budget, line.outturn): line for line in inputs.finance
              if line.year == year.previous(1)}
    for line in inputs.finance:
        old = before.get((line.service_line, line.budget, line.outturn))
        if line.year != year or old is None or line.source is None:
            continue
        findings.warning("data.carried_over",
                         f"'{line.service_line}' has the same budget and outturn in "
                         f"{year.label} as in {old.year.label}: still last year's figures, as "
                         f"apr next-year copied them; enter {year.label}'s budget, outturn and "
                         "reason", line.source.file, line.source.row, "budget")
