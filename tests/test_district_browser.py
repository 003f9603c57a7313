"""An archive of several districts in a real browser at a phone's width (390 px): from the home page
to a district, its topic, the topic compared across districts, a trend and a search of the district,
no page wider than its window. Every report and area here is invented."""

import pytest
from click.testing import CliRunner

from extract.cli import cli

from .conftest import served
from .test_browser import EXECUTABLE, _fits, playwright_api, serious_violations
from .test_districts import DISTRICTS, _later_report, write_districts

pytestmark = pytest.mark.skipif(EXECUTABLE is None, reason="no Chromium")

#: Six districts, one with a long name, so the comparison's table has more columns than a phone shows.
MANY = {
    **DISTRICTS,
    **{
        key: (name, ["Rural", "Town"], [("1 Violence Against the Person", [100 + k, 300 + k]), ("3 Robbery", [k, 20])])
        for k, (key, name) in enumerate(
            [
                ("eastwick", "Eastwick"),
                ("upperford", "Upperford"),
                ("kingsbridge", "Kingsbridge and Lower Marshwood"),
                ("oldham", "Oldhamstead"),
            ],
            start=3,
        )
    },
}


@pytest.fixture(scope="module")
def district_site(tmp_path_factory):
    root = write_districts(tmp_path_factory.mktemp("district-browser") / "corpus", MANY)
    _later_report(root, "northvale", 2023, 2)
    _later_report(root, "kingsbridge", 2023, 2, MANY)
    db = root.parent / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    with served(db) as base:
        yield base


def _settled(page) -> None:
    """The page loaded (a click that navigates returns before), then no wider than its window."""
    page.wait_for_load_state("load")
    _fits(page)


def test_a_researcher_walks_from_the_districts_to_a_comparison_on_a_phone(district_site):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=EXECUTABLE, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        try:
            page.goto(district_site + "/")
            assert page.locator("h1").inner_text().endswith("6 districts")
            _settled(page)
            page.click("text=Kingsbridge and Lower Marshwood")  # a district's own home page
            page.wait_for_url("**/-/district/kingsbridge")
            assert "Kingsbridge and Lower Marshwood" in page.locator("h1").inner_text()
            _settled(page)
            areas = page.locator("#pick-area option").all_inner_texts()
            assert areas and all(a.startswith("Kingsbridge") for a in areas)
            page.click("text=Draw the trend")  # the picker keeps to the district
            page.wait_for_selector("svg.trend-chart")
            _settled(page)
            page.goto(district_site + "/-/district/northvale")
            page.locator(".topic-answer h3 a").first.click()  # a topic of the district
            page.wait_for_url("**/-/topic/*district=northvale")
            _settled(page)
            page.click("text=in every district")
            page.wait_for_selector("svg.trend-chart")
            assert page.locator("table.points thead th").count() == 7  # the period and six districts
            _settled(page)
            page.goto(district_site + "/-/district/southmere")
            page.fill("#q", "robbery")
            page.click("form[role=search] button")
            page.wait_for_url("**/-/search?*district=southmere*")
            _settled(page)
            assert page.locator("text=northvale-2022-23-review").count() == 0
            page.goto(district_site + "/-/checks?district=eastwick")
            _settled(page)
        finally:
            context.close()
            browser.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/-/district/kingsbridge", "/-/compare/robbery", "/-/topic/robbery?district=northvale"],
    ids=["districts", "district", "compare", "topic"],
)
def test_the_district_pages_have_no_serious_or_critical_accessibility_violation(district_site, path):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=EXECUTABLE, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(district_site + path)
            bad = serious_violations(page)
            assert bad == [], "\n".join(bad)
        finally:
            browser.close()
