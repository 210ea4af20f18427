"""`apr serve`: the preview is served on loopback, rebuilt when a file changes, errors shown."""
from __future__ import annotations

import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from apr.commands.serve import Preview, inject_reload, is_watched

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inputs"
WAIT = 90.0   # bounded; generous because CI machines are shared and a build draws charts


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = WAIT) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear within {seconds} s")


@pytest.fixture
def preview(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    messages: list[str] = []
    server = Preview(project, 2023, echo=messages.append)
    url = server.start(0)
    time.sleep(0.5)  # let the watcher start before files change
    yield server, url, project, messages
    server.stop()


def test_a_changed_narrative_file_is_rebuilt_and_served(preview):
    server, url, project, _ = preview
    assert url.startswith("http://127.0.0.1:")
    page = fetch(url)
    assert "Annual Performance Report 2023/24" in page and 'fetch("/__version"' in page
    assert fetch(url + "__version") == "1"
    foreword = project / "content" / "foreword.md"
    foreword.write_text("A brand new foreword written during the preview.\n", encoding="utf-8")
    page = wait_for(url, "A brand new foreword written during the preview.")
    assert int(fetch(url + "__version")) >= 2
    built = next((project / "output").glob("*-apr-2023-24.html")).read_text(encoding="utf-8")
    assert "/__version" not in built    # the reload script is in the served page only


def test_a_build_error_is_shown_in_the_page_and_the_server_keeps_running(preview):
    server, url, project, messages = preview
    templates = project / "templates"
    templates.mkdir()
    # a person makes the folder, then saves a file into it: give the watcher the moment it
    # needs to start watching the new folder, as a person's pause would
    time.sleep(2)
    (templates / "foreword.md.j2").write_text("# Foreword\n\n{{ localites }}\n")
    page = wait_for(url, "The report did not build")
    assert "unknown name &#x27;localites&#x27; (did you mean &#x27;localities&#x27;?)" in page
    assert any("localites" in m for m in messages)
    time.sleep(1)
    (templates / "foreword.md.j2").write_text("# Foreword\n\nFixed it.\n")
    wait_for(url, "Fixed it.")


def test_only_inputs_are_watched(tmp_path):
    for path, watched in [("apr.toml", True), ("data/finance.csv", True),
                          ("content/outcomes/outcome-1.md", True), ("templates/x.md.j2", True),
                          ("output/report.html", False), ("content/.foreword.md.swp", False),
                          ("notes.txt", False)]:
        assert is_watched(tmp_path, None, str(tmp_path / path)) is watched, path


def test_the_reload_script_goes_before_the_end_of_body():
    page = inject_reload("<html><body><p>x</p></body></html>", 7).decode()
    assert page.index('var version = "7"') < page.index("</body>")


def test_the_website_is_served_under_site_with_its_pictures(preview):
    server, url, project, _ = preview
    index = fetch(url + "site/")
    assert 'href="finance.html"' in index and 'fetch("/__version"' in index
    finance = fetch(url + "site/finance.html")
    assert '">Financial performance</h1>' in finance
    pictures = re.findall(r'<img src="(images/[^"]+\.png)"', finance)
    assert pictures
    with urllib.request.urlopen(url + "site/report.css", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/css")
    with urllib.request.urlopen(url + "site/" + pictures[0], timeout=5) as response:
        assert response.read()[:4] == b"\x89PNG"
    with pytest.raises(urllib.error.HTTPError):
        fetch(url + "site/../apr.toml")
