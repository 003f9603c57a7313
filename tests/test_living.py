"""A living archive: reports added and removed by command, corrections applied beside the
printed figures, and bad input refused with one line and the old manifest untouched."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from extract.cli import cli

from .conftest import SMALL_REPORT, write_corpus

MANIFEST_HEAD = "# Reports of the test partnership, oldest first.\n# Keep this comment.\n"

NEXT_YEAR = """Test Partnership Strategic Assessment 2023

Headline Data: April – March 2022/23

WINCHESTER\tQ1\tQ2\tQ3\tQ4\tTotal 2022/23
1b Violence with Injury\t101\t102\t103\t104\t410
5a Criminal Damage\t50\t60\t70\t80\t260
Quarter Total\t151\t162\t173\t184\t670

Figure 1: Recorded crimes - April 2022 – March 2023.
"""


def corpus_with_comments(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"first": SMALL_REPORT})
    manifest = corpus / "manifest.yaml"
    manifest.write_text(MANIFEST_HEAD + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return corpus


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def corrections(corpus, entries: str) -> None:
    (corpus / "corrections.yaml").write_text("# reviewed corrections\ncorrections:\n" + entries, encoding="utf-8")


CELL_CORRECTION = """  - id: fix-q1
    document: first
    figure: {table: "Figure 1", row: "1b Violence with Injury", column: "Q1"}
    corrected: {value: 206}
    reason: the row total 877 needs 206 here
    by: a reviewer
    date: 2026-01-15
"""


def test_add_copies_the_report_keeps_the_manifest_and_finds_its_figures(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "db" / "csp.db"
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    new = tmp_path / "incoming" / "2022-23-assessment.txt"
    new.parent.mkdir()
    new.write_text(NEXT_YEAR, encoding="utf-8")
    result = run(
        "add", new, "--title", "Assessment 2023", "--kind", "strategic_assessment",
        "--period", "2022-04-01..2023-03-31", "--published", "2023",
        "--corpus", corpus, "--db", db, "--source", "text",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (corpus / "text" / "2022-23-assessment.txt").read_text(encoding="utf-8") == NEXT_YEAR
    manifest = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    assert manifest.startswith(MANIFEST_HEAD)
    assert manifest.index("id: first") < manifest.index("id: 2022-23-assessment")
    con = sqlite3.connect(db)
    rows = con.execute(
        "select value, period_start from facts where document_id = '2022-23-assessment' "
        "and row_label = '5a Criminal Damage' and column_label = 'Q3'"
    ).fetchall()
    assert rows == [(70.0, "2022-10-01")]
    assert con.execute("select count(*) from documents").fetchone() == (2,)


def test_remove_drops_the_document_and_its_figures(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"first": SMALL_REPORT, "second": NEXT_YEAR})
    db = tmp_path / "csp.db"
    result = run("remove", "second", "--delete-files", "--corpus", corpus, "--db", db, "--source", "text")
    assert result.exit_code == 0, result.output
    assert "second" not in (corpus / "manifest.yaml").read_text(encoding="utf-8")
    assert not (corpus / "text" / "second.txt").exists()
    con = sqlite3.connect(db)
    assert con.execute("select distinct document_id from facts").fetchall() == [("first",)]


def test_a_correction_shows_beside_the_printed_value(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "csp.db"
    corrections(corpus, CELL_CORRECTION)
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    con = sqlite3.connect(db)
    rows = con.execute(
        "select printed_value, value, status, correction_id from facts "
        "where row_label = '1b Violence with Injury' and column_label = 'Q1'"
    ).fetchall()
    assert rows == [(205.0, 206.0, "corrected", "fix-q1")]
    assert con.execute(
        "select value from figures where row_label = '1b Violence with Injury' and column_label = 'Q1'"
    ).fetchall() == [(205.0,)]
    listed = run("check", "--corrections", "--db", db)
    assert listed.exit_code == 0 and "fix-q1\tapplied" in listed.output


def test_a_correction_whose_figure_is_gone_is_a_failed_check(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "csp.db"
    corrections(corpus, CELL_CORRECTION)
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    edited = SMALL_REPORT.replace("1b Violence with Injury\t205\t243\t211\t218\t877\n", "")
    (corpus / "text" / "first.txt").write_text(edited, encoding="utf-8")
    result = run("build", "--corpus", corpus, "--db", db, "--source", "text")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and "fix-q1" in warnings[0] and "matches no figure" in warnings[0]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from checks where kind = 'correction' and passed = 0").fetchone() == (1,)
    assert con.execute("select count(*) from facts where status = 'corrected'").fetchone() == (0,)
    listed = run("check", "--corrections", "--db", db)
    assert listed.exit_code == 1 and "fix-q1\tunmatched" in listed.output


def test_a_bad_correction_is_one_line_naming_entry_and_field(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "csp.db"
    corrections(corpus, CELL_CORRECTION.replace("{value: 206}", "{value: many}"))
    result = run("build", "--corpus", corpus, "--db", db, "--source", "text")
    assert result.exit_code == 1
    assert "correction 1 (fix-q1): corrected.value 'many' is not a number" in result.output
    assert "Traceback" not in result.output and not db.exists()


def test_add_with_bad_input_is_one_line_and_leaves_the_manifest_as_it_was(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "csp.db"
    before = (corpus / "manifest.yaml").read_bytes()
    missing = run("add", tmp_path / "nope.txt", "--title", "T", "--kind", "strategy", "--corpus", corpus, "--db", db)
    assert missing.exit_code == 1 and "nope.txt: no such file" in missing.output
    dup = tmp_path / "other.txt"
    dup.write_text(NEXT_YEAR, encoding="utf-8")
    duplicate = run("add", dup, "--id", "first", "--title", "T", "--kind", "strategy", "--corpus", corpus, "--db", db)
    assert duplicate.exit_code == 1 and "duplicate id 'first'" in duplicate.output
    kind = run("add", dup, "--title", "T", "--kind", "novel", "--corpus", corpus, "--db", db)
    assert kind.exit_code == 1 and "--kind: 'novel'" in kind.output
    for result in (missing, duplicate, kind):
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert (corpus / "manifest.yaml").read_bytes() == before
    assert not (corpus / "text" / "other.txt").exists() and not db.exists()


def test_a_failing_rebuild_restores_the_manifest_and_the_archive(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "csp.db"
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    before, archive = (corpus / "manifest.yaml").read_bytes(), db.read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("add", empty, "--title", "T", "--kind", "strategy", "--corpus", corpus, "--db", db, "--source", "text")
    assert result.exit_code == 1 and "left as they were" in result.output
    assert (corpus / "manifest.yaml").read_bytes() == before and db.read_bytes() == archive
    assert not (corpus / "text" / "empty.txt").exists()


def test_add_to_a_copy_of_the_bundled_corpus_keeps_its_reports_and_finds_the_new_figures(tmp_path):
    """The bundled corpus copied whole (its manifest's comments, PDFs and text renditions), built,
    then one report added by command: the five reports kept from the archive, the new one's figures
    in `facts`, the manifest as it was above the new entry."""
    import shutil

    from .conftest import REPO

    corpus, db = tmp_path / "corpus", tmp_path / "db" / "csp.db"
    shutil.copytree(REPO / "corpus", corpus)
    before = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    bundled = sqlite3.connect(db).execute("select document_id, count(*) from facts group by 1").fetchall()
    new = tmp_path / "incoming" / "2022-23-assessment.txt"
    new.parent.mkdir()
    new.write_text(NEXT_YEAR, encoding="utf-8")
    result = run(
        "add", new, "--title", "Assessment 2023", "--kind", "strategic_assessment",
        "--period", "2022-04-01..2023-03-31", "--corpus", corpus, "--db", db, "--source", "text",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    assert after.startswith(before) and "id: 2022-23-assessment" in after[len(before) :]
    con = sqlite3.connect(db)
    assert con.execute("select value from build_info where key = 'kept'").fetchone() == ("5",)
    rows = con.execute(
        "select value, period_start, period_end from facts where document_id = '2022-23-assessment' "
        "and row_label = '1b Violence with Injury' and column_label = 'Total 2022/23'"
    ).fetchall()
    assert rows == [(410.0, "2022-04-01", "2023-03-31")]
    assert con.execute("select count(*) from documents").fetchone() == (6,)
    kept = con.execute("select document_id, count(*) from facts where document_id != '2022-23-assessment' group by 1")
    assert bundled and kept.fetchall() == bundled  # the bundled reports' facts as they were


def test_an_edit_to_a_corrections_file_linked_inside_the_corpus_is_seen(tmp_path):
    corpus, db = corpus_with_comments(tmp_path), tmp_path / "db" / "csp.db"
    reviewed = corpus / "reviewed" / "corrections.yaml"
    reviewed.parent.mkdir()
    reviewed.write_text("corrections: []\n", encoding="utf-8")
    (corpus / "corrections.yaml").symlink_to(reviewed)
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    reviewed.write_text("corrections:\n" + CELL_CORRECTION, encoding="utf-8")
    result = run("build", "--corpus", corpus, "--db", db, "--source", "text")
    assert result.exit_code == 0 and "up to date" not in result.output, result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select state from corrections").fetchall() == [("applied",)]
