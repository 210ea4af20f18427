"""The scenario projects of tests/roots/ build, each as its README says."""
from __future__ import annotations

import pytest

from tests.report_helpers import build
from tests.scenarios import ROOTS, copy_root, root_names


def test_every_scenario_is_listed_in_the_readme():
    readme = (ROOTS / "README.md").read_text(encoding="utf-8")
    assert root_names() == ["finance-in-millions", "lead-agency", "minimal", "one-year"]
    assert all(f"| `{name}/` |" in readme for name in root_names())


@pytest.mark.parametrize("name", root_names())
def test_every_scenario_builds_a_draft(tmp_path, monkeypatch, name):
    built = build(copy_root(name, tmp_path), monkeypatch)
    assert not [f for f in built.result.findings if f.severity == "error"]
    assert "Minimal Health and Social Care Partnership" in built.text
    assert "Minimal Health and Social Care Partnership" in built.word_text


def test_finance_in_millions_reads_in_millions(tmp_path, monkeypatch):
    built = build(copy_root("finance-in-millions", tmp_path), monkeypatch, formats=("html",))
    assert "£32.0m" in built.text and "£32.3m" in built.text


def test_copy_root_names_the_scenarios_there_are(tmp_path):
    with pytest.raises(AssertionError, match="no scenario 'minmal'; there are"):
        copy_root("minmal", tmp_path)
