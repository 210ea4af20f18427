"""Where apr's packaged files (templates, styles, the project scaffold) live.

In a source checkout or editable install they are the top-level ``templates/`` and ``styles/``
folders beside the ``apr`` package; a wheel carries them inside the package as ``apr/_templates``
and ``apr/_styles`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    inside = _PACKAGE / f"_{name}"
    return inside if inside.is_dir() else _PACKAGE.parent / name


def styles_dir() -> Path:
    """Return the ``styles`` folder: report.css, report.html.j2, reference.docx, chart style."""
    return _find("styles")


def templates_dir() -> Path:
    """Return the folder of default report templates (``*.md.j2``)."""
    return _find("templates")
