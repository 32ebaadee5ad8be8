"""Every catalogue key can be found by a search, and every key the code names exists.

A key in messages.yml must be written whole somewhere in the code (src/ or a notebook), or be a base
key written whole at a call site plus one of the endings :data:`analysis.report.keys.ENDINGS` lists
for it. So ``grep -r q5.short.physical`` finds the producer of ``q5.short.physical.down``, and a key
nobody produces fails here instead of lingering.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from analysis import config
from analysis.report import keys
from analysis.report.frame import Report
from analysis.report.i18n import catalogue

SRC = config.PACKAGE_DIR
KEYS_MODULE = SRC / "report" / "keys.py"
#: What a message key looks like when the code writes one: dotted lower-case words.
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_\-]+)+")
FILE_NAME = re.compile(r"\.(?:html|pdf|ipynb|csv|xlsx|yml|yaml|json|svg|txt|md|py|css|js)$")


def _sources() -> dict[str, str]:
    """Python source of the package and of the notebooks' code cells, by file."""
    out = {str(p.relative_to(config.PROJECT_DIR)): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}
    for nb in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out[str(nb.relative_to(config.PROJECT_DIR))] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return out


def _strings(source: str) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def literals(exclude_keys_module: bool = False) -> set[str]:
    """Every string the code writes whole (f-string fragments included, as written)."""
    skip = str(KEYS_MODULE.relative_to(config.PROJECT_DIR)) if exclude_keys_module else None
    return {s for path, source in _sources().items() if path != skip for s in _strings(source)}


def _named(base: str, found: set[str]) -> bool:
    return base in found or base + "." in found


def orphans(catalogue_keys, found: set[str] | None = None) -> list[str]:
    """Keys no search finds: neither written whole, nor a base written whole plus a listed ending."""
    found = literals() if found is None else found
    out = []
    for key in catalogue_keys:
        if key in found:
            continue
        if any(key == f"{base}.{ending}" and _named(base, found) for base, endings in keys.ENDINGS.items() for ending in endings):
            continue
        out.append(key)
    return out


def test_every_catalogue_key_is_found_by_a_search():
    assert orphans(catalogue()) == []


def test_the_search_fails_on_an_orphan_key():
    """The check above is not vacuous: a key nobody uses, or an ending nobody lists, is reported."""
    extra = ["q5.short.nobody_uses_this", "q5.short.physical.sideways", "measure.apples"]
    assert orphans([*catalogue(), *extra]) == extra


def test_every_listed_base_is_named_at_a_call_site_and_has_all_its_endings():
    outside = literals(exclude_keys_module=True)
    messages = catalogue()
    for base, endings in keys.ENDINGS.items():
        assert _named(base, outside), f"base {base!r} is listed in keys.ENDINGS but no code outside keys.py names it"
        missing = [e for e in endings if f"{base}.{e}" not in messages]
        assert not missing, f"{base}: listed endings without a message: {missing}"


def test_every_key_the_code_writes_exists():
    import matplotlib as mpl

    messages = catalogue()
    namespaces = {k.split(".", 1)[0] for k in messages}
    unknown = sorted(
        s
        for s in literals(exclude_keys_module=True)
        if KEY_SHAPE.fullmatch(s)
        and s.split(".", 1)[0] in namespaces
        and not FILE_NAME.search(s)
        and s not in mpl.rcParams  # a matplotlib setting such as 'legend.fontsize' (charts.style), not a message
        and s not in messages
        and not _named(s.rstrip("."), set(keys.ENDINGS))
    )
    assert unknown == []


def test_key_refuses_an_ending_that_is_not_listed():
    assert keys.key("hours", "training_only") == "hours.training_only"
    with pytest.raises(KeyError, match="not a listed ending"):
        keys.key("hours", "evening")
    with pytest.raises(KeyError, match="not listed"):
        keys.key("q5.short.nowhere", "up")


def test_change_and_count_pick_the_variant_from_the_figures():
    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")
    values = {"old": "1", "new": "2", "change": "x"}
    assert "rose" in rep.change("q5.short.home", 100, 200, **values)
    assert "fell" in rep.change("q5.short.home", 200, 100, **values)
    assert "about the same" in rep.change("q5.short.home", 1000, 1004, **values)  # within core.change's threshold
    assert "The empty cell " in rep.count("q5.caveat.blank", 1, cells="x")
    assert "The empty cells " in rep.count("q5.caveat.blank", 3, cells="x")
