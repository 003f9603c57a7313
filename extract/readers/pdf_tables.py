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
from extract.vocab.periods import is_total_label, parse_period
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


# dots that lead a row label to its figures ("All ages . . . . . 291,099"): not part of the label
_DOT_LEADER = re.compile(r"(?:\s*[.…·]){3,}\s*$")
# one number whose text layer puts a space beside its thousands commas ("2 ,536", "7, 197")
_SPLIT_THOUSANDS = re.compile(r"[-–]?\d{1,3}(?:\s?,\s?\d{3})+(?:\.\d+)?%?")


def joined_number(text: str) -> str:
    """A table cell's text with a number split at its thousands commas joined back ("2 ,536" ->
    "2,536"): a cell holds one figure, and digit groups of three after each comma are one number,
    as its characters stand; any other text as it is."""
    if " " in text and _SPLIT_THOUSANDS.fullmatch(text.strip()):
        return re.sub(r"\s+", "", text.strip())
    return text


def _cell_text(words: list[Word], body: float) -> Cell:
    """A cell from the words inside it: lines joined, markers split off, bullets as paragraphs."""
    if not words:
        return Cell("")
    lines = Line.group(words, body)
    markers = [m for ln in lines for m in ln.markers] + [ln.lead_marker for ln in lines if ln.lead_marker]
    pieces = [ln.text for ln in lines if ln.text]
    text = joined_number(_DOT_LEADER.sub("", " ".join(pieces)))
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


def _inside(bbox, words: list[Word]) -> list[Word]:
    slack = SETTINGS.box_slack
    return [
        w
        for w in words
        if bbox[0] - slack <= w.center <= bbox[2] + slack
        and bbox[1] - slack <= (w.top + w.bottom) / 2 <= bbox[3] + slack
    ]


def _column_edges(rows_of_boxes) -> list[float]:
    """The x where each column of a ruled grid begins, as most of its rows draw it, and where the
    last ends."""
    width = max((len(r) for r in rows_of_boxes), default=0)
    starts = []
    for k in range(width):
        xs = Counter(round(float(r[k][0]), 1) for r in rows_of_boxes if k < len(r) and r[k] is not None)
        starts.append(xs.most_common(1)[0][0] if xs else None)
    ends = [float(b[2]) for r in rows_of_boxes for b in r if b is not None]
    if not ends or any(x is None for x in starts):
        return []
    return [float(x) for x in starts] + [max(ends)]  # type: ignore[arg-type]


def _split_merged(bbox, columns: list[tuple[float, float]], words: list[Word]) -> Optional[list[tuple]]:
    """A cell drawn over several columns whose words stand in more than one of them, apart by
    more than a word space at each column edge (figures in a shaded row whose rulings were not
    drawn): the cell split at the columns' edges. None when its words read as one phrase."""
    inside = sorted(_inside(bbox, words), key=lambda w: w.x0)
    if not inside:
        return None
    place = [next((k for k, (c0, c1) in enumerate(columns) if w.center <= c1), len(columns) - 1) for w in inside]
    if len(set(place)) < 2:
        return None
    gap = SETTINGS.column_gap_min
    for (a, ka), (b, kb) in zip(zip(inside, place), zip(inside[1:], place[1:])):
        if kb != ka and (b.x0 - a.x1 < gap or a.x1 > columns[ka][1] + SETTINGS.box_slack):
            return None  # a phrase running over the column edge: a spanning header
    return [(c0, bbox[1], c1, bbox[3]) for c0, c1 in columns]


def _row_bands(rows_of_boxes) -> list[Optional[tuple[float, float]]]:
    """Each ruled row's top and bottom as its own cells draw them (a cell drawn down over the rows
    below ends lower than the row does)."""
    bands: list[Optional[tuple[float, float]]] = []
    for boxes in rows_of_boxes:
        drawn = [b for b in boxes if b is not None]
        bands.append((min(float(b[1]) for b in drawn), min(float(b[3]) for b in drawn)) if drawn else None)
    return bands


def _split_down(box, bands: list[tuple[float, float]], words: list[Word], level: list[list[float]]) -> bool:
    """Whether a cell drawn down over several rows holds one label per row: each of its lines
    stands level with the words of one row (its rulings were only left undrawn), every row it spans
    gets a line, and each row's first line is set on that row's line of figures. A label wrapped or
    centred over the rows (one line, or lines between the rows' lines) is one cell."""
    lines = Line.group(_inside(box, words), 0.0)
    if len(lines) < len(bands):
        return False
    placed: list[list[Line]] = [[] for _ in bands]
    for ln in lines:
        mid = (ln.top + ln.bottom) / 2
        k = next((k for k, (top, bottom) in enumerate(bands) if top <= mid <= bottom), None)
        if k is None:
            return False
        placed[k].append(ln)
    for own, tops in zip(placed, level):
        if not own or not tops:
            return False
        first = own[0]
        if not any(abs(first.top - t) <= SETTINGS.box_slack + 0.15 * (first.bottom - first.top) for t in tops):
            return False
    return True


def split_spanned_rows(rows_of_boxes, words: list[Word]) -> list[list]:
    """A cell drawn down over the rows below it is split at the rows' edges when its lines stand
    one per row, level with each row's other words (:func:`_split_down`): a column of labels whose
    rulings between rows were left undrawn ("Avalon / Unincorporated / Station Total" beside three
    rows of figures). Otherwise the cell stays one, spanning its rows."""
    rows = [list(r) for r in rows_of_boxes]
    bands = _row_bands(rows)
    for i, boxes in enumerate(rows):
        for k, box in enumerate(boxes):
            if box is None or bands[i] is None:
                continue
            below = []
            for j in range(i + 1, len(rows)):
                band = bands[j]
                if band is None or band[0] < float(box[1]) - 1 or band[1] > float(box[3]) + 1:
                    break
                if k < len(rows[j]) and rows[j][k] is not None:
                    break
                below.append(j)
            if not below:
                continue
            span = [i, *below]
            row_bands = [(bands[j][0], bands[j][1]) for j in span]  # type: ignore[index]
            level = [
                [w.top for b in rows[j] if b is not None and b is not box for w in _inside(b, words)] for j in span
            ]
            if not _split_down(box, row_bands, words, level):
                continue
            for j, (top, bottom) in zip(span, row_bands):
                cell = (box[0], top, box[2], bottom)
                if k < len(rows[j]):
                    rows[j][k] = cell
                else:
                    rows[j] += [None] * (k - len(rows[j])) + [cell]
    return rows


def complete_ruled_rows(rows_of_boxes, words: list[Word]) -> list[list]:
    """Ruled rows as the columns draw them: a cell a row does not draw (its rulings stop short, a
    label printed left of a lightly ruled grid) is the column's span on that row; a cell drawn over
    several columns is split at their edges when its words stand apart in them, and one drawn down
    over several rows at their edges when its lines stand one per row (:func:`split_spanned_rows`)."""
    rows_of_boxes = split_spanned_rows(rows_of_boxes, words)
    edges = _column_edges(rows_of_boxes)
    if len(edges) < 3:
        return [list(r) for r in rows_of_boxes]
    columns = list(zip(edges[:-1], edges[1:]))
    out = []
    drawn_so_far: list = []
    for boxes in rows_of_boxes:
        drawn = [b for b in boxes if b is not None]
        if not drawn:
            out.append(list(boxes))
            continue
        top, bottom = min(float(b[1]) for b in drawn), max(float(b[3]) for b in drawn)
        row: list = list(boxes) + [None] * (len(columns) - len(boxes))
        k = 0
        while k < len(columns):
            box = row[k]
            c0, c1 = columns[k]
            if box is None and any(  # a cell of a row above drawn down over this one
                float(b[3]) > top + 1 and float(b[0]) < c1 - 1 and float(b[2]) > c0 + 1 for b in drawn_so_far
            ):
                k += 1
                continue
            if box is None:
                row[k] = (c0, top, c1, bottom)
                k += 1
                continue
            spans = [j for j in range(k + 1, len(columns)) if row[j] is None and float(box[2]) > columns[j][0] + 1]
            if spans:
                last = spans[-1]
                split = _split_merged(box, columns[k : last + 1], words)
                if split is not None:
                    row[k : last + 1] = split
                k = last + 1
                continue
            k += 1
        out.append(row)
        drawn_so_far += drawn
    return out


def grid_from_boxes(rows_of_boxes, words: list[Word], page_number: int, body: float) -> list[list[Cell]]:
    """Cells from their boxes (x0, top, x1, bottom), each filled with the words whose centre it holds."""
    grid = []
    for boxes in rows_of_boxes:
        cells = []
        for bbox in boxes:
            if bbox is None:
                cells.append(Cell("", page=page_number))
                continue
            cell = _cell_text(_inside(bbox, words), body)
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
        previous = runs[-1][-1] if runs else None
        if previous is not None and w.x0 - previous.x1 <= gap and not _figures_apart(previous, w, line.size):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _figures_apart(left: Word, right: Word, size: float) -> bool:
    """Two figures side by side more than a word space apart stand in two cells ("39,385  181.2"
    in a tightly set table), whatever the page's column gap."""
    if right.x0 - left.x1 <= SETTINGS.figure_gap_ratio * size:
        return False
    return read_cell(left.text).status == "value" and read_cell(right.text).status == "value"


def _is_tabular(line: Line) -> bool:
    runs = segments(line)
    if len(runs) < 2:
        return False
    return any(
        read_cell(joined_number(" ".join(w.text for w in run))).status in ("value", "truncated") for run in runs[1:]
    )


def _is_fragment(line: Line, left: float, previous: Line) -> bool:
    """A wrapped piece of a row label: one run of words at the table's left edge, close below."""
    return (
        len(segments(line)) == 1
        and -SETTINGS.section_outdent <= line.x0 - left <= SETTINGS.label_indent
        and line.top - previous.bottom <= line.height * SETTINGS.row_gap_ratio
        and not _is_tabular(line)
    )


def _heads_labelled_rows(line: Line, below: Line) -> bool:
    """A line of years and words with no figure of its own (no row label at its left: "2017  2016
    % Chg") above a row that has a label standing left of it heads the columns, not a row."""
    runs = [joined_number(" ".join(w.text for w in run)) for run in segments(line)]
    periods = [t for t in runs if parse_period(t) is not None]
    figures = [t for t in runs if read_cell(t).status in ("value", "truncated") and parse_period(t) is None]
    return (
        bool(periods)
        and not figures
        and _is_tabular(below)
        and below.x0 < line.x0 - SETTINGS.column_gap_min
        and below.top - line.bottom <= line.height * SETTINGS.table_row_gap_ratio
    )


def unruled_tables(lines: list[Line], body: float, page: int, bands=()) -> list[tuple[Table, tuple, set]]:
    """Blocks of lines whose words stand in aligned columns with figures in them; row labels
    wrapped onto lines of their own are joined to their row, and lines that head the rows below
    them (see :func:`_section_like`; ``bands``: boxes of bars drawn across the page) kept as
    section rows."""
    out = []
    i = 0
    while i < len(lines):
        if not _is_tabular(lines[i]):
            i += 1
            continue
        if i + 1 < len(lines) and _heads_labelled_rows(lines[i], lines[i + 1]):
            i += 1  # a line of years over rows with labels is a header line: the loop below takes it in
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
            table = _grid(header, rows, body, page, bands)
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


def _spanned(run: list[Word], cols: list[list[float]], region: tuple[float, float]) -> Optional[tuple[int, int]]:
    """The columns (first, last; two or more, right of the labels) a header run is centred over:
    the widest group of columns inside ``region`` (the run's share of its line, up to half way
    to the runs beside it) whose figures it is centred on. None when no group is: a run over one
    column ("Number of" over "Adults") has only its own column in its share of the line."""
    x0, x1 = run[0].x0, run[-1].x1
    centre = (x0 + x1) / 2
    slack = SETTINGS.column_gap_min
    inside = [k for k in range(1, len(cols)) if region[0] <= (cols[k][0] + cols[k][1]) / 2 <= region[1]]
    best: Optional[tuple[int, float, int, int]] = None
    for a, k in enumerate(inside):
        for m in inside[a + 1 :]:
            left, right = cols[k][0], cols[m][1]
            miss = abs((left + right) / 2 - centre)
            if x0 >= left - slack - (right - left) and miss <= max(slack, SETTINGS.span_centre_share * (right - left)):
                if best is None or m - k > best[0]:
                    best = (m - k, miss, k, m)
    return (best[2], best[3]) if best is not None else None


def _header_row(header: list[Line], cols: list[list[float]], body: float, page: int) -> list[Cell]:
    """An aligned table's header lines as one row of cells: each word in the column under it; in a
    header of several lines, a group's name centred over several columns heads each of them,
    outer levels first ("2010 | Percent")."""
    parts: list[list[Word]] = [[] for _ in cols]
    outer: list[list[str]] = [[] for _ in cols]
    for n, ln in enumerate(header):
        words = list(ln.words)
        runs = segments(ln) if n < len(header) - 1 else []  # outer levels stand above the last line
        for r, run in enumerate(runs):
            left = (runs[r - 1][-1].x1 + run[0].x0) / 2 if r else cols[0][1]
            right = (run[-1].x1 + runs[r + 1][0].x0) / 2 if r + 1 < len(runs) else cols[-1][1]
            span = _spanned(run, cols, (left, right))
            if span is not None:
                for k in range(span[0], span[1] + 1):
                    outer[k].append(" ".join(w.text for w in run))
                words = [w for w in words if all(w is not r for r in run)]
        for word in words:  # one by one: a run of header words may span columns
            parts[_header_column(word, cols)].append(word)
    cells = [_cell_text(ws, body) for ws in parts]
    for k, names in enumerate(outer):
        if names:
            text = " | ".join(names + ([cells[k].text] if cells[k].text else []))
            cells[k] = Cell(text=text, raw=text, footnotes=cells[k].footnotes, page=page, bbox=cells[k].bbox)
    return cells


def _grid(header: list[Line], rows: list[tuple[list[Line], Line]], body: float, page: int, bands=()) -> Optional[Table]:
    data = [ln for _, ln in rows]
    cols = _columns(data)
    if len(cols) < 2:
        return None
    grid = []
    if header:
        grid.append(_header_row(header, cols, body, page))
    kinds: list[str] = ["header"] * len(grid)  # header, section, bold (a row set in bold), row
    for fragments, ln in rows:
        heads, fragments = _sections(fragments, ln, cols, bands)
        for head in heads:
            kinds.append("section")
            grid.append([_cell_text(list(head.words), body)] + [Cell("") for _ in cols[1:]])
        kinds.append("bold" if ln.bold else "row")
        parts: list[list[Word]] = [[] for _ in cols]
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
    return Table(
        rows=grid,
        header_rows=1 if header else 0,
        method="aligned-text",
        pages=[page],
        row_heads=row_heads(grid, kinds),
    )


def row_heads(grid: list[list[Cell]], kinds: list[str]) -> list[int]:
    """For each row, the row it stands under: the last section heading above it, or a bold row of
    figures whose next row is plain (a group's own line: "Aged 15 and older 230,391 ...") over the
    plain rows below it; a total row stands under none. -1 for none."""
    heads = [-1] * len(grid)
    section = group = -1
    for r, kind in enumerate(kinds):
        label = grid[r][0].text if grid[r] else ""
        if kind == "header":
            continue
        if kind == "section":
            section, group = r, -1
            continue
        if is_total_label(label):
            continue
        plain_next = r + 1 < len(kinds) and kinds[r + 1] == "row"
        if kind == "bold" and plain_next:
            heads[r] = section
            group = r
            continue
        heads[r] = group if group >= 0 and kind == "row" else section
    return heads


def _section_like(fragment: Line, below: Line, cols: list[list[float]], bands) -> bool:
    """A line of words alone inside a table heads the rows below it (a section: "Women", "Respondent
    sex") rather than being a wrapped piece of the next row's label when it is set bolder than that
    row, runs on into the figures' columns, or stands in a band of its own (a shaded or boxed bar
    across the table, ``bands``)."""
    if fragment.bold and not below.bold:
        return True
    if len(cols) > 1 and fragment.x1 > cols[1][0]:
        return True
    middle = (fragment.top + fragment.bottom) / 2
    return any(b[1] <= middle <= b[3] and b[0] <= fragment.x0 + SETTINGS.box_slack for b in bands)


def _sections(fragments: list[Line], line: Line, cols, bands) -> tuple[list[Line], list[Line]]:
    """The section headings among the lines of words alone above a row, and the row label's
    wrapped pieces (those below the last heading)."""
    last = -1
    for k, frag in enumerate(fragments):
        below = fragments[k + 1] if k + 1 < len(fragments) else line
        if _section_like(frag, below, cols, bands):
            last = k
    return fragments[: last + 1], fragments[last + 1 :]
