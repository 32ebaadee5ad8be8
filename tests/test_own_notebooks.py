"""A reader's own work beside the library: own plots still show, own notebooks get clear advice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pytest

from analysis.report import charts
from analysis.report.render import Chart


def test_a_library_chart_leaves_the_backend_the_style_and_pyplot_alone():
    backend = matplotlib.get_backend()
    before = dict(matplotlib.rcParams)
    plt.close("all")
    fig, ax = charts.figure(4, 2)
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]  # the library's style while it draws
    ax.bar(["a", "b"], [1, 2])
    Chart(fig, "two bars")
    assert matplotlib.get_backend() == backend
    assert plt.get_fignums() == [], "library figures are not pyplot figures, so inline display never repeats them"
    changed = {k for k in before if matplotlib.rcParams[k] != before[k]}
    assert not changed, sorted(changed)


def test_interleaved_library_figures_keep_their_style_until_the_last_is_saved():
    before = dict(matplotlib.rcParams)
    first, _ = charts.figure(3, 2)
    second, _ = charts.figure(3, 2)
    Chart(first, "first")
    assert matplotlib.rcParams["svg.fonttype"] == "none", "the second figure is still being drawn"
    Chart(second, "second")
    assert dict(matplotlib.rcParams) == before


OWN = [
    'lang: str = "en"  # report language',
    "from analysis.questions import q5_contact_vs_online as q5\n"
    "from analysis.report.frame import Report\n"
    "rep = Report.open('q5', year=2021, compare_year=2020, months=[1, 2], lang=lang)\n"
    "q5.chart(rep, q5.compute(rep))",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('my own plot')\nplt.show()",
    "import pandas as pd\npd.Series([1, 2, 3]).plot.bar(title='pandas plot');",
]


def _own_notebook(folder: Path, with_parameters: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell(source) for source in OWN]
    if with_parameters:
        cells[0].metadata["tags"] = ["parameters"]
    else:
        cells = cells[1:]
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "own.ipynb"
    nbformat.write(nb, path)
    manifest = folder / "own.yml"
    manifest.write_text(
        f"languages: [en]\nreports:\n  - name: own\n    notebook: {path}\ncombined: {{answers: [], context: []}}\n", "utf-8"
    )
    return manifest


@pytest.mark.slow
@pytest.mark.parametrize("zygote", ["1", "0"], ids=["forked-kernels", "plain-kernels"])
def test_own_plots_show_in_a_runner_built_report(tmp_path: Path, zygote: str):
    manifest = _own_notebook(tmp_path)
    env = {**os.environ, "ANALYSIS_KERNEL_ZYGOTE": zygote}
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    nb = nbformat.read(tmp_path / "out" / "en" / "own.ipynb", as_version=4)
    kinds = {c.source: [mime for o in c.outputs for mime in o.get("data", {})] for c in nb.cells}
    assert "image/svg+xml" in kinds[OWN[1]], "the library's chart"
    assert "image/png" in kinds[OWN[2]] and "image/png" in kinds[OWN[3]], f"the reader's own plots: {kinds}"
    html = (tmp_path / "out" / "en" / "own.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64") >= 2


@pytest.mark.slow
def test_an_own_notebook_without_parameters_cell_gets_advice(tmp_path: Path):
    manifest = _own_notebook(tmp_path, with_parameters=False)
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 4
    assert "own.ipynb has no parameters cell" in result.stderr and "tagged 'parameters'" in result.stderr, result.stderr
