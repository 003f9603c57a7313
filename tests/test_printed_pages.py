"""Each figure read from a PDF is given the page (and box) of its own stretch of text: a paragraph
or a prose table cell running over a page break starts on one page, and a figure printed in its
continuation stands on the next (issue 27, "each figure's page is the page of its own box")."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from extract.corpus.cache import document_from_data
from extract.interpret.narrative import extract_figures
from extract.model import Span, joined_spans, shifted, span_at
from extract.readers.pdf import read_pdf

from .pdf_fixtures import Writer


def _paragraph_over_a_break(path):
    """A paragraph whose last lines stand at the top of page 2 (its continuation opens in lower
    case), a paragraph after it, and a hyphenated word cut by a second break."""
    w = Writer(path)
    w.text("Community Safety Review", size=16, font="Helvetica-Bold")
    w.text("Burglary", size=12, font="Helvetica-Bold")
    w.y = 118
    w.text("In the year the wardens visited 41 homes in the town and checked their", gap=0)
    w.text("locks and doors, and together with the neighbourhood", gap=0)
    w.new_page()
    w.text("policing team they fitted 120 alarms in the villages of the district", gap=0)
    w.text("and 35 more in the town centre over the winter.", gap=20)
    w.text("Elsewhere 17 homes were visited by the fire service in the spring.")
    w.y = 118
    w.text("The partnership funded a scheme for door chains and the number of home", gap=0)
    w.text("visits paid by its officers in the rural parishes rose to sixty-", gap=0)
    w.new_page()
    w.text("three households, of which 250 were visited twice in the year.")
    w.save()
    return path


def _prose_table_over_a_break(path):
    """A ruled table of prose whose row is cut by the page break: bullets with figures in its cells
    before and after the break (set as "·": reportlab's built-in Helvetica has no "•")."""
    w = Writer(path)
    w.text("Partnership Achievements", size=16, font="Helvetica-Bold")
    w.y = 170
    w.ruled_table(
        [
            ["Priority", "What was done"],
            [
                ["Anti-social", "behaviour"],
                [
                    "· Wardens patrolled the parks on 44 evenings in",
                    "the summer and spoke with families there.",
                    "· Officers attended 12 residents' meetings",
                ],
            ],
        ],
        [120, 330],
        font_size=9,
    )
    w.new_page()
    w.ruled_table(
        [
            [
                "",
                [
                    "across the district during the year.",
                    "· Safe and Well visits were made to 600 addresses",
                    "by the fire service in the rural parishes.",
                ],
            ],
            ["Burglary", ["· Door chains were fitted in 90 homes of older residents", "living alone in the town."]],
        ],
        [120, 330],
        font_size=9,
    )
    w.save()
    return path


@pytest.fixture(scope="module")
def paragraph_doc(tmp_path_factory):
    path = _paragraph_over_a_break(tmp_path_factory.mktemp("pages") / "paragraph.pdf")
    return read_pdf(path, "pdf/paragraph.pdf")


@pytest.fixture(scope="module")
def table_doc(tmp_path_factory):
    path = _prose_table_over_a_break(tmp_path_factory.mktemp("pages") / "table.pdf")
    return read_pdf(path, "pdf/table.pdf")


def _pages(doc):
    return {f.raw: (f.page, f.bbox) for f in extract_figures(doc, None)}


def test_a_paragraph_over_a_page_break_is_one_block_with_a_span_a_page(paragraph_doc):
    cut = next(b for b in paragraph_doc.blocks if "41 homes" in b.text)
    assert "neighbourhood policing team they fitted 120 alarms" in cut.text  # joined across the break
    assert cut.page == 1
    assert [s.page for s in cut.spans] == [1, 2]
    assert cut.text[cut.spans[1].start :].startswith("policing team")
    assert cut.spans[0].bbox == cut.bbox
    assert cut.spans[1].bbox[1] < 200  # the top of page 2, not the foot of page 1


def test_figures_in_a_paragraphs_continuation_are_on_the_next_page(paragraph_doc):
    pages = _pages(paragraph_doc)
    assert pages["41"][0] == 1
    assert pages["120"][0] == 2 and pages["35"][0] == 2
    assert pages["120"][1][1] < 200  # the box of the lines it is printed in
    assert pages["17"][0] == 2
    assert pages["250"][0] == 3  # after a word hyphenated over the break


def test_a_block_on_one_page_needs_no_spans(paragraph_doc):
    one_page = next(b for b in paragraph_doc.blocks if b.text.startswith("Elsewhere 17"))
    assert one_page.spans == []


def test_figures_in_a_prose_cell_continued_over_a_page_break_are_on_the_next_page(table_doc):
    tables = [b for b in table_doc.blocks if b.kind == "table"]
    assert len(tables) == 1 and tables[0].table.pages == [1, 2]
    cell = tables[0].table.rows[1][1]
    assert [s.page for s in cell.spans] == [1, 2]
    pages = _pages(table_doc)
    assert pages["44"][0] == 1
    assert pages["12"][0] == 1  # its bullet runs over the break and starts on page 1
    assert pages["600"][0] == 2
    assert pages["600"][1] == cell.spans[1].bbox
    assert pages["90"][0] == 2  # a row of its own on page 2


def test_spans_survive_the_read_cache(paragraph_doc, table_doc):
    for doc in (paragraph_doc, table_doc):
        again = document_from_data(asdict(doc))
        assert again == doc
        assert any(isinstance(s, Span) for b in again.blocks for s in b.spans) or any(
            isinstance(s, Span) for b in again.tables() for row in b.table.rows for c in row for s in c.spans
        )


def test_span_arithmetic():
    spans = joined_spans([], 1, (0, 700, 100, 720), 30, [Span(0, 1, (0, 725, 90, 735))])
    assert spans == []  # all on one page
    spans = joined_spans([], 1, (0, 700, 100, 735), 30, [Span(0, 2, (0, 60, 80, 70))])
    spans = joined_spans(spans, 1, (0, 700, 100, 735), 50, [Span(0, 2, (0, 75, 120, 85))])
    assert spans == [Span(0, 1, (0, 700, 100, 735)), Span(30, 2, (0, 60, 120, 85))]
    assert span_at(spans, 29).page == 1 and span_at(spans, 30).page == 2 and span_at([], 3) is None
    # the stretch 20..60 of that text, held at offset 5 of another text
    assert shifted(spans, 20, 60, 5) == [Span(5, 1, spans[0].bbox), Span(15, 2, spans[1].bbox)]
    assert shifted(spans, 35, 60, 0) == [Span(0, 2, spans[1].bbox)]
