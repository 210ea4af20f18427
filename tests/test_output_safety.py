"""Outputs are never lost or half-written, and the same inputs give the same bytes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from apr import pipeline
from apr.findings import AprError

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("output"))
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_failed_build_leaves_the_previous_report_untouched(project, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    first = pipeline.build(project, 2023, ("docx", "html"))
    assert len(first.outputs) == 2
    before = _snapshot(project / "output")
    finance = project / "data" / "finance.csv"
    finance.write_text(finance.read_text(encoding="utf-8").replace(",32594,", ",abc,"),
                       encoding="utf-8")
    with pytest.raises(AprError) as exc:
        pipeline.build(project, 2023, ("docx", "html"))
    assert "data.bad_amount" in [f.code for f in exc.value.findings]
    assert _snapshot(project / "output") == before
    assert not list((project / "output").glob("*.part"))


def test_a_failure_while_writing_leaves_no_part_files(project, monkeypatch, tmp_path):
    target = project / "output" / "report.html"
    target.parent.mkdir()
    target.write_bytes(b"previous")

    class Boom(Exception):
        pass

    def broken_replace(src, dst):
        raise Boom()

    from apr import output
    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(Boom):
        pipeline.write_all({"html": b"new"}, {"html": target})
    assert target.read_bytes() == b"previous"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_strict_fails_on_a_missing_requirement_and_writes_nothing(project, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    (project / "content" / "best_value.md").unlink()
    with pytest.raises(AprError) as exc:
        pipeline.build(project, 2023, ("html",), strict=True)
    # one finding for one problem: the missing narrative, not also the requirement it serves
    assert [f.code for f in exc.value.findings] == ["narrative.missing"]
    assert not (project / "output").exists()
    result = pipeline.build(project, 2023, ("html",))
    assert [f.code for f in result.findings.warnings] == ["narrative.missing"]


def test_the_report_carries_the_regulations_appendix(project, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    result = pipeline.build(project, 2023, ("html",))
    table = next(b for b in result.document.blocks if getattr(b, "id", "") ==
                 "appendix-regulations" and hasattr(b, "rows"))
    assert len(table.rows) >= 15
    first = {row[0].text.split(" (")[0]: row for row in table.rows}
    best_value = next(r for k, r in first.items() if k.startswith("An assessment of the "
                                                                  "arrangements made to secure"))
    assert best_value[1].text == "Best value"
    html = result.outputs[0].read_text(encoding="utf-8")
    assert "Where to find each thing the law asks for" in html


def test_the_same_inputs_give_the_same_bytes(project):
    first = pipeline.build(project, 2023, ("docx", "html"))
    one = _snapshot(project / "output")
    shutil.rmtree(project / "output")
    pipeline.build(project, 2023, ("docx", "html"))
    two = _snapshot(project / "output")
    assert sorted(one) == sorted(p.name for p in first.outputs)
    for name in one:
        assert one[name] == two[name], f"{name} differs between two builds"
