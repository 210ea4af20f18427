"""Every finding code documented in docs/findings.md is named in at least one test, so a
change that stops apr reporting it (or reports it with other words) fails somewhere.

The tests for the codes no older module names are grouped by area in test_findings_*.py: each
builds a real scenario (tests/roots/) that triggers the code and asserts the finding word for
word."""
from __future__ import annotations

from pathlib import Path

from tests.test_findings_docs import documented

TESTS = Path(__file__).resolve().parent
# these modules list codes without triggering them
NOT_TRIGGERS = {"test_findings_named.py", "test_findings_docs.py"}


def test_documented_codes_are_read():
    assert {"config.syntax", "data.bad_year", "template.unknown_figure"} <= documented()


def test_every_documented_code_is_named_in_a_test():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("*.py"))
                     if p.name not in NOT_TRIGGERS)
    unnamed = sorted(code for code in documented() if code not in text)
    assert not unnamed, ("finding codes no test names; add a scenario that triggers each "
                         f"(tests/test_findings_*.py): {', '.join(unnamed)}")
