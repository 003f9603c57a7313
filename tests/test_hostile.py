"""Hostile and broken input (issue 9): each case is refused in one line naming the entry and
field, with a code, and the archive built before it keeps its facts."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.corpus.cache import cache_dir_for

from .conftest import SMALL_REPORT, write_corpus

ENTRY = (
    "  - id: {id}\n    title: Test report\n    kind: strategic_assessment\n"
    "    area: Winchester district\n    files: [{file}]\n"
)


def build(corpus, db, *extra):
    return CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "-q", *extra])


def facts(db) -> int:
    return sqlite3.connect(db).execute("select count(*) from facts").fetchone()[0]


@pytest.fixture
def built(tmp_path):
    """A corpus with one report, built once; returns (corpus, db, facts before)."""
    corpus = write_corpus(tmp_path / "corpus", {"2021-22-test": SMALL_REPORT})
    db = tmp_path / "db" / "csp.db"
    assert build(corpus, db).exit_code == 0
    assert facts(db) > 0
    return corpus, db, facts(db)


def refused(corpus, db, before, manifest: str, *expect: str):
    (corpus / "manifest.yaml").write_text(manifest, encoding="utf-8")
    result = build(corpus, db)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for text in expect:
        assert text in lines[0], lines[0]
    assert facts(db) == before
    return lines[0]


def test_a_parent_path_is_refused(built):
    corpus, db, before = built
    (corpus.parent / "outside.txt").write_text(SMALL_REPORT)
    refused(
        corpus,
        db,
        before,
        "documents:\n" + ENTRY.format(id="a", file="../outside.txt"),
        "files",
        "outside the corpus",
        "E-MANIFEST-PATH",
    )


def test_an_absolute_path_is_refused(built, tmp_path):
    corpus, db, before = built
    outside = tmp_path / "outside.txt"
    outside.write_text(SMALL_REPORT)
    refused(
        corpus,
        db,
        before,
        "documents:\n" + ENTRY.format(id="a", file=outside),
        "document 1 (a)",
        "absolute",
        "E-MANIFEST-PATH",
    )


def test_a_symlink_out_of_the_corpus_is_refused(built, tmp_path):
    corpus, db, before = built
    outside = tmp_path / "secret.txt"
    outside.write_text(SMALL_REPORT)
    (corpus / "text" / "link.txt").symlink_to(outside)
    refused(
        corpus,
        db,
        before,
        "documents:\n" + ENTRY.format(id="a", file="text/link.txt"),
        "outside the corpus",
        "E-MANIFEST-PATH",
    )


def test_a_directory_is_not_a_file(built):
    corpus, db, before = built
    (corpus / "text" / "dir.txt").mkdir()
    refused(corpus, db, before, "documents:\n" + ENTRY.format(id="a", file="text/dir.txt"), "not a regular file")


def test_yaml_aliases_are_refused(built):
    corpus, db, before = built
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    refused(corpus, db, before, bomb + "documents: []\n", "manifest.yaml", "E-MANIFEST-YAML")


def test_an_alias_in_notes_is_refused(built):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt") + "    notes: &n hello\n"
    text += ENTRY.format(id="b", file="text/2021-22-test.txt").replace("area: Winchester district", "area: *n")
    refused(corpus, db, before, text, "E-MANIFEST-YAML")


def test_a_duplicate_key_is_refused(built):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt") + "    id: b\n"
    refused(corpus, db, before, text, "field 'id'", "duplicate key", "E-MANIFEST-DUPLICATE")


@pytest.mark.parametrize(("field", "value"), [("area", "[a, b]"), ("publisher", "{x: 1}")])
def test_a_field_of_the_wrong_type_is_refused(built, field, value):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt").replace(
        "area: Winchester district", f"{field}: {value}"
    )
    refused(corpus, db, before, text, "document 1 (a)", f"field '{field}'", "must be text", "E-MANIFEST-TYPE")


def test_a_key_that_is_not_text_is_refused(built):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt") + "    1: x\n"
    refused(corpus, db, before, text, "not text", "E-MANIFEST-TYPE")


def test_an_overlong_field_is_refused(built):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt") + "    notes: " + "x" * 20_000 + "\n"
    refused(corpus, db, before, text, "field 'notes'", "E-MANIFEST-SIZE")


def test_one_file_in_two_entries_names_both(built):
    corpus, db, before = built
    text = "documents:\n" + ENTRY.format(id="a", file="text/2021-22-test.txt")
    text += ENTRY.format(id="b", file="text/2021-22-test.txt")
    refused(corpus, db, before, text, "document 2 (b)", "entry 'a'", "E-MANIFEST-SHARED-FILE")


def test_an_empty_manifest_does_not_replace_the_archive(built):
    corpus, db, before = built
    refused(corpus, db, before, "documents: []\n", "no document could be read", "E-EMPTY-ARCHIVE")
    assert build(corpus, db, "--allow-empty").exit_code == 0
    assert facts(db) == 0


def test_only_unreadable_documents_do_not_replace_the_archive(built):
    corpus, db, before = built
    (corpus / "text" / "2021-22-test.txt").write_bytes(b"")
    result = build(corpus, db)
    assert result.exit_code != 0 and "E-EMPTY-ARCHIVE" in result.output
    assert facts(db) == before


def test_an_unwritable_cache_is_a_warning_not_a_lost_archive(built):
    corpus, db, before = built
    cache = cache_dir_for(db)
    for entry in cache.iterdir():
        entry.unlink()
    cache.rmdir()
    cache.write_text("not a directory")
    (corpus / "text" / "2021-22-test.txt").write_text(SMALL_REPORT + "\nOne more line.\n")
    result = build(corpus, db)
    assert result.exit_code == 0, result.output
    assert "Warning: cache" in result.output and "0 unreadable" in result.output
    assert facts(db) == before


def test_stale_temporary_files_of_dead_builds_are_removed(built):
    corpus, db, _ = built
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = db.with_name(f".{db.name}.tmp-{dead.stdout.strip()}")
    stale.write_bytes(b"half a database")
    (corpus / "text" / "2021-22-test.txt").write_text(SMALL_REPORT + "\nOne more line.\n")
    assert build(corpus, db).exit_code == 0
    assert not stale.exists()


def test_sigterm_says_so_and_leaves_no_temporary_file(built, monkeypatch):
    import signal

    import extract.pipeline

    corpus, db, before = built

    def terminate(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(extract.pipeline, "across_reports", terminate)
    result = build(corpus, db, "--no-cache")
    assert result.exit_code == 128 + signal.SIGTERM
    assert "build stopped (SIGTERM)" in result.output and "E-STOPPED" in result.output
    assert facts(db) == before
    assert [p.name for p in db.parent.iterdir() if ".tmp-" in p.name] == []


def test_a_rebuild_with_nothing_changed_reads_nothing(built, monkeypatch):
    import extract.pipeline

    corpus, db, _ = built
    monkeypatch.setattr(extract.pipeline, "load", None)  # any attempt to write would fail
    result = build(corpus, db)
    assert result.exit_code == 0 and "up to date" in result.output


def test_a_long_line_of_open_brackets_is_read_whole():
    from extract.readers.markup import clean_markdown

    line = "[x" * 200_000 + " see [the plan](https://example.org/plan) for more"
    cleaned = clean_markdown(line)
    assert cleaned == "[x" * 200_000 + " see the plan for more"


def test_rate_partners_are_found_by_row_then_column():
    from types import SimpleNamespace

    from extract.checks.arithmetic import _PartnerIndex

    def fig(measure, row, col):
        return SimpleNamespace(measure=measure, row=row, col=col)

    rate = fig("rate", 5, 3)
    same_row, same_col, elsewhere = fig("count", 5, 1), fig("base", 9, 3), fig("count", 7, 1)
    index = _PartnerIndex()
    for f in (same_row, same_col, elsewhere) + tuple(fig("count", r, 2) for r in range(1000, 3000)):
        index.add(f)
    assert index.partner("count", rate) is same_row
    assert index.partner("base", rate) is same_col
    assert index.partner("missing", rate) is None


def _facts(db):
    query = "select document_id, source_file, row_label, column_label, measure, value, quote from facts order by 1, 2, 3, 4, 5, 6, 7"
    return sqlite3.connect(db).execute(query).fetchall()


def test_the_database_is_the_same_whatever_the_number_of_jobs(tmp_path):
    other = SMALL_REPORT.replace("205", "305").replace("877", "977")
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "2021-22-a": SMALL_REPORT,
            "2021-22-b": other,
            "2021-22-c": SMALL_REPORT + "\nCrime rose by 12% in 2021/22.\n",
        },
    )
    one, two = tmp_path / "one" / "csp.db", tmp_path / "two" / "csp.db"
    assert build(corpus, one, "--jobs", "1", "--no-cache").exit_code == 0
    assert build(corpus, two, "--jobs", "2", "--no-cache").exit_code == 0
    assert _facts(one) == _facts(two) and len(_facts(one)) > 0


def test_a_document_over_the_time_limit_is_one_line_and_the_others_build(tmp_path, monkeypatch):
    import time

    import extract.pipeline
    from extract.corpus.limits import ReadLimits

    corpus = write_corpus(tmp_path / "corpus", {"2021-22-a": SMALL_REPORT, "2021-22-slow": SMALL_REPORT + "\nSlow.\n"})
    real = extract.pipeline.read_file

    def slow_for_one(path, relpath, fmt):
        if "slow" in relpath:
            time.sleep(5)
        return real(path, relpath, fmt)

    monkeypatch.setattr(extract.pipeline, "read_file", slow_for_one)
    report = extract.pipeline.build(corpus, tmp_path / "csp.db", limits=ReadLimits(seconds=1, jobs=1))
    assert report.errors == ["text/2021-22-slow.txt: not read within the time limit (1 s)"]
    assert report.facts > 0


def test_a_page_the_table_finder_fails_on_loses_only_its_tables(tmp_path, monkeypatch):
    pytest.importorskip("pdfplumber")
    from extract.readers import pdf as pdf_reader

    from .pdf_fixtures import break_ruled_finder_on, report_pdf

    path = report_pdf(tmp_path / "report.pdf")
    whole = pdf_reader.read_pdf(path, "pdf/report.pdf")
    break_ruled_finder_on(monkeypatch, 1, ValueError("page too large to render"))
    doc = pdf_reader.read_pdf(path, "pdf/report.pdf")
    assert doc.pages == whole.pages
    assert any("877" in b.text for b in doc.blocks)  # the page's prose is still read
    assert any(b.table and 2 in b.table.pages for b in doc.blocks)  # page 2's tables kept
    strategies = {(b.table.report.page, b.table.report.strategy) for b in doc.tables()}
    assert (1, "ruled") not in strategies and (2, "ruled") in strategies  # only page 1 fell back


def test_a_two_megabyte_paragraph_is_read():
    from extract.interpret.narrative import pipeline

    assert pipeline().max_length >= 2_000_000 * 4


def _pdf_corpus(tmp_path, pdfs: dict):
    """Two text reports and one PDF entry per ``{id: writer}``, the PDFs generated in the corpus."""
    corpus = write_corpus(tmp_path / "corpus", {"2021-22-a": SMALL_REPORT, "2021-22-b": SMALL_REPORT + "\nMore.\n"})
    (corpus / "pdf").mkdir()
    manifest = (corpus / "manifest.yaml").read_text()
    for doc_id, writer in pdfs.items():
        writer(corpus / "pdf" / f"{doc_id}.pdf")
        manifest += ENTRY.format(id=doc_id, file=f"pdf/{doc_id}.pdf")
    (corpus / "manifest.yaml").write_text(manifest)
    return corpus


def test_a_pdf_bomb_is_one_line_within_its_bound_and_the_others_build(tmp_path):
    pytest.importorskip("pdfplumber")
    import extract.pipeline
    from extract.corpus.limits import ReadLimits

    from .pdf_fixtures import bomb_pdf

    corpus = _pdf_corpus(tmp_path, {"bomb": bomb_pdf})
    assert (corpus / "pdf" / "bomb.pdf").stat().st_size < 400_000  # 300 MiB once inflated
    report = extract.pipeline.build(corpus, tmp_path / "csp.db", limits=ReadLimits(seconds=2, jobs=2))
    assert len(report.errors) == 1, report.errors
    # refused by the bound on inflated content (extract/readers/pdf_streams.py), well before the time limit
    assert report.errors[0].startswith("pdf/bomb.pdf: content inflates past")
    assert "decompression bomb" in report.errors[0] and "\n" not in report.errors[0]
    assert report.documents == 3 and report.facts == 2 * facts_of_small_report(tmp_path)


def facts_of_small_report(tmp_path) -> int:
    import extract.pipeline

    corpus = write_corpus(tmp_path / "one", {"2021-22-a": SMALL_REPORT})
    return extract.pipeline.build(corpus, tmp_path / "one.db").facts


def test_a_giant_page_loses_only_its_ruled_tables_with_a_warning(tmp_path, capfd):
    pytest.importorskip("pdfplumber")
    import extract.pipeline
    from extract.corpus.limits import ReadLimits

    from .pdf_fixtures import giant_page_pdf

    corpus = _pdf_corpus(tmp_path, {"giant": giant_page_pdf})
    db = tmp_path / "csp.db"
    report = extract.pipeline.build(corpus, db, limits=ReadLimits(seconds=120, jobs=2))
    assert report.errors == []
    conn = sqlite3.connect(db)
    status = conn.execute("select status from files where path = 'pdf/giant.pdf'").fetchall()
    assert status == [("read",)]
    texts = " ".join(t for (t,) in conn.execute("select text from blocks where text is not null"))
    assert "512 offences" in texts  # the giant page's text layer is read
    query = "select t.pages from tables t join files f on t.file_id = f.id where f.path = 'pdf/giant.pdf'"
    pages = {page for (listed,) in conn.execute(query) for page in json.loads(listed)}
    assert pages == {1, 3}
    warned = [line for line in capfd.readouterr().err.splitlines() if "giant.pdf" in line]
    assert all("page 2" in line for line in warned)


def test_a_worker_killed_outright_is_retried_once_then_one_line(tmp_path, monkeypatch):
    import signal

    import extract.pipeline
    from extract.corpus.limits import ReadLimits

    corpus = write_corpus(
        tmp_path / "corpus",
        {"2021-22-a": SMALL_REPORT, "2021-22-killer": SMALL_REPORT + "\nK.\n", "2021-22-c": SMALL_REPORT + "\nC.\n"},
    )
    attempts = tmp_path / "attempts"
    real, parent = extract.pipeline.read_file, os.getpid()

    def killed(path, relpath, fmt):
        if "killer" in relpath and os.getpid() != parent:
            with attempts.open("a") as log:
                log.write("x")
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        return real(path, relpath, fmt)

    monkeypatch.setattr(extract.pipeline, "read_file", killed)
    report = extract.pipeline.build(corpus, tmp_path / "csp.db", limits=ReadLimits(seconds=30, jobs=2))
    assert report.errors == [
        "text/2021-22-killer.txt: the reading process was killed twice (SIGKILL; over the memory limit?)"
    ]
    assert attempts.read_text() == "xx"  # once in the pool, once alone in a fresh worker
    assert report.documents == 3 and report.facts > 0
    conn = sqlite3.connect(tmp_path / "csp.db")
    read = conn.execute("select path from files where status = 'read' order by 1").fetchall()
    assert read == [("text/2021-22-a.txt",), ("text/2021-22-c.txt",)]


def test_a_worker_killed_once_is_read_on_its_retry(tmp_path, monkeypatch):
    import signal

    import extract.pipeline
    from extract.corpus.limits import ReadLimits

    corpus = write_corpus(tmp_path / "corpus", {"2021-22-a": SMALL_REPORT, "2021-22-killer": SMALL_REPORT + "\nK.\n"})
    once = tmp_path / "killed-once"
    real, parent = extract.pipeline.read_file, os.getpid()

    def killed_once(path, relpath, fmt):
        if "killer" in relpath and os.getpid() != parent and not once.exists():
            once.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, relpath, fmt)

    monkeypatch.setattr(extract.pipeline, "read_file", killed_once)
    report = extract.pipeline.build(corpus, tmp_path / "csp.db", limits=ReadLimits(seconds=30, jobs=2))
    assert report.errors == [] and once.exists()
    assert report.facts == 2 * facts_of_small_report(tmp_path)


def test_an_archive_folder_that_cannot_be_written_is_one_line(built, tmp_path):
    corpus, _, _ = built
    (tmp_path / "blocked").write_text("a file where the archive's folder should be", encoding="utf-8")
    result = build(corpus, tmp_path / "blocked" / "csp.db", "--no-cache")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1, result.output
    assert "E-DB-WRITE" in lines[0] and "Traceback" not in result.output
