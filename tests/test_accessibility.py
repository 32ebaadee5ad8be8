"""Every HTML page of the build passes axe-core's WCAG 2.1 A and AA rules (and its best practices).

Public-sector publications must meet WCAG 2.1 AA. axe-core (Deque's rules engine, the one most
audits use) runs in the build's own Chromium (:func:`analysis.pipeline.printer.find_chromium`), on
the session's full build: every report in both languages and the index. Its script comes from
the PyPI package axe-playwright-python (pinned with hashes in requirements.lock), so a fresh
machine has it after ``make setup``; nothing is fetched at test time. The reports forbid scripts
(Content-Security-Policy); the test's own browser context bypasses that to inject axe only.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest

from analysis.pipeline.printer import find_chromium, launch_args

pytestmark = pytest.mark.e2e

#: axe-core's tags for the WCAG 2.0 and 2.1 success criteria of levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: On top of WCAG: landmarks, heading order, one main region (axe's "best-practice" rules).
RULE_SETS = {"WCAG 2.1 AA": WCAG_AA, "best practice": ["best-practice"]}


def axe_script() -> str:
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def violations(pages: list[Path], tags: list[str]) -> dict[str, list[str]]:
    """axe-core's violations of the rules with ``tags``, per page: one line per rule, with the first elements."""
    from playwright.sync_api import sync_playwright

    script = axe_script()
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=launch_args(), headless=True)
        try:
            context = browser.new_context(bypass_csp=True, offline=True)
            page = context.new_page()
            for path in pages:
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.evaluate(script)
                result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
                lines = [
                    f"{v['id']} ({v['impact']}): {v['help']}; "
                    + "; ".join(f"{n['target']} {n['failureSummary'].splitlines()[-1].strip()}" for n in v["nodes"][:3])
                    for v in result["violations"]
                ]
                assert result["passes"], f"axe ran no rule on {path}"
                if lines:
                    found[str(path)] = lines
        finally:
            browser.close()
    return found


@pytest.fixture(scope="module")
def pages(full_build) -> list[Path]:
    built = full_build[0]
    found = sorted(built.glob("*/*.html")) + sorted(built.glob("combined-*.html")) + [built / "index.html"]
    assert len(found) >= 17, found
    return found


@pytest.mark.parametrize("rules", RULE_SETS)
def test_every_page_passes_axe(pages, rules):
    found = violations(pages, RULE_SETS[rules])
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in found.items())


def test_axe_finds_what_it_is_for(tmp_path):
    """A page with an image without alt text, pale text and no language: axe must report all three."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body><main>'
        '<h1>Bad</h1><p style="color:#bbb">pale text on white</p>'
        '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=">'
        "</main></body></html>",
        encoding="utf-8",
    )
    found = "\n".join(violations([page], WCAG_AA).get(str(page), []))
    for rule in ("image-alt", "color-contrast", "html-has-lang"):
        assert rule in found, found
