"""The public pages stay light for slow connections: each page with everything it loads (its
stylesheets, scripts and images) transfers well under 100 KB, measured on the demo data."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest


#: "Well under" 100 KB: room is left for the page to grow a little before the test complains.
BUDGET = 90 * 1024
PAGES = ["/", "/violations", "/hotlines"]


def page_weight(web, url: str) -> tuple[int, dict[str, int]]:
    page = web.get(url)
    sizes = {url: len(page.response.get_data())}
    resources = [link["href"] for link in page.soup.select('link[rel="stylesheet"][href]')]
    resources += [script["src"] for script in page.soup.select("script[src]")]
    resources += [img["src"] for img in page.soup.select("img[src]")]
    for resource in resources:
        parts = urlsplit(resource)
        assert not parts.netloc, f"{url} loads {resource} from another site"
        if resource not in sizes:
            sizes[resource] = len(web.get(parts.path + (f"?{parts.query}" if parts.query else "")).response.get_data())
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("url", PAGES)
def test_public_page_with_its_assets_stays_under_budget(web, demo, url):
    total, sizes = page_weight(web, url)
    assert len(sizes) >= 3, sizes  # the page, its stylesheet and htmx were all counted
    assert total < BUDGET, f"{url}: {total} bytes: {sizes}"
