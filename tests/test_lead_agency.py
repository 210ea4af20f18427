"""The lead agency model: joint monitoring committee recommendations and s.42(5) recipients."""
from __future__ import annotations

from apr.analysis import recipients
from apr.config import load_config
from tests.report_helpers import build, edit, html_table, project, row, word_table

CAPTION = "Recommendations of the joint monitoring committee, 2023/24"


def _lead_agency(tmp_path, lead: str = 'lead = "health_board"'):
    proj = project(tmp_path)
    edit(proj / "apr.toml", 'model = "ijb"', f'model = "lead_agency"\n{lead}')
    return proj


def test_recipients_for_each_model(tmp_path):
    proj = _lead_agency(tmp_path)
    assert recipients(load_config(proj)) == [
        "the integration joint monitoring committee", "Strathlinn Council, the other authority"]
    edit(proj / "apr.toml", 'lead = "health_board"', 'lead = "council"')
    assert recipients(load_config(proj))[1] == "NHS Linnshire, the other authority"
    edit(proj / "apr.toml", 'lead = "council"', "")
    assert "whichever is not the lead agency" in recipients(load_config(proj))[1]


def test_recommendations_and_responses_are_tabled(tmp_path, monkeypatch):
    proj = _lead_agency(tmp_path)
    (proj / "data" / "jmc_recommendations.csv").write_text(
        "date,recommendation,response\n"
        "2023-09-20,Report delayed discharges by locality every quarter,"
        "A locality breakdown was added to the quarterly performance report from December 2023\n"
        "2022-11-01,An older recommendation,Outside the year\n", encoding="utf-8")
    built = build(proj, monkeypatch)
    for rows in (html_table(built.page, CAPTION), word_table(built.word, CAPTION)):
        assert row(rows, "20 September 2023")[1:] == [
            "Report delayed discharges by locality every quarter",
            "A locality breakdown was added to the quarterly performance report from December 2023"]
        assert len(rows) == 2
    sentence = ("a copy of this report goes to the integration joint monitoring committee and "
                "Strathlinn Council, the other authority")
    assert sentence in built.text and sentence in built.word_text
    assert "the joint monitoring committee made 1 recommendation" in built.text


def test_no_recommendations_is_stated(tmp_path, monkeypatch):
    built = build(_lead_agency(tmp_path), monkeypatch)
    sentence = "The joint monitoring committee made no recommendations in 2023/24."
    assert sentence in built.text and sentence in built.word_text


def test_ijb_report_has_no_joint_monitoring_committee_section(tmp_path, monkeypatch):
    built = build(project(tmp_path), monkeypatch, formats=("html",))
    assert "Joint monitoring committee" not in built.text
