"""The regulations checklist: a passing and a failing specimen for every requirement.

The passing specimen is the sample partnership. Each failing specimen removes one prescribed
piece of content from a copy of the sample and asserts that the requirement goes to missing.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from apr import compliance
from apr.compliance import MISSING, NOT_APPLICABLE, READING, requirements
from apr.document import nodes as n

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_inputs"


def copy_sample(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output"))
    return project


def run_check(project: Path, mutate_document: Callable | None = None) -> dict:
    """Return {id: RequirementResult} for the project, optionally changing the document first."""
    from apr.analysis import analyse
    from apr.config import ReportingYear, load_config
    from apr.document.build import build_document
    from apr.findings import Findings
    from apr.pipeline import placeholder_chart
    from apr.sources import read_sources

    config = load_config(project)
    inputs, findings = read_sources(config, ReportingYear(2023))
    analysis = analyse(inputs)
    document = build_document(inputs, analysis, placeholder_chart, Findings())
    if mutate_document:
        mutate_document(document)
    return {r.id: r for r in compliance.check(document, inputs, analysis)}


# --- ways to remove content ------------------------------------------------------------------


def delete(rel: str) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        (project / rel).unlink()
    return mutate


def drop_rows(rel: str, pattern: str) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        path = project / rel
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [ln for i, ln in enumerate(lines) if i == 0 or not re.search(pattern, ln)]
        assert len(kept) < len(lines), f"{pattern} matched nothing in {rel}"
        path.write_text("".join(kept), encoding="utf-8")
    return mutate


def edit(rel: str, old: str, new: str, regex: bool = False) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        changed = re.sub(old, new, text, flags=re.M) if regex else text.replace(old, new)
        assert changed != text, f"{old!r} not found in {rel}"
        path.write_text(changed, encoding="utf-8")
    return mutate


def override_template(name: str, text: str = "") -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        (project / "templates").mkdir(exist_ok=True)
        (project / "templates" / name).write_text(text, encoding="utf-8")
    return mutate


def narrative_table_without_caption(document: n.Document) -> None:
    document.blocks.append(n.Table("narrative-table", "", ["A"], [[n.Cell("1")]]))


def figure_without_alt(document: n.Document) -> None:
    figure = next(b for b in document.walk() if isinstance(b, n.Figure))
    figure.alt = ""


def indicator_notes_removed(document: n.Document) -> None:
    table = next(b for b in document.walk() if isinstance(b, n.Table) and b.id == "indicators-all")
    table.notes = []


JMC_HEADER = "date,recommendation,response"
UNPAID_CARERS_2023 = r"^2023/24,Support for unpaid carers,"

# requirement id -> (how to remove its content: a project edit, or ("document", edit))
REMOVALS: dict[str, object] = {
    "s42.2": delete("content/strategic_planning.md"),
    "s42.4.a": edit("apr.toml", "publication_date = 2024-07-31", "publication_date = 2024-08-15"),
    "s42.4.b": delete("content/about.md"),
    "reg3.a.i": delete("content/outcomes/outcome-3.md"),
    "reg3.a.ii": drop_rows("data/indicators.csv", r"^NI-12,"),
    "reg3.a.iii": drop_rows("data/indicators.csv", r"^NI-12,20(1[6-9]|2[0-2])/"),
    "reg3.b": delete("content/principles.md"),
    "reg3.c": delete("data/significant_decisions.csv"),
    "reg4.1.a": drop_rows("data/finance.csv", UNPAID_CARERS_2023),
    "reg4.1.b": override_template("finance.md.j2", "# Financial performance { #finance }\n\n"
                                  "We spent our budget.\n"),
    "reg4.1.c": edit("data/finance.csv", "Two new short breaks projects started in the autumn "
                     "rather than in April as planned.", ""),
    "reg4.2.f": edit("apr.toml", r', care_groups = \["People with mental health problems"\]',
                     "", regex=True),
    "reg4.3": drop_rows("data/finance.csv", r"^2019/20,"),
    "reg5": delete("content/best_value.md"),
    "reg6.a": delete("content/localities/kirkbrae-and-glen.md"),
    "reg6.b": edit("data/localities.csv", r"^(Kirkbrae and Glen,2023/24,\d+),\d+", r"\g<1>,",
                   regex=True),
    "reg7": delete("data/inspections.csv"),
    "reg8": delete("content/plan_review.md"),
    "reg9": edit("apr.toml", 'model = "ijb"', 'model = "lead_agency"'),
    "guidance.annexA.3": delete("content/best_value.md"),
    "guidance.annexA.4": delete("content/outcomes/outcome-7.md"),
    "guidance.annexA.5": drop_rows("data/indicators.csv", r"^NI-15,20(1[6-9]|2[0-2])/"),
    "guidance.annexA.6": override_template("outcomes.md.j2"),
    "guidance.annexA.7": delete("data/significant_decisions.csv"),
    "guidance.annexA.8": delete("content/plan_review.md"),
    "guidance.annexA.9": edit("data/localities.csv", r"^(Upper Strathlinn,2023/24,\d+),\d+",
                              r"\g<1>,", regex=True),
    "guidance.2.1": ("document", figure_without_alt),
    "guidance.scotland": edit("data/indicators.csv", "NI-12,2023,11240,11707,",
                              "NI-12,2023,11240,,"),
    "guidance.notes": ("document", indicator_notes_removed),
}
# Process items a person confirms: nothing in the report can be removed to fail them.
NOTHING_TO_REMOVE = {"guidance.annexA.1", "guidance.annexA.2"}


@pytest.fixture(scope="module")
def sample_results() -> dict:
    return run_check(SAMPLE)


def test_every_requirement_has_a_failing_specimen():
    ids = {r.id for r in requirements()}
    assert set(REMOVALS) | NOTHING_TO_REMOVE == ids


def test_the_sample_passes(sample_results):
    missing = {i: r.detail for i, r in sample_results.items() if r.status == MISSING}
    assert not missing


@pytest.mark.parametrize("req_id", [r.id for r in requirements()])
def test_passing_specimen(req_id, sample_results):
    result = sample_results[req_id]
    assert result.status in (compliance.MET, READING, NOT_APPLICABLE)
    req = next(r for r in requirements() if r.id == req_id)
    if result.status != NOT_APPLICABLE and req.sections:
        assert result.where, "a requirement that is met names where"


@pytest.mark.parametrize("req_id", sorted(REMOVALS))
def test_failing_specimen(req_id, tmp_path):
    project = copy_sample(tmp_path)
    removal = REMOVALS[req_id]
    if isinstance(removal, tuple):
        results = run_check(project, removal[1])
    else:
        removal(project)
        results = run_check(project)
    assert results[req_id].status == MISSING, results[req_id]
    assert results[req_id].detail


@pytest.mark.parametrize("req_id", sorted(NOTHING_TO_REMOVE))
def test_process_items_need_a_person(req_id, sample_results):
    assert sample_results[req_id].status == READING


def test_lead_agency_with_its_recommendations_table(tmp_path):
    project = copy_sample(tmp_path)
    REMOVALS["reg9"](project)
    (project / "data" / "jmc_recommendations.csv").write_text(
        JMC_HEADER + "\n", encoding="utf-8")
    assert run_check(project)["reg9"].status == compliance.MET


def test_no_key_care_groups_is_not_applicable(tmp_path):
    project = copy_sample(tmp_path)
    edit("apr.toml", r"^key_care_groups = .*$", "key_care_groups = []", regex=True)(project)
    edit("apr.toml", r', care_groups = \[[^\]]*\]', "", regex=True)(project)
    assert run_check(project)["reg4.2.f"].status == NOT_APPLICABLE


def test_requirement_ids_follow_statutory_references():
    for req in requirements():
        assert re.fullmatch(r"s42(\.\d+(\.[a-z])?)?|reg\d(\.[0-9a-z]+)*|guidance\.[\w.]+",
                            req.id), req.id
        assert req.judged_by in compliance.JUDGES
        assert req.applies_when in compliance.CONDITIONS
        assert not req.data or req.data in compliance.DATA_CHECKS


def test_the_appendix_says_where_each_regulation_is_met(tmp_path):
    from apr.pipeline import check
    result = check(SAMPLE, 2023)
    assert not result.missing
    assert result.deadline.isoformat() == "2024-07-31"
    assert result.recipients == ["NHS Linnshire", "Strathlinn Council"]


def test_check_json_for_the_sample():
    from click.testing import CliRunner

    from apr.cli import main
    out = CliRunner().invoke(main, ["check", "--project", str(SAMPLE), "--year", "2023",
                                    "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["ok"] is True
    assert data["deadline"] == "2024-07-31"
    assert data["recipients"] == ["NHS Linnshire", "Strathlinn Council"]
    by_id = {r["id"]: r for r in data["requirements"]}
    assert [r.id for r in requirements()] == list(by_id)
    assert by_id["reg5"]["status"] == "needs reading"
    assert by_id["reg5"]["anchors"] == ["best-value"]
    assert by_id["reg4.1.a"]["status"] == "met"
    assert by_id["reg9"]["status"] == "not applicable"
    assert set(by_id["reg7"]) == {"id", "requirement", "source", "status", "where", "anchors",
                                  "detail"}


def test_check_text_exits_1_and_names_what_is_missing(tmp_path):
    from click.testing import CliRunner

    from apr.cli import main
    project = copy_sample(tmp_path)
    delete("content/best_value.md")(project)
    out = CliRunner().invoke(main, ["check", "--project", str(project), "--year", "2023"])
    assert out.exit_code == 1
    assert "MISSING  reg5:" in out.stdout
    assert "content/best_value.md" in out.stdout
    assert "publish by 31 July 2024" in out.stdout


def test_board_date_after_deadline_warns(tmp_path):
    from apr.pipeline import check
    project = copy_sample(tmp_path)
    edit("apr.toml", "board_date = 2024-06-26", "board_date = 2024-09-25")(project)
    result = check(project, 2023)
    codes = [f.code for f in result.findings]
    assert codes == ["dates.board_after_deadline"]
    assert "25 September 2024" in result.findings[0].message


def test_docs_list_every_requirement():
    text = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    for req in requirements():
        assert f"| `{req.id}` |" in text, f"{req.id} is not in docs/check.md"
    for name in compliance.DATA_CHECKS:
        assert f"| {name} |" in text, f"data check {name} is not in docs/check.md"
