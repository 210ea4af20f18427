"""`apr init --name` fills in what the catalogue knows of the 31 partnerships (issue 17, item 7):
code, health board, council and, for Highland, the lead agency model and its wording."""
from __future__ import annotations

import re
import tomllib

from click.testing import CliRunner

from apr.catalogue import find_partnership
from apr.cli import main
from tests.report_helpers import html_visible_text


def init(tmp_path, name):
    project = tmp_path / "project"
    result = CliRunner().invoke(main, ["init", str(project), "--name", name])
    assert result.exit_code == 0, result.output
    return project, tomllib.loads((project / "apr.toml").read_text(encoding="utf-8"))


def test_highland_starts_as_a_lead_agency_partnership(tmp_path):
    project, settings = init(tmp_path, "Highland Health and Social Care Partnership")
    p = settings["partnership"]
    assert (p["model"], p["lead"], p["code"]) == ("lead_agency", "health_board", "S37000016")
    assert (p["council"], p["health_board"], p["authority"]) == (
        "The Highland Council", "NHS Highland", "NHS Highland")
    assert settings["report"]["board_meeting"] == "Highland Joint Monitoring Committee"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--year", "2023",
                                       "--format", "html"])
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", html_visible_text(next((project / "output").glob("*.html"))))
    assert "the The " not in text
    assert "Integration Joint Board" not in text and "IJB" not in text
    assert "joint monitoring committee" in text


def test_a_partnership_the_catalogue_knows_gets_its_code_and_health_board(tmp_path):
    _, settings = init(tmp_path, "Fife Health and Social Care Partnership")
    p = settings["partnership"]
    assert p["code"] == find_partnership("Fife").code
    assert (p["model"], p["health_board"], p["council"]) == ("ijb", "NHS Fife", "Fife Council")
    assert p["authority"] == "Fife Integration Joint Board"


def test_an_unknown_name_keeps_the_anytown_defaults(tmp_path):
    _, settings = init(tmp_path, "Anytown Health and Social Care Partnership")
    p = settings["partnership"]
    assert (p["code"], p["model"], p["council"], p["health_board"]) == (
        "", "ijb", "Anytown Council", "NHS Anytown")
    assert "lead" not in p
