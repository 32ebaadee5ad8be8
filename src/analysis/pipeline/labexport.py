"""JupyterLab's "PDF" and "Webpdf" exports give the report PDF, printed by the system's Chromium.

*File → Save and Export Notebook As…* asks the Jupyter server for ``/nbconvert/<format>/<path>``.
nbconvert's own ``pdf`` exporter needs a LaTeX installation (xelatex) and its ``webpdf`` exporter
a Chromium that Playwright downloaded; neither is part of this project, so both menu entries
failed. This module is a Jupyter server service: ``make setup`` installs
``jupyter/jupyter_server_config.json`` into ``.venv/etc/jupyter/``, which names it in
``ServerApp.extra_services``, and the server loads such services *before* its default handlers.
Its handlers answer those two formats with :class:`~analysis.pipeline.exporters.ReportPDFExporter`
(the ``reportpdf`` exporter): the same PDF as the build's, in the notebook's language
(:func:`~analysis.pipeline.exporters.report_lang`). Every other format is left to nbconvert.

Only the server's routes are replaced: nbconvert picks an exporter by its entry-point name, and
when two packages register one name the first found on disk wins, so registering ``pdf`` again
would not be reliable. ``jupyter nbconvert --to pdf`` on the command line is therefore still
nbconvert's LaTeX exporter; there, ``--to reportpdf`` gives the report PDF.
"""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import path_regex
from jupyter_server.nbconvert.handlers import NbconvertFileHandler, NbconvertPostHandler
from tornado import web

#: The formats of JupyterLab's export menu that answer with the report PDF.
REPLACED_FORMATS = ("pdf", "webpdf")
#: The nbconvert exporter (our entry point) that does the work.
REPORT_PDF = "reportpdf"

_FORMAT = "(?P<format>" + "|".join(REPLACED_FORMATS) + ")"


class ReportPDFFileHandler(NbconvertFileHandler):
    """``GET /nbconvert/pdf/<path>`` and ``/nbconvert/webpdf/<path>``: the saved notebook as the report PDF."""

    @web.authenticated
    @authorized
    async def get(self, format, path):
        return await super().get(REPORT_PDF, path)


class ReportPDFPostHandler(NbconvertPostHandler):
    """``POST /nbconvert/pdf`` and ``/nbconvert/webpdf`` with a notebook: the report PDF."""

    @web.authenticated
    @authorized
    async def post(self, format):
        return await super().post(REPORT_PDF)


#: Read by the Jupyter server (``ServerApp.extra_services``) before its own routes.
default_handlers = [
    (rf"/nbconvert/{_FORMAT}", ReportPDFPostHandler),
    (rf"/nbconvert/{_FORMAT}{path_regex}", ReportPDFFileHandler),
]
