"""The chart cache: a second build draws no chart, changed data redraw, output is identical."""
from __future__ import annotations

from pathlib import Path

from apr import pipeline
from apr.charts.batch import cache_dir
from tests.conftest import copy_sample


def _build(project: Path):
    result = pipeline.build(project, 2023, ("docx", "html"))
    return result, {p.suffix: p.read_bytes() for p in result.outputs}


def test_second_build_draws_nothing_and_changed_data_redraws(tmp_path, monkeypatch):
    monkeypatch.setenv("APR_CACHE_DIR", str(tmp_path / "cache"))   # an empty cache of its own
    project = copy_sample(tmp_path / "project")
    first, scratch = _build(project)
    assert first.charts.drawn > 0 and first.charts.cached == 0
    assert cache_dir(project) == tmp_path / "cache" / "charts"
    assert len(list(cache_dir(project).glob("*.png"))) == first.charts.drawn
    assert not (project / ".apr-cache").exists(), "nothing is cached in the project folder"

    second, cached = _build(project)
    assert second.charts.drawn == 0
    assert second.charts.cached == first.charts.drawn
    assert cached == scratch, "a build from the cache must be byte-identical to one from scratch"

    data = project / "data" / "indicators.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("NI-1,2023/24,91.2",   # inside
                                                             "NI-1,2023/24,91.9"),  # its 95% CI
                    encoding="utf-8")
    third, _ = _build(project)
    assert 1 <= third.charts.drawn < first.charts.drawn


def test_a_substitute_drawer_is_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("APR_CACHE_DIR", str(tmp_path / "cache"))
    project = copy_sample(tmp_path / "project")
    from tests.report_helpers import PNG
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)
    result = pipeline.build(project, 2023, ("html",))
    assert result.charts.drawn > 0
    assert not list(cache_dir(project).iterdir())


def test_a_first_build_starts_importing_matplotlib_at_once(tmp_path, monkeypatch):
    """prestart: with an empty chart cache every chart will be drawn, so the process the
    drawing workers fork from is started at the beginning of the build; with charts cached,
    or no pool allowed, it is not."""
    from multiprocessing import forkserver

    from apr.charts import batch
    started = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: started.append(True))
    monkeypatch.setattr(batch, "_server_started", False)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(batch.sys, "platform", "linux")

    batch.set_max_workers(1)
    batch.prestart(tmp_path / "empty")
    batch.set_max_workers(None)
    assert started == []

    filled = tmp_path / "filled"
    filled.mkdir()
    (filled / "0123.png").write_bytes(b"png")
    batch.prestart(filled)
    assert started == []

    monkeypatch.setattr(batch.sys, "platform", "darwin")
    batch.prestart(tmp_path / "missing")
    assert started == []

    monkeypatch.setattr(batch.sys, "platform", "linux")
    batch.prestart(tmp_path / "missing")
    assert started == [True] and batch._server_started
    assert batch._context().get_start_method() == "forkserver"


def test_the_drawing_server_does_not_hold_the_output_open():
    """Whoever reads apr's output through a pipe waits until every process holding it ends:
    the server process must let go of it before its long import."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", "import apr.charts.server, sys\n"
                           "print('still attached')\nsys.stderr.write('still attached')"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0
    assert done.stdout == "" and done.stderr == ""


def test_charts_are_drawn_here_when_the_pool_breaks(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from apr.charts import ChartSpec, Series, batch

    class Broken:
        def __init__(self, *args, **kwargs):
            raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    specs = [ChartSpec("line", f"Chart {i}", ["2022/23", "2023/24"], [Series("A", [i, i + 1])])
             for i in range(batch.PARALLEL_FROM)]
    pngs = batch.draw_all(specs, None)
    assert len(pngs) == len(specs) and all(p.startswith(b"\x89PNG") for p in pngs)


def test_the_cache_key_covers_every_module_that_draws():
    """A change to any drawing module must redraw every chart: each module of apr/charts is in
    the key, but the cache and pool (batch.py) and the worker parent (server.py)."""
    from apr.charts import batch
    modules = {p.name for p in Path(batch.__file__).parent.glob("*.py")}
    assert modules - {"batch.py", "server.py"} == set(batch.DRAWING_CODE)
