"""An Agg canvas that renders each distinct text once per process.

A report's charts repeat the same few dozen texts: the years along the x axis, the y values,
the units, the names of the series. matplotlib 3.11 renders text glyph by glyph, through
Python, every time a text is drawn: a third of a chart's drawing time. ``CachingRenderer``
renders a text's whole line into one bitmap with FreeType (as matplotlib up to 3.10 did),
keeps the bitmap, and from then on only places it: drawing a chart's texts drops from about
20 ms to 3 ms.

The pixels are those of matplotlib 3.10's text drawing: each line is rendered at the origin
and placed at a whole pixel (3.11 places each glyph at a fraction of a pixel; at 180 dpi the
difference cannot be seen; tests/test_charts.py compares the two). Turned and mathematical
text, and any matplotlib without the pieces this relies on, go through matplotlib's own
drawing, unchanged.
"""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

MAX_TEXTS = 4096      # bitmaps kept per process; a national batch uses about 1,500
_bitmaps: dict[tuple, tuple] = {}


def supported() -> bool:
    """Return whether this matplotlib has what CachingRenderer uses."""
    from matplotlib.ft2font import FT2Font
    return all(hasattr(FT2Font, name) for name in
               ("set_text", "draw_glyphs_to_bitmap", "get_image", "get_bitmap_offset",
                "get_descent")) and hasattr(RendererAgg, "_prepare_font")


class CachingRenderer(RendererAgg):
    """RendererAgg whose draw_text renders each (text, font, size) once."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle:   # turned text: matplotlib 3.11 turns bitmaps about another corner
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        antialiased = bool(gc.get_antialiased())
        key = (s, _font_key(prop), self.dpi, antialiased)
        found = _bitmaps.get(key)
        if found is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=antialiased)
            xo, yo = font.get_bitmap_offset()
            found = (font.get_image().copy(), xo / 64, yo / 64, font.get_descent() / 64)
            if len(_bitmaps) >= MAX_TEXTS:
                _bitmaps.clear()
            _bitmaps[key] = found
        image, xo, yo, descent = found
        # the baseline, not the bitmap's bottom, is at y
        self._renderer.draw_text_image(image, round(x + xo), round(y + yo + descent) + 1, 0, gc)


def _font_key(prop) -> tuple:
    """Return everything about a FontProperties that changes the rendered text."""
    return (tuple(prop.get_family()), prop.get_slant(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file())


class CachingCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with CachingRenderer."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def canvas_class() -> type[FigureCanvasAgg]:
    """Return the canvas to draw charts on: the caching one where it works."""
    return CachingCanvas if supported() else FigureCanvasAgg
