"""Shared pytest configuration for apr.

Kept deliberately small. Other fixtures (sample inputs, built reports, a shared browser...)
may be added here later; helpers for external checkers live in tests/browser.py.
"""

from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden/expected output files instead of comparing against them",
    )


def pytest_configure(config):
    # Tests read this as `request.config.update_golden`.
    config.update_golden = config.getoption("--update-golden")


# ---------------------------------------------------------------------------------------------
# The sample partnership, built once per test session in a temporary copy.

import shutil  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# apr keeps compiled templates and charts in a per-user cache (apr/cache.py); the tests use one
# of their own, shared by the session, never the developer's ~/.cache/apr.
import os  # noqa: E402
import tempfile  # noqa: E402

os.environ.setdefault("APR_CACHE_DIR", tempfile.mkdtemp(prefix="apr-test-cache-"))
SAMPLE = REPO / "sample_inputs"


def copy_sample(dest: Path) -> Path:
    """Copy sample_inputs (without any built output or cache) to ``dest`` and return it."""
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    return dest


@dataclass
class BuiltSample:
    project: Path
    docx: Path
    html: Path
    result: object


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> BuiltSample:
    """The sample report built in Word and HTML, in a session-wide temporary copy."""
    from apr.pipeline import build
    project = copy_sample(tmp_path_factory.mktemp("built") / "sample")
    result = build(project, 2023, ("docx", "html"))
    by_suffix = {p.suffix: p for p in result.outputs}
    return BuiltSample(project, by_suffix[".docx"], by_suffix[".html"], result)


# ---------------------------------------------------------------------------------------------
# The sample report and its summary in every format (Word, HTML, PDF), for the publication
# and accessibility tests. Built once per session; printing the PDF takes Chromium a few seconds.

@dataclass
class Publication:
    project: Path
    report: dict  # format -> Path of the full report
    summary: dict  # format -> Path of the summary
    document: object  # the report's Document (nodes)
    summary_document: object


@pytest.fixture(scope="session")
def publication(tmp_path_factory) -> Publication:
    """The sample report and summary built as .docx, .html and .pdf in a temporary copy."""
    from apr.pipeline import build
    project = copy_sample(tmp_path_factory.mktemp("publication") / "sample")
    formats = ("docx", "html", "pdf")
    report = build(project, 2023, formats)
    summary = build(project, 2023, formats, summary=True)
    return Publication(project, {p.suffix[1:]: p for p in report.outputs},
                       {p.suffix[1:]: p for p in summary.outputs}, report.document,
                       summary.document)
