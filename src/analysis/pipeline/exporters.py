"""nbconvert exporters: our report HTML, and the PDF printed from it by the system's Chromium.

Registered as entry points, so ``jupyter nbconvert --to reporthtml`` and ``--to reportpdf``
give the same files as the batch runner.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from nbconvert.exporters import Exporter, HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import default

from analysis import config
from analysis.pipeline import outputs
from analysis.pipeline.outputs import HIDDEN_TAGS


def report_title(nb) -> str:
    """The report's own title in its language, from its title record."""
    return outputs.read(nb).title or nb.metadata.get("title", "Report")


def b64encode_svg(svg) -> str:
    """An SVG output (text, or the list of lines a notebook file may hold) as base64 for a data URI."""
    import base64

    text = "".join(svg) if isinstance(svg, list) else str(svg)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def report_lang(nb) -> str:
    """The report's language: the one its outputs were written in (a notebook run in JupyterLab with
    ``lang`` changed), else papermill's ``lang`` parameter, else the parameters cell's, else Dutch."""
    found = [outputs.read(nb).lang, nb.metadata.get("papermill", {}).get("parameters", {}).get("lang")]
    for cell in nb.cells:  # the notebook's own default, from its parameters cell
        if "parameters" in cell.metadata.get("tags", []):
            match = re.search(r'^lang\s*(?::[^=]*)?=\s*["\'](\w+)["\']', cell.source, re.M)
            found.append(match.group(1) if match else None)
    return next((lang for lang in found if lang in ("nl", "en")), "nl")


class ReportHTMLExporter(HTMLExporter):
    """The report page. Outputs show their ``text/html`` (or chart, or text) by nbconvert's
    ``display_data_priority``; the JSON records of :mod:`analysis.report.render` are not in that
    list and never reach the page. With ``resources["body_only"]`` it gives the page's body alone
    (a chapter of the combined document)."""

    export_from_notebook = "Report HTML"

    @default("template_name")
    def _template_name_default(self):
        return "report"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(config.TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    def default_filters(self):
        yield from super().default_filters()
        yield ("b64encode_svg", b64encode_svg)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        resources["report_title"] = report_title(nb)
        resources["report_lang"] = report_lang(nb)
        resources["report_css"] = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
        return super().from_notebook_node(nb, resources, **kw)


class ReportPDFExporter(Exporter):
    """The report HTML printed to A4 PDF by the system's Chromium (never a downloaded one)."""

    export_from_notebook = "Report PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html_exporter = ReportHTMLExporter(config=self.config)
        body, resources = html_exporter.from_notebook_node(nb, resources, **kw)
        from analysis.pipeline.printer import print_pdf_sync

        with tempfile.TemporaryDirectory() as tmp:
            html_path = Path(tmp) / "report.html"
            pdf_path = Path(tmp) / "report.pdf"
            html_path.write_text(body, encoding="utf-8")
            print_pdf_sync(html_path, pdf_path, resources["report_title"], resources["report_lang"])
            data = pdf_path.read_bytes()
        resources["output_extension"] = ".pdf"
        return data, resources
