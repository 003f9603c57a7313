"""The site of an archive of several districts (Datasette's client, in-process): the home page lists
the districts, each with its own home page, topics, pickers, search and checks; one category is
compared across districts for like-for-like periods only. Every report and area here is invented."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.publish.site import make_datasette

from .test_districts import _later_report, write_districts


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = write_districts(tmp_path_factory.mktemp("district-site") / "corpus")
    _later_report(root, "northvale", 2023, 2)  # Northvale: 2022/23 and 2023/24
    _later_report(root, "southmere", 2024, 3)  # Southmere: 2022/23 and 2024/25
    db = root.parent / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    return db


async def _get(db, path: str, status: int = 200) -> str:
    ds = make_datasette(db, None)
    await ds.invoke_startup()
    response = await ds.client.get(path)
    assert response.status_code == status, (path, response.text[:500])
    return response.text


def _options(html: str, select: str) -> list[str]:
    found = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select
    return re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))


async def test_the_home_page_lists_each_district_with_its_sentences(archive):
    html = await _get(archive, "/")
    assert "2 districts" in html
    assert 'href="/-/district/northvale"' in html and 'href="/-/district/southmere"' in html
    assert 'href="/-/topic/violence%20against%20the%20person?district=northvale"' in html
    northvale = html.split('href="/-/district/northvale"')[1].split('href="/-/district/southmere"')[0]
    assert "2023" in northvale  # Northvale's own change, a year apart, in words
    assert 'href="/-/compare/robbery"' in html


async def test_a_districts_home_page_is_its_own(archive):
    html = await _get(archive, "/-/district/southmere")
    assert "<h1>Community Safety Partnership reports: Southmere" in html
    assert "southmere-2022-23-review" in html and "northvale-2022-23-review" not in html
    areas = _options(html, "pick-area")
    assert areas and all(not a.startswith("Northvale") for a in areas)
    assert areas[0] == "Southmere district"  # the district's own area first
    assert '<input type="hidden" name="district" value="southmere">' in html  # the picker and search keep it
    assert 'href="/-/checks?district=southmere"' in html
    await _get(archive, "/-/district/eastwick", 404)


async def test_a_topic_page_is_of_one_district_the_first_by_default(archive):
    southmere = await _get(archive, "/-/topic/robbery?district=southmere")
    assert "Southmere: RURAL" in southmere and "Northvale: RURAL" not in southmere
    first = await _get(archive, "/-/topic/robbery")
    assert "Northvale: RURAL" in first and "Southmere: RURAL" not in first
    assert 'href="/-/compare/robbery"' in first
    await _get(archive, "/-/topic/robbery?district=eastwick", 404)


async def test_a_trend_page_picks_within_its_lines_district(archive):
    line = quote("robbery|Southmere: RURAL|recorded crimes", safe="")
    html = await _get(archive, f"/-/trend?line={line}")
    assert "svg" in html
    areas = _options(html, "pick-area")
    assert "Southmere: RURAL" in areas and not any(a.startswith("Northvale") for a in areas)


async def test_one_category_compared_across_districts_for_like_periods_only(archive):
    html = await _get(archive, "/-/compare/robbery")
    assert '<th scope="col">Northvale</th>' in html and '<th scope="col">Southmere</th>' in html
    periods = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert periods and set(periods) == {"2022/23"}  # 2023/24 and 2024/25 are each one district's only
    assert 'class="trend-chart"' in html and html.count('class="point"') >= 2
    assert ">23</a>" in html and ">13</a>" in html  # each district's total as printed
    await _get(archive, "/-/compare/no-such-topic", 404)


async def test_search_and_checks_of_one_district(archive):
    every = await _get(archive, "/-/search?q=robbery&section=figures")
    assert "northvale-2022-23-review" in every and "southmere-2022-23-review" in every
    one = await _get(archive, "/-/search?q=robbery&section=figures&district=southmere")
    assert "southmere-2022-23-review" in one and "northvale-2022-23-review" not in one
    assert "&amp;district=southmere" in one or "district=southmere" in one
    await _get(archive, "/-/search?q=robbery&district=eastwick", 404)
    assert "Southmere" in await _get(archive, "/-/checks?district=southmere")


async def test_a_district_asked_for_in_markup_is_not_found_and_shown_as_text(archive):
    html = await _get(archive, "/-/topic/robbery?district=%3Cb%3Eeast%3C/b%3E", 404)
    assert "<b>east</b>" not in html and "&lt;b&gt;east&lt;/b&gt;" in html
    await _get(archive, "/-/district/%3Cb%3E", 404)
