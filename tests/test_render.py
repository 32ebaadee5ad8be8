from pathlib import Path

import pandas as pd

from analysis.report.render import Column, Table, esc, heading


def test_table_escapes_every_cell_and_header():
    evil = "<img src=x onerror=alert(1)>"
    table = Table(pd.DataFrame({"a": [evil]}), [Column("a", evil)], caption=evil, note=evil)
    html = table.to_html()
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 4


def test_heading_escapes():
    assert str(heading("a < b")) == "<h2>a &lt; b</h2>"
    assert esc(None) == ""


def test_text_repr_is_stable_and_tag_free():
    table = Table(pd.DataFrame({"n": [1]}), [Column("n", "N", lambda v: f"{v:d}", True)])
    assert repr(table) == "N\n1"


def test_fragments_keep_their_records_when_joined_but_not_their_metadata():
    from analysis.report.render import TABLE_MIME, Html, join

    table = Table(pd.DataFrame({"n": [1]}), [Column("n", "N", str, True)])
    checked = Html.carrying("<p>answer</p>", meta={"figures": []})
    joined = checked + heading("T") + table
    assert str(joined) == "<p>answer</p><h2>T</h2>" + table.to_html()
    assert joined.records[TABLE_MIME] == [table.record()] and joined.meta is None
    data, meta = joined._repr_mimebundle_()
    assert data[TABLE_MIME] == {"version": 1, "items": [table.record()]} and meta == {}
    assert checked._repr_mimebundle_()[1] == {"text/html": {"figures": []}}
    assert join(table, table).records[TABLE_MIME] == [table.record()] * 2
    assert Html(str(joined)).records == {}  # rebuilding from text drops them: use + or join


def test_table_record_has_raw_numbers_only_where_the_table_shows_a_number():
    from analysis.report.render import NoRef, Value

    frame = pd.DataFrame(
        {
            "n": ["1.282", "< 5", "x"],
            "raw": [1282, None, float("nan")],
            "pct": [Value(12.5, "%", 1), 3.0, None],
            "ref": ["A-1, B-2", "C-3 / D-4", NoRef("recomputed")],
        }
    )
    table = Table(
        frame,
        [
            Column("n", "N", str, True, raw="raw"),
            Column("pct", "P", lambda v: str(v), True, "", 0),
            Column("ref", "Ref.", ref=True),
        ],
    )
    rows = table.record()["rows"]
    assert [r["values"][0] for r in rows] == [1282, None, None]
    # every number says what it is; a cell without one is missing
    observed, missing = {"status": "observed", "provisional": False}, {"status": "missing", "provisional": False}
    assert rows[0]["values"][1] == 12.5 and rows[0]["formats"][1] == {"unit": "%", "digits": 1, **observed}
    assert rows[1]["values"][1] == 3 and rows[1]["formats"] == [missing, observed, None]
    assert rows[2]["values"][1] is None and rows[2]["formats"] == [missing, missing, None]
    assert [r["refs"] for r in rows] == [["A-1", "B-2"], ["C-3", "D-4"], []]
    assert [r["cells"][2] for r in rows] == ["A-1, B-2", "C-3 / D-4", "recomputed"]
    assert [c["ref"] for c in table.record()["columns"]] == [False, False, True]


def test_a_table_that_may_break_keeps_its_first_and_last_rows_together_and_a_short_one_stays_whole():
    """A breaking table never leaves one row alone on a page, nor its caption and header at a page's foot: its first
    and last rows are bodies kept whole, the first kept with the header (print CSS); a table short enough to keep
    whole has one body, and the narrative check reads no body as prose."""
    from analysis.report import narrative
    from analysis.report.render import HEAD_ROWS, KEEP_WHOLE_ROWS, TAIL_ROWS, Column, Table

    def table(n: int) -> str:
        frame = pd.DataFrame({"what": [f"row {i}" for i in range(n)], "n": list(range(n))})
        return Table(frame, [Column("what", "What", str), Column("n", "N", str, True)], caption="Rows").to_html()

    long_html = table(KEEP_WHOLE_ROWS + 3)
    assert long_html.count("<tbody") == 3 and long_html.count('<tbody class="tail">') == 1
    tail = long_html.split('<tbody class="tail">')[1]
    assert tail.count("<tr") == TAIL_ROWS
    head = long_html.split('<tbody class="head">')[1].split("</tbody>")[0]
    assert head.count("<tr") == HEAD_ROWS and ">row 0<" in head and ">row 1<" in head
    assert long_html.count("<tr") == KEEP_WHOLE_ROWS + 3 + 1  # every row once, and the header
    assert table(KEEP_WHOLE_ROWS).count("<tbody") == 1
    assert "row" not in narrative.prose(long_html)
    css = (Path(__file__).parents[1] / "src/analysis/pipeline/templates/report/report.css").read_text(encoding="utf-8")
    assert "tbody.tail { break-inside: avoid; }" in css
    assert "tbody.head { break-inside: avoid; break-before: avoid; }" in css
