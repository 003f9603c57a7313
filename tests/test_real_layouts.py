"""Layouts of real published PDFs (issue 25), each regenerated small in tmp_path with reportlab:
figures carrying significance marks, labels printed left of a lightly ruled grid, shaded rows whose
rulings stop, a frame whose rows are not ruled, dot leaders, section headings inside a table and
bold group rows over plain ones."""

from __future__ import annotations

from pathlib import Path

from extract.interpret.tables import interpret_table, table_facts
from extract.model import Document
from extract.readers.pdf import read_pdf
from extract.vocab.values import read_cell

from .pdf_fixtures import LEFT, Writer


def tables(doc: Document):
    return [(i, b.table) for i, b in enumerate(doc.blocks) if b.kind == "table" and b.table is not None]


def texts(table):
    return [[c.text for c in row] for row in table.rows]


def facts_of(doc: Document, bi: int):
    return table_facts(interpret_table(doc, bi, 0, None, None))


def test_a_figure_keeps_its_value_beside_significance_marks():
    assert read_cell("55.4 *").values[0].value == 55.4
    assert read_cell("**12,760").values[0].value == 12760
    assert read_cell("*–0.3").values[0].value == -0.3
    assert read_cell("55.4 *").values[0].raw == "55.4 *"
    assert read_cell("*").status == "no_value"
    assert read_cell("**").status == "text"


def _labels_left_of_grid(path: Path) -> Path:
    """Column rulings drawn only over the figures; the row labels stand left of them, unruled."""
    w = Writer(path)
    w.text("Table 9: Answers by group", size=10)
    c = w.c
    xs = [LEFT + 150, LEFT + 220, LEFT + 290]
    top = w.y + 9
    rows = [("", "Group A", "Group B"), ("Keeps us safe", "82%", "43%"), ("Answers calls", "88%", "29%")]
    ys = [top - 18 * k for k in range(len(rows) + 1)]
    c.grid([LEFT, *xs], ys[:2])  # the header band spans the label column too
    c.grid(xs, ys[1:])
    for k, (label, a, b) in enumerate(rows):
        y = ys[k] - 13
        c.setFont("Helvetica", 9)
        c.drawString(LEFT + 3, y, label)
        c.drawString(xs[0] + 3, y, a)
        c.drawString(xs[1] + 3, y, b)
    w.y = ys[-1] - 30
    w.text("The answers vary by group.")
    w.save()
    return path


def test_row_labels_printed_left_of_a_lightly_ruled_grid_are_their_rows_labels(tmp_path):
    doc = read_pdf(_labels_left_of_grid(tmp_path / "left.pdf"), "left.pdf")
    (bi, table), *_ = tables(doc)
    rows = texts(table)
    assert ["Keeps us safe", "82%", "43%"] in rows
    assert ["Answers calls", "88%", "29%"] in rows
    facts = {(f.row_label, f.column_label): f.value for f in facts_of(doc, bi)}
    assert facts[("Keeps us safe", "Group A")] == 82


def _shaded_rows(path: Path) -> Path:
    """Every other row drawn as one band without its column rulings (zebra shading)."""
    w = Writer(path)
    c = w.c
    xs = [LEFT, LEFT + 160, LEFT + 220, LEFT + 280]
    rows = [("Totals", "FY 1", "FY 2"), ("Cases opened", "426", "365"), ("Cases closed", "290", "259")]
    rows += [("Sentenced", "148", "107")]
    top = w.y + 9
    ys = [top - 20 * k for k in range(len(rows) + 1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for k in range(len(rows)):
        cuts = [xs[0], xs[-1]] if k == 2 else xs  # row 3: a band, no column rulings
        for x in cuts:
            c.line(x, ys[k], x, ys[k + 1])
    for k, row in enumerate(rows):
        for x, text in zip(xs, row):
            c.setFont("Helvetica", 9)
            c.drawString(x + 3, ys[k] - 14, text)
    w.y = ys[-1] - 30
    w.save()
    return path


def test_a_shaded_row_without_its_rulings_is_split_at_the_columns(tmp_path):
    doc = read_pdf(_shaded_rows(tmp_path / "zebra.pdf"), "zebra.pdf")
    (_, table), *_ = tables(doc)
    assert texts(table)[2] == ["Cases closed", "290", "259"]
    assert texts(table)[3] == ["Sentenced", "148", "107"]


def _unruled_rows_in_a_frame(path: Path) -> Path:
    """Columns ruled, rows not: each column one tall cell; labels with dot leaders, a bold group
    row over plain ones, en-dash minus and significance marks."""
    w = Writer(path)
    w.text("Table 4. People by group", size=10)
    c = w.c
    rows = [
        ("Aged 16 to 64 . . . . .", "1,200", "100.0", "**120", True),
        ("With a car . . . . . .", "300", "25.0", "*–15", False),
        ("Without a car . . . .", "900", "75.0", "–237", False),
        ("Aged 65 and older . . .", "400", "100.0", "*40", True),
        ("With a car . . . . . .", "100", "25.0", "–5", False),
    ]
    xs = [LEFT + 130, LEFT + 190, LEFT + 250, LEFT + 310]
    head = w.y + 9
    c.grid(xs, [head, head - 18])
    for x, text in zip(xs, ("Number", "Percent", "Change")):
        c.setFont("Helvetica", 8)
        c.drawString(x + 3, head - 13, text)
    top = head - 18
    bottom = top - 12 * len(rows) - 8
    for x in xs:
        c.line(x, top, x, bottom)
    c.line(xs[0], bottom, xs[-1], bottom)
    for k, (label, n, p, d, bold) in enumerate(rows):
        y = top - 9 - 12 * k
        font = "Helvetica-Bold" if bold else "Helvetica"
        c.setFont(font, 8)
        c.drawString(LEFT, y, label)
        c.drawRightString(xs[1] - 4, y, n)
        c.drawRightString(xs[2] - 4, y, p)
        c.drawRightString(xs[3] - 4, y, d)
    w.y = bottom - 30
    w.save()
    return path


def test_a_frame_whose_rows_are_not_ruled_is_read_line_by_line(tmp_path):
    doc = read_pdf(_unruled_rows_in_a_frame(tmp_path / "frame.pdf"), "frame.pdf")
    (bi, table), *_ = tables(doc)
    assert table.method == "aligned-text"
    rows = texts(table)
    assert ["Without a car", "900", "75.0", "–237"] in rows  # dot leaders are not the label
    facts = facts_of(doc, bi)
    by = {(f.row_label, f.column_label, f.category): f.value for f in facts}
    assert by[("Without a car", "Change", "Aged 16 to 64: Without a car")] == -237
    assert by[("With a car", "Change", "Aged 65 and older: With a car")] == -5
    assert by[("Aged 16 to 64", "Change", "Aged 16 to 64")] == 120  # the group's own row stands alone


def _sections(path: Path) -> Path:
    """An unruled table whose rows fall under section headings printed alone on their lines, and a
    row label wrapped onto a line of its own above its figures."""
    w = Writer(path)
    w.text("Table 2. Deaths by group", size=10)
    rows = [
        ("Characteristic", "Deaths", "Rate"),
        ("Sex", "", ""),
        ("Female", "200", "103.1"),
        ("Male", "224", "176.5"),
        ("Age group", "", ""),
        ("Under 45", "20", "4.1"),
        ("Aged 45 and over, resident", "", ""),
        ("", "404", "88.0"),
        ("total", "424", "135.0"),
    ]
    c = w.c
    for label, a, b in rows:
        bold = label in ("Sex", "Age group", "total")
        c.setFont("Helvetica-Bold" if bold else "Helvetica", 8)
        c.drawString(LEFT, w.y, label)
        c.setFont("Helvetica", 8)
        c.drawRightString(LEFT + 230, w.y, a)
        c.drawRightString(LEFT + 290, w.y, b)
        w.y -= 10
    w.y -= 20
    w.text("Rates are per 100,000 people.")
    w.save()
    return path


def test_section_headings_inside_a_table_head_its_rows(tmp_path):
    doc = read_pdf(_sections(tmp_path / "sections.pdf"), "sections.pdf")
    (bi, table), *_ = tables(doc)
    rows = texts(table)
    assert ["Sex", "", ""] in rows and ["Age group", "", ""] in rows
    assert ["Aged 45 and over, resident", "404", "88.0"] in rows  # a wrapped label joins its figures
    by = {(f.category, f.column_label): f.value for f in facts_of(doc, bi)}
    assert by[("Sex: Male", "Rate")] == 176.5
    assert by[("Age group: Under 45", "Deaths")] == 20
    assert by[("total", "Deaths")] == 424  # a total stands under no section


def _two_columns(path: Path) -> Path:
    """A page in two columns: a tightly set table with a grouped header in the left column, prose
    in the right one whose lines fall between and beside the table's rows."""
    w = Writer(path, header="")
    c = w.c
    c.setFont("Helvetica", 8)
    c.drawString(LEFT, w.y, "Table 6. Offences and rates by")
    c.drawString(LEFT, w.y - 10, "area and type of offence, 2024")
    w.y -= 26
    top = w.y
    c.setFont("Helvetica", 7)
    c.drawCentredString(LEFT + 110, top, "Burglary")
    c.drawCentredString(LEFT + 200, top, "Robbery")
    heads = [("Area", LEFT, "l"), ("no.", LEFT + 100, "r"), ("Rate", LEFT + 130, "r")]
    heads += [("no.", LEFT + 190, "r"), ("Rate", LEFT + 220, "r")]
    rows = [("Northgate", "1,144", "193.5", "221", "37.6"), ("Southfield", "39,385", "181.2", "6,398", "29.7")]
    rows += [("Eastwood", "6,930", "177.4", "2,085", "53.3"), ("Westmead", "10,602", "167.8", "3,407", "54.6")]
    y = top - 9
    for text, x, how in heads:
        (c.drawString if how == "l" else c.drawRightString)(x, y, text)
    for label, *figures in rows:
        y -= 9
        c.drawString(LEFT, y, label)
        for x, text in zip((LEFT + 100, LEFT + 130, LEFT + 190, LEFT + 220), figures):
            c.drawRightString(x, y, text)
    prose = [
        "Rates for the major causes fell in every",
        "area over the decade, and the fall was",
        "largest in the areas with the highest",
        "rates at the start of the period, where",
        "the partnership first put its patrols in",
        "place and kept them through the year.",
    ]
    c.setFont("Helvetica", 8)
    for k, text in enumerate(prose):
        c.drawString(LEFT + 270, top - 4 - 10.5 * k, text)
    w.save()
    return path


def test_a_page_in_columns_is_read_column_by_column(tmp_path):
    doc = read_pdf(_two_columns(tmp_path / "columns.pdf"), "columns.pdf")
    (bi, table), *_ = tables(doc)
    rows = texts(table)
    assert rows[0] == ["Area", "Burglary | no.", "Burglary | Rate", "Robbery | no.", "Robbery | Rate"]
    assert ["Southfield", "39,385", "181.2", "6,398", "29.7"] in rows  # figures a few points apart
    prose = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "Rates for the major causes fell in every area over the decade" in prose
    facts = {(f.row_label, f.column_label): f.value for f in facts_of(doc, bi)}
    assert facts[("Westmead", "Robbery | Rate")] == 54.6


def _titled(path: Path) -> Path:
    """A section heading over two pages of prose, then a titled, lightly ruled table whose row
    labels alone do not say what they count ("Cases Charged" under "District Totals")."""
    w = Writer(path, header="")
    w.text("Court Prosecutions", size=14, font="Helvetica-Bold")
    w.text("In the year the courts heard more cases than in any year before, and sentenced most.")
    w.text("Table 4: Offenders dealt with by the magistrates, 2027 to 2029", size=9)
    w.ruled_table(
        [
            ["District Totals", "FY 2027", "FY 2028", "FY 2029"],
            ["Cases Charged", "217", "197", "173"],
            ["No Prison Term", "148", "107", "126"],
        ],
        [160, 60, 60, 60],
    )
    w.text("The figures were supplied by the court service.")
    w.save()
    return path


def test_a_tables_figures_quote_the_lines_that_name_it(tmp_path):
    doc = read_pdf(_titled(tmp_path / "titled.pdf"), "titled.pdf")
    (bi, _), *_ = tables(doc)
    by = {(f.row_label, f.column_label): f for f in facts_of(doc, bi)}
    quote = by[("Cases Charged", "FY 2028")].quote
    # the row as printed first, then its column, the table's title, the header over its row labels
    # and the heading it stands under, each as printed and once
    assert quote == (
        "Cases Charged | 217 | 197 | 173 — FY 2028 — Table 4: Offenders dealt with by the magistrates, "
        "2027 to 2029 — District Totals — Court Prosecutions"
    )
    assert by[("No Prison Term", "FY 2029")].quote.startswith("No Prison Term | 148 | 107 | 126 — FY 2029 — ")
    # a paragraph directly above a table is no title: only a line that opens as a caption is
    assert "courts heard" not in quote


COLUMN_PROSE = [
    [
        "The partnership recorded 412 burglaries",
        "in the year, fewer than the year before,",
        "and most of them were in the town centre",
        "where the patrols were first put in place.",
    ],
    [
        "Officers made 96 arrests for theft from",
        "shops, the most since the scheme began,",
        "and the courts dealt with nearly all of",
        "them before the end of the summer term.",
    ],
    [
        "Volunteers gave 1,250 hours to the safe",
        "space at weekends, welcoming visitors in",
        "the evenings and at night until the last",
        "buses had left the station for the towns.",
    ],
]


def _columns_over_a_wide_table(path: Path) -> Path:
    """Three columns of prose over a ruled table running across the page, then a note across the
    page under it: no blank parts the columns top to bottom of the page, only above the table."""
    w = Writer(path, header="")
    c = w.c
    c.setFont("Helvetica", 8)
    top = w.y
    for k, column in enumerate(COLUMN_PROSE):
        for n, text in enumerate(column):
            c.drawString(LEFT + 160 * k, top - 11 * n, text)
    w.y = top - 11 * len(COLUMN_PROSE[0]) - 30
    w.ruled_table(
        [["Offence", "2029", "2030"], ["Burglary", "455", "412"], ["Shop theft", "80", "96"]], [250, 100, 100]
    )
    c.setFont("Helvetica", 8)
    c.drawString(
        LEFT, w.y, "Note: figures for 2029 were revised in the spring, after the courts had reported on all of them."
    )
    w.save()
    return path


def test_columns_above_a_table_running_across_the_page_are_read_column_by_column(tmp_path):
    doc = read_pdf(_columns_over_a_wide_table(tmp_path / "bands.pdf"), "bands.pdf")
    kinds = [b.kind for b in doc.blocks]
    before = " ".join(b.text for b in doc.blocks[: kinds.index("table")])
    # the columns' lines in reading order, column after column, never interleaved, before the table
    assert before == " ".join(" ".join(column) for column in COLUMN_PROSE)
    (bi, table), *_ = tables(doc)
    assert ["Shop theft", "80", "96"] in texts(table)
    assert any(b.text.startswith("Note: figures for 2029") for b in doc.blocks)


def _bold_bullets(path: Path) -> Path:
    """Sub-bullets printed in the bold of the body size, one wrapped over lines of its own (one line
    cut after "more than", the next opening on its figure), one a sentence on a line, under a bold
    heading."""
    w = Writer(path, header="")
    w.text("Law Enforcement", size=11, font="Helvetica-Bold")
    w.text("In the year the team opened 1,212 investigations and made 574 arrests across the district.")
    for line in [
        "In the year, investigations into shop theft increased by more than",
        "17 percent in comparison to the year before and 66 percent on two years",
        "before, and arrests increased by more than 57 percent in comparison to",
        "the year before.",
    ]:
        w.text(line, font="Helvetica-Bold", gap=1)
    w.y -= 12  # a paragraph of its own
    w.text("In the year the number of leads increased by 429 percent.", font="Helvetica-Bold")
    w.save()
    return path


def test_bold_running_text_is_prose_not_headings(tmp_path):
    doc = read_pdf(_bold_bullets(tmp_path / "bold.pdf"), "bold.pdf")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["Law Enforcement"]  # a short bold line still heads what follows
    prose = [b.text for b in doc.blocks if b.kind != "heading"]
    assert any("increased by more than 17 percent in comparison" in t and "57 percent" in t for t in prose)
    assert "In the year the number of leads increased by 429 percent." in prose  # a bold sentence


def _split_digits(path: Path) -> Path:
    """A ruled and an unruled table whose text layer splits numbers at their thousands commas
    ("2 ,536", "7, 197"), beside a cell that lists two small figures ("3, 4")."""
    w = Writer(path, header="")
    w.text("Recorded crime by year", font="Helvetica-Bold")
    w.ruled_table(
        [["Offence", "2029", "2030"], ["Burglary", "2 ,536", "7, 197"], ["Robbery", "1,204", "3, 4"]], [200, 70, 70]
    )
    w.text("Arrests by year", font="Helvetica-Bold")
    w.aligned_table([["Offence", "2029", "2030"], ["Theft", "12, 345", "-1 ,234"], ["Fraud", "410", "388"]], [330, 420])
    w.save()
    return path


def test_numbers_split_at_their_thousands_commas_are_one_figure(tmp_path):
    doc = read_pdf(_split_digits(tmp_path / "split.pdf"), "split.pdf")
    (ruled_at, ruled), (aligned_at, aligned) = tables(doc)
    assert ["Burglary", "2,536", "7,197"] in texts(ruled)
    assert ["Robbery", "1,204", "3, 4"] in texts(ruled)  # not groups of three: left as printed
    by = {(f.row_label, f.column_label): f.value for f in facts_of(doc, ruled_at)}
    assert by[("Burglary", "2029")] == 2536 and by[("Burglary", "2030")] == 7197
    assert ["Theft", "12,345", "-1,234"] in texts(aligned)


def _continued_with_other_rulings(path: Path) -> Path:
    """A ruled table at the foot of page 1 going on at the top of page 2 without its header, its
    rulings there parting one more (empty) column: the figures stand under page 1's columns."""
    w = Writer(path, header="")
    w.text("Crimes by year", font="Helvetica-Bold")
    w.y = 170
    w.ruled_table([["Offence", "2029", "2030"], ["Arson", "2", "4"], ["Burglary", "412", "455"]], [200, 70, 70])
    w.new_page()
    w.ruled_table([["Robbery", "31", "", "29"], ["Grand Total", "445", "", "488"]], [200, 70, 30, 40])
    w.text("The figures are those recorded by the police.")
    w.save()
    return path


def test_a_table_going_on_over_the_page_under_other_rulings_keeps_its_columns(tmp_path):
    doc = read_pdf(_continued_with_other_rulings(tmp_path / "continued.pdf"), "continued.pdf")
    (bi, table), *others = tables(doc)
    assert others == []  # one table, not two
    assert texts(table)[-2:] == [["Robbery", "31", "29"], ["Grand Total", "445", "488"]]
    by = {(f.row_label, f.column_label): f for f in facts_of(doc, bi)}
    assert (by[("Robbery", "2030")].value, by[("Robbery", "2030")].page) == (29, 2)  # its own page
    assert (by[("Arson", "2030")].value, by[("Arson", "2030")].page) == (4, 1)
    assert by[("Grand Total", "2029")].value == 445
