"""The chart cache: a second build draws no chart, changed data redraw, output is identical."""
from __future__ import annotations

from pathlib import Path

from apr import pipeline
from apr.charts.batch import cache_dir
from tests.conftest import copy_sample


def _build(project: Path):
    result = pipeline.build(project, 2023, ("docx", "html"))
    return result, {p.suffix: p.read_bytes() for p in result.outputs}


def test_second_build_draws_nothing_and_changed_data_redraws(tmp_path):
    project = copy_sample(tmp_path / "project")
    first, scratch = _build(project)
    assert first.charts.drawn > 0 and first.charts.cached == 0
    assert len(list(cache_dir(project).glob("*.png"))) == first.charts.drawn

    second, cached = _build(project)
    assert second.charts.drawn == 0
    assert second.charts.cached == first.charts.drawn
    assert cached == scratch, "a build from the cache must be byte-identical to one from scratch"

    data = project / "data" / "indicators.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("NI-1,2023/24,91.2",
                                                             "NI-1,2023/24,89.9"),
                    encoding="utf-8")
    third, _ = _build(project)
    assert 1 <= third.charts.drawn < first.charts.drawn


def test_a_substitute_drawer_is_never_cached(tmp_path, monkeypatch):
    project = copy_sample(tmp_path / "project")
    from tests.report_helpers import PNG
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)
    result = pipeline.build(project, 2023, ("html",))
    assert result.charts.drawn > 0
    assert not cache_dir(project).exists()
