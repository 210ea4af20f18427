"""Best value evidence, significant decisions (including none) and the strategic plan review."""
from __future__ import annotations

import pytest

from tests.report_helpers import build, build_once, edit, project


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    yield from build_once(tmp_path_factory, "gov")


def test_best_value_evidence_from_the_data(sample):
    for text in (sample.text, sample.word_text):
        assert "Savings: £5.1m of the £6.2m planned (82%), £3.9m of it recurring." in text
        assert "Reserves: £9.0m at 31 March 2024, down from £12.9m" in text
        assert ("External audit: Carrick Whyte LLP gave an unqualified opinion on the 2022/23 "
                "annual accounts.") in text
        assert "core integration indicators with a Scotland figure" in text


def test_without_an_audit_opinion_the_draft_asks_for_it(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", 'audit_opinion = "unqualified"\n', "")
    built = build(proj, monkeypatch, formats=("html",))
    assert "To be completed: the external auditor's opinion on the annual accounts" in built.text
    found = [f for f in built.result.findings if f.location.column == "best_value.audit_opinion"]
    assert [f.code for f in found] == ["placeholder.template"]
    assert found[0].message.endswith("; set it in apr.toml")


def test_bad_audit_opinion_is_a_config_error(tmp_path):
    from apr.config import load_config
    from apr.findings import AprError
    proj = project(tmp_path)
    edit(proj / "apr.toml", 'audit_opinion = "unqualified"', 'audit_opinion = "clean"')
    with pytest.raises(AprError) as exc:
        load_config(proj)
    assert [f.code for f in exc.value.findings] == ["config.bad_choice"]


def test_significant_decisions_counted_with_dates_and_reasons(sample):
    for text in (sample.text, sample.word_text):
        assert "the board took 2 significant decisions to which section 36 applied" in text
        assert "(30 August 2023). Reason: It changes how and where long-stay" in text


def test_no_significant_decisions_says_none(tmp_path, monkeypatch):
    proj = project(tmp_path)
    (proj / "data" / "significant_decisions.csv").write_text("date,decision,reason\n",
                                                             encoding="utf-8")
    built = build(proj, monkeypatch)
    sentence = ("In 2023/24 the board took no significant decisions to which section 36 "
                "applied.")
    assert sentence in built.text and sentence in built.word_text


def test_decisions_outside_the_year_are_not_counted(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "data" / "significant_decisions.csv", "2023-08-30,", "2022-08-30,")
    built = build(proj, monkeypatch, formats=("html",))
    assert "the board took 1 significant decision to which section 36 applied" in built.text


def test_plan_reviewed_without_change(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "changed = true", "changed = false")
    built = build(proj, monkeypatch, formats=("html",))
    assert "The review did not change the plan: it remains in force as approved." in built.text


def test_plan_not_reviewed(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "reviewed = true", "reviewed = false")
    edit(proj / "apr.toml", "changed = true", "changed = false")
    (proj / "content" / "plan_review.md").unlink()
    built = build(proj, monkeypatch, formats=("html",))
    assert ("Strathlinn Strategic Plan 2022 to 2025 was not reviewed during 2023/24. Section 37 "
            "of the Act requires a review at least every three years.") in built.text
    assert "narrative.missing" not in built.codes()
