"""Text renditions → :class:`~extract.model.Document`.

The renditions put one paragraph per line, tables as tab-separated lines (cells may hold HTML),
footnote markers as superscript digits and chart placeholders as lines of spaces. A table that
breaks across a page continues after blank lines, placeholders or the page's footnotes; a row
split by the page break continues with a blank or lower-case first cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from extract.errors import ReadError
from extract.model import Block, Cell, Document, Table
from extract.readers.flattened import unflatten
from extract.readers.markup import (
    BULLETS,
    cell_paragraphs,
    clean_markdown,
    has_html,
    leading_marker,
    split_markers,
)
from extract.readers.table_finders import table_report
from extract.vocab.values import caption_label, is_data_row, strip_trend

_LIST = re.compile(rf"^\s*(?:[-*{BULLETS}]|\d{{1,2}}\.(?!\d)|\d+\.\d+(?:\.\d+)?\s)\s*")
_SEPARATOR = re.compile(r"^[\s\-–—:|]*$")


def decode(path: Path, data: bytes) -> str:
    """Bytes of a rendition → text; empty files and binary data are refused with a reason."""
    if not data.strip():
        raise ReadError(path, "empty file: no text to read")
    if b"\x00" in data[:4096]:
        raise ReadError(path, "binary data, not a text rendition")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(path, f"not UTF-8 text (byte {err.start}); is it really a text rendition?") from None
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > 0.05 * min(len(text), 4096):
        raise ReadError(path, "binary data, not a text rendition")
    return text


def read_text(path: Path, source_file: str) -> Document:
    """Read a text rendition into blocks with character offsets."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from None
    return parse_text(decode(path, data), source_file)


def parse_text(text: str, source_file: str) -> Document:
    doc = Document(source_file=source_file, reader="text")
    builder = _TableBuilder()
    offset = 0
    pending_bold: list[str] = []
    for raw_line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(raw_line)
        line = raw_line.rstrip("\r\n")
        if pending_bold:  # a **bold** span over several lines is one heading
            pending_bold.append(line)
            if "**" in line:
                _add_line(doc, builder, " ".join(pending_bold), start, offset)
                pending_bold = []
            continue
        if line.strip().startswith("**") and line.count("**") == 1:
            pending_bold = [line]
            continue
        _add_line(doc, builder, line, start, offset)
    builder.close(doc)
    unflatten(doc)
    if not doc.blocks:
        raise ReadError(source_file, "no text found")
    return doc


def _add_line(doc: Document, builder: _TableBuilder, line: str, start: int, end: int) -> None:
    if "\t" in line:
        builder.add_row(doc, line, start, end)
        return
    if not line.strip():
        builder.gap()
        return
    text = clean_markdown(line.strip())
    marker, rest = leading_marker(text)
    if marker is not None and rest:
        body, inner = split_markers(rest)
        doc.footnotes[marker] = body.strip()
        doc.blocks.append(Block("footnote", body.strip(), marker=marker, footnotes=inner, start=start, end=end))
        builder.gap()
        return
    builder.close(doc)
    if has_html(text):  # a paragraph printed as an HTML fragment: its words, not its tags
        text = " ".join(cell_paragraphs(text))
    body, markers = split_markers(text)
    body = body.strip()
    kind, level = classify_line(body, doc)
    if kind == "list_item":
        body = _LIST.sub("", body, count=1).strip()
    doc.blocks.append(Block(kind, body, level=level, footnotes=markers, start=start, end=end))


def classify_line(text: str, doc: Document) -> tuple[str, int | None]:
    """Paragraph, list item, caption or heading, from the shape of one line."""
    if caption_label(text):
        return "caption", None
    if _LIST.match(text) and not re.match(r"^\d+\.\d+\s*$", text):
        if not re.match(r"^\d{1,2}\.(?!\d)", text) or len(text.split()) > 3:
            return "list_item", None
    words = text.split()
    heading_like = (
        len(words) <= 14
        and not re.search(r"[.;,]$", text)
        and (text[:1].isupper() or text[:1].isdigit())
        and not re.search(r"\.\s+[A-Z]", text)
    )
    if heading_like:
        level = 1 if not any(b.kind == "heading" for b in doc.blocks) else 2
        return "heading", level
    return "paragraph", None


def make_cell(raw: str) -> Cell:
    """A cell from its raw text: HTML pieces become paragraphs; markers are split off."""
    if has_html(raw):
        pieces = cell_paragraphs(raw)
        pieces = [split_markers(p)[0].strip() for p in pieces]
        text = " ".join(pieces)
        _, markers = split_markers(raw)
        return Cell(text=text, raw=raw, footnotes=markers, paragraphs=pieces)
    text, markers = split_markers(clean_markdown(raw))
    text = " ".join(text.split())
    paragraphs = cell_paragraphs(text) if any(b in text for b in BULLETS) else []
    return Cell(text=text, raw=raw, footnotes=markers, paragraphs=paragraphs)


class _TableBuilder:
    """Gathers tab-separated lines into tables, across page breaks."""

    def __init__(self):
        self.rows: list[list[Cell]] = []
        self.block: Block | None = None
        self.after_gap = False
        self.tables = 0  # tables closed so far: the next one's order in the file

    def gap(self):
        if self.rows:
            self.after_gap = True

    def add_row(self, doc: Document, line: str, start: int, end: int) -> None:
        raw_cells = line.split("\t")
        if all(_SEPARATOR.match(c) for c in raw_cells):
            return  # a rule drawn with dashes
        cells = [make_cell(c) for c in raw_cells]
        while len(cells) > 1 and cells[-1].is_blank:
            cells.pop()
        if self.rows and self.after_gap and self._starts_new_table(cells):
            self.close(doc)
        if not self.rows:
            self.block = Block("table", "", start=start, end=end)
            doc.blocks.append(self.block)
            self.rows = [cells]
        elif self.after_gap and self._continues_row(cells):
            self._merge_into_last(cells)
        else:
            self.rows.append(cells)
        assert self.block is not None  # rows are gathered only into an open table block
        self.block.end = end
        self.after_gap = False

    def _starts_new_table(self, cells: list[Cell]) -> bool:
        first = _label(cells[0].text)
        if first and first == _label(self.rows[0][0].text):
            return True
        has_data = any(is_data_row(r) for r in self.rows)
        if has_data and not is_data_row(cells) and not self._continues_row(cells):
            return True
        width = max(len(r) for r in self.rows)
        return abs(len(cells) - width) > 1 and has_data

    def _continues_row(self, cells: list[Cell]) -> bool:
        """After a page break, a row cut in two goes on with a blank or lower-case first cell."""
        if any(is_data_row(r) for r in self.rows[1:]):
            return False
        first = cells[0].text.strip()
        return not first or first[0].islower()

    def _merge_into_last(self, cells: list[Cell]) -> None:
        last = self.rows[-1]
        for i, cell in enumerate(cells):
            if cell.is_blank:
                continue
            if i >= len(last):
                last.append(cell)
                continue
            old = last[i]
            last[i] = Cell(
                text=" ".join(filter(None, [old.text, cell.text])),
                raw=old.raw + " " + cell.raw,
                footnotes=old.footnotes + cell.footnotes,
                paragraphs=_join_paragraphs(old.paragraphs, cell.paragraphs or [cell.text]),
            )

    def close(self, doc: Document) -> None:
        if not self.rows:
            return
        width = max(len(r) for r in self.rows)
        rows = [r + [Cell("")] * (width - len(r)) for r in self.rows]
        header_rows = 0
        for row in rows:
            if is_data_row(row):
                break
            header_rows += 1
        if header_rows == len(rows):
            header_rows = 1  # a table of prose: its first row heads it
        assert self.block is not None  # rows are gathered only into an open table block
        self.block.table = table = Table(rows=rows, header_rows=header_rows, method="text")
        self.tables += 1
        table.report = table_report(table, "markdown", "tab-separated", None, self.tables)
        self.rows, self.block, self.after_gap = [], None, False


def _label(text: str) -> str:
    return strip_trend(text)[0].lower()


def _join_paragraphs(old: list[str], new: list[str]) -> list[str]:
    """A paragraph cut by a page break is joined to its first half."""
    if old and new and new[0][:1].islower():
        return old[:-1] + [old[-1] + " " + new[0]] + new[1:]
    return old + new
