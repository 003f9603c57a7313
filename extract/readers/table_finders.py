"""Table finders for a PDF page: one base, three strategies tried in order on each page.

``ruled`` assembles tables from the page's rulings (pdfplumber's lines strategy); ``camelot``
(camelot's lattice parser, where it is installed) reads a page whose rulings pdfplumber could not
assemble; ``aligned`` finds unruled tables by the alignment of the words left over. A strategy
that fails on a page is skipped on that page only, with a warning naming the file and page, and
the next one reads it. Every table found carries a parsing report, as camelot gives one.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from extract.model import BBox, Table, TableReport
from extract.readers.pdf_tables import (
    Line,
    Word,
    complete_ruled_rows,
    grid_from_boxes,
    header_rows,
    unruled_tables,
)
from extract.readers.settings import SETTINGS
from extract.vocab.values import is_data_row, read_cell

log = logging.getLogger(__name__)


@dataclass
class FoundTable:
    """A table a finder found on a page, with its box and the words it took."""

    table: Table
    bbox: BBox
    words: Optional[set[int]] = None  # ids of the words it took; None: every word inside its box
    accuracy: Optional[float] = None  # the strategy's own confidence (camelot's accuracy)

    def holds(self, word: Word) -> bool:
        """Whether the word is part of this table, and so not of the page's running text."""
        if self.words is not None:
            return id(word) in self.words
        cx, cy, slack = word.center, (word.top + word.bottom) / 2, SETTINGS.box_slack
        x0, top, x1, bottom = self.bbox
        return x0 - slack <= cx <= x1 + slack and top - slack <= cy <= bottom + slack


class TableFinder(ABC):
    """One way of finding the tables of a PDF page."""

    name: str = ""  # the report's strategy
    flavor: str = ""  # the report's flavor

    def wanted(self, page: Any, found: list[FoundTable]) -> bool:
        """Whether to try this strategy on the page, given what earlier strategies found there."""
        return True

    @abstractmethod
    def find(self, page: Any, words: list[Word], body: float) -> list[FoundTable]:
        """The tables on ``page`` made of ``words`` (those earlier strategies left)."""


def _rounded(bbox: Any) -> BBox:
    x0, top, x1, bottom = (round(float(v), 2) for v in bbox)
    return (x0, top, x1, bottom)


def has_rulings(page: Any) -> bool:
    """Evidence of a ruled table: several horizontal and several vertical rulings."""
    edges = page.edges
    horizontal = sum(1 for e in edges if e["orientation"] == "h")
    vertical = sum(1 for e in edges if e["orientation"] == "v")
    return horizontal >= SETTINGS.min_rulings and vertical >= SETTINGS.min_rulings


class RuledFinder(TableFinder):
    """Tables drawn with rulings (pdfplumber's lines strategy), cell by cell."""

    name, flavor = "ruled", "pdfplumber-lines"

    def wanted(self, page: Any, found: list[FoundTable]) -> bool:
        return bool(page.lines or page.rects)

    def table_settings(self, page: Any) -> dict:
        """pdfplumber's table settings: the page's own rulings."""
        return {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

    def find(self, page: Any, words: list[Word], body: float) -> list[FoundTable]:
        out = []
        for found in page.find_tables(self.table_settings(page)):
            boxes = complete_ruled_rows([row.cells for row in found.rows], words)
            grid = grid_from_boxes(boxes, words, page.page_number, body)
            if not grid or len(grid[0]) < 2:
                continue
            table = Table(rows=grid, header_rows=header_rows(grid), method="pdfplumber-lines", pages=[page.page_number])
            out.append(FoundTable(table, _rounded(found.bbox)))
        return out


@lru_cache(maxsize=1)
def camelot_installed() -> bool:
    """camelot is optional: without it a page pdfplumber cannot assemble keeps only its text."""
    return importlib.util.find_spec("camelot") is not None


class CamelotFinder(TableFinder):
    """camelot's lattice parser, for a page whose rulings pdfplumber could not assemble into a
    table; a table is kept only when camelot's parsing report vouches for it."""

    name, flavor = "camelot", "lattice"

    def __init__(self, path: Path, min_accuracy: float = SETTINGS.camelot_min_accuracy):
        self.path = path
        self.min_accuracy = min_accuracy

    def wanted(self, page: Any, found: list[FoundTable]) -> bool:
        if float(page.width) * float(page.height) > SETTINGS.camelot_max_page_area:
            return False  # rendering it would take minutes and gigabytes
        return not found and bool(page.lines or page.rects) and has_rulings(page) and camelot_installed()

    def find(self, page: Any, words: list[Word], body: float) -> list[FoundTable]:
        import camelot

        out = []
        height = float(page.height)
        with warnings.catch_warnings():
            # camelot warns of words outside its column ranges, one per word: the grid read from its
            # cells below places every word itself, and a build's output stays one line per problem
            warnings.simplefilter("ignore", UserWarning)
            tables = list(camelot.read_pdf(str(self.path), pages=str(page.page_number), flavor="lattice"))
        for found in tables:
            accuracy = found.parsing_report.get("accuracy", 0)
            if accuracy < self.min_accuracy:
                continue
            boxes = [[(c.x1, height - c.y2, c.x2, height - c.y1) for c in row] for row in found.cells]
            grid = grid_from_boxes(boxes, words, page.page_number, body)
            if not grid or len(grid[0]) < 2:
                continue
            x0 = min(b[0] for row in boxes for b in row)
            x1 = max(b[2] for row in boxes for b in row)
            top = min(b[1] for row in boxes for b in row)
            bottom = max(b[3] for row in boxes for b in row)
            table = Table(rows=grid, header_rows=header_rows(grid), method="camelot-lattice", pages=[page.page_number])
            out.append(FoundTable(table, _rounded((x0, top, x1, bottom)), accuracy=round(float(accuracy), 2)))
        return out


class AlignedFinder(TableFinder):
    """Unruled tables: lines whose words stand in aligned columns with figures in them."""

    name, flavor = "aligned", "aligned-text"

    def __init__(self) -> None:
        self.bands: list[BBox] = []  # bars the ruled strategies found drawn around words alone

    def find(self, page: Any, words: list[Word], body: float) -> list[FoundTable]:
        lines = Line.group(words, body)
        out = []
        for table, bbox, used in unruled_tables(lines, body, page.page_number, self.bands):
            taken = {id(w) for line in lines if id(line) in used for w in line.words}
            out.append(FoundTable(table, bbox, words=taken))
        return out


def _stacked(cell_text: str) -> bool:
    """A cell holding a column of figures (three or more, and little else): rows the rulings
    do not separate."""
    tokens = cell_text.split()
    values = sum(read_cell(t).status == "value" for t in tokens)
    return values >= 3 and values * 3 >= len(tokens) * 2


def _is_band(table: Table) -> bool:
    """One ruled row of words alone: a boxed or shaded bar (a section heading across a table)."""
    return len(table.rows) == 1 and not is_data_row(table.rows[0])


def _not_a_grid(table: Table) -> bool:
    """Rulings that do not draw the table's cells: a boxed line or shaded band of words alone (a
    section heading, a header bar), or a frame whose rows are not ruled (two or more cells of one
    row each holding a column of figures). Its words are left to the aligned finder, which reads
    them line by line."""
    if _is_band(table):
        return True
    return any(sum(_stacked(c.text) for c in row) >= 2 for row in table.rows)


def pdf_finders(path: Path) -> list[TableFinder]:
    """The strategies for a PDF's pages, in the order they are tried."""
    return [RuledFinder(), CamelotFinder(path), AlignedFinder()]


def find_tables(
    finders: list[TableFinder], path: Path, page: Any, words: list[Word], body: float, bands: Optional[list] = None
) -> tuple[list[FoundTable], list[Word]]:
    """The tables of one page, strategy by strategy, each on the words the earlier ones left,
    each with its parsing report; and the words no table took (the page's running text)."""
    found: list[FoundTable] = []
    free = words
    bands = [] if bands is None else bands  # bars found by the ruled strategies, for the aligned one
    for finder in finders:
        if isinstance(finder, AlignedFinder):
            finder.bands = bands
        try:
            new = finder.find(page, free, body) if finder.wanted(page, found) else []
        except Exception as err:  # one page a library cannot handle loses only this strategy's tables
            detail = " ".join(str(err).split())[: SETTINGS.error_chars]
            log.warning(
                "%s: page %s: %s tables not read (%s: %s)",
                path,
                page.page_number,
                finder.name,
                type(err).__name__,
                detail,
            )
            continue
        if not isinstance(finder, AlignedFinder):
            bands += [item.bbox for item in new if _is_band(item.table)]
            new = [item for item in new if not _not_a_grid(item.table)]
        for item in new:
            item.table.report = table_report(item.table, finder.name, finder.flavor, page.page_number, 0, item.bbox)
            item.table.report.accuracy = item.accuracy
        found += new
        if new:
            free = [w for w in free if not any(t.holds(w) for t in new)]
    for order, item in enumerate(sorted(found, key=lambda t: t.bbox[1]), 1):
        assert item.table.report is not None  # every table found above has its report
        item.table.report.order = order
    return found, free


def table_report(
    table: Table, strategy: str, flavor: str, page: Optional[int], order: int, bbox: Optional[BBox] = None
) -> TableReport:
    """A table's parsing report: its strategy, place and shape, and how many of its cells are filled."""
    cells = [c for row in table.rows for c in row]
    filled = sum(not c.is_blank for c in cells)
    fill = filled / len(cells) if cells else 0.0
    return TableReport(
        strategy=strategy,
        flavor=flavor,
        page=page,
        order=order,
        rows=len(table.rows),
        cols=table.n_cols,
        fill_ratio=round(fill, 4),
        whitespace=round(100 * (1 - fill), 2) if cells else 0.0,
        bbox=bbox,
    )


def refresh_report(table: Table) -> None:
    """After rows were added (a table continued on the next page), its report's shape again."""
    if table.report is None:
        return
    r = table.report
    again = table_report(table, r.strategy, r.flavor, r.page, r.order, r.bbox)
    table.report = replace(again, accuracy=r.accuracy)
