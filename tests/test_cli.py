"""The command line, through click's runner."""

import sqlite3

import pytest
from click.testing import CliRunner

from extract.cli import cli

from .conftest import SMALL_REPORT, write_corpus


def build(corpus, db, *extra):
    return CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), *extra])


def test_build_small_corpus(small_corpus, tmp_path):
    db = tmp_path / "out" / "csp.db"
    result = build(small_corpus, db)
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output and "0 unreadable" in result.output
    con = sqlite3.connect(db)
    rows = con.execute(
        "select row_label, column_label, value, period_start, page, quote from facts "
        "where source_kind = 'table' and row_label = '5a Criminal Damage' and column_label = 'Q3'"
    ).fetchall()
    assert rows == [
        (
            "5a Criminal Damage",
            "Q3",
            242.0,
            "2021-10-01",
            None,
            # the row as printed, then its column and the lines that name the table
            "5a Criminal Damage | 172 | 196 | 242 | 199 | 809 — Q3 — Figure 1: Recorded crimes - April 2021 – "
            "March 2022. — WINCHESTER — Headline Data: April – March 2021/22",
        )
    ]
    assert con.execute("select count(*) from checks where passed = 0").fetchone() == (0,)
    # 5 column totals, 3 row totals and the prose figure (877 violence with injury offences) found in its table
    assert con.execute("select count(*) from checks").fetchone()[0] == 9


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03garbage\xff"])
def test_an_unreadable_document_is_one_line_and_the_rest_still_builds(tmp_path, content):
    corpus = write_corpus(tmp_path / "c", {"good": SMALL_REPORT, "bad": "placeholder"})
    (corpus / "text" / "bad.txt").write_bytes(content)
    db = tmp_path / "csp.db"
    result = build(corpus, db)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "text/bad.txt" in errors[0]
    assert "Traceback" not in result.output
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from facts where document_id = 'good'").fetchone()[0] > 0
    assert con.execute("select status from files where path = 'text/bad.txt'").fetchone() == ("failed",)


@pytest.mark.parametrize(
    "break_it",
    [
        lambda c: (c / "text" / "2021-22-test.txt").unlink(),
        lambda c: (c / "manifest.yaml").write_text("documents: [\n"),
        lambda c: (c / "manifest.yaml").write_text(
            (c / "manifest.yaml").read_text().replace("strategic_assessment", "poem")
        ),
        lambda c: (c / "manifest.yaml").write_text(
            (c / "manifest.yaml").read_text().replace("2021-04-01", "2021-04-31")
        ),
        lambda c: (c / "manifest.yaml").write_text(
            (c / "manifest.yaml").read_text() + (c / "manifest.yaml").read_text().split("documents:\n")[1]
        ),
    ],
)
def test_a_broken_manifest_leaves_the_database_byte_for_byte(small_corpus, tmp_path, break_it):
    db = tmp_path / "csp.db"
    assert build(small_corpus, db).exit_code == 0
    before = db.read_bytes()
    break_it(small_corpus)
    result = build(small_corpus, db)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "manifest.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_serve_without_a_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.output


def test_check_lists_failed_checks(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"r": "T\n\nCrime\tCount\nA\t1\nB\t2\nTotal\t4\n"})
    db = tmp_path / "csp.db"
    assert build(corpus, db).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--db", str(db), "--failed"])
    assert "column_total" in result.output and "expected 3.0\tprinted 4.0" in result.output


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


@pytest.mark.parametrize("exc", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_build_leaves_the_previous_database(small_corpus, tmp_path, monkeypatch, exc):
    import extract.pipeline

    db = tmp_path / "csp.db"
    assert build(small_corpus, db).exit_code == 0
    before = db.read_bytes()

    def boom(*args, **kwargs):
        raise exc("stopped half way")

    monkeypatch.setattr(extract.pipeline, "across_reports", boom)
    result = build(small_corpus, db, "--no-cache")  # the cache would find nothing changed
    assert result.exit_code != 0
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []  # no temporary file left behind


def test_rebuild_reads_unchanged_files_from_the_cache(small_corpus, tmp_path, monkeypatch):
    import extract.pipeline

    db = tmp_path / "csp.db"
    assert build(small_corpus, db).exit_code == 0
    calls = []
    real = extract.pipeline.read_file
    monkeypatch.setattr(extract.pipeline, "read_file", lambda *a: calls.append(a) or real(*a))
    assert build(small_corpus, db).exit_code == 0
    assert calls == []
    assert build(small_corpus, db, "--no-cache", "--jobs", "1").exit_code == 0  # read in this process
    assert len(calls) == 1
