"""Hostile cache files: nothing planted in a project (or in apr's cache) is ever run or used.

Issue 13, part 1: compiled templates are Python code, so a file planted where apr keeps them
would run on the next build. apr now keeps no cache in the project at all, and its per-user
cache (apr/cache.py) only trusts entries carrying an HMAC made with the user's secret key.

Each hostile compiled template below is a real Jinja bytecode file for the right template, with
the right source checksum, whose code writes a marker file when loaded: the old cache ran it.
A control test signs the same code with the user's own key and shows that it does run, so the
other tests would see it if it did.
"""
from __future__ import annotations

import marshal
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apr import cache, pipeline
from tests.conftest import copy_sample

REPO = Path(__file__).resolve().parents[1]


def _apr(*args: str, cache_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "APR_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "apr.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _hostile_payload(authentic: bytes, marker: Path) -> bytes:
    """Return Jinja bytecode with the checksum of ``authentic`` (a cached template's Jinja
    bytes) whose code writes ``marker`` when it is loaded."""
    from jinja2.bccache import bc_magic
    assert authentic.startswith(bc_magic)
    rest = authentic[len(bc_magic):]
    checksum = pickle.loads(rest)       # the first pickle: the source checksum
    code = compile(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n",
                   "<planted>", "exec")
    return bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A project built once with a fresh cache: (project, cache folder, {name: jinja bytes})."""
    root = tmp_path_factory.mktemp("hostile-cache")
    project = copy_sample(root / "project")
    cache_dir = root / "cache"
    done = _apr("build", "--project", str(project), "--year", "2023", "--format", "html",
                cache_dir=cache_dir, cwd=root)
    assert done.returncode == 0, done.stderr
    store = cache.Store(cache_dir / "jinja", (cache_dir / "key").read_bytes(), "jinja")
    entries = {name: store.read(name) for name in store.names()}
    assert entries and all(v is not None for v in entries.values())
    return project, cache_dir, entries


def _fresh(filled, tmp_path) -> tuple[Path, Path, dict]:
    project, cache_dir, entries = filled
    mine = tmp_path / "cache"
    shutil.copytree(cache_dir, mine)
    return project, mine, entries


def _runs(project: Path, cache_dir: Path, tmp_path: Path, marker: Path) -> None:
    """Build, check and build again; assert each succeeds and the marker was never written."""
    for args in (("build", "--format", "html"), ("check",), ("build",)):
        done = _apr(*args, "--project", str(project), "--year", "2023", cache_dir=cache_dir,
                    cwd=tmp_path)
        assert "Traceback" not in done.stderr
        if args[0] == "build":
            assert done.returncode == 0 and "wrote" in done.stdout, done.stderr
        else:                                      # check: 1 when a requirement is missing
            assert done.returncode in (0, 1) and "publish by" in done.stdout, done.stderr
        assert not marker.exists(), f"planted code ran during apr {args[0]}"


def test_code_planted_in_the_project_cache_folder_never_runs(filled, tmp_path):
    """The old location, <project>/.apr-cache/jinja, under every name apr ever used there."""
    project, cache_dir, entries = _fresh(filled, tmp_path)
    marker = tmp_path / "ran"
    planted = project / ".apr-cache" / "jinja"
    planted.mkdir(parents=True, exist_ok=True)
    for name, data in entries.items():
        (planted / name).write_bytes(_hostile_payload(data, marker))
    try:
        _runs(project, cache_dir, tmp_path, marker)
        shutil.rmtree(cache_dir)                  # an empty user cache: still not run
        _runs(project, cache_dir, tmp_path, marker)
    finally:
        shutil.rmtree(project / ".apr-cache")


@pytest.mark.parametrize("forgery", ["jinja format, no mac", "mac from another key",
                                     "mac of other bytes"])
def test_code_planted_in_the_users_cache_without_its_key_never_runs(filled, tmp_path, forgery):
    project, cache_dir, entries = _fresh(filled, tmp_path)
    marker = tmp_path / "ran"
    wrong = cache.Store(cache_dir / "jinja", b"k" * 32, "jinja")
    real = cache.Store(cache_dir / "jinja", (cache_dir / "key").read_bytes(), "jinja")
    for name, data in entries.items():
        payload = _hostile_payload(data, marker)
        if forgery == "jinja format, no mac":
            blob = payload
        elif forgery == "mac from another key":
            blob = cache.MAGIC + wrong._mac(name, payload) + payload
        else:
            blob = cache.MAGIC + real._mac(name, data) + payload
        (cache_dir / "jinja" / name).write_bytes(blob)
    _runs(project, cache_dir, tmp_path, marker)


def test_control_code_signed_with_the_users_own_key_would_run(filled, tmp_path):
    """Shows the planted code is real: signed with the user's own key (which only the user
    and apr can read), it runs. The tests above would see it if a forgery ran."""
    project, cache_dir, entries = _fresh(filled, tmp_path)
    marker = tmp_path / "ran"
    real = cache.Store(cache_dir / "jinja", (cache_dir / "key").read_bytes(), "jinja")
    for name, data in entries.items():
        real.write(name, _hostile_payload(data, marker))
    _apr("check", "--project", str(project), "--year", "2023", cache_dir=cache_dir,
         cwd=tmp_path)
    assert marker.exists()


@pytest.mark.parametrize("damage", ["empty", "truncated", "one byte changed", "garbage"])
def test_a_damaged_template_cache_entry_is_compiled_again(filled, tmp_path, damage):
    project, cache_dir, _ = _fresh(filled, tmp_path)
    for entry in (cache_dir / "jinja").iterdir():
        blob = entry.read_bytes()
        entry.write_bytes({"empty": b"", "truncated": blob[: len(blob) // 2],
                           "one byte changed": blob[:-1] + bytes([blob[-1] ^ 1]),
                           "garbage": os.urandom(300)}[damage])
    done = _apr("build", "--project", str(project), "--year", "2023", "--format", "html",
                cache_dir=cache_dir, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def test_serve_does_not_run_planted_code(filled, tmp_path, monkeypatch):
    """`apr serve` builds through the same pipeline: its first build ignores planted code."""
    from apr.commands.serve import Preview
    project, cache_dir, entries = _fresh(filled, tmp_path)
    monkeypatch.setenv("APR_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    marker = tmp_path / "ran"
    for name, data in entries.items():
        (cache_dir / "jinja" / name).write_bytes(_hostile_payload(data, marker))
    planted = project / ".apr-cache" / "jinja"
    planted.mkdir(parents=True, exist_ok=True)
    for name, data in entries.items():
        (planted / name).write_bytes(_hostile_payload(data, marker))
    preview = Preview(project, 2023, echo=lambda text: None)
    try:
        preview.rebuild()
        assert b"The report did not build" not in preview.current()[1]
    finally:
        shutil.rmtree(planted.parent)
    assert not marker.exists()


# --- the chart cache: PNG bytes, never code, but a planted chart must not be published ------

def _chart_build(project: Path, monkeypatch, cache_dir: Path):
    monkeypatch.setenv("APR_CACHE_DIR", str(cache_dir))
    result = pipeline.build(project, 2023, ("html",))
    return result, result.outputs[0].read_bytes()


@pytest.mark.parametrize("damage", ["empty", "truncated", "not a png", "another chart",
                                    "planted in the project"])
def test_a_planted_or_damaged_chart_is_drawn_again(tmp_path, monkeypatch, damage):
    project = copy_sample(tmp_path / "project")
    cache_dir = tmp_path / "cache"
    first, scratch = _chart_build(project, monkeypatch, cache_dir)
    charts = sorted((cache_dir / "charts").glob("*.png"))
    assert len(charts) == first.charts.drawn > 0
    other = charts[1].read_bytes()
    for entry in charts:
        blob = entry.read_bytes()
        if damage == "planted in the project":
            planted = project / ".apr-cache" / "charts"
            planted.mkdir(parents=True, exist_ok=True)
            (planted / entry.name).write_bytes(blob[len(cache.MAGIC) + cache.MAC_SIZE:][::-1])
            entry.unlink()
            continue
        entry.write_bytes({"empty": b"", "truncated": blob[: len(blob) // 3],
                           "not a png": cache.MAGIC + os.urandom(32) + b"<svg/>",
                           "another chart": other}[damage])
    second, rebuilt = _chart_build(project, monkeypatch, cache_dir)
    # (another chart's authentic entry stays good under its own name)
    assert second.charts.drawn == first.charts.drawn - (damage == "another chart")
    assert rebuilt == scratch, "the report must be exactly the one drawn from scratch"
    third, _ = _chart_build(project, monkeypatch, cache_dir)
    assert third.charts.drawn == 0, "the damaged entries were replaced by good ones"


def test_cache_files_are_private_and_the_key_is_0600(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    monkeypatch.setenv("APR_CACHE_DIR", str(tmp_path / "cache"))
    pipeline.build(copy_sample(tmp_path / "project"), 2023, ("html",))
    root = tmp_path / "cache"
    assert cache.store("jinja") and cache.store("charts")
    assert root.stat().st_mode & 0o777 == 0o700
    assert (root / "jinja").stat().st_mode & 0o777 == 0o700
    assert (root / "charts").stat().st_mode & 0o777 == 0o700
    assert (root / "key").stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
def test_a_cache_folder_that_is_not_the_users_own_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "draw_chart", pipeline.placeholder_chart)
    project = copy_sample(tmp_path / "project")
    # a link to a folder elsewhere
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "linked"
    link.symlink_to(real)
    monkeypatch.setenv("APR_CACHE_DIR", str(link / "apr"))
    assert cache.store("jinja") is not None          # the root may sit under a link...
    (real / "apr" / "jinja").rename(real / "apr" / "moved")
    (real / "apr" / "jinja").symlink_to(real / "apr" / "moved")
    cache._store.cache_clear()
    assert cache.store("jinja") is None               # ...but a linked kind folder is refused
    # a key others could read
    monkeypatch.setenv("APR_CACHE_DIR", str(tmp_path / "open-key"))
    assert cache.store("charts") is not None
    (tmp_path / "open-key" / "key").chmod(0o644)
    cache._store.cache_clear()
    assert cache.store("charts") is None
    result = pipeline.build(project, 2023, ("html",))   # no cache: still builds
    assert result.outputs
    if os.geteuid() == 0:                               # a folder owned by someone else
        other = tmp_path / "other"
        other.mkdir(mode=0o700)
        os.chown(other, 65534, 65534)
        monkeypatch.setenv("APR_CACHE_DIR", str(other))
        assert cache.store("charts") is None
