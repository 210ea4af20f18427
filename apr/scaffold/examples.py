"""Example rows that ``apr init`` wrote and nobody replaced.

The new project's data tables hold worked example rows so that it builds at once.  A row that
is still exactly an example row (same values in every column) is reported, so that a final
report never publishes the example's figures.  The examples are read from the packaged project
with apr's own readers, so a change to the scaffold changes what is recognised.
"""
from __future__ import annotations

import dataclasses
from functools import cache

from ..config import ReportingYear
from ..findings import AprError, Findings

RECORD_LISTS = ("indicators", "finance", "localities", "inspections", "decisions", "reserves",
                "savings", "jmc_recommendations")


def _bare(record):
    """Return the record without where it came from, for comparison."""
    fields = {f.name for f in dataclasses.fields(record)}
    return dataclasses.replace(record, source=None) if "source" in fields else record


@cache
def example_records(year_start: int) -> dict[str, tuple]:
    """Return the scaffold's example records per input list (empty if it cannot be read)."""
    import tempfile
    from pathlib import Path

    from ..config import load_config
    from ..sources import read_sources
    from . import create_project
    with tempfile.TemporaryDirectory(prefix="apr-examples-") as folder:
        project = Path(folder) / "project"
        create_project(project)          # the project apr init writes, settings filled in
        try:
            config = load_config(project)
            inputs, _ = read_sources(config, ReportingYear(year_start))
        except AprError as exc:          # a scaffold apr cannot read is a bug in apr
            raise RuntimeError(f"apr init's own project does not load: {exc}") from None
    return {name: tuple(_bare(r) for r in getattr(inputs, name, [])) for name in RECORD_LISTS}


def example_row_findings(inputs, findings: Findings) -> None:
    """Warn for every data row that is still one of apr init's example rows."""
    examples = example_records(inputs.year.start)
    rows: dict[str, list[int]] = {}      # file -> example rows, one finding per file
    for name in RECORD_LISTS:
        known = examples.get(name, ())
        for record in getattr(inputs, name, []):
            source = getattr(record, "source", None)
            if source is not None and known and _bare(record) in known:
                rows.setdefault(source.file, []).append(source.row)
    for file, numbers in rows.items():
        if len(numbers) == 1:
            what = "this row is an example that apr init wrote; replace it with your own " \
                   "figures or delete it"
        else:
            listed = ", ".join(str(r) for r in numbers[:-1]) + f" and {numbers[-1]}"
            what = f"rows {listed} are examples that apr init wrote; replace them with your " \
                   "own figures or delete them"
        findings.warning("data.example_row", what, file, numbers[0])
