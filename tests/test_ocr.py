"""Scanned (image-only) PDFs read by OCR (extract/readers/ocr.py): a table typeset here, rendered
to an image and wrapped into a PDF without a text layer, is read with its figures and pages, each
table marked as OCR'd; without an engine a scan is refused in one line saying what to install."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from extract.errors import ReadError
from extract.readers import ocr
from extract.readers.ocr import words_from_lines
from extract.readers.pdf import read_pdf
from extract.readers.pdf_tables import Line

from .pdf_fixtures import Writer

WARDS = [
    ["Ward", "2019", "2020", "2021", "2022", "2023"],
    ["Northgate", "1,204", "1,168", "1,032", "987", "1,311"],
    ["Southfield", "866", "849", "902", "875", "843"],
    ["Eastbrook", "412", "398", "377", "405", "421"],
    ["Westmead", "2,510", "2,471", "2,388", "2,402", "2,555"],
    ["Riverside", "73", "81", "66", "59", "70"],
    ["Hillcrest", "1,940", "1,873", "1,902", "1,855", "1,899"],
]


def _scan(tmp_path: Path, typeset: Path | None = None, tilt: float = 0.0) -> Path:
    """A page typeset here (by default a small table) as a scan: rendered at 144 dpi, tilted by
    ``tilt`` degrees, wrapped into a PDF without a text layer."""
    pdfium = pytest.importorskip("pypdfium2")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    if typeset is None:
        typeset = tmp_path / "typeset.pdf"
        w = Writer(typeset, header="")
        w.text("Crimes recorded by ward", size=14, font="Helvetica-Bold")
        w.aligned_table(
            [["Ward", "2022", "2023"], ["Northgate", "1,204", "1,168"], ["Southfield", "866", "849"]],
            [300, 380],
            font_size=11,
        )
        w.save()
    pdf = pdfium.PdfDocument(str(typeset))
    image = pdf[0].render(scale=2).to_pil().convert("L")
    pdf.close()
    if tilt:
        image = image.rotate(tilt, expand=False, fillcolor=255)
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=(image.width / 2, image.height / 2))
    c.drawImage(ImageReader(image), 0, 0, image.width / 2, image.height / 2)
    c.save()
    return scan


def test_a_scanned_table_is_read_with_its_figures_and_page(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    doc = read_pdf(_scan(tmp_path), "scan.pdf")
    assert doc.reader == "pdf+ocr"
    (table,) = [b.table for b in doc.blocks if b.kind == "table"]
    assert table.method.endswith("+ocr")
    assert table.report is not None and table.report.accuracy is not None and table.report.accuracy > 80
    rows = [[c.text for c in row] for row in table.rows]
    assert ["Northgate", "1,204", "1,168"] in rows
    assert ["Southfield", "866", "849"] in rows
    assert all(c.page == 1 and c.bbox is not None for row in table.rows for c in row if c.text)


def test_without_an_engine_a_scan_is_refused_in_one_line(tmp_path, monkeypatch):
    scan = _scan(tmp_path)
    monkeypatch.setattr("extract.readers.pdf.ocr_missing", lambda: "it needs OCR (pip install rapidocr-onnxruntime)")
    with pytest.raises(ReadError) as err:
        read_pdf(scan, "scan.pdf")
    assert "pip install rapidocr-onnxruntime" in str(err.value) and "\n" not in str(err.value)


def test_ocr_lines_become_words_with_boxes_in_points_and_confidence():
    words = words_from_lines([([[100, 40], [300, 40], [300, 60], [100, 60]], "Theft 1,204", 0.9)], 3)
    assert [w.text for w in words] == ["Theft", "1,204"]
    assert words[0].x0 == 50 and words[1].x1 == 150  # a line's box shared by its characters
    assert words[0].top == 21 and words[0].bottom == 29 and words[0].size == 8  # the em in the middle of the box
    assert all(w.page == 3 and w.confidence == 0.9 for w in words)
    assert words_from_lines([([[0, 0], [1, 0], [1, 1], [0, 1]], "x", 0.1)], 1) == []  # below the floor
    assert ocr.ocr_missing() is None or "pip install" in ocr.ocr_missing()


def _tilted_report(tmp_path: Path) -> Path:
    """A page of prose with figures and a wide unruled table of figures, typeset at 9 pt."""
    typeset = tmp_path / "report.pdf"
    w = Writer(typeset, header="")
    w.text("Crime in the district", size=14, font="Helvetica-Bold")
    w.text("Recorded crime rose by 12% to 4,397 offences, and 87 more were reported online.", size=10)
    w.text("Officers visited 154 premises and issued 19 warnings during the year.", size=10, gap=14)
    w.aligned_table(WARDS, [250, 320, 390, 460, 530], font_size=9)
    w.save()
    return typeset


def test_a_tilted_scan_keeps_its_rows_and_prose_figures(tmp_path):
    """A page scanned 0.6° off square drifts five points across a row of figures, half a line: the
    page is turned level before its lines are formed, so every row keeps all its cells."""
    if ocr.ocr_engine() is None:
        pytest.skip("no OCR engine installed")
    doc = read_pdf(_scan(tmp_path, _tilted_report(tmp_path), tilt=0.6), "scan.pdf")
    tables = [b.table for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.text for c in row] for row in tables[0].rows]
    found = sum(row in rows for row in WARDS[1:])
    assert found >= len(WARDS) - 2, rows  # an engine may misread a figure; the rows stay whole
    prose = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    for figure in ("12%", "4,397", "87", "154", "19"):
        assert figure in prose.split() or f"{figure}," in prose, prose


def _tesseract_line(words, slope=0.0, left=100, top=200, line=1, gap=12):
    """image_to_data's columns for one line of (text, width, ink height, drop below the line's top)."""
    data: dict = {k: [] for k in ("text", "left", "top", "width", "height", "conf", "block_num", "par_num", "line_num")}
    x = left
    for text, width, height, drop in words:
        data["text"].append(text)
        data["left"].append(x)
        data["top"].append(top + drop + slope * (x - left))
        data["width"].append(width)
        data["height"].append(height)
        data["conf"].append(90)
        data["block_num"].append(1)
        data["par_num"].append(1)
        data["line_num"].append(line)
        x += width + gap
    return data


def test_words_of_a_line_share_its_size_and_baseline_whatever_their_letters():
    """Ink boxes differ with the letters (x-height "were", ascenders "Theft", descenders "going"):
    every word of a line gets the line's font size and baseline, as a text layer gives them."""
    # at 2 px a point: a 10 pt line has capitals 14.4 px high, x-height 10.4 px, descenders 4.2 px
    words = [("Theft", 50, 14.4, 0), ("were", 40, 10.4, 4), ("going", 50, 14.6, 4), ("1,204", 50, 16.5, 0)]
    out = ocr.words_from_boxes(_tesseract_line(words), 1)
    assert [w.text for w in out] == ["Theft", "were", "going", "1,204"]
    assert {w.size for w in out} == {out[0].size} and 9.5 <= out[0].size <= 10.5
    assert len({w.bottom for w in out}) == 1 and len({w.top for w in out}) == 1


def test_a_raised_small_figure_stays_a_footnote_marker():
    words = [("Theft", 50, 14.4, 0), ("877", 30, 14.4, 0), ("2", 6, 8, -5), ("offences", 70, 14.4, 0)]
    out = ocr.words_from_boxes(_tesseract_line(words), 1)
    marker = next(w for w in out if w.text == "2")
    assert marker.size < 0.8 * out[0].size and marker.bottom < out[0].bottom
    line = Line.group(out, out[0].size)[0]
    assert line.markers == ["2"] and line.text == "Theft 877 offences"


def test_a_tilted_page_is_turned_level():
    words = [(t, 60, 14.4, 0) for t in ("Northgate", "1,204", "1,168", "1,032", "987", "1,311")]
    lines = _tesseract_line(words, slope=0.0105)  # 0.6°: 4 px of drift over the line
    below = _tesseract_line(words, slope=0.0105, top=222, line=2)
    data = {k: lines[k] + below[k] for k in lines}
    out = ocr.words_from_boxes(data, 1)
    assert len({w.bottom for w in out[:6]}) == 1 and len({w.bottom for w in out[6:]}) == 1
    assert [len(ln.words) for ln in Line.group(out, out[0].size)] == [6, 6]
    assert ocr._tilt([(0.0105, 400)], ocr.OCR) == pytest.approx(0.0105, abs=1e-4)
    assert ocr._tilt([(0.2, 400)], ocr.OCR) == 0  # 11°: a page turned on purpose is left as it is


def test_a_rule_or_the_scanner_s_edge_read_as_a_bar_is_not_a_word():
    row = [("Northgate", 80, 14.4, 0), ("1,204", 50, 14.4, 0), ("|", 3, 40, -10), ("||", 5, 40, -10)]
    assert [w.text for w in ocr.words_from_boxes(_tesseract_line(row), 1)] == ["Northgate", "1,204"]


def test_specks_glued_to_figures_are_not_read_as_marks():
    words = [("responded", 70, 14.4, 0), ("to'154", 40, 14.4, 0), ("requests", 60, 14.4, 0)]
    assert [w.text for w in ocr.words_from_boxes(_tesseract_line(words), 1)] == ["responded", "to", "154", "requests"]
    row = [("Theft", 50, 14.4, 0), ("563.", 30, 14.4, 0), ("382", 30, 14.4, 0), ("1,629.", 40, 14.4, 0)]
    assert [w.text for w in ocr.words_from_boxes(_tesseract_line(row), 1)] == ["Theft", "563", "382", "1,629"]
    sentence = [("rose", 40, 14.4, 0), ("to", 20, 14.4, 0), ("563.", 30, 14.4, 0), ("Of", 20, 14.4, 0)]
    assert [w.text for w in ocr.words_from_boxes(_tesseract_line(sentence), 1)][2] == "563."
    assert [w.text for w in ocr.words_from_boxes(_tesseract_line(row[:1] + [("10.11", 40, 14.4, 0)]), 1)] == [
        "Theft",
        "10.11",
    ]


def test_two_rows_read_as_one_line_are_parted_and_a_box_grown_over_both_does_not_set_the_size():
    """Rows set solid (a 9 pt table at 9 pt pitch) may reach the engine as one line, and a figure
    may be boxed together with the one below it: the line is parted at its two baselines, and the
    tall box neither sizes a line nor parts it."""
    upper = [("Robbery", 60, 18.6, 0), ("0", 10, 14.4, 0), ("1", 10, 14.4, 0), ("3", 10, 14.4, 0)]
    lower = [("Theft", 50, 14.4, 18), ("94", 20, 32.4, 18), ("141", 30, 14.4, 18), ("563", 30, 14.4, 18)]
    data = _tesseract_line(upper + lower)
    out = ocr.words_from_boxes(data, 1)
    lines = Line.group(out, 9)
    assert [ln.text for ln in lines] == ["Robbery 0 1 3", "Theft 94 141 563"]
    assert all(abs(w.size - 10) < 0.6 for w in out)


def test_line_sizes_close_to_the_page_s_are_its_size_and_a_heading_keeps_its_own():
    rows = [
        _tesseract_line([("Ward", 40, 14.4 * k, 0), ("Northwood", 80, 14.4 * k, 0)], top=200 + 30 * n, line=n)
        for n, k in enumerate((1.0, 0.9, 1.1, 1.0))
    ]
    heading = _tesseract_line([("Crime", 60, 21.6, 0), ("Review", 60, 21.6, 0)], top=100, line=9)
    data = {key: sum((r[key] for r in rows + [heading]), []) for key in heading}
    sizes = {w.text + str(w.top): w.size for w in ocr.words_from_boxes(data, 1)}
    assert len({v for v in sizes.values() if v < 12}) == 1 and max(sizes.values()) == pytest.approx(15, abs=0.5)


def test_a_figure_the_engine_misread_as_marks_is_read_again_as_a_figure():
    """A lone 0 in a column of figures read as "C)": read again (all such boxes of a page at once)
    with only the characters of figures allowed; a word of letters, a figure, a small mark and a
    token beside other words are not read again."""
    row = [("Robbery", 60, 14.4, 0), ("C)", 10, 14.4, 0), ("14", 20, 14.4, 0), ("°", 6, 5, 0), ("12", 20, 14.4, 0)]
    data = _tesseract_line(row, gap=40)  # cells of a table stand well apart
    data["conf"][1] = data["conf"][3] = 0
    asked: list = []

    def reread(boxes):
        asked.extend(boxes)
        return [("0", 0.8)] * len(boxes)

    out = ocr.words_from_boxes(data, 1, reread=reread)
    assert [w.text for w in out] == ["Robbery", "0", "14", "12"]
    assert len(asked) == 1 and asked[0][0] == data["left"][1]
    out = ocr.words_from_boxes(data, 1, reread=lambda boxes: [("", 0.0)] * len(boxes))
    assert [w.text for w in out] == ["Robbery", "14", "12"]  # not read again as a figure: dropped (no confidence)
    inks = [  # in running text, a word space from its neighbours
        ocr.Ink(t, x, 200, x + w, 214.4, 0.0 if t == "C)" else 0.9, 1)
        for t, x, w in (("see", 100, 30), ("C)", 134, 10), ("below", 148, 40))
    ]
    assert ocr._doubtful(inks, ocr.OCR) == []


def test_the_strip_of_boxes_read_again_gives_each_box_its_figure(tmp_path):
    """Boxes cut from a page image, each reads back as the figure drawn in it (tesseract)."""
    if ocr.ocr_engine() != "tesseract":
        pytest.skip("tesseract not installed")
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    boxes = []
    for text, x in (("0", 50), ("17", 250), ("402", 450)):
        draw.text((x, 80), text, fill=0, font=font)
        boxes.append(draw.textbbox((x, 80), text, font=font))
    readings = ocr._reread(image, [tuple(float(v) for v in b) for b in boxes], ocr.OCR)
    assert [text for text, _ in readings] == ["0", "17", "402"]


def test_a_row_boxed_with_a_rule_is_sized_by_its_width_not_read_as_a_heading():
    """Every word of a total row boxed together with the rule under it (twice as tall as its
    figures): the line's size comes from its characters' widths, so it stays a row of body text."""
    rows = [
        _tesseract_line([("Theft", 50, 14.4, 0), ("141", 30, 14.4, 0), ("186", 30, 14.4, 0)], top=top, line=n, gap=60)
        for n, top in enumerate((100, 120, 140))
    ]
    total = _tesseract_line([("Total", 50, 31, 0), ("269", 30, 31, 0), ("250", 30, 31, 0)], top=160, line=9, gap=60)
    data = {key: sum((r[key] for r in rows + [total]), []) for key in total}
    sizes = {w.text: w.size for w in ocr.words_from_boxes(data, 1)}
    assert sizes["269"] < 1.15 * sizes["Theft"]


def test_words_an_engine_ran_together_are_parted_but_codes_stay_whole():
    line = "Theteamrespondedto154requestsin the last6months from 1stApril on the A31 (4aBurglary, 2.5m) by12%to"
    words = words_from_lines([([[0, 0], [1800, 0], [1800, 24], [0, 24]], line, 0.95)], 1)
    assert [w.text for w in words] == [
        "Theteamrespondedto", "154", "requestsin", "the", "last", "6", "months", "from", "1st", "April",
        "on", "the", "A31", "(4a", "Burglary,", "2.5m)", "by", "12%", "to",
    ]  # fmt: skip
    assert words[1].x0 > words[0].x1 - 1 and words[1].x1 < words[2].x0 + 1  # boxes shared by characters


def _ruled_report(tmp_path: Path) -> Path:
    typeset = tmp_path / "ruled.pdf"
    w = Writer(typeset, header="")
    w.text("Crimes recorded by ward", size=14, font="Helvetica-Bold")
    w.ruled_table(WARDS, [110, 70, 70, 70, 70, 70], row_height=18, font_size=9)
    w.save()
    return typeset


def test_the_rulings_of_a_tilted_scan_are_found_in_its_image():
    """A grid drawn on a page image tilted 0.6°: with the tilt its words give, the rulings come out
    level, one per line drawn, in points, and specks breaking a line do not part it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 140, 180, 220):
        draw.line((100, y, 900, y), fill=0, width=2)
    for x in (100, 400, 900):
        draw.line((x, 100, x, 220), fill=0, width=2)
    for x in range(130, 900, 97):  # specks of white across the rules
        draw.point([(x, y) for y in (100, 101, 140, 141)], fill=255)
    angle = math.radians(0.6)
    tilted = image.rotate(-0.6, center=(0, 0), fillcolor=255)  # as a scanner tilts it: down to the right
    rulings = ocr.find_rulings(tilted, angle, ocr.OCR)
    across = sorted((r["top"], r["x0"], r["x1"]) for r in rulings if r["top"] == r["bottom"])
    down = sorted((r["x0"], r["top"], r["bottom"]) for r in rulings if r["top"] != r["bottom"])
    assert [round(t) for t, _, _ in across] == [50, 70, 90, 110]
    assert all(abs(x0 - 50) < 2 and abs(x1 - 450) < 2 for _, x0, x1 in across)
    assert [round(x) for x, _, _ in down] == [50, 200, 450]


def test_a_ruled_table_on_a_tilted_scan_is_read_by_its_rulings(tmp_path):
    if ocr.ocr_engine() is None:
        pytest.skip("no OCR engine installed")
    doc = read_pdf(_scan(tmp_path, _ruled_report(tmp_path), tilt=0.6), "scan.pdf")
    (table,) = [b.table for b in doc.blocks if b.kind == "table"]
    assert table.method == "pdfplumber-lines+ocr"
    rows = [[c.text for c in row] for row in table.rows]
    assert sum(row in rows for row in WARDS) >= len(WARDS) - 2, rows
