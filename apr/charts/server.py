"""Loaded by the process chart workers are forked from (see ``batch.prestart``).

It runs beside the build, so it must not hold the build's output open: whoever reads apr's
output through a pipe (a terminal log, CI, a benchmark) would otherwise wait for it. It then
imports matplotlib and loads the chart style, so that each worker forked from it starts with
nothing left to import.
"""
from __future__ import annotations

import os


def _detach_output() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _import_matplotlib() -> None:
    """Import matplotlib for drawing only, a quarter faster than a full import.

    matplotlib writes, for every kind of artist it defines, the documentation of its
    ``set()`` method, listing every property: a quarter of its import time. Nobody reads
    documentation in this process, so the writer is replaced by one that writes none.
    """
    import matplotlib.artist
    if hasattr(matplotlib.artist, "kwdoc"):
        matplotlib.artist.kwdoc = lambda artist: ""
    from . import _mpl
    _mpl()


_detach_output()
_import_matplotlib()
