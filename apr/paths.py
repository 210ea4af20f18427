"""Where a project's files may lead: inside the project folder, never through a link outside it.

A project on a shared drive can hold a symbolic link (or a Windows junction) that someone else
made; following it would put another file, anywhere the user can read, into a published
report. Every data table, narrative file, picture and template apr reads from a project must,
once every link is followed, still be inside the project folder.
"""
from __future__ import annotations

import os
from pathlib import Path


def leads_outside(path: Path, project_dir: Path) -> bool:
    """True if ``path``, with every link followed, is not inside ``project_dir`` (itself
    resolved: a project reached through a link is fine)."""
    try:
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(project_dir))
    except (OSError, ValueError):
        return True
    return real != root and root not in real.parents


def outside_message(shown: str) -> str:
    """The message for a file that leads outside the project."""
    return (f"{shown} is a link to a file outside the project folder, which apr does not "
            "read (a report must be built only from the project's own files); copy the file "
            "into the project instead of linking to it")


def link_path(path: Path) -> str:
    """Return ``path`` for messages without following links (display_path resolves them, and
    would name the file the link leads to)."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(absolute)


def portable(text: str) -> str:
    """Return a relative path typed in apr.toml or a narrative file with forward slashes:
    ``images\\logo.png`` (as typed on Windows) and ``images/logo.png`` both mean the file
    logo.png in the folder images, on every system (Windows accepts either; macOS and Linux
    would read a backslash as part of the file name)."""
    return text.replace("\\", "/")


def table_stem(shown: str) -> str:
    """Return the table name part of a data file as messages show it: the sheet of
    ``data/book.xlsx[finance]``, the file name without extension of ``data/finance.csv`` or,
    on Windows, ``data\\finance.csv``."""
    if shown.endswith("]") and "[" in shown:
        return shown.rsplit("[", 1)[1][:-1]
    return portable(shown).rsplit("/", 1)[-1].rsplit(".", 1)[0]
