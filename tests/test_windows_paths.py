"""Projects written on Windows build anywhere: backslashes in apr.toml and narrative paths,
spaces in folder and file names; and apr workbook changes nothing when it cannot finish."""
from __future__ import annotations

import shutil

from apr.paths import portable, table_stem
from tests.conftest import copy_sample
from tests.report_helpers import unwrap
from tests.test_cli_build import run_apr

IMAGE = "images/home-first.png"


def test_backslashes_and_spaces(tmp_path):
    project = copy_sample(tmp_path / "Strathlinn APR 2023-24")
    toml = project / "apr.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'output = "output"' in text
    # a TOML literal string (single quotes) keeps the backslash as typed
    toml.write_text(text.replace('output = "output"', "output = 'drafts\\board papers'"),
                    encoding="utf-8")
    shutil.move(project / "content" / IMAGE, project / "content/images/home first.png")
    narrative = project / "content/outcomes/outcome-2.md"
    old = narrative.read_text(encoding="utf-8")
    assert f"]({IMAGE} " in old
    narrative.write_text(old.replace(f"]({IMAGE} ", "](<images\\home first.png> "),
                         encoding="utf-8")
    done = run_apr("build", "--project", str(project), "--year", "2023", "--format", "html")
    assert done.returncode == 0, done.stderr
    built = list((project / "drafts" / "board papers").glob("*.html"))
    assert len(built) == 1
    assert 'alt="Drawing of a small house with a blue door' in built[0].read_text("utf-8")


def test_a_missing_image_named_with_forward_slashes(tmp_path):
    project = copy_sample(tmp_path / "sample")
    narrative = project / "content/outcomes/outcome-2.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace(
        f"]({IMAGE} ", "](images\\missing.png "), encoding="utf-8")
    done = run_apr("build", "--project", "sample", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 1
    assert "the image file content/images/missing.png does not exist; put the picture there " \
           "or correct the path (it is relative to the content/ folder)" in unwrap(done.stderr)


def test_paths_as_typed_on_windows():
    assert portable("images\\logo.png") == "images/logo.png" == portable("images/logo.png")
    for shown in ("data\\finance.csv", "data/finance.csv", "data/apr-data.xlsx[finance]",
                  "C:\\Users\\me\\apr project\\data\\finance.csv"):
        assert table_stem(shown) == "finance"


def test_workbook_changes_nothing_when_it_cannot_move_the_csv_files(tmp_path):
    project = copy_sample(tmp_path / "sample")
    (project / "data/previous-csv").write_text("in the way", encoding="utf-8")
    before = sorted(p.name for p in (project / "data").iterdir())
    done = run_apr("workbook", "--project", "sample", cwd=tmp_path)
    assert done.returncode == 1
    assert "sample/data/apr-data.xlsx: error: cannot write sample/data/apr-data.xlsx or move " \
           "the CSV files it replaces: File exists; nothing was changed. Check the folder can " \
           "be written to and no file in it is open in Excel [workbook.not_written]" \
           in unwrap(done.stderr)
    assert sorted(p.name for p in (project / "data").iterdir()) == before
    assert "Traceback" not in done.stderr
