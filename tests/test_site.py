"""The published site: Datasette in-process (every page type and canned query), and over real HTTP."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.cli import cli
from extract.publish.charts import lines_for, period_kind
from extract.publish.site import make_datasette, metadata

from .conftest import SMALL_REPORT, write_corpus
from .test_pdf_build import corpus_with_pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    corpus = write_corpus(root / "corpus", {"2021-22-test": SMALL_REPORT})
    db = root / "csp.db"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)]).exit_code == 0
    return db


@pytest.fixture(scope="module")
def pdf_built(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdfsite")
    corpus = corpus_with_pdf(root / "corpus")
    db = root / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    return db, corpus


async def _ds(db, corpus=None):
    ds = make_datasette(db, corpus / "pdf" if corpus else None)
    await ds.invoke_startup()
    return ds


async def test_metadata_states_licence_and_documents_and_renders_markdown(built):
    ds = await _ds(built)
    data = (await ds.client.get("/-/metadata.json")).json()
    assert data["license"] == "Open Government Licence v3.0"
    assert "open-government-licence" in data["license_url"]
    database = data["databases"]["csp"]
    assert "Test report 2021-22-test" in database["description"]
    assert "<strong>Test report 2021-22-test</strong>" in database["description_html"]
    facts = (
        await ds.client.get("/csp/facts.json?_shape=array&row_label=1b+Violence+with+Injury&column_label=Q1")
    ).json()
    assert [f["value"] for f in facts] == [205.0]


def test_every_visible_table_and_column_of_facts_is_described(built):
    import sqlite3

    tables = metadata(built)["databases"]["csp"]["tables"]
    con = sqlite3.connect(built)
    names = [r[0] for r in con.execute("select name from sqlite_master where type in ('table', 'view')")]
    assert [n for n in names if "_fts" not in n and not tables.get(n, {}).get("description")] == []
    columns = [r[1] for r in con.execute("pragma table_info(facts)")]
    assert [c for c in columns if c not in tables["facts"]["columns"]] == []


async def test_home_page_offers_search_trend_reports_and_citation(built):
    ds = await _ds(built)
    response = await ds.client.get("/")
    assert response.status_code == 200
    html = response.text
    assert 'action="/-/search"' in html and 'action="/-/trend"' in html
    assert "/-/report/2021-22-test" in html and "2021-04-01 to 2022-03-31" in html
    assert "<option>violence with injury</option>" in html and 'id="pick-area"' in html
    assert "Open Government Licence v3.0" in html
    assert "/csp/what_was_promised" in html


async def test_search_finds_passages_once_and_figures(built):
    ds = await _ds(built)
    html = (await ds.client.get("/-/search?q=violence+with+injury+offences")).text
    assert html.count('class="passage"') == 1
    assert "877" in html


async def test_search_reads_the_full_text_indexes_each_word_a_prefix(built):
    ds = await _ds(built)
    html = (await ds.client.get("/-/search?q=INJUR+offen")).text  # any case, each word the start of one
    assert html.count('class="passage"') == 1 and "Passages (1)" in html
    assert "Figures (1)" in html and "877" in html  # the prose figure's quote
    html = (await ds.client.get("/-/search?q=offences+injury+violence")).text  # in any order
    assert html.count('class="passage"') == 1
    html = (await ds.client.get("/-/search?q=violence+burglary")).text  # every word, not any
    assert "Passages (0)" in html and "Figures (0)" in html


async def test_search_with_fts_syntax_in_the_words_gives_results_or_an_empty_page_never_an_error(built):
    ds = await _ds(built)
    hostile = ['"', "*", "NEAR(", "NEAR(violence injury)", "violence OR", "OR", "AND NOT", "-violence", "^violence",
               "violence:", "{text}: violence", "(", ")", "'", "\\", "%", "_", "\u0000", "violence*", '"violence', "\t"]  # fmt: skip
    for words in hostile:
        response = await ds.client.get(f"/-/search?q={quote(words)}")
        assert response.status_code == 200, (words, response.text[:300])
        assert "<h1>Search</h1>" in response.text
    html = (await ds.client.get(f"/-/search?q={quote('violence*')}")).text
    assert html.count('class="passage"') == 1  # the star is a character to find, not an operator: still a prefix
    html = (await ds.client.get(f"/-/search?q={quote('violence OR burglary')}")).text
    assert "Passages (0)" in html  # OR is a word to find, not an operator


async def test_trend_page_draws_a_chart_with_a_point_per_figure(built):
    ds = await _ds(built)
    line = quote("violence with injury|Winchester district|recorded crimes")
    html = (await ds.client.get(f"/-/trend?line={line}")).text
    assert "<svg" in html
    points = re.findall(r'<a class="point" href="[^"#]+', html)  # every marker a link to its source
    assert len(points) == 5  # four quarters and the year, one marker per point
    # quarters and years on panels of their own, each with axis titles, a summary and a table
    assert '<h2 id="panel-h-1">Quarters</h2>' in html and '<h2 id="panel-h-2">Years</h2>' in html
    assert html.count('class="trend-chart"') == 2 and html.count('class="summary"') == 2
    assert html.count("Financial year (April to March)") == 2 and ">recorded crimes</text>" in html
    assert ">2021/22</text>" in html and "Q1 2021/22" in html
    assert html.count('<table class="points">') == 2


def test_chart_ticks_labels_and_panels():
    from extract.publish.charts import financial_year, length_name, nice_ticks, panels_for, period_label

    assert nice_ticks(463) == [0, 100, 200, 300, 400, 500]
    assert nice_ticks(8123) == [0, 2000, 4000, 6000, 8000, 10000]
    assert nice_ticks(12.43)[-1] >= 12.43 and all(t == round(t, 1) for t in nice_ticks(12.43))
    assert financial_year(__import__("datetime").date(2022, 3, 31)) == "2021/22"
    assert period_label("2021-04-01", "2022-03-31") == "2021/22"
    assert period_label("2021-07-01", "2021-09-30") == "Q2 2021/22"
    assert period_label("2024-04-01", "2024-12-31") == "Apr–Dec 2024"
    assert length_name("9 months") == "Nine-month periods" and length_name("12 months") == "Years"
    rows = [
        {
            "period_start": "2023-04-01",
            "period_end": "2023-12-31",
            "length": "9 months",
            "value": 1,
            "relation": "whole",
        },
        {
            "period_start": "2021-04-01",
            "period_end": "2022-03-31",
            "length": "12 months",
            "value": 3,
            "relation": "whole",
        },
        {
            "period_start": "2021-04-01",
            "period_end": "2022-03-31",
            "length": "12 months",
            "value": 2,
            "relation": "part_of",
            "printed_category": "4a1",
        },
    ]
    panels = panels_for(rows)
    assert [p.length for p in panels] == ["9 months", "12 months"]
    assert [line.label for line in panels[1].lines] == ["the whole", "part: 4a1"]
    looks = {(line.colour, line.shape) for p in panels for line in p.lines}
    assert len(looks) == 2  # the whole keeps its colour and shape in every panel; the part its own


async def test_trend_with_no_figures_says_why_and_offers_values(built):
    ds = await _ds(built)
    html = (await ds.client.get("/-/trend?category=Burglary&area=Winchester+district&measure=recorded+crimes")).text
    assert "No figures for category &#39;Burglary&#39;" in html or "No figures for category 'Burglary'" in html
    assert "<svg" not in html
    assert quote("violence with injury|Winchester district|recorded crimes", safe="") in html


def test_lines_split_by_period_length_and_relation():
    rows = [
        {"period_start": "2021-04-01", "period_end": "2021-06-30", "value": 1, "unit": "count", "relation": "same"},
        {"period_start": "2021-07-01", "period_end": "2021-09-30", "value": 2, "unit": "count", "relation": "same"},
        {"period_start": "2021-04-01", "period_end": "2022-03-31", "value": 3, "unit": "count", "relation": "same"},
        {"period_start": "2021-04-01", "period_end": "2022-03-31", "value": 4, "unit": "count", "relation": "part_of"},
    ]
    assert sorted(len(line.points) for line in lines_for(rows)) == [1, 1, 2]
    assert period_kind("2017-04-01", "2017-09-30") == "half year"


async def test_report_page_draws_tables_and_links_figures_to_pdf_pages(pdf_built):
    db, corpus = pdf_built
    ds = await _ds(db, corpus)
    html = (await ds.client.get("/-/report/r")).text
    assert '<table class="grid">' in html and '<th scope="col">Q1</th>' in html
    assert 'href="/pdf/r.pdf#page=1"' in html
    pdf = await ds.client.get("/pdf/r.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await ds.client.get("/-/report/nope")).status_code == 404


# Parameters for every canned query, and whether the one-report fixture should give rows
# (it has no commitments and its arithmetic adds up, so those queries are rightly empty).
CANNED = {
    "trend_for_a_category": ("category=violence+with+injury&area=Winchester+district&measure=recorded+crimes", True),
    "figures_of_a_report": ("report=2021-22-test", True),
    "find_a_figure": ("words=Violence", True),
    "find_a_passage": ("words=violence", True),
    "what_was_promised": ("words=", False),
    "failed_checks": ("", False),
    "category_changes": ("", True),
    "what_changed_between_two_periods": ("earlier_start=2021-07-01&later_start=2021-10-01", True),
    "promised_and_reported_after": ("period_start=2021-04-01", False),
    "compare_districts": ("category=violence+with+injury", False),  # one district: nothing to compare
}


def _canned_names() -> list[str]:
    import yaml

    from extract.publish.site import SITE_DIR

    return sorted(yaml.safe_load((SITE_DIR / "canned_queries.yml").read_text())["queries"])


@pytest.mark.parametrize("name", _canned_names())
async def test_canned_queries_are_described_and_run(built, name):
    assert name in CANNED, f"give {name} parameters in CANNED"
    params, has_rows = CANNED[name]
    queries = metadata(built)["databases"]["csp"]["queries"]
    assert queries[name].get("title") and queries[name].get("description")
    ds = await _ds(built)
    response = await ds.client.get(f"/csp/{name}.json?_shape=array&{params}")
    assert response.status_code == 200, response.text
    rows = response.json()
    assert isinstance(rows, list)
    if has_rows:
        assert rows, f"{name} gave no rows on the fixture"
    html = await ds.client.get(f"/csp/{name}?{params}")
    assert html.status_code == 200
    # titled in words, the SQL folded away behind "show"
    assert queries[name]["hide_sql"] is True and " from " not in queries[name]["title"].lower()
    assert '<textarea id="sql-editor"' not in html.text


async def test_find_a_passage_matches_each_word_as_a_prefix_and_searches_syntax_as_words(built):
    ds = await _ds(built)

    async def texts(words: str) -> list[str]:
        response = await ds.client.get(f"/csp/find_a_passage.json?_shape=array&words={quote(words)}")
        assert response.status_code == 200, response.text
        return [r["text"] for r in response.json()]

    assert await texts("injur offen") == ["During the reporting period there were 877 violence with injury offences."]
    assert await texts('RECORDED "crimes') == ["Figure 1: Recorded crimes - April 2021 – March 2022."]
    for words in ("NEAR(", '"', "* OR", "", "criminal damage"):  # the last is only in a table
        assert await texts(words) == [], words


FACET_COLUMNS = ("document_id", "category", "area", "period_label", "unit", "status")


async def test_facts_facets_are_read_from_facet_counts_where_it_holds_the_pages_counts(built, tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "csp.db"
    shutil.copy(built, db)
    con = sqlite3.connect(db)
    con.execute("update facet_counts set facts = facts * 1000")  # shows which facets were read, not counted
    con.commit()
    ds = await _ds(db)
    cases = {"": "1", "canonical_category=violence+with+injury": "canonical_category = 'violence with injury'"}
    cases["area=Winchester+district"] = "area = 'Winchester district'"  # facet_counts is not by area: counted live
    for query, where in cases.items():
        facets = (await ds.client.get(f"/csp/facts.json?{query}")).json()["facet_results"]
        times = 1 if query.startswith("area") else 1000
        for column in FACET_COLUMNS:
            counted = con.execute(
                f"select {column}, count(*) * {times} from facts where {column} is not null and {where} "
                "group by 1 order by 2 desc, 1 limit 31"
            ).fetchall()
            assert counted and [(r["value"], r["count"]) for r in facets[column]["results"]] == counted, (query, column)


def test_find_a_passage_gives_the_latest_report_first_each_in_reading_order(bundled_text_db):
    import sqlite3

    import yaml

    from extract.publish.site import SITE_DIR

    sql = yaml.safe_load((SITE_DIR / "canned_queries.yml").read_text())["queries"]["find_a_passage"]["sql"]
    con = sqlite3.connect(bundled_text_db)
    found = con.execute(sql, {"words": "domestic abus"}).fetchall()
    order = [r[0] for r in con.execute("select id from documents order by rowid")]  # the manifest's
    reports = [order.index(r[2]) for r in found]
    assert len(set(reports)) > 1
    assert reports == sorted(reports, reverse=True)  # the latest report first (reading order: the next test)


def test_find_a_passage_finds_every_passage_with_the_words_the_latest_when_more_than_200(bundled_text_db):
    """The index limits in its own order (the archive's, from the end): the passages are those of the
    primary renditions holding a word starting with each word given, the last 200 of the archive."""
    import re
    import sqlite3

    import yaml

    from extract.publish.site import SITE_DIR

    sql = yaml.safe_load((SITE_DIR / "canned_queries.yml").read_text())["queries"]["find_a_passage"]["sql"]
    con = sqlite3.connect(bundled_text_db)
    blocks = con.execute(
        "select b.text, b.kind, f.document_id, b.page, f.path, b.file_id, b.id from blocks b "
        "join files f on f.id = b.file_id and f.role = 'primary' where b.kind != 'table' and b.text is not null "
        "order by b.id"
    ).fetchall()
    for words in ("domestic abus", "burglary", "anti social", "crime"):
        found = con.execute(sql, {"words": words}).fetchall()
        tokens = [re.findall(r"[^\W_]+", b[0].lower()) for b in blocks]
        expected = [b for b, t in zip(blocks, tokens) if all(any(w.startswith(p) for w in t) for p in words.split())]
        latest = sorted(expected[-200:], key=lambda b: (-b[5], b[6]))
        assert 0 < len(found) == min(len(expected), 200), words
        assert found == [b[:5] for b in latest], words


async def test_trend_query_values(built):
    ds = await _ds(built)
    rows = (
        await ds.client.get(f"/csp/trend_for_a_category.json?_shape=array&{CANNED['trend_for_a_category'][0]}")
    ).json()
    quarters = [r["value"] for r in rows if r["period_end"] < "2022-03-31" or r["period_start"] == "2022-01-01"]
    assert quarters == [205.0, 243.0, 211.0, 218.0]
    assert [r["value"] for r in rows if (r["period_start"], r["period_end"]) == ("2021-04-01", "2022-03-31")] == [877.0]


async def test_serving_rules(built):
    ds = await _ds(built)
    assert (await ds.client.get("/csp.db")).status_code == 200  # immutable: download allowed
    assert (await ds.client.post("/csp/find_a_figure", data={"words": "x"})).status_code == 405
    assert (await ds.client.get("/csp?sql=select+*+from+nope")).status_code == 400
    assert (await ds.client.get("/csp/figures?_sort=no_such_column")).status_code == 400  # the request's fault
    assert "Disallow" in (await ds.client.get("/robots.txt")).text
    facts = await ds.client.get("/csp/facts")
    assert "Suggested facets" not in facts.text
    for column in ("document_id", "category", "area", "period_label", "unit", "status"):
        assert f'class="facet-info facet-csp-facts-{column}"' in facts.text, column
    assert (await ds.client.get("/csp/facts.json", headers={"Origin": "http://x"})).headers.get(
        "access-control-allow-origin"
    ) == "*"
    assert not list(built.parent.glob("*.json"))  # nothing written beside the database


@pytest.mark.parametrize("content,reason", [(b"", "empty file"), (b"not sqlite" * 200, "not an SQLite database")])
def test_serve_refuses_a_file_that_is_not_a_database_in_one_line(tmp_path, content, reason):
    db = tmp_path / "x.db"
    db.write_bytes(content)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 1
    assert reason in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_refuses_a_database_that_is_not_an_archive(tmp_path):
    import sqlite3

    db = tmp_path / "other.db"
    sqlite3.connect(db).execute("create table t (x)").connection.commit()
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 1 and "not a csp-archive database" in result.output


def test_export_writes_every_row_and_a_datapackage(built, tmp_path):
    import csv

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--db", str(built), str(out)])
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert {"name": "value", "type": "number", "description": "The figure as printed, as a number."} in facts["schema"][
        "fields"
    ]
    with (out / "facts.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    import sqlite3

    assert len(rows) == sqlite3.connect(built).execute("select count(*) from facts").fetchone()[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_over_real_http_streams_every_row_and_logs_one_line_per_refusal(built):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "serve", "--db", str(built), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/csp/facts.csv?_stream=on", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None, proc.stdout.read1().decode() if proc.poll() is not None else "no answer"
        assert "fact_id" in body.splitlines()[0]
        assert "1b Violence with Injury" in body
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/csp?sql=update+figures+set+value%3D0", timeout=5)
        assert refused.value.code == 400
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert "Traceback" not in out
    assert not list(built.parent.glob("*.json"))


async def test_response_cache_draws_a_page_once_and_never_caches_what_varies():
    from extract.publish.cache import ResponseCache

    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        status = 404 if scope["path"] == "/missing" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"page " + scope["path"].encode()})

    cache = ResponseCache(app)
    sent = []

    async def send(message):
        sent.append(message)

    def scope(path, method="GET", query=b""):
        return {"type": "http", "method": method, "path": path, "query_string": query, "headers": []}

    for _ in range(2):
        await cache(scope("/csp/facts"), None, send)
        await cache(scope("/missing"), None, send)
        await cache(scope("/csp/facts.csv", query=b"_stream=on"), None, send)
        await cache(scope("/csp.db"), None, send)
    assert calls.count("/csp/facts") == 1
    assert calls.count("/missing") == 2 and calls.count("/csp/facts.csv") == 2 and calls.count("/csp.db") == 2
    assert [m["body"] for m in sent if m["type"] == "http.response.body"][:1] * 2 == [b"page /csp/facts"] * 2


def test_a_total_of_all_regions_of_one_kind_is_the_parent_area():
    from extract.vocab.areas import area_id_of, area_ids

    ids = area_ids()
    assert area_id_of("Total of WINCHESTER CITY, WINCHESTER GREATER, WINCHESTER RURAL") == ids["Winchester district"]
    assert area_id_of("Total of WINCHESTER CITY, WINCHESTER RURAL") is None
    assert area_id_of("Total of Nowhere, WINCHESTER CITY") is None


def test_export_validates_as_a_frictionless_data_package(built, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", "--db", str(built), str(out)])
    assert result.exit_code == 0, result.output
    report = frictionless.validate(str(out / "datapackage.json"))
    errors = [f"{e.type}: {e.note}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.note}" for e in report.errors
    ]
    assert report.valid, "\n".join(errors)
    assert len(report.tasks) == len(list(out.glob("*.csv"))) > 0
    package = json.loads((out / "datapackage.json").read_text())
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    types = {f["name"]: f["type"] for f in facts["schema"]["fields"]}
    # page and coordinates are null for a text rendition, yet typed as they are declared
    assert (types["value"], types["page"], types["x0"], types["quote"]) == ("number", "integer", "number", "string")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_find_a_passage_finds_what_each_word_searched_as_a_prefix_finds(bundled_text_db, data):
    """A word of letters and digits is looked up as the whole terms it begins (passage_terms); the
    passages found are those the index finds for the word as a prefix, whatever the word."""
    import sqlite3

    import yaml

    from extract.publish.site import SITE_DIR

    sql = yaml.safe_load((SITE_DIR / "canned_queries.yml").read_text())["queries"]["find_a_passage"]["sql"]
    con = sqlite3.connect(bundled_text_db)
    terms = [t for (t,) in con.execute("select term from passage_terms")]
    word = st.one_of(
        st.sampled_from(terms).flatmap(lambda t: st.integers(1, len(t)).map(lambda n: t[:n])),  # a term's start
        st.text("abcdeABCDE019é–_-'\" *", min_size=1, max_size=6),
    )
    typed = " ".join(data.draw(st.lists(word, min_size=1, max_size=3)))
    prefix = " ".join('"' + w.replace('"', '""') + '"*' for w in typed.split()) or '""*'

    def found(query: str, params) -> list | str:
        try:
            return con.execute(query, params).fetchall()
        except sqlite3.OperationalError as err:  # what the index refuses, it refuses either way
            return str(err)

    expected = found(
        "select b.text, b.kind, f.document_id, b.page, f.path from (select rowid as id from passages_fts "
        "where passages_fts match ? order by rowid desc limit 200) s join blocks b on b.id = s.id "
        "join files f on f.id = b.file_id order by b.file_id desc, b.id",
        [prefix],
    )
    assert found(sql, {"words": typed}) == expected, typed


async def test_home_and_topic_pages_answer_in_like_for_like_sentences(bundled_text_db):
    ds = await _ds(bundled_text_db)
    home = (await ds.client.get("/")).text
    lead = home.index("Is it going up or down")
    assert lead < home.index('id="search-h"')  # the answers come first
    assert "April–December 2024: 5,740 crimes, 0.8 % more than April–December 2023" in home
    assert "April–December 2024: 678 incidents, 6.7 % fewer than April–December 2023" in home
    assert re.search(r'class="sources">Source: <a class="pdf" href="[^"]+">2024-25-performance-update', home[lead:])
    # the picker defaults to all recorded crime in the district
    assert re.search(r"<option selected>all recorded crime</option>", home)
    assert re.search(r"<option selected>Winchester district</option>", home)
    assert re.search(r"<option selected>recorded crimes</option>", home)
    response = await ds.client.get("/-/topic/" + quote("all recorded crime", safe=""))
    assert response.status_code == 200
    topic = response.text
    assert "5,740 crimes, 0.8 % more than April–December 2023" in topic
    assert "4,397 crimes, 8.8 % more than April–October 2016" in topic
    # nine months against a year is never a sentence
    assert "8,123" not in topic.split('id="lines-h"')[0]
    violence = (await ds.client.get("/-/topic/violence%20against%20the%20person")).text
    assert "Crime Data Integrity" in violence  # the series caveat
    assert "1 = 1a + 1b + 1c" not in violence  # a sum is not a caveat for a reader
    burglary = (await ds.client.get("/-/topic/burglary")).text
    assert "no change is stated" in burglary
    asb = (await ds.client.get("/-/topic/all_asb")).text  # an id names the topic too
    assert "WINCHESTER CITY" in asb and "6.3 % fewer" in asb


async def test_unknown_topics_trend_lines_and_reports_are_404(built):
    ds = await _ds(built)
    assert (await ds.client.get("/-/topic/no%20such%20thing")).status_code == 404
    assert (await ds.client.get("/-/trend?line=a%7Cb%7Cc")).status_code == 404
    assert (await ds.client.get("/-/report/nope")).status_code == 404
    assert (await ds.client.get("/-/trend")).status_code == 200  # the picker alone


def test_plain_sentence_names_what_is_counted():
    from extract.publish.pages import period_words, plain_sentence

    change = {
        "measure": "recorded crimes",
        "unit": "count",
        "sentence": "April–December 2024: 5,740, 0.8 % more than X",
    }
    assert plain_sentence(change, "crime") == "April–December 2024: 5,740 crimes, 0.8 % more than X"
    rate = {"measure": "FAT outcome rate", "unit": "percent", "sentence": "April–December 2024: 77 %, 1.6 points"}
    assert plain_sentence(rate) == rate["sentence"]
    assert period_words("2021-04-01", "2022-03-31") == "April 2021–March 2022"
    assert period_words("2024-04-01", "2024-12-31") == "April–December 2024"


async def test_asb_chart_never_draws_nine_months_beside_a_year(bundled_text_db):
    ds = await _ds(bundled_text_db)
    line = quote("all anti-social behaviour|Winchester district|ASB incidents", safe="")
    html = (await ds.client.get(f"/-/trend?line={line}")).text
    panels = re.findall(r'<h2 id="panel-h-\d+">([^<]+)</h2>', html)
    assert "Nine-month periods" in panels and "Years" in panels
    nine = html.split(">Nine-month periods</h2>")[1].split('<section class="panel"')[0]
    assert "1,172" not in nine  # the year's figure is on its own axes
    assert "678 incidents, 6.7 % fewer than April–December 2023" in html  # and the change is said in words


INTERNAL_WORDS = re.compile(r"\b(item_kind|target_kind|priority_focus|strength|block|commitment_id)\b")


async def test_what_was_promised_per_plan_grouped_by_priority_with_evidence_or_none(bundled_text_db):
    ds = await _ds(bundled_text_db)
    home = (await ds.client.get("/")).text
    assert 'href="/-/promised/2023-24-delivery-plan"' in home
    response = await ds.client.get("/-/promised/2023-24-delivery-plan")
    assert response.status_code == 200
    html = response.text
    main = html[html.index('id="main"') :]
    assert INTERNAL_WORDS.findall(re.sub(r"<[^>]+>", " ", main)) == []
    priorities = re.findall(r'<h2 id="priority-\d+">Priority: ([^<]+)</h2>', html)
    assert len(priorities) == 3 and "Domestic Abuse &amp; Violence" in priorities
    # an aim's activities sit inside it, under its priority
    first = main.split('<h2 id="priority-2"')[0]
    assert first.index("<strong>Aim:</strong> Manage those identified as high-risk") < first.index(
        "<strong>What will be done:</strong> Increased use of policing powers"
    )
    assert "No later evidence found in the archive." in html
    evidence = re.findall(r'<strong>An achievement or pledge</strong> in <a href="/-/report/([^"]+)">', html)
    assert "2024-25-performance-update" in evidence
    # counts in words agree with the database
    import sqlite3

    con = sqlite3.connect(bundled_text_db)
    (linked,) = con.execute(
        "select count(distinct c.id) from commitments c join commitment_links l on l.commitment_id = c.id "
        "join files f on f.id = c.file_id and f.role = 'primary' "
        "where c.document_id = '2023-24-delivery-plan' and l.target_kind != 'none' and c.item_kind != 'priority'"
    ).fetchone()
    assert f"{linked} with later evidence" in html
    assert (await ds.client.get("/-/promised/no-such-plan")).status_code == 404


async def test_promised_and_reported_after_gives_the_evidence_and_the_rows_with_none(bundled_text_db):
    import sqlite3

    ds = await _ds(bundled_text_db)
    rows = (await ds.client.get("/csp/promised_and_reported_after.json?_shape=array&period_start=2023-04-01")).json()
    con = sqlite3.connect(bundled_text_db)
    stored = dict(
        con.execute(
            "select l.evidence, l.document_id from commitment_links l where l.target_kind != 'none' "
            "and l.commitment_id in (select id from commitments where period_start = '2023-04-01')"
        ).fetchall()
    )
    linked = [r for r in rows if r["evidence_report"]]
    assert linked and all(r["evidence"] in stored for r in linked)  # pages: PDF renditions only
    none = [r for r in rows if not r["evidence_report"]]
    assert none and {r["evidence"] for r in none} >= {"no later evidence found in the archive"}
    assert {r["commitment"] for r in rows} <= {
        "aim",
        "objective",
        "where to focus",
        "what will be done",
        "how it will be measured",
        "outcome sought",
        "target",
        "pledge",
    }


async def test_failed_checks_once_each_in_words_with_pages_and_our_reading_kept_off_report_pages(
    bundled_text_db, tmp_path
):
    import shutil
    import sqlite3

    from extract.publish.pages import check_kinds

    db = tmp_path / "csp.db"
    shutil.copy(bundled_text_db, db)
    con = sqlite3.connect(db)
    failed = con.execute(
        "select c.document_id, c.kind, c.description from checks c join files f on f.id = c.file_id "
        "and f.role = 'primary' where c.passed = 0"
    ).fetchall()
    assert failed and {kind for _, kind, _ in failed} <= set(check_kinds())  # every kind has words
    doc = failed[0][0]
    # our own reading's doubt about this report (a rendition copy differing), and one check stored twice
    con.execute(
        "insert into checks (document_id, file_id, kind, description, expected, printed, passed, nature) "
        "select document_id, file_id, 'text_vs_pdf', 'a copy reads 2 where the other reads 1', 1, 2, 0, 'reading' "
        "from checks where document_id = ? and passed = 0 limit 1",
        [doc],
    )
    con.execute(
        "insert into checks (document_id, file_id, table_id, kind, description, expected, printed, passed, nature) "
        "select document_id, file_id, table_id, kind, description, expected, printed, passed, nature from checks "
        "where document_id = ? and passed = 0 and kind != 'text_vs_pdf' limit 1",
        [doc],
    )
    con.commit()
    con.close()
    ds = await _ds(db)
    html = (await ds.client.get("/-/checks")).text
    main = html[html.index('id="main"') :]
    public, _, reading = main.partition('id="reading-h"')
    assert public.count('<li class="check">') == len(set(failed))  # each disagreement once
    assert reading.count('<li class="check">') == 1 and "the text copy" in reading
    words = re.sub(r"<[^>]+>", " ", public)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", words.split("Every failed check")[0])  # no internal codes
    for entry in re.findall(r'<li class="check">.*?</li>', public, re.S):
        if "Page" in entry:
            assert re.search(r'<a (class="pdf" )?href="/(pdf|-/report)/[^"]+">', entry)
    assert 'href="/-/checks"' in (await ds.client.get("/")).text
    canned = (await ds.client.get("/csp/failed_checks.json?_shape=array")).json()
    assert len(canned) == len(failed) + 2 and all("_" not in r["what_failed"] for r in canned)
    assert {r["about"] for r in canned} == {"the report disagrees with itself", "our reading of the report"}
    report = (await ds.client.get(f"/-/report/{doc}")).text
    assert "Where this report disagrees with itself" in report
    assert "a copy reads 2 where the other reads 1" not in report and "text_vs_pdf" not in report


CITED = ("report", "page", "quote", "status", "archive_version", "archive_built")


@pytest.mark.parametrize(
    "path",
    [
        "/csp/trend_for_a_category.csv?category=violence+with+injury&area=Winchester+district&measure=recorded+crimes",
        "/csp/figures_of_a_report.csv?report=2021-22-test",
        "/csp/find_a_figure.csv?words=Violence",
        "/csp/figures_readable.csv",
    ],
    ids=["trend", "report", "find", "every-figure"],
)
async def test_every_figure_csv_carries_report_page_quote_status_and_the_archives_build(built, path):
    import csv
    import io
    import sqlite3

    from extract import __version__

    ds = await _ds(built)
    response = await ds.client.get(path)
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert table and set(CITED) <= set(table[0])
    (built_on,) = sqlite3.connect(built).execute("select value from build_info where key = 'built'").fetchone()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", built_on)
    for row in table:
        assert row["archive_version"] == __version__ and row["archive_built"] == built_on
        assert row["report"] and row["status"] in ("ok", "flagged")
        if row.get("figure_id", "x") and row["quote"] == "":  # a printed figure has its quote
            raise AssertionError(row)


async def test_every_page_carries_the_archives_version_and_build_date(built):
    import sqlite3

    from extract import __version__

    (built_on,) = sqlite3.connect(built).execute("select value from build_info where key = 'built'").fetchone()
    ds = await _ds(built)
    line = quote("violence with injury|Winchester district|recorded crimes", safe="")
    for path in ("/", "/-/search?q=violence", f"/-/trend?line={line}", "/-/report/2021-22-test", "/csp/facts"):
        html = (await ds.client.get(path)).text
        assert f"csp-archive {__version__}, built {built_on}" in html, path
    trend = (await ds.client.get(f"/-/trend?line={line}")).text
    assert '<th scope="col">Quote</th><th scope="col">Check</th>' in trend and "“" in trend


def test_build_date_follows_source_date_epoch(monkeypatch):
    from extract.pipeline import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == "2023-11-14"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", build_date())


async def test_search_totals_see_all_csv_newest_first_marked_and_abbreviations(bundled_text_db):
    import csv
    import io
    import sqlite3

    ds = await _ds(bundled_text_db)
    html = (await ds.client.get("/-/search?q=domestic+abuse")).text
    total = int(re.search(r'<h2 id="figures-h">Figures \((\d+)\)</h2>', html).group(1))
    assert total > 50 and f"See all {total}</a>" in html  # the first 50, and the way to the rest
    every = (await ds.client.get("/-/search?q=domestic+abuse&section=figures")).text
    assert every.count('<tr><td class="num">') == total and 'id="passages-h"' not in every
    table = list(
        csv.DictReader(io.StringIO((await ds.client.get("/-/search.csv?q=domestic+abuse&section=figures")).text))
    )
    assert len(table) == total and {"report", "page", "quote", "status", "archive_version", "archive_built"} <= set(
        table[0]
    )
    # newest report first
    con = sqlite3.connect(bundled_text_db)
    starts = dict(con.execute("select id, period_start from documents").fetchall())
    order = [starts[r["document_id"]] for r in table]
    assert order == sorted(order, reverse=True) and len(set(order)) > 1
    assert "<mark>Domestic</mark> <mark>Abuse</mark>" in html or "<mark>domestic</mark> <mark>abuse</mark>" in html
    # an abbreviation finds what it stands for, marked either way
    asb = (await ds.client.get("/-/search?q=ASB&section=passages")).text
    marked = {m.lower() for m in re.findall(r"<mark>([^<]+)</mark>", asb)}
    assert "asb" in marked and "anti-social behaviour" in marked
    spelled = [p for p in re.findall(r'<li class="passage">(.*?)</li>', asb, re.S) if "ASB" not in p]
    assert spelled  # passages that never print "ASB"
    # DA is a whole word, not the start of "data" or "damage"
    da = (await ds.client.get("/-/search?q=DA&section=passages")).text
    assert {m.lower() for m in re.findall(r"<mark>([^<]+)</mark>", da)} <= {"da", "domestic abuse"}
    # an empty search says what to try and lists the abbreviations
    empty = (await ds.client.get("/-/search")).text
    assert "<h2>Try</h2>" in empty and "<strong>DVPN</strong>" in empty and "<strong>VAWG</strong>" in empty
    # the topics to try are the archive's own (the fixture's lines), not a list written in the code
    assert 'href="/-/search?q=violence%20with%20injury"' in empty


def test_fts_query_expands_abbreviations_as_whole_words_and_quotes_everything_else():
    from extract.publish.pages import fts_query, highlighter

    assert fts_query("asb") == '("asb" OR "anti-social behaviour" OR "antisocial behaviour")'
    assert fts_query('vio"l NEAR', ("text",)) == '{text} : ("vio""l"* AND "NEAR"*)'
    assert fts_query(" \t") == ""
    mark = highlighter("FAT <b>")
    assert str(mark("Formal Action Taken (FAT) & <b> x")) == (
        "<mark>Formal Action Taken</mark> (<mark>FAT</mark>) &amp; <mark>&lt;b&gt;</mark> x"
    )
    assert str(highlighter("dom")("Domestic abuse, seldom")) == "<mark>Domestic</mark> abuse, seldom"


@pytest.mark.parametrize(
    "line, field",
    [
        ("asb,anti-social behaviour,x", "short"),
        ("ASB,anti-social behaviour,x\nASB,antisocial behaviour,y", "short"),
        ("DA,|,x", "long"),
        ("DA,abuse,x", "long"),
    ],
)
def test_abbreviations_are_checked_when_loaded(tmp_path, line, field):
    from extract.vocab import rows
    from extract.vocab.abbreviations import abbreviations, check
    from extract.vocab.loader import read_csv_rows

    path = tmp_path / "abbreviations.csv"
    path.write_text("short,long,source\n" + line + "\n", encoding="utf-8")
    with pytest.raises(rows.VocabularyError, match=f"abbreviations.csv: row \\d: field {field}"):
        check(rows.parse_rows(path, read_csv_rows(path), rows.Abbreviation))
    assert {"ASB", "DA", "DVPN", "VAWG", "FAT"} <= set(abbreviations())


async def test_a_change_in_words_gives_its_figures_as_printed_once_each_with_their_check(bundled_text_db):
    ds = await _ds(bundled_text_db)
    topic = (await ds.client.get("/-/topic/" + quote("all recorded crime", safe=""))).text
    first = topic.split('<details class="printed">', 1)[1].split("</details>", 1)[0]
    quotes = re.findall(r"<li>([^<]+)</li>", first)
    assert quotes and len(quotes) == len(set(quotes)) and all("page" in q or ":" in q for q in quotes)
    assert "5740" in first and "Check: " in first


async def test_a_report_with_no_figures_never_links_to_an_empty_page(bundled_text_db):
    ds = await _ds(bundled_text_db)
    home = (await ds.client.get("/")).text
    assert 'href="/csp/facts?document_id=2023-24-delivery-plan"' not in home
    assert 'href="/-/promised/2023-24-delivery-plan">' in home
    report = (await ds.client.get("/-/report/2023-24-delivery-plan")).text
    assert "Filter its 0 figures" not in report and "No figures are printed in this report" in report
    for link in re.findall(r'href="(/-/promised/[^"]+)"', home):
        assert (await ds.client.get(link)).status_code == 200
