"""Words, lines and table grids on a PDF page (pdfplumber).

Footnote markers are told apart by size and baseline. The grids the table finders
(:mod:`extract.readers.table_finders`) build on: cells from ruled boxes, and unruled tables from
lines whose words fall into aligned columns with figures in them (the whitespace-aligned
appendix tables).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from extract.model import Cell, Table
from extract.readers.markup import BULLETS, cell_paragraphs
from extract.readers.settings import SETTINGS
from extract.vocab.values import caption_label, is_data_row, read_cell


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str
    page: int

    @classmethod
    def from_plumber(cls, w: dict, page: int) -> Word:
        return cls(
            w["text"],
            float(w["x0"]),
            float(w["x1"]),
            float(w["top"]),
            float(w["bottom"]),
            float(w.get("size") or 0),
            w.get("fontname") or "",
            page,
        )

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    """Words on one baseline, with footnote markers told apart from the text."""

    words: list[Word]
    page: int
    markers: list[str] = field(default_factory=list)
    lead_marker: Optional[str] = None
    text: str = ""
    text_without_lead_marker: str = ""
    size: float = 0.0
    bold: bool = False

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def height(self) -> float:
        return max(self.size, 1.0) * SETTINGS.line_height_ratio

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))

    @classmethod
    def group(cls, words: list[Word], body: float) -> list[Line]:
        """Words → lines: a small raised word joins the line whose text it sits beside."""
        ordered = sorted(words, key=lambda w: (w.page, round(w.bottom), w.x0))
        lines: list[list[Word]] = []
        for w in ordered:
            for line in reversed(lines[-3:]):
                ref = max(line, key=lambda x: x.size)
                overlap = min(ref.bottom, w.bottom) - max(ref.top, w.top)
                if line[0].page == w.page and overlap > SETTINGS.same_line_overlap * min(
                    ref.bottom - ref.top, w.bottom - w.top
                ):
                    line.append(w)
                    break
            else:
                lines.append([w])
        out = [cls.build(sorted(ws, key=lambda w: w.x0)) for ws in lines]
        out.sort(key=lambda ln: (ln.page, ln.top, ln.x0))
        return out

    @classmethod
    def build(cls, words: list[Word]) -> Line:
        sizes = Counter(round(w.size, 1) for w in words for _ in w.text)
        main = sizes.most_common(1)[0][0]
        main_words = [w for w in words if round(w.size, 1) >= main * SETTINGS.main_size_ratio]
        baseline = max((w.bottom for w in main_words), default=max(w.bottom for w in words))
        line = cls(
            words=words,
            page=words[0].page,
            size=main,
            bold=sum("bold" in w.fontname.lower() for w in main_words) > len(main_words) / 2,
        )
        texts = []
        for i, w in enumerate(words):
            if is_marker(w, main, baseline):
                if i == 0 and len(words) > 1:
                    line.lead_marker = w.text
                else:
                    line.markers.append(w.text)
                continue
            texts.append(w.text)
        line.text = " ".join(texts)
        line.text_without_lead_marker = line.text
        if line.lead_marker is None and words and is_marker(words[0], main, baseline, lead=True) and len(words) > 1:
            line.lead_marker = words[0].text
        return line


def is_marker(word: Word, main_size: float, baseline: float, lead: bool = False) -> bool:
    """A footnote marker: one to three digits, smaller than the line's text and raised above its
    baseline."""
    return (
        bool(re.fullmatch(r"\d{1,3}", word.text))
        and word.size < main_size * SETTINGS.main_size_ratio
        and word.bottom < baseline - SETTINGS.marker_raise
    )


def _cell_text(words: list[Word], body: float) -> Cell:
    """A cell from the words inside it: lines joined, markers split off, bullets as paragraphs."""
    if not words:
        return Cell("")
    lines = Line.group(words, body)
    markers = [m for ln in lines for m in ln.markers] + [ln.lead_marker for ln in lines if ln.lead_marker]
    pieces = [ln.text for ln in lines if ln.text]
    text = " ".join(pieces)
    paragraphs = cell_paragraphs(text) if any(b in text for b in BULLETS) else []
    x0 = min(w.x0 for w in words)
    return Cell(
        text=text,
        raw=text,
        footnotes=markers,
        paragraphs=paragraphs,
        page=words[0].page,
        bbox=(
            round(x0, 2),
            round(min(w.top for w in words), 2),
            round(max(w.x1 for w in words), 2),
            round(max(w.bottom for w in words), 2),
        ),
    )


def header_rows(rows: list[list[Cell]]) -> int:
    """Leading rows that hold no figures head the table (a table of prose: its first row)."""
    n = 0
    for row in rows:
        if is_data_row(row):
            break
        n += 1
    return 1 if n == len(rows) else n


# ---- ruled grids ------------------------------------------------------------------------------


def grid_from_boxes(rows_of_boxes, words: list[Word], page_number: int, body: float) -> list[list[Cell]]:
    """Cells from their boxes (x0, top, x1, bottom), each filled with the words whose centre it holds."""
    grid = []
    for boxes in rows_of_boxes:
        cells = []
        for bbox in boxes:
            if bbox is None:
                cells.append(Cell("", page=page_number))
                continue
            slack = SETTINGS.box_slack
            inside = [
                w
                for w in words
                if bbox[0] - slack <= w.center <= bbox[2] + slack
                and bbox[1] - slack <= (w.top + w.bottom) / 2 <= bbox[3] + slack
            ]
            cell = _cell_text(inside, body)
            cell.page = page_number
            x0, top, x1, bottom = (round(float(v), 2) for v in bbox)
            cell.bbox = (x0, top, x1, bottom)
            cells.append(cell)
        grid.append(cells)
    width = max((len(r) for r in grid), default=0)
    return [r + [Cell("", page=page_number)] * (width - len(r)) for r in grid]


# ---- unruled tables ---------------------------------------------------------------------------


def segments(line: Line) -> list[list[Word]]:
    """Runs of words separated by more than a word space: the cells of an unruled row."""
    gap = max(SETTINGS.column_gap_min, SETTINGS.column_gap_ratio * line.size)
    runs: list[list[Word]] = []
    for w in line.words:
        if runs and w.x0 - runs[-1][-1].x1 <= gap:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _is_tabular(line: Line) -> bool:
    runs = segments(line)
    if len(runs) < 2:
        return False
    return any(read_cell(" ".join(w.text for w in run)).status in ("value", "truncated") for run in runs[1:])


def _is_fragment(line: Line, left: float, previous: Line) -> bool:
    """A wrapped piece of a row label: one run of words at the table's left edge, close below."""
    return (
        len(segments(line)) == 1
        and abs(line.x0 - left) <= SETTINGS.label_indent
        and line.top - previous.bottom <= line.height * SETTINGS.row_gap_ratio
        and not _is_tabular(line)
    )


def unruled_tables(lines: list[Line], body: float, page: int) -> list[tuple[Table, tuple, set]]:
    """Blocks of lines whose words stand in aligned columns with figures in them; row labels
    wrapped onto lines of their own are joined to their row."""
    out = []
    i = 0
    while i < len(lines):
        if not _is_tabular(lines[i]):
            i += 1
            continue
        left = lines[i].x0
        # wrapped label lines above the first row, below the header
        start = i
        while (
            start > 0
            and i - start < SETTINGS.label_lines_above
            and _is_fragment(lines[start - 1], left, lines[start - 2] if start > 1 else lines[start - 1])
            and lines[start].top - lines[start - 1].bottom <= lines[start].height * SETTINGS.row_gap_ratio
        ):
            start -= 1
        head_start = start
        size = lines[i].size
        while head_start > 0 and start - head_start < SETTINGS.header_lines:
            above, below = lines[head_start - 1], lines[head_start]
            close = below.top - above.bottom <= above.height * SETTINGS.row_gap_ratio and not caption_label(above.text)
            # header lines are set like the rows; a one-run line only continues a header below it
            if (
                not close
                or abs(above.size - size) > SETTINGS.header_size_slack
                or (len(segments(above)) < 2 and head_start == start)
            ):
                break
            head_start -= 1
        if head_start == start:
            start = i  # no header above: the single-run lines were not part of the table
        header = lines[head_start:start]
        rows: list[tuple[list[Line], Line]] = []
        pending = lines[start:i]
        j = i
        while j < len(lines):
            line = lines[j]
            prev = lines[j - 1]
            if _is_tabular(line) and line.top - prev.bottom <= line.height * SETTINGS.table_row_gap_ratio:
                rows.append((pending, line))
                pending = []
            elif _is_fragment(line, left, prev) and any(_is_tabular(x) for x in lines[j + 1 : j + 3]):
                pending.append(line)
            else:
                break
            j += 1
        at_page_top = head_start == 0
        if len(rows) >= 2 or (at_page_top and not header and rows):
            table = _grid(header, rows, body, page)
            if table is not None:
                members = header + [x for frags, ln in rows for x in [*frags, ln]]
                used = {id(ln) for ln in members}
                x0 = min(ln.x0 for ln in members)
                x1 = max(ln.x1 for ln in members)
                bbox = (round(x0, 2), round(members[0].top, 2), round(x1, 2), round(members[-1].bottom, 2))
                out.append((table, bbox, used))
        i = max(j, i + 1)
    return out


def _columns(data: list[Line]) -> list[list[float]]:
    """Column extents from the data rows' cell runs (overlapping runs are one column)."""
    spans = sorted([run[0].x0, run[-1].x1] for ln in data for run in segments(ln))
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + SETTINGS.column_join_slack:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return cols


def _column_of(run: list[Word], cols: list[list[float]]) -> int:
    x0, x1 = run[0].x0, run[-1].x1
    best, best_score = 0, None
    for k, (c0, c1) in enumerate(cols):
        overlap = min(x1, c1) - max(x0, c0)
        score = overlap if overlap > 0 else -min(abs(x0 - c1), abs(c0 - x1))
        if best_score is None or score > best_score:
            best, best_score = k, score
    return best


def _header_column(word: Word, cols: list[list[float]]) -> int:
    """A header word belongs to the column whose cell holds its centre: cells end where the
    column's figures end (they are right-aligned) and begin where the previous column's end."""
    center = word.center
    for k, (_, c1) in enumerate(cols):
        if center <= c1 + 1:
            return k
    return len(cols) - 1


def _grid(header: list[Line], rows: list[tuple[list[Line], Line]], body: float, page: int) -> Optional[Table]:
    data = [ln for _, ln in rows]
    cols = _columns(data)
    if len(cols) < 2:
        return None
    grid = []
    if header:
        parts: list[list[Word]] = [[] for _ in cols]
        for ln in header:
            for word in ln.words:  # placed one by one: a run of header words may span columns
                parts[_header_column(word, cols)].append(word)
        grid.append([_cell_text(ws, body) for ws in parts])
    for fragments, ln in rows:
        parts = [[] for _ in cols]
        for run in segments(ln):
            parts[_column_of(run, cols)].extend(run)
        cells = [_cell_text(ws, body) for ws in parts]
        if fragments:
            label = " ".join([f.text for f in fragments] + [cells[0].text]).strip()
            cells[0] = Cell(
                text=label,
                raw=label,
                footnotes=cells[0].footnotes,
                page=page,
                bbox=(fragments[0].x0, fragments[0].top, ln.x1, ln.bottom),
            )
        grid.append(cells)
    for row in grid:
        for cell in row:
            cell.page = page
    return Table(rows=grid, header_rows=1 if header else 0, method="aligned-text", pages=[page])
