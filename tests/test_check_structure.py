"""Checks run only where the table's structure says what a total covers (issue 25d): a label
column whose rows were not ruled apart gives each row its own label, rate columns are not summed,
a total closing a section sums that section, a total below several breakdowns is checked against
each, and a key one table prints with several values compares nothing across tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from extract.checks.arithmetic import check_table
from extract.checks.consistency import tables_agree
from extract.interpret.tables import read_tables
from extract.readers.pdf import read_pdf
from extract.readers.text import parse_text
from extract.vocab.periods import Period

from .pdf_fixtures import LEFT, Writer

FY = Period(date(2030, 1, 1), date(2030, 12, 31), "span", "r")


def _readings(text: str, header_rows: int | None = None, row_heads: list[int] | None = None):
    doc = parse_text(text, "t.txt")
    for block in doc.blocks:
        if block.table is not None:
            if header_rows is not None:
                block.table.header_rows = header_rows
            if row_heads is not None:
                block.table.row_heads = row_heads
    readings = read_tables(doc, FY, None)
    for reading in readings:
        check_table(reading)
    return readings


def _column_totals(reading):
    return [c for c in reading.checks if c.kind == "column_total"]


def _stacked_labels_pdf(path: Path) -> Path:
    """Offence labels centred over three rows, and an area column whose three lines stand one per
    row with no rulings between them; the figure columns are ruled row by row."""
    w = Writer(path)
    c = w.c
    xs = [LEFT, LEFT + 120, LEFT + 220, LEFT + 280, LEFT + 340]
    row_h = 14
    top = w.y
    header = ["OFFENCE", "PLACE", "2029", "2030"]
    groups = [("THEFT", [("Northside", "4", "6"), ("Southside", "3", "1"), ("Ward Total", "7", "7")])]
    groups.append(("DAMAGE", [("Northside", "2", "5"), ("Southside", "8", "2"), ("Ward Total", "10", "7")]))
    c.setFont("Helvetica", 9)
    c.line(xs[0], top, xs[-1], top)
    for k, text in enumerate(header):
        c.drawString(xs[k] + 3, top - 10, text)
    y = top - row_h
    c.line(xs[0], y, xs[-1], y)
    for name, rows in groups:
        block_top = y
        c.drawString(xs[0] + 3, block_top - row_h * 1.5 - 3, name)  # centred over the three rows
        for place, a, b in rows:
            c.drawString(xs[1] + 3, y - 10, place)
            c.drawRightString(xs[3] - 4, y - 10, a)
            c.drawRightString(xs[4] - 4, y - 10, b)
            y -= row_h
            c.line(xs[2], y, xs[-1], y)  # rulings between rows only over the figures
        c.line(xs[0], y, xs[2], y)
    for x in xs:
        c.line(x, top, x, y)
    w.y = y - 30
    w.text("Source: a test of stacked labels.")
    w.save()
    return path


def test_an_area_column_not_ruled_between_its_rows_gives_each_row_its_label(tmp_path):
    doc = read_pdf(_stacked_labels_pdf(tmp_path / "stacked.pdf"), "stacked.pdf")
    (table,) = [b.table for b in doc.blocks if b.kind == "table" and b.table is not None]
    labels = [[cell.text for cell in row[:2]] for row in table.rows]
    assert labels[1:4] == [["THEFT", "Northside"], ["", "Southside"], ["", "Ward Total"]]
    assert labels[4][1] == "Northside"
    (reading,) = read_tables(doc, FY, None)
    check_table(reading)
    checks = _column_totals(reading)
    assert checks and all(c.passed for c in checks)
    assert {c.description.split("'")[1] for c in checks} == {"Ward Total"}


def test_a_label_wrapped_over_rows_stays_one_cell(tmp_path):
    """An offence label centred over its rows (one line) is not spread over them."""
    doc = read_pdf(_stacked_labels_pdf(tmp_path / "stacked.pdf"), "stacked.pdf")
    (table,) = [b.table for b in doc.blocks if b.kind == "table" and b.table is not None]
    assert [row[0].text for row in table.rows[1:7]] == ["THEFT", "", "", "DAMAGE", "", ""]


def test_rate_and_percent_change_columns_are_not_summed():
    (reading,) = _readings("Group\tno.\tRate\t% Chg\nA\t10\t5.5\t-3.0\nB\t20\t7.1\t4.0\nTotal\t30\t6.3\t1.2\n")
    checks = _column_totals(reading)
    assert [(c.description.split("'")[3], c.passed) for c in checks] == [("no.", True)]


def test_a_total_closing_a_section_sums_that_section_only():
    text = "Age\tno.\nWomen\t\n45-54\t3\n55-64\t4\ntotal\t7\nMen\t\n45-54\t5\n55-64\t6\ntotal\t11\n"
    (reading,) = _readings(text, header_rows=1, row_heads=[-1, -1, 1, 1, -1, -1, 5, 5, -1])
    checks = _column_totals(reading)
    assert [(c.expected, c.printed, c.passed) for c in checks] == [(7, 7, True), (11, 11, True)]


def test_a_total_below_several_breakdowns_is_checked_against_each():
    text = "Group\tno.\nSex\t\nF\t6\nM\t4\nAge\t\nYoung\t7\nOld\t3\nRegion\t\nNorth\t5\nSouth\t3\ntotal\t10\n"
    heads = [-1, -1, 1, 1, -1, 4, 4, -1, 7, 7, -1]
    (reading,) = _readings(text, header_rows=1, row_heads=heads)
    (check,) = _column_totals(reading)
    # sex and age each give the total; region leaves 2 out: what the total covers is in doubt
    assert (check.expected, check.printed, check.passed, check.nature) == (28, 10, False, "reading")
    (reading,) = _readings(text.replace("South\t3", "South\t5"), header_rows=1, row_heads=heads)
    (check,) = _column_totals(reading)
    assert check.passed and check.nature is None


def test_a_total_of_several_sections_that_adds_up_to_nothing_is_a_reading_doubt():
    text = "Age\tno.\nWomen\t\nYoung\t3\nOld\t4\nMen\t\nYoung\t5\nOld\t6\nTotal\t18\n"
    (reading,) = _readings(text, header_rows=1, row_heads=[-1, -1, 1, 1, -1, 4, 4, -1])
    (check,) = _column_totals(reading)
    assert (check.expected, check.passed) == (18, True)
    (reading,) = _readings(
        text.replace("Total\t18", "Total\t20"), header_rows=1, row_heads=[-1, -1, 1, 1, -1, 4, 4, -1]
    )
    (check,) = _column_totals(reading)
    assert not check.passed and check.nature == "reading"


def _row(table_id, value, raw=None):
    return {
        "document_id": "d",
        "canonical_id": "theft",
        "area": None,
        "measure": "recorded crimes",
        "unit": "count",
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "table_id": table_id,
        "table_label": f"T{table_id}",
        "value": value,
        "raw": raw,
        "id": table_id * 10 + int(value),
        "page": table_id,
    }


def test_tables_agree_compares_only_keys_that_name_one_quantity_in_each_table():
    def label(_):
        return "theft"

    (check,) = tables_agree([_row(1, 5), _row(2, 6)], label)
    assert not check.passed and check.nature == "source"
    # one table printing 5 and 3 under the key: something told its rows apart that we did not keep
    assert tables_agree([_row(1, 5), _row(1, 3), _row(2, 5)], label) == []


def test_a_total_column_naming_what_it_counts_sums_the_columns_naming_it():
    text = "Site\tList size\tTotal alerts\tTrue alerts\tFalse alerts\tArrests\nA\t900\t5\t3\t2\t1\nB\t800\t4\t4\t0\t2\n"
    (reading,) = _readings(text)
    checks = [c for c in reading.checks if c.kind == "row_total"]
    assert [(c.expected, c.printed, c.passed) for c in checks] == [(5, 5, True), (4, 4, True)]
    assert all("sum of 2 columns" in c.description for c in checks)


def test_a_plain_total_column_still_sums_the_columns_to_its_left():
    (reading,) = _readings("Area\t2029\t2030\tTotal\nNorth\t3\t4\t8\nSouth\t1\t1\t2\n")
    checks = [c for c in reading.checks if c.kind == "row_total"]
    assert [(c.expected, c.printed, c.passed) for c in checks] == [(7, 8, False), (2, 2, True)]


def test_a_line_of_years_over_labelled_rows_heads_the_columns(tmp_path):
    w = Writer(tmp_path / "years.pdf")
    w.text("Offences recorded")
    w.aligned_table(
        [["", "2029", "2030"], ["Theft", "3", "4"], ["Damage", "5", "6"], ["Total", "8", "10"]],
        [LEFT + 200, LEFT + 260],
    )
    w.text("Source: a test of a line of years.")
    w.save()
    doc = read_pdf(tmp_path / "years.pdf", "years.pdf")
    (table,) = [b.table for b in doc.blocks if b.kind == "table" and b.table is not None]
    assert table.header_rows == 1 and [c.text for c in table.rows[0]][1:] == ["2029", "2030"]
    (reading,) = read_tables(doc, FY, None)
    check_table(reading)
    assert [(c.expected, c.printed) for c in _column_totals(reading)] == [(8, 8), (10, 10)]
