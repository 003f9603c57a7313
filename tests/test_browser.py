"""The site in a real browser (Playwright driving Debian's Chromium, headless, never downloaded):
home → search → a passage's PDF; home → a trend chart with its points; a figure → its PDF page."""

import os
import re
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli

from .conftest import SMALL_REPORT, served
from .test_pdf_build import corpus_with_pdf

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def chromium_executable() -> str | None:
    """Debian's chromium, else a browser Playwright already has; None when there is none."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    try:
        with playwright_api.sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # no browser bundled with this playwright
        return None
    return path if path and os.path.exists(path) else None


EXECUTABLE = chromium_executable()
pytestmark = pytest.mark.skipif(
    EXECUTABLE is None, reason="no Chromium: apt-get install chromium (CI does), or playwright install chromium"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    corpus = corpus_with_pdf(root / "corpus")
    (corpus / "text" / "2021-22-test.txt").write_text(SMALL_REPORT)
    with (corpus / "manifest.yaml").open("a") as fh:
        fh.write(
            "  - id: 2021-22-test\n    title: Test report\n    kind: strategic_assessment\n"
            "    area: Winchester district\n    period: {start: 2021-04-01, end: 2022-03-31}\n"
            "    files: [text/2021-22-test.txt]\n"
        )
    db = root / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    with served(db, corpus) as base:
        yield base


@pytest.fixture(scope="module")
def browser(site):
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=EXECUTABLE, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser):
    return browser.new_page(viewport={"width": 1280, "height": 800})


def test_home_search_then_a_passage_links_to_its_pdf(site, page):
    page.goto(site + "/")
    assert "Community Safety Partnership" in page.title()
    page.fill("#q", "Crimes by quarter")
    page.click("form[role=search] button")
    page.wait_for_selector("li.passage")
    link = page.locator("li.passage a.pdf").first
    href = link.get_attribute("href")
    assert href.startswith("/pdf/r.pdf")
    response = page.request.get(site + href.split("#")[0])
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_home_trend_draws_a_chart_with_its_points(site, page):
    page.goto(site + "/")
    page.select_option("#pick-category", value="violence with injury")
    page.select_option("#pick-area", value="Winchester district")
    page.select_option("#pick-measure", value="recorded crimes")
    page.click("text=Draw the trend")
    page.wait_for_selector("svg.trend-chart")
    assert page.locator("svg.trend-chart a.point").count() == 5  # four quarters and the year
    assert page.locator("svg.trend-chart").count() == 2  # a panel per period length
    assert page.locator("svg.trend-chart polyline").count() >= 1
    box = page.locator("svg.trend-chart").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    href = page.locator("svg.trend-chart a.point").first.get_attribute("href")
    assert href and href != "#"


def test_a_figure_links_to_its_pdf_page(site, page):
    page.goto(site + "/-/report/r")
    link = page.locator("a.pdf[href*='#page=']").first
    assert link.get_attribute("href") == "/pdf/r.pdf#page=1"
    assert Path(page.url).name == "r"


TREND = "/-/trend?line=violence+with+injury%7CWinchester+district%7Crecorded+crimes"


@pytest.mark.parametrize(
    "path",
    ["/", "/csp/facts", TREND, "/-/report/r", "/-/search?q=violence", "/-/topic/violence%20with%20injury"],
    ids=["home", "table", "chart", "report", "search", "topic"],
)
def test_no_serious_or_critical_accessibility_violation(site, page, path):
    page.goto(site + path)
    if path == TREND:
        page.wait_for_selector("svg.trend-chart a.point")
    page.add_script_tag(url="/assets/vendor/axe.min.js")  # served by the site: its policy allows 'self'
    violations = page.evaluate("async () => (await axe.run()).violations")
    print("\n".join(f"{v['id']} ({v['impact']})" for v in violations))
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    detail = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in bad]
    assert bad == [], "\n".join(detail)


PHONE_PAGES = [
    "/",
    "/-/topic/violence%20with%20injury",
    TREND,
    "/-/report/r",
    "/-/report/2021-22-test",
    "/-/search?q=violence",
]


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PHONE_PAGES, ids=["home", "topic", "trend", "report", "report2", "search"])
def test_no_page_is_wider_than_a_phone(site, phone, path):
    response = phone.goto(site + path)
    assert response.status == 200
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide on a 390 px screen"


def test_controls_are_16px_and_44px_tall_and_a_skip_link_leads(site, phone):
    phone.goto(site + "/")
    sizes = phone.evaluate(
        "() => Array.from(document.querySelectorAll('main input, main select, main button, [role=main] input, "
        "[role=main] select, [role=main] button')).map(e => [parseFloat(getComputedStyle(e).fontSize), "
        "e.getBoundingClientRect().height])"
    )
    assert sizes and all(size >= 16 and height >= 44 for size, height in sizes), sizes
    first = phone.locator("body a").first
    assert first.get_attribute("href") == "#main" and "Skip" in first.inner_text()
    phone.keyboard.press("Tab")  # focused, it shows, readable on its own background
    name, colour, background = phone.evaluate(
        "() => {const s = getComputedStyle(document.activeElement); "
        "return [document.activeElement.className, s.color, s.backgroundColor]}"
    )
    assert name == "skip" and _contrast(colour, background) >= 4.5, (colour, background)
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.getAttribute('role')") == "main"


def _contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(11, 61, 110)")."""

    def luminance(css: str) -> float:
        channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_unknown_topic_and_trend_line_are_404(site, page):
    assert page.goto(site + "/-/topic/nothing%20here").status == 404
    assert page.goto(site + "/-/trend?line=a%7Cb%7Cc").status == 404


@pytest.fixture(scope="module")
def bundled_site(bundled_text_db):
    """The bundled reports (text renditions), served with the bundled PDFs."""
    from .conftest import REPO

    with served(bundled_text_db, REPO / "corpus") as base:
        yield base


def _fits(page) -> None:
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_three_people_walk_their_tasks_and_no_page_is_wider_than_its_window(browser, bundled_site, width):
    phone = width == 390
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    try:
        # the public: is crime going up or down here? A sentence, then its topic and its trend
        page.goto(bundled_site + "/")
        _fits(page)
        assert "0.8 % more than April–December 2023" in page.locator(".topic-answer").first.inner_text()
        page.locator(".topic-answer h3 a").first.click()
        page.wait_for_selector("h1")
        _fits(page)
        page.locator(".sources a", has_text="the trend").first.click()
        page.wait_for_selector("svg.trend-chart")
        _fits(page)
        # a researcher: every domestic abuse figure, newest first, all of them, as CSV to cite
        page.goto(bundled_site + "/")
        page.fill("#q", "DA")
        page.locator("form[role=search] button").click()
        page.wait_for_selector("#figures-h")
        _fits(page)
        assert page.locator("mark").count() > 0
        page.locator("a[href*='section=figures']", has_text=re.compile(r"^See all \d+$")).click()
        page.wait_for_selector("#figures-h")
        _fits(page)
        total = int(re.search(r"\((\d+)\)", page.locator("#figures-h").inner_text()).group(1))
        assert page.locator("tbody tr").count() == total
        csv_href = page.locator("a", has_text="As CSV").get_attribute("href")
        csv_text = page.request.get(bundled_site + csv_href).text()
        assert (
            csv_text.startswith("report,document_id,page,quote,status") and "archive_built" in csv_text.splitlines()[0]
        )
        # an officer: what was promised in the delivery plan and what followed; where reports disagree
        page.goto(bundled_site + "/")
        page.locator("#promised-h ~ ul a", has_text="Delivery Plan 2023/24").click()
        page.wait_for_selector("h2[id^=priority-]")
        _fits(page)
        assert page.locator("text=No later evidence found in the archive.").count() > 0
        page.locator(".evidence a[href^='/-/report/']").first.click()
        page.wait_for_selector("h1")
        _fits(page)
        page.goto(bundled_site + "/")
        page.locator("a", has_text="Where the reports disagree with themselves").click()
        page.wait_for_selector("li.check")
        _fits(page)
        assert "_" not in page.locator("li.check strong").first.inner_text()
        for path in (
            "/-/checks",
            "/csp/promised_and_reported_after?period_start=2023-04-01",
            "/csp/facts",
            "/-/search",
        ):
            page.goto(bundled_site + path)
            _fits(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/-/promised/2023-24-delivery-plan",
        "/-/checks",
        "/-/search?q=ASB",
        "/-/search",
        "/-/topic/all%20recorded%20crime",
    ],
    ids=["promised", "checks", "search", "empty-search", "topic"],
)
def test_new_pages_have_no_serious_or_critical_accessibility_violation(bundled_site, page, path):
    page.goto(bundled_site + path)
    bad = serious_violations(page)
    assert bad == [], "\n".join(bad)


def serious_violations(page) -> list[str]:
    """What axe (served by the site: its policy allows 'self') finds serious or critical on the page."""
    page.add_script_tag(url="/assets/vendor/axe.min.js")
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
