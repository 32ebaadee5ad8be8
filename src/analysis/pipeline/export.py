"""Stage 3 of a build, exporting: an executed notebook to HTML (our nbconvert exporter) and PDF (Chromium).

Nothing replaces a report's previous files until all of its new ones are complete: outputs are
written to temporary names and moved into place together.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.pipeline import files
from analysis.pipeline.manifest import Credits, Job


def outputs(out_dir: Path, job: Job) -> dict[str, Path]:
    base = out_dir / job.lang / job.output_name
    return {"ipynb": base.with_suffix(".ipynb"), "html": base.with_suffix(".html"), "pdf": base.with_suffix(".pdf")}


class Exporter:
    """One HTML exporter (its templates loaded once) and, when PDFs are wanted, the build's printer (or the
    future of one that is starting).

    ``credits``: who stands behind the PDFs per language, for their information (the manifest's
    :meth:`~analysis.pipeline.manifest.Manifest.credits_for`); None: the catalogue's default publisher.
    """

    def __init__(self, printer=None, credits: Callable[[str], Credits] | None = None):
        self.printer = printer
        self.credits = credits
        self._html: Any = None  # a ReportHTMLExporter, made on first use (nbconvert is slow to import)
        self._lock = asyncio.Lock()  # the nbconvert exporter is not re-entrant

    def prepare(self) -> None:
        """Import nbconvert and compile the report template now (a second of work; any thread, before first use)."""
        if self._html is None:
            from analysis.pipeline.exporters import ReportHTMLExporter

            html = ReportHTMLExporter()
            html.template  # noqa: B018 - compiled on first access
            self._html = html

    async def html(self, nb) -> tuple[str, str]:
        self.prepare()
        async with self._lock:
            body, resources = await asyncio.to_thread(self._html.from_notebook_node, nb)
        return body, resources["report_title"]

    async def body(self, nb) -> str:
        """The page's body alone, for a chapter of the combined document."""
        self.prepare()
        async with self._lock:
            body, _ = await asyncio.to_thread(self._html.from_notebook_node, nb, {"body_only": True})
        return body

    async def write(self, nb, paths: dict[str, Path], lang: str, stages: dict[str, float]) -> None:
        """Export ``nb`` and put notebook, HTML and PDF in place at once; raise on any failure."""
        import nbformat

        temps: list[Path] = []
        try:
            t = time.perf_counter()
            body, title = await self.html(nb)
            stages["html"] = time.perf_counter() - t
            tmp_html = files.temp_path(paths["html"])
            temps.append(tmp_html)
            tmp_html.write_text(body, encoding="utf-8")
            if self.printer is not None:
                t = time.perf_counter()
                tmp_pdf = files.temp_path(paths["pdf"])
                temps.append(tmp_pdf)
                credits = self.credits(lang) if self.credits is not None else None
                printer = self.printer
                if isinstance(printer, asyncio.Future):  # still starting: the first PDF waits for it
                    printer = await asyncio.shield(printer)
                await printer.print_pdf(tmp_html, tmp_pdf, title, lang, credits=credits)
                stages["pdf"] = time.perf_counter() - t
            files.atomic_write(paths["ipynb"], nbformat.writes(nb))
            os.replace(tmp_html, paths["html"])
            if self.printer is not None:
                os.replace(tmp_pdf, paths["pdf"])
        finally:
            for tmp in temps:
                tmp.unlink(missing_ok=True)
