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
(lines) or hatching (bars) as well as colour.

Numbers.  Value axes start at zero, except a percentage chart given ``axis_from`` (see
``zoom_start``), which says so on the chart; tick labels have thousands separators and only
the decimal places the step needs (apr/formatting.py); the unit is written once, beside the
value axis.  X labels too wide to stand upright are shortened ("23/24") or wrapped onto two
or four lines before they are ever turned.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import textwrap
from dataclasses import asdict, dataclass, field

from .. import formatting as fmt

# UK Analysis Function categorical palette, in order (ECOSYSTEM.md)
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINESTYLES = ("-", "--", "-.", ":", "-", "--")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")
PRINT_WIDTH_IN = 15 / 2.54
PHONE_WIDTH_IN = 9 / 2.54    # drawn for a phone: shown at about 340 CSS px, 9 pt is 12 px
PHONE = "phone_width_in"     # the key in ChartSpec.extra that asks for that width
MIN_FONT_PT = 9
DPI = 180
LABEL_GAP_PT = 12        # minimum vertical distance between two one-line direct labels
LABEL_WRAP = 24          # characters per line of a label beside a stacked bar
PAD_PT = 6               # space between the outermost texts and the edge of the figure
TITLE_SPACING = 1.2      # line spacing of a wrapped title, in font sizes
X_LABEL_TURN = 20        # degrees by which long x labels are turned
ABOVE_GAP_PT = 3         # between a bar and the series name standing on it
LINE_SPACING = 1.2       # matplotlib's spacing of the lines of a wrapped x label
PHONE_LABEL_WRAP = 14    # ... on a chart drawn for a phone
LYING_WRAP = 22          # characters per line of a name beside lying bars
LYING_ROOM = 1.3         # the value axis of lying bars reaches this times the longest bar


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class ChartSpec:
    """What to draw: kind "line", "bar" (grouped), "stacked", or "hbar" (grouped bars lying
    down, for long names); labels along the category axis."""

    kind: str
    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    break_before: int | None = None      # index of the first label after a series break
    width_in: float = 7.0
    height_in: float = 3.4
    percent: bool = False
    axis_from: float = 0.0               # where the value axis starts: 0 unless a zoomed %
    extra: dict = field(default_factory=dict)

    def key(self) -> str:
        """Return a hash of the spec: equal specs draw equal charts."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:20]


_style_loaded = False
_figures: dict[tuple, object] = {}     # this process's reusable figures, by width and height


def _mpl():
    """Import matplotlib's figure and apr's Agg canvas (never pyplot) and load the chart
    style, once."""
    global _style_loaded
    import matplotlib.style
    from matplotlib.figure import Figure

    from .canvas import canvas_class
    if not _style_loaded:
        from ..resources import styles_dir
        matplotlib.style.use(str(styles_dir() / "apr.mplstyle"))
        _style_loaded = True
    return Figure, canvas_class()


def zoom_start(values: list[float]) -> float:
    """Return where a percentage chart's value axis starts: 10 points below the lowest value,
    down to a multiple of 10, or 0. The chart and its alt text both say when it is not 0."""
    if not values:
        return 0.0
    return max(0.0, math.floor((min(values) - 10) / 10) * 10)


def _tick_formatter():
    """Return a value-axis formatter writing ticks as the report writes numbers ("2,000")."""
    from matplotlib.ticker import Formatter

    class Ticks(Formatter):
        step = 1.0

        def set_locs(self, locs):
            locs = list(locs)
            self.step = abs(locs[1] - locs[0]) if len(locs) > 1 else 1.0

        def __call__(self, x, pos=None):
            return fmt.tick(x, self.step)
    return Ticks()


def _width(spec: ChartSpec) -> float:
    """Return the width drawn at: print width, or the phone width when the spec asks."""
    return float(spec.extra.get(PHONE, PRINT_WIDTH_IN))


def phone_spec(spec: ChartSpec) -> ChartSpec:
    """Return ``spec`` to be drawn for a phone's screen (HTML only): narrower, same fonts, so
    that shown at about 340 CSS px its smallest text is 12 px."""
    from dataclasses import replace
    return replace(spec, extra={**spec.extra, PHONE: PHONE_WIDTH_IN})


def _height(spec: ChartSpec) -> float:
    width = _width(spec)
    return max(spec.height_in * width / spec.width_in * (1.25 if width < PRINT_WIDTH_IN else 1),
               2.6)


def _new_figure(height: float, width: float = PRINT_WIDTH_IN):
    """Return an empty figure with one axes, at print width and its output resolution.

    Created at the resolution it is drawn at, so the text sizes the layout measures are the
    ones the drawing reuses (matplotlib caches them per dpi)."""
    figure_class, canvas_class = _mpl()
    fig = figure_class(figsize=(width, height), dpi=DPI)
    canvas_class(fig)
    fig.add_subplot()
    return fig


def figure(spec: ChartSpec, reuse: bool = False):
    """Return the matplotlib figure for ``spec``, drawn at print size.

    With ``reuse``, the figure is this process's figure of that height, emptied and drawn
    again: making the axes and their ticks is half the cost of a chart, and a build draws
    dozens of charts of the same size. ``_clear`` puts back everything a chart changes, so a
    reused figure gives exactly the pixels of a new one (tests/test_charts.py checks this).
    Without ``reuse`` the figure is new and the caller's to keep.
    """
    height, width = _height(spec), _width(spec)
    reuse = reuse and spec.kind != "hbar"   # lying bars change the axes more than _clear undoes
    if not reuse:
        fig = _new_figure(height, width)
    else:
        fig = _figures.get((width, height))
        if fig is None:
            fig = _figures[(width, height)] = _new_figure(height, width)
        _clear(fig)
    ax = fig.axes[0]
    ax.yaxis.set_major_formatter(_tick_formatter())
    if spec.kind == "hbar":
        _lying_bars(ax, spec)
        _layout_lying(fig, ax, spec)
        return fig
    names = {"line": _line, "bar": _bars, "stacked": _stacked}[spec.kind](ax, spec)
    _layout(fig, ax, spec, names)
    if names.beside:
        _direct_labels(ax, names.beside)
    return fig


def _clear(fig) -> None:
    """Empty a drawn figure back to the state of a new one: no artists, automatic limits,
    upright x labels (``_layout`` then sets every margin, the title and the axis label)."""
    ax = fig.axes[0]
    for artist in (*ax.lines, *ax.patches, *ax.texts, *ax.collections, *ax.images,
                   *ax.artists, *ax.tables):
        artist.remove()
    ax.containers.clear()
    ax.relim()
    ax.set_autoscale_on(True)
    ax.tick_params(axis="x", labelrotation=0)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("center")


def draw(spec: ChartSpec) -> bytes:
    """Return the chart as PNG bytes (no timestamps, so identical specs give identical files)."""
    fig = figure(spec, reuse=True)
    fig.canvas.draw()
    return png_bytes(fig.canvas)


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


def _line(ax, spec: ChartSpec) -> Names:
    x = list(range(len(spec.labels)))
    ends: list[tuple[float, str, str]] = []
    last_x = 0
    for i, s in enumerate(spec.series):
        pts = [(xi, v) for xi, v in zip(x, s.values) if v is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
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
    high = max([v for s in spec.series for v in s.values if v is not None] or [1])
    # room above the highest point, so that no line runs along the top of the chart
    ax.set_ylim(bottom=spec.axis_from, top=100 if spec.percent else high * 1.1)
    if spec.axis_from:   # a zoomed axis is marked on the chart itself
        ax.annotate(f"Axis starts at {fmt.number(spec.axis_from)}{'%' if spec.percent else ''}",
                    (0.01, 0.02), xycoords="axes fraction", ha="left", va="bottom",
                    fontsize=MIN_FONT_PT, color="#3d3d3d")
    return Names(beside=DirectLabels(ends, last_x + 0.12, wrap=0))  # at the line ends


def _bars(ax, spec: ChartSpec) -> Names:
    """Grouped bars, each series named above its first bar (no labels beside the chart)."""
    n = max(len(spec.series), 1)
    width = 0.8 / n
    top = 0.0
    above: list[tuple[float, str]] = []
    for i, s in enumerate(spec.series):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(spec.labels))]
        vals = [v if v is not None else 0 for v in s.values]
        ax.bar(xs, vals, width, color=PALETTE[i % 6], hatch=HATCHES[i % 6], edgecolor="white",
               label=s.name)
        top = max([top] + vals)
        if n > 1 and xs:  # direct label above this series' first bar
            ax.annotate(s.name, (xs[0], vals[0]), xytext=(0, ABOVE_GAP_PT),
                        textcoords="offset points", rotation=90, ha="center", va="bottom",
                        fontsize=MIN_FONT_PT, fontweight="bold",
                        color=label_colour(PALETTE[i % 6]))
            above.append((vals[0], s.name))
    ax.set_xticks(range(len(spec.labels)), spec.labels)
    ax.set_ylim(bottom=0, top=(top or 1) * 1.08)
    return Names(above=above)


def _lying_bars(ax, spec: ChartSpec) -> None:
    """Grouped bars lying down, the names on the left (wrapped), first at the top; each series
    named at the end of its bar in the first group. For names too long to stand under bars."""
    n = max(len(spec.series), 1)
    height = 0.8 / n
    top = 0.0
    for i, s in enumerate(spec.series):
        ys = [j + (i - (n - 1) / 2) * height for j in range(len(spec.labels))]
        vals = [v if v is not None else 0 for v in s.values]
        ax.barh(ys, vals, height, color=PALETTE[i % 6], hatch=HATCHES[i % 6], edgecolor="white",
                label=s.name)
        top = max([top] + vals)
        if n > 1 and ys:
            ax.annotate(s.name, (vals[0], ys[0]), xytext=(ABOVE_GAP_PT, 0),
                        textcoords="offset points", ha="left", va="center",
                        fontsize=MIN_FONT_PT, fontweight="bold",
                        color=label_colour(PALETTE[i % 6]))
    ax.set_yticks(range(len(spec.labels)),
                  [textwrap.fill(label, LYING_WRAP) for label in spec.labels])
    ax.set_ylim(len(spec.labels) - 0.5, -0.5)           # the first name at the top
    ax.set_xlim(0, (top or 1) * LYING_ROOM)
    ax.xaxis.set_major_formatter(_tick_formatter())
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.set_axisbelow(True)


def _stacked(ax, spec: ChartSpec) -> Names:
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
    wrap = LABEL_WRAP if PHONE not in spec.extra else PHONE_LABEL_WRAP
    return Names(beside=DirectLabels(middles, len(spec.labels) - 1 + 0.35, wrap))


@dataclass
class Names:
    """How a chart names its series instead of a legend: beside it at the right, or standing
    on the first bar of each series, turned upright: (that bar's value, name)."""

    beside: DirectLabels | None = None
    above: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class DirectLabels:
    """Names written beside the chart at data x ``x``: (y, name, colour) for each series,
    wrapped at ``wrap`` characters (0: never)."""

    items: list[tuple[float, str, str]]
    x: float
    wrap: int = LABEL_WRAP

    def texts(self) -> list[tuple[float, str, str]]:
        return [(y, textwrap.fill(name, self.wrap) if self.wrap else name, colour)
                for y, name, colour in sorted(self.items)]


def _direct_labels(ax, labels: DirectLabels) -> None:
    """Write each name at x beside its y (a line end, a segment's middle), spread apart so no
    two overlap and none leaves the axes. Called once the axes have their final size."""
    ordered = labels.texts()
    if not ordered:
        return
    bottom, top = ax.get_ylim()
    per_pt = (top - bottom) / (ax.bbox.height * 72 / ax.figure.dpi)
    heights = [(label.count("\n") + 1) * LABEL_GAP_PT * per_pt for _, label, _ in ordered]
    ys: list[float] = []
    for (y, _, _), h in zip(ordered, heights):
        low = (ys[-1] + (heights[len(ys) - 1] + h) / 2) if ys else bottom + h / 2
        ys.append(max(y, low))
    overflow = ys[-1] + heights[-1] / 2 - top
    if overflow > 0:  # pushed off the top: move the column down, keeping the spacing
        ys = [y - overflow for y in ys]
    for (_, label, colour), placed in zip(ordered, ys):
        ax.text(labels.x, placed, label, va="center", ha="left", fontsize=MIN_FONT_PT,
                color=label_colour(colour), fontweight="bold", linespacing=1.0, clip_on=False)


# ------------------------------------------------------------------------------ layout
# The margins are worked out here from the sizes of the few texts around the axes, instead
# of by matplotlib's tight_layout, which measures every artist (a third of a chart's time)
# and whose result depends on where it starts. Text sizes are measured once per process.

_text_sizes: dict[tuple[str, float, bool], tuple[float, float]] = {}


def _text_size(renderer, text: str, size_pt: float, bold: bool = False) -> tuple[float, float]:
    """Return the (width, height) in pixels of one line of text in the chart font."""
    key = (text, size_pt, bold)
    if key not in _text_sizes:
        from matplotlib.font_manager import FontProperties
        prop = FontProperties(size=size_pt, weight="bold" if bold else "normal")
        width, height, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        _text_sizes[key] = (width, height)
    return _text_sizes[key]


def _block_size(renderer, text: str, size_pt: float, bold: bool, spacing: float
                ) -> tuple[float, float]:
    """Return the (width, height) in pixels of a block of lines, ``spacing`` apart (in sizes)."""
    lines = text.split("\n")
    width = max(_text_size(renderer, line, size_pt, bold)[0] for line in lines)
    height = _text_size(renderer, "lp", size_pt, bold)[1] * (1 + spacing * (len(lines) - 1))
    return width, height


def _wrap(renderer, text: str, size_pt: float, bold: bool, width: float) -> str:
    """Return ``text`` broken between words so that no line is wider than ``width`` pixels."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and _text_size(renderer, trial, size_pt, bold)[0] <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return "\n".join(lines)


def _layout(fig, ax, spec: ChartSpec, names: Names) -> None:
    """Title the chart and set its margins so that every text fits inside the figure.

    The title is wrapped to the figure width at its top left; below it the axes, leaving
    room for the x labels, the y labels and the unit, and on the right for the names written
    beside the chart. X labels that would touch upright are shortened or wrapped
    (``label_choices``); only when none of those fits (or when asked) are they turned.
    """
    turned = bool(spec.extra.get("rotate"))
    top = ax.get_ylim()[1]
    if turned:
        _turn_x_labels(ax)
        _arrange(fig, ax, spec, names, True, top, spec.labels)
        return
    for labels in label_choices(spec.labels):
        ax.set_xticks(ax.get_xticks(), labels)
        if _arrange(fig, ax, spec, names, False, top, labels):
            return
    ax.set_xticks(ax.get_xticks(), spec.labels)
    _turn_x_labels(ax)
    _arrange(fig, ax, spec, names, True, top, spec.labels)


def label_choices(labels: list[str]) -> list[list[str]]:
    """Return the x labels to try upright, best first: as given; financial years shortened
    ("23/24"); then names wrapped onto at most four lines, ever narrower."""
    choices = [list(labels)]
    short = [fmt.short_year(label) for label in labels]
    if short != choices[0]:
        choices.append(short)
    for width in (18, 14, 11, 9):
        wrapped = [textwrap.fill(label, width, break_long_words=False) for label in short]
        if max(w.count("\n") for w in wrapped) <= 3 and wrapped not in choices:
            choices.append(wrapped)
    return choices


def _place_title(fig, spec: ChartSpec) -> tuple:
    """Put the chart's title, wrapped, at its top left; return what both layouts measure with:
    (rcParams, renderer, pixels per point, padding, figure width and height, tick and unit
    font sizes, the height the title takes from the top)."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    rc = matplotlib.rcParams
    renderer = fig.canvas.get_renderer()
    px = DPI / 72
    fig_w, fig_h = fig.bbox.width, fig.bbox.height
    pad = PAD_PT * px
    title_pt = FontProperties(size=rc["axes.titlesize"]).get_size()
    tick_pt = FontProperties(size=rc["xtick.labelsize"]).get_size()
    label_pt = FontProperties(size=rc["axes.labelsize"]).get_size()
    title = _wrap(renderer, spec.title, title_pt, True, fig_w - 2 * pad)
    fig.suptitle(title, x=pad / fig_w, y=1 - pad / fig_h, ha="left", va="top",
                 fontsize=title_pt, fontweight="bold", linespacing=TITLE_SPACING)
    top = pad + _block_size(renderer, title, title_pt, True, TITLE_SPACING)[1] + title_pt * px
    return rc, renderer, px, pad, fig_w, fig_h, tick_pt, label_pt, top


def _layout_lying(fig, ax, spec: ChartSpec) -> None:
    """Title a chart of lying bars and set its margins: the names on the left, the values and
    the unit below."""
    rc, renderer, px, pad, fig_w, fig_h, tick_pt, label_pt, top = _place_title(fig, spec)
    names = [textwrap.fill(label, LYING_WRAP) for label in spec.labels] or [""]
    widest = max(_block_size(renderer, name, tick_pt, False, LINE_SPACING)[0] for name in names)
    left = pad + widest + (rc["ytick.major.pad"] + rc["ytick.major.size"]) * px
    line = _text_size(renderer, "0,", tick_pt)[1]
    unit = (_text_size(renderer, "lp", label_pt)[1] + rc["axes.labelpad"] * px) if spec.unit \
        else 0.0
    bottom = pad + line + (rc["xtick.major.pad"] + rc["xtick.major.size"]) * px + unit
    reach = _text_size(renderer, fmt.number(ax.get_xlim()[1]), tick_pt)[0] / 2
    fig.subplots_adjust(left=left / fig_w, right=1 - (pad + reach) / fig_w,
                        bottom=bottom / fig_h, top=1 - top / fig_h)
    ax.set_ylabel("")
    ax.set_xlabel(spec.unit)


def _turn_x_labels(ax) -> None:
    ax.tick_params(axis="x", labelrotation=X_LABEL_TURN)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def _arrange(fig, ax, spec: ChartSpec, names: Names, turned: bool, top_value: float,
             labels: list[str]) -> bool:
    """Set the title and margins (see ``_layout``); return whether upright x labels fit."""
    rc, renderer, px, pad, fig_w, fig_h, tick_pt, label_pt, top = _place_title(fig, spec)


    x_sizes = [_block_size(renderer, label, tick_pt, False, LINE_SPACING)
               for label in labels] or [(0.0, 0.0)]
    x_offset = (rc["xtick.major.pad"] + rc["xtick.major.size"]) * px
    angle = math.radians(X_LABEL_TURN if turned else 0)
    bottom = pad + x_offset + max(w * math.sin(angle) + h * math.cos(angle) for w, h in x_sizes)
    # the number of y ticks depends on the axes' height alone: fix it before reading them
    fig.subplots_adjust(bottom=bottom / fig_h, top=1 - top / fig_h)
    axes_h = fig_h - top - bottom
    if names.above:  # room above the first bars for the names standing on them
        ax.set_ylim(top=max([top_value] + [
            value * axes_h / max(axes_h / 4, axes_h - (ABOVE_GAP_PT + PAD_PT) * px -
                                 _text_size(renderer, name, MIN_FONT_PT, True)[0])
            for value, name in names.above]))

    low, high = ax.get_ylim()
    locs = [v for v in ax.yaxis.get_majorticklocs() if low - 1e-9 <= v <= high + 1e-9]
    y_texts = ax.yaxis.get_major_formatter().format_ticks(locs)
    y_width = max((_text_size(renderer, t, tick_pt)[0] for t in y_texts), default=0.0)
    y_reach = y_width + (rc["ytick.major.pad"] + rc["ytick.major.size"]) * px
    unit_height = _text_size(renderer, "lp", label_pt)[1] if spec.unit else 0.0
    unit_gap = rc["axes.labelpad"] * px if spec.unit else 0.0
    left = pad + unit_height + unit_gap + y_reach
    x0, x1 = ax.get_xlim()
    if turned:  # a turned label ends at its tick and reaches back to the left
        first_w, first_h = x_sizes[0]
        reach = first_w * math.cos(angle) + first_h * math.sin(angle)
        first = (0 - x0) / (x1 - x0) * (fig_w - left - pad)
        left = max(left, pad + reach - first)
    right = pad
    if names.beside and names.beside.texts():
        widest = max(_block_size(renderer, text, MIN_FONT_PT, True, 1.0)[0]
                     for _, text, _ in names.beside.texts())
        at = (names.beside.x - x0) / (x1 - x0)   # where the names start, in axes widths
        # the names must end inside the figure: left + at * (fig_w - left - right) + widest
        right = max(right, (left + at * (fig_w - left) + widest + pad - fig_w) / at)
    fig.subplots_adjust(left=left / fig_w, right=1 - right / fig_w)
    axes_w = fig_w - left - right
    ax.set_ylabel(spec.unit)
    # the unit just left of the y labels (its anchor is its right-hand side, turned upright)
    ax.yaxis.set_label_coords(-(y_reach + unit_gap) / axes_w, 0.5)
    ax.xaxis.set_label_coords(0.5, 0)   # no x label: this spares matplotlib placing one
    spacing = axes_w / (x1 - x0)          # pixels between two x labels' centres
    return max(w for w, _ in x_sizes) + tick_pt * px <= spacing
