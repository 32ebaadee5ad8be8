"""Headless Chromium for PDF export: found on the machine, started once, locked down.

Chromium is never downloaded at run time: we use the one named by $ANALYSIS_CHROMIUM or the
first of chromium, chromium-browser, google-chrome on PATH (``make setup`` installs Debian's
package when it can). Pages are printed with JavaScript disabled and every request other
than the report file itself aborted, so a report can neither run code nor reach the network.
The report's HTML is put into a page that stays open rather than loaded by navigating to its
file: each navigation to a new document cost Chromium about as much again as printing it.
"""

from __future__ import annotations

import asyncio
import functools
import html
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.errors import EnvironmentProblem

if TYPE_CHECKING:
    from analysis.pipeline.manifest import Credits

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-extensions",
    "--font-render-hinting=none",
]
MARGINS = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
#: What :meth:`Printer.warm_up` prints: text in the reports' typeface, so that its font is loaded too.
WARM_UP_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body { font-family: "DejaVu Sans", Arial, sans-serif; }</style>'
    "</head><body><p>.</p></body></html>"
)


def find_chromium() -> str:
    explicit = os.environ.get(config.CHROMIUM_ENV)
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise EnvironmentProblem(
            f"{config.CHROMIUM_ENV}={explicit} is not an executable file; point it to a Chromium or Chrome binary."
        )
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise EnvironmentProblem(
        "No Chromium found for PDF export. Run `make setup` (as root it installs Debian's chromium), "
        f"or `sudo apt-get install chromium`, or set {config.CHROMIUM_ENV}=/path/to/chrome."
    )


@functools.cache
def fingerprint() -> str:
    """Which Chromium prints the PDFs (path, size, modification time), for the build cache key.

    A system upgrade of Chromium changes how PDFs come out; without this, they would stay
    stale until --force. Read from the file system, so a no-op rebuild starts no browser.
    """
    try:
        path = Path(find_chromium()).resolve()
        stat = path.stat()
    except (EnvironmentProblem, OSError):
        return "none"
    return f"{path}:{stat.st_size}:{int(stat.st_mtime)}"


def launch_args() -> list[str]:
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return args


def header_footer(title: str, lang: str) -> tuple[str, str]:
    """Chromium's print header (document title left, report title right) and footer ('page X of Y').

    For a single report, whose every page belongs to one chapter. The combined document names each
    page's own chapter in CSS margin boxes instead (:func:`analysis.pipeline.combined.page_css`).
    """
    from analysis.report.i18n import Lang

    L = Lang(lang)
    style = "font-family:'DejaVu Sans',Arial,sans-serif;font-size:8px;color:#5b6775;width:100%;padding:0 16mm;"
    header = f'<div style="{style}display:flex;justify-content:space-between"><span>{html.escape(L.t("doc.title"))}</span><span>{html.escape(title)}</span></div>'
    footer = (
        f'<div style="{style}text-align:right">{html.escape(L.t("doc.page"))} <span class="pageNumber"></span> '
        f'{html.escape(L.t("doc.of"))} <span class="totalPages"></span></div>'
    )
    return header, footer


class Printer:
    """One browser and one script-less, offline context for a whole build; pages are reused.

    Creating a context per PDF costs about a quarter of a second; reusing pages brings a
    report's PDF to about 0.1 s once the browser is up. Every page shares the context's
    settings: JavaScript off, offline, every request but the report file aborted.

    At most ``pages`` pages print at once; more wait their turn. Each new page costs Chromium a
    renderer process and its first print several tenths of a second of CPU, more than a report's
    whole PDF, and concurrent prints are not faster in total (Chromium lays pages out one at a
    time), so one page serves a build: the reports execute meanwhile.
    """

    def __init__(self, pages: int = 1):
        self._turns = asyncio.Semaphore(max(1, pages))
        self._pw: Any = None  # playwright's objects, made in __aenter__
        self._browser: Any = None
        self._context: Any = None
        self._pages: asyncio.Queue | None = None
        self._page_count = 0
        self.blocked: list[str] = []

    async def __aenter__(self) -> Printer:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        self._restart_lock = asyncio.Lock()
        try:
            await self._launch()
        except BaseException:
            await self._pw.stop()
            raise
        return self

    async def _launch(self) -> None:
        executable = find_chromium()
        try:
            self._browser = await self._pw.chromium.launch(executable_path=executable, args=launch_args(), headless=True)
        except Exception as exc:
            raise EnvironmentProblem(f"Chromium at {executable} did not start for PDF export: {exc}") from exc
        self._context = await self._browser.new_context(java_script_enabled=False, offline=True)
        await self._context.route("**/*", self._route)
        self._pages = asyncio.Queue()

    async def _relaunch_if_gone(self) -> bool:
        """After a Chromium crash, start a new one (once per crash) so the build can go on."""
        async with self._restart_lock:
            if self._browser is not None and self._browser.is_connected():
                return True
            try:
                await self._launch()
            except EnvironmentProblem:
                return False
            return True

    async def __aexit__(self, *exc) -> None:
        # Closing the browser closes its context and pages (closing the context first cost one more round trip).
        if self._browser is not None:
            try:
                await self._browser.close()
            except Exception:
                pass  # a crashed browser has nothing left to close
        if self._pw is not None:
            await self._pw.stop()

    async def warm_up(self) -> None:
        """Print a page holding a dot, and keep the page for the first report.

        A browser's first print costs close to a second of CPU whatever it prints (a renderer process,
        fonts, the PDF back end); paid here, while the build has a core to spare, instead of by the first
        report, whose PDF then waits for it. This PDF is not written anywhere.
        """
        async with self._turns:
            page = await self._page()
            try:
                await page.set_content(WARM_UP_PAGE, wait_until="load")
                await page.pdf(format="A4", print_background=True, margin=MARGINS, tagged=True, outline=True)
            except BaseException:
                await page.close()
                raise
            assert self._pages is not None
            self._pages.put_nowait(page)

    async def _page(self):
        if self._pages.empty():
            self._page_count += 1
            return await self._context.new_page()
        return self._pages.get_nowait()

    async def print_pdf(
        self,
        html_path: Path,
        pdf_path: Path,
        title: str,
        lang: str,
        header_footer: bool = True,
        credits: Credits | None = None,
        finish: bool = True,
    ) -> None:
        """Print a page to PDF. ``header_footer``: Chromium's header and footer templates; without, the
        page's own CSS margin boxes. ``credits``: who stands behind the document, for its information (the
        manifest's; the catalogue's default publisher when None). ``finish``: set the information and
        the bookmarks' text (:func:`finish_pdf`); a draft print that is only measured need not be."""
        async with self._turns:
            try:
                await self._print(html_path, pdf_path, title, lang, header_footer)
            except Exception:
                await asyncio.sleep(0.5)  # let a crash be noticed (the browser's disconnect event)
                if not await self._relaunch_if_gone():
                    raise
                await self._print(html_path, pdf_path, title, lang, header_footer)  # one retry, in a new browser if needed
        if finish:  # outside the turn: the page prints the next document meanwhile
            await asyncio.to_thread(finish_pdf, Path(pdf_path), Path(html_path), title, lang, credits)

    async def _print(self, html_path: Path, pdf_path: Path, title: str, lang: str, with_templates: bool) -> None:
        page = await self._page()
        try:
            # The same document as navigating to the file gives (same pages, text, bookmarks and links),
            # without a navigation: the HTML is self-contained (styles inline, images as data: URLs).
            await page.set_content(Path(html_path).read_text(encoding="utf-8"), wait_until="load")
            header, footer = header_footer(title, lang)
            await page.pdf(
                path=str(pdf_path),
                format="A4",
                print_background=True,
                display_header_footer=with_templates,
                header_template=header,
                footer_template=footer,
                margin=MARGINS,
                prefer_css_page_size=False,
                tagged=True,
                outline=True,
            )
        except BaseException:
            try:
                await page.close()  # a page in an unknown state is not reused
            except Exception:
                pass
            raise
        assert self._pages is not None, "print_pdf runs inside `async with Printer()`"
        self._pages.put_nowait(page)

    async def _route(self, route) -> None:
        """Let through the local report and its embedded images; abort and record everything else."""
        request = route.request
        if request.url.startswith(("file://", "data:")) and request.resource_type in ("document", "image"):
            await route.continue_()
        else:
            self.blocked.append(request.url)
            await route.abort()


HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def headings(markup: str) -> list[str]:
    """The text of every heading in a page, as a reader sees it (tags dropped, spaces collapsed)."""
    from analysis.report.render import plain_text

    return [plain_text(m) for m in HEADING.findall(markup)]


def finish_pdf(pdf_path: Path, html_path: Path, title: str, lang: str, credits: Credits | None = None) -> None:
    """Set the document information from the catalogue and ``credits`` and give bookmarks back their spaces.

    The publisher is the author (the catalogue's default when ``credits`` is None); a contact point and a
    responsible publisher, when given, are entries of their own (/Contact, /ResponsiblePublisher), as the PDF
    specification allows the information dictionary to hold (shown under Custom in a reader's properties).

    Chromium fills in only the title, and builds its bookmarks from the laid-out text of each
    heading, dropping the space where a heading wraps ("atpartners"). Each bookmark whose
    letters match a heading of the page gets that heading's own text.

    The changes are appended as an incremental update (new versions of the changed objects, a
    cross-reference section and a trailer pointing back to the original one), the way PDF
    editors save: rewriting a whole combined document with pypdf took half a second.
    """
    import io

    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, TextStringObject

    from analysis.report.i18n import Lang

    L = Lang(lang)
    by_letters = {_squeeze(h): h for h in headings(Path(html_path).read_text(encoding="utf-8"))}
    reader = PdfReader(str(pdf_path))
    changed: dict[int, tuple[int, Any]] = {}  # object number -> (generation, new object)
    root: Any = reader.trailer["/Root"]  # pypdf's generic objects: dictionaries in practice
    outlines: Any = root.get("/Outlines")
    stack: list[Any] = (
        [outlines.get_object().raw_get("/First")] if outlines is not None and "/First" in outlines.get_object() else []
    )
    while stack:
        ref = stack.pop()
        while isinstance(ref, IndirectObject):
            item: Any = ref.get_object()
            own = by_letters.get(_squeeze(str(item.get("/Title", ""))))
            if own is not None and own != item.get("/Title"):
                copy = DictionaryObject(item)  # the raw entries: references stay references
                copy[NameObject("/Title")] = TextStringObject(own)
                changed[ref.idnum] = (ref.generation, copy)
            if "/First" in item:
                stack.append(item.raw_get("/First"))
            ref = item.raw_get("/Next") if "/Next" in item else None
    size = int(reader.trailer["/Size"])  # type: ignore[call-overload]  # a NumberObject
    info = DictionaryObject({NameObject(k): v for k, v in (reader.metadata or {}).items()})
    for key, value in (
        ("/Title", title),
        ("/Subject", L.t("doc.subtitle")),
        ("/Author", credits.publisher if credits is not None else L.t("doc.publisher_default")),
        ("/Keywords", L.t("doc.title")),
        ("/Contact", credits.contact if credits is not None else None),
        ("/ResponsiblePublisher", credits.responsible_publisher if credits is not None else None),
    ):
        if value is not None:
            info[NameObject(key)] = TextStringObject(value)
    info_number = size
    changed[info_number] = (0, info)
    if root.get("/Lang") != lang:
        new_root = DictionaryObject(root)
        new_root[NameObject("/Lang")] = TextStringObject(lang)
        root_ref: Any = reader.trailer.raw_get("/Root")
        changed[root_ref.idnum] = (root_ref.generation, new_root)
    data = Path(pdf_path).read_bytes()
    out = io.BytesIO()
    out.write(b"" if data.endswith(b"\n") else b"\n")
    offsets = {}
    for number, (generation, obj) in sorted(changed.items()):
        offsets[number] = len(data) + out.tell()
        out.write(f"{number} {generation} obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = len(data) + out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")  # the list of free objects, as every update section starts
    for number, (generation, _) in sorted(changed.items()):
        out.write(f"{number} 1\n{offsets[number]:010d} {generation:05d} n \n".encode())
    trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(size + 1),
            NameObject("/Root"): reader.trailer.raw_get("/Root"),
            NameObject("/Info"): IndirectObject(info_number, 0, reader),
            NameObject("/Prev"): NumberObject(int(re.findall(rb"startxref\s+(\d+)", data[-1024:])[-1])),
        }
    )
    if "/ID" in reader.trailer:
        trailer[NameObject("/ID")] = reader.trailer["/ID"]
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    with open(pdf_path, "ab") as fh:
        fh.write(out.getvalue())


def print_pdf_sync(html_path: Path, pdf_path: Path, title: str, lang: str) -> None:
    """For the nbconvert exporter, which runs outside any event loop."""
    import asyncio

    async def run():
        async with Printer() as printer:
            await printer.print_pdf(html_path, pdf_path, title, lang)

    asyncio.run(run())


if __name__ == "__main__":  # scripts/ensure-chromium.sh asks here, so the candidate list lives in one place
    import sys

    try:
        print(find_chromium())
    except EnvironmentProblem as exc:
        print(exc, file=sys.stderr)
        sys.exit(5)
