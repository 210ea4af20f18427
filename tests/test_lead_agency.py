"""The lead agency model: joint monitoring committee recommendations and s.42(5) recipients,
on the scenarios tests/roots/lead-agency (one recommendation in 2023/24, one before) and
tests/roots/minimal (an integration joint board)."""
from __future__ import annotations

from apr.analysis import recipients
from apr.config import load_config
from tests.report_helpers import build, edit, html_table, row, word_table
from tests.scenarios import copy_root

CAPTION = "Recommendations of the joint monitoring committee, 2023/24"


def test_recipients_for_each_model(tmp_path):
    proj = copy_root("lead-agency", tmp_path)
    assert recipients(load_config(proj)) == [
        "the integration joint monitoring committee", "Minimal Council, the other authority"]
    edit(proj / "apr.toml", 'lead = "health_board"', 'lead = "council"')
    assert recipients(load_config(proj))[1] == "NHS Minimal, the other authority"
    edit(proj / "apr.toml", 'lead = "council"', "")
    assert "whichever is not the lead agency" in recipients(load_config(proj))[1]


def test_recommendations_and_responses_are_tabled(tmp_path, monkeypatch):
    built = build(copy_root("lead-agency", tmp_path), monkeypatch)
    for rows in (html_table(built.page, CAPTION), word_table(built.word, CAPTION)):
        assert row(rows, "20 September 2023")[1:] == [
            "Report delayed discharges by locality every quarter",
            "A locality breakdown was added to the quarterly performance report from December 2023"]
        assert len(rows) == 2
    sentence = ("a copy of this report goes to the integration joint monitoring committee and "
                "Minimal Council, the other authority")
    assert sentence in built.text and sentence in built.word_text
    assert "the joint monitoring committee made 1 recommendation" in built.text


def test_no_recommendations_is_stated(tmp_path, monkeypatch):
    proj = copy_root("lead-agency", tmp_path)
    (proj / "data" / "jmc_recommendations.csv").unlink()
    built = build(proj, monkeypatch)
    sentence = "The joint monitoring committee made no recommendations in 2023/24."
    assert sentence in built.text and sentence in built.word_text


def test_ijb_report_has_no_joint_monitoring_committee_section(tmp_path, monkeypatch):
    built = build(copy_root("minimal", tmp_path), monkeypatch, formats=("html",))
    assert "Joint monitoring committee" not in built.text
