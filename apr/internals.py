"""Every private internal of another library that apr relies on, in one place.

Each entry names the library, the internal, where apr uses it and what happens when it is gone.
``tests/test_internals.py`` checks every entry against the installed libraries, so an upgrade
that removes or renames one fails with a message naming it, instead of somewhere deep in a
build. pyproject.toml bounds the versions of the libraries listed here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Internal:
    library: str
    module: str
    name: str          # dotted attribute path inside the module
    used_in: str
    without_it: str


INTERNALS: tuple[Internal, ...] = (
    Internal("python-docx", "docx.opc.pkgwriter", "PackageWriter._write_content_types_stream",
             "apr/writers/docx.py (_package_items)", "the Word writer fails: its tests say so"),
    Internal("python-docx", "docx.opc.pkgwriter", "PackageWriter._write_pkg_rels",
             "apr/writers/docx.py (_package_items)", "the Word writer fails: its tests say so"),
    Internal("python-docx", "docx.opc.pkgwriter", "PackageWriter._write_parts",
             "apr/writers/docx.py (_package_items)", "the Word writer fails: its tests say so"),
    Internal("jinja2", "jinja2.utils", "_PassArg",
             "apr/document/templating.py (which calls the sandbox allows)",
             "templates cannot call context functions"),
    Internal("jinja2", "jinja2.environment", "Template.get_corresponding_lineno",
             "apr/document/functions.py (template_location)",
             "a todo() without a setting or file is reported without its template line"),
    Internal("matplotlib", "matplotlib.backends.backend_agg", "RendererAgg._prepare_font",
             "apr/charts/canvas.py", "charts fall back to matplotlib's own text drawing (slower)"),
    Internal("matplotlib", "matplotlib.backends.backend_agg", "get_hinting_flag",
             "apr/charts/canvas.py", "charts fall back to matplotlib's own text drawing (slower)"),
    Internal("python", "multiprocessing.resource_tracker", "_resource_tracker._pid",
             "apr/cli.py (_stop_drawing_processes)",
             "after Ctrl+C Python's resource tracker may print a warning about leaked "
             "semaphores below apr's message"),
)

# A name Jinja puts in the globals of every compiled template's module, which
# apr/document/functions.py looks for to find the template calling todo().
JINJA_TEMPLATE_GLOBAL = "__jinja_template__"


def missing() -> list[str]:
    """Return a line for every internal the installed libraries no longer have."""
    gone = []
    for item in INTERNALS:
        try:
            target = importlib.import_module(item.module)
            for part in item.name.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError):
            gone.append(f"{item.library}: {item.module}.{item.name} (used in {item.used_in}; "
                        f"without it {item.without_it})")
    return gone
