"""axe-core finds no WCAG 2.2 AA violation on the public pages (and the sign-in page), on a phone too."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: Every kind of public page (the helpers of each area check theirs more closely: their pages with
#: errors, filters and entries are in tests/e2e/test_*_journey.py, test_check_business.py and
#: test_violations_browse.py).
PAGES = ["/", "/hotlines", "/?lang=en", "/no-such-page", "/internal/login", "/violations", "/open-data",
         "/guides", "/check", "/check?q=tap+hoa", "/statistics", "/tips/new", "/tips/track", "/violations?lang=en",
         "/tips/new?lang=en"]


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script, which the portal's strict CSP would rightly refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_no_accessibility_violations(axe_page, live_server, url):
    axe_page.goto(live_server + url)
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations
