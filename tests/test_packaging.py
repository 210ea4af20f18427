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


def test_the_readme_opens_with_the_two_commands_a_new_user_runs():
    """The README's first two code blocks are one command each, on one line: install apr and
    build the sample; install what the tests need and run them (as .ci/run does)."""
    import re
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", readme, re.M | re.S)
    first, second = (block.strip() for block in blocks[:2])
    assert first == "pip install . && apr build --project sample_inputs --year 2023"
    assert second == "bash scripts/install-test-deps.sh && python -m pytest"
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci
