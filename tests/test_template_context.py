"""The template context is a documented contract: every name, function and filter has help."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from apr.cli import main
from apr.document import board_paper, build
from apr.document.context import FILTERS, FUNCTIONS, VARIABLES, areas, describe
from apr.wording import compare as compare_words

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"


class Captured(Exception):
    pass


def captured_render(module, monkeypatch) -> tuple[jinja2.Environment, dict]:
    """Run the stage that renders MODULE's master template and return (env, context) it used."""
    from apr.analysis import analyse
    from apr.config import ReportingYear, load_config
    from apr.findings import Findings
    from apr.sources import read_sources
    seen: dict = {}

    def fake_render(env, name, context):
        seen.update(env=env, context=context)
        raise Captured

    monkeypatch.setattr(module, "render", fake_render)
    inputs, _ = read_sources(load_config(SAMPLE), ReportingYear(2023))
    analysis = analyse(inputs)
    with pytest.raises(Captured):
        if module is build:
            build.build_document(inputs, analysis, lambda spec: b"", Findings())
        else:
            board_paper.build_board_paper(inputs, analysis, Findings())
    return seen["env"], seen["context"]


@pytest.mark.parametrize("module", [build, board_paper], ids=["report", "board_paper"])
def test_every_context_name_is_documented(module, monkeypatch):
    env, context = captured_render(module, monkeypatch)
    undocumented = sorted(set(context) - set(VARIABLES) - set(FUNCTIONS))
    assert undocumented == [], f"add help for {undocumented} to VARIABLES in context.py"
    assert all(help.strip() for help in (*VARIABLES.values(), *FUNCTIONS.values()))


@pytest.mark.parametrize("module", [build, board_paper], ids=["report", "board_paper"])
def test_every_filter_apr_adds_is_documented(module, monkeypatch):
    env, _ = captured_render(module, monkeypatch)
    ours = set(env.filters) - set(jinja2.Environment().filters)
    assert ours and ours <= set(FILTERS)
    assert all(FILTERS[name].strip() for name in ours)


def test_templates_context_prints_every_name_with_its_help():
    result = CliRunner().invoke(main, ["templates", "context"])
    assert result.exit_code == 0
    for kind, name, help_text in describe():
        assert name in result.output, name
        assert help_text.split()[0] in result.output
    assert all(len(line) <= 100 for line in result.output.splitlines())
    assert "money_words(value)" in result.output
    assert 'compare(a, b, higher_is_better=True, unit="")' in result.output
    assert "{{ value | money_words }}" in result.output


@pytest.mark.parametrize("a, b, better, unit, words", [
    (52.3, 50.0, True, "%", "2.3 percentage points higher (better) than"),
    (10, 12, False, "", "lower (better) than"),
    (10, 12, True, "", "lower (worse) than"),
    (7.04, 7.0, True, "%", "the same as"),
    (30, 22, None, "days", "8 days higher than"),
    (None, 3, True, "", "not comparable with"),
])
def test_compare_words(a, b, better, unit, words):
    assert compare_words(a, b, better, unit) == words


DOCS = Path(__file__).resolve().parent.parent / "docs" / "template-context.md"


def test_the_context_reference_in_docs_is_current(request):
    """docs/template-context.md is `apr templates context --markdown`, regenerated with
    `pytest tests/test_template_context.py --update-golden`."""
    result = CliRunner().invoke(main, ["templates", "context", "--markdown"])
    assert result.exit_code == 0
    if request.config.update_golden:
        DOCS.write_text(result.output, encoding="utf-8")
    hint = ("docs/template-context.md is out of date: run `apr templates context --markdown > "
            "docs/template-context.md`")
    assert DOCS.read_text(encoding="utf-8") == result.output, hint


def test_every_variable_belongs_to_one_area_with_help():
    seen = [name for _, names in areas() for name, _ in names]
    assert len(seen) == len(set(seen)) == len(VARIABLES)
    assert [title for title, _ in areas()][0] == (
        "The partnership, the reporting year and the report's duties (every template).")
    assert all(help_text.strip() for _, names in areas() for _, help_text in names)


def test_the_reference_groups_variables_by_area():
    result = CliRunner().invoke(main, ["templates", "context"])
    lines = result.output.splitlines()
    area = lines.index("The board cover paper only (board_paper.md.j2).")
    first = "    Board paper template only: how many of the statutory requirements that apply the"
    assert lines[area + 2:area + 4] == ["regulations", first + " report meets"]
