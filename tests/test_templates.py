"""Templates that planning teams own: overrides, the context contract, errors word for word."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from apr.cli import main
from apr.resources import templates_dir
from tests.report_helpers import unwrap

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the sample project at ./proj, with the current folder set to its parent."""
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "proj"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    (dest / "templates").mkdir()
    return dest


def override(project: Path, name: str, text: str) -> None:
    (project / "templates" / name).write_text(text, encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_html(project: Path):
    return run("build", "--project", project.name, "--year", "2023", "--format", "html")


def html_of(project: Path) -> str:
    return next((project / "output").glob("*-apr-2023-24.html")).read_text(encoding="utf-8")


# -- overrides ----------------------------------------------------------------------------------

def test_an_override_replaces_the_default_section(project):
    override(project, "foreword.md.j2", "# Foreword { #foreword }\n\nA word from our Chair.\n")
    result = build_html(project)
    assert result.exit_code == 0, result.output
    page = html_of(project)
    assert "A word from our Chair." in page
    assert "Financial performance" in page          # the other sections are still apr's


def test_an_override_can_extend_the_default_it_replaces(project):
    override(project, "finance.md.j2", '{% extends "default:finance.md.j2" %}\n'
             "{% block heading %}# Money matters { #finance }{% endblock %}\n"
             "{% block body %}Our own opening words.\n\n{{ super() }}{% endblock %}\n")
    result = build_html(project)
    assert result.exit_code == 0, result.output
    page = html_of(project)
    assert "Money matters" in page and "Our own opening words." in page
    assert "Spend by category" in page              # super() kept the default body


def test_templates_list_shows_which_copy_wins(project):
    override(project, "foreword.md.j2", "# Foreword\n")
    result = run("templates", "list", "--project", "proj")
    assert result.exit_code == 0
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[:-1]}
    assert lines["foreword.md.j2"] == ["project", "proj/templates/foreword.md.j2"]
    assert lines["finance.md.j2"][0] == "default"
    assert lines["board_paper.md.j2"][0] == "default"


def test_eject_copies_the_default_and_refuses_to_overwrite(project):
    result = run("templates", "eject", "finance", "--project", "proj")
    assert result.exit_code == 0
    copied = project / "templates" / "finance.md.j2"
    assert copied.read_text() == (templates_dir() / "finance.md.j2").read_text()
    copied.write_text("mine")
    again = CliRunner().invoke(main, ["templates", "eject", "finance.md.j2", "--project", "proj"])
    assert again.exit_code == 1
    assert again.stderr == ("apr: proj/templates/finance.md.j2 already exists; edit it, or add "
                            "--force to replace it with apr's default (your changes would be "
                            "lost).\n")
    assert copied.read_text() == "mine"
    assert run("templates", "eject", "finance.md.j2", "--project", "proj", "--force").exit_code == 0
    assert copied.read_text() != "mine"


def test_eject_suggests_a_name_it_knows():
    result = CliRunner().invoke(main, ["templates", "eject", "finanse.md.j2"])
    assert result.exit_code == 1
    assert result.stderr == ("apr: apr has no template 'finanse.md.j2' (did you mean "
                             "'finance.md.j2'?); `apr templates list` shows them all.\n")


# -- errors: the exact message on stderr, exit status 1 -----------------------------------------

STOPPED = "apr: stopped with 1 error; nothing was written and the previous report is unchanged.\n"


def error_of(project: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--project", project.name, "--year", "2023",
                                       "--format", "html"])
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(STOPPED)
    assert not (project / "output").exists()
    return unwrap(result.stderr[: -len(STOPPED)])


def test_unknown_name_gives_file_line_and_suggestion(project):
    override(project, "foreword.md.j2", "# Foreword\n\nWe have {{ localites | length }} areas.\n")
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:3: error: unknown name 'localites' (did you mean "
        "'localities'?); `apr templates context` lists every name a template can use "
        "[template.undefined_name]\n")


def test_unknown_field_names_the_variable_and_suggests_a_field(project):
    override(project, "foreword.md.j2", "# Foreword\n\n\n\n{{ partnership.nmae }}\n")
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:5: error: 'partnership' has no field 'nmae' (did you "
        "mean 'name'?); `apr templates context` lists every name a template can use "
        "[template.undefined_name]\n")


def test_line_is_the_line_in_an_extending_override(project):
    override(project, "finance.md.j2", '{% extends "default:finance.md.j2" %}\n\n'
             "{% block body %}\nFirst line.\n\n{{ finanse.current }}\n{% endblock %}\n")
    assert error_of(project) == (
        "proj/templates/finance.md.j2:6: error: unknown name 'finanse' (did you mean "
        "'finance'?); `apr templates context` lists every name a template can use "
        "[template.undefined_name]\n")


def test_a_typo_inside_an_include_names_the_included_file(project):
    override(project, "foreword.md.j2", '# Foreword\n\n{% include "_thanks.md.j2" %}\n')
    override(project, "_thanks.md.j2", "Thank you to all {{ number(partnership.populaton) }}.\n")
    assert error_of(project) == (
        "proj/templates/_thanks.md.j2:1: error: 'partnership' has no field 'populaton' (did you "
        "mean 'population'?); `apr templates context` lists every name a template can use "
        "[template.undefined_name]\n")


def test_syntax_error_gives_file_and_line(project):
    override(project, "foreword.md.j2", "# Foreword\n\n{% if is_draft %}\nDraft.\n{% endfi %}\n")
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:5: error: Encountered unknown tag 'endfi'. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that "
        "needs to be closed is 'if'; check that every {% ... %} tag is closed and spelt "
        "correctly [template.syntax]\n")


def test_missing_include_gives_file_line_and_suggestion(project):
    override(project, "foreword.md.j2", '# Foreword\n\n{% include "_outcom.md.j2" %}\n')
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:3: error: template '_outcom.md.j2' was not found (did "
        "you mean '_outcome.md.j2'?); `apr templates list` shows the templates there are "
        "[template.not_found]\n")


@pytest.mark.parametrize("expression, attribute, kind", [
    ("''.__class__", "__class__", "str"),
    ("report.project_dir.joinpath('apr.toml').read_text()", "joinpath", "PosixPath"),
    ("localities.append(1)", "append", "list"),
])
def test_unsafe_code_is_refused(project, expression, attribute, kind):
    override(project, "foreword.md.j2", "# Foreword\n\n{{ %s }}\n" % expression)
    assert error_of(project) == (
        f"proj/templates/foreword.md.j2:3: error: templates cannot do this: access to attribute "
        f"'{attribute}' of '{kind}' object is unsafe; a template can only show the report's "
        "data and call apr's functions [template.unsafe]\n")


def test_including_a_file_outside_the_templates_is_not_found(project):
    override(project, "foreword.md.j2", '# Foreword\n\n{% include "../apr.toml" %}\n')
    assert "error: template '../apr.toml' was not found" in error_of(project)


def test_unknown_table_suggests_the_nearest(project):
    override(project, "foreword.md.j2", '# Foreword\n\n{{ table("finance.categorys") }}\n')
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:3: error: there is no table called 'finance.categorys' "
        "(did you mean 'finance.categories'?); `apr templates context` lists the tables there "
        "are [template.unknown_table]\n")


def test_unknown_figure_suggests_the_nearest(project):
    override(project, "foreword.md.j2",
             '# Foreword\n\nSpend.\n\n{{ figure("chart.finance-budgett") }}\n')
    assert error_of(project) == (
        "proj/templates/foreword.md.j2:5: error: there is no figure called "
        "'chart.finance-budgett' (did you mean 'chart.finance-budget'?); `apr templates context` "
        "lists the figures there are [template.unknown_figure]\n")


def test_a_chart_the_data_do_not_give_inserts_nothing(project):
    """An indicator the project has no figures for is a chart apr can draw, not a misspelling."""
    override(project, "foreword.md.j2", "# Foreword { #foreword }\n\nBefore.\n\n"
             '{{ figure("chart.NI-20") }}{{ figure("chart.MSG-6b") }}\n\nAfter.\n')
    (project / "data" / "msg.csv").unlink()
    result = build_html(project)
    assert result.exit_code == 0, result.output
    page = html_of(project)
    foreword = page[page.index('id="foreword"'):page.index("After.")]
    assert "Before." in foreword and "<figure" not in foreword


def test_every_chart_apr_draws_is_one_figure_accepts():
    from apr.analysis import analyse
    from apr.config import ReportingYear, load_config
    from apr.document.figures import plan_figures, possible_figures
    from apr.sources import read_sources
    inputs, _ = read_sources(load_config(SAMPLE), ReportingYear(2023))
    analysis = analyse(inputs)
    drawn = set(plan_figures(analysis, inputs.config))
    assert drawn and drawn <= set(possible_figures(analysis))


def test_compiled_templates_are_cached_and_an_edited_template_is_recompiled(project):
    override(project, "foreword.md.j2", "# Foreword { #foreword }\n\nFirst words.\n")
    assert build_html(project).exit_code == 0
    assert _cached_templates()
    assert not (project / ".apr-cache").exists(), "nothing is cached in the project folder"
    override(project, "foreword.md.j2", "# Foreword { #foreword }\n\nSecond words.\n")
    assert build_html(project).exit_code == 0
    assert "Second words." in html_of(project) and "First words." not in html_of(project)


def test_an_error_from_a_cached_template_names_the_same_file_and_line(project):
    override(project, "foreword.md.j2", "# Foreword\n\nWe have {{ localites | length }} areas.\n")
    first = error_of(project)
    assert _cached_templates()
    assert error_of(project) == first
    assert first.startswith("proj/templates/foreword.md.j2:3: error: unknown name 'localites'")


def test_an_edited_template_is_used_at_the_next_build_in_the_same_process(project):
    """Environments are kept per templates/ folder, so a national batch or `apr serve`
    compiles each template once; an edit must still be seen at once."""
    import os
    override(project, "outcomes.md.j2", '{% extends "default:outcomes.md.j2" %}\n'
             '{% block heading %}\n# First wording of the outcomes { #outcomes }\n'
             '{% endblock %}\n')
    assert build_html(project).exit_code == 0
    assert "First wording of the outcomes" in html_of(project)
    target = project / "templates" / "outcomes.md.j2"
    target.write_text(target.read_text(encoding="utf-8").replace("First", "Second"),
                      encoding="utf-8")
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert build_html(project).exit_code == 0
    assert "Second wording of the outcomes" in html_of(project)


def test_projects_share_compiled_templates_only_when_neither_has_its_own(tmp_path):
    from apr.document.templating import make_environment
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert make_environment(a) is make_environment(b)
    (b / "templates").mkdir()
    assert make_environment(b) is not make_environment(a)
    assert make_environment(b).bytecode_cache.write is False


def _cached_templates() -> list:
    from apr import cache
    return [n for n in cache.store("jinja").names() if n.endswith(".cache")]
