"""The published site against hostile requests and a hostile archive ("Nothing lost, round two"):
non-web source URLs, the Content-Security-Policy, a forged Host header and the response cache, a
flood of query parameters, and the PDFs (only those the archive lists, only regular files)."""

import asyncio
import base64
import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.publish.site import ServeSettings, make_datasette, metadata, safe_url

from .conftest import SMALL_REPORT, served
from .test_pdf_build import corpus_with_pdf

HOSTILE_URLS = ("javascript:alert(document.domain)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>")


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory):
    """A built archive of a report with its PDF (corpus/pdf/r.pdf) and one with a trend line (text
    only); copy before changing it."""
    root = tmp_path_factory.mktemp("hostile-site")
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
    return db, corpus


@pytest.fixture
def site_copy(pdf_site, tmp_path):
    db, corpus = pdf_site
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copy(db, tmp_path / "csp.db")
    return tmp_path / "csp.db", tmp_path / "corpus"


async def _ds(db, corpus=None, settings=None):
    ds = make_datasette(db, corpus / "pdf" if corpus else None, settings)
    await ds.invoke_startup()
    return ds


def _set_source(db, url):
    with sqlite3.connect(db) as con:
        con.execute("update documents set source_url = ? where id = 'r'", (url,))


def _hrefs(html: str) -> list[str]:
    return re.findall(r"""href\s*=\s*["']?([^"'\s>]*)""", html, re.I)


# ---- 1. a source_url that is not http(s) is never a live link --------------------------------


def test_safe_url_keeps_web_addresses_only():
    assert safe_url("https://example.org/report.pdf") == "https://example.org/report.pdf"
    assert safe_url("http://example.org/") == "http://example.org/"
    for url in (*HOSTILE_URLS, "vbscript:x", "file:///etc/passwd", "//evil.example/x", "https:/x", "java\tscript:x"):
        assert safe_url(url) is None, url
    assert safe_url(None) is None and safe_url("") is None


@pytest.mark.parametrize("url", HOSTILE_URLS)
async def test_a_non_web_source_url_is_never_a_link_on_home_report_or_description(site_copy, url):
    db, corpus = site_copy
    _set_source(db, url)
    ds = await _ds(db, corpus)
    scheme = url.strip().split(":")[0].lower()
    for path in ("/", "/-/report/r"):
        response = await ds.client.get(path)
        assert response.status_code == 200
        assert not [h for h in _hrefs(response.text) if h.lower().lstrip().startswith(scheme + ":")], path
    assert "not a web address" in (await ds.client.get("/-/report/r")).text  # said, as plain text
    database = metadata(db)["databases"]["csp"]
    assert scheme + ":" not in database["description"].lower()
    assert scheme + ":" not in database["description_html"].lower()
    described = (await ds.client.get("/csp")).text
    assert not [h for h in _hrefs(described) if h.lower().startswith(scheme + ":")]


async def test_a_web_source_url_is_still_linked(site_copy):
    db, corpus = site_copy
    _set_source(db, "https://www.example.gov.uk/csp/report.pdf")
    ds = await _ds(db, corpus)
    for path in ("/", "/-/report/r"):
        assert 'href="https://www.example.gov.uk/csp/report.pdf"' in (await ds.client.get(path)).text, path
    assert "source: https://www.example.gov.uk/csp/report.pdf" in metadata(db)["databases"]["csp"]["description"]


async def test_datasette_table_page_does_not_link_a_javascript_source(site_copy):
    db, corpus = site_copy
    _set_source(db, "javascript:alert(1)")
    ds = await _ds(db, corpus)
    assert 'href="javascript:' not in (await ds.client.get("/csp/documents")).text


# ---- 2. security headers on every response ---------------------------------------------------

PAGES = (
    "/",
    "/csp",
    "/csp/facts",
    "/csp/facts.json",
    "/csp?sql=select+1",
    "/-/report/r",
    "/-/report/nope",
    "/-/search?q=crimes",
    "/-/trend?line=violence+with+injury%7CWinchester+district%7Crecorded+crimes",
    "/pdf/r.pdf",
    "/pdf/nope.pdf",
    "/-/static/app.css",
    "/assets/site.css",
    "/robots.txt",
    "/no/such/page",
    "/csp/facts?_sort=no_such_column",
)


def _policy(response) -> dict[str, list[str]]:
    directives = [d.split() for d in response.headers["content-security-policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


async def test_every_response_has_a_content_security_policy_nosniff_and_referrer_policy(pdf_site):
    db, corpus = pdf_site
    ds = await _ds(db, corpus)
    responses = [await ds.client.get(p) for p in PAGES]
    responses.append(await ds.client.post("/csp/facts", data={"x": "1"}))
    responses.append(await ds.client.get("/csp/facts?" + "&".join(["a=1"] * 100)))
    for response in responses:
        url = response.request.url
        assert response.headers.get("x-content-type-options") == "nosniff", url
        assert response.headers.get("referrer-policy") == "strict-origin-when-cross-origin", url
        policy = _policy(response)
        assert policy.get("frame-ancestors") == ["'self'"], url
        if "/pdf/" not in str(url):
            assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"], url
            assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], url


@pytest.mark.parametrize("path", ["/", "/csp/facts", "/csp/facts?_facet=unit", "/csp?sql=select+1", "/-/report/r"])
async def test_every_inline_script_a_page_draws_is_allowed_by_its_policy(pdf_site, path):
    db, corpus = pdf_site
    ds = await _ds(db, corpus)
    response = await ds.client.get(path)
    allowed = _policy(response)["script-src"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.S)
    assert scripts, "each page has at least the menu closer"
    for body in scripts:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        assert digest in allowed, body[:80]


# ---- 3. a forged Host header does not poison the cache ---------------------------------------


@pytest.mark.parametrize("hosts", [(), ("localhost",)], ids=["any host, keyed apart", "configured host"])
async def test_a_forged_host_header_never_reaches_later_visitors(pdf_site, hosts):
    db, corpus = pdf_site
    ds = await _ds(db, corpus, ServeSettings(hosts=hosts) if hosts else None)
    pages = ("/csp/facts?_size=1", "/csp/facts.json?_size=1", "/csp/facts?_size=1&_facet=unit")
    for path in pages:
        forged = await ds.client.get(path, headers={"host": "evil.example"})
        assert forged.status_code == 200
    for path in pages:
        response = await ds.client.get(path)
        assert response.status_code == 200 and "evil.example" not in response.text, path
        assert "localhost" in response.text, path  # the next page / facet links are there, to this host
    assert "evil.example" not in (await ds.client.get("/csp/facts.json?_size=1")).json()["next_url"]


async def test_with_configured_hosts_a_page_for_another_host_is_not_kept():
    from extract.publish.cache import CacheSettings, ResponseCache

    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"page"})

    async def send(message):
        pass

    cache = ResponseCache(app, CacheSettings(hosts=("127.0.0.1:8001",)))

    def scope(host):
        return {"type": "http", "method": "GET", "path": "/p", "query_string": b"", "headers": [(b"host", host)]}

    for host in (b"evil.example", b"evil.example", b"127.0.0.1:8001", b"127.0.0.1:8001"):
        await cache(scope(host), None, send)
    assert len(calls) == 3 and list(cache.entries) == [("http", b"127.0.0.1:8001", "/p", b"")]


# ---- 4. query strings are bounded -------------------------------------------------------------


async def test_five_thousand_query_parameters_are_refused_at_once(pdf_site):
    db, corpus = pdf_site
    ds = await _ds(db, corpus)
    await ds.client.get("/csp/facts")  # warm
    for query in ("&".join(f"c{i}=v" for i in range(5000)), "&".join(["a=1"] * 5000), "&".join(["a=1"] * 51)):
        t0 = time.perf_counter()
        response = await ds.client.get("/csp/facts?" + query)
        seconds = time.perf_counter() - t0
        assert response.status_code == 400, query[:40]
        assert seconds < 0.5, seconds
    long_value = await ds.client.get("/csp/facts?_search=" + "x" * 40_000)
    assert long_value.status_code == 400 and "query string over" in long_value.text
    assert (await ds.client.get("/csp/facts?" + "&".join(["a=1"] * 50))).status_code == 200  # within the bound
    assert (await ds.client.get("/csp/figures?q=" + "x" * 20_000)).status_code == 200  # one long value: fine


async def test_the_query_bounds_come_from_the_settings(pdf_site):
    db, corpus = pdf_site
    ds = await _ds(db, corpus, ServeSettings(max_query_params=3, max_query_bytes=100))
    assert (await ds.client.get("/csp/facts?a=1&b=2&c=3")).status_code == 200
    assert (await ds.client.get("/csp/facts?a=1&b=2&c=3&d=4")).status_code == 400
    assert (await ds.client.get("/csp/facts?a=" + "x" * 100)).status_code == 400


# ---- 5. PDFs: only those the archive lists, only regular files, bounded ---------------------


async def test_only_the_pdfs_the_archive_lists_are_served(site_copy):
    db, corpus = site_copy
    (corpus / "pdf" / "unlisted.pdf").write_bytes(b"%PDF-1.4 not in the archive")
    (corpus / "pdf" / "sub").mkdir()
    (corpus / "pdf" / "sub" / "x.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "secret.txt").write_text("not for the web")
    ds = await _ds(db, corpus)
    listed = await ds.client.get("/pdf/r.pdf")
    assert listed.status_code == 200 and listed.content.startswith(b"%PDF")
    assert listed.headers["content-type"] == "application/pdf"
    assert int(listed.headers["content-length"]) == (corpus / "pdf" / "r.pdf").stat().st_size
    head = await ds.client.head("/pdf/r.pdf")
    assert head.status_code == 200 and head.content == b""
    for path in ("/pdf/unlisted.pdf", "/pdf/sub/x.pdf", "/pdf/..%2Fsecret.txt", "/pdf/%2e%2e/secret.txt", "/pdf/"):
        response = await ds.client.get(path)
        assert response.status_code == 404, path
        assert b"not for the web" not in response.content


async def test_a_listed_pdf_that_is_a_fifo_is_404_at_once(site_copy):
    db, corpus = site_copy
    pdf = corpus / "pdf" / "r.pdf"
    pdf.unlink()
    os.mkfifo(pdf)
    ds = await _ds(db, corpus)
    try:
        response = await asyncio.wait_for(ds.client.get("/pdf/r.pdf"), 5)
    finally:  # a reader stuck on the FIFO (the old static mount) is let go
        with contextlib.suppress(OSError):
            os.close(os.open(pdf, os.O_WRONLY | os.O_NONBLOCK))
    assert response.status_code == 404


async def test_a_listed_pdf_that_is_a_symlink_is_404(site_copy, tmp_path):
    db, corpus = site_copy
    pdf = corpus / "pdf" / "r.pdf"
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(pdf.read_bytes())
    pdf.unlink()
    pdf.symlink_to(outside)  # a link planted in corpus/pdf
    ds = await _ds(db, corpus)
    assert (await ds.client.get("/pdf/r.pdf")).status_code == 404


async def test_a_listed_pdf_over_the_size_bound_is_404(site_copy):
    db, corpus = site_copy
    size = (corpus / "pdf" / "r.pdf").stat().st_size
    ds = await _ds(db, corpus, ServeSettings(max_pdf_bytes=size - 1))
    assert (await ds.client.get("/pdf/r.pdf")).status_code == 404
    ds = await _ds(db, corpus, ServeSettings(max_pdf_bytes=size))
    assert (await ds.client.get("/pdf/r.pdf")).status_code == 200


async def test_without_a_corpus_no_pdf_is_served(pdf_site):
    db, _ = pdf_site
    ds = await _ds(db)
    assert (await ds.client.get("/pdf/r.pdf")).status_code == 404


# ---- 5 and 6 over real HTTP: the listening line, a FIFO request, then a stop -----------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_says_where_it_listens_and_stops_after_a_fifo_request(site_copy, sig):
    db, corpus = site_copy
    fifo = corpus / "pdf" / "r.pdf"
    fifo.unlink()
    os.mkfifo(fifo)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "serve", "--db", str(db), "--port", str(port), "--corpus", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = None
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/pdf/r.pdf", timeout=5)
                status = 200
                break
            except urllib.error.HTTPError as err:
                status = err.code
                break
            except OSError as err:
                if isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None), TimeoutError):
                    break  # the server took the request and hangs on the FIFO
                time.sleep(0.2)
        assert status == 404
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    first = err.strip().splitlines()[0]
    assert first == f"Serving {db} at http://127.0.0.1:{port}/ (Ctrl-C to stop)"
    assert "Traceback" not in err


def test_serve_prints_where_it_listens_before_starting(pdf_site, monkeypatch):
    import uvicorn

    db, corpus = pdf_site
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(db), "--corpus", str(corpus), "--host", "0.0.0.0", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"Serving {db} at http://0.0.0.0:8123/ (Ctrl-C to stop)"
    assert started == [{"host": "0.0.0.0", "port": 8123, "log_level": "warning"}]


# ---- the policy in a real browser: the site's pages and Datasette's run with no CSP refusal --


def test_no_page_breaks_under_the_policy_in_chromium(pdf_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no Chromium")
    db, corpus = pdf_site
    with served(db, corpus) as base:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            for path in PAGES[:9]:
                page.goto(base + path)
                page.wait_for_load_state("load")
            page.goto(base + "/csp/facts")
            assert page.locator("th .dropdown-menu, th svg").count() > 0  # table.js drew its column menus
            page.goto(base + "/csp?sql=select+1")
            assert page.locator(".CodeMirror").count() == 1  # the SQL editor's inline script ran
            page.goto(base + "/-/trend?line=violence+with+injury%7CWinchester+district%7Crecorded+crimes")
            assert page.locator("svg.trend-chart circle.point").count() > 0
            assert refused == []
            # and the listener sees a refusal: a script injected into the page is not run
            page.evaluate(
                "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1'; "
                "document.body.appendChild(s); }"
            )
            assert page.evaluate("() => window.pwned") is None
            browser.close()
        assert len(refused) == 1
