"""Shared fixtures: small corpora written into tmp_path."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def write_corpus(root: Path, docs: dict[str, str], manifest: str | None = None) -> Path:
    """A corpus directory with text renditions and a manifest listing them."""
    (root / "text").mkdir(parents=True, exist_ok=True)
    entries = []
    for doc_id, text in docs.items():
        (root / "text" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        entries.append(
            f"  - id: {doc_id}\n    title: Test report {doc_id}\n    kind: strategic_assessment\n"
            f"    area: Winchester district\n    period: {{start: 2021-04-01, end: 2022-03-31}}\n"
            f"    files: [text/{doc_id}.txt]\n"
        )
    (root / "manifest.yaml").write_text(manifest or "documents:\n" + "".join(entries), encoding="utf-8")
    return root


SMALL_REPORT = """Test Partnership Strategic Assessment

Headline Data: April – March 2021/22

WINCHESTER\tQ1\tQ2\tQ3\tQ4\tTotal 2021/22
1b Violence with Injury\t205\t243\t211\t218\t877
5a Criminal Damage\t172\t196\t242\t199\t809
Quarter Total\t377\t439\t453\t417\t1686

Figure 1: Recorded crimes - April 2021 – March 2022.

During the reporting period there were 877 violence with injury offences.
"""


@pytest.fixture
def small_corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", {"2021-22-test": SMALL_REPORT})


@pytest.fixture(scope="session")
def bundled_text_db(tmp_path_factory) -> Path:
    """The bundled corpus built once per test session from its text renditions (read-only)."""
    from extract.cli import cli

    db = tmp_path_factory.mktemp("bundled") / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(REPO / "corpus"), "--db", str(db), "--source", "text"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(autouse=True)
def bundled_district_areas():
    """Unit tests read labels against the bundled corpus's district (a build uses its own corpus's)."""
    from extract.vocab.areas import use_district_areas

    use_district_areas(REPO / "corpus" / "areas.csv")
    yield
    use_district_areas(REPO / "corpus" / "areas.csv")


@contextmanager
def served(db: Path, corpus: Path | None = None):
    """`serve` of an archive (with its corpus's PDFs) on a free port: its base URL, once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "serve", "--db", str(db), "--port", str(port)]
        + (["--corpus", str(corpus)] if corpus else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
