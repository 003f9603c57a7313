"""Pages without a text layer (scans) read by OCR: the page rendered to an image (pypdfium2) and
recognised, its words given boxes in PDF points as pdfplumber gives them, so the rest of the PDF
reader reads a scan like any page. Every word keeps the engine's confidence.

Two engines, the first one installed used (``OcrSettings.engines``): tesseract (a system binary,
through pytesseract), which reads figures in running text better and faster on our scans
(benchmarks/ocr_measure.md), then rapidocr (ONNX models inside its pip wheel, so ``pip install -e .``
sets it up with nothing downloaded; it reads table cells well but often runs words together).
A machine without either reads every other PDF and refuses a scan in one line saying what to
install (:func:`ocr_missing`)."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from extract.readers.pdf_tables import Word

#: The method recorded for what OCR read ("table:aligned-text+ocr").
OCR_METHOD = "ocr"
INSTALL_HINT = "pip install rapidocr-onnxruntime pypdfium2, or apt-get install tesseract-ocr"


@dataclass(frozen=True)
class OcrSettings:
    """How a scanned page is rendered and what the engine's lines must reach to be kept."""

    engines: tuple[str, ...] = ("tesseract", "rapidocr")  # tried in this order; the first installed reads
    scale: float = 2.0  # pixels per PDF point when rendering (144 dpi)
    min_confidence: float = 0.5  # lines the engine is less sure of are dropped
    size_ratio: float = 0.8  # a word's font size ÷ its box height

    def __post_init__(self) -> None:
        if self.scale <= 0 or not 0 <= self.min_confidence <= 1 or self.size_ratio <= 0:
            raise ValueError("OcrSettings: scale and size_ratio must be positive, min_confidence in [0, 1]")
        unknown = set(self.engines) - set(ENGINES)
        if not self.engines or unknown:
            raise ValueError(f"OcrSettings.engines: {sorted(unknown) or 'none'}; known: {', '.join(ENGINES)}")


def _has_tesseract() -> bool:
    return importlib.util.find_spec("pytesseract") is not None and shutil.which("tesseract") is not None


def _has_rapidocr() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


ENGINES = {"tesseract": _has_tesseract, "rapidocr": _has_rapidocr}


OCR = OcrSettings()


@dataclass
class OcrWord(Word):
    """A word read by OCR, with the engine's confidence (0–1)."""

    confidence: float = 1.0


def ocr_engine(settings: Optional[OcrSettings] = None) -> Optional[str]:
    """The engine that reads scans here, None when none is installed."""
    if importlib.util.find_spec("pypdfium2") is None:
        return None
    for name in (settings or OCR).engines:
        if ENGINES[name]():
            return name
    return None


def ocr_missing() -> Optional[str]:
    """None when OCR can run here; else the one line saying what to install."""
    if ocr_engine() is None:
        return f"it needs OCR, and no OCR engine is installed here ({INSTALL_HINT})"
    return None


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_page_words(path: Path, page_index: int, settings: Optional[OcrSettings] = None) -> list[OcrWord]:
    """The words of one page (0-based ``page_index``) as OCR reads them, boxes in PDF points."""
    import pypdfium2 as pdfium

    settings = settings or OCR
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page_index].render(scale=settings.scale).to_pil()
    finally:
        pdf.close()
    if ocr_engine(settings) == "tesseract":
        import pytesseract

        data = pytesseract.image_to_data(image.convert("L"), output_type=pytesseract.Output.DICT)
        return words_from_boxes(data, page_index + 1, settings)
    result, _ = _engine()(image)
    return words_from_lines(result or [], page_index + 1, settings)


def words_from_boxes(data: dict, page: int, settings: OcrSettings = OCR) -> list[OcrWord]:
    """Tesseract's words (``image_to_data``: text, left, top, width, height, conf 0–100 in pixels)
    → words in PDF points; words below the confidence floor are dropped."""
    words = []
    for k, text in enumerate(data.get("text", [])):
        confidence = float(data["conf"][k]) / 100
        if not str(text).strip() or confidence < settings.min_confidence:
            continue
        x0, top = float(data["left"][k]) / settings.scale, float(data["top"][k]) / settings.scale
        x1 = x0 + float(data["width"][k]) / settings.scale
        bottom = top + float(data["height"][k]) / settings.scale
        words.append(
            OcrWord(
                str(text),
                round(x0, 2),
                round(x1, 2),
                round(top, 2),
                round(bottom, 2),
                round((bottom - top) * settings.size_ratio, 2),
                OCR_METHOD,
                page,
                round(confidence, 4),
            )
        )
    return words


def words_from_lines(lines, page: int, settings: OcrSettings = OCR) -> list[OcrWord]:
    """The engine's lines ([corner points in pixels], text, confidence) → words: a line's box is
    shared among its words by their share of its characters."""
    words = []
    for box, text, confidence in lines:
        if float(confidence) < settings.min_confidence or not str(text).strip():
            continue
        xs = [float(p[0]) / settings.scale for p in box]
        ys = [float(p[1]) / settings.scale for p in box]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        text = str(text)
        per_char = (x1 - x0) / max(len(text), 1)
        size = (bottom - top) * settings.size_ratio
        position = 0
        for piece in text.split(" "):
            if piece:
                start = x0 + position * per_char
                words.append(
                    OcrWord(
                        piece,
                        round(start, 2),
                        round(start + len(piece) * per_char, 2),
                        round(top, 2),
                        round(bottom, 2),
                        round(size, 2),
                        OCR_METHOD,
                        page,
                        round(float(confidence), 4),
                    )
                )
            position += len(piece) + 1
    return words
