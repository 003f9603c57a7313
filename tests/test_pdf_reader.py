"""The PDF reader, on PDFs the tests make themselves (tests/pdf_fixtures.py) and on the corpus."""

import pytest

from extract.errors import ReadError
from extract.readers.pdf import read_pdf

from .conftest import REPO
from .pdf_fixtures import Writer, report_pdf


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = report_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")
    return read_pdf(path, "pdf/report.pdf")


def tables(doc):
    return [b.table for b in doc.blocks if b.kind == "table"]


def texts(table):
    return [[c.text for c in row] for row in table.rows]


def test_running_header_and_page_numbers_are_dropped(doc):
    everything = " ".join(b.text for b in doc.blocks) + " ".join(c.text for t in tables(doc) for r in t.rows for c in r)
    assert "Test Partnership Report" not in everything
    assert "Page 1" not in everything and "Page 2" not in everything


def test_heading_paragraph_and_marker_in_prose(doc):
    heading = doc.blocks[0]
    assert (heading.kind, heading.level, heading.text) == ("heading", 1, "Partnership Strategic Assessment")
    para = next(b for b in doc.blocks if b.kind == "paragraph" and "877" in b.text)
    assert "877 crimes" in para.text and "8771" not in para.text
    assert para.footnotes == ["1"]
    assert para.page == 1 and para.bbox is not None


def test_footnote_is_recognised_and_linked(doc):
    note = next(b for b in doc.blocks if b.kind == "footnote")
    assert (note.marker, note.text) == ("1", "Source: police recorded crime.")
    assert doc.footnotes["1"] == "Source: police recorded crime."


def test_ruled_table_with_marker_in_a_cell_and_a_multi_line_cell(doc):
    first = tables(doc)[0]
    assert texts(first) == [
        ["AREA", "Q1", "Q2", "Total"],
        ["Violence", "205", "243", "448"],
        ["Theft from the person", "11", "10", "21"],
    ]
    cell = first.rows[1][1]
    assert cell.footnotes == ["2"]
    assert cell.page == 1 and cell.bbox[0] < cell.bbox[2] and cell.bbox[1] < cell.bbox[3]
    assert first.method == "pdfplumber-lines"


def test_unruled_table_by_alignment(doc):
    unruled = tables(doc)[1]
    assert unruled.method == "aligned-text"
    assert texts(unruled) == [
        ["Current period", "CITY", "RURAL", "TOTAL"],
        ["1 Violence Against the Person", "760", "213", "973"],
        ["2 Sexual Offences", "75", "48", "123"],
        ["Total", "835", "261", "1,096"],
    ]


def test_table_across_a_page_break_with_repeated_header(doc):
    stitched = tables(doc)[2]
    assert texts(stitched) == [
        ["Service", "2029", "2030"],
        ["Refuge", "39", "33"],
        ["Outreach", "290", "229"],
        ["Freedom", "18", "20"],
        ["Total", "347", "282"],
    ]
    assert stitched.pages == [1, 2]
    assert stitched.rows[3][1].page == 2


def test_table_across_a_page_break_without_repeated_header(doc):
    stitched = tables(doc)[3]
    assert texts(stitched) == [
        ["Outcome", "Quantity"],
        ["FPN issued", "1"],
        ["Cases ongoing", "15"],
        ["Caution", "3"],
        ["TOTAL", "19"],
    ]
    assert len(tables(doc)) == 4


def test_captions_follow_their_tables(doc):
    captions = [b.text for b in doc.blocks if b.kind == "caption"]
    assert captions == ["Figure 1 Crimes by region", "Figure 2 Referrals by year", "Figure 3 Outcomes"]


def _encrypted(path):
    w = Writer(path, encrypt="secret")
    w.text("Confidential figures 1,234")
    w.save()


def _scanned(path):
    w = Writer(path, header="")
    w.c.rect(100, 400, 300, 200, fill=1)  # a picture of a page, no text layer
    w.c.showPage()
    w.c.save()
    data = path.read_bytes()
    path.write_bytes(data)


def _without_text(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 400, 300, 200, fill=1)
    c.save()


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: p.write_text("Dear colleague, this is not a PDF."), "not a PDF"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog"), "damaged or truncated"),
        (_encrypted, "encrypted"),
        (_without_text, "no text layer"),  # OCR finds nothing, or no engine is installed
    ],
)
def test_unreadable_pdfs_give_one_clear_line(tmp_path, make, message):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(ReadError, match=message) as info:
        read_pdf(path, "pdf/bad.pdf")
    assert "bad.pdf" in str(info.value) and "\n" not in str(info.value)


def test_truncated_copy_of_a_real_report(tmp_path):
    data = (REPO / "corpus/pdf/2005-08-community-safety-strategy.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError, match="damaged or truncated|no text"):
        read_pdf(path, "pdf/cut.pdf")


def test_corpus_pdf_tables_match_the_text_rendition():
    doc = read_pdf(REPO / "corpus/pdf/2021-22-strategic-assessment.pdf", "pdf/x.pdf")
    headline = next(b.table for b in doc.blocks if b.kind == "table" and b.table.rows[0][0].text == "WINCHESTER")
    assert texts(headline)[0] == ["WINCHESTER", "Q1", "Q2", "Q3", "Q4", "Total 2021/22"]
    assert texts(headline)[1] == ["1b Violence with Injury", "205", "243", "211", "218", "877"]
    assert len(headline.rows) == 21


def test_camelot_lattice_reads_the_same_ruled_table(tmp_path):
    """The fallback for rulings pdfplumber cannot assemble gives the same grid, vouched for by
    camelot's parsing report."""
    import pdfplumber

    from extract.readers.pdf_tables import Word
    from extract.readers.table_finders import CamelotFinder, has_rulings

    path = tmp_path / "one.pdf"
    w = Writer(path)
    w.ruled_table([["AREA", "Q1", "Q2"], ["Violence", ("205", "2"), "243"]], [180, 60, 60])
    w.save()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert has_rulings(page)
        words = [Word.from_plumber(x, 1) for x in page.extract_words(extra_attrs=["size", "fontname"])]
        (found,) = CamelotFinder(path).find(page, words, 11.0)
    table, bbox = found.table, found.bbox
    assert table.method == "camelot-lattice"
    assert texts(table) == [["AREA", "Q1", "Q2"], ["Violence", "205", "243"]]
    assert table.rows[1][1].footnotes == ["2"] and bbox[0] < bbox[2]


def test_each_page_is_parsed_once_and_its_tables_are_the_same(tmp_path, monkeypatch):
    """The words are taken from every page before the tables are looked for (the body size and the
    running headers need all of them); the rulings the finders need are kept from that first parse,
    so no page's content stream is interpreted twice."""
    import pdfplumber.page

    path = report_pdf(tmp_path / "report.pdf")
    parsed: list[int] = []
    real = pdfplumber.page.Page.parse_objects

    def counted(self):
        parsed.append(self.page_number)
        return real(self)

    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects", counted)
    doc = read_pdf(path, "pdf/report.pdf")
    assert sorted(parsed) == list(range(1, doc.pages + 1))
    assert {(b.table.report.page, b.table.report.strategy) for b in doc.tables()} >= {(1, "ruled"), (2, "ruled")}
