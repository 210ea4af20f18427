"""The web pages' look set in apr.toml and styles/ (issue 15 part 3): each bad setting or
stylesheet is a located error, found when apr.toml is read, before anything is built."""
from __future__ import annotations

import pytest

from apr.config import load_config
from apr.findings import AprError
from tests.conftest import copy_sample


def _findings(tmp_path, report_lines: str, css: str = ""):
    project = copy_sample(tmp_path / "sample")
    toml = project / "apr.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[report]\n",
                                                             f"[report]\n{report_lines}", 1),
                    encoding="utf-8")
    if css:
        (project / "styles").mkdir()
        (project / "styles" / "house.css").write_text(css, encoding="utf-8")
    with pytest.raises(AprError) as exc:
        load_config(project)
    return [f for f in exc.value.findings if f.severity == "error"]


def test_an_accent_colour_without_aa_contrast_is_refused_at_its_line(tmp_path):
    [found] = _findings(tmp_path, 'accent_colour = "#e080b0"\n')
    assert found.code == "config.accent_colour"
    assert found.location.column == "report.accent_colour" and found.location.row
    assert "#e080b0" in found.message and "4.5:1" in found.message


def test_a_link_not_written_as_text_and_address_is_refused(tmp_path):
    [found] = _findings(tmp_path, 'footer_links = ["Accessibility statement"]\n')
    assert found.code == "config.web_link"
    assert found.message == (
        "'report.footer_links' items are written \"[text](address)\", such as \"[Contact us]"
        "(https://www.example.org/contact)\", with a web (https://), mail (mailto:) or relative "
        "address; found 'Accessibility statement'")


def test_a_project_stylesheet_that_closes_the_style_element_is_refused(tmp_path):
    [found] = _findings(tmp_path, "", css="a { color: red }\n</style><script>alert(1)</script>")
    assert found.code == "style.stylesheet"
    assert found.location.file.endswith("styles/house.css") and found.location.row == 2
