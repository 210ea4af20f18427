"""A synthetic national data set: the sample project once per partnership, values perturbed.

For testing and benchmarking the national batch. Every project is a copy of sample_inputs
with the partnership's real name and code (from ``apr.catalogue.partnerships()``) and its
numbers changed deterministically: indicator values by up to 8 %, amounts and populations by a
size factor. The values are invented; none is any partnership's real figure.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

from ..catalogue import Partnership, partnerships
from . import BATCH_FILE, NATIONAL_DIR

MI_HEADER = ["Year", "Time Period", "Partnership", "Indicator", "Rate"]


def noise(*parts: object) -> float:
    """Return a repeatable number in [-1, 1) from ``parts`` (no global random state)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**31 - 1


def make_national(sample: Path, dest: Path, count: int = 31,
                  national_file: bool = False) -> list[Path]:
    """Write ``count`` partnership projects into ``dest``; return their folders.

    With ``national_file``, indicator values go into one PHS MI-style file
    (``dest/national/indicators.csv``, named in ``dest/batch.toml``) instead of each project.
    """
    dest.mkdir(parents=True, exist_ok=True)
    projects, mi_rows = [], []
    for p in partnerships()[:count]:
        project = dest / re.sub(r"[^a-z0-9]+", "-", p.name.lower()).strip("-")
        make_project(sample, project, p)
        if national_file:
            mi_rows += mi_rows_of(project / "data" / "indicators.csv", p.name)
            (project / "data" / "indicators.csv").unlink()
        projects.append(project)
    if national_file:
        write_national_file(dest, sample / "data" / "indicators.csv", mi_rows)
    return projects


def make_project(sample: Path, project: Path, p: Partnership) -> None:
    """Copy the sample into ``project`` as partnership ``p`` with perturbed figures."""
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(sample, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    toml = project / "apr.toml"
    toml.write_text(rename(toml.read_text(encoding="utf-8"), p), encoding="utf-8")
    size = 0.35 + 1.6 * (noise(p.code, "size") + 1) / 2
    data = project / "data"
    _rewrite(data / "indicators.csv", lambda row: _indicator_row(row, p.code))
    _rewrite(data / "finance.csv", lambda row: _scale(row, ("budget", "outturn"), size))
    _rewrite(data / "localities.csv", lambda row: _scale(row, ("population", "spend"), size))


def rename(toml: str, p: Partnership) -> str:
    """Return apr.toml text naming partnership ``p`` instead of the sample's."""
    values = {"name": f"{p.name} Health and Social Care Partnership", "short_name": p.name,
              "code": p.code, "authority": f"{p.name} Integration Joint Board",
              "council": f"{p.name} Council", "health_board": f"NHS {p.health_board}"}
    for key, value in values.items():
        toml = re.sub(rf'(?m)^{key}\s*=\s*"[^"]*"', f'{key} = "{value}"', toml, count=1)
    return toml


def _rewrite(path: Path, change) -> None:
    if not path.is_file():
        return
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames or [], [change(r) for r in reader]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except (ValueError, AttributeError):
        return None


def _indicator_row(row: dict, code: str) -> dict:
    value = _number(row.get("value", ""))
    if value is not None:
        factor = 1 + 0.07 * noise(code, row["indicator"]) + 0.01 * noise(code, row["period"])
        new = value * factor
        new = min(new, 99.9) if value <= 100 and '.' in row['value'] else new
        row["value"] = f"{new:.1f}"
        _shift_interval(row, float(row["value"]) - value)
    return row


def _shift_interval(row: dict, shift: float) -> None:
    """Move the 95% confidence limits with the value, so the value stays inside them."""
    for column in ("lower_ci", "upper_ci"):
        limit = _number(row.get(column) or "")
        if limit is not None:
            row[column] = f"{limit + shift:.1f}"


def _scale(row: dict, columns: tuple[str, ...], size: float) -> dict:
    for column in columns:
        value = _number(row.get(column, ""))
        if value is not None:
            row[column] = str(round(value * size))
    return row


def mi_rows_of(indicators_csv: Path, partnership: str) -> list[list[str]]:
    """Return a project's own indicator rows (no locality rows) in the PHS MI layout."""
    with open(indicators_csv, newline="", encoding="utf-8") as fh:
        return [[r["period"], "Annual", partnership, r["indicator"], r["value"]]
                for r in csv.DictReader(fh) if not r.get("locality") and r.get("value")]


def write_national_file(dest: Path, sample_csv: Path, rows: list[list[str]]) -> None:
    """Write the national MI file (Scotland rows from the sample) and the batch.toml naming it."""
    with open(sample_csv, newline="", encoding="utf-8") as fh:
        rows += [[r["period"], "Annual", "Scotland", r["indicator"], r["scotland"]]
                 for r in csv.DictReader(fh) if not r.get("locality") and r.get("scotland")]
    (dest / NATIONAL_DIR).mkdir(exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([MI_HEADER, *rows])
    (dest / NATIONAL_DIR / "indicators.csv").write_text(out.getvalue(), encoding="utf-8")
    (dest / BATCH_FILE).write_text(
        '[batch]\n# one Public Health Scotland MI-style file for every partnership\n'
        f'national_indicators = "{NATIONAL_DIR}/indicators.csv"\n', encoding="utf-8")
