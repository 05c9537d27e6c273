"""axe-core's check of a page as Chromium shows it, for the accessibility and language tests (one visit serves
both): the critical and serious violations of the WCAG 2.1 A and AA rules, Streamlit's own page navigation left
out. axe-core comes from PyPI's axe-playwright-python, which ships axe.min.js as the npm registry publishes it."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from .helpers import wait_for_app, wait_for_charts, wait_until_still

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
STREAMLITS_OWN = {"exclude": [["[data-testid=stSidebarNav]"]]}


def violations(page) -> list[str]:
    """The critical and serious violations on `page` as it stands, one line each: rule, impact, where, what."""
    found = Axe().run(page, context=STREAMLITS_OWN, options=WCAG_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]!r}"
            for v in found if v["impact"] in ("critical", "serious") for node in v["nodes"]]


def checked(page) -> list[str]:
    """The violations once the page is drawn, still, and none of its elements stale: a re-run's elements are
    drawn faded until it ends, and axe would measure their faded text. Drawn means no skeleton left either: an
    element whose code Streamlit is still loading (our style sheet's st.html among them) is a grey placeholder."""
    wait_for_app(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')")
    wait_for_charts(page)
    wait_until_still(page)
    page.wait_for_function("() => !document.querySelector('[data-stale=true]')")
    return violations(page)
