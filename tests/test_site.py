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
from extract.site import write_metadata


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
    facts = (await ds.client.get("/csp/facts.json?_shape=array&row_label=1b+Violence+with+Injury&column_label=Q1")).json()
    assert [f["value"] for f in facts] == [205.0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_over_real_http(built):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "extract", "serve", "--db", str(built), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
        assert body.splitlines()[0].startswith("rowid,fact_id,document_id,source_file") or "fact_id" in body.splitlines()[0]
        assert "1b Violence with Injury" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
