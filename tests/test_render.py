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
