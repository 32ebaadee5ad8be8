"""Every chart the reports draw: no text on top of other text, colours apart in greyscale, SVG with alt text.

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
                "colours": charts.distinct_colours(figure),
                "texts": len(charts._drawn_texts(figure)),
            }
        )
        original(self, figure, alt, *args, **kwargs)
        seen[-1]["chart"] = self

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
    assert names >= {"q1", "q2", "q3", "q4", "q5", "q6", "q7"}, names  # q2 and q3 draw only with extracts
    assert all(record["texts"] >= 3 for made in drawn.values() for record in made)


def test_no_text_in_any_chart_overlaps_another(drawn):
    problems = [(key, r["title"], r["overlaps"]) for key, made in drawn.items() for r in made if r["overlaps"]]
    assert not problems, problems


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
    assert html.escape(Lang("en").t("q1.chart.title"), quote=False) in chart.svg  # text kept as text, not outlines
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


def test_greyscale_and_text_colour_follow_lightness():
    assert charts.grey("#000000") == 0 and round(charts.grey("#ffffff")) == 255
    assert charts.text_colour("#F0E442") == "black" and charts.text_colour("#0072B2") == "white"
