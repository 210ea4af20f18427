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


@pytest.fixture(params=sorted(SPECS))
def drawn(request):
    fig = figure(SPECS[request.param])
    fig.canvas.draw()
    yield request.param, fig
    import matplotlib.pyplot as plt
    plt.close(fig)


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
