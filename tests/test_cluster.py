"""Reading spread over a dask.distributed cluster (``build --scheduler``): the same archive as one
machine's build, a document that takes its worker down costs only that document, and a scheduler
given wrongly is one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.cluster import ClusterSettings, cluster_reader, parse_scheduler
from extract.errors import ArchiveError

from .conftest import REPO, SMALL_REPORT, write_corpus
from .test_incremental import content

pytest.importorskip("distributed")


def test_the_bundled_corpus_built_on_a_local_cluster_is_the_one_jobs_1_builds(tmp_path):
    db = tmp_path / "cluster.db"
    args = ["build", "--corpus", str(REPO / "corpus"), "--db", str(db), "--source", "text", "--no-cache"]
    result = CliRunner().invoke(cli, [*args, "--scheduler", "local:2"])
    assert result.exit_code == 0, result.output
    one = tmp_path / "one.db"
    result = CliRunner().invoke(
        cli,
        ["build", "--corpus", str(REPO / "corpus"), "--db", str(one), "--source", "text", "--no-cache", "--jobs", "1"],
    )
    assert result.exit_code == 0, result.output
    assert content(db) == content(one)


def test_a_document_that_takes_its_worker_down_costs_only_that_document(tmp_path):
    from extract.corpus.limits import ReadLimits
    from extract.pipeline import build

    # interpreting a line of 6,000 figures takes far longer than the 1 s limit's watchdog (2 s + margin)
    slow = "Slow report\n\n" + "12% of " * 6_000 + "\n"
    corpus = write_corpus(tmp_path / "corpus", {"2021-22-good": SMALL_REPORT, "2021-22-slow": slow})
    report = build(
        corpus, tmp_path / "csp.db", source="text", limits=ReadLimits(seconds=1), remote=cluster_reader("local:2")
    )
    assert report.documents == 2
    assert len(report.errors) == 1
    assert report.errors[0].startswith("text/2021-22-slow.txt: its worker was lost twice")
    assert report.facts > 0  # the good report's figures are in the archive


def test_a_scheduler_is_an_address_or_a_local_cluster():
    assert parse_scheduler("tcp://10.0.0.5:8786", None) == "tcp://10.0.0.5:8786"
    assert parse_scheduler("local:3", None) == ClusterSettings(workers=3)
    assert parse_scheduler("local", 2) == ClusterSettings(workers=2)
    for bad in ("local:x", "local:0", "nowhere"):
        with pytest.raises(ArchiveError):
            parse_scheduler(bad, None)


def test_a_scheduler_given_wrongly_is_one_line_and_the_archive_stays(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"2021-22-test": SMALL_REPORT})
    db = tmp_path / "csp.db"
    args = ["build", "--corpus", str(corpus), "--db", str(db), "--no-cache"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = Path(db).read_bytes()
    result = CliRunner().invoke(cli, [*args, "--scheduler", "local:x"])
    assert result.exit_code != 0
    assert "local:N" in result.output and "Traceback" not in result.output
    assert db.read_bytes() == before
