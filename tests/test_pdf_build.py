"""Building from PDFs: provenance, the text rendition compared, bad PDFs reported in one line."""

import sqlite3

import pytest
from click.testing import CliRunner

from extract.cli import cli

from .conftest import REPO
from .pdf_fixtures import Writer

TEXT = """Partnership Report

Headline Data: April – March 2021/22

AREA\tQ1\tQ2\tTotal
Violence\t205\t243\t448
Theft\t11\t10\t21

Figure 1 Crimes by quarter
"""


def corpus_with_pdf(root, q2_theft="10", pdf_bytes=None):
    (root / "text").mkdir(parents=True)
    (root / "pdf").mkdir()
    (root / "text" / "r.txt").write_text(TEXT)
    pdf = root / "pdf" / "r.pdf"
    if pdf_bytes is not None:
        pdf.write_bytes(pdf_bytes)
    else:
        w = Writer(pdf)
        w.text("Partnership Report", size=16, font="Helvetica-Bold")
        w.text("Headline Data: April – March 2021/22", font="Helvetica-Bold")
        w.ruled_table(
            [["AREA", "Q1", "Q2", "Total"], ["Violence", "205", "243", "448"], ["Theft", "11", q2_theft, "21"]],
            [150, 60, 60, 60],
        )
        w.text("Figure 1 Crimes by quarter", size=9, font="Helvetica-Bold")
        w.save()
    (root / "manifest.yaml").write_text(
        "documents:\n  - id: r\n    title: R\n    kind: strategic_assessment\n    area: Winchester district\n"
        "    period: {start: 2021-04-01, end: 2022-03-31}\n    files: [text/r.txt, pdf/r.pdf]\n"
    )
    return root


def build(corpus, db, *extra):
    return CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "--no-cache", *extra])


def test_pdf_facts_carry_page_and_box_and_agree_with_the_text(tmp_path):
    corpus = corpus_with_pdf(tmp_path / "c")
    db = tmp_path / "csp.db"
    result = build(corpus, db)
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    rows = con.execute(
        "select source_file, page, x0, top, x1, bottom, value, period_start from facts "
        "where row_label = 'Violence' and column_label = 'Q2'"
    ).fetchall()
    assert len(rows) == 1
    source, page, x0, top, x1, bottom, value, start = rows[0]
    assert (source, page, value, start) == ("pdf/r.pdf", 1, 243.0, "2021-07-01")
    assert x0 < x1 and top < bottom
    assert con.execute("select count(*) from facts where page is null or x0 is null").fetchone() == (0,)
    assert con.execute("select passed from checks where kind = 'text_vs_pdf'").fetchall() == [(1,)]


def test_a_figure_that_differs_between_pdf_and_text_is_a_failed_check(tmp_path):
    corpus = corpus_with_pdf(tmp_path / "c", q2_theft="12")
    db = tmp_path / "csp.db"
    assert build(corpus, db).exit_code == 0
    con = sqlite3.connect(db)
    failed = con.execute("select description from checks where kind = 'text_vs_pdf' and passed = 0").fetchall()
    assert len(failed) == 1 and "prints 12" in failed[0][0] and "prints 10" in failed[0][0]
    assert con.execute("select status from facts where row_label = 'Theft' and column_label = 'Q2'").fetchone() == (
        "flagged",
    )


def test_source_pdf_alone_and_text_alone(tmp_path):
    corpus = corpus_with_pdf(tmp_path / "c")
    for source, expected in (("pdf", "pdf/r.pdf"), ("text", "text/r.txt")):
        db = tmp_path / f"{source}.db"
        assert build(corpus, db, "--source", source).exit_code == 0
        con = sqlite3.connect(db)
        assert {r[0] for r in con.execute("select source_file from facts")} == {expected}
        assert con.execute("select count(*) from checks where kind = 'text_vs_pdf'").fetchone() == (0,)


@pytest.mark.parametrize("content,reason", [(b"", "empty file"), (b"<html>not a pdf</html>", "not a PDF")])
def test_a_bad_pdf_is_one_line_and_the_text_rendition_stands_in(tmp_path, content, reason):
    corpus = corpus_with_pdf(tmp_path / "c", pdf_bytes=content)
    db = tmp_path / "csp.db"
    result = build(corpus, db)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "pdf/r.pdf" in errors[0] and reason in errors[0]
    con = sqlite3.connect(db)
    assert {r[0] for r in con.execute("select source_file from facts")} == {"text/r.txt"}


def test_bundled_corpus_from_pdfs(tmp_path):
    db = tmp_path / "csp.db"
    result = build(REPO / "corpus", db, "--source", "pdf")
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from facts where page is null or x0 is null").fetchone() == (0,)
    # 2021/22 assessment, Figure 2 (FAT outcomes), drug possession: 90.05%, printed on page 4 of the rendition
    assert con.execute(
        "select value, page from facts where source_file = 'pdf/2021-22-strategic-assessment.pdf' "
        "and row_label = '6b Possession of Drugs' and column_label like 'FAT Outcome rate%'"
    ).fetchall() == [(90.05, 4)]
    # the unruled appendix of the 2017/18 review, with its repaired unheaded column
    assert con.execute(
        "select value, period_start from facts where source_file = 'pdf/2017-18-performance-review.pdf' "
        "and row_label = '6 Drug Offences' and column_label = ''"
    ).fetchall() == [(232.0, "2016-04-01")]
