"""The national batch: every partnership built, a broken one reported without stopping others."""
from __future__ import annotations

from click.testing import CliRunner
from lxml import html as lxml_html

from apr import pipeline
from apr.batch import read_settings, run_batch
from apr.batch.synthetic import make_national
from apr.cli import main
from tests.conftest import SAMPLE
from tests.report_helpers import PNG


def test_a_broken_partnership_does_not_stop_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)   # forked workers inherit it
    projects = make_national(SAMPLE, tmp_path, 3)
    (projects[1] / "data" / "finance.csv").write_text("nonsense\n1\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["build", "--all", "--project", str(tmp_path), "--year",
                                    "2023", "--format", "html", "--jobs", "2"])
    assert out.exit_code == 1, out.output
    assert f"{projects[1].name} failed" in out.output
    assert "data.missing_column" in out.output
    assert "built 2 of 3 reports" in out.output
    for ok in (projects[0], projects[2]):
        assert list((ok / "output").glob("*-apr-2023-24.html"))
    page = lxml_html.parse(str(tmp_path / "national" / "national-comparison-2023-24.html"))
    names = {c.text_content() for c in page.getroot().iter("th")}
    assert {"Aberdeen City", "Angus", "Scotland"} <= names and "Aberdeenshire" not in names
    assert (tmp_path / "national" / "national-comparison-2023-24.docx").is_file()


def test_one_national_indicator_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)
    projects = make_national(SAMPLE, tmp_path, 2, national_file=True)
    assert not (projects[0] / "data" / "indicators.csv").exists()
    assert read_settings(tmp_path).national_indicators == tmp_path / "national" / "indicators.csv"
    outcomes = run_batch(tmp_path, 2023, ("html",), jobs=1)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    first, second = (o.values["NI-1"] for o in outcomes)
    assert first[0] != second[0] and first[1] == second[1] == 90.7   # own value, same Scotland
