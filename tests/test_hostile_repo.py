"""Generated files stay out of the repository (issue 13, part 8).

apr writes caches (now outside the project: apr/cache.py), reports (output/), temporary
``.part`` files while writing, and Python writes ``__pycache__``. None of them may be committed:
the sample once carried stale charts under sample_inputs/.apr-cache/.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GENERATED = re.compile(r"(^|/)(\.apr-cache|output|__pycache__|\.pytest_cache|[^/]*\.egg-info)(/|$)"
                       r"|\.part$|\.pyc$|(^|/)~\$|\.swp$")


def _tracked() -> list[str]:
    if not shutil.which("git") or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        pytest.skip("git cannot list the files here")
    return done.stdout.splitlines()


def test_no_generated_file_is_committed():
    committed = [path for path in _tracked() if GENERATED.search(path)
                 and not path.startswith("tests/node/")]
    assert committed == [], f"generated files are committed: {committed[:10]}"


def test_the_pattern_catches_what_apr_and_python_write():
    for path in ("sample_inputs/.apr-cache/charts/0ab7.png", "sample_inputs/output/x.html",
                 "apr/__pycache__/cli.cpython-311.pyc", "out/.report.html.abc.part"):
        assert GENERATED.search(path), path
    for path in ("apr/output.py", "docs/findings.md", "sample_inputs/data/finance.csv"):
        assert not GENERATED.search(path), path


def test_gitignore_keeps_generated_files_out():
    ignore = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in (".apr-cache/", "output/", "__pycache__/", "*.part"):
        assert pattern in ignore, pattern
