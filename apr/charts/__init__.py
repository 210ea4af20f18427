"""Charts: specifications in, PNG bytes out, drawn with matplotlib in the UK Analysis Function
style (colour-blind-safe palette, direct labels, meaning never by colour alone).

A spec is plain data, so the same spec always gives the same bytes and can be cached by hash.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field

# UK Analysis Function categorical palette, in order (ECOSYSTEM.md)
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINESTYLES = ("-", "--", "-.", ":", "-", "--")


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


def draw(spec: ChartSpec) -> bytes:
    """Return the chart as PNG bytes (no timestamps, so identical specs give identical files)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(spec.width_in, spec.height_in))
    try:
        {"line": _line, "bar": _bars, "stacked": _stacked}[spec.kind](ax, spec)
        ax.set_title(spec.title, loc="left", wrap=True)
        if spec.unit:
            ax.set_ylabel(spec.unit)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


def _line(ax, spec: ChartSpec) -> None:
    x = list(range(len(spec.labels)))
    lows = []
    for i, s in enumerate(spec.series):
        pts = [(xi, v) for xi, v in zip(x, s.values) if v is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
        lows.append(min(ys))
        ax.plot(xs, ys, color=PALETTE[i % 6], marker=MARKERS[i % 6], linestyle=LINESTYLES[i % 6],
                label=s.name)
        # direct label at the last point, instead of a legend
        ax.annotate(s.name, (xs[-1], ys[-1]), xytext=(6, 0), textcoords="offset points",
                    va="center", color=PALETTE[i % 6], fontweight="bold", fontsize=9)
    if spec.break_before is not None:
        ax.axvline(spec.break_before - 0.5, color="#3d3d3d", linestyle=":", linewidth=1.2)
        ax.annotate("series break", (spec.break_before - 0.45, 1.0), xycoords=("data", "axes fraction"),
                    va="top", fontsize=8, color="#3d3d3d")
    ax.set_xticks(x, spec.labels)
    ax.set_xlim(-0.3, len(x) - 1 + 1.2)
    if spec.percent:
        ax.set_ylim(bottom=max(0, min(lows or [0]) - 10), top=100)
    else:
        ax.set_ylim(bottom=0)


def _bars(ax, spec: ChartSpec) -> None:
    n = max(len(spec.series), 1)
    width = 0.8 / n
    hatches = ("", "//", "..", "xx", "\\\\", "oo")
    for i, s in enumerate(spec.series):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(spec.labels))]
        vals = [v if v is not None else 0 for v in s.values]
        ax.bar(xs, vals, width, color=PALETTE[i % 6], hatch=hatches[i % 6], edgecolor="white",
               label=s.name)
    ax.set_xticks(range(len(spec.labels)), spec.labels)
    ax.set_ylim(bottom=0)
    if n > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=min(n, 3), fontsize=8)
    if spec.extra.get("rotate"):
        ax.tick_params(axis="x", labelrotation=20)


def _stacked(ax, spec: ChartSpec) -> None:
    bottoms = [0.0] * len(spec.labels)
    hatches = ("", "//", "..", "xx", "\\\\", "oo")
    for i, s in enumerate(spec.series):
        vals = [v if v is not None else 0 for v in s.values]
        ax.bar(range(len(spec.labels)), vals, 0.6, bottom=bottoms, color=PALETTE[i % 6],
               hatch=hatches[i % 6], edgecolor="white", label=s.name)
        bottoms = [b + v for b, v in zip(bottoms, vals)]
    ax.set_xticks(range(len(spec.labels)), spec.labels)
    ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0),
              fontsize=8)
