"""Where a build's files go, and writing them safely: all or nothing, no temporary file left
behind, the user's permissions.

``output_path`` and ``board_paper_path`` name every file ``apr build`` writes.

``write_all`` writes a build's outputs: each to a temporary file beside its target, then, only
when every one is complete, moves them all into place. Whatever happens on the way (a full
disk, a read-only or unwritable folder, Ctrl+C, SIGTERM or SIGHUP), every temporary file is
removed, the previous report is left byte for byte as it was, and the problem is an
``AprError`` naming the folder, so ``apr build`` prints it and exits 1 without a traceback.

Signals: while files are written, SIGINT, SIGTERM and SIGHUP do not stop the process at once;
they are noted, and the write stops at the next safe point (between blocks of 1 MB), removes
its temporary files and reports the interruption. A signal that arrives while the finished
files are being moved into place (a few renames) lets the move finish: the new report is then
complete. A signal whose handler is not Python's default (``nohup``, a host program) is left to
that handler.

Permissions: temporary files are made readable by their owner only (``mkstemp``); before the
move, each is given the permissions the user's umask gives any new file (0644 under the usual
umask 022), as a file saved by any other program would have.

Test hook: ``APR_TEST_PAUSE_IN_WRITE=SECONDS`` makes ``write_all`` wait that long after the
temporary files are complete and before moving them, so tests can send a real signal at that
moment. It only waits (and stops waiting at a signal); it changes nothing written.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import AprError, Findings

if TYPE_CHECKING:
    from .config import ReportConfig, ReportingYear

FOLDER_FORMATS = ("site", "fragments")    # written as a folder of files (apr/writers/site.py)


def output_path(config: ReportConfig, year: ReportingYear, fmt: str,
                summary: bool = False) -> Path:
    """Return where a format is written: <output>/<partnership-slug>-apr-2023-24.<fmt>
    (<slug>-apr-summary-2023-24.<fmt> for the summary)."""
    kind = "apr-summary" if summary else "apr"
    if fmt in FOLDER_FORMATS:      # a folder: <slug>-apr-2023-24-site/, ...-fragments/
        return config.output_dir / f"{config.slug}-{kind}-{year.slug}-{fmt}"
    return config.output_dir / f"{config.slug}-{kind}-{year.slug}.{fmt}"


def board_paper_path(config: ReportConfig, year: ReportingYear) -> Path:
    """Return where the board cover paper goes: <output>/<slug>-board-paper-2023-24.docx."""
    return config.output_dir / f"{config.slug}-board-paper-{year.slug}.docx"


CHUNK = 1 << 20
PAUSE_HOOK = "APR_TEST_PAUSE_IN_WRITE"
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))
NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


class Interrupted(Exception):
    """A signal asked apr to stop while it was writing."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


class _Pending:
    """Signals received while they were held (see ``held_signals``)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        """Raise Interrupted if a signal has arrived."""
        if self.signum is not None:
            raise Interrupted(self.signum)


@contextmanager
def held_signals() -> Iterator[_Pending]:
    """Note SIGINT, SIGTERM and SIGHUP instead of acting on them, until the block ends.

    Only in the main thread (Python runs handlers there only) and only for signals whose
    handler is the default one (or apr's own, marked ``holdable``: ``apr build``'s Ctrl+C);
    the previous handlers are restored on every way out.
    """
    pending = _Pending()
    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        def note(signum, frame):  # noqa: ARG001 - a signal handler's signature
            if pending.signum is None:
                pending.signum = signum
        for sig in SIGNALS:
            try:
                current = signal.getsignal(sig)
                if current in (signal.SIG_DFL, signal.default_int_handler) or \
                        getattr(current, "holdable", False):
                    previous[sig] = signal.signal(sig, note)
            except (ValueError, OSError):
                continue
    try:
        yield pending
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def new_file_mode() -> int:
    """Return the permissions a new file gets under the process's umask (0644 under 022)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)       # reading the umask means setting it: put it back at once
    os.umask(mask)
    return 0o666 & ~mask


def _write_temp(target: Path, data: bytes, pending: _Pending | None, sync: bool,
                temps: list[Path]) -> Path:
    """Write ``data`` to a new temporary file beside ``target``; return its path.

    The path is added to ``temps`` before any byte is written, so the caller removes it on
    every way out."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(name)
    temps.append(tmp)
    with os.fdopen(fd, "wb") as fh:
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            if pending is not None:
                pending.check()
            fh.write(view[start:start + CHUNK])
        fh.flush()
        if hasattr(os, "fchmod"):
            os.fchmod(fh.fileno(), new_file_mode())
        if sync:
            os.fsync(fh.fileno())
    return tmp


def write_atomically(target: Path, data: bytes) -> None:
    """Write one file all or nothing (used by the caches); raise OSError on failure, leaving
    no temporary file behind."""
    temps: list[Path] = []
    with held_signals() as pending:
        try:
            tmp = _write_temp(target, data, None, sync=False, temps=temps)
            os.replace(tmp, target)
            temps.clear()
        finally:
            _remove(temps)
        # a signal that came while the file was written: act on it now, as it would have been
    if pending.signum is not None:
        signal.raise_signal(pending.signum)


def write_all(rendered: dict[str, bytes | dict[str, bytes]],
              paths: dict[str, Path]) -> list[Path]:
    """Write every output to a temporary file beside its target, then move all into place.

    Nothing is moved until every file is complete, so a failed or interrupted build leaves the
    previous report exactly as it was; raise AprError naming the folder when it cannot be
    written. An output given as a dict (path inside the folder -> bytes: ``--format site``) is
    a folder: written whole to a temporary folder beside its target, which then takes the
    place of the previous folder (see ``_swap_folder``).
    """
    temps: list[Path] = []
    moves: list[tuple[Path, Path]] = []
    target = next(iter(paths.values()), Path("."))
    with held_signals() as pending:
        try:
            for fmt, data in rendered.items():
                target = paths[fmt]
                _check_target(target, folder=isinstance(data, dict))
                target.parent.mkdir(parents=True, exist_ok=True)
                write = _write_folder if isinstance(data, dict) else _write_temp
                moves.append((write(target, data, pending, True, temps), target))
            _test_pause(pending)
            pending.check()
            for tmp, target in moves:      # a signal now is noted and ignored: finish the move
                _swap_folder(tmp, target) if tmp.is_dir() else os.replace(tmp, target)
            temps.clear()
        except OSError as exc:
            raise AprError(_write_problem(exc, target)) from None
        except (Interrupted, KeyboardInterrupt) as exc:
            raise AprError(_interrupted(exc, target)) from None
        finally:
            _remove(temps)
    return [target for _, target in moves]


def _check_target(target: Path, folder: bool) -> None:
    """Raise OSError when a file output's place is a folder, or a folder output's a file."""
    if not folder and target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    if folder and target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))


def _write_folder(target: Path, files: dict[str, bytes], pending: _Pending | None, sync: bool,
                  temps: list[Path]) -> Path:
    """Write ``files`` (relative path -> bytes) into a new temporary folder beside ``target``;
    return the folder. Paths are checked to stay inside it."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    temps.append(tmp)
    for name, data in files.items():
        path = (tmp / name).resolve()
        if tmp.resolve() not in path.parents:
            raise ValueError(f"{name!r} would be written outside the folder {target.name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if pending is not None:
            pending.check()
        path.write_bytes(data)
        if sync:
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    _give_folder_modes(tmp)
    return tmp


def _give_folder_modes(folder: Path) -> None:
    """Give a new folder and its files the permissions the umask gives (mkdtemp's is 0700)."""
    file_mode = new_file_mode()
    folder_mode = file_mode | ((file_mode & 0o444) >> 2)     # read -> search (0644 -> 0755)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(folder_mode if path.is_dir() else file_mode)


def _swap_folder(tmp: Path, target: Path) -> None:
    """Put the complete folder ``tmp`` in the place of ``target``: the previous folder is
    renamed aside, the new one renamed in, then the previous one removed. Between the two
    renames (microseconds) the folder is absent; it is never half-written."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                    dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(tmp, target)
    except OSError:
        if old is not None:
            os.replace(old / target.name, target)     # put the previous report back
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove(temps: list[Path]) -> None:
    for tmp in temps:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
            continue
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass    # the folder went away or became read-only: nothing more can be done


def _test_pause(pending: _Pending) -> None:
    seconds = os.environ.get(PAUSE_HOOK)
    if not seconds:
        return
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        pending.check()
        time.sleep(0.02)


def _folder(target: Path) -> str:
    from .config import display_path
    return display_path(target.parent)


def _write_problem(exc: OSError, target: Path) -> Findings:
    findings = Findings()
    folder = _folder(target)
    reason = exc.strerror or str(exc)
    kept = "nothing was written and the previous report is unchanged"
    if exc.errno in NO_SPACE:
        findings.error("output.no_space", f"there is no room to write the report in {folder} "
                       f"({reason}); {kept}. Free some space on that disk, or set "
                       "report.output in apr.toml to a folder on another disk", folder)
    elif exc.errno in NOT_WRITABLE:
        # Windows refuses to replace a file another program has open: a report open in Word
        hint = "Close the report if it is open in Word, make" if os.name == "nt" else "Make"
        findings.error("output.not_writable", f"apr may not write in {folder} ({reason}); "
                       f"{kept}. {hint} the folder writable for you, or set report.output in "
                       "apr.toml to a folder you can write to", folder)
    elif exc.errno == errno.EISDIR:
        findings.error("output.write_failed", f"{folder}/{target.name} is a folder, so the "
                       f"report cannot be written there; {kept}. Rename or remove that folder",
                       folder)
    else:
        findings.error("output.write_failed", f"the report could not be written in {folder} "
                       f"({reason}); {kept}. Check the folder and try again", folder)
    return findings


def _interrupted(exc: BaseException, target: Path) -> Findings:
    name = exc.name if isinstance(exc, Interrupted) else "SIGINT"
    how = "Ctrl+C" if name == "SIGINT" else name
    findings = Findings()
    folder = _folder(target)
    findings.error("output.interrupted", f"the build was stopped ({how}) while writing the "
                   f"report in {folder}; nothing was written and the previous report is "
                   "unchanged. Run apr build again to write it", folder)
    return findings
