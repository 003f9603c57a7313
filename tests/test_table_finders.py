"""The table finders (extract/readers/table_finders.py), each strategy on PDFs the tests make, the
per-page fallback when a strategy fails, and the numbers of the parsing reports."""

from __future__ import annotations

import logging

import pdfplumber
import pytest

from extract.readers.pdf import read_pdf
from extract.readers.pdf_tables import Word
from extract.readers.table_finders import (
    AlignedFinder,
    CamelotFinder,
    RuledFinder,
    TableFinder,
    find_tables,
    table_report,
)
from extract.readers.text import parse_text

from .pdf_fixtures import Writer, break_ruled_finder_on


def texts(table):
    return [[c.text for c in row] for row in table.rows]


def page_words(page) -> list[Word]:
    return [Word.from_plumber(w, page.page_number) for w in page.extract_words(extra_attrs=["size", "fontname"])]


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    """Page 1: a ruled table with one empty cell, prose, an aligned table; page 2: a ruled table."""
    path = tmp_path_factory.mktemp("finders") / "two.pdf"
    w = Writer(path)
    w.text("Crime in the district", size=14, font="Helvetica-Bold")
    w.ruled_table([["AREA", "Q1", "Q2"], ["Violence", "205", ""], ["Theft", "11", "10"]], [180, 60, 60])
    w.text("Crime performance by NPT region:")
    w.aligned_table(
        [
            ["Current period", "CITY", "RURAL"],
            ["1 Violence Against the Person", "760", "213"],
            ["2 Sexual Offences", "75", "48"],
        ],
        [300, 380],
    )
    w.new_page()
    w.text("Outcomes of the year", size=14, font="Helvetica-Bold")
    w.ruled_table([["Outcome", "Quantity"], ["FPN issued", "1"], ["Cases ongoing", "15"]], [200, 70])
    w.save()
    return path


def test_ruled_finder_reads_the_grid_and_reports_it(two_pages):
    with pdfplumber.open(two_pages) as pdf:
        page = pdf.pages[0]
        finder = RuledFinder()
        assert finder.wanted(page, [])
        (found,) = finder.find(page, page_words(page), 11.0)
    assert texts(found.table) == [["AREA", "Q1", "Q2"], ["Violence", "205", ""], ["Theft", "11", "10"]]
    assert found.table.method == "pdfplumber-lines"
    assert found.bbox[0] < found.bbox[2] and found.bbox[1] < found.bbox[3]


def test_aligned_finder_takes_only_its_own_words(two_pages):
    with pdfplumber.open(two_pages) as pdf:
        page = pdf.pages[0]
        words = page_words(page)
        ruled = RuledFinder().find(page, words, 11.0)
        free = [w for w in words if not any(t.holds(w) for t in ruled)]
        (found,) = AlignedFinder().find(page, free, 11.0)
    assert texts(found.table) == [
        ["Current period", "CITY", "RURAL"],
        ["1 Violence Against the Person", "760", "213"],
        ["2 Sexual Offences", "75", "48"],
    ]
    taken = [w.text for w in free if found.holds(w)]
    assert "Sexual" in taken and "Crime" not in taken and "performance" not in taken


def test_camelot_finder_reads_a_ruled_page_with_its_accuracy(two_pages):
    pytest.importorskip("camelot")
    with pdfplumber.open(two_pages) as pdf:
        page = pdf.pages[1]
        finder = CamelotFinder(two_pages)
        assert finder.wanted(page, []) and not finder.wanted(page, RuledFinder().find(page, page_words(page), 11.0))
        (found,) = finder.find(page, page_words(page), 11.0)
    assert texts(found.table) == [["Outcome", "Quantity"], ["FPN issued", "1"], ["Cases ongoing", "15"]]
    assert found.table.method == "camelot-lattice"
    assert found.accuracy is not None and 80 <= found.accuracy <= 100


def test_reports_give_strategy_page_order_shape_and_fill(two_pages):
    doc = read_pdf(two_pages, "pdf/two.pdf")
    reports = [b.table.report for b in doc.blocks if b.kind == "table"]
    assert [(r.strategy, r.flavor, r.page, r.order) for r in reports] == [
        ("ruled", "pdfplumber-lines", 1, 1),
        ("aligned", "aligned-text", 1, 2),
        ("ruled", "pdfplumber-lines", 2, 1),
    ]
    first = reports[0]
    assert (first.rows, first.cols, first.accuracy) == (3, 3, None)
    assert first.fill_ratio == round(8 / 9, 4) and first.whitespace == round(100 / 9, 2)
    assert reports[1].fill_ratio == 1.0 and reports[1].whitespace == 0.0
    assert first.bbox is not None and first.bbox[1] < reports[1].bbox[1]


def test_a_strategy_failing_on_one_page_falls_back_on_that_page_only(two_pages, monkeypatch, caplog):
    pytest.importorskip("camelot")
    break_ruled_finder_on(monkeypatch, 2, RuntimeError("cannot assemble rulings"))
    with caplog.at_level(logging.WARNING):
        doc = read_pdf(two_pages, "pdf/two.pdf")
    reports = [b.table.report for b in doc.blocks if b.kind == "table"]
    assert [(r.strategy, r.page) for r in reports] == [("ruled", 1), ("aligned", 1), ("camelot", 2)]
    assert reports[2].accuracy is not None
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "two.pdf" in warning and "page 2" in warning and "ruled" in warning and "RuntimeError" in warning


class _Exploding(TableFinder):
    name, flavor = "exploding", "test"

    def find(self, page, words, body):
        raise ValueError("no")


def test_a_failing_strategy_keeps_the_words_for_the_next(two_pages, caplog):
    with pdfplumber.open(two_pages) as pdf:
        page = pdf.pages[0]
        words = page_words(page)
        with caplog.at_level(logging.WARNING):
            found, free = find_tables([_Exploding(), AlignedFinder()], two_pages, page, words, 11.0)
    # the ruled table's words are left to the next strategy, which reads them by their alignment
    assert [t.table.report.strategy for t in found] == ["aligned", "aligned"]
    assert texts(found[0].table)[1] == ["Violence", "205", ""]
    assert "exploding tables not read" in caplog.text and "page 1" in caplog.text
    assert len(free) < len(words) and "Crime" in {w.text for w in free}


def test_a_continued_table_reports_all_its_rows(tmp_path):
    path = tmp_path / "cont.pdf"
    w = Writer(path)
    w.y = 150
    w.ruled_table([["Service", "2029", "2030"], ["Refuge", "39", "33"], ["Outreach", "290", "229"]], [200, 70, 70])
    w.new_page()
    w.ruled_table([["Service", "2029", "2030"], ["Freedom", "18", "20"], ["Total", "347", "282"]], [200, 70, 70])
    w.text("Figure 2 Referrals by year", size=9, font="Helvetica-Bold")
    w.save()
    (table,) = [b.table for b in read_pdf(path, "pdf/cont.pdf").blocks if b.kind == "table"]
    assert table.pages == [1, 2] and len(table.rows) == 5
    assert (table.report.rows, table.report.page, table.report.fill_ratio) == (5, 1, 1.0)


def test_text_rendition_tables_are_reported_as_markdown_in_file_order():
    doc = parse_text("Crimes\nArea\tQ1\tQ2\nCity\t5\t\nRural\t3\t4\n\nOther text here.\nA\tB\nx\t1\n", "text/r.txt")
    reports = [b.table.report for b in doc.blocks if b.kind == "table"]
    assert [(r.strategy, r.flavor, r.order, r.page) for r in reports] == [
        ("markdown", "tab-separated", 1, None),
        ("markdown", "tab-separated", 2, None),
    ]
    assert (reports[0].rows, reports[0].cols, reports[0].fill_ratio) == (3, 3, round(8 / 9, 4))


def test_report_of_an_empty_grid_is_zero_not_an_error():
    from extract.model import Table

    report = table_report(Table(rows=[]), "ruled", "pdfplumber-lines", 1, 1)
    assert (report.rows, report.cols, report.fill_ratio, report.whitespace) == (0, 0, 0.0, 0.0)
