"""Tables flattened into running text (a web page's table copied as words): a paragraph whose words
run "Offence 2022 2023 Change Burglary 7000 7777 777 Robbery 100 110 10" — a header naming two or
more periods, then rows of a label and the same number of figures each — is read back as the table
it was, its parsing report saying so (strategy ``flattened``). Text before the header stays a
paragraph; text after the last row another.

A paragraph is taken only when every row between header and end has the same number of figures,
as many as the header's columns, and there are at least ``FlatSettings.min_rows`` rows: prose that
merely mentions two years and some counts reads on as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from extract.model import Block, Cell, Document, Table
from extract.readers.table_finders import table_report
from extract.vocab.periods import parse_period
from extract.vocab.values import read_cell

#: The method and parsing-report strategy of a table read back from flattened text.
FLATTENED = "flattened-text"


@dataclass(frozen=True)
class FlatSettings:
    min_rows: int = 2  # rows a flattened table needs
    min_periods: int = 2  # periods its header names, side by side
    max_label_words: int = 8  # words a row label may have
    max_extra_columns: int = 2  # header words after the periods that name columns of their own ("Change")

    def __post_init__(self) -> None:
        if min(self.min_rows, self.min_periods, self.max_label_words) < 1 or self.max_extra_columns < 0:
            raise ValueError("FlatSettings: counts must be positive (max_extra_columns at least 0)")


FLAT = FlatSettings()


@dataclass(frozen=True)
class FlatTable:
    before: str  # the paragraph's text before the header
    stub: str  # the header's words before its periods ("Offence")
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (label, figures as printed)
    after: str  # text after the last row


def _is_figure(token: str) -> bool:
    return read_cell(token).status == "value" and parse_period(token) is None


def _is_period(token: str) -> bool:
    return bool(re.search(r"\d", token)) and parse_period(token) is not None


def read_flattened(text: str, settings: FlatSettings = FLAT) -> Optional[FlatTable]:
    """The table flattened into ``text``, None when it holds none."""
    tokens = text.split()
    for start in range(len(tokens)):
        run = 0
        while start + run < len(tokens) and _is_period(tokens[start + run]):
            run += 1
        if run < settings.min_periods:
            continue
        found = _rows_after(tokens, start, run, settings)
        if found is not None:
            return found
    return None


def _rows_after(tokens: list[str], start: int, run: int, settings: FlatSettings) -> Optional[FlatTable]:
    """Rows after a header whose periods are ``tokens[start:start + run]``, trying the header's
    extra column words (none, one, two): the reading with the most rows."""
    periods = tokens[start : start + run]
    best: Optional[FlatTable] = None
    for extra in range(settings.max_extra_columns + 1):
        head_end = start + run + extra
        if any(_is_figure(t) or _is_period(t) for t in tokens[start + run : head_end]):
            break
        width = run + (1 if extra else 0)  # the words after the periods name one column ("% change")
        rows: list[tuple[str, tuple[str, ...]]] = []
        k = head_end
        while k < len(tokens):
            label_end = k
            while label_end < len(tokens) and not _is_figure(tokens[label_end]):
                label_end += 1
            label = tokens[k:label_end]
            figures: list[str] = []
            m = label_end
            while m < len(tokens) and _is_figure(tokens[m]) and len(figures) < width:
                figures.append(tokens[m])
                m += 1
            if not label or len(label) > settings.max_label_words or len(figures) != width:
                break
            if m < len(tokens) and _is_figure(tokens[m]):
                rows = []  # more figures than columns: not this header's rows
                break
            rows.append((" ".join(label), tuple(figures)))
            k = m
        if len(rows) >= settings.min_rows:
            columns = tuple(periods) + ((" ".join(tokens[start + run : head_end]),) if extra else ())
            before = tokens[:start]
            stub_words: list[str] = []
            while before and len(stub_words) < 3 and re.fullmatch(r"[A-Z][A-Za-z/&-]*", before[-1]):
                stub_words.insert(0, before.pop())  # a capitalised word or two naming the row column
            found = FlatTable(" ".join(before), " ".join(stub_words), columns, tuple(rows), " ".join(tokens[k:]))
            if best is None or len(found.rows) >= len(best.rows):  # a tie: the longer header ("% change")
                best = found
    return best


def flat_table(found: FlatTable, page: Optional[int]) -> Table:
    """A :class:`Table` of a flattened table, with its parsing report."""
    rows = [[Cell(found.stub, page=page)] + [Cell(c, page=page) for c in found.columns]]
    rows += [[Cell(label, page=page)] + [Cell(f, page=page) for f in figures] for label, figures in found.rows]
    table = Table(rows=rows, header_rows=1, method=FLATTENED, pages=[page] if page else [])
    table.report = table_report(table, "flattened", FLATTENED, page, 0)
    return table


def unflatten(doc: Document, settings: FlatSettings = FLAT) -> None:
    """Paragraphs that hold a flattened table become that table (with the text before and after
    it as paragraphs of their own), in place."""
    blocks: list[Block] = []
    for block in doc.blocks:
        found = read_flattened(block.text, settings) if block.kind == "paragraph" else None
        if found is None:
            blocks.append(block)
            continue
        if found.before:
            blocks.append(replace(block, text=found.before, footnotes=list(block.footnotes)))
        blocks.append(Block("table", "", page=block.page, bbox=block.bbox, table=flat_table(found, block.page)))
        if found.after:
            blocks.append(replace(block, text=found.after, footnotes=[]))
    doc.blocks[:] = blocks
