"""Delivery-plan tables (Aims / Activity / Lead Partner/s / Performance / Outcome) and achievement
tables (one column per theme) → items, one per bullet or run-together line in a cell.

A row continued after a page break (an empty first cell, or a first cell continuing the row
above in lower case) is joined to its row before its cells are split, so a text rendition (one
row) and a PDF (two rows) give the same items.
"""

from __future__ import annotations

import re
from typing import Optional

from extract.interpret.commitments.cues import cues, matches
from extract.interpret.commitments.split import clean, split_cell
from extract.model import Block, Cell, Commitment, Table

_FILLER = re.compile(r"^[-–—\s.]*$")


def column_roles(header: list[Cell]) -> list[Optional[str]]:
    roles = []
    for cell in header:
        label = clean(cell.text)
        roles.append(next((r for p, r in cues().table_columns if p.search(label)), None))
    return roles


def _pieces(cell: Cell) -> list[str]:
    """The cell's prose pieces when they cover its text, else the text as one piece."""
    if "•" in (cell.raw or "") and "•" not in cell.text:
        return [cell.raw]  # the reader dropped the bullet marks the source printed
    pieces = cell.paragraphs
    if not pieces or "".join(clean(p) for p in pieces).replace(" ", "") != clean(cell.text).replace(" ", ""):
        pieces = [cell.text]
    return [p for p in pieces if not _FILLER.match(clean(p))]


def _continues(row: list[Cell]) -> bool:
    first = clean(row[0].text) if row else ""
    return not first or _FILLER.match(first) is not None or first[:1].islower()


def _body_start(table: Table) -> int:
    """After the first row, rows of short labels only ("Partner/s", "Collection") are header too."""
    start = 1
    while start < len(table.rows) and all(len(clean(c.text).split()) <= 2 for c in table.rows[start]):
        if not any(clean(c.text) for c in table.rows[start]):
            break
        start += 1
    return start


def joined_rows(table: Table) -> list[tuple[int, list[list[str]], Cell]]:
    """Body rows with continuation rows joined: (first row index, pieces per column, first cell)."""
    rows: list[tuple[int, list[list[str]], Cell]] = []
    width = len(table.rows[0]) if table.rows else 0
    for r, row in enumerate(table.rows[_body_start(table) :], start=_body_start(table)):
        cells = (row + [Cell("")] * width)[:width]
        if all(_FILLER.match(clean(c.text)) for c in cells):
            continue
        pieces = [_pieces(c) for c in cells]
        if rows and _continues(cells):
            for col, extra in enumerate(pieces):
                rows[-1][1][col].extend(extra)
        else:
            rows.append((r, pieces, cells[0]))
    return rows


def _glue(pieces: list[str]) -> list[str]:
    """A piece continuing an unfinished piece (lower-case start) is joined to it."""
    out: list[str] = []
    for p in pieces:
        p = clean(p)
        if out and p[:1].islower() and not out[-1].endswith((".", ";")):
            out[-1] += " " + p
        elif p:
            out.append(p)
    return out


def delivery_items(table: Table, t: int, theme: Optional[str], i: int, b: Block) -> list[Commitment]:
    roles = column_roles(table.rows[0]) if table.rows else []
    if "aim" not in roles and "activity" not in roles:
        return []
    out: list[Commitment] = []
    for r, pieces, first in joined_rows(table):
        lead = next(
            (clean(" ".join(_glue(pieces[c]))) for c, role in enumerate(roles) if role == "lead_partners"), None
        )
        parent: Optional[int] = None
        for col, role in enumerate(roles):
            if role in (None, "lead_partners"):
                continue
            texts = [clean(" ".join(_glue(pieces[col])))] if role == "aim" else split_cell(_glue(pieces[col]))
            for text in texts:
                if not text:
                    continue
                item = Commitment(
                    role,
                    text,
                    theme=theme,
                    lead_partners=lead or None,
                    block_index=i,
                    table_index=t,
                    row=r,
                    page=first.page or b.page,
                    bbox=first.bbox,
                    parent=parent,
                )
                if role == "aim" and parent is None:
                    parent = len(out)
                out.append(item)
    return out


def achievement_items(table: Table, t: int, i: int, b: Block) -> list[Commitment]:
    """Each column's header is a theme; each bullet or line below it an achievement."""
    if not table.rows:
        return []
    themes = [clean(c.text) for c in table.rows[0]]
    out: list[Commitment] = []
    for r, row in enumerate(table.rows[1:], start=1):
        for col, cell in enumerate(row):
            for text in split_cell(_glue(_pieces(cell))):
                theme = themes[col] if col < len(themes) else None
                out.append(
                    Commitment(
                        "achievement",
                        text,
                        theme=theme,
                        block_index=i,
                        table_index=t,
                        row=r,
                        page=cell.page or b.page,
                        bbox=cell.bbox,
                    )
                )
    return out


def table_commitments(blocks: list[Block], themes: dict[int, Optional[str]]) -> list[Commitment]:
    out: list[Commitment] = []
    heading = ""
    t = -1
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            heading = clean(b.text)
        if b.kind != "table" or b.table is None:
            continue
        t += 1
        items = delivery_items(b.table, t, themes.get(i), i, b)
        if not items and matches(cues().achievement_headings, heading):
            items = achievement_items(b.table, t, i, b)
        out += items
    return out
