import pytest

from extract.errors import ReadError
from extract.readers.text import parse_text, read_text


def kinds(doc):
    return [b.kind for b in doc.blocks]


def test_blocks_and_footnotes():
    doc = parse_text(
        "Partnership Review 2030\n\nIntroduction\n\nThe partnership met twice this year with good results¹.\n\n"
        "- first action\n- second action\n\n¹ Meetings held in public.\n\nFigure 3 Crimes by month\n",
        "text/x.txt",
    )
    assert kinds(doc) == ["heading", "heading", "paragraph", "list_item", "list_item", "footnote", "caption"]
    para = doc.blocks[2]
    assert para.text == "The partnership met twice this year with good results."
    assert para.footnotes == ["1"]
    assert doc.footnotes == {"1": "Meetings held in public."}
    assert doc.blocks[3].text == "first action"
    assert para.start is not None and para.end > para.start


def test_marker_after_number_in_a_cell_is_not_part_of_it():
    doc = parse_text("A\tB\nRefuge\t18 ¹⁸\nOutreach\t877¹\n", "t.txt")
    rows = doc.blocks[0].table.rows
    assert rows[1][1].text == "18" and rows[1][1].footnotes == ["18"]
    assert rows[2][1].text == "877" and rows[2][1].footnotes == ["1"]


def test_html_cells_become_paragraphs():
    raw = (
        'Theme\tAchievements\nQuality of Life\t<ul style="list-style-type: none"> • 11 noise visits '
        "were made. • 19 hotspots managed.</ul><p>Another paragraph.</p>\n"
    )
    cell = parse_text(raw, "t.txt").blocks[0].table.rows[1][1]
    assert cell.paragraphs == ["11 noise visits were made.", "19 hotspots managed.", "Another paragraph."]
    assert "<" not in cell.text


def test_table_continues_after_a_page_break_with_footnotes_between():
    text = (
        "Current period\tCITY\tTOTAL\n1 Violence\t10\t10\n2 Sexual\t3\t3\n\n \n \n"
        "¹ a footnote at the page foot\n\n3 Robbery\t1\t1\nTotal\t14\t14\n"
    )
    doc = parse_text(text, "t.txt")
    tables = [b.table for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert [r[0].text for r in tables[0].rows] == ["Current period", "1 Violence", "2 Sexual", "3 Robbery", "Total"]


def test_a_new_header_after_a_gap_starts_a_new_table():
    text = "Current period\tA\tTOTAL\nX\t1\t1\nTotal\t1\t1\n\nCurrent period\tB\tTOTAL\nX\t2\t2\n"
    doc = parse_text(text, "t.txt")
    assert kinds(doc) == ["table", "table"]


def test_row_split_by_a_page_break_is_merged():
    text = (
        "Aims\tActivity\tLead\nReduce the opportunity for those\t<p>Identify risk</p>\tYOT\n\n"
        "¹ footnote\n\nor becoming victims of crime\t<p>Early intervention</p>\tMASH\n"
    )
    table = parse_text(text, "t.txt").blocks[0].table
    assert len(table.rows) == 2
    assert table.rows[1][0].text == "Reduce the opportunity for those or becoming victims of crime"
    assert table.rows[1][2].text == "YOT MASH"


def test_dash_rule_rows_are_dropped():
    table = parse_text("A\tB\n---\t---\nx\t1\n", "t.txt").blocks[0].table
    assert [r[0].text for r in table.rows] == ["A", "x"]


def test_header_rows_counted_up_to_the_first_data_row():
    text = "Rate\t2021\t2021\tTOTAL\n\tApr\tMay\t\nFAT\t5\t8\t13\n"
    assert parse_text(text, "t.txt").blocks[0].table.header_rows == 2


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x00\x01\x02binary\xff\xfe", "binary data"),
        (b"\xff\xfe\xfa not utf8 \xc3\x28", "not UTF-8"),
    ],
)
def test_unreadable_renditions(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason) as info:
        read_text(path, "text/bad.txt")
    assert "bad.txt" in str(info.value) and "\n" not in str(info.value)
