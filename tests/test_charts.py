"""Every chart the reports draw: no text on top of anything, text big enough in print, greyscale, SVG with alt text.

The charts are made by running each notebook's own code in this process (both languages, the
project's data, and synthetic extracts so the extract charts are drawn too), with
:class:`analysis.report.render.Chart` wrapped to inspect each figure before it is closed.
"""

from __future__ import annotations

import html
import itertools
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.report import charts, render
from analysis.report.i18n import Lang
from analysis.report.render import Chart
from tests.helpers import copy_data, write_extracts

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("q*.ipynb"))


def draw_all(notebook: Path, lang: str, data_dir: str = "", **parameters) -> list[dict]:
    """Run the notebook's code cells with the given parameters; one record per chart it made."""
    seen: list[dict] = []
    original = Chart.__init__

    def inspect(self, figure, alt, *args, **kwargs):
        seen.append(
            {
                "title": alt,
                "overlaps": charts.overlapping_texts(figure),
                "collisions": charts.collisions(figure),
                "colours": charts.distinct_colours(figure),
                "texts": len(charts._drawn_texts(figure)),
                "smallest": charts.smallest_text(figure),
                "legends": [(charts.legend_name(legend), charts.opaque(legend)) for legend in charts.legends(figure)],
            }
        )
        original(self, figure, alt, *args, **kwargs)
        seen[-1]["chart"] = self
        seen[-1]["scale"] = charts.print_scale(*charts.svg_size(self.svg))

    nb = nbformat.read(notebook, as_version=4)
    namespace = {"display": lambda *args, **kwargs: None}
    render.Chart.__init__ = inspect
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            if "parameters" in cell.metadata.get("tags", []):
                source += f"\nlang = {lang!r}\ndata_dir = {data_dir!r}"
                source += "".join(f"\n{name} = {value!r}" for name, value in parameters.items())
            exec(compile(source, f"{notebook.name}:{cell.get('id')}", "exec"), namespace)
    finally:
        render.Chart.__init__ = original
    return seen


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[tuple[str, str, str], list[dict]]:
    extracts = copy_data(tmp_path_factory.mktemp("extracts") / "data")
    write_extracts(extracts)
    out = {}
    for notebook in NOTEBOOKS:
        for lang in ("nl", "en"):
            for label, folder in (("data", ""), ("extracts", str(extracts))):
                out[(notebook.stem, lang, label)] = draw_all(notebook, lang, folder)
        out[(notebook.stem, "en", "february")] = draw_all(notebook, "en", months=[2])  # other labels, other lengths
    return out


def test_every_chart_the_reports_draw_is_inspected(drawn):
    names = {stem.split("_")[0] for (stem, _, _), made in drawn.items() if made}
    assert names >= {"q1", "q2", "q3", "q5", "q7"}, names  # q2 and q3 draw only with extracts; q4 and q6 have tables only
    assert all(record["texts"] >= 3 for made in drawn.values() for record in made)


def test_no_text_in_any_chart_overlaps_another(drawn):
    problems = [(key, r["title"], r["overlaps"]) for key, made in drawn.items() for r in made if r["overlaps"]]
    assert not problems, problems


def test_no_text_runs_into_another_panel_a_frame_a_bar_a_line_or_the_edge(drawn):
    problems = [(key, r["title"], r["collisions"]) for key, made in drawn.items() for r in made if r["collisions"]]
    assert not problems, "\n".join(map(str, problems))


def test_every_legend_is_drawn_on_an_opaque_box(drawn):
    """A gridline passes behind a legend's words, as behind a value label's, never through them (editor: the q5 legend
    'Met thuisleren (types 1 en 3)' looked struck through)."""
    seen = [(key, r["title"], name, shut) for key, made in drawn.items() for r in made for name, shut in r["legends"]]
    assert {key[0] for key, *_ in seen} >= {"q2_courses", "q5_contact_vs_online", "q7_context"}, seen
    problems = [item for item in seen if not item[-1]]
    assert not problems, "\n".join(map(str, problems))


def test_every_chart_text_prints_at_least_8_points(drawn):
    """Font size as drawn times the scale the SVG is printed at (shrunk to the page's text width or the chart's maximum height)."""
    problems = []
    for key, made in drawn.items():
        for record in made:
            size, text = record["smallest"]
            printed = size * record["scale"]
            if printed < charts.MIN_PRINT_PT - 1e-6:
                problems.append(
                    f"{key} {record['title']!r}: {text!r} prints at {printed:.1f} pt ({size} pt x {record['scale']:.2f})"
                )
    assert not problems, "\n".join(problems)


def test_print_scale_follows_the_page():
    assert charts.print_scale(400, 200) == 1.0  # fits: printed at its own size
    assert charts.print_scale(2 * charts.TEXT_WIDTH * 72, 100) == pytest.approx(0.5)
    assert charts.print_scale(300, 2 * charts.PRINT_MAX_HEIGHT * 72) == pytest.approx(0.5)
    fig, ax = charts.figure(height=2)
    ax.bar(["a"], [1])
    chart = Chart(fig, "a chart")
    width, height = charts.svg_size(chart.svg)
    assert width <= charts.TEXT_WIDTH * 72 and height <= 2 * 72 + 3
    assert charts.print_scale(width, height) == 1.0


def test_print_geometry_is_the_stylesheets():
    """print_scale assumes the page's text width (A4 less the printer's side margins) and the CSS cap on a chart's height."""
    import re

    from analysis.pipeline import printer

    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    cap = re.search(r"div\.chart img \{[^}]*max-height: (\d+)mm", css)
    assert cap and float(cap.group(1)) / 25.4 == pytest.approx(charts.PRINT_MAX_HEIGHT)
    side = sum(float(printer.MARGINS[k].removesuffix("mm")) for k in ("left", "right"))
    assert (210 - side) / 25.4 == pytest.approx(charts.TEXT_WIDTH)


def test_colours_drawn_together_differ_in_greyscale(drawn):
    problems = []
    for key, made in drawn.items():
        for record in made:
            for a, b in itertools.combinations(record["colours"], 2):
                if abs(charts.grey(a) - charts.grey(b)) < charts.MIN_GREY_STEP:
                    problems.append((key, record["title"], a, b))
    assert not problems, problems


def test_palette_steps_apart_in_greyscale():
    for a, b in itertools.combinations(charts.PALETTE, 2):
        assert abs(charts.grey(a) - charts.grey(b)) >= charts.MIN_GREY_STEP, (a, b)
    low, high = (charts.grey(c) for c in charts.YEAR_COLOURS)
    assert abs(low - high) >= 3 * charts.MIN_GREY_STEP


def test_charts_are_svg_with_their_text_and_alt(drawn):
    record = drawn[("q1_online_trainings", "en", "data")][0]
    chart = record["chart"]
    assert chart.svg.lstrip().startswith("<?xml") and "<svg" in chart.svg
    title = charts.wrap(Lang("en").t("q1.chart.title_claim"), charts.PRINT_WIDTH * 0.7, fontsize=11, bold=True)
    assert all(html.escape(line, quote=False) in chart.svg for line in title.split("\n"))  # text as text, not outlines
    page = chart.to_html()
    assert 'src="data:image/svg+xml;base64,' in page and f'alt="{render.esc(chart.alt)}"' in page
    bundle, metadata = chart._repr_mimebundle_()
    assert metadata["image/svg+xml"]["alt"] == chart.alt and "image/png" not in bundle


def test_overlap_check_finds_text_drawn_over_a_legend():
    fig, ax = charts.figure(4, 3)
    ax.bar(["a", "b"], [1, 2], label="a long legend entry")
    legend = ax.legend(loc="upper left")
    fig.canvas.draw()
    box = legend.get_texts()[0].get_window_extent()
    x, y = fig.transFigure.inverted().transform((box.x0 + 2, box.y0 + 2))
    fig.text(x, y, "a footnote on top")
    assert ("a long legend entry", "a footnote on top") in charts.overlapping_texts(fig)
    import matplotlib.pyplot as plt

    plt.close(fig)


def _made(draw):
    fig, ax = charts.figure(4, 3)
    draw(fig, ax)
    try:
        return charts.collisions(fig)
    finally:
        charts.release()


def test_collision_check_finds_text_over_another_panel_a_frame_a_bar_a_line_and_the_edge():
    def over_panel(fig, ax):
        fig.clear()
        left, right = fig.subplots(1, 2)
        # out of the layout: constrained layout would otherwise move the panels apart to make room for it
        right.text(-0.6, 0.5, "a label far to the left", transform=right.transAxes, in_layout=False)

    assert any(what.startswith("the plot area of") for _, what in _made(over_panel))
    assert ("past the top", "the frame of 'panel 1'") in _made(
        lambda fig, ax: ax.text(0.5, 0.98, "past the top", transform=ax.transAxes)
    )
    assert ("half on the bar", "a bar or area") in _made(lambda fig, ax: (ax.bar([0], [1]), ax.text(0.3, 0.5, "half on the bar")))
    inside = _made(lambda fig, ax: (ax.bar([0], [1], width=0.8), ax.set_xlim(-1, 1), ax.text(0, 0.5, "in", ha="center")))
    assert not inside, inside
    assert ("crossed", "a line") in _made(lambda fig, ax: (ax.set_xlim(0, 1), ax.axvline(0.5), ax.text(0.45, 0.5, "crossed")))
    edge = _made(lambda fig, ax: fig.text(0.9, 0.5, "runs off the right edge of the figure"))
    assert ("runs off the right edge of the figure", "the edge of the figure") in edge


def test_greyscale_and_text_colour_follow_lightness():
    assert charts.grey("#000000") == 0 and round(charts.grey("#ffffff")) == 255
    assert charts.text_colour("#F0E442") == "black" and charts.text_colour("#0072B2") == "white"


def test_collision_check_finds_a_legend_over_a_bar_a_value_label_a_line_the_grid_and_another_panel():
    """A legend is checked whole, keys and box: the words of q5's legend lay beside the 2020 bar, its key on the bar and
    on the bar's value label."""

    def bars(fig, ax, **legend):
        ax.bar([0, 1], [3, 1], width=0.8, label="a bar")
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(0, 4)
        ax.text(0, 3.1, "3.267", ha="center", va="bottom", bbox=charts.LABEL_BOX)
        return ax.legend(**legend)

    def names(found):
        return {what for name, what in found if name == "legend: a bar"}

    # the key over the first bar (its top at 3, data y) and its value label, the words beside them
    on_bar = names(_made(lambda fig, ax: bars(fig, ax, loc="upper left", bbox_to_anchor=(0.15, 0.82))))
    assert {"a bar or area", "text: 3.267"} <= on_bar, on_bar
    # bare, across a gridline in the empty space over the second bar: the line strikes its words through
    bare = names(_made(lambda fig, ax: bars(fig, ax, loc="center", bbox_to_anchor=(0.75, 0.5), frameon=False)))
    assert bare == {"a gridline"}, bare
    # the same legend on an opaque box hides the gridline: nothing to report
    boxed = names(_made(lambda fig, ax: bars(fig, ax, loc="center", bbox_to_anchor=(0.75, 0.5))))
    assert not boxed, boxed
    # over a dashed event line
    crossed = names(_made(lambda fig, ax: (bars(fig, ax, loc="center", bbox_to_anchor=(0.75, 0.5)), ax.axvline(1, ls="--"))))
    assert crossed == {"a line"}, crossed

    def other_panel(fig, ax):
        fig.clear()
        left, right = fig.subplots(1, 2)
        left.bar([0], [1], label="a bar")
        legend = left.legend(loc="center left", bbox_to_anchor=(0.9, 0.5))
        legend.set_in_layout(False)  # constrained layout would otherwise move the panels apart to make room for it

    assert {"the frame of 'panel 1'", "the plot area of 'panel 2'"} <= names(_made(other_panel))

    def off_the_edge(fig, ax):
        bars(fig, ax).remove()
        fig.legend(loc=(0.9, 0.5))  # the figure's legend, its lower left corner near the right edge

    assert "the edge of the figure" in names(_made(off_the_edge))


def test_chart_legends_have_an_opaque_box_by_default():
    fig, ax = charts.figure(4, 3)
    try:
        ax.plot([0, 1], [0, 1], label="a line")
        assert charts.opaque(ax.legend()) and charts.opaque(fig.legend())
        assert not charts.opaque(ax.legend(frameon=False)) and not charts.opaque(ax.legend(framealpha=0.5))
    finally:
        charts.release()


@pytest.mark.parametrize("blank", [True, False])
def test_a_value_the_source_leaves_empty_is_marked_in_the_chart(monkeypatch, data_dir, blank):
    """Question 5's imputed 0 (January 2020, type 3) carries an asterisk, explained in the legend's row (statistician,
    round 36); with the cell filled in by the source, no bar is marked and the legend has no note."""
    from analysis.questions import q5_contact_vs_online as q5
    from tests.helpers import open_report

    if not blank:
        path = data_dir / "contact_actions.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",0,true,", ",0,false,"), encoding="utf-8")
    labels: list[str] = []
    original = Chart.__init__

    def inspect(self, figure, alt, *args, **kwargs):
        labels.extend(t.get_text() for ax in figure.axes for t in ax.texts)
        labels.extend(t.get_text() for legend in figure.legends for t in legend.get_texts())
        original(self, figure, alt, *args, **kwargs)

    monkeypatch.setattr(render.Chart, "__init__", inspect)
    rep = open_report("q5", lang="en", data_dir=str(data_dir))
    q5.chart(rep, q5.compute(rep))
    marked = [t for t in labels if t.endswith("*") and not t.startswith("*")]
    assert marked == (["0*"] if blank else [])
    assert ("* empty in the source, 0 by the total" in labels) == blank


def test_alternative_texts_say_what_the_chart_does_not_state_as_fact(monkeypatch):
    """Chapter 1's quoted base is named as quoted, its months not stated as fact; chapter 5's provisional year is said
    (statistician, round 40: a screen reader heard an unqualified two-period comparison)."""
    from analysis.questions import q1_online_trainings as q1
    from analysis.questions import q5_contact_vs_online as q5
    from tests.helpers import open_report

    alts: list[str] = []
    original = Chart.__init__

    def inspect(self, figure, alt, *args, **kwargs):
        alts.append(alt)
        original(self, figure, alt, *args, **kwargs)

    monkeypatch.setattr(render.Chart, "__init__", inspect)
    rep = open_report("q1", lang="en")
    q1.chart(rep, q1.compute(rep))
    assert alts[-1].endswith(
        "beside the rounded figure for a year earlier that the written question quotes (not an official"
        " figure; months and unit assumed)"
    )
    assert "January and February 2020" not in alts[-1]
    rep = open_report("q5", lang="en")
    q5.chart(rep, q5.compute(rep))
    assert alts[-1].endswith("two years side by side; the 2021 figures are provisional")
