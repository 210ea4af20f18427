"""The cover's pictures named in apr.toml are checked like narrative pictures, and the data
behind the charts moves to a closing appendix: always in Word, in HTML when asked (for print)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from apr.config import load_config
from apr.document import nodes as n
from apr.document.chart_data import move_chart_data
from apr.findings import AprError
from apr.writers.html import render_html
from tests.conftest import copy_sample

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
PNG = (SAMPLE / "content" / "images" / "home-first.png").read_bytes()


def _with_report_settings(root: Path, lines: str) -> None:
    """Replace the sample's cover settings in apr.toml with ``lines``."""
    toml = root / "apr.toml"
    text = re.sub(r"^(logo|cover_image|cover_image_alt) = .*\n", "", toml.read_text("utf-8"),
                  flags=re.M)
    toml.write_text(text.replace("[report]\n", "[report]\n" + lines, 1), encoding="utf-8")


@pytest.mark.parametrize("lines, problem", [
    ('logo = "../logo.png"\n', "'report.logo' must name a file inside the project"),
    ('logo = "content/images/none.png"\n', "names content/images/none.png, which does not"),
    ('logo = "apr.toml"\n', "is not a PNG or JPEG file"),
    ('cover_image = "content/images/home-first.png"\n', "needs 'report.cover_image_alt'"),
])
def test_bad_cover_pictures_are_errors_naming_the_setting(tmp_path, lines, problem):
    root = copy_sample(tmp_path / "p")
    _with_report_settings(root, lines)
    with pytest.raises(AprError) as caught:
        load_config(root)
    found = [f for f in caught.value.findings if f.code == "config.cover_picture"]
    assert len(found) == 1 and problem in found[0].message, found


def test_good_cover_pictures_load(tmp_path):
    root = copy_sample(tmp_path / "p")
    _with_report_settings(root, 'logo = "content/images/home-first.png"\ncover_image = '
                                '"content/images/home-first.png"\ncover_image_alt = "A house"\n')
    report = load_config(root).settings.report
    assert (report.logo, report.cover_image_alt) == ("content/images/home-first.png", "A house")


def _document() -> n.Document:
    data = n.Table("data-a", "Data for the chart", ["Year", "Value"],
                   [[n.Cell("2023/24", header=True), n.Cell("12", "right")]])
    chart = n.Figure("fig-a", "Falls, Strathlinn and Scotland", "A line chart of falls", PNG,
                     data=data)
    picture = n.Figure("image-b", "A house", "A drawing of a house", PNG)
    meta = n.DocumentMeta("Report", "", "", "", "Board", "")
    blocks = [n.Heading(1, "Outcomes", "outcomes"), n.Callout("Case", [picture]), chart,
              n.Heading(1, "Appendix 2: Glossary", "glossary")]
    return n.Document(meta, blocks)


def test_chart_data_moves_to_a_numbered_appendix_and_the_chart_points_to_it():
    doc = _document()
    moved = move_chart_data(doc)
    assert doc.blocks[2].data is not None                      # the original is unchanged
    chart = moved.blocks[2]
    assert chart.data is None
    assert chart.data_note.text == ("The figures behind this chart are in Appendix 3: Data for Figure 2.")
    assert [r.link for r in chart.data_note.runs if r.link] == ["#data-a"]
    heading = moved.headings(1)[-1]
    assert (heading.text, heading.id) == ("Appendix 3: Data for the charts", "appendix-chart-data")
    table = moved.blocks[-1]
    assert isinstance(table, n.Table) and not table.numbered
    assert table.caption == "Data for Figure 2: Falls, Strathlinn and Scotland"   # 2: after
    assert move_chart_data(moved) is moved                     # the picture in the callout


def test_html_keeps_the_data_beside_the_chart_unless_asked_for_the_appendix():
    beside = lxml_html.fromstring(render_html(_document()))
    assert beside.xpath("//figure//table") and "Data for the charts" not in beside.text_content()
    appendix = lxml_html.fromstring(render_html(_document(), chart_data="appendix"))
    assert not appendix.xpath("//figure//table")
    caption = appendix.xpath("//table/caption")[0].text_content()
    assert caption == "Data for Figure 2: Falls, Strathlinn and Scotland"
    link = appendix.xpath("//figure//a")[0]
    assert appendix.xpath(f"//table[@id='{link.get('href')[1:]}']")
    with pytest.raises(ValueError, match="chart_data must be one of beside, appendix"):
        render_html(_document(), chart_data="margin")
