"""The careful user's baseline: one Python process, the tools' own APIs, one browser page for every PDF.

A user who knows papermill, nbconvert and Playwright would not start three programs per report.
This script is what such a user would write: for each notebook and language, `papermill.execute_notebook`,
then `nbconvert.HTMLExporter(exclude_input=True)`, then the PDF printed by one Chromium page that stays
open for the whole run. Sequential, like a script. benchmarks/build.py times it as a whole process
(imports included) next to our build, on the same reports.

    .venv/bin/python benchmarks/one_process.py NOTEBOOKS_DIR DATA_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(notebooks: Path, data: Path, out: Path) -> dict:
    import papermill
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from analysis.pipeline.printer import find_chromium, launch_args

    stages = {"papermill": 0.0, "html": 0.0, "pdf": 0.0}
    exporter = HTMLExporter(exclude_input=True)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=launch_args())
        page = browser.new_page()
        for nb in sorted(notebooks.glob("q*.ipynb")):
            for lang in ("nl", "en"):
                stem = out / f"{nb.stem}-{lang}"
                t0 = time.perf_counter()
                executed = papermill.execute_notebook(
                    str(nb), str(stem.with_suffix(".ipynb")), parameters={"lang": lang, "data_dir": str(data)},
                    kernel_name="python3", cwd=str(notebooks), progress_bar=False,
                )  # fmt: skip
                t1 = time.perf_counter()
                body, _ = exporter.from_notebook_node(executed)
                html = stem.with_suffix(".html")
                html.write_text(body, encoding="utf-8")
                t2 = time.perf_counter()
                page.goto(html.as_uri())
                page.pdf(path=str(stem.with_suffix(".pdf")), format="A4")
                t3 = time.perf_counter()
                stages["papermill"] += t1 - t0
                stages["html"] += t2 - t1
                stages["pdf"] += t3 - t2
        browser.close()
    return stages


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(json.dumps(result))
