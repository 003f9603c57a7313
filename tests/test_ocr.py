"""Scanned (image-only) PDFs read by OCR (extract/readers/ocr.py): a table typeset here, rendered
to an image and wrapped into a PDF without a text layer, is read with its figures and pages, each
table marked as OCR'd; without an engine a scan is refused in one line saying what to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import ReadError
from extract.readers import ocr
from extract.readers.ocr import words_from_lines
from extract.readers.pdf import read_pdf

from .pdf_fixtures import Writer


def _scan(tmp_path: Path) -> Path:
    pdfium = pytest.importorskip("pypdfium2")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

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
    assert words[0].x0 == 50 and words[1].x1 == 150 and words[0].top == 20 and words[0].bottom == 30
    assert all(w.page == 3 and w.confidence == 0.9 for w in words)
    assert words_from_lines([([[0, 0], [1, 0], [1, 1], [0, 1]], "x", 0.1)], 1) == []  # below the floor
    assert ocr.ocr_missing() is None or "pip install" in ocr.ocr_missing()
