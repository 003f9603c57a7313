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
import math
import re
import shutil
import statistics
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from extract.readers.pdf_tables import Word
from extract.readers.table_finders import AlignedFinder, FoundTable, RuledFinder, TableFinder

#: The method recorded for what OCR read ("table:aligned-text+ocr").
OCR_METHOD = "ocr"
INSTALL_HINT = "pip install rapidocr-onnxruntime pypdfium2, or apt-get install tesseract-ocr"


@dataclass(frozen=True)
class OcrSettings:
    """How a scanned page is rendered, which words the engine must be sure of, and how the ink of
    a word gives its font size (shares of the em of an ordinary Latin typeface: the engines box the
    ink, a PDF's text layer the whole em)."""

    engines: tuple[str, ...] = ("tesseract", "rapidocr")  # tried in this order; the first installed reads
    scale: float = 2.0  # pixels per PDF point when rendering (144 dpi)
    min_confidence: float = 0.5  # words (lines) the engine is less sure of are dropped
    tesseract_mode: int = 6  # tesseract's page segmentation: 6 reads every line, sparse table columns too
    cap_height: float = 0.72  # capitals, digits and ascenders (b, d, h, k, l, t) stand this high
    x_height: float = 0.52  # lower-case letters without ascenders
    descent: float = 0.21  # g, j, p, q, y and brackets reach this far below the baseline
    line_split: float = 0.4  # words of one engine line whose baselines part by this share of its size are two lines
    ruling_dark: int = 128  # grey level (0-255) under which a pixel is ink
    ruling_min: float = 20.0  # points: a run of ink this long, across or down the page, is a ruling
    ruling_gap: float = 0.75  # points: pieces of one ruling a speck of the scan broke apart
    char_width: float = 0.5  # a character's width, on average, as a share of the em
    overgrown: float = (
        1.6  # a word boxed this many times taller than the page's usual size is boxed with something else
    )
    reread_chars: int = (
        3  # a word of at most this many characters that is neither word nor figure is read again as a figure
    )
    size_step: float = 0.15  # a line measured within this share of the page's usual size is set in it
    line_box_em: float = 0.8  # rapidocr boxes a whole line with a margin: its height × this is the font size
    max_skew: float = 3.0  # degrees: a page tilted further is read as it is
    skew_min_words: int = 3  # words a line needs before its slope says how the page is tilted
    marker_size: float = 0.75  # a small figure under this share of its line's size ...
    marker_raise: float = 0.15  # ... standing this share of the size above its baseline is a footnote marker

    def __post_init__(self) -> None:
        shares = (
            self.cap_height,
            self.x_height,
            self.descent,
            self.marker_size,
            self.marker_raise,
            self.line_box_em,
            self.size_step,
        )
        if self.scale <= 0 or not 0 <= self.min_confidence <= 1 or not all(0 < v < 1 for v in shares):
            raise ValueError("OcrSettings: scale must be positive, min_confidence in [0, 1], the shares in (0, 1)")
        if self.max_skew <= 0 or self.skew_min_words < 2 or self.tesseract_mode not in range(14):
            raise ValueError("OcrSettings: max_skew positive, skew_min_words at least 2, tesseract_mode 0-13")
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


@dataclass
class ScannedPage:
    """What OCR reads on a page: its words, and the rulings drawn on it (pdfplumber line objects),
    both in PDF points on the page turned level."""

    words: list[OcrWord]
    rulings: list[dict]


def ocr_page(path: Path, page_index: int, settings: Optional[OcrSettings] = None) -> ScannedPage:
    """One page (0-based ``page_index``) as OCR reads it: its words, and the rulings found on its
    image turned level by the tilt its words show; a page with a ruled table is read again with its
    rulings lifted off (engines misread words that touch them)."""
    import pypdfium2 as pdfium
    from PIL import Image

    settings = settings or OCR
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page_index].render(scale=settings.scale).to_pil()
    finally:
        pdf.close()
    gray = image.convert("L")
    words, angle = _recognise(gray, page_index + 1, settings)
    flat = gray
    if angle:
        flat = gray.rotate(math.degrees(angle), resample=Image.Resampling.BILINEAR, center=(0, 0), fillcolor=255)
    rules = _rule_runs(flat, settings)
    if (
        sum(r[0] for r in rules) >= 2 and sum(not r[0] for r in rules) >= 2
    ):  # a ruled table: read again without its rulings
        words, _ = _recognise(_lift(gray, rules, angle, settings), page_index + 1, settings)
    return ScannedPage(words, _rulings(rules, settings))


def _recognise(gray: Any, page: int, settings: OcrSettings) -> tuple[list[OcrWord], float]:
    """A page image's words (in points, on the page turned level) and the page's tilt."""
    if ocr_engine(settings) == "tesseract":
        import pytesseract

        data = pytesseract.image_to_data(
            gray, config=f"--psm {settings.tesseract_mode}", output_type=pytesseract.Output.DICT
        )
        return _read_boxes(data, page, settings, reread=lambda boxes: _reread(gray, boxes, settings))
    result, _ = _engine()(gray.convert("RGB"))
    return _read_lines(result or [], page, settings)


# ---- rulings ----------------------------------------------------------------------------------


def find_rulings(image: Any, angle: float, settings: OcrSettings = OCR) -> list[dict]:
    """The rulings drawn on a page image, the page first turned level by ``angle`` (radians): runs
    of ink at least ``ruling_min`` points long, across or down the page, each as a pdfplumber line
    object in points."""
    from PIL import Image

    gray = image.convert("L")
    if angle:
        gray = gray.rotate(math.degrees(angle), resample=Image.Resampling.BILINEAR, center=(0, 0), fillcolor=255)
    return _rulings(_rule_runs(gray, settings), settings)


#: A ruling in pixels: across the page or down it, the first and last row (column) of its ink,
#: where it starts and ends along it.
Rule = tuple[bool, int, int, float, float]


def _rule_runs(gray: Any, settings: OcrSettings) -> list[Rule]:
    import numpy as np

    dark = np.asarray(gray) < settings.ruling_dark
    length = settings.ruling_min * settings.scale
    out: list[Rule] = []
    for across, mask in ((True, dark), (False, dark.T)):
        out += [(across, *rule) for rule in _rules(mask, length, settings.ruling_gap * settings.scale)]
    return out


def _rulings(rules: list[Rule], settings: OcrSettings) -> list[dict]:
    out = []
    for across, first, last, start, end in rules:
        at = (first + last + 1) / 2
        x0, x1, top, bottom = (start, end, at, at) if across else (at, at, start, end)
        x0, x1, top, bottom = (round(v / settings.scale, 2) for v in (x0, x1, top, bottom))
        out.append(
            {
                "object_type": "line",
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "width": x1 - x0,
                "height": bottom - top,
            }
        )
    return out


def _lift(gray: Any, rules: list[Rule], angle: float, settings: OcrSettings) -> Any:
    """The page image with its rulings (found on it turned level by ``angle``) painted white, a
    point of margin either side."""
    if not rules:
        return gray
    from PIL import ImageDraw

    lifted = gray.copy()
    draw = ImageDraw.Draw(lifted)
    for across, first, last, start, end in rules:
        m = settings.scale
        x0, top, x1, bottom = (
            (start - m, first - m, end + m, last + m) if across else (first - m, start - m, last + m, end + m)
        )
        corners = [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]
        draw.polygon([_turn(x, y, -angle) for x, y in corners], fill=255)
    return lifted


def _rules(mask: Any, length: float, gap: float) -> list[tuple[int, int, float, float]]:
    """Runs of dark pixels along each row of ``mask`` (pieces ``gap`` apart joined) at least
    ``length`` long, the runs of neighbouring rows that overlap one rule: (first row, last row,
    start, end)."""
    import numpy as np

    edges = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    pieces: dict[int, list[list[int]]] = {}
    for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        runs = pieces.setdefault(row, [])
        if runs and start - runs[-1][1] <= gap:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    rules: list[list[int]] = []  # first row, last row, start, end
    for row in sorted(pieces):
        for start, end in pieces[row]:
            if end - start < length:
                continue
            rule = next((r for r in rules if row - r[1] <= 1 and start < r[3] and end > r[2]), None)
            if rule is None:
                rules.append([row, row, start, end])
            else:
                rule[1], rule[2], rule[3] = row, min(rule[2], start), max(rule[3], end)
    return [(r[0], r[1], r[2], r[3]) for r in rules]


class ScanRuledFinder(RuledFinder):
    """Tables drawn with rulings on a scanned page: the rulings found in its image
    (:func:`find_rulings`) given to pdfplumber as explicit lines, then read like a PDF's."""

    def __init__(self, rulings: list[dict]) -> None:
        self.across = [r for r in rulings if r["top"] == r["bottom"]]
        self.down = [r for r in rulings if r["top"] != r["bottom"]]

    def wanted(self, page: Any, found: list[FoundTable]) -> bool:
        return len(self.across) >= 2 and len(self.down) >= 2

    def table_settings(self, page: Any) -> dict:
        return {
            "vertical_strategy": "explicit",
            "horizontal_strategy": "explicit",
            "explicit_vertical_lines": self.down,
            "explicit_horizontal_lines": self.across,
        }


def scan_finders(rulings: list[dict]) -> list[TableFinder]:
    """The strategies for a scanned page: its rulings, then the alignment of its words."""
    return [ScanRuledFinder(rulings), AlignedFinder()]


@dataclass
class Ink:
    """A word as the engine saw it: its text, the box of its ink in pixels, the engine's confidence
    and the line the engine read it in."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    line: Hashable


def words_from_boxes(
    data: dict, page: int, settings: OcrSettings = OCR, reread: Optional[Callable[[list[Box]], list[Reading]]] = None
) -> list[OcrWord]:
    """Tesseract's words in PDF points (:func:`_read_boxes`)."""
    return _read_boxes(data, page, settings, reread)[0]


def _read_boxes(
    data: dict, page: int, settings: OcrSettings, reread: Optional[Callable[[list[Box]], list[Reading]]] = None
) -> tuple[list[OcrWord], float]:
    """Tesseract's words (``image_to_data``: text, left, top, width, height, conf 0–100 in pixels,
    and the block, paragraph and line each stands in) → words in PDF points, the page's tilt taken
    out; words below the confidence floor are dropped. ``reread`` reads boxes of the page again as
    figures (:func:`_doubtful` says which)."""
    inks = []
    for k, text in enumerate(data.get("text", [])):
        if not str(text).strip():
            continue
        left, top = float(data["left"][k]), float(data["top"][k])
        line = tuple(data[key][k] for key in ("block_num", "par_num", "line_num") if key in data) or k
        box = (left, top, left + float(data["width"][k]), top + float(data["height"][k]))
        inks.append(Ink(str(text), *box, float(data["conf"][k]) / 100, line))
    doubtful = _doubtful(inks, settings) if reread is not None else []
    if doubtful and reread is not None:
        readings = reread([(i.x0, i.top, i.x1, i.bottom) for i in doubtful])
        for ink, (text, confidence) in zip(doubtful, readings):
            if _FIGURE.fullmatch(text) and confidence >= settings.min_confidence:
                ink.text, ink.confidence = text, confidence
    inks = [i for i in inks if i.confidence >= settings.min_confidence]
    slopes = []
    for members in _by_line(inks, settings, split=False):
        if len(members) >= settings.skew_min_words:
            points = [((i.x0 + i.x1) / 2, _base(i, settings)) for i in members]
            slopes.append((_slope(points), (members[-1].x1 - members[0].x0) ** 2))
    angle = _tilt(slopes, settings)
    return _settle(_level(_unglue(inks), angle), page, settings), angle


#: A box in pixels (x0, top, x1, bottom), and what an engine read in it with its confidence (0–1).
Box = tuple[float, float, float, float]
Reading = tuple[str, float]
_FIGURE = re.compile(r"[-–]?\d[\d,]*(?:\.\d+)?%?")
_WORD = re.compile(r"[A-Za-z][a-z]*[.,;:]?|[A-Z]+[.,;:]?|[-–]?\d[\d,]*(?:\.\d+)?%?")


def _doubtful(inks: list[Ink], settings: OcrSettings) -> list[Ink]:
    """Words that may be a figure the engine misread (a lone 0 read as "C)", "°" or "o"): a few
    characters, not a word nor a figure or read with little confidence, standing alone as a cell
    of a table does (more than an em from the words beside it) and as tall as a figure."""
    typical = _typical([i for i in inks if i.confidence >= settings.min_confidence], settings)
    out = []
    for members in _by_line(inks, settings, split=False):
        for n, ink in enumerate(members):
            if len(ink.text) > settings.reread_chars or _FIGURE.fullmatch(ink.text) or _FIGURE_MARK.match(ink.text):
                continue
            if _WORD.fullmatch(ink.text) and ink.confidence >= settings.min_confidence:
                continue
            if ink.bottom - ink.top < settings.cap_height * typical * settings.marker_size:
                continue  # a mark, a speck or a footnote marker
            before = ink.x0 - members[n - 1].x1 if n else math.inf
            after = members[n + 1].x0 - ink.x1 if n + 1 < len(members) else math.inf
            if min(before, after) > typical:
                out.append(ink)
    return out


def _reread(image: Any, boxes: list[Box], settings: OcrSettings) -> list[Reading]:
    """Boxes of a page read again, all at once, as figures only: each box's ink, with a margin,
    set on a line of its own in a strip, the strip read by tesseract with only the characters of
    figures allowed."""
    import pytesseract
    from PIL import Image

    pad = round(settings.scale * 6)  # white around each box: the strip's lines stand apart
    crops = [image.crop((int(x0) - 1, int(top) - 1, int(x1) + 2, int(bottom) + 2)) for x0, top, x1, bottom in boxes]
    width = max(c.width for c in crops) + 2 * pad
    tops, y = [], pad
    for crop in crops:
        tops.append(y)
        y += crop.height + 2 * pad
    strip = Image.new("L", (width, y), 255)
    for crop, top in zip(crops, tops):
        strip.paste(crop, (pad, top))
    data = pytesseract.image_to_data(
        strip, config="--psm 6 -c tessedit_char_whitelist=0123456789,.%-", output_type=pytesseract.Output.DICT
    )
    texts: list[list[str]] = [[] for _ in crops]
    confidences: list[list[float]] = [[] for _ in crops]
    for k, text in enumerate(data.get("text", [])):
        if not str(text).strip():
            continue
        middle = float(data["top"][k]) + float(data["height"][k]) / 2
        row = max((n for n, top in enumerate(tops) if top - pad <= middle), default=0)
        texts[row].append(str(text).strip())
        confidences[row].append(float(data["conf"][k]) / 100)
    return [("".join(t), min(c) if c else 0.0) for t, c in zip(texts, confidences)]


#: Where an engine that drops spaces ("respondedto154requests", "CommunitySafety") ran two words
#: together: lower-case letters then a figure; a figure (or a share: 12%) then a word (not its
#: ordinal: 1st, 2nd); a lower-case letter then a capital. Codes stay whole: A31, Q3, 4a, 2.5m.
_SPACES = re.compile(
    r"(?<=[a-z]{2})(?=\d)|(?<=\d)(?!(?:st|nd|rd|th)(?![a-z]))(?=[a-z]{2}|[A-Z][a-z])|(?<=\d%)(?=[A-Za-z])|(?<=[a-z])(?=[A-Z])"
)


def words_from_lines(lines, page: int, settings: OcrSettings = OCR) -> list[OcrWord]:
    """rapidocr's lines as words in PDF points (:func:`_read_lines`)."""
    return _read_lines(lines, page, settings)[0]


def _read_lines(lines, page: int, settings: OcrSettings) -> tuple[list[OcrWord], float]:
    """The engine's lines ([corner points in pixels], text, confidence) → words: the page's tilt
    (the lines' top and bottom edges) taken out, words the engine ran together parted
    (``_SPACES``), then a line's box shared among its words by their share of its characters."""
    kept = [(box, str(text), float(conf)) for box, text, conf in lines]
    kept = [(box, text, conf) for box, text, conf in kept if conf >= settings.min_confidence and text.strip()]
    slopes = []
    for box, _, _ in kept:
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = ((float(x), float(y)) for x, y in box[:4])
        slopes.append((_slope([(ax, ay), (bx, by)]), (bx - ax) ** 2))
        slopes.append((_slope([(dx, dy), (cx, cy)]), (cx - dx) ** 2))
    angle = _tilt(slopes, settings)
    inks = []
    for n, (box, text, confidence) in enumerate(kept):
        text = _SPACES.sub(" ", text)
        turned = [_turn(float(x), float(y), angle) for x, y in box]
        x0, x1 = min(p[0] for p in turned), max(p[0] for p in turned)
        top, bottom = min(p[1] for p in turned), max(p[1] for p in turned)
        per_char = (x1 - x0) / max(len(text), 1)
        position = 0
        for piece in text.split(" "):
            if piece:
                start = x0 + position * per_char
                inks.append(Ink(piece, start, top, start + len(piece) * per_char, bottom, confidence, n))
            position += len(piece) + 1
    return _settle(_unglue(inks), page, settings, measured=False), angle


# ---- the page's tilt --------------------------------------------------------------------------


def _slope(points: list[tuple[float, float]]) -> float:
    """The least-squares slope of y on x (0 for points in one column)."""
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def _tilt(slopes: list[tuple[float, float]], settings: OcrSettings) -> float:
    """The page's tilt (radians, positive clockwise): the median of its lines' slopes, each line
    weighing as the square of its width (a wide line measures the slope that much more
    precisely); 0 when no line says or the lines say more than ``max_skew``
    (a page turned on purpose is not straightened)."""
    slopes = sorted((s, w) for s, w in slopes if w > 0)
    if not slopes:
        return 0.0
    half, seen = sum(w for _, w in slopes) / 2, 0.0
    for slope, weight in slopes:
        seen += weight
        if seen >= half:
            angle = math.atan(slope)
            return angle if abs(math.degrees(angle)) <= settings.max_skew else 0.0
    return 0.0


def _turn(x: float, y: float, angle: float) -> tuple[float, float]:
    """A point turned back by ``angle`` about the page's origin: a tilted line comes level."""
    cos, sin = math.cos(angle), math.sin(angle)
    return x * cos + y * sin, y * cos - x * sin


def _level(inks: list[Ink], angle: float) -> list[Ink]:
    """Each word moved to where it stands on the page turned level (its box keeps its size)."""
    if not angle:
        return inks
    out = []
    for ink in inks:
        cx, cy = _turn((ink.x0 + ink.x1) / 2, (ink.top + ink.bottom) / 2, angle)
        dx, dy = cx - (ink.x0 + ink.x1) / 2, cy - (ink.top + ink.bottom) / 2
        out.append(Ink(ink.text, ink.x0 + dx, ink.top + dy, ink.x1 + dx, ink.bottom + dy, ink.confidence, ink.line))
    return out


# ---- from ink to type -------------------------------------------------------------------------

_BARS = "|¦ "
_TALL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhiklt!?%&#/\\()[]{}|$£€@'\"")
_DEEP = set("gjpqy()[]{}|Q")
_COMMA = set(",;")
_GLUED = re.compile(r"(?<=[^\W\d_])[.,'’‘`\"]+(?=\d)|(?<=\d)[.,'’‘`\"]+(?=[^\W\d_]{2})")
_FIGURE_MARK = re.compile(r"^([-–]?\d[\d,]*(?:\.\d+)?%?)[.,:;]$")  # a figure and a speck after it


def _unglue(inks: list[Ink]) -> list[Ink]:
    """A word whose letters and figure the engine read as one because a speck of the scan filled
    the space between them ("to'154", "Services.3", "2'Sexual"): two words, the speck dropped, the
    box shared by their characters. A mark between two figures (10.11, 1,204) is the figure's."""
    out = []
    for ink in inks:
        match = _GLUED.search(ink.text)
        if match is None:
            out.append(ink)
            continue
        per_char = (ink.x1 - ink.x0) / max(len(ink.text), 1)
        cut, resume = match.start(), match.end()
        head, tail = ink.text[:cut], ink.text[resume:]
        out.append(Ink(head, ink.x0, ink.top, ink.x0 + cut * per_char, ink.bottom, ink.confidence, ink.line))
        rest = Ink(tail, ink.x0 + resume * per_char, ink.top, ink.x1, ink.bottom, ink.confidence, ink.line)
        out.extend(_unglue([rest]))
    return out


def _above(text: str, settings: OcrSettings) -> float:
    """How far (share of the em) a word's ink rises above its baseline."""
    return settings.cap_height if any(c in _TALL for c in text) else settings.x_height


def _below(text: str, settings: OcrSettings) -> float:
    """How far (share of the em) a word's ink reaches below its baseline."""
    if any(c in _DEEP for c in text):
        return settings.descent
    return settings.descent / 2 if any(c in _COMMA for c in text) else 0.0


def _em(ink: Ink, settings: OcrSettings) -> float:
    """The font size (pixels) a word's ink says it is set in, by the letters it has."""
    return (ink.bottom - ink.top) / (_above(ink.text, settings) + _below(ink.text, settings))


def _em_by_width(ink: Ink, settings: OcrSettings) -> float:
    """The font size (pixels) a word's width says it is set in, when its box is far taller than
    its characters are wide (a rule drawn over a row boxed with it); else its ink's."""
    wide = (ink.x1 - ink.x0) / (settings.char_width * max(len(ink.text), 1))
    tall = _em(ink, settings)
    return wide if tall > settings.overgrown * wide else tall


def _by_line(inks: list[Ink], settings: OcrSettings, split: bool = True) -> list[list[Ink]]:
    """The engine's lines, left to right; a line of words on two baselines (two rows of a tight
    table read as one) split where its words' baselines part by more than ``line_split`` of its
    size (``split``: the words' boxes are their ink's, and the page is level)."""
    lines: dict[Hashable, list[Ink]] = {}
    for ink in inks:
        lines.setdefault(ink.line, []).append(ink)
    typical = _typical(inks, settings)
    out = []
    for members in lines.values():
        if not split or len(members) < 2:
            out.append(sorted(members, key=lambda i: i.x0))
            continue
        size = _line_size(members, typical, settings)
        # a word whose ink is far taller or smaller than its line's (a speck or a mark above it
        # boxed with it, a footnote marker) says little about where the baseline is
        plain = [i for i in members if settings.marker_size <= _em(i, settings) / size <= 1 / settings.marker_size]
        ordered = sorted(plain or members, key=lambda i: _base(i, settings))
        parts = [[ordered[0]]]
        for ink in ordered[1:]:
            if _base(ink, settings) - _base(parts[-1][-1], settings) > settings.line_split * size:
                parts.append([])
            parts[-1].append(ink)
        bases = [statistics.median(_base(i, settings) for i in part) for part in parts]
        for ink in members:
            if plain and ink not in plain:  # joins the line one of its box's edges stands on
                feet = (ink.bottom - _below(ink.text, settings) * size, ink.top + _above(ink.text, settings) * size)
                near = min(range(len(bases)), key=lambda k: min(abs(f - bases[k]) for f in feet))
                parts[near].append(ink)
        out.extend(sorted(part, key=lambda i: i.x0) for part in parts)
    return out


def _typical(inks: list[Ink], settings: OcrSettings) -> float:
    """The size (pixels) most of a page's words are set in: the median of their inks' sizes."""
    sized = [_em(i, settings) for i in inks if sum(c.isalnum() for c in i.text) >= 2]
    return statistics.median(sized) if sized else 0.0


def _line_size(members: list[Ink], typical: float, settings: OcrSettings) -> float:
    """The size (pixels) a line is set in: the median of its words' sizes, leaving out a word boxed
    taller than ``overgrown`` times the page's typical size when its line has others (an engine
    may box a figure together with the one below it)."""
    sized = [i for i in members if sum(c.isalnum() for c in i.text) >= 2] or members
    usual = [i for i in sized if _em(i, settings) <= settings.overgrown * typical]
    if usual:
        return statistics.median(_em(i, settings) for i in usual)
    return statistics.median(_em_by_width(i, settings) for i in sized)  # a heading, or a row boxed with a rule


def _base(ink: Ink, settings: OcrSettings) -> float:
    """Where a word's baseline stands (pixels), by the letters it has."""
    return ink.bottom - _below(ink.text, settings) * _em(ink, settings)


def _settle(inks: list[Ink], page: int, settings: OcrSettings, measured: bool = True) -> list[OcrWord]:
    """Words set as a text layer sets them: every word of a line in the line's size on its
    baseline, boxed from the em's top to its foot, but a small figure raised above the baseline
    (a footnote marker) in its own. ``measured``: the engine boxed each word's ink (tesseract), so
    a word's letters say its size; else it boxed a whole line with a margin (rapidocr), the em
    stands in the middle of the box."""
    inks = [i for i in inks if i.text.strip(_BARS)]  # a rule, or the scanner's edge, read as "|"
    lines = []
    typical = _typical(inks, settings)
    for members in _by_line(inks, settings, split=measured):
        readable = [i for i in members if any(c.isalnum() for c in i.text)] or members
        if measured:
            size = _line_size(members, typical, settings)
            base = statistics.median(_base(i, settings) for i in readable)
        else:
            size = statistics.median(i.bottom - i.top for i in members) * settings.line_box_em
            base = statistics.median((i.top + i.bottom) / 2 for i in members) + size / 2
        lines.append((members, size, base))
    sizes = _sizes([size for _, size, _ in lines], typical if measured else 0.0, settings)
    words = []
    for members, size, base in lines:
        size = sizes[size]
        foot = base + settings.descent * size if measured else base
        for n, ink in enumerate(members):
            own = _em(ink, settings)
            raised = base - ink.bottom > settings.marker_raise * size
            marker = measured and re.fullmatch(r"\d{1,3}", ink.text) and own < settings.marker_size * size and raised
            em, bottom = (own, ink.bottom + settings.descent * own) if marker else (size, foot)
            after = members[n + 1].text if n + 1 < len(members) else None
            text = _unspeck(ink.text, members[n - 1].text if n else "", after)
            em, bottom, x0, x1 = (v / settings.scale for v in (em, bottom, ink.x0, ink.x1))
            words.append(
                OcrWord(
                    text,
                    round(x0, 2),
                    round(x1, 2),
                    round(bottom - em, 2),
                    round(bottom, 2),
                    round(em, 2),
                    OCR_METHOD,
                    page,
                    round(ink.confidence, 4),
                )
            )
    return words


def _sizes(sizes: list[float], typical: float, settings: OcrSettings) -> dict[float, float]:
    """Each line's measured size → the size it is set in: within ``size_step`` of the page's
    typical size, that size (ink measured on a blurred scan varies that much line to line); a
    heading's or a footnote's, its own."""
    near = 1 + settings.size_step
    return {s: typical if typical and typical / near <= s <= typical * near else s for s in sizes}


def _unspeck(text: str, before: str, after: Optional[str]) -> str:
    """A figure with a full stop or comma after it that no sentence or list puts there — another
    figure follows on its line, or it ends a line of figures — has a speck of the scan read as a
    mark: the figure alone."""
    match = _FIGURE_MARK.match(text)
    if match is None:
        return text
    figure = re.compile(r"^[-–]?\d[\d,.]*%?$")
    if (after is not None and figure.match(after)) or (after is None and figure.match(before)):
        return match.group(1)
    return text
