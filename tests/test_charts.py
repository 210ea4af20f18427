"""Charts follow the UK Analysis Function guidance: print-size text, direct labels instead of
legends, meaning not by colour alone, bar axes from zero, reproducible bytes."""
from __future__ import annotations

import pytest

from apr.charts import MIN_FONT_PT, PALETTE, PRINT_WIDTH_IN, ChartSpec, Series, draw, figure, \
    label_colour

YEARS = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
SPECS = {
    "line": ChartSpec("line", "Emergency admissions, Strathlinn and Scotland", YEARS,
                      [Series("Strathlinn", [10.5, 10.9, 9.1, 10.2, 10.8, 11.2]),
                       Series("Scotland", [11.0, 11.2, 9.5, 10.6, 11.1, 11.7])], unit="rate"),
    "bar": ChartSpec("bar", "Budget and outturn by year", YEARS,
                     [Series("Budget", [245, 252, 260, 272, 288, 309]),
                      Series("Outturn", [244, 252, 254, 266, 287, 310])], unit="£m", width_in=8),
    "stacked": ChartSpec("stacked", "Spend by prescribed category", YEARS,
                         [Series(f"({k}) {name}", [v] * 6) for k, name, v in (
                             ("a", "Health care for hospital inpatients", 40),
                             ("b", "Health care other than for hospital inpatients", 110),
                             ("c", "Social care in care homes", 40),
                             ("d", "Social care to support unpaid carers", 4),
                             ("e", "Other social care", 90))], unit="£m", width_in=8),
}
# charts whose layout is hard: long turned names, seven years beside five long names, a long
# title, no unit, names standing on bars
HARD = {
    **SPECS,
    "turned": ChartSpec("bar", "Savings planned and achieved, 2023/24",
                        ["Prescribing efficiencies", "Review of care packages",
                         "Reablement reducing ongoing care", "Property: ending the Shore Road lease"],
                        [Series("Planned", [1.5, 1.3, 0.9, 0.2]),
                         Series("Achieved", [1.2, 1.1, 0.8, 0.1])], unit="£m", width_in=8,
                        extra={"rotate": True}),
    "crowded": ChartSpec("stacked", "Spend by prescribed category, seven years", ["2017/18", *YEARS],
                         SPECS["stacked"].series and [Series(s.name, [*s.values, s.values[-1]])
                                                      for s in SPECS["stacked"].series],
                         unit="£m", width_in=8),
    "long title": ChartSpec("line", "Percentage of adults supported at home who agree that they "
                            "are supported to live as independently as possible, Strathlinn "
                            "and Scotland", YEARS[:3],
                            [Series("Strathlinn", [80.1, 79.0, 78.2]),
                             Series("Scotland", [81.0, 80.5, 78.8])], percent=True),
    "lying": ChartSpec("hbar", "Savings planned and achieved, 2023/24",
                       ["Prescribing efficiencies", "Review of care packages",
                        "Reablement reducing ongoing care",
                        "Property: ending the Shore Road lease"],
                       [Series("Planned", [1500, 1300, 900, 200]),
                        Series("Achieved", [1200, 1100, 800, 100])], unit="£000", width_in=8,
                       height_in=4),
    "big numbers": ChartSpec("line", "People waiting", YEARS,
                             [Series("Strathlinn", [120000, 125000, 99000, 101000, 98000, 97000])],
                             unit="people"),
}


@pytest.fixture(params=sorted(SPECS))
def drawn(request):
    fig = figure(SPECS[request.param])
    fig.canvas.draw()
    return request.param, fig


def texts(fig) -> list:
    return [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and
                                   hasattr(a, "get_text")) if t.get_text().strip()]


def test_drawn_at_the_word_width_with_print_size_text(drawn):
    _, fig = drawn
    assert fig.get_figwidth() == pytest.approx(PRINT_WIDTH_IN)  # 15 cm, as placed in Word
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < MIN_FONT_PT]
    assert small == []


def test_series_are_labelled_directly_not_by_legend(drawn):
    kind, fig = drawn
    ax = fig.axes[0]
    assert ax.get_legend() is None
    shown = {t.get_text().replace("\n", " ") for t in texts(fig)}
    for series in SPECS[kind].series:
        assert series.name in shown


def test_series_differ_by_more_than_colour(drawn):
    kind, fig = drawn
    ax = fig.axes[0]
    if kind == "line":
        styles = {(line.get_marker(), line.get_linestyle()) for line in ax.get_lines()
                  if line.get_marker() not in (None, "None", "")}
        assert len(styles) == len(SPECS[kind].series)
    else:
        hatches = {patch.get_hatch() for patch in ax.patches}
        assert len(hatches) == len(SPECS[kind].series)


def test_bar_axes_start_at_zero(drawn):
    kind, fig = drawn
    if kind != "line":
        assert fig.axes[0].get_ylim()[0] == 0


@pytest.mark.parametrize("kind", ["line", "stacked"])
def test_direct_labels_do_not_overlap(kind):
    fig = figure(SPECS[kind])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = {s.name for s in SPECS[kind].series}
    boxes = sorted((t.get_window_extent(renderer) for t in texts(fig)
                    if t.get_text().replace("\n", " ") in names), key=lambda b: b.y0)
    assert len(boxes) == len(names)
    assert all(low.y1 <= high.y0 + 0.5 for low, high in zip(boxes, boxes[1:]))


def test_label_text_keeps_aa_contrast():
    assert label_colour(PALETTE[0]) == PALETTE[0]          # dark blue: 10:1 on white
    assert label_colour(PALETTE[3]) == "#0b0c0c"           # orange is too light for text


def test_same_spec_same_png():
    assert draw(SPECS["bar"]) == draw(SPECS["bar"])


def _png(fig) -> bytes:
    from apr.charts import png_bytes
    fig.canvas.draw()
    return png_bytes(fig.canvas)


@pytest.mark.parametrize("kind", sorted(HARD))
def test_a_reused_figure_draws_what_a_new_one_does(kind):
    """draw() reuses one figure per size; whatever it drew before must leave no trace."""
    for other in sorted(HARD):          # every other chart first, the turned ones included
        draw(HARD[other])
    assert draw(HARD[kind]) == _png(figure(HARD[kind]))


def drawn_texts(fig) -> list:
    """Return the texts a person sees: the title, the unit, the names and notes on the axes,
    and the labels of the ticks inside the axes (matplotlib keeps labels for ticks outside
    them, which it does not draw)."""
    ax = fig.axes[0]
    shown = [fig._suptitle, ax.yaxis.label, *ax.texts]
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        shown += [label for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
                  if low - 1e-9 <= loc <= high + 1e-9]
    return [t for t in shown if t.get_visible() and t.get_text().strip()]


def _boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in drawn_texts(fig)]


@pytest.mark.parametrize("kind", sorted(HARD))
def test_every_text_is_inside_the_figure(kind):
    fig = figure(HARD[kind])
    outside = [(t.get_text(), box.bounds) for t, box in _boxes(fig)
               if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > fig.bbox.x1 + 0.5
               or box.y1 > fig.bbox.y1 + 0.5]
    assert outside == []


@pytest.mark.parametrize("kind", sorted(HARD))
def test_the_title_clears_everything_else(kind):
    fig = figure(HARD[kind])
    boxes = _boxes(fig)
    title = fig.get_suptitle()
    assert title.replace("\n", " ") == HARD[kind].title
    (title_box,) = [box for t, box in boxes if t is fig._suptitle]
    others = [t.get_text() for t, box in boxes if t is not fig._suptitle and box.overlaps(title_box)]
    assert others == []
    assert title_box.y0 >= fig.axes[0].bbox.y1      # above the plotting area
    assert title_box.width <= fig.bbox.width


@pytest.mark.parametrize("kind", sorted(HARD))
def test_x_labels_never_touch(kind):
    """Upright labels are spaced apart; labels too long for that are turned."""
    fig = figure(HARD[kind])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    if labels[0].get_rotation() == 0:
        boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))
    elif not HARD[kind].extra.get("rotate"):     # turned unasked: upright, they would touch
        ax = fig.axes[0]
        spacing = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
        widest = max(renderer.get_text_width_height_descent(t.get_text(), t.get_fontproperties(),
                                                            ismath=False)[0] for t in labels)
        assert widest > spacing * 0.8


def test_names_standing_on_bars_stay_inside_the_axes():
    fig = figure(HARD["turned"])
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = [t for t in ax.texts if t.get_text() in {"Planned", "Achieved"}]
    assert len(names) == 2
    assert all(t.get_window_extent(renderer).y1 <= ax.bbox.y1 for t in names)


def _pixels(spec: ChartSpec, canvas_class):
    """Return the chart drawn on ``canvas_class`` as an array of grey levels."""
    import numpy as np
    from matplotlib.figure import Figure

    from apr.charts import _arrange, _mpl  # noqa: F401  (loads the chart style)
    _mpl()
    fig = figure(spec)
    canvas_class(fig)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2), Figure


@pytest.mark.parametrize("kind", ["line", "turned"])
def test_cached_text_looks_like_matplotlibs_own(kind):
    """The caching canvas places whole-line bitmaps at whole pixels; matplotlib places each
    glyph at a fraction of one. The ink must be the same, within a hair's breadth."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from apr.charts.canvas import CachingCanvas, supported
    assert supported()        # the matplotlib apr installs has what the cache relies on
    ours, _ = _pixels(HARD[kind], CachingCanvas)
    theirs, _ = _pixels(HARD[kind], FigureCanvasAgg)
    assert ours.shape == theirs.shape
    ink_ours, ink_theirs = (255 - ours).sum(), (255 - theirs).sum()
    assert abs(ink_ours - ink_theirs) / ink_theirs < 0.02
    # where ours is solid ink, matplotlib's has some ink within a pixel
    inked = theirs < 192
    near = inked.copy()
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, -1), (1, -1), (-1, 1)):
        near |= np.roll(np.roll(inked, dy, axis=0), dx, axis=1)
    assert ((ours < 64) & ~near).sum() == 0


def test_charts_still_draw_where_the_cache_cannot_work(monkeypatch):
    from apr.charts import canvas
    monkeypatch.setattr(canvas, "supported", lambda: False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    assert canvas.canvas_class() is FigureCanvasAgg
    fig = figure(HARD["line"])
    png = draw(HARD["line"])
    assert png.startswith(b"\x89PNG") and fig is not None
