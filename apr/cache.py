"""apr's own cache of compiled templates and drawn charts: per user, outside every project.

A project folder may live on a shared drive that many people can write to, so nothing apr
keeps for speed is kept there: a file planted in the project must never be run (compiled
templates are Python code) or published (a chart). The cache lives in a folder of the user's
own:

- ``$APR_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/apr``, else ``~/.cache/apr``
  (``%LOCALAPPDATA%\\apr\\cache`` on Windows);
- created with mode 0700; on POSIX it is used only when it is a real folder (not a link)
  owned by the user and closed to group and others (apr closes it if the user owns it);
- every entry is authenticated: it starts with an HMAC-SHA256 of its kind, name and bytes,
  keyed by a random 32-byte secret kept there in ``key`` (mode 0600, owned by the user), and
  is used only when the HMAC matches. Anything else (a planted, damaged, truncated or empty
  file, a file written by another user) is a cache miss: the template is compiled again or
  the chart drawn again.

A cache that cannot be made, read or written only costs speed; it never stops a build.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
from functools import lru_cache
from pathlib import Path

MAGIC = b"APRC1\n"
MAC_SIZE = 32
KEY_NAME = "key"
KEY_SIZE = 32
POSIX = os.name == "posix"


def cache_root() -> Path:
    """Return where apr's cache lives (it may not exist yet)."""
    explicit = os.environ.get("APR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "apr" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "apr"


def store(kind: str) -> Store | None:
    """Return the store for ``kind`` (``jinja``, ``charts``), or None when there is no safe
    cache folder (then nothing is cached)."""
    try:
        root = cache_root()
    except (RuntimeError, KeyError, OSError):    # no home folder
        return None
    found = _store(str(root), kind)
    if found is not None and not found.folder.is_dir():    # deleted since: make it again
        _store.cache_clear()
        found = _store(str(root), kind)
    return found


@lru_cache(maxsize=8)
def _store(root: str, kind: str) -> Store | None:
    folder = Path(root) / kind
    try:
        if not (_private_folder(Path(root)) and _private_folder(folder)):
            return None
        key = _secret(Path(root) / KEY_NAME)
    except OSError:
        return None
    return None if key is None else Store(folder, key, kind)


def _private_folder(folder: Path) -> bool:
    """Make ``folder`` (0700) if missing; True if it is a folder only this user can use."""
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not POSIX:
        return True
    if info.st_uid != os.geteuid():
        return False
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)
    return True


def _secret(path: Path) -> bytes | None:
    """Return the user's cache key, making it (0600, atomically) the first time."""
    for _ in range(2):
        key = _read_secret(path)
        if key is not None:
            return key
        if path.exists() or path.is_symlink():
            return None            # there but not usable: not ours, or damaged
        tmp = path.with_name(f".{KEY_NAME}.{os.getpid()}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_SIZE))
            try:
                os.link(tmp, path)     # fails if another process made the key meanwhile
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return None


def _read_secret(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if POSIX and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            return None
        key = fh.read(KEY_SIZE + 1)
    return key if len(key) == KEY_SIZE else None


class Store:
    """One kind of cache entry (``<root>/<kind>/<name>``), each authenticated by an HMAC."""

    def __init__(self, folder: Path, key: bytes, kind: str):
        self.folder, self.key, self.kind = folder, key, kind

    def _mac(self, name: str, data: bytes) -> bytes:
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        mac.update(f"{self.kind}\0{name}\0".encode())
        mac.update(data)
        return mac.digest()

    def path(self, name: str) -> Path:
        return self.folder / name

    def read(self, name: str) -> bytes | None:
        """Return the bytes stored under ``name`` if they are authentic, else None."""
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        head = len(MAGIC) + MAC_SIZE
        if len(blob) < head or not blob.startswith(MAGIC):
            return None
        mac, data = blob[len(MAGIC):head], blob[head:]
        return data if hmac.compare_digest(mac, self._mac(name, data)) else None

    def write(self, name: str, data: bytes) -> None:
        """Store ``data`` under ``name`` atomically; failures only cost speed."""
        from .output import write_atomically
        try:
            write_atomically(self.folder / name, MAGIC + self._mac(name, data) + data)
        except OSError:
            pass

    def names(self) -> list[str]:
        try:
            return [p.name for p in self.folder.iterdir() if not p.name.startswith(".")]
        except OSError:
            return []
