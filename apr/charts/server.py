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


_detach_output()

from .batch import import_for_drawing  # noqa: E402  (after the output is detached)

import_for_drawing()
