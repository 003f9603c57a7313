"""Tables flattened into running text (extract/readers/flattened.py) read back as tables, with a
parsing report saying so, from a text rendition and from a PDF; prose that only mentions years
and counts stays prose."""

from __future__ import annotations

from extract.interpret.tables import interpret_table, table_facts
from extract.readers.flattened import FLATTENED, read_flattened
from extract.readers.pdf import read_pdf
from extract.readers.text import parse_text

from .pdf_fixtures import Writer

FLAT = (
    "Recorded crime by offence type over two years. Offence 2022/23 2023/24 Change Burglary 7,000 7,777 777 "
    "Robbery 100 110 10 Vehicle crime 250 240 -10 Source: the police's recorded crime."
)


def test_a_flattened_table_in_a_text_rendition_is_read_as_its_table():
    doc = parse_text(f"Crime in the district\n\n{FLAT}\n", "flat.txt")
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("table") == 1
    bi = kinds.index("table")
    table = doc.blocks[bi].table
    assert table.method == FLATTENED and table.report is not None and table.report.strategy == "flattened"
    assert [[c.text for c in row] for row in table.rows] == [
        ["Offence", "2022/23", "2023/24", "Change"],
        ["Burglary", "7,000", "7,777", "777"],
        ["Robbery", "100", "110", "10"],
        ["Vehicle crime", "250", "240", "-10"],
    ]
    assert doc.blocks[bi - 1].text == "Recorded crime by offence type over two years."
    assert doc.blocks[bi + 1].text == "Source: the police's recorded crime."
    facts = table_facts(interpret_table(doc, bi, 0, None, None))
    burglary = {f.column_label: f for f in facts if f.row_label == "Burglary"}
    assert burglary["2023/24"].value == 7777
    assert burglary["2023/24"].period_start == "2023-04-01" and burglary["2023/24"].period_end == "2024-03-31"
    assert {f.row_label for f in facts} == {"Burglary", "Robbery", "Vehicle crime"}


def test_a_flattened_table_in_a_pdf_paragraph_keeps_its_page(tmp_path):
    path = tmp_path / "flat.pdf"
    w = Writer(path)
    w.text("Crime in the district", size=14, font="Helvetica-Bold")
    words = FLAT.split()
    for k in range(0, len(words), 11):  # the paragraph wrapped as a browser would print it
        w.text(" ".join(words[k : k + 11]), size=10, gap=1)
    w.save()
    doc = read_pdf(path, "flat.pdf")
    (table,) = [b.table for b in doc.blocks if b.kind == "table"]
    assert table.method == FLATTENED and table.pages == [1]
    assert ["Vehicle crime", "250", "240", "-10"] in [[c.text for c in row] for row in table.rows]


def test_prose_with_years_and_counts_stays_prose():
    assert read_flattened("Between 2019 2020 and 2021 the partnership met 12 times and agreed 3 plans.") is None
    assert read_flattened("Offence 2022 2023 Burglary 7000 7777 777 Robbery 100") is None  # rows disagree
    assert read_flattened("Offence 2022 2023 Burglary 7000 7777") is None  # one row is not a table
