"""PDFs → :class:`~extract.model.Document`, the same model the text reader gives, with pages and
positions.

pdfplumber gives characters with their font size, weight and position. From them: running headers,
footers and page numbers are dropped (lines repeated in the page margins); footnote markers are
told from the numbers they follow by size and baseline (``877¹`` is 877 with footnote 1, never
8771); headings by size and weight; paragraphs re-flowed across lines and pages. Tables are read
per table by the evidence on the page, strategy by strategy (:mod:`extract.readers.table_finders`):
ruled tables from their rulings, camelot's lattice where pdfplumber cannot assemble them, unruled
ones from the alignment of their words.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from extract.errors import ReadError
from extract.model import Block, Cell, Document, Span, Table, joined_spans
from extract.readers.flattened import unflatten
from extract.readers.markup import BULLETS
from extract.readers.ocr import OCR_METHOD, ocr_missing, ocr_page, scan_finders
from extract.readers.pdf_streams import inflate_bound
from extract.readers.pdf_tables import Line, Word
from extract.readers.settings import SETTINGS
from extract.readers.table_finders import AlignedFinder, TableFinder, find_tables, pdf_finders, refresh_report
from extract.vocab.values import caption_label, is_data_row, read_cell

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)


def open_pdf(path: Path):
    """Open a PDF, turning every way a file can fail to be a readable PDF into one clear line."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    path = Path(path)
    try:
        head = path.read_bytes()[:1024]
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from None
    if not head:
        raise ReadError(path, "empty file (0 bytes), not a PDF")
    if b"%PDF-" not in head:
        raise ReadError(path, "not a PDF (no %PDF header)")
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
        if not pages:
            raise ReadError(path, "PDF has no pages (truncated or damaged?)")
        return pdf
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError(path, "encrypted PDF: it needs a password to be read") from None
    except Exception as err:
        name = type(err).__name__
        inner = " ".join(type(a).__name__ for a in getattr(err, "args", ()))
        if any("Password" in n or "Encrypt" in n for n in (name, inner)):
            raise ReadError(path, "encrypted PDF: it needs a password to be read") from None
        raise ReadError(path, f"damaged or truncated PDF ({name})") from None


@dataclass
class Band:
    """A stretch of a page (or of one of its columns), top to bottom, set in columns of its own:
    three columns of prose above a table that runs across the page, two of bullets under a chart."""

    column: int  # the page column it stands in
    top: float
    bottom: float
    gutters: list[float]  # x of the blanks parting its columns

    def holds(self, column: int, top: float) -> bool:
        return column == self.column and self.top <= top <= self.bottom


@dataclass
class PageContent:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[float, Table, tuple]] = field(default_factory=list)  # (top, table, bbox)
    gutters: list[float] = field(default_factory=list)  # x of the blanks parting a page's columns
    bands: list[Band] = field(default_factory=list)  # stretches in columns of their own

    def column_of(self, x0: float) -> int:
        """The column (0 = leftmost) of something that begins at ``x0``."""
        return sum(1 for g in self.gutters if x0 >= g)

    def reading_key(self, x0: float, top: float) -> tuple[int, float, int, float]:
        """Where something that begins at (``x0``, ``top``) is read: page column by page column,
        top to bottom, a band in columns of its own read column by column where it stands."""
        column = self.column_of(x0)
        for band in self.bands:
            if band.holds(column, top):
                return (column, band.top, sum(1 for g in band.gutters if x0 >= g), top)
        return (column, top, 0, top)


def read_pdf(path: Path, source_file: str) -> Document:
    """Read a PDF into blocks in reading order, each with its page and bounding box. Its streams
    may inflate only so far (``settings.INFLATE``): a decompression bomb is refused in one line."""
    ocr_pages: set[int] = set()
    with inflate_bound(path) as budget:
        try:
            pdf = open_pdf(path)
        except ReadError:
            if budget.exceeded:  # the refusal, whatever the library made of it
                raise budget.refuse() from None
            raise
        try:
            pages = _read_pages(pdf, path, ocr_pages)
        except ReadError:
            raise
        except Exception as err:
            if budget.exceeded:  # a library caught the refusal and failed on for want of the stream
                raise budget.refuse() from None
            raise ReadError(path, f"damaged or truncated PDF ({type(err).__name__}: {err})") from None
        finally:
            pdf.close()
        if budget.exceeded:  # a library caught the refusal and read on without the stream
            raise budget.refuse()
    doc = Document(source_file=source_file, pages=len(pages), reader="pdf+ocr" if ocr_pages else "pdf")
    _assemble(doc, pages)
    unflatten(doc)
    if not doc.blocks:
        raise ReadError(path, "no text found in the PDF")
    return doc


def _read_pages(pdf, path: Path, ocr_pages: set[int]) -> list[PageContent]:
    """The pages' words, tables and lines; pages without a text layer are read by OCR (their
    numbers added to ``ocr_pages``)."""
    raw = []
    total_chars = 0
    for page in pdf.pages:
        words = [
            Word.from_plumber(w, page.page_number)
            for w in page.extract_words(
                extra_attrs=["size", "fontname"],
                keep_blank_chars=False,
                use_text_flow=False,
                x_tolerance=SETTINGS.x_tolerance,
            )
        ]
        total_chars += len(page.chars)
        raw.append((page, words))
        _keep_drawing(page)  # the words are kept; of the parsed objects only the drawing stays
    blank = [i for i, (_, words) in enumerate(raw) if not words]
    rulings: dict[int, list[dict]] = {}  # a scanned page's rulings, found in its image
    if blank:
        missing = ocr_missing()
        if missing is not None and total_chars == 0:
            raise ReadError(path, f"no text layer (a scanned PDF?): {missing}")
        if missing is not None:
            log.warning("%s: %d page(s) without a text layer not read: %s", path, len(blank), missing)
        else:
            for i in blank:  # only pages without text are recognised: OCR is the slow path
                page, _ = raw[i]
                scanned = ocr_page(path, i)
                raw[i] = (page, list(scanned.words))
                rulings[page.page_number] = scanned.rulings
                ocr_pages.add(page.page_number)
    if not any(words for _, words in raw):
        raise ReadError(path, "no text layer (a scanned PDF?), and OCR found no text on its pages")
    sizes = Counter(round(w.size, 1) for _, words in raw for w in words)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    running = _running_lines(raw)
    finders = pdf_finders(path)
    pages = []
    for page, words in raw:
        drawn = rulings.get(page.page_number)
        mine = finders if drawn is None else scan_finders(drawn)
        content = _read_page(mine, path, page, _drop_running(words, page, running), body)
        if page.page_number in ocr_pages:
            _mark_ocr(content, words)
        pages.append(content)
        _flush(page)
    return pages


def _read_page(finders: list[TableFinder], path: Path, page, words: list[Word], body: float) -> PageContent:
    """One page's tables, strategy by strategy, and the lines of text no table took; a page set in
    columns (:func:`gutters`) has its unruled tables and lines read column by column, but for a
    table running across the columns with figures on both sides of the gutter."""
    content = PageContent(page.page_number, float(page.height))
    drawn = [f for f in finders if not isinstance(f, AlignedFinder)]
    aligned: list[TableFinder] = [f for f in finders if isinstance(f, AlignedFinder)]
    bands: list = []
    found, free = find_tables(drawn, path, page, words, body, bands)
    content.tables = [(t.bbox[1], t.table, t.bbox) for t in found]
    wide, rest = find_tables(aligned, path, page, free, body, bands)
    width = float(page.width)
    content.gutters = gutters(rest, width, body) or gutters(free, width, body)
    if not content.gutters:
        content.tables += [(t.bbox[1], t.table, t.bbox) for t in wide]
        content.lines = _band_lines(content, rest, 0, width, body)
        _number_tables(content)
        return content
    spanning = [t for t in wide if _spans(t, content.gutters)]
    content.tables += [(t.bbox[1], t.table, t.bbox) for t in spanning]
    free = [w for w in free if not any(t.holds(w) for t in spanning)]
    for column in range(len(content.gutters) + 1):
        mine = [w for w in free if content.column_of(w.x0) == column]
        found, left = find_tables(aligned, path, page, mine, body, bands)
        content.tables += [(t.bbox[1], t.table, t.bbox) for t in found]
        content.lines += _band_lines(content, left, column, width, body)
    _number_tables(content)
    return content


def _bands(words: list[Word], body: float) -> list[list[Word]]:
    """Words → stretches of the page parted by a blank across it (``SETTINGS.band_gap_ratio``
    times the body size high), top to bottom."""
    out: list[list[Word]] = []
    reach = float("-inf")
    for w in sorted(words, key=lambda w: w.top):
        if not out or w.top - reach > SETTINGS.band_gap_ratio * body:
            out.append([])
        out[-1].append(w)
        reach = max(reach, w.bottom)
    return out


def _band_lines(content: PageContent, words: list[Word], column: int, width: float, body: float) -> list[Line]:
    """A page column's lines of text; a stretch of it set in columns of its own (:func:`gutters`
    on that stretch alone: columns of prose over a table running across the page, bullets in two
    columns under a chart) has its lines read column by column and is kept as a band."""
    lines: list[Line] = []
    for stretch in _bands(words, body):
        cuts = gutters(stretch, width, body)
        if not cuts:
            lines += Line.group(stretch, body)
            continue
        content.bands.append(Band(column, min(w.top for w in stretch), max(w.bottom for w in stretch), cuts))
        for k in range(len(cuts) + 1):
            lines += Line.group([w for w in stretch if sum(1 for g in cuts if w.x0 >= g) == k], body)
    return lines


def _number_tables(content: PageContent) -> None:
    """The tables' order on the page in their reports, in reading order (column by column)."""
    ordered = sorted(content.tables, key=lambda t: content.reading_key(t[2][0], t[0]))
    for order, (_, table, _) in enumerate(ordered, 1):
        if table.report is not None:
            table.report.order = order


def _spans(found, gutters: list[float]) -> bool:
    """A table found across a page's gutter that is one table, not a column's table read together
    with the prose beside it: its cells past the gutter hold figures (or a mark), never words."""
    x0, _, x1, _ = found.bbox
    crossed = [g for g in gutters if x0 < g < x1]
    if not crossed:
        return False
    for row in found.table.rows[found.table.header_rows :]:
        for cell in row:
            if cell.bbox is None or cell.bbox[0] < crossed[0] or cell.is_blank:
                continue
            if read_cell(cell.text).status == "text" and len(cell.text.split()) > 1:
                return False
    return True


def gutters(words: list[Word], width: float, body: float) -> list[float]:
    """Where a page set in columns parts them: the middles of bands of blank page, top to bottom,
    that no word crosses, away from the page's edges, with lines of words on both sides and
    running text on one at least (a table's blank between its labels and its figures has figures,
    not words, on one side). [] for a page in one column."""
    if not words:
        return []
    covered = sorted((w.x0, w.x1) for w in words)
    bands, reach = [], covered[0][1]
    for x0, x1 in covered[1:]:
        if x0 - reach >= SETTINGS.gutter_min:
            bands.append((reach, x0))
        reach = max(reach, x1)
    zone = width * SETTINGS.gutter_zone
    need = SETTINGS.column_prose_lines
    cuts = [(left, right) for left, right in bands if zone <= (left + right) / 2 <= width - zone]
    # a blank inside a table parts figures from figures: the strip it leaves has no lines of words,
    # and joins the column on its left
    pruned = True
    while cuts and pruned:
        pruned = False
        edges = [float("-inf")] + [(a + b) / 2 for a, b in cuts] + [float("inf")]
        for k in range(len(cuts) + 1):
            strip = [w for w in words if edges[k] <= w.x0 < edges[k + 1]]
            if _text_lines(strip, body, (float("-inf"), float("inf")))[0] < need:
                del cuts[max(k - 1, 0)]
                pruned = True
                break
    out = []
    for n, (left, right) in enumerate(cuts):
        lo = (cuts[n - 1][0] + cuts[n - 1][1]) / 2 if n else float("-inf")
        hi = (cuts[n + 1][0] + cuts[n + 1][1]) / 2 if n + 1 < len(cuts) else float("inf")
        before = [w for w in words if lo <= w.x0 and w.x1 <= left]
        after = [w for w in words if w.x0 >= right and w.x1 <= hi]
        margin = min(w.x0 for w in before) if before else left
        # running text stands against the gutter: left of it its lines reach near it, right of it
        # they begin at it
        counts = [
            _text_lines(before, body, (left - SETTINGS.gutter_reach * (left - margin), float("inf"))),
            _text_lines(after, body, (float("-inf"), right + 2 * SETTINGS.gutter_min)),
        ]
        if all(text >= need for text, _ in counts) and any(prose >= need for _, prose in counts):
            out.append(round((left + right) / 2, 2))
    return out


def _text_lines(words: list[Word], body: float, near: tuple[float, float]) -> tuple[int, int]:
    """Lines mostly of words of letters, and of them those of running text (five words or more)
    standing against the gutter: ending at or right of ``near[0]`` and beginning at or left of
    ``near[1]``."""
    text = prose = 0
    for line in Line.group(words, body):
        tokens = line.text.split()
        if sum(t.strip(".,;:()").isalpha() for t in tokens) * 2 > len(tokens):
            text += 1
            starts_on_words = any(ch.isalpha() for ch in tokens[0])  # not on a row's figures
            prose += len(tokens) >= 5 and starts_on_words and line.x1 >= near[0] and line.x0 <= near[1]
    return text, prose


def _mark_ocr(content: PageContent, words: list[Word]) -> None:
    """Tables read from OCR'd words say so: their method ends in ``+ocr`` and their report's
    accuracy is the engine's mean confidence (%) over the words inside them."""
    for _, table, bbox in content.tables:
        table.method = f"{table.method}+{OCR_METHOD}"
        x0, top, x1, bottom = bbox
        inside = [
            getattr(w, "confidence", 1.0)
            for w in words
            if x0 <= w.center <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
        ]
        if table.report is not None and inside:
            table.report.accuracy = round(100 * sum(inside) / len(inside), 2)


DRAWING = ("line", "rect", "curve")


def _keep_drawing(page) -> None:
    """Let a page's characters and layout go but keep its rulings (lines, rects, curves): the
    table finders read those after every page's words are known, and re-parsing the page for
    them would read it twice."""
    objects = getattr(page, "objects", None)
    if not isinstance(objects, dict):
        return
    drawn = {kind: objects[kind] for kind in DRAWING if kind in objects}
    _flush(page)
    page._objects = drawn


def _flush(page) -> None:
    flush = getattr(page, "flush_cache", None)
    if flush is not None:
        flush()


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(raw) -> set[str]:
    """Texts that stand in the top or bottom margin of many pages: running headers and footers."""
    counts: Counter = Counter()
    for page, words in raw:
        seen = set()
        for line in Line.group(words, SETTINGS.default_body_size):
            if line.top < page.height * SETTINGS.margin or line.bottom > page.height * (1 - SETTINGS.margin):
                seen.add(_margin_key(line.text))
        counts.update(seen)
    limit = max(2, int(len(raw) * SETTINGS.running_line_share))
    return {text for text, n in counts.items() if n >= limit}


def _drop_running(words: list[Word], page, running: set[str]) -> list[Word]:
    """The page's words less its running header, footer and page number."""
    keep = []
    for line in Line.group(words, SETTINGS.default_body_size):
        in_margin = line.top < page.height * SETTINGS.margin or line.bottom > page.height * (1 - SETTINGS.margin)
        if in_margin and (_margin_key(line.text) in running or _PAGE_NUMBER.match(line.text.strip())):
            continue
        keep.extend(line.words)
    return keep


# ---- blocks -----------------------------------------------------------------------------------


def _assemble(doc: Document, pages: list[PageContent]) -> None:
    body = statistics.median([ln.size for p in pages for ln in p.lines] or [SETTINGS.default_body_size])
    last_table: Optional[Block] = None
    for content in pages:
        # reading order: column by column, top to bottom
        items: list[tuple[tuple[int, float, int, float], Line | tuple[float, Table, tuple]]] = [
            (content.reading_key(ln.x0, ln.top), ln) for ln in content.lines
        ]
        items += [(content.reading_key(t[2][0], t[0]), t) for t in content.tables]
        items.sort(key=lambda item: item[0])
        current: Optional[Block] = None
        first_body_on_page = True
        for _, item in items:
            if isinstance(item, tuple):  # a table: (top, table, bbox)
                _, table, bbox = item
                earlier = last_table.table if last_table is not None else None
                if earlier is not None and first_body_on_page and _continues(earlier, table):
                    _stitch(earlier, table)
                    earlier.pages.append(content.number)
                else:
                    block = Block("table", "", page=content.number, bbox=bbox, table=table)
                    doc.blocks.append(block)
                    last_table = block
                current = None
                first_body_on_page = False
                continue
            line = item
            kind_of = _line_kind(line, body)
            if kind_of == "footnote_start":
                current = Block(
                    "footnote",
                    line.text_without_lead_marker,
                    marker=line.lead_marker,
                    footnotes=list(line.markers),
                    page=content.number,
                    bbox=line.bbox,
                )
                doc.blocks.append(current)
                assert line.lead_marker is not None  # _line_kind: a footnote starts with its marker
                doc.footnotes[line.lead_marker] = current.text
                continue
            if kind_of == "small" and current is not None and current.kind == "footnote":
                _extend(current, line, doc)
                continue
            if kind_of == "small":
                kind_of = "paragraph"
            if current is not None and _continues_block(current, line, kind_of, body):
                _extend(current, line, doc)
                if current.kind == "heading" and (_running_text(current) or kind_of == "paragraph"):
                    current.kind, current.level = "paragraph", None  # bold running text, not a heading
                continue
            if kind_of == "paragraph" and first_body_on_page and line.text[:1].islower():
                previous = _last_prose(doc)
                if previous is not None:  # a paragraph cut by the page break
                    _extend(previous, line, doc)
                    current = previous
                    first_body_on_page = False
                    continue
            text = line.text
            if kind_of == "list_item":
                text = re.sub(rf"^[{BULLETS}\-–]\s*", "", text)
            level = (1 if line.size >= body * SETTINGS.heading1_ratio else 2) if kind_of == "heading" else None
            current = Block(
                kind_of, text, level=level, footnotes=list(line.markers), page=content.number, bbox=line.bbox
            )
            current._last_bottom = line.bottom  # type: ignore[attr-defined]
            current._gap = line.height  # type: ignore[attr-defined]
            current._body_size = line.size < body * SETTINGS.heading_ratio  # type: ignore[attr-defined]
            doc.blocks.append(current)
            if kind_of != "caption":
                last_table = None
            first_body_on_page = False


def _line_kind(line: Line, body: float) -> str:
    if line.lead_marker is not None and line.size < body * SETTINGS.footnote_ratio:
        return "footnote_start"
    if line.size < body * SETTINGS.small_text_ratio:
        return "small"
    if caption_label(line.text) and (line.bold or line.size < body):
        return "caption"
    numbered = (
        re.match(r"^\d{1,2}\.\s+\S", line.text)
        or re.match(r"^\d{1,2}(\.\d{1,2})+\s+[A-Z]", line.text)
        or re.match(r"^\d{1,2}\s+[A-Z][a-z]", line.text)
    ) and re.search(r"[a-z]", line.text)
    if line.text[:1] in BULLETS or re.match(r"^[-–]\s", line.text) or (numbered and not line.bold):
        return "list_item"
    words = len(line.text.split())
    # a bold sentence with a figure in it ("... increased by 429 percent."), not a heading
    sentence = words >= SETTINGS.run_on_words and line.text.rstrip().endswith(".") and bool(re.search(r"\d", line.text))
    if line.size >= body * SETTINGS.heading_ratio or (
        line.bold and words <= SETTINGS.heading_max_words and not sentence
    ):
        return "heading"
    return "paragraph"


def _continues_block(current: Block, line: Line, kind_of: str, body: float) -> bool:
    """Whether a line goes on with the block above it: a paragraph's or heading's next line, a
    caption wrapped onto a second line ("(data excludes / non-crime ...)"), a list item's indented
    next line, or a line that goes on with the sentence above it (:func:`_runs_on`)."""
    if not _same_block(current, line):
        return False
    if current.kind == kind_of and kind_of in ("paragraph", "heading"):
        return True
    if current.kind == "caption" and kind_of in ("paragraph", "heading") and line.text[:1].islower():
        return True
    if current.kind == "list_item" and kind_of == "paragraph" and current.bbox is not None:
        if line.x0 > current.bbox[0] + 2:
            return True
    return kind_of in ("paragraph", "heading") and _runs_on(current, line, body)


def _running_text(block: Block) -> bool:
    """A body-size bold block grown past a heading's length: running text set in bold."""
    return getattr(block, "_body_size", False) and len(block.text.split()) > SETTINGS.heading_max_words


def _runs_on(block: Block, line: Line, body: float) -> bool:
    """A line that goes on with the sentence of the block above it, set in the bold of the body
    size (sub-bullets printed bold): that block does not end a sentence, and the line opens in lower
    case, or opens on a figure after running text cut at a lower-case word ("increased by more than
    / 17 percent")."""
    if block.kind not in ("paragraph", "heading") or not _same_block(block, line):
        return False
    if block.kind == "heading" and not getattr(block, "_body_size", False):
        return False
    if line.size >= body * SETTINGS.heading_ratio or re.search(r"[.!?:;]\s*$", block.text):
        return False
    words = block.text.split()
    cut = len(words) >= SETTINGS.run_on_words and words[-1][:1].islower()
    return line.text[:1].islower() or (cut and line.text[:1].isdigit())


def _same_block(block: Block, line: Line) -> bool:
    last_bottom = getattr(block, "_last_bottom", None)
    if last_bottom is None or block.page != line.page:
        return False
    return line.top - last_bottom <= max(line.height * SETTINGS.paragraph_gap_ratio, SETTINGS.paragraph_gap_min)


def _extend(block: Block, line: Line, doc: Document) -> None:
    """Join a line to its block; a line on a later page (a paragraph cut by the page break) starts
    a span of its own, so a figure on it is given its own page and box."""
    text = line.text
    if block.text.endswith("-") and text[:1].islower():
        at = len(block.text) - 1
        block.text = block.text[:-1] + text
    else:
        at = len(block.text) + 1 if block.text.strip() else 0
        block.text = f"{block.text} {text}".strip()
    block.spans = joined_spans(block.spans, block.page, block.bbox, at, [Span(0, line.page, line.bbox)])
    block.footnotes.extend(line.markers)
    if block.page == line.page and block.bbox:
        x0, top, x1, bottom = block.bbox
        block.bbox = (min(x0, line.x0), top, max(x1, line.x1), max(bottom, line.bottom))
    block._last_bottom = line.bottom  # type: ignore[attr-defined]
    if block.kind == "footnote" and block.marker:
        doc.footnotes[block.marker] = block.text


def _last_prose(doc: Document) -> Optional[Block]:
    for block in reversed(doc.blocks):
        if block.kind in ("footnote", "caption"):
            continue
        if block.kind in ("paragraph", "list_item") and not re.search(r"[.!?:]\s*$", block.text):
            return block
        return None
    return None


def _continues(previous: Table, table: Table) -> bool:
    """A table at the top of a page goes on from the table that ended the previous page when its
    columns are the same, or when, printed without a header of its own, each of its cells stands
    under one of the earlier table's columns (:func:`_under_columns`; it is re-gridded to them)."""
    if previous.method != table.method:
        return False
    if previous.n_cols == table.n_cols:
        return True
    rows = _under_columns(previous, table) if table.header_rows == 0 else None
    if rows is None:
        return False
    table.rows = rows
    return True


def _under_columns(previous: Table, table: Table) -> Optional[list[list[Cell]]]:
    """A continuation's rows set under the earlier table's columns: each filled cell in the column
    whose span (as the earlier table's figures draw it) holds the cell's centre. None when a cell
    stands under no column, or two cells of a row under one: then it is another table."""
    spans: dict[int, tuple[float, float]] = {}
    for row in previous.rows[previous.header_rows :]:
        for k, cell in enumerate(row):
            if cell.bbox is not None and cell.text and k not in spans:
                spans[k] = (cell.bbox[0], cell.bbox[2])
    out = []
    for row in table.rows:
        placed: list[Cell] = [Cell("", page=c.page) for c in previous.rows[0]]
        taken: set[int] = set()
        for cell in row:
            if not cell.text:
                continue
            if cell.bbox is None:
                return None
            centre = (cell.bbox[0] + cell.bbox[2]) / 2
            under = [k for k, (x0, x1) in spans.items() if x0 <= centre <= x1]
            if len(under) != 1 or under[0] in taken:
                return None
            taken.add(under[0])
            placed[under[0]] = cell
        out.append(placed)
    return out


def _stitch(previous: Table, table: Table) -> None:
    """Append a continuation, dropping a repeated header row; in a table of prose the row cut by
    the page break is joined back together."""
    rows = table.rows
    header = [c.text for c in previous.rows[0]]
    if rows and [c.text for c in rows[0]] == header:
        rows = rows[max(table.header_rows, 1) :]
    if rows and len(previous.rows) > 1 and not any(is_data_row(r) for r in previous.rows + rows):
        last, first = previous.rows[-1], rows[0]
        for k, cell in enumerate(first[: len(last)]):
            if cell.text:
                old = last[k]
                before = old.paragraphs or ([old.text] if old.text else [])
                at = len(old.text) + 1 if old.text.strip() else 0
                more = cell.spans or [Span(0, cell.page, cell.bbox)]
                old.spans = joined_spans(old.spans, old.page, old.bbox, at, more)
                old.text = f"{old.text} {cell.text}".strip()
                pieces = cell.paragraphs or [cell.text]
                if before and not re.search(r"[.!?]$", before[-1]):
                    old.paragraphs = before[:-1] + [before[-1] + " " + pieces[0]] + pieces[1:]
                else:
                    old.paragraphs = before + pieces
                old.footnotes += cell.footnotes
        rows = rows[1:]
    dropped = len(table.rows) - len(rows)
    if table.row_heads or previous.row_heads:
        heads = previous.row_heads or [-1] * len(previous.rows)
        offset = len(previous.rows) - dropped
        later = table.row_heads[dropped:] if table.row_heads else [-1] * len(rows)
        previous.row_heads = heads + [h + offset if h >= dropped else -1 for h in later]
    previous.rows.extend(rows)
    refresh_report(previous)
