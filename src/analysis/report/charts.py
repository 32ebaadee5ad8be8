"""The look of every chart, set once: seaborn's white grid, one palette, readable sizes.

Charts are printed and photocopied, and read by people who do not see every colour. The
palette is Okabe–Ito's colour-blind-safe set, ordered so that colours drawn together also
differ in lightness: a chart still reads in greyscale (tests/test_charts.py checks every
chart the reports draw). Charts are saved as SVG with real text, so they stay sharp when
printed or zoomed and their words can be searched and copied.

Every chart is drawn for the page it is printed on: :data:`PRINT_WIDTH` wide (the text width of
an A4 page in report.css), so that its fonts print at the size they are set in, and no text is
set under :data:`MIN_PRINT_PT`. :func:`print_scale` says how much a saved SVG is shrunk on the
page, :func:`collisions` finds text drawn over other text, over another panel, across a frame,
bar or line, or past the edge of the figure, and a legend drawn over any of these. Every legend
is drawn on an opaque white box (:func:`style`), so a gridline passes behind its words.
"""

from __future__ import annotations

import functools
import itertools
import re
import textwrap
from collections.abc import Collection

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

#: Okabe–Ito: blue, orange, vermillion, yellow, black, and a light grey; greyscale 87, 162, 119, 213, 0, 187.
PALETTE = ["#0072B2", "#E69F00", "#D55E00", "#F0E442", "#000000", "#BBBBBB"]
#: The two years of a comparison: the earlier one light, the reporting year dark (greyscale 200 and 87).
YEAR_COLOURS = ["#A5D2F0", "#0072B2"]
#: Colours that differ by less than this in greyscale (0-255) cannot be told apart on a grey print.
MIN_GREY_STEP = 20

MM = 1 / 25.4
#: The text width of a printed page (A4, 210 mm, less the printer's 16 mm side margins), in inches.
TEXT_WIDTH = 178 * MM
#: The tallest a chart is printed (report.css: figure.chart img max-height), in inches.
PRINT_MAX_HEIGHT = 120 * MM
#: The width to draw a chart at: the text width less the 0.02 in that saving pads it with on each side (render.Chart).
PRINT_WIDTH = TEXT_WIDTH - 0.05
#: No chart text is printed smaller than this (points), whatever the chart's scale on the page.
MIN_PRINT_PT = 8.0
#: The size of notes and small labels: the smallest allowed, printed at full size.
SMALL = 8.5
#: A value label's background: gridlines pass behind the number instead of through it.
LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}

# The library's look applies only while one of its own figures is open: a reader's own plots in the
# same notebook keep matplotlib's backend and the reader's style. No backend is ever chosen here:
# figures are matplotlib.figure.Figure objects, never registered with pyplot, saved straight to SVG.
_open_figures = 0
_saved_style: dict | None = None


def style() -> dict:
    """seaborn's white grid in the notebook context, our palette, and SVG text that stays text."""
    return dict(_style())


@functools.cache
def _style() -> dict:
    rc = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook")}
    rc.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "patch.facecolor": PALETTE[0],
            "figure.dpi": 100,
            "savefig.dpi": 144,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "figure.titlesize": 12,
            "figure.titleweight": "bold",
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            # Every legend on an opaque white box without a border, as a value label's (LABEL_BOX): a gridline
            # passes behind its words instead of through them, wherever the legend is put.
            "legend.frameon": True,
            "legend.framealpha": 1.0,
            "legend.facecolor": "white",
            "legend.edgecolor": "none",
            "legend.fancybox": False,
            "font.size": 9,
            # Constrained layout keeps every title, label, tick label and legend inside the figure
            # and off the neighbouring panel.
            "figure.constrained_layout.w_pad": 0.06,
            "figure.constrained_layout.h_pad": 0.06,
            "figure.constrained_layout.wspace": 0.08,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "analysis",
            # Titles and labels come from data: a course called "$5 per $ uur" is drawn as typed,
            # never parsed as mathtext (which would typeset it or raise on "$\\frac{a}$").
            "text.parse_math": False,
            "svg.fonttype": "none",  # text stays text: sharp, searchable, and the size of a few kilobytes
        }
    )
    return rc


def figure(width: float = PRINT_WIDTH, height: float = 3.0, ncols: int = 1, nrows: int = 1, **kwargs):
    """A figure of the library's own with its axes; :func:`release` (called by render.Chart) ends its style.

    The figure is laid out by matplotlib's constrained layout: titles, labels, tick labels,
    ``fig.suptitle``/``fig.supxlabel`` and ``fig.legend(loc="outside ...")`` get room inside
    the figure, and panels never run into each other. Draw it :data:`PRINT_WIDTH` wide (the
    default) so that it prints at its own size.
    """
    global _open_figures, _saved_style
    if _open_figures == 0:
        _saved_style = dict(mpl.rcParams)
        mpl.rcParams.update(style())
    _open_figures += 1
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)  # a canvas of its own, to measure drawn text; saving as SVG switches canvas for the save
    return fig, fig.subplots(nrows, ncols, **kwargs)


def release() -> None:
    """One library figure is done; when none is open, the reader's matplotlib settings come back."""
    global _open_figures, _saved_style
    _open_figures = max(0, _open_figures - 1)
    if _open_figures == 0 and _saved_style is not None:
        dict.update(mpl.rcParams, _saved_style)  # as matplotlib's rc_context restores: no re-validation
        _saved_style = None


def label_bars(ax, fmt, padding: int = 3, marked: Collection[tuple[int, int]] = ()) -> None:
    """Write each bar's value next to it, formatted for the report's language. ``marked``: the bars, as (container,
    bar) indices, whose label gets an asterisk (a value the source leaves empty, drawn like the others, not observed)."""
    for i, container in enumerate(ax.containers):
        ax.bar_label(
            container,
            labels=[(fmt(v) + ("*" if (i, j) in marked else "")) if v == v else "" for j, v in enumerate(container.datavalues)],
            padding=padding,
            fontsize=SMALL,
            bbox=LABEL_BOX,
        )


def wrap(text: str, width: float = PRINT_WIDTH, fontsize: float = SMALL, bold: bool = False) -> str:
    """``text`` broken into lines that fit ``width`` inches at ``fontsize`` (DejaVu Sans: about 0.6 em a letter, 0.68 bold)."""
    per_letter = fontsize * (0.68 if bold else 0.6) / 72
    return "\n".join(textwrap.wrap(text, max(8, int(width / per_letter)), break_long_words=False)) or text


def note(fig, text: str) -> None:
    """A note under the whole chart, left-aligned and wrapped to the figure's width; the layout makes room for it."""
    width = fig.get_figwidth() - 0.2
    fig.supxlabel(wrap(text, width), x=0.02, ha="left", fontsize=SMALL, fontweight="normal", linespacing=1.3)


def make_room(ax, axis: str = "x", texts=None, margin: float = 4.0) -> None:
    """Widen ``ax``'s data limits until its value labels (``texts``, default every text of the axes) lie inside the frame.

    A value written beyond a bar's end must stay in the plot: its extent is only known after a
    draw, and widening the limits moves every label, so this measures and widens a few times.
    ``margin`` is in points.
    """
    fig = ax.figure
    for _ in range(6):
        # Laid out and measured as a draw does, with the same renderer, but nothing rasterised: the
        # extents are the same and the pixels were never used (about a sixth of a report's execution).
        # A figure unchanged since its last layout (the previous call left it so) is not laid out again.
        if fig.stale:
            fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        shown = [t for t in (ax.texts if texts is None else texts) if t.get_visible() and t.get_text().strip()]
        if not shown:
            return
        frame = ax.bbox
        pad = margin * fig.dpi / 72
        extents = [t.get_window_extent(renderer) for t in shown]
        fig.stale = False  # measuring put each label where the layout had it: the figure is as laid out
        if axis == "x":
            low_px = min(e.x0 for e in extents) - pad - frame.x0
            high_px = max(e.x1 for e in extents) + pad - frame.x1
            size, (lo, hi) = frame.width, ax.get_xlim()
        else:
            low_px = min(e.y0 for e in extents) - pad - frame.y0
            high_px = max(e.y1 for e in extents) + pad - frame.y1
            size, (lo, hi) = frame.height, ax.get_ylim()
        grow_low, grow_high = max(0.0, -low_px), max(0.0, high_px)
        if grow_low < 0.5 and grow_high < 0.5:
            return
        # The limits map to the frame's low and high edge whichever way the axis runs (per_px is signed).
        # Widening by the overshoot shrinks every pixel's worth of data: scale up so the labels end inside.
        total = size - grow_low - grow_high
        if total <= size * 0.2:
            return
        per_px = (hi - lo) / total
        new = (lo - grow_low * per_px * 1.05, hi + grow_high * per_px * 1.05)
        (ax.set_xlim if axis == "x" else ax.set_ylim)(*new)


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of a saved SVG, in points (matplotlib writes them as "...pt")."""
    found = {
        name: float(value) for name, value in re.findall(r'\b(width|height)="([\d.]+)pt"', svg[: svg.find(">", svg.find("<svg"))])
    }
    return found["width"], found["height"]


def print_scale(width_pt: float, height_pt: float) -> float:
    """How much a chart of this size (points) is shrunk on the printed page: 1 when it fits as it is."""
    return min(1.0, TEXT_WIDTH * 72 / width_pt, PRINT_MAX_HEIGHT * 72 / height_pt)


def smallest_text(fig) -> tuple[float, str]:
    """The smallest font size (points, as drawn) among a figure's visible texts, and that text."""
    return min(((t.get_fontsize(), t.get_text()) for t in _drawn_texts(fig)), default=(float("inf"), ""))


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
    boxes = _text_boxes(fig)
    found = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if _overlap(box_a, box_b, tolerance):
            found.append((a.get_text(), b.get_text()))
    return found


def _text_boxes(fig) -> list[tuple]:
    """Every drawn text with its extent in display pixels, after a full draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for text in _drawn_texts(fig):
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            out.append((text, box))
    return out


def _overlap(a: Bbox, b: Bbox, tolerance: float) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def _inside(inner: Bbox, outer: Bbox, tolerance: float) -> bool:
    return (
        inner.x0 >= outer.x0 - tolerance
        and inner.x1 <= outer.x1 + tolerance
        and inner.y0 >= outer.y0 - tolerance
        and inner.y1 <= outer.y1 + tolerance
    )


def _name(ax) -> str:
    return ax.get_title() or ax.get_title("left") or f"panel {ax.figure.axes.index(ax) + 1}"


def collisions(fig, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Every place where a text is drawn over something it should stay clear of, as (text, what).

    After a full draw, from the extents matplotlib actually drew:

    - another text (:func:`overlapping_texts`);
    - the plot area of another panel (a y-axis label of the right panel over the left one);
    - the frame of its own panel: a text inside the plot area must stay inside, one outside
      must stay outside (a value label running through the top of the frame or past its side);
    - a bar or area of its own panel, unless it sits wholly inside it (a value written in its bar);
    - a line drawn in its panel (reference lines such as dashed event markers; not the grid);
    - the edge of the figure: nothing may be cut off or stick out of the drawing.

    A legend is checked as a whole, its box with its keys (:func:`legend_collisions`).
    """
    boxes = _text_boxes(fig)
    found = [(a, "text: " + b) for a, b in overlapping_texts(fig, tolerance)]
    frame = Bbox.from_bounds(0, 0, fig.bbox.width, fig.bbox.height)
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    for text, bbox in boxes:
        label = text.get_text()
        if not _inside(bbox, frame, tolerance):
            found.append((label, "the edge of the figure"))
        for ax in axes:
            area = ax.bbox
            if ax is not text.axes:
                if _overlap(bbox, area, tolerance):
                    found.append((label, f"the plot area of '{_name(ax)}'"))
                continue
            if _overlap(bbox, area, tolerance) and not _inside(bbox, area, tolerance):
                found.append((label, f"the frame of '{_name(ax)}'"))
            for patch in ax.patches:
                if not patch.get_visible() or patch.get_alpha() == 0:
                    continue
                extent = patch.get_window_extent(fig.canvas.get_renderer())
                if _overlap(bbox, extent, tolerance) and not _inside(bbox, extent, tolerance):
                    found.append((label, "a bar or area"))
            shrunk = Bbox.from_extents(bbox.x0 + tolerance, bbox.y0 + tolerance, bbox.x1 - tolerance, bbox.y1 - tolerance)
            for line in ax.lines:
                if not line.get_visible() or line.get_linestyle() in ("None", "", " ", "none"):
                    continue
                path = line.get_transform().transform_path(line.get_path())
                if len(path.vertices) > 1 and path.intersects_bbox(shrunk, filled=False):
                    found.append((label, "a line"))
    return found + legend_collisions(fig, tolerance)


def legends(fig) -> list:
    """Every visible legend of a figure: the figure's own and its panels'."""
    found = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [legend for legend in found if legend.get_visible()]


def legend_name(legend) -> str:
    """A legend as the checks name it: its entries."""
    return "legend: " + " / ".join(t.get_text() for t in legend.get_texts())


def opaque(legend) -> bool:
    """Whether a legend is drawn on a box that hides what lies behind it (a gridline)."""
    frame = legend.get_frame()
    return legend.get_frame_on() and frame.get_visible() and to_rgba(frame.get_facecolor(), frame.get_alpha())[3] >= 1.0


def legend_collisions(fig, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Every place where a legend, its whole box with the keys, is drawn over something, as (legend, what).

    A legend never covers data or what says it: a text that is not its own (a value label), a bar
    or area, a line (an event marker), the plot area of a panel other than its own, or its own
    panel's frame (half in, half out); nor does it stick out of the figure. A gridline may pass
    behind a legend only when the legend's box is opaque: through a bare legend the line strikes
    its words through.
    """
    found: list[tuple[str, str]] = []
    shown = legends(fig)
    if not shown:
        return found
    texts = _text_boxes(fig)  # after a full draw
    renderer = fig.canvas.get_renderer()
    edge = Bbox.from_bounds(0, 0, fig.bbox.width, fig.bbox.height)
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    for legend in shown:
        box = legend.get_window_extent(renderer)
        name = legend_name(legend)
        own = {id(t) for t in (*legend.get_texts(), legend.get_title())}
        found += [(name, "text: " + t.get_text()) for t, b in texts if id(t) not in own and _overlap(box, b, tolerance)]
        if not _inside(box, edge, tolerance):
            found.append((name, "the edge of the figure"))
        inner = Bbox.from_extents(box.x0 + tolerance, box.y0 + tolerance, box.x1 - tolerance, box.y1 - tolerance)
        for ax in axes:
            if not _overlap(box, ax.bbox, tolerance):
                continue
            if ax is not legend.axes:
                found.append((name, f"the plot area of '{_name(ax)}'"))
            elif not _inside(box, ax.bbox, tolerance):
                found.append((name, f"the frame of '{_name(ax)}'"))
            bars = [p for p in ax.patches if p.get_visible() and p.get_alpha() != 0]
            if any(_overlap(box, p.get_window_extent(renderer), tolerance) for p in bars):
                found.append((name, "a bar or area"))
            for line in ax.lines:
                if line.get_visible() and line.get_linestyle() not in ("None", "", " ", "none"):
                    path = line.get_transform().transform_path(line.get_path())
                    if len(path.vertices) > 1 and path.intersects_bbox(inner, filled=False):
                        found.append((name, "a line"))
            if not opaque(legend):
                for grid in (tick.gridline for axis in (ax.xaxis, ax.yaxis) for tick in axis._update_ticks()):
                    if not grid.get_visible():  # only the ticks inside the view are drawn (as in _drawn_texts)
                        continue
                    path = grid.get_transform().transform_path(grid.get_path())
                    if path.intersects_bbox(inner, filled=False):
                        found.append((name, "a gridline"))
                        break
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
