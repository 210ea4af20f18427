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
