"""OCR on scans made here: a bundled report's pages rendered to images, skewed, blurred,
speckled and saved as JPEG, then wrapped into an image-only PDF.

    PYTHONPATH=. python benchmarks/bench_ocr.py [--pdf corpus/pdf/2017-18-performance-review.pdf]
        [--first 1] [--pages N (default: the whole report)] [--engine tesseract|rapidocr] [--raw]

For each engine installed (tesseract through pytesseract; rapidocr-onnxruntime, whose weights ship
in its wheel): the archive's own reader on the image-only PDF against the same reader on the
report's text edition (the original PDF): table cells with a value and prose figures, as a share
of what the text edition gives on the same page, and pages per second (OCR and reading). With
``--raw``, first each engine alone on the noisy images: the share of the page's figures (numbers in
its text layer) among the numbers it reads.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

_NUMBER = re.compile(r"(?<![\w.])[-–]?\d[\d,]*(?:\.\d+)?%?")


def figures(text: str) -> Counter:
    """The numbers printed in a text, separators and % dropped: what an engine must get right."""
    return Counter(m.group(0).replace(",", "").replace("%", "").replace("–", "-") for m in _NUMBER.finditer(text))


def noisy(image, seed: int):
    """A scan as an office copier makes it: slightly skewed, blurred, speckled, JPEG-compressed."""
    import io

    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    img = image.convert("L").rotate(0.6, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    pixels = img.load()
    width, height = img.size
    for _ in range(width * height // 400):  # speckle: a quarter of a percent of the pixels
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = 0 if rng.random() < 0.5 else 255
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=55)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def make_scan(pdf_path: Path, out: Path, pages: list[int], scale: float = 2.0):
    """The noisy images of ``pages`` (0-based), and an image-only PDF of them at ``out``."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = pdfium.PdfDocument(str(pdf_path))
    images = [noisy(pdf[i].render(scale=scale).to_pil(), seed=i) for i in pages if i < len(pdf)]
    pdf.close()
    c = canvas.Canvas(str(out))
    for img in images:
        c.setPageSize((img.width / scale, img.height / scale))
        c.drawImage(ImageReader(img), 0, 0, img.width / scale, img.height / scale)
        c.showPage()
    c.save()
    return images


def rapidocr_text(image) -> str:
    from rapidocr_onnxruntime import RapidOCR

    engine = getattr(rapidocr_text, "engine", None) or RapidOCR()
    rapidocr_text.engine = engine  # type: ignore[attr-defined]
    result, _ = engine(image)
    return "\n".join(text for _, text, _ in (result or []))


def tesseract_text(image) -> str:
    import pytesseract

    return pytesseract.image_to_string(image, config="--psm 6")


def recall(truth: Counter, found: Counter) -> tuple[int, int]:
    return sum((truth & found).values()), sum(truth.values())


def reader_counts(path: Path, source: str) -> tuple[Counter, Counter]:
    """Table cells with a value and prose figures the archive's reader + interpretation give, by
    (page, value)."""
    from extract.readers.pdf import read_pdf
    from extract.vocab.values import read_cell

    doc = read_pdf(path, source)
    cells: Counter = Counter()
    prose: Counter = Counter()
    for block in doc.blocks:
        if block.kind == "table" and block.table is not None:
            for row in block.table.rows[block.table.header_rows :]:
                for cell in row[1:]:
                    reading = read_cell(cell.text)
                    if reading.status == "value":
                        cells[(cell.page, reading.values[0].value)] += 1
        elif block.kind in ("paragraph", "list_item"):
            for number in figures(block.text):
                prose[(block.page, number)] += 1
    return cells, prose


def pdfplumber_open(path: Path):
    import pdfplumber

    return pdfplumber.open(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", type=Path, default=Path("corpus/pdf/2017-18-performance-review.pdf"))
    ap.add_argument("--pages", type=int, default=0, help="how many pages to scan (0: to the report's end)")
    ap.add_argument("--first", type=int, default=1, help="the first page to scan (from 1)")
    ap.add_argument("--engine", action="append", help="only this engine (repeatable)")
    ap.add_argument("--raw", action="store_true", help="also the engines alone on the images")
    args = ap.parse_args()
    if not args.pages:
        with pdfplumber_open(args.pdf) as pdf:
            args.pages = len(pdf.pages) - args.first + 1

    import pdfplumber

    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        numbers = list(range(args.first - 1, args.first - 1 + args.pages))
        images = make_scan(args.pdf, scan, numbers)
        numbers = numbers[: len(images)]
        with pdfplumber.open(args.pdf) as pdf:
            truths = [figures(pdf.pages[i].extract_text() or "") for i in numbers]
        print(
            f"{args.pdf} pages {args.first}–{args.first + len(images) - 1}: rendered at 144 dpi, skewed 0.6°, blurred, speckled, JPEG q55"
        )
        engines = (("rapidocr-onnxruntime", rapidocr_text), ("tesseract (pytesseract)", tesseract_text))
        if args.raw:
            print("| engine alone | figures found | recall | pages/s |")
            print("| --- | --- | --- | --- |")
        for name, engine in engines if args.raw else ():
            try:
                engine(images[0].crop((0, 0, 50, 50)))  # load the models outside the timing
            except Exception as err:  # an engine missing here is reported, the other measured
                print(f"| {name} | not available ({type(err).__name__}) | | |")
                continue
            t0 = time.perf_counter()
            found = [figures(engine(img)) for img in images]
            seconds = time.perf_counter() - t0
            hit = sum(recall(t, f)[0] for t, f in zip(truths, found))
            total = sum(sum(t.values()) for t in truths)
            print(f"| {name} | {hit}/{total} | {hit / max(total, 1):.1%} | {len(images) / seconds:.2f} |")

        from extract.readers import ocr

        # the same pages read from the whole original (running headers told apart as in a build)
        cells_all, prose_all = reader_counts(args.pdf, args.pdf.name)
        shift = args.first - 1
        cells_text = Counter({(p - shift, v): n for (p, v), n in cells_all.items() if p - 1 in numbers})
        prose_text = Counter({(p - shift, v): n for (p, v), n in prose_all.items() if p - 1 in numbers})
        print()
        print("The archive's reader on the image-only PDF against the same pages with their text layer")
        print("(table cells with a value, prose figures: same page and value):")
        print()
        print("| engine | table cells | prose figures | pages/s |")
        print("| --- | --- | --- | --- |")
        for name in ocr.ENGINES:
            if args.engine and name not in args.engine:
                continue
            if not ocr.ENGINES[name]():
                print(f"| {name} | not installed | | |")
                continue
            ocr.OCR = ocr.OcrSettings(engines=(name,))
            t0 = time.perf_counter()
            cells_scan, prose_scan = reader_counts(scan, "scan.pdf")
            per_second = len(images) / (time.perf_counter() - t0)
            c_hit, c_all = recall(cells_text, cells_scan)
            p_hit, p_all = recall(prose_text, prose_scan)
            print(
                f"| {name} | {c_hit}/{c_all} = {c_hit / max(c_all, 1):.1%} "
                f"| {p_hit}/{p_all} = {p_hit / max(p_all, 1):.1%} | {per_second:.2f} |"
            )


if __name__ == "__main__":
    main()
