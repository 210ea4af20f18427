"""Drawing many charts at once: a content-addressed cache, then a process pool.

Every chart a build needs is known before any is drawn (``document/build.py`` collects them),
so they are drawn in one batch:

1. each spec's cache key folds in everything that can change its pixels: the spec (its data,
   title, labels, size), the chart style file ``styles/apr.mplstyle``, the drawing code
   (``DRAWING_CODE``), apr's version and matplotlib's version;
2. a chart whose ``<key>.png`` is in apr's per-user cache (``~/.cache/apr/charts``, never the
   project: see apr/cache.py) and is authentic (its HMAC matches, it is a PNG) is read, not
   drawn; a planted, damaged, truncated or empty file is a miss, and the chart is drawn;
3. the rest are drawn, in worker processes when there are more than ``PARALLEL_FROM`` of them,
   else here; each PNG is written to the cache atomically, so an interrupted build never
   leaves half a file.

Importing matplotlib takes about 0.6 s, as long as drawing the sample's 25 charts on two
cores. When a build is sure to draw (its chart cache is empty: a first build, or after
clearing), ``prestart`` launches, at the very start of the build, the process the drawing
workers are forked from (multiprocessing's "forkserver"); it imports matplotlib on another
core while this one reads the data and renders the templates. Otherwise workers are forked
from this process, after it has imported matplotlib.

The cache only ever holds what ``apr.charts.draw`` produced: a substitute drawer (tests pass
one that returns a 1-pixel PNG) is called directly, never cached and never run in a pool.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import ChartSpec, draw

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PARALLEL_FROM = 7          # fewer uncached charts than this are drawn here: a pool costs ~0.3 s
DRAWING_CODE = ("__init__.py", "canvas.py")   # the modules here that decide a chart's pixels
SHARED_CODE = ("formatting.py",)   # apr modules outside apr/charts that decide them too (ticks)
_max_workers: int | None = None
_server_started = False


@dataclass
class DrawStats:
    """How a batch was served: charts read from the cache and charts drawn."""

    cached: int = 0
    drawn: int = 0


def set_max_workers(n: int | None) -> None:
    """Limit the drawing pool (1 = draw in this process); None means one per core.

    The national batch sets 1 in its own workers, which already use every core.
    """
    global _max_workers
    _max_workers = n


def cache_dir(project_dir: Path | None = None) -> Path | None:
    """Return the chart cache folder: apr's per-user ``charts`` folder (apr/cache.py), shared
    by every project (keys are content hashes), or None when there is no safe one.

    ``project_dir`` is not used: nothing is cached in a project folder, which other people
    may be able to write to."""
    found = store()
    return None if found is None else found.folder


def store():
    """Return the authenticated store charts are kept in, or None."""
    from .. import cache
    return cache.store("charts")


@lru_cache(maxsize=1)
def drawing_fingerprint() -> str:
    """Return a hash of what draws charts besides the spec: style file, code, versions."""
    from ..resources import styles_dir
    h = hashlib.sha256()
    h.update((styles_dir() / "apr.mplstyle").read_bytes())
    for code in DRAWING_CODE:
        h.update(Path(__file__).with_name(code).read_bytes())
    for code in SHARED_CODE:
        h.update(Path(__file__).parent.parent.joinpath(code).read_bytes())
    for package in ("apr", "matplotlib"):
        h.update(f"{package}={_version(package)};".encode())
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_key(spec: ChartSpec) -> str:
    """Return the file name stem for ``spec``: equal keys mean byte-identical charts."""
    return hashlib.sha256(f"{drawing_fingerprint()}:{spec.key()}".encode()).hexdigest()[:32]


def draw_all(specs: Sequence[ChartSpec], cache: Path | None,
             drawer: Callable[[ChartSpec], bytes] = draw,
             stats: DrawStats | None = None) -> list[bytes]:
    """Return the PNG bytes of every spec, in order, reading and filling the cache.

    ``cache`` is what ``cache_dir()`` returned: None draws everything and caches nothing."""
    stats = stats if stats is not None else DrawStats()
    specs = [fit_texts(spec) for spec in specs]
    if drawer is not draw:
        stats.drawn += len(specs)
        return [drawer(spec) for spec in specs]
    keys = [cache_key(spec) for spec in specs]
    charts = store() if cache is not None else None
    found = {key: _read(charts, key) for key in dict.fromkeys(keys)} if charts else {}
    missing = {key: spec for key, spec in zip(keys, specs) if found.get(key) is None}
    drawn = dict(zip(missing, _draw_many(list(missing.values()))))
    for key, png in drawn.items():
        if charts:
            _write(charts, key, png)
    stats.cached += len(specs) - sum(1 for key in keys if key in drawn)
    stats.drawn += len(drawn)
    return [drawn.get(key) or found[key] for key in keys]


# The longest text a chart shows in each place; longer ones are shortened with "…" (the
# chart's data table and alt text, built from the data, keep them whole). Real names are far
# shorter (the longest Scottish locality names are about 40 characters); without a bound, a
# name of a few hundred characters leaves no room for the axes and the chart cannot be drawn.
LONGEST = {"title": 300, "label": 60, "series": 80, "unit": 20}


def fit_texts(spec: ChartSpec) -> ChartSpec:
    """Return ``spec`` with every text drawable as typed: control characters removed, ``$``
    shown as a dollar sign (matplotlib would read ``$...$`` as a formula, and fail on an
    unknown command), and each text at most LONGEST characters."""
    from dataclasses import replace

    def fit(text: str, kind: str) -> str:
        clean = "".join(c if c.isprintable() else " " for c in str(text))
        if len(clean) > LONGEST[kind]:
            clean = clean[:LONGEST[kind] - 1].rstrip() + "…"
        return clean.replace("$", r"\$")

    return replace(spec, title=fit(spec.title, "title"), unit=fit(spec.unit, "unit"),
                   labels=[fit(label, "label") for label in spec.labels],
                   series=[replace(s, name=fit(s.name, "series")) for s in spec.series])


def prestart(cache: Path | None) -> None:
    """Start importing matplotlib in another process now if every chart will be drawn.

    Only with two cores or more and a pool allowed, on Linux (macOS has a forkserver too, but
    forking after numpy has loaded Apple's Accelerate library is not safe there), and when
    ``cache`` holds no chart at all (or there is no cache).
    """
    global _server_started
    if _server_started or (_max_workers or os.cpu_count() or 1) < 2 or \
            not sys.platform.startswith("linux"):
        return
    if cache is not None and cache.is_dir() and any(cache.glob("*.png")):
        return
    from multiprocessing import forkserver
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["apr.charts.server"])
    forkserver.ensure_running()
    _server_started = True


def _draw_many(specs: list[ChartSpec]) -> list[bytes]:
    workers = min(_max_workers or os.cpu_count() or 1, len(specs))
    if len(specs) < PARALLEL_FROM or workers < 2:
        return [draw(spec) for spec in specs]
    context = _context()
    if context.get_start_method() == "fork":
        # import matplotlib once, here: forked workers share it instead of each importing
        import_for_drawing()
    try:
        with ProcessPoolExecutor(workers, mp_context=context,
                                 initializer=import_for_drawing) as pool:
            # one chart at a time: a chart takes 0.04-0.1 s, so chunks would leave a core idle
            return list(pool.map(draw, specs, chunksize=1))
    except BrokenProcessPool:
        # a worker died: out of memory, killed, or a program whose main module cannot be
        # imported twice (multiprocessing imports it in each worker). Draw them here.
        return [draw(spec) for spec in specs]


def _context():
    """The forkserver if prestart started it (its workers have matplotlib loaded already);
    else fork where there is fork (Linux): workers start in milliseconds, sharing loaded
    modules."""
    if _server_started:
        return multiprocessing.get_context("forkserver")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def import_for_drawing() -> None:
    """Import matplotlib for a process that draws charts, a quarter faster than in full.

    matplotlib writes, for every kind of artist it defines, the documentation of its
    ``set()`` method, listing every property: a quarter of its import time. Nobody reads
    documentation in a process that draws apr's charts, so the writer is replaced by one that
    writes none (where matplotlib is already imported, this changes nothing).
    """
    import sys
    if "matplotlib.figure" not in sys.modules:
        import matplotlib.artist
        if hasattr(matplotlib.artist, "kwdoc"):
            matplotlib.artist.kwdoc = lambda artist: ""
    from . import _mpl
    _mpl()


def _read(charts, key: str) -> bytes | None:
    """Return the cached PNG of ``key`` if it is authentic and a PNG; else None (draw it)."""
    png = charts.read(f"{key}.png")
    return png if png is not None and png.startswith(PNG_SIGNATURE) else None


def _write(charts, key: str, png: bytes) -> None:
    """Keep one PNG, atomically; a cache that cannot be written only costs speed."""
    charts.write(f"{key}.png", png)
