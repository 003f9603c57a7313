"""The published site: Datasette in-process, and over real HTTP."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from extract.cli import cli
from extract.publish.site import write_metadata


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from .conftest import SMALL_REPORT, write_corpus

    root = tmp_path_factory.mktemp("site")
    corpus = write_corpus(root / "corpus", {"2021-22-test": SMALL_REPORT})
    db = root / "csp.db"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)]).exit_code == 0
    return db


async def test_metadata_states_licence_and_documents(built):
    meta = json.loads(write_metadata(built).read_text())
    ds = Datasette([str(built)], metadata=meta)
    response = await ds.client.get("/-/metadata.json")
    data = response.json()
    assert data["license"] == "Open Government Licence v3.0"
    assert "open-government-licence" in data["license_url"]
    assert "Test report 2021-22-test" in data["databases"]["csp"]["description"]
    facts = (
        await ds.client.get("/csp/facts.json?_shape=array&row_label=1b+Violence+with+Injury&column_label=Q1")
    ).json()
    assert [f["value"] for f in facts] == [205.0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_over_real_http(built):
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
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/csp/facts.csv?_size=max", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None, proc.stdout.read1().decode() if proc.poll() is not None else "no answer"
        assert (
            body.splitlines()[0].startswith("rowid,fact_id,document_id,source_file")
            or "fact_id" in body.splitlines()[0]
        )
        assert "1b Violence with Injury" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_canned_queries_are_published_and_run(built):
    meta = json.loads(write_metadata(built).read_text())
    queries = meta["databases"]["csp"]["queries"]
    assert {"trend_for_a_category", "what_changed_between_two_periods"} <= set(queries)
    assert all(q.get("title") and q.get("description") for q in queries.values())
    ds = Datasette([str(built)], metadata=meta)
    response = await ds.client.get(
        "/csp/trend_for_a_category.json?_shape=array&category=violence+with+injury"
        "&area=Winchester+district&measure=recorded+crimes"
    )
    assert response.status_code == 200
    rows = response.json()
    quarters = [r["value"] for r in rows if r["period_end"] < "2022-03-31" or r["period_start"] == "2022-01-01"]
    assert quarters == [205.0, 243.0, 211.0, 218.0]
    assert [r["value"] for r in rows if (r["period_start"], r["period_end"]) == ("2021-04-01", "2022-03-31")] == [877.0]
