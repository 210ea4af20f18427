"""The wheel must carry every part of apr: a package missing from pyproject.toml installs
fine with `pip install -e .` and breaks `pip install .`."""
from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_apr_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "apr").rglob("*.py")
             if "__pycache__" not in p.parts}
    assert found - listed == set()
