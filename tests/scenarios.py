"""Small named scenario projects: ``tests/roots/<name>/``, each a complete apr project for one
concern (tests/roots/README.md lists them). A test copies one and changes only what its own
concern needs, instead of copying the whole sample and editing it by string replacement."""
from __future__ import annotations

import shutil
from pathlib import Path

from apr.findings import AprError, Findings

ROOTS = Path(__file__).resolve().parent / "roots"


def root_names() -> list[str]:
    """Return the names of the scenario folders under tests/roots/."""
    return sorted(p.name for p in ROOTS.iterdir() if (p / "apr.toml").is_file())


def copy_root(name: str, dest: Path) -> Path:
    """Copy the scenario NAME to DEST/NAME (without any built output) and return the copy."""
    source = ROOTS / name
    assert (source / "apr.toml").is_file(), f"no scenario {name!r}; there are {root_names()}"
    target = dest / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output"))
    return target


def write(project: Path, path: str, text: str) -> Path:
    """Write TEXT to PATH inside PROJECT (folders made as needed) and return the file."""
    file = project / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def append(project: Path, path: str, text: str) -> Path:
    """Add TEXT at the end of the file PATH inside PROJECT and return the file."""
    file = project / path
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")
    return file


def stopped(run) -> list[str]:
    """Return the lines of the findings (str) of the AprError that RUN() raises."""
    try:
        run()
    except AprError as exc:
        return [str(f) for f in exc.findings]
    raise AssertionError("expected apr to stop with an error")


def lines(findings: Findings, code: str) -> list[str]:
    """Return the findings of CODE as the lines apr prints."""
    return [str(f) for f in findings if f.code == code]


def findings_of(project: Path, year: int = 2023, code: str = "",
                formats: tuple[str, ...] = ("html",)) -> list[str]:
    """Build PROJECT's report in FORMATS (charts not drawn) and return the findings apr
    printed, as lines, whether it stopped or not; only those of CODE when given."""
    import pytest

    from apr import pipeline
    from tests.report_helpers import PNG
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "draw_chart", lambda spec: PNG)
        try:
            found = list(pipeline.build(project, year, formats).findings)
        except AprError as exc:
            found = list(exc.findings)
    return [str(f) for f in found if not code or f.code == code]


def line_of(file: Path, text: str) -> int:
    """Return the number (from 1) of the first line of FILE holding TEXT."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)
