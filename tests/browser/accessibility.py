"""axe-core run inside a page under test (the vendored copy in ``tests/browser/vendor/``, see its README).

The script is evaluated through Playwright (the DevTools protocol), not added as a ``<script>``, so the served
pages keep their production Content-Security-Policy. axe-core looks into open shadow roots (the widget).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ['violations']});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5),
            }));
        }"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in results if v["impact"] in BLOCKING
    ]
