"""Charts: specifications in, PNG bytes out, drawn with matplotlib in the UK Analysis Function
style (colour-blind-safe palette, direct labels, meaning never by colour alone).

A spec is plain data, so the same spec always gives the same bytes and can be cached by hash.

Print size.  Every chart is drawn at ``PRINT_WIDTH_IN`` (15 cm, the width the Word writer
places it at), keeping the proportions of the spec's ``width_in`` x ``height_in``, so the font
sizes in ``styles/apr.mplstyle`` are the sizes on paper: no text is smaller than
``MIN_FONT_PT`` (9 pt).

Labels.  Lines are labelled at their last point; stacked bars beside the last bar, each label
at the middle of its segment (spread apart so they never overlap); grouped bars above the bars
of the first group.  None of them uses a legend.  Series differ by marker and line style
(lines) or hatching (bars) as well as colour.  Bar axes start at zero.
"""
from __future__ import annotations

import hashlib
import io
import json
import textwrap
from dataclasses import asdict, dataclass, field

# UK Analysis Function categorical palette, in order (ECOSYSTEM.md)
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINESTYLES = ("-", "--", "-.", ":", "-", "--")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")
PRINT_WIDTH_IN = 15 / 2.54
MIN_FONT_PT = 9
DPI = 180
LABEL_GAP_PT = 12        # minimum vertical distance between two one-line direct labels
LABEL_WRAP = 24          # characters per line of a label beside a stacked bar


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class ChartSpec:
    """What to draw: kind "line", "bar" (grouped) or "stacked"; labels along the x axis."""

    kind: str
    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    break_before: int | None = None      # index of the first label after a series break
    width_in: float = 7.0
    height_in: float = 3.4
    percent: bool = False
    extra: dict = field(default_factory=dict)

    def key(self) -> str:
        """Return a hash of the spec: equal specs draw equal charts."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:20]


_pyplot = None


def _plt():
    global _pyplot
    if _pyplot is None:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from ..resources import styles_dir
        plt.style.use(str(styles_dir() / "apr.mplstyle"))
        _pyplot = plt
    return _pyplot


def figure(spec: ChartSpec):
    """Return the matplotlib figure for ``spec``, drawn at print size (close it when done)."""
    plt = _plt()
    height = spec.height_in * PRINT_WIDTH_IN / spec.width_in
    # created at the resolution it is drawn at, so the text sizes tight_layout measures are
    # the ones the drawing reuses (matplotlib caches them per dpi): a tenth of the drawing time
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, max(height, 2.6)), dpi=DPI)
    {"line": _line, "bar": _bars, "stacked": _stacked}[spec.kind](ax, spec)
    # a fixed y turns off matplotlib's automatic title placement (about a tenth of the drawing
    # time); with no ticks on top it would choose the same place, so the pixels are unchanged
    ax.set_title(spec.title, loc="left", wrap=True, y=1.0)
    if spec.unit:
        ax.set_ylabel(spec.unit)
    fig.tight_layout()
    return fig


def draw(spec: ChartSpec) -> bytes:
    """Return the chart as PNG bytes (no timestamps, so identical specs give identical files)."""
    fig = figure(spec)
    try:
        fig.set_dpi(DPI)
        fig.canvas.draw()
        return png_bytes(fig.canvas)
    finally:
        _plt().close(fig)


def png_bytes(canvas) -> bytes:
    """Return the drawn canvas as a 256-colour PNG.

    Charts are flat colours plus anti-aliasing, which a 256-colour palette keeps: the file is
    a third of the size of full colour and encodes twice as fast.
    """
    from PIL import Image
    size = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(DPI, DPI))
    return buf.getvalue()


def label_colour(colour: str) -> str:
    """Return ``colour`` for label text if it has 4.5:1 contrast on white, else near-black."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return colour if 1.05 / (luminance + 0.05) >= 4.5 else "#0b0c0c"


def _line(ax, spec: ChartSpec) -> None:
    x = list(range(len(spec.labels)))
    lows = []
    ends: list[tuple[float, str, str]] = []
    last_x = 0
    for i, s in enumerate(spec.series):
        pts = [(xi, v) for xi, v in zip(x, s.values) if v is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
        lows.append(min(ys))
        ax.plot(xs, ys, color=PALETTE[i % 6], marker=MARKERS[i % 6], linestyle=LINESTYLES[i % 6],
                label=s.name)
        ends.append((ys[-1], s.name, PALETTE[i % 6]))
        last_x = max(last_x, xs[-1])
    if spec.break_before is not None:
        ax.axvline(spec.break_before - 0.5, color="#3d3d3d", linestyle=":", linewidth=1.2)
        ax.annotate("series break", (spec.break_before - 0.45, 1.0),
                    xycoords=("data", "axes fraction"),
                    va="top", fontsize=MIN_FONT_PT, color="#3d3d3d")
    ax.set_xticks(x, spec.labels)
    ax.set_xlim(-0.3, len(x) - 1 + 1.2)
    if spec.percent:
        ax.set_ylim(bottom=max(0, min(lows or [0]) - 10), top=100)
    else:
        ax.set_ylim(bottom=0)
    _direct_labels(ax, ends, last_x + 0.12, wrap=0)  # at the line ends, instead of a legend


def _bars(ax, spec: ChartSpec) -> None:
    n = max(len(spec.series), 1)
    width = 0.8 / n
    top = 0.0
    for i, s in enumerate(spec.series):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(spec.labels))]
        vals = [v if v is not None else 0 for v in s.values]
        ax.bar(xs, vals, width, color=PALETTE[i % 6], hatch=HATCHES[i % 6], edgecolor="white",
               label=s.name)
        top = max([top] + vals)
        if n > 1 and xs:  # direct label above this series' first bar
            ax.annotate(s.name, (xs[0], vals[0]), xytext=(0, 3), textcoords="offset points",
                        rotation=90, ha="center", va="bottom", fontsize=MIN_FONT_PT,
                        fontweight="bold", color=label_colour(PALETTE[i % 6]))
    ax.set_xticks(range(len(spec.labels)), spec.labels)
    ax.set_ylim(bottom=0, top=(top or 1) * (1.35 if n > 1 else 1.08))
    if spec.extra.get("rotate"):
        ax.tick_params(axis="x", labelrotation=20)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")


def _stacked(ax, spec: ChartSpec) -> None:
    bottoms = [0.0] * len(spec.labels)
    middles: list[tuple[float, str, str]] = []
    for i, s in enumerate(spec.series):
        vals = [v if v is not None else 0 for v in s.values]
        ax.bar(range(len(spec.labels)), vals, 0.6, bottom=bottoms, color=PALETTE[i % 6],
               hatch=HATCHES[i % 6], edgecolor="white", label=s.name)
        if vals:
            middles.append((bottoms[-1] + vals[-1] / 2, s.name, PALETTE[i % 6]))
        bottoms = [b + v for b, v in zip(bottoms, vals)]
    ax.set_xticks(range(len(spec.labels)), spec.labels)
    ax.set_ylim(bottom=0, top=max(bottoms or [1]) * 1.05)
    ax.set_xlim(-0.5, len(spec.labels) - 0.5)
    _direct_labels(ax, middles, len(spec.labels) - 1 + 0.35)


def _direct_labels(ax, items: list[tuple[float, str, str]], x: float,
                   wrap: int = LABEL_WRAP) -> None:
    """Write each name at x beside its y (a line end, a segment's middle), spread apart so no
    two overlap and none leaves the axes."""
    if not items:
        return
    bottom, top = ax.get_ylim()
    per_pt = (top - bottom) / (ax.bbox.height * 72 / ax.figure.dpi)
    ordered = [(y, textwrap.fill(name, wrap) if wrap else name, colour)
               for y, name, colour in sorted(items)]
    heights = [(label.count("\n") + 1) * LABEL_GAP_PT * per_pt for _, label, _ in ordered]
    ys: list[float] = []
    for (y, _, _), h in zip(ordered, heights):
        low = (ys[-1] + (heights[len(ys) - 1] + h) / 2) if ys else bottom + h / 2
        ys.append(max(y, low))
    overflow = ys[-1] + heights[-1] / 2 - top
    if overflow > 0:  # pushed off the top: move the column down, keeping the spacing
        ys = [y - overflow for y in ys]
    for (_, label, colour), placed in zip(ordered, ys):
        ax.text(x, placed, label, va="center", ha="left", fontsize=MIN_FONT_PT,
                color=label_colour(colour), fontweight="bold", linespacing=1.0, clip_on=False)
