"""``apr init``: create a new partnership project from the packaged example."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..config import display_path
from ..findings import AprError, Findings

SOURCE = Path(__file__).resolve().parent / "project"


def create_project(directory: Path, name: str = "") -> list[Path]:
    """Copy the example project into ``directory`` (which must be new or empty); return files."""
    if directory.exists() and any(directory.iterdir()):
        findings = Findings()
        findings.error("init.not_empty", f"{display_path(directory)} already exists and is not "
                       "empty; choose a new folder name so nothing is overwritten",
                       display_path(directory))
        raise AprError(findings)
    name = name.strip() or "Anytown Health and Social Care Partnership"
    short = name.replace("Health and Social Care Partnership", "").strip() or name
    written = []
    for src in sorted(SOURCE.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts:
            continue
        target = directory / src.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".toml":
            text = src.read_text(encoding="utf-8")
            text = text.replace("{name}", _toml_text(name)).replace("{short_name}", _toml_text(short))
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(src, target)
        written.append(target)
    return written


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
