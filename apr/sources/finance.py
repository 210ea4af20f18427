"""Reading the finance table as the accounts publish it: the column names finance officers use,
the two budget figures of regulation 4, published variances, and the accounts' total and
partner-body subtotal rows, each checked against its lines. See docs/finance.md."""
from __future__ import annotations

from ..analysis.finance import total, total_row_kind, within
from ..config import ReportConfig
from ..findings import Findings
from ..formatting import money, setting_amount
from ..model import FinanceLine, PublishedTotal
from .tables import RawTable

# Other names of the finance table's columns, as finance officers write them (normalised: lower
# case, words joined by underscores). The first name is apr's own.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "service_line": ("service", "service_area", "line", "budget_line", "description"),
    "budget": ("financial_statement", "annual_financial_statement", "original_budget",
               "initial_budget", "planned_spending", "planned_spend", "opening_budget"),
    "final_budget": ("revised_budget", "total_funding", "funding", "total_paid_or_set_aside",
                     "current_budget", "annual_budget"),
    "outturn": ("actual", "actuals", "actual_spend", "expenditure", "net_expenditure", "spend"),
    "variance": ("under_overspend", "under_over_spend", "underspend_overspend",
                 "over_underspend", "variance_against_budget"),
    "final_variance": ("variance_against_final_budget", "final_budget_variance",
                       "revised_variance", "variance_against_revised_budget"),
    "body": ("partner", "partner_body", "partner_organisation", "organisation"),
    "reason": ("reason_for_variance", "variance_reason", "explanation", "commentary",
               "comment", "comments"),
}
AMOUNTS = ("budget", "final_budget", "outturn", "variance", "final_variance")


def _money(config: ReportConfig, value: float, unit: str, brackets: bool = True) -> str:
    """An amount in a message, with the finance tables' decimal places."""
    return money(value, unit, brackets, config.money_decimals)


def known_names(column: str) -> str:
    """Return the other names apr knows for a finance column: "'actual', 'actuals' or ..."."""
    names = [f"'{n}'" for n in SYNONYMS.get(column, ())]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def apply_synonyms(raw: RawTable, findings: Findings) -> None:
    """Rename the finance columns written under another name (actual -> outturn); two columns
    meaning the same thing are an error naming both."""
    for name, others in SYNONYMS.items():
        found = [c for c in (name, *others) if c in raw.columns]
        if len(found) > 1:
            shown = " and ".join(f"'{raw.original_columns.get(c, c)}'" for c in found)
            findings.error("finance.ambiguous_column",
                           f"columns {shown} both mean '{name}'; keep one of them (or rename "
                           "the other to a name apr does not use)", raw.file, 1,
                           raw.original_columns.get(found[1], found[1]))
        if not found or found[0] == name:
            continue
        key = found[0]
        for cells in raw.rows:
            cells[name] = cells.pop(key, None)
        raw.columns = [name if c == key else c for c in raw.columns]
        raw.original_columns = {(name if c == key else c): shown
                                for c, shown in raw.original_columns.items()}


def finance_lines(rows: list[dict], config: ReportConfig,
                  findings: Findings) -> tuple[list[FinanceLine], list[PublishedTotal]]:
    """Return the service lines to add up and the published total and subtotal rows, each
    total checked against its lines and each published variance against budget - outturn."""
    from . import _duplicate_rows_error
    rows = _duplicate_rows_error("finance.duplicate_line", rows, ("year", "body", "service_line"),
                                 _describe, findings)
    # a row refused for a bad cell is missing from the sums: compare nothing until it is fixed
    files = {f.location.file for f in findings.errors}
    broken = bool(rows) and rows[0]["_source"].file in files
    kinds = {id(r): total_row_kind(r["service_line"]) for r in rows}
    lines = [r for r in rows if kinds[id(r)] is None]
    kept = [r for r in lines if not _sum_row(r, lines, config, findings, broken)]
    totals = []
    for row in rows:
        if kinds[id(row)] is not None:
            published = _total_row(row, kinds[id(row)], kept, config, findings, broken)
            if published is not None:
                totals.append(published)
    for row in kept + [r for r in rows if kinds[id(r)] is not None]:
        _check_variances(row, config, findings)
    return [_line(r) for r in kept], totals


def _describe(row: dict) -> str:
    body = f" of {row['body']}" if row.get("body") else ""
    return f"service line '{row['service_line']}'{body} in {row['year'].label}"


def _same_body(a: dict, b: dict) -> bool:
    return " ".join((a.get("body") or "").lower().split()) == \
        " ".join((b.get("body") or "").lower().split())


def _members(row: dict, lines: list[dict], same_body: bool) -> list[dict]:
    """Return the other lines of the row's year (and of its body, when asked)."""
    return [r for r in lines if r is not row and r["year"].start == row["year"].start
            and (not same_body or _same_body(r, row))]


def _sums(members: list[dict]) -> dict[str, float]:
    return {"budget": total(r["budget"] for r in members),
            "outturn": total(r["outturn"] for r in members),
            "final_budget": total(_funding(r) for r in members)}


def _funding(row: dict) -> float:
    return row["budget"] if row.get("final_budget") is None else row["final_budget"]


def _total_row(row: dict, kind: str, lines: list[dict], config: ReportConfig,
               findings: Findings, broken: bool) -> PublishedTotal | None:
    """Check a total or subtotal row against its lines; return it as published, or None when
    it cannot be used (a subtotal without a partner body)."""
    src, body = row["_source"], row.get("body") or ""
    if kind == "subtotal" and not body:
        findings.error("finance.subtotal_row",
                       f"'{row['service_line']}' looks like a subtotal of other rows, but gives "
                       "no partner body, so apr cannot tell which lines it adds up. Give the "
                       "body (NHS board or council) in a 'body' column to have it checked and "
                       "shown as that body's subtotal, or delete the row", src.file, src.row,
                       "service_line")
        return None
    if not broken:
        _check_total(row, _sums(_members(row, lines, bool(body))), config, findings)
    return PublishedTotal(row["year"], body, row["service_line"], row["budget"], row["outturn"],
                          row.get("final_budget"), row.get("variance"),
                          row.get("final_variance"), src)


def _check_total(row: dict, sums: dict[str, float], config: ReportConfig,
                 findings: Findings) -> None:
    unit, tolerance, src = config.amounts, config.rounding_tolerance, row["_source"]
    measures = ["budget", "outturn"] + (["final_budget"] if row.get("final_budget") is not None
                                        else [])
    if all(within(row[m] - sums[m], tolerance) for m in measures):
        return
    words = {"budget": "budget", "outturn": "outturn", "final_budget": "final budget"}
    given = " and ".join(f"{words[m]} {_money(config, row[m], unit, False)}" for m in measures)
    added = " and ".join(_money(config, sums[m], unit, False) for m in measures)
    body = row.get("body")
    whose = f"the lines of {body}" if body else "the lines"
    message = (f"'{row['service_line']}' gives {given} for {row['year'].label}, but {whose} add "
               f"up to {added} ({unit}), more than the rounding tolerance of "
               f"{setting_amount(tolerance, unit)} apart; correct the lines or the total")
    if body:
        findings.warning("finance.subtotal_mismatch", message, src.file, src.row, "service_line")
    else:
        findings.warning("finance.total_row_mismatch", message, src.file, src.row,
                         "service_line")


def _sum_row(row: dict, lines: list[dict], config: ReportConfig, findings: Findings,
             broken: bool) -> bool:
    """True (with an error) for a row under another name that totals the others."""
    others = _members(row, lines, bool(row.get("body")))
    sums = _sums(others)
    tolerance, unit = config.rounding_tolerance, config.amounts
    if len(others) < 2 or broken or not row["budget"] or not (
            within(row["budget"] - sums["budget"], tolerance)
            and within(row["outturn"] - sums["outturn"], tolerance)):
        return False
    src = row["_source"]
    whose = f" of {row['body']}" if row.get("body") else ""
    amounts = {k: _money(config, sums[k], unit, False) for k in ("budget", "outturn")}
    findings.error("finance.sum_row",
                   f"'{row['service_line']}' equals the sum of the other {len(others)} "
                   f"{row['year'].label} lines{whose} (budget {amounts['budget']}, outturn "
                   f"{amounts['outturn']}); it looks like a total: name it Total, or delete it",
                   src.file, src.row, "service_line")
    return True


def _check_variances(row: dict, config: ReportConfig, findings: Findings) -> None:
    """Warn when a published variance is not budget (or final budget) minus outturn within
    the rounding tolerance; the published figure is still the one shown."""
    unit, tolerance, src = config.amounts, config.rounding_tolerance, row["_source"]
    for column, against, what in (("variance", row["budget"], "budget"),
                                  ("final_variance", _funding(row), "final budget")):
        published = row.get(column)
        if published is None:
            continue
        computed = total([against, -row["outturn"]])
        if within(published - computed, tolerance):
            continue
        body = f"{row['body']}, " if row.get("body") else ""
        shown = {k: _money(config, v, unit) for k, v in
                 (("published", published), ("against", against), ("outturn", row["outturn"]),
                  ("computed", computed))}
        findings.warning(
            "finance.variance_mismatch",
            f"'{row['service_line']}' ({body}{row['year'].label}): the published variance "
            f"{shown['published']} is not {what} {shown['against']} minus outturn "
            f"{shown['outturn']}, which is {shown['computed']} ({unit}; overspends in brackets)"
            f", within the rounding tolerance of {setting_amount(tolerance, unit)}; correct the "
            f"variance, the {what} or the outturn", src.file, src.row, column)


def _line(row: dict) -> FinanceLine:
    return FinanceLine(row["year"], row["service_line"], row["budget"], row["outturn"],
                       row.get("reason") or "", row["_source"], row.get("body") or "",
                       row.get("final_budget"), row.get("variance"), row.get("final_variance"))
