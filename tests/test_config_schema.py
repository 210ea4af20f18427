"""apr.toml is checked against its schema (apr/settings_schema.py).

Misspelt keys, keys under the wrong heading and values of the wrong kind are errors at their line
with "did you mean"; TOML syntax errors are explained in plain words; the same locality twice
and a partnership code the catalogue gives to another partnership are errors naming both; and
every setting, given wrong types and extreme values, ends in exit 0 or a located message with
exit 1, never a traceback. The apr run is real (`apr build` through click, or a subprocess).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from apr import pipeline
from apr.cli import main
from tests.report_helpers import unwrap
from apr.config import load_config
from apr.findings import AprError
from apr.settings_schema import SECTION_BY_NAME, all_settings, configuration_markdown
from tests.conftest import copy_sample
from tests.report_helpers import PNG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_inputs"
SAMPLE_TOML = (SAMPLE / "apr.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("schema") / "proj")


def write(project: Path, text: str) -> Path:
    (project / "apr.toml").write_text(text, encoding="utf-8")
    return project


def edited(*changes: tuple[str, str]) -> str:
    """Return the sample apr.toml with each (old, new) replaced once; old must be present."""
    text = SAMPLE_TOML
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, start: str, after: str = "") -> int:
    """Return the 1-based number of the first line starting with ``start`` (after ``after``)."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(after)) if after else 0
    return next(i for i, line in enumerate(lines[first:], start=first + 1)
                if line.startswith(start))


def errors(project: Path) -> list[str]:
    """Return apr's error lines (stderr) for building the project; the build must fail."""
    done = CliRunner().invoke(main, ["build", "--year", "2023", "--project", str(project)])
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    found = [line for line in unwrap(done.stderr).splitlines() if ": error: " in line]
    for line in found:      # the message, without the location and the code, fits a line
        assert len(line.split(": error: ", 1)[1].rsplit(" [", 1)[0]) < 200, line
    return found


# --- the sample, the scaffold and the documentation -------------------------------------------

def test_the_sample_loads_with_no_findings():
    config = load_config(SAMPLE)
    assert config.board_date == dt.date(2024, 6, 26)
    assert config.board_paper.paper_date == dt.date(2024, 6, 12)
    assert config.board_paper.meeting == "Strathlinn Integration Joint Board"


def test_the_init_scaffold_loads_with_no_findings(tmp_path):
    done = CliRunner().invoke(main, ["init", str(tmp_path / "anytown"), "--name",
                                     "Anytown Health and Social Care Partnership"])
    assert done.exit_code == 0, done.output
    config = load_config(tmp_path / "anytown")
    assert config.short_name == "Anytown" and config.variance_threshold == 250.0


def test_configuration_doc_is_written_from_the_schema():
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == configuration_markdown(), (
        "docs/configuration.md is out of date: run "
        "`python -m apr.settings_schema > docs/configuration.md`")


def test_every_setting_in_the_sample_and_the_docs_is_in_the_schema():
    documented = set(re.findall(r"^\| (\w+) \|", configuration_markdown(), re.M)) - {"key"}
    assert documented == {s.key for s in all_settings()}
    data = tomllib.loads(SAMPLE_TOML)
    for name, section in SECTION_BY_NAME.items():
        table = data
        for part in name.split("."):
            table = table.get(part, {})
        entries = table if isinstance(table, list) else \
            list(table.values()) if name == "finance.service_lines" else [table]
        keys = {s.key for s in all_settings() if s.section == name}
        for entry in entries:
            assert set(entry) <= keys | {"service_lines"}, (name, set(entry) - keys)


def test_the_line_of_a_setting_for_findings_raised_later():
    config = load_config(SAMPLE)
    assert config.setting_line("report.board_date") == line_of(SAMPLE_TOML, "board_date")
    assert config.setting_line("report.reference_docx") == line_of(SAMPLE_TOML, "[report]")


def test_defaults_are_written_once():
    """ReportConfig has no defaults of its own: every flat attribute reads the schema's."""
    from apr.config import ReportConfig, Settings
    flat = {s.attr for s in all_settings() if s.attr and s.section in Settings.__dataclass_fields__}
    assert flat <= set(dir(ReportConfig))
    assert not flat & set(ReportConfig.__dataclass_fields__)


def test_each_flat_attribute_is_a_typed_property_reading_its_setting():
    """The flat attributes are written out in apr/config.py (so mypy knows their types): each
    reads its own setting, and there is one for every schema setting with an ``attr``."""
    from apr.config import ReportConfig, Settings
    config = load_config(SAMPLE)
    for s in all_settings():
        if not (s.attr and s.section in Settings.__dataclass_fields__):
            continue
        prop = getattr(ReportConfig, s.attr)
        assert isinstance(prop, property), s.attr
        assert "return" in prop.fget.__annotations__, s.attr
        assert getattr(config, s.attr) == getattr(getattr(config.settings, s.section), s.name)


# --- unknown keys, wrong tables, wrong types ---------------------------------------------------

def test_misspelt_keys_are_errors_with_the_line_and_a_suggestion(project):
    text = edited(('amounts = "£000"', 'amount = "£000"'), ("reviewed = true", "reviewd = true"),
                  ("board_date = 2024-06-26", "board_dat = 2024-06-26"))
    write(project, text)
    lines = errors(project)
    file = str(project / "apr.toml")
    assert f"{file}:{line_of(text, 'amount =')}: setting 'report.amount': error: unknown setting " \
           "'report.amount' (did you mean 'report.amounts'?); correct its spelling or remove it " \
           "(docs/configuration.md lists every setting) [config.unknown_key]" in lines
    assert any(line.startswith(f"{file}:{line_of(text, 'reviewd')}: setting "
                               "'strategic_plan.reviewd': error: unknown setting "
                               "'strategic_plan.reviewd' (did you mean "
                               "'strategic_plan.reviewed'?)") for line in lines)
    assert any(f":{line_of(text, 'board_dat')}: setting 'report.board_dat'" in line and
               "(did you mean 'report.board_date'?)" in line for line in lines)
    assert len(lines) == 3


def test_a_key_in_the_wrong_table(project):
    text = edited(('chair = "Councillor Elspeth Garvie"',
                   'chair = "Councillor Elspeth Garvie"\nboard_date = 2024-06-26'))
    write(project, text)
    assert errors(project) == [
        f"{project / 'apr.toml'}:{line_of(text, 'board_date', '[partnership]')}: setting "
        "'partnership.board_date': error: 'board_date' belongs in [report], not [partnership]; "
        "move the line under the [report] heading [config.wrong_table]"]


def test_a_setting_above_the_first_heading_and_an_unknown_table(project):
    text = "status = \"final\"\n" + SAMPLE_TOML.replace("[best_value]", "[best_valeu]")
    write(project, text)
    lines = errors(project)
    assert any(":1: setting 'status': error: 'status' belongs in [report], not at the top of "
               "apr.toml" in line for line in lines)
    assert any(f":{line_of(text, '[best_valeu]')}: setting 'best_valeu': error: unknown table "
               "[best_valeu] (did you mean [best_value]?)" in line for line in lines)


def test_wrong_types_name_the_setting_and_show_how_to_write_it(project):
    text = edited(("first_year = 2016", 'first_year = "2016"'),
                  ("reviewed = true", 'reviewed = "yes"'),
                  ("similar_band = 5 ", "similar_band = 1e308 "),
                  ('status = "draft"', 'status = "Draft"'))
    write(project, text)
    lines = errors(project)
    file = project / "apr.toml"
    assert f"{file}:{line_of(text, 'first_year')}: setting 'report.first_year': error: " \
           "'report.first_year' must be a whole number, found '2016'; write it as e.g. " \
           "first_year = 2016 [config.wrong_type]" in lines
    assert any("'strategic_plan.reviewed' must be true or false (no quotes), found 'yes'" in line
               for line in lines)
    assert any("'report.similar_band' must be from 0 to 100, found 1e+308" in line and
               "[config.out_of_range]" in line for line in lines)
    assert any("'report.status' must be one of 'draft', 'final', found 'Draft' (did you mean "
               "'draft'?)" in line for line in lines)


def test_a_board_date_with_a_time_of_day(project):
    text = edited(("board_date = 2024-06-26", "board_date = 2024-06-26T10:30:00"))
    write(project, text)
    assert errors(project) == [
        f"{project / 'apr.toml'}:{line_of(text, 'board_date')}: setting 'report.board_date': "
        "error: 'report.board_date' must be a date without a time of day, found "
        "2024-06-26T10:30:00; write board_date = 2024-06-26 [config.bad_date]"]


def test_a_quoted_iso_date_is_accepted_and_a_uk_date_in_quotes_is_explained(project):
    write(project, edited(("board_date = 2024-06-26", 'board_date = "2024-06-26"')))
    assert load_config(project).board_date == dt.date(2024, 6, 26)
    write(project, edited(("board_date = 2024-06-26", 'board_date = "26/06/2024"')))
    assert any("write it as e.g. board_date = 2024-06-26 [config.bad_date]" in line
               for line in errors(project))


def test_control_characters_and_very_long_names(project):
    text = edited(('short_name = "Strathlinn"', 'short_name = "Strath\tlinn"'),
                  ('chair = "Councillor Elspeth Garvie"', 'chair = "Councillor\\bElspeth"'),
                  ('name = "Strathlinn Health and Social Care Partnership"',
                   'name = "' + "Strathlinn " * 40 + '"'))
    write(project, text)
    lines = errors(project)
    assert any("setting 'partnership.short_name': error: 'partnership.short_name' contains the "
               "control character \\t; retype it as plain text on one line "
               "[config.control_character]" in line for line in lines)
    assert any("'partnership.chair' contains the control character \\x08; a backslash in "
               "\"quotes\" makes one: write paths with /, or in 'single quotes' "
               "[config.control_character]" in line for line in lines)
    assert any("setting 'partnership.name': error: 'partnership.name' is 440 characters long; it "
               "must be at most 150 (a name or title, one line) [config.too_long]" in line
               for line in lines)


def test_output_naming_a_file_and_a_reference_docx_that_is_not_word(project):
    (project / "notes.txt").write_text("not a folder", encoding="utf-8")
    (project / "house.docx").write_text("not a Word file", encoding="utf-8")
    text = edited(('output = "output"', 'output = "notes.txt"'),
                  ('amounts = "£000"', 'amounts = "£000"\nreference_docx = "house.docx"'))
    write(project, text)
    lines = errors(project)
    assert any(f":{line_of(text, 'output =')}: setting 'report.output': error: 'report.output' "
               "names 'notes.txt', which is a file in the project, not a folder" in line and
               "[config.output_not_folder]" in line for line in lines)
    assert any(f":{line_of(text, 'reference_docx')}: setting 'report.reference_docx'" in line
               and "names 'house.docx', which is not a Word document (.docx)" in line and
               "[config.reference_not_docx]" in line for line in lines)


# --- localities and the partnership code -------------------------------------------------------

def test_the_same_locality_twice_names_both(project):
    text = edited(('name = "Strathlinn Town"', 'name = "Linnhaven Coast"'))
    write(project, text)
    first = line_of(text, 'name = "Linnhaven Coast"')
    second = line_of(text, 'name = "Linnhaven Coast"', "summary = \"A rural")
    assert errors(project) == [
        f"{project / 'apr.toml'}:{second}: setting 'localities.name': error: locality "
        f"'Linnhaven Coast' is given twice in [[localities]] (entries 1 and 3, lines {first} and "
        f"{second}); give each locality once, under its own name [config.duplicate_locality]"]


def test_a_code_the_catalogue_gives_to_another_partnership(project):
    text = edited(('short_name = "Strathlinn"', 'short_name = "Moray"'),
                  ('code = "S37999001"', 'code = "S37000003"'))
    write(project, text)
    assert errors(project) == [
        f"{project / 'apr.toml'}:{line_of(text, 'code =')}: setting 'partnership.code': error: "
        "'partnership.code' S37000003 is Angus's code in apr's catalogue, but "
        "'partnership.name' 'Strathlinn Health and Social Care Partnership' is Moray "
        "(S37000019); correct the code or the name [config.code_mismatch]"]


def test_a_name_and_code_that_disagree_name_both_partnerships(project):
    text = edited(('name = "Strathlinn Health and Social Care Partnership"',
                   'name = "Angus Health and Social Care Partnership"'),
                  ('short_name = "Strathlinn"', 'short_name = "Angus"'),
                  ('code = "S37999001"', 'code = "S37000012"'))
    write(project, text)
    lines = errors(project)
    assert any("'partnership.code' S37000012 is Edinburgh's code in apr's catalogue, but "
               "'partnership.name' 'Angus Health and Social Care Partnership' is Angus "
               "(S37000003); correct the code or the name [config.code_mismatch]" in line
               for line in lines)


def test_a_matching_real_code_is_accepted(project):
    write(project, edited(('name = "Strathlinn Health and Social Care Partnership"',
                           'name = "Edinburgh Health and Social Care Partnership"'),
                          ('short_name = "Strathlinn"', 'short_name = "Edinburgh"'),
                          ('code = "S37999001"', 'code = "S37000012"')))
    assert load_config(project).code == "S37000012"
    # a variant of the name, and a superseded code (Fife's before 2019), are the same partnership
    write(project, edited(('short_name = "Strathlinn"', 'short_name = "Stirling"'),
                          ('code = "S37999001"', 'code = "S37000005"')))
    assert load_config(project).code == "S37000005"
    write(project, edited(('short_name = "Strathlinn"', 'short_name = "Fife"'),
                          ('code = "S37999001"', 'code = "S37000014"')))
    assert load_config(project).code == "S37000014"
    write(project, edited(('code = "S37999001"', 'code = "37000012"')))
    assert any("[config.bad_code]" in line for line in errors(project))


# --- TOML syntax errors in plain words ---------------------------------------------------------

SYNTAX = [
    (('council = "Strathlinn Council"', "council = Strathlinn Council"), "council =",
     'text must be in quotes, one " at each end: council = "Strathlinn Council"'),
    (("board_date = 2024-06-26", "board_date = 26/06/2024"), "board_date",
     "write dates as year-month-day without quotes: board_date = 2024-06-26"),
    (("board_date = 2024-06-26", "board_date = 26 June 2024"), "board_date",
     "write dates as year-month-day without quotes: board_date = 2024-06-26"),
    (("board_date = 2024-06-26", "board_date = 2024-06-26 10:00"), "board_date",
     "board_date takes a date without a time of day: board_date = 2024-06-26"),
    (("board_date = 2024-06-26", "board_date = 2024-06-31"), "board_date",
     "2024-06-31 is not a real date; write dates as year-month-day: board_date = 2024-06-26"),
    (('board_meeting = "Strathlinn', 'board_meeting = "x" author = "Strathlinn'),
     "board_meeting", "one setting per line: put each key = value on a line of its own"),
    (("population = 151_300", "population = 151,300"), "population",
     "write numbers without commas: population = 151300 (or with underscores, 151_300)"),
    (("reviewed = true", "reviewed = Yes"), "reviewed",
     "write true or false in small letters, without quotes: reviewed = true"),
    (('amounts = "£000"', "amounts = £000"), "amounts",
     'text must be in quotes, one " at each end: amounts = "£000"'),
    (('chair = "Councillor Elspeth Garvie"', 'chair = Councillor Elspeth Garvie"'), "chair",
     'text must be in quotes, one " at each end: chair = "Councillor Elspeth Garvie"'),
    (("board_meeting = ", "board meeting = "), "board meeting",
     "setting names have no spaces: write board_meeting = ..., with underscores"),
    (('council = "Strathlinn Council"', 'council = "Strathlinn Council'), "council =",
     "text must end with a closing quote on the same line"),
    (("[strategic_plan]", "[strategic_plan"), "[strategic_plan",
     "a heading needs its closing bracket"),
    (("# People who sign", "People who sign"), "People who sign",
     "each line must be a setting (name = value), a [heading] or a comment starting with #"),
    (('    "A sustainable workforce and best use of resources",\n]',
      '    "A sustainable workforce and best use of resources",\n'), "priorities = [",
     "a list opened with [ is not closed with ]"),
]


@pytest.mark.parametrize("change, line_start, plain", SYNTAX,
                         ids=[s[2][:30] for s in SYNTAX])
def test_syntax_errors_in_plain_words(project, change, line_start, plain):
    text = edited(change)
    write(project, text)
    lines = errors(project)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{project / 'apr.toml'}:{line_of(text, line_start)}: error: "
                               f"{plain}"), lines[0]
    assert lines[0].endswith("[config.syntax]")


def test_a_table_or_a_setting_given_twice(project):
    text = SAMPLE_TOML.replace("[best_value]", "[report]")
    write(project, text)
    assert errors(project)[0].endswith(
        f":{line_of(text, '[report]', '[finance.service_lines]')}: error: the heading [report] "
        f"appears twice (lines {line_of(text, '[report]')} and "
        f"{line_of(text, '[report]', '[finance.service_lines]')}); put all of its settings under "
        "one heading [config.syntax]".split(":", 1)[1])
    text = edited(('chair = "Councillor Elspeth Garvie"', 'council = "Strathlinn Council"'))
    write(project, text)
    first = line_of(text, "council =")
    second = line_of(text, "council =", "chief_officer")
    assert errors(project) == [f"{project / 'apr.toml'}:{second}: error: 'partnership.council' "
                               f"is set twice (lines {first} and {second}); keep one setting per "
                               "key [config.syntax]"]


def test_not_utf8(project):
    (project / "apr.toml").write_bytes(SAMPLE_TOML.encode("cp1252"))
    lines = errors(project)
    assert lines[0].startswith(f"{project / 'apr.toml'}:{line_of(SAMPLE_TOML, 'amounts')}: "
                               "error: apr.toml is not UTF-8 text")


# --- every setting, through wrong types and extreme values ------------------------------------

class Raw(str):
    """A TOML literal written as it is."""


EXTREMES = [
    Raw('""'), Raw('"x\\u0007y"'), Raw('"tab\\there"'), Raw('"line\\nbreak"'),
    Raw('"' + "A" * 20_000 + '"'), Raw('"Ünïcödé ✓ £ — ’"'), Raw('"2024-06-26"'),
    Raw('"26/06/2024"'), Raw("1e308"), Raw("-1e308"), Raw("nan"), Raw("inf"),
    Raw("9223372036854775807"), Raw("-1"), Raw("0"), Raw("0.5"), Raw("true"),
    Raw("2024-06-26T10:30:00"), Raw("10:30:00"), Raw("2024-06-26"), Raw("0001-01-01"),
    Raw('["a", "b"]'), Raw("[1, 2]"), Raw("[]"), Raw("{ a = 1 }"), Raw("{}"),
]


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _value(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if value != value else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"


def dump(data: dict) -> str:
    """Return ``data`` as TOML: tables as [headings], [[arrays of tables]], the rest inline."""
    lines: list[str] = []

    def table(path: list[str], body: dict) -> None:
        subtables = []
        for key, value in body.items():
            if ".".join(path + [key]) in SECTION_BY_NAME and isinstance(value, dict):
                subtables.append((key, value))
            else:
                lines.append(f"{_key(key)} = {_value(value)}")
        for key, value in subtables:
            lines.append(f"\n[{'.'.join(path + [key])}]")
            table(path + [key], value)

    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"\n[{key}]")
            table([key], value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                lines.append(f"\n[[{key}]]")
                table([key], item)
        else:
            lines.insert(0, f"{_key(key)} = {_value(value)}")
    return "\n".join(lines) + "\n"


def with_setting(setting, value) -> dict:
    data = tomllib.loads(SAMPLE_TOML)
    if setting.section == "finance.service_lines":
        target = next(iter(data["finance"]["service_lines"].values()))
    elif SECTION_BY_NAME[setting.section].array:
        target = data[setting.section][0]
    else:
        target = data[setting.section]
    target[setting.key] = value
    return data


def test_dump_writes_the_sample_back_unchanged():
    assert tomllib.loads(dump(tomllib.loads(SAMPLE_TOML))) == tomllib.loads(SAMPLE_TOML)


LOCATED = re.compile(r"apr\.toml:\d+: setting '[^']+': error: ")


@pytest.mark.parametrize("setting", all_settings(), ids=lambda s: s.dotted)
def test_every_setting_through_wrong_types_and_extreme_values(project, monkeypatch, setting):
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)
    runner = CliRunner()
    for value in EXTREMES:
        (project / "apr.toml").write_text(dump(with_setting(setting, value)), encoding="utf-8")
        done = runner.invoke(main, ["build", "--year", "2023", "--project", str(project),
                                    "--format", "html"])
        what = f"{setting.dotted} = {value[:40]}: exit {done.exit_code}\n{done.output[-2000:]}"
        assert "Traceback" not in done.output, what
        assert done.exit_code in (0, 1), what
        assert done.exception is None or isinstance(done.exception, SystemExit), what
        if done.exit_code == 1:
            errors = [line for line in done.stderr.splitlines() if ": error: " in line]
            assert errors, what
            toml = str(project / "apr.toml")
            assert all(len(line.split(": error: ", 1)[1].rsplit(" [", 1)[0]) < 200
                       for line in errors if line.startswith(toml)), what
            # every problem with apr.toml is at a line and a setting
            assert all(LOCATED.search(line) for line in errors if line.startswith(toml)), what
            # a value apr.toml accepts can still fail the data (a locality renamed) elsewhere
            assert any(line.startswith(toml) for line in errors) or setting.section in (
                "localities", "local_indicators", "finance.service_lines") or \
                setting.dotted == "finance.service_lines", what


def test_a_build_in_a_subprocess_reports_a_bad_setting_without_a_traceback(project):
    write(project, edited(("similar_band = 5 ", "similar_band = { a = 1 } ")))
    done = subprocess.run([sys.executable, "-c", "from apr.cli import main; main()", "build",
                           "--year", "2023", "--project", str(project)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "setting 'report.similar_band': error: 'report.similar_band' must be a number, " \
           "found a table { ... }; write it as e.g. similar_band = 5 [config.wrong_type]" \
           in unwrap(done.stderr)


def test_load_config_raises_with_every_problem_at_once(project):
    write(project, edited(('amounts = "£000"', 'amount = "£000"'),
                          ("first_year = 2016", 'first_year = "x"'),
                          ('name = "Strathlinn Town"', 'name = "Linnhaven Coast"')))
    with pytest.raises(AprError) as exc:
        load_config(project)
    assert [f.code for f in exc.value.findings] == [
        "config.unknown_key", "config.wrong_type", "config.duplicate_locality"]


def test_keys_inside_a_service_line_and_supplied_totals(project):
    text = edited(('"Care homes" = { category = "c"', '"Care homes" = { categroy = "c"'),
                  ('"2023/24" = { budget = 309800', '"2023/24" = { budjet = 309800'))
    write(project, text)
    file = project / "apr.toml"
    care_homes = line_of(text, '"Care homes"')
    assert errors(project) == [
        f"{file}:{line_of(text, 'supplied_totals')}: setting 'finance.supplied_totals': error: "
        "finance.supplied_totals: 2023/24 has 'budjet' (did you mean 'budget'?); a year takes "
        "budget and outturn; e.g. \"2023/24\" = { budget = 309800, outturn = 310350 } "
        "[config.bad_supplied_totals]",
        f"{file}:{care_homes}: setting 'finance.service_lines.\"Care homes\".categroy': error: "
        "unknown setting 'finance.service_lines.\"Care homes\".categroy' (did you mean "
        "'category'?); correct its spelling or remove it (docs/configuration.md lists every "
        "setting) [config.unknown_key]",
        f"{file}:{care_homes}: setting 'finance.service_lines.\"Care homes\".category': error: "
        "service line 'Care homes' needs 'category'; add `category = \"b\"` to it in apr.toml "
        "(see docs/configuration.md) [config.missing_key]"]


def test_a_mangled_apr_toml_always_gets_located_findings(project):
    """Characters deleted, doubled or inserted at random places: load_config either reads the
    file or raises AprError; every syntax finding has a line."""
    import random
    rnd = random.Random(2024)
    for _ in range(300):
        text = list(SAMPLE_TOML)
        pos = rnd.randrange(len(text))
        change = rnd.choice(("delete", "insert", "double"))
        if change == "delete":
            del text[pos]
        elif change == "insert":
            text.insert(pos, rnd.choice('"[]{}=,#\n .\'\\x5-:T'))
        else:
            text.insert(pos, text[pos])
        write(project, "".join(text))
        try:
            load_config(project)
        except AprError as exc:
            assert exc.findings
            for finding in exc.findings:
                assert finding.code != "config.syntax" or finding.location.row, finding
                assert len(finding.message) < 200, finding
