"""Bounds on what one document may cost: a PDF's streams inflate only so far (a decompression bomb
is refused in one line, its inflating stopped at the bound), and the work done on a table or a
line of prose grows with its size, not with its square. Timings live in
benchmarks/bench_linear.py; these tests check the bounds and the outputs."""

from __future__ import annotations

import zlib

import pytest

from extract.readers.settings import InflateLimits

MIB = 1024 * 1024


# ---- the decompression bomb -------------------------------------------------------------------


def test_the_inflate_bound_is_the_larger_of_a_ratio_and_a_floor():
    limits = InflateLimits(ratio=50, floor_mb=200)
    assert limits.cap(314_000) == 200 * MIB  # a small file: the floor
    assert limits.cap(10 * MIB) == 500 * MIB  # a large one: 50 times its size
    with pytest.raises(ValueError):
        InflateLimits(ratio=0)


def test_bounded_decompress_gives_what_zlib_gives_and_stops_past_its_room():
    from extract.readers.pdf_streams import bounded_decompress

    data = b"877 crimes were recorded in the district. " * 50_000
    packed = zlib.compress(data)
    assert bounded_decompress(packed, len(data)) == zlib.decompress(packed)
    assert bounded_decompress(packed + b"trailing", len(data)) == data  # zlib ignores what follows the stream
    with pytest.raises(OverflowError):
        bounded_decompress(packed, len(data) - 1)
    with pytest.raises(zlib.error) as truncated:
        bounded_decompress(packed[: len(packed) // 2], len(data))
    with pytest.raises(zlib.error) as expected:
        zlib.decompress(packed[: len(packed) // 2])
    assert str(truncated.value) == str(expected.value)  # the error pdfminer expects, as zlib words it


def test_a_pdf_bomb_is_refused_with_its_bound_and_inflates_no_further(tmp_path, monkeypatch):
    pytest.importorskip("pdfplumber")
    from extract.errors import ReadError
    from extract.readers import pdf_streams
    from extract.readers.pdf import read_pdf

    from .pdf_fixtures import bomb_pdf

    path = bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=40)
    limits = InflateLimits(ratio=1, floor_mb=8)  # a bound below the bomb's 40 MiB
    monkeypatch.setattr(pdf_streams, "INFLATE", limits)
    inflated = []
    real = pdf_streams.zlib.decompressobj

    class Counting:
        def __init__(self, *args):
            self.d = real(*args)

        def decompress(self, data, max_length=0):
            out = self.d.decompress(data, max_length)
            inflated.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.d, name)

    monkeypatch.setattr(pdf_streams.zlib, "decompressobj", Counting)
    with pytest.raises(ReadError) as refused:
        read_pdf(path, "pdf/bomb.pdf")
    reason = refused.value.reason
    assert reason == "content inflates past 8 MB (a decompression bomb?)"
    assert "\n" not in reason
    assert 8 * MIB < sum(inflated) <= 8 * MIB + pdf_streams.CHUNK  # stopped one piece past the bound


def test_the_default_bound_refuses_the_300_mb_bomb(tmp_path):
    pytest.importorskip("pdfplumber")
    from extract.errors import ReadError
    from extract.readers.pdf import read_pdf

    from .pdf_fixtures import bomb_pdf

    path = bomb_pdf(tmp_path / "bomb.pdf")
    with pytest.raises(ReadError) as refused:
        read_pdf(path, "pdf/bomb.pdf")
    assert refused.value.reason == "content inflates past 200 MB (a decompression bomb?)"


def test_a_pdf_within_the_bound_reads_as_without_one(tmp_path):
    pytest.importorskip("pdfplumber")
    import pdfminer.pdftypes

    from extract.readers.pdf import read_pdf
    from extract.readers.pdf_streams import install

    from .pdf_fixtures import report_pdf

    path = report_pdf(tmp_path / "report.pdf")
    bounded = read_pdf(path, "pdf/report.pdf")
    install()
    assert pdfminer.pdftypes.zlib.decompress(zlib.compress(b"abc")) == b"abc"  # unbounded outside a read
    assert [b.text for b in bounded.blocks] and bounded.reader == "pdf"


# ---- linear work -----------------------------------------------------------------------------


def _table(n: int, change: bool = False) -> str:
    head = "Area\t2021/22\t2022/23" + ("\tVariance" if change else "") + "\n"
    rows = "".join(
        f"Ward {i}\t{i % 97}\t{(i * 7) % 89}" + (f"\t{(i * 7) % 89 - i % 97}" if change else "") + "\n"
        for i in range(n)
    )
    return head + rows


def test_a_medium_table_gives_every_figure_and_its_checks():
    from extract.checks.arithmetic import check_table
    from extract.interpret.tables import read_tables
    from extract.readers.text import parse_text

    doc = parse_text(_table(2_000, change=True), "text/t.txt")
    (reading,) = read_tables(doc, None, None)
    assert len(reading.facts) == 3 * 2_000
    checks = check_table(reading)
    variances = [c for c in checks if c.kind == "variance"]
    assert len(variances) == 2_000 and all(c.passed for c in variances)


def test_a_change_column_finds_each_cells_fact_by_lookup(monkeypatch):
    """The variance check looks each cell's fact up: it never searches the table's facts per row."""
    from extract.checks import arithmetic
    from extract.interpret.tables import read_tables
    from extract.readers.text import parse_text

    doc = parse_text(_table(500, change=True), "text/t.txt")
    (reading,) = read_tables(doc, None, None)
    looked = []
    real = arithmetic._by_cell
    monkeypatch.setattr(arithmetic, "_by_cell", lambda r: looked.append(1) or real(r))
    assert len(arithmetic._changes(reading)) == 500
    assert len(looked) == 1  # one index for the table


def test_subtotals_and_a_grand_total_are_checked_as_before():
    from extract.checks.arithmetic import check_table
    from extract.interpret.tables import read_tables
    from extract.readers.text import parse_text

    text = "Crime\t2021/22\n"
    for block in range(50):
        text += "".join(f"Crime {block}-{k}\t{k + 1}\n" for k in range(4)) + f"Total {block}\t10\n"
    text += "Total\t500\n"
    (reading,) = read_tables(parse_text(text, "text/t.txt"), None, None)
    totals = [c for c in check_table(reading) if c.kind == "column_total"]
    assert len(totals) == 51 and all(c.passed for c in totals)
    assert all(len(c.fact_keys) == 5 for c in totals[:50])  # each subtotal: itself and its four rows
    assert len(totals[-1].fact_keys) == 201  # the grand total: itself and the 200 rows (or its subtotals)


def test_row_groups_are_carried_down_once_for_the_table():
    from extract.interpret.tables import read_tables
    from extract.readers.text import parse_text

    text = "Group\tCrime\t2021/22\n" + "".join(
        ("Domestic" if i % 100 == 0 else "") + f"\tCrime {i}\t{i}\n" for i in range(1, 1_001)
    )
    (reading,) = read_tables(parse_text(text, "text/t.txt"), None, None)
    assert reading.n_label_cols == 2
    walked = [reading._row_group_walk(r) for r in reading.data_rows()]
    assert [reading.row_group(r) for r in reading.data_rows()] == walked
    assert walked[0] == "" and walked[99] == walked[150] == "Domestic"  # carried down over the blanks


def test_a_long_line_is_read_in_bounded_sentences():
    """A line with no full stop is read in windows of at most MAX_SENTENCE_TOKENS tokens: what is
    read around each figure (its quote among it) stays bounded however long the line."""
    from extract.interpret.narrative import MAX_SENTENCE_TOKENS, extract_figures
    from extract.readers.text import parse_text

    doc = parse_text("There were 877 crimes and " * 2_000 + "more.", "text/long.txt")
    facts = extract_figures(doc, None)
    assert len(facts) == 2_000
    assert {f.value for f in facts} == {877}
    assert max(len(f.quote) for f in facts) < MAX_SENTENCE_TOKENS * 8
    short = extract_figures(parse_text("There were 877 crimes and 12 arrests in 2021/22.", "text/s.txt"), None)
    assert [f.quote for f in short] == ["There were 877 crimes and 12 arrests in 2021/22."] * 2


def test_continued_paragraphs_are_joined_as_before():
    from extract.interpret.narrative import Headings, heading_before, prose_units
    from extract.readers.text import parse_text

    lines = ["Title", "", "## Section"] + [f"the partnership recorded {i} crimes in the ward of" for i in range(300)]
    doc = parse_text("\n".join(lines) + "\nWinchester.\n", "text/p.txt")
    units = prose_units(doc)
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    joined = [u for u in units if len(u.parts) > 1]
    if joined:  # the text reader may give one paragraph per line: then they are joined here
        unit = joined[0]
        assert unit.text == " ".join(doc.blocks[bi].text for _, bi in unit.parts)
        assert [unit.block_at(o) for o, _ in unit.parts] == [(bi, o) for o, bi in unit.parts]
    assert paragraphs
    headings = Headings(doc)
    assert all(headings.before(bi) == heading_before(doc, bi) for bi in range(len(doc.blocks)))


def test_a_document_whose_interpretation_runs_past_the_limit_is_reported_and_the_others_build(tmp_path, monkeypatch):
    import time as _time

    from extract import pipeline
    from extract.corpus.limits import ReadLimits
    from tests.conftest import SMALL_REPORT, write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"fine": SMALL_REPORT, "slow": SMALL_REPORT + "\nSlow paragraph.\n"})
    real = pipeline.interpret

    def interpret(doc, entry, timings):
        if entry.id == "slow":
            _time.sleep(30)  # a pass made slow by its input: the alarm ends it
        return real(doc, entry, timings)

    monkeypatch.setattr(pipeline, "interpret", interpret)
    started = _time.monotonic()
    report = pipeline.build(corpus, tmp_path / "db" / "csp.db", source="text", limits=ReadLimits(seconds=1, jobs=1))
    assert _time.monotonic() - started < 20
    assert report.errors == ["text/slow.txt: not interpreted within the time limit (1 s)"]
    assert report.documents >= 1 and report.facts > 0


def test_a_run_of_brackets_without_a_space_costs_the_prose_engine_linear_time():
    from extract.interpret.narrative import MAX_WORD, bounded_words

    text = "In 2031 there were 12 thefts. " + "(" * 50_000 + " and 7 burglaries."
    out = bounded_words(text)
    assert len(out) == len(text) and out.startswith("In 2031 there were 12 thefts.") and "(" not in out
    assert bounded_words("x" * MAX_WORD) == "x" * MAX_WORD


def test_a_figure_in_a_paragraphs_continuation_over_a_page_break_is_on_the_continuations_page():
    from extract.interpret.narrative import extract_figures, prose_units
    from extract.model import Block, Document

    doc = Document(
        "pdf/x.pdf",
        [
            Block("heading", "Burglary", level=2, page=3),
            Block(
                "paragraph",
                "In the year the team visited 41 homes and checked locks, and with the",
                page=3,
                bbox=(1, 700, 500, 720),
            ),
            Block("paragraph", "wardens it fitted 120 alarms in the ward of Alpha.", page=4, bbox=(1, 50, 500, 70)),
            Block("paragraph", "Elsewhere 17 homes were visited.", page=4, bbox=(1, 90, 500, 110)),
        ],
        pages=4,
        reader="pdf",
    )
    assert [len(u.parts) for u in prose_units(doc)][0] == 2  # the paragraph is read as one
    pages = {f.raw: (f.page, f.bbox) for f in extract_figures(doc, None)}
    assert pages["41"] == (3, (1, 700, 500, 720))
    assert pages["120"] == (4, (1, 50, 500, 70))  # its own block's page and box, not the paragraph's first
    assert pages["17"][0] == 4


def test_with_two_jobs_the_workers_interpret_what_they_read(tmp_path, monkeypatch):
    """Interpreting runs in the reading workers: the build's own process interprets nothing, and
    the archive is the one a single process builds."""
    import sqlite3

    from extract import pipeline
    from extract.corpus.limits import ReadLimits
    from tests.conftest import SMALL_REPORT, write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"a": SMALL_REPORT, "b": SMALL_REPORT.replace("205", "305")})
    here = []
    real = pipeline.interpret

    def counted(doc, entry, timings):
        here.append(entry.id)  # a worker's list is its own copy: only this process's calls land here
        return real(doc, entry, timings)

    monkeypatch.setattr(pipeline, "interpret", counted)
    two = pipeline.build(corpus, tmp_path / "two" / "csp.db", source="text", limits=ReadLimits(jobs=2))
    assert here == [] and two.facts > 0 and not two.errors
    one = pipeline.build(corpus, tmp_path / "one" / "csp.db", source="text", limits=ReadLimits(jobs=1))
    assert len(here) == 2 and one.facts == two.facts
    query = "select document_id, row_label, column_label, measure, value, quote from facts order by 1, 2, 3, 4, 5, 6"
    rows = [sqlite3.connect(tmp_path / name / "csp.db").execute(query).fetchall() for name in ("one", "two")]
    assert rows[0] == rows[1]


def test_an_interpretation_a_worker_could_not_finish_is_done_again_and_reported(tmp_path, monkeypatch):
    """A worker's interpretation that fails is not lost or hidden: the build's process interprets the
    file again, and a bug there is raised as a bug (never as a bad document)."""
    import pytest

    from extract import pipeline
    from extract.corpus.limits import ReadLimits
    from extract.errors import InternalError
    from tests.conftest import SMALL_REPORT, write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"fine": SMALL_REPORT, "broken": SMALL_REPORT + "\nOdd.\n"})
    real = pipeline.interpret

    def fails_for_one(doc, entry, timings):
        if entry.id == "broken":
            raise ZeroDivisionError("a bug in a pass")
        return real(doc, entry, timings)

    monkeypatch.setattr(pipeline, "interpret", fails_for_one)
    with pytest.raises(InternalError, match="while interpreting"):
        pipeline.build(corpus, tmp_path / "db" / "csp.db", source="text", limits=ReadLimits(jobs=2))
    assert not (tmp_path / "db" / "csp.db").exists()  # no half-built archive
