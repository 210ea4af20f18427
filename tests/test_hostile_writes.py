"""Interrupted and failing writes (issue 13, parts 2 and 3), with real signals and real disks.

Every case runs ``apr build`` as a user would, in a child process, over a previous report, and
checks: exit 1, the message word for word, no traceback, no ``.part`` file anywhere in the
output folder, and the previous report byte for byte unchanged.

- Signals: the test hook ``APR_TEST_PAUSE_IN_WRITE`` (apr/output.py) holds the build after its
  temporary files are complete; the test waits for them to appear and sends the signal.
- A full disk: a small tmpfs mounted on the output folder when the machine allows it (CI runs
  as root); otherwise a file-size limit (RLIMIT_FSIZE) in the child, which fails the same way.
- A read-only folder: a tmpfs remounted read-only (root ignores permissions); otherwise, for
  a user who is not root, a folder without write permission. Skipped only when neither works.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apr import output
from apr.findings import AprError
from tests.conftest import copy_sample
from tests.report_helpers import unwrap

OUT = "strathlinn-health-and-social-care-partnership-apr-2023-24"
PREVIOUS = {f"{OUT}.docx": b"the previous Word report", f"{OUT}.html": b"<p>the previous page"}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A copy of the sample whose charts are already in the session's cache."""
    root = tmp_path_factory.mktemp("writes")
    project = copy_sample(root / "project")
    done = _apr(project, cwd=root)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(project / "output")
    return project


@pytest.fixture
def project(base, tmp_path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(base, dest)
    return dest


def _apr(project: Path, cwd: Path, env: dict | None = None, preexec=None, wait=True):
    cmd = [sys.executable, "-m", "apr.cli", "build", "--project", os.path.relpath(project, cwd),
           "--year", "2023"]
    kwargs = dict(cwd=cwd, env={**os.environ, **(env or {})}, preexec_fn=preexec,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return subprocess.Popen(cmd, **kwargs)
    return subprocess.run(cmd, timeout=300, **kwargs)


def _previous(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for name, data in PREVIOUS.items():
        (folder / name).write_bytes(data)


def _unchanged(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(PREVIOUS), \
        "a temporary file was left behind"
    for name, data in PREVIOUS.items():
        assert (folder / name).read_bytes() == data


def _mount(where: Path, options: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", str(where)], capture_output=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame, shown", [("SIGINT", "Ctrl+C"), ("SIGTERM", "SIGTERM"),
                                            ("SIGHUP", "SIGHUP")])
def test_a_signal_while_writing_removes_every_temporary_file(project, signame, shown):
    out = project / "output"
    _previous(out)
    proc = _apr(project, project.parent, env={output.PAUSE_HOOK: "60"}, wait=False)
    deadline = time.monotonic() + 240
    while len(list(out.glob("*.part"))) < 2:       # both formats written (the hook holds)
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build never reached the write step"
        time.sleep(0.05)
    time.sleep(0.2)                                 # the second file is complete: now paused
    proc.send_signal(getattr(signal, signame))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    assert unwrap(stderr) == (
        f"project/output: error: the build was stopped ({shown}) while writing the report in "
        "project/output; nothing was written and the previous report is unchanged. Run apr "
        "build again to write it [output.interrupted]\n"
        "apr: stopped with 1 error; nothing was written and the previous report is unchanged.\n")
    _unchanged(out)


@pytest.mark.skipif(os.name != "posix", reason="tmpfs or RLIMIT_FSIZE")
def test_a_full_disk_is_a_clear_message_and_leaves_the_previous_report(project):
    out = project / "output"
    out.mkdir()
    mounted = _mount(out, "size=256k")     # holds the previous report, not the new one
    try:
        _previous(out)
        if mounted:
            done = _apr(project, project.parent)
            reason = "No space left on device"
        else:
            import resource

            def limit():
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
            done = _apr(project, project.parent, preexec=limit)
            reason = "File too large"
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert unwrap(done.stderr).splitlines()[0] == (
            f"project/output: error: there is no room to write the report in project/output "
            f"({reason}); nothing was written and the previous report is unchanged. Free some "
            "space on that disk, or set report.output in apr.toml to a folder on another disk "
            "[output.no_space]")
        _unchanged(out)
    finally:
        if mounted:
            _umount(out)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions or mounts")
def test_a_read_only_output_folder_is_a_clear_message(project):
    out = project / "output"
    out.mkdir()
    if _mount(out, "size=1m"):
        _previous(out)
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        reason, undo = "Read-only file system", lambda: _umount(out)
    elif os.geteuid() != 0:
        _previous(out)
        out.chmod(0o555)
        reason, undo = "Permission denied", lambda: out.chmod(0o755)
    else:
        pytest.skip("as root, only a read-only mount stops writes, and mount is not allowed here")
    try:
        done = _apr(project, project.parent)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert unwrap(done.stderr).splitlines()[0] == (
            f"project/output: error: apr may not write in project/output ({reason}); nothing "
            "was written and the previous report is unchanged. Make the folder writable for "
            "you, or set report.output in apr.toml to a folder you can write to "
            "[output.not_writable]")
        _unchanged(out)
    finally:
        undo()


@pytest.mark.skipif(os.name != "posix", reason="POSIX umask")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664),
                                         (0o027, 0o640)])
def test_written_files_get_the_permissions_the_umask_gives(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        target = tmp_path / "out" / "report.html"
        output.write_all({"html": b"<p>new"}, {"html": target})
        assert target.stat().st_mode & 0o777 == mode
        assert target.read_bytes() == b"<p>new"
        store_file = tmp_path / "entry"
        output.write_atomically(store_file, b"data")
        assert store_file.stat().st_mode & 0o777 == mode
    finally:
        os.umask(old)
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX umask")
def test_a_real_build_writes_reports_and_charts_with_the_users_umask(project, tmp_path):
    cache_dir = tmp_path / "cache"
    done = _apr(project, project.parent, env={"APR_CACHE_DIR": str(cache_dir)},
                preexec=lambda: os.umask(0o027))
    assert done.returncode == 0, done.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in (project / "output").iterdir()}
    assert modes == {f"{OUT}.docx": 0o640, f"{OUT}.html": 0o640}
    charts = list((cache_dir / "charts").iterdir())
    assert charts and {p.stat().st_mode & 0o777 for p in charts} == {0o640}


def test_an_output_that_is_a_folder_is_a_message_and_nothing_is_moved(tmp_path):
    (tmp_path / "out" / "report.html").mkdir(parents=True)
    (tmp_path / "out" / "report.docx").write_bytes(b"previous")
    with pytest.raises(AprError) as exc:
        output.write_all({"docx": b"new", "html": b"new"},
                         {"docx": tmp_path / "out" / "report.docx",
                          "html": tmp_path / "out" / "report.html"})
    finding = exc.value.findings[0]
    assert finding.code == "output.write_failed"
    assert re.search(r"out/report\.html is a folder, so the report cannot be written there",
                     finding.message)
    assert (tmp_path / "out" / "report.docx").read_bytes() == b"previous"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.docx", "report.html"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8, 1.5])
def test_ctrl_c_at_any_moment_is_never_a_traceback(project, tmp_path, delay):
    """Ctrl+C while the build reads, renders or draws (no test hook): the build stops with one
    line, or finishes if it was already done; never a traceback or a temporary file, and the
    previous report is either untouched or wholly replaced.

    The delay counts from the moment the build has started (its cache folder appears): a
    Ctrl+C while Python is still loading apr, before any of apr runs, gets Python's own
    message."""
    out = project / "output"
    _previous(out)
    cold = tmp_path / "cold"
    proc = _apr(project, project.parent, env={"APR_CACHE_DIR": str(cold)}, wait=False)
    deadline = time.monotonic() + 120
    while not (cold / "charts").exists() and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr, stderr
    assert not list(out.glob("*.part"))
    if proc.returncode == 0:                       # it had finished before the signal
        assert all((out / name).read_bytes() != data for name, data in PREVIOUS.items())
    else:
        assert proc.returncode == 1
        assert stderr.splitlines()[-1] in (
            "apr: stopped (Ctrl+C) before writing; the previous report is unchanged.",
            "apr: stopped with 1 error; nothing was written and the previous report is "
            "unchanged.")
        _unchanged(out)
