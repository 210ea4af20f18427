"""The national batch: every partnership project in a folder, built in parallel.

``apr build --all --project FOLDER --year 2023`` builds each subfolder holding an apr.toml,
one process per core, and then writes the national comparison (``national.py``) into
``FOLDER/national/``. A partnership that fails is reported and the others carry on.

An optional ``FOLDER/batch.toml`` holds settings for the whole batch::

    [batch]
    national_indicators = "national/indicators.csv"   # one Public Health Scotland MI file
    [batch.peer_groups]
    "Remote and island" = ["Orkney Islands", "Shetland Islands", "Western Isles"]

With ``national_indicators``, a project without its own data/indicators table reads its rows
(and Scotland's) from that file; its finance and narrative stay its own.
"""
from __future__ import annotations

import multiprocessing
import os
import tomllib
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import AprError

BATCH_FILE = "batch.toml"
NATIONAL_DIR = "national"


@dataclass
class BatchSettings:
    """What batch.toml says: the shared indicator file and the peer groups."""

    national_indicators: Path | None = None
    peer_groups: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Outcome:
    """One partnership's build: its outputs, or why it failed; values for the comparison."""

    project: Path
    name: str = ""
    code: str = ""
    outputs: list[Path] = field(default_factory=list)
    error: str = ""
    values: dict[str, tuple[float | None, float | None, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


def read_settings(folder: Path) -> BatchSettings:
    """Return the settings in ``folder/batch.toml`` (defaults when there is none)."""
    path = folder / BATCH_FILE
    if not path.is_file():
        return BatchSettings()
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("batch", {})
    shared = data.get("national_indicators")
    groups = {str(k): [str(p) for p in v] for k, v in data.get("peer_groups", {}).items()}
    from ..paths import portable
    return BatchSettings(folder / portable(shared) if shared else None, groups)


def find_projects(folder: Path) -> list[Path]:
    """Return the partnership projects in ``folder``: subfolders holding apr.toml, by name."""
    return sorted(p.parent for p in folder.glob("*/apr.toml") if p.parent.name != NATIONAL_DIR)


@dataclass(frozen=True)
class Options:
    """The options of ``apr build`` that each partnership's build takes as given."""

    strict: bool = False
    summary: bool = False
    board_paper: bool = False


def build_one(project: Path, year: int, formats: tuple[str, ...],
              tables: dict[str, Path], options: Options = Options()) -> Outcome:
    """Build one partnership's report; never raises, so one failure cannot stop a batch."""
    from ..charts.batch import set_max_workers
    from ..config import load_config
    from ..pipeline import build
    set_max_workers(1)     # the batch already runs one build per core
    try:
        result = build(project, year, formats, strict=options.strict, summary=options.summary,
                       board_paper=options.board_paper, tables=tables)
    except AprError as exc:
        from ..findings import finding_lines, grouped
        shown = [f for f in exc.findings if f.severity == "error"] or exc.findings
        return Outcome(project, error="\n".join(line for f in grouped(shown)
                                                for line in finding_lines(f)))
    except Exception:      # a bug in apr: keep the traceback for the report
        return Outcome(project, error=traceback.format_exc())
    config = load_config(project)
    return Outcome(project, config.short_name or config.name, config.code, result.outputs,
                   values=latest_values(result.analysis))


def latest_values(analysis) -> dict[str, tuple[float | None, float | None, str]]:
    """Return code -> (latest value, Scotland's value, period label) for each indicator."""
    values = {}
    for r in getattr(analysis, "indicators", []):
        if r.latest is not None:
            scot = r.latest.value.scotland if r.latest.value else None
            values[r.code] = (r.latest.number, scot if isinstance(scot, float) else None,
                              r.latest.year.label)
    return values


def run_batch(folder: Path, year: int, formats: tuple[str, ...], jobs: int | None = None,
              progress: Callable[[Outcome], None] | None = None,
              options: Options = Options()) -> list[Outcome]:
    """Build every project in ``folder`` in parallel; return the outcomes in project order."""
    settings = read_settings(folder)
    tables = {"indicators": settings.national_indicators} if settings.national_indicators \
        else {}
    projects = find_projects(folder)
    outcomes = {}
    for outcome in _parallel(projects, year, formats, tables, jobs, options):
        outcomes[outcome.project] = outcome
        if progress:
            progress(outcome)
    return [outcomes[p] for p in projects]


def _parallel(projects: list[Path], year: int, formats: tuple[str, ...],
              tables: dict[str, Path], jobs: int | None, options: Options) -> Iterator[Outcome]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(projects)))
    if workers == 1:
        yield from (build_one(p, year, formats, tables, options) for p in projects)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm) as pool:
        futures: dict[Future, Path] = {
            pool.submit(build_one, p, year, formats, tables, options): p for p in projects}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:   # the worker itself died (out of memory, killed)
                yield Outcome(futures[future], error=f"the build process failed: {exc!r}")


def _warm() -> None:
    """Import the heavy modules once per worker, before its first build."""
    from .. import pipeline  # noqa: F401
    from ..charts.batch import import_for_drawing
    import_for_drawing()
