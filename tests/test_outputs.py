"""The structured outputs: what the report layer displays next to its HTML, and the runner's reader of them.

The notebook here is built from real displays: each object goes through IPython's own display
formatter (what the kernel sends), and the outputs are written with nbformat, so the reader,
the HTML export, the CSV and the workbook see what a build sees, without starting a kernel.
"""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from analysis.pipeline import combined, outputs, tables
from analysis.pipeline.exporters import ReportHTMLExporter, report_title
from analysis.report.frame import Report
from analysis.report.narrative import Figure
from analysis.report.render import (
    ANSWER_MIME,
    RECORD_MIMES,
    SOURCES_MIME,
    TABLE_MIME,
    Column,
    Html,
    NoRef,
    Table,
    Value,
    heading,
    join,
    plain_text,
)

EVIL = "<img src=x onerror=alert(1)>"


def _output(obj) -> nbformat.NotebookNode:
    data, metadata = DisplayFormatter().format(obj)
    data = json.loads(json.dumps(data))  # as it travels from the kernel: JSON
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def _notebook(*cells: list, hidden: list | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for objects in cells:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [_output(o) for o in objects]
        nb.cells.append(cell)
    if hidden is not None:
        cell = nbformat.v4.new_code_cell("", metadata={"tags": ["report-hide"]})
        cell.outputs = [_output(o) for o in hidden]
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


@pytest.fixture(scope="module")
def rep() -> Report:
    return Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")


def _table(rep: Report) -> Table:
    data = rep.data["contact_actions"]
    ids = rep.cite(data[(data.year == 2021) & (data.month == 1)].head(2), "figure_id")
    frame = pd.DataFrame(
        [
            {"what": EVIL, "n": 1282, "pct": 31.757, "shown": "+31.8%", "ref": f"{ids[0]}, {ids[1]}"},
            {"what": "hidden", "n": None, "pct": None, "shown": "< 5", "ref": ids[0]},
            {"what": "total", "n": 62297.0, "pct": Value(24.1, "%", 1, False), "shown": "24.1%", "ref": NoRef("recomputed")},
        ]
    )
    return Table(
        frame,
        [
            Column("what", "What"),
            Column("n", "Count", lambda v: "x" if v is None or v != v else f"{v:,.0f}", True, "actions", 0),
            Column("shown", "Change", str, True, "%", 1, True, raw="pct"),
            Column("ref", "Ref.", ref=True),
        ],
        caption=f"Caption {EVIL}",
        note="A note",
        row_classes=["", "", "total"],
    )


@pytest.fixture(scope="module")
def notebook(rep):
    table = _table(rep)
    answer = rep.short_answer(["First paragraph with 8,877 &amp; more.", "Second <em>one</em>."], [Figure(8877)])
    return _notebook(
        [rep.title()],
        [answer + heading("Checks") + Html("<p>after</p>")],
        [rep.section("claims"), table],
        [join(heading("Two"), table, Html("<p>between</p>"), table)],
        [rep.sources_section()],
        hidden=[Html.carrying("<p>hidden</p>", {TABLE_MIME: [table.record()]})],
    )


def test_every_record_travels_as_json_next_to_its_html(notebook):
    kinds = [sorted(o.data) for cell in notebook.cells for o in cell.outputs]
    assert ["application/vnd.analysis.title+json", "text/html", "text/plain"] in kinds
    answer = notebook.cells[1].outputs[0]
    assert ANSWER_MIME in answer.data and answer.data[ANSWER_MIME]["version"] == 1
    assert "text/html" in answer.data and "<p>after</p>" in answer.data["text/html"]


def test_reader_gives_title_answer_tables_and_sources(notebook, rep):
    found = outputs.read(notebook)
    assert found.title == rep.t("q5.title") and found.question == rep.t("q5.question") and found.lang == "en"
    assert found.answer.available and found.answer.heading == rep.t("section.short_answer")
    first, second = found.answer.paragraphs
    assert first.text == "First paragraph with 8,877 & more." and first.html == "First paragraph with 8,877 &amp; more."
    assert second.text == "Second one." and second.html == "Second <em>one</em>."
    assert [p.text for p in found.answer.lead(10)] == [first.text]  # at least one whole paragraph
    # the hidden cell's table is not part of the report; joined fragments keep every table
    assert len(found.tables) == 3
    table = found.tables[0]
    assert table.caption == f"Caption {EVIL}" and table.note == "A note" and table.headers == ["What", "Count", "Change", "Ref."]
    assert [c.numeric for c in table.columns] == [False, True, True, False] and table.columns[3].ref
    evil, hidden, total = table.rows
    assert evil.texts == [EVIL, "1,282", "+31.8%", evil.refs[0] + ", " + evil.refs[1]]
    assert [c.value for c in evil.cells] == [None, 1282, 31.757, None]
    assert (evil.cells[2].unit, evil.cells[2].digits, evil.cells[2].signed) == ("%", 1, True)
    assert evil.cells[1].unit == "actions" and len(evil.refs) == 2
    assert hidden.texts[1:3] == ["x", "< 5"] and [c.value for c in hidden.cells] == [None] * 4
    assert total.cells[1].value == 62297 and isinstance(total.cells[1].value, int)
    assert (total.cells[2].value, total.cells[2].signed) == (24.1, False)  # a cell's own format beats its column's
    assert total.refs == [] and total.texts[3] == "recomputed" and total.cls == "total"
    # sources: each citation and each source's fields
    sources = found.sources
    assert sources.heading == rep.t("section.sources")
    assert {c.figure_id for c in sources.citations} == set(evil.refs)
    (source,) = sources.of(evil.refs)
    assert source.label.startswith(source.publisher + ", " + source.title + " (") and source.url in source.label
    assert f"<strong>{source.publisher}</strong>" in source.head_html


def test_no_answer_is_an_answer_record_that_says_so(rep):
    found = outputs.read(_notebook([rep.no_answer("Not in the data <for now>.")]))
    assert not found.answer.available
    assert [p.text for p in found.answer.paragraphs] == ["Not in the data <for now>."]
    assert found.answer.paragraphs[0].html == "Not in the data &lt;for now&gt;."


def test_reader_reads_a_written_notebook(tmp_path, notebook):
    path = tmp_path / "r.ipynb"
    nbformat.write(notebook, path)
    assert outputs.read(path) == outputs.read(notebook)
    assert outputs.read(_notebook([Html("<p>plain</p>")])) == outputs.Outputs()


def test_html_export_shows_the_html_and_never_the_json(notebook):
    page, resources = ReportHTMLExporter().from_notebook_node(notebook)
    for mime in RECORD_MIMES:
        assert mime not in page
    assert '"items"' not in page and '"version"' not in page and "&quot;items&quot;" not in page
    assert "<p>after</p>" in page and page.count('<table class="data">') == 3  # the hidden cell is not shown
    assert "<p>hidden</p>" not in page
    assert resources["report_title"] == report_title(notebook) == outputs.read(notebook).title
    # an output with nothing but a record shows nothing, and breaks nothing
    bare = _notebook([Html("<p>kept</p>")])
    bare.cells[0].outputs.append(nbformat.v4.new_output("display_data", data={SOURCES_MIME: {"version": 1, "items": []}}))
    with pytest.warns(UserWarning, match="not able to be represented"):
        page, _ = ReportHTMLExporter().from_notebook_node(bare)
    assert "<p>kept</p>" in page and SOURCES_MIME not in page


def test_chapter_body_leaves_out_the_source_list_and_nothing_else(notebook, rep):
    part = combined.read_part("q5", notebook, False, ReportHTMLExporter())
    assert "<html" not in part.body and "<main" not in part.body and "<title>" not in part.body
    assert rep.t("section.sources") not in part.body and 'class="sources"' not in part.body
    assert part.body.count('<table class="data">') == 3 and "<p>after</p>" in part.body
    assert part.title == rep.t("q5.title")
    document = combined.sources_html(rep.lang, [part, part])
    assert document.count('<li id="src-') == 1 and "<code>" not in document  # each source once, in words
    # every figure in the annex once, with its code, its locator and the chapters using it
    annex = combined.annex_html(rep.lang, [part, part])
    for citation in part.sources.citations:
        assert annex.count(f'<td class="code">{citation.figure_id}</td>') == 1, citation
    assert annex.count('<td class="num">1, 2</td>') == len(part.sources.citations)
    # a source list without its record stays in its chapter
    own = _notebook([Html(str(rep.sources_section()))])
    kept = combined.read_part("qx", own, False, ReportHTMLExporter())
    assert kept.sources is None and rep.t("section.sources") in kept.body


def test_csv_holds_one_line_per_number_with_its_sources(notebook):
    found = outputs.read(notebook)
    lines = tables.to_csv(found.tables[0], found.sources, "en").splitlines()
    assert lines[0] == (
        "Row,What,Column,Value,Status,Kind of figure,Provisional,Lower bound,Upper bound,Ratio to the base,Unit of the value,"
        "Rounded by the source,Shown as,Ref.,Sources in full"
    )
    # the raw numbers, not the text as shown ('1,282', '+31.8%'), which the report's formatting would make ambiguous;
    # figures the data mark provisional (2021's contact actions) make their numbers provisional
    assert lines[1].startswith('1,<img src=x onerror=alert(1)>,Count,1282,observed,official,true,,,,actions,false,,"')
    assert lines[2].startswith('1,<img src=x onerror=alert(1)>,Change,31.757,observed,official,true,,,,%,false,,"')
    assert "Antwoord op de schriftelijke vraag" in lines[1]  # the source in full: publisher, title, date
    # a suppressed cell has no number: the text shown in its place says why
    assert lines[3].startswith("2,hidden,Count,,missing,official,true,,,,actions,,x,")
    assert lines[4].startswith("2,hidden,Change,,missing,official,true,,,,%,,< 5,")
    # a row whose Ref. is no figure is recomputed
    assert (
        lines[5] == "3,total,Count,62297,recomputed,,false,,,,actions,false,,recomputed,"
        and lines[6] == "3,total,Change,24.1,recomputed,,false,,,,%,false,,recomputed,"
    )
    assert len(lines) == 7


@pytest.mark.parametrize(
    "cell,expected",
    [
        (outputs.Cell("62,297", 62297, "", 0), (62297, '#,##0;"−"#,##0')),
        (outputs.Cell("−33.5%", -33.5, "%", 1), (-33.5, '0.0"%";"−"0.0"%"')),  # in percent, as in the CSV files
        (outputs.Cell("+9.0%", 9.048, "%", 1, True), (9.048, '"+"0.0"%";"−"0.0"%";0.0"%"')),
        (outputs.Cell("2.11", 2.11), (2.11, '#,##0.00;"−"#,##0.00')),
        (outputs.Cell("1,258", 1258), (1258, '#,##0;"−"#,##0')),
        # a rounded figure is its number, shown with the source's word
        (outputs.Cell("ongeveer 29.000", 29000, "", 0, rounded="about"), (29000, '"ongeveer "#,##0;"ongeveer ""−"#,##0')),
        (
            outputs.Cell("more than 110,000", 110000, "", 0, rounded="more_than"),
            (110000, '"more than "#,##0;"more than ""−"#,##0'),
        ),
        (outputs.Cell("< 5"), ("< 5", None)),
        (outputs.Cell("n/a (base 0)", None, "%", 1), ("n/a (base 0)", None)),
        (outputs.Cell("×1.86–1.92", None, "ratio", low=1.86, high=1.92), ("×1.86–1.92", None)),  # a range stays text
    ],
)
def test_workbook_cells_are_raw_numbers_with_the_shown_format(cell, expected):
    value, fmt = tables.excel_value(cell)
    assert value == pytest.approx(expected[0]) if fmt else value == expected[0]
    assert fmt == expected[1]


def test_plain_text_is_what_a_reader_sees():
    assert plain_text("<p>a &amp; <strong>b</strong></p><p>c</p>") == "a & b c"
    assert plain_text("x<br>y <em>z</em>\xa0 w") == "x y z w"
    assert plain_text("&lt;img&gt;") == "<img>" and plain_text(None) == ""
