"""HTML fragments and charts that notebooks display.

Everything shown in a report goes through here, so escaping happens in one place: any text
that comes from a data file passes ``html.escape`` before it reaches a page, and a value such
as ``<img src=x onerror=alert(1)>`` is shown as text. Charts are rendered to SVG with fixed
settings, so two builds give byte-identical images.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the build's index and combined document use this module without pandas
    import pandas as pd

from analysis.report.i18n import Safe


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class Html(Safe):
    """A fragment of trusted, already-escaped HTML that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # plain-text output: tags stripped, stable across runs
        import re

        return re.sub(r"<[^>]+>", "", str(self)).strip()

    def __add__(self, other: str) -> Html:
        return Html(str(self) + str(other))


def join(*parts: str) -> Html:
    return Html("".join(str(p) for p in parts))


def heading(text: str, level: int = 2, anchor: str | None = None) -> Html:
    anchor_attr = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<h{level}{anchor_attr}>{esc(text)}</h{level}>")


def para(markup: str, cls: str | None = None) -> Html:
    """A paragraph of catalogue text whose values were escaped by Lang.th."""
    cls_attr = f' class="{cls}"' if cls else ""
    return Html(f"<p{cls_attr}>{markup}</p>")


def box(title: str, body_markup: str, kind: str = "answer") -> Html:
    return Html(f'<section class="box box-{kind}"><h3>{esc(title)}</h3>{body_markup}</section>')


def bullets(items: Sequence[str]) -> Html:
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")


@dataclass
class Column:
    """One table column: header text, how to format a cell, and alignment."""

    key: str
    header: str
    fmt: Callable[[object], str] = str
    numeric: bool = False


def columns(t: Callable[[str], str], spec: Sequence[tuple]) -> list[Column]:
    """Columns from (key, message key[, formatter[, numeric]]) tuples: headers come from the catalogue."""
    out = []
    for item in spec:
        key, message, *rest = item
        fmt = rest[0] if rest else str
        numeric = rest[1] if len(rest) > 1 else False
        out.append(Column(key, t(message), fmt, numeric))
    return out


#: Tables with at most this many rows never split across pages.
KEEP_WHOLE_ROWS = 20


@dataclass
class Table:
    """A table built from a DataFrame: every cell formatted and escaped, with caption and note."""

    frame: pd.DataFrame
    columns: list[Column]
    caption: str = ""
    note: str = ""
    row_classes: list[str] = field(default_factory=list)

    def to_html(self) -> str:
        head = "".join(f'<th class="{"num" if c.numeric else "txt"}" scope="col">{esc(c.header)}</th>' for c in self.columns)
        body = []
        for i, (_, row) in enumerate(self.frame.iterrows()):
            cls = f' class="{esc(self.row_classes[i])}"' if i < len(self.row_classes) and self.row_classes[i] else ""
            cells = "".join(f'<td class="{"num" if c.numeric else "txt"}">{esc(c.fmt(row[c.key]))}</td>' for c in self.columns)
            body.append(f"<tr{cls}>{cells}</tr>")
        caption = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        note = f'<p class="table-note">{esc(self.note)}</p>' if self.note else ""
        # A table that fits on a page is kept whole in print, caption with its rows; longer ones break
        # between rows and repeat their header.
        wrap = "table-wrap keep" if len(body) <= KEEP_WHOLE_ROWS else "table-wrap"
        return f'<div class="{wrap}"><table class="data">{caption}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        lines = [" | ".join(c.header for c in self.columns)]
        for _, row in self.frame.iterrows():
            lines.append(" | ".join(c.fmt(row[c.key]) for c in self.columns))
        return "\n".join(lines)


class Chart:
    """A matplotlib figure rendered once to SVG; displays as a vector image with alt text in reports.

    SVG keeps charts sharp in print and at any zoom. The image is embedded as a data URI rather
    than inline markup, so the element ids matplotlib writes cannot clash when the combined
    document holds many charts, and the page's Content-Security-Policy (images from data: only)
    still holds. The date is left out and ids are salted (charts.style), so two builds give
    byte-identical files.
    """

    mime = "image/svg+xml"

    def __init__(self, figure, alt: str):
        from analysis.report import charts

        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
        finally:
            charts.release()
        self.svg = buffer.getvalue().decode("utf-8")
        self.alt = alt

    def data_uri(self) -> str:
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.svg.encode('utf-8')).decode()}"

    def to_html(self) -> str:
        """The chart as an embedded image, for fragments that combine tables and charts."""
        return f'<figure class="chart"><img alt="{esc(self.alt)}" src="{self.data_uri()}"></figure>'

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {self.mime: self.svg, "text/plain": f"[{self.alt}]"}, {self.mime: {"alt": self.alt}}

    def __repr__(self) -> str:
        return f"[{self.alt}]"
