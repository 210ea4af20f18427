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
