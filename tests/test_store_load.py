"""The store, the checks layer and the read cache tested directly, on records made in code: no
corpus, no full build."""

from __future__ import annotations

import json
from datetime import date

import pytest

from extract.checks.arithmetic import check_table
from extract.checks.renditions import compare_sources
from extract.corpus.cache import CACHE_SCHEMA, DocumentCache
from extract.corpus.manifest import Entry
from extract.interpret.tables import read_tables
from extract.model import Block, Cell, Check, Document, Fact, Table, TableReport
from extract.readers.table_finders import table_report
from extract.store import load

ENTRY = Entry(
    id="2021-22-test",
    title="Test report",
    kind="strategic_assessment",
    files=["pdf/test.pdf"],
    area="Winchester district",
    period_start=date(2021, 4, 1),
    period_end=date(2022, 3, 31),
)


def a_table() -> Table:
    """Area by quarter with a total row and column; the Rural row's total is misprinted (8, not 7)."""
    grid = [
        ["Area", "Q1", "Q2", "Total"],
        ["City", "5", "6", "11"],
        ["Rural", "3", "4", "8"],
        ["Total", "8", "10", "18"],
    ]
    rows = [
        [
            Cell(text, raw=text, page=2, bbox=(10.0 + 50 * c, 100.0 + 12 * r, 50.0 + 50 * c, 110.0 + 12 * r))
            for c, text in enumerate(row)
        ]
        for r, row in enumerate(grid)
    ]
    table = Table(rows=rows, header_rows=1, method="pdfplumber-lines", pages=[2])
    table.report = table_report(table, "ruled", "pdfplumber-lines", 2, 1, (10.0, 100.0, 210.0, 146.0))
    return table


def a_document() -> Document:
    blocks = [
        Block("heading", "Crime by area", level=1, page=2, bbox=(10.0, 80.0, 120.0, 92.0)),
        Block("table", table=a_table(), page=2, bbox=(10.0, 100.0, 210.0, 146.0)),
        Block("footnote", "Police recorded crime.", marker="1", page=2),
    ]
    return Document(
        source_file="pdf/test.pdf", blocks=blocks, footnotes={"1": "Police recorded crime."}, pages=3, reader="pdf"
    )


@pytest.fixture
def stored(tmp_path):
    """The document stored by the load functions, as the build stores a primary file."""
    doc = a_document()
    readings = read_tables(doc, None, None)
    checks = [c for r in readings for c in check_table(r)]
    facts = [f for r in readings for f in r.facts]
    db = load.create(tmp_path / "a.db")
    load.insert_document(db, ENTRY)
    file_id = load.insert_file(db, ENTRY, "pdf/test.pdf", "pdf", "f" * 64, 1234, "primary", "read", None, doc)
    blocks = load.block_ids(db, file_id)
    table_ids, cell_ids = load.insert_tables(db, file_id, readings, blocks)
    figure_ids = load.insert_figures(db, ENTRY, file_id, "pdf/test.pdf", facts, blocks, table_ids, cell_ids)
    load.insert_checks(db, ENTRY, file_id, checks, table_ids, figure_ids)
    return db, facts, figure_ids


def test_document_file_blocks_and_footnotes_read_back(stored):
    db, _, _ = stored
    assert db.execute("select id, title, period_start from documents").fetchall() == [
        ("2021-22-test", "Test report", "2021-04-01")
    ]
    assert db.execute("select path, format, pages, role, status from files").fetchall() == [
        ("pdf/test.pdf", "pdf", 3, "primary", "read")
    ]
    blocks = db.execute("select seq, kind, text, level, marker, page, x0, bottom from blocks order by seq").fetchall()
    assert blocks == [
        (0, "heading", "Crime by area", 1, None, 2, 10.0, 92.0),
        (1, "table", None, None, None, 2, 10.0, 146.0),
        (2, "footnote", "Police recorded crime.", None, "1", 2, None, None),
    ]
    assert db.execute("select marker, text from footnotes").fetchall() == [("1", "Police recorded crime.")]


def test_table_cells_and_parsing_report_read_back(stored):
    db, _, _ = stored
    ((tid, block_seq, n_rows, n_cols, method, pages),) = db.execute(
        "select t.id, b.seq, n_rows, n_cols, method, pages from tables t join blocks b on b.id = t.block_id"
    ).fetchall()
    assert (block_seq, n_rows, n_cols, method, json.loads(pages)) == (1, 4, 4, "pdfplumber-lines", [2])
    assert db.execute(
        "select text, is_header, x0 from cells where table_id = ? and row = 2 and col = 3", [tid]
    ).fetchone() == (
        "8",
        0,
        160.0,
    )
    report = db.execute(
        "select strategy, flavor, page, page_order, n_rows, n_cols, accuracy, fill_ratio, whitespace, x0, bottom"
        " from table_reports where table_id = ?",
        [tid],
    ).fetchone()
    assert report == ("ruled", "pdfplumber-lines", 2, 1, 4, 4, None, 1.0, 0.0, 10.0, 146.0)


def test_figures_link_to_their_cells_and_failed_checks_to_their_figures(stored):
    db, facts, figure_ids = stored
    assert len(figure_ids) == len(facts) == 9  # 3 rows × 3 columns of figures
    row = db.execute(
        "select f.value, f.row_label, f.column_label, c.row, c.col, c.text from figures f join cells c on c.id = f.cell_id"
        " where f.key = 't0r2c3'"
    ).fetchone()
    assert row == (8.0, "Rural", "Total", 2, 3, "8")
    failed = db.execute("select kind, expected, printed from checks where passed = 0 order by kind").fetchall()
    assert failed == [("column_total", 19.0, 18.0), ("row_total", 7.0, 8.0)]
    linked = {
        key
        for (key,) in db.execute(
            "select f.key from checks k join check_figures cf on cf.check_id = k.id join figures f on f.id = cf.figure_id"
            " where k.kind = 'row_total' and k.passed = 0"
        )
    }
    assert linked == {"t0r2c3", "t0r2c1", "t0r2c2"}


def test_one_check_links_each_figure_once(stored):
    db, _, figure_ids = stored
    fid = figure_ids["t0r1c1"]
    cid = load.insert_check(db, Check("variance", "made up", 1.0, 2.0, False), ENTRY.id, None, None, [fid, fid])
    assert db.execute("select figure_id from check_figures where check_id = ?", [cid]).fetchall() == [(fid,)]


def table_fact(key: str, value: float, row: str, col: str = "2021/22") -> Fact:
    return Fact(
        value,
        "count",
        "table",
        raw=f"{value:g}",
        key=key,
        table_label="Crime",
        row_label=row,
        column_label=col,
        table_index=0,
    )


def test_two_renditions_that_agree_give_one_passed_check():
    pdf = [table_fact("a", 5, "City"), table_fact("b", 3, "Rural")]
    text = [table_fact("x", 5, "City"), table_fact("y", 3, "rural")]  # labels compared folded
    (check,) = compare_sources(pdf, text, "pdf/r.pdf", "text/r.txt")
    assert check.passed and (check.expected, check.printed) == (2, 2)


def test_renditions_that_differ_give_one_failed_check_per_cell():
    pdf = [table_fact("a", 5, "City"), table_fact("b", 3, "Rural"), table_fact("c", 1, "Parish")]
    text = [table_fact("x", 5, "City"), table_fact("y", 30, "Rural")]
    checks = compare_sources(pdf, text, "pdf/r.pdf", "text/r.txt")
    assert all(not c.passed and c.kind == "text_vs_pdf" for c in checks)
    assert sorted((c.fact_keys[0], c.printed, c.expected) for c in checks) == [("b", 3, 30), ("c", 1, None)]
    assert any("pdf/r.pdf prints 3, text/r.txt prints 30" in c.description for c in checks)


def test_prose_figures_are_compared_by_how_often_each_is_printed():
    prose = Fact(877, "count", "text", raw="877", key="x0")
    checks = compare_sources([prose, prose], [prose], "pdf/r.pdf", "text/r.txt")
    (check,) = checks
    assert not check.passed and (check.printed, check.expected) == (2, 1) and check.fact_keys == ["x0", "x0"]


def test_cache_gives_back_the_document_with_its_table_report(tmp_path):
    cache = DocumentCache(tmp_path)
    doc = a_document()
    cache.put("a" * 64, "pdf", doc)
    again = cache.get("a" * 64, "pdf")
    assert again == doc
    table = again.blocks[1].table
    assert isinstance(table.report, TableReport) and table.report.bbox == (10.0, 100.0, 210.0, 146.0)


def test_cache_refuses_another_digest_format_schema_or_reader(tmp_path):
    cache = DocumentCache(tmp_path)
    cache.put("a" * 64, "pdf", a_document())
    assert cache.get("b" * 64, "pdf") is None  # never stored
    assert cache.get("a" * 64, "text") is None  # another format
    path = cache._path("a" * 64, "pdf")
    entry = json.loads(path.read_text())
    for field, wrong in (("sha256", "a" * 63 + "b"), ("schema", CACHE_SCHEMA - 1), ("reader", "0" * 16)):
        path.write_text(json.dumps({**entry, field: wrong}))
        assert cache.get("a" * 64, "pdf") is None, field
    path.write_text(json.dumps(entry))
    assert cache.get("a" * 64, "pdf") == a_document()


def test_cache_reads_again_only_on_a_miss(tmp_path):
    cache = DocumentCache(tmp_path)
    reads = []

    def read():
        reads.append(1)
        return a_document()

    cache.get_or_read("a" * 64, "pdf", read)
    cache.get_or_read("a" * 64, "pdf", read)
    cache.get_or_read("c" * 64, "pdf", read)
    assert len(reads) == 2
