"""The look of every chart, set once: seaborn's white grid, one palette, readable sizes.

Charts are printed and photocopied, and read by people who do not see every colour. The
palette is Okabe–Ito's colour-blind-safe set, ordered so that colours drawn together also
differ in lightness: a chart still reads in greyscale (tests/test_charts.py checks every
chart the reports draw). Charts are saved as SVG with real text, so they stay sharp when
printed or zoomed and their words can be searched and copied.
"""

from __future__ import annotations

import itertools

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

#: Okabe–Ito: blue, orange, vermillion, yellow, black, and a light grey; greyscale 87, 162, 119, 213, 0, 187.
PALETTE = ["#0072B2", "#E69F00", "#D55E00", "#F0E442", "#000000", "#BBBBBB"]
#: The two years of a comparison: the earlier one light, the reporting year dark (greyscale 200 and 87).
YEAR_COLOURS = ["#A5D2F0", "#0072B2"]
#: Colours that differ by less than this in greyscale (0-255) cannot be told apart on a grey print.
MIN_GREY_STEP = 20

# The library's look applies only while one of its own figures is open: a reader's own plots in the
# same notebook keep matplotlib's backend and the reader's style. No backend is ever chosen here:
# figures are matplotlib.figure.Figure objects, never registered with pyplot, saved straight to SVG.
_open_figures = 0
_saved_style: dict | None = None


def style() -> dict:
    """seaborn's white grid in the notebook context, our palette, and SVG text that stays text."""
    rc = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook")}
    rc.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "patch.facecolor": PALETTE[0],
            "figure.dpi": 100,
            "savefig.dpi": 144,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "analysis",
            # Titles and labels come from data: a course called "$5 per $ uur" is drawn as typed,
            # never parsed as mathtext (which would typeset it or raise on "$\\frac{a}$").
            "text.parse_math": False,
            "svg.fonttype": "none",  # text stays text: sharp, searchable, and the size of a few kilobytes
        }
    )
    return rc


def figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1, **kwargs):
    """A figure of the library's own with its axes; :func:`release` (called by render.Chart) ends its style."""
    global _open_figures, _saved_style
    if _open_figures == 0:
        _saved_style = dict(mpl.rcParams)
        mpl.rcParams.update(style())
    _open_figures += 1
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)  # a canvas of its own, to measure drawn text; saving as SVG switches canvas for the save
    return fig, fig.subplots(nrows, ncols, **kwargs)


def release() -> None:
    """One library figure is done; when none is open, the reader's matplotlib settings come back."""
    global _open_figures, _saved_style
    _open_figures = max(0, _open_figures - 1)
    if _open_figures == 0 and _saved_style is not None:
        dict.update(mpl.rcParams, _saved_style)  # as matplotlib's rc_context restores: no re-validation
        _saved_style = None


def label_bars(ax, fmt, padding: int = 3) -> None:
    """Write each bar's value next to it, formatted for the report's language."""
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt(v) if v == v else "" for v in container.datavalues], padding=padding, fontsize=9)


def grey(colour) -> float:
    """The grey level (0-255, ITU-R BT.601 luma) a colour prints as on a greyscale printer."""
    r, g, b, _ = to_rgba(colour)
    return 255 * (0.299 * r + 0.587 * g + 0.114 * b)


def text_colour(background) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "black" if grey(background) > 140 else "white"


def overlapping_texts(fig, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of visible texts whose drawn boxes overlap (in display pixels), after a full draw.

    Texts placed by hand (footnotes, value labels, legends outside the axes) can land on each
    other in one language and not in the other; this finds them from the extents matplotlib
    actually drew, not from where the code meant to put them.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = _drawn_texts(fig)
    boxes = []
    for text in texts:
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((text.get_text(), box))
    found = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if (
            min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > tolerance
            and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > tolerance
        ):
            found.append((a, b))
    return found


def _drawn_texts(fig) -> list:
    """Every text a draw puts on the page: tick labels only for ticks inside the view.

    An axis keeps spare tick objects beyond its limits that are never drawn; their stale
    positions must not count as overlaps.
    """
    tick_texts: set[int] = set()
    drawn: list = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update((id(tick.label1), id(tick.label2)))
            for tick in axis._update_ticks():
                drawn.extend(label for label in (tick.label1, tick.label2) if label.get_visible())
    for text in fig.findobj(mpl.text.Text):
        if id(text) not in tick_texts and text.get_visible():
            drawn.append(text)
    return [t for t in drawn if t.get_text().strip() and t.get_alpha() != 0]


def distinct_colours(fig) -> list[tuple[float, float, float, float]]:
    """The fill colours of a chart's bars and areas (not the white or grey background)."""
    colours: set[tuple[float, float, float, float]] = set()
    for ax in fig.axes:
        for patch in ax.patches:
            r, g, b, a = (round(c, 3) for c in to_rgba(patch.get_facecolor()))
            rgba = (r, g, b, a)
            if rgba[3] > 0 and rgba[:3] != (1.0, 1.0, 1.0) and patch.get_visible():
                colours.add(rgba)
    return sorted(colours)
