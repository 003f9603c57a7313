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
from extract.interpret.commitments.split import clean, split_cell, split_sentences
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


#: A column's rank in the plan's hierarchy: an item's parent is the row's item one rank up.
_RANK = {"aim": 0, "objective": 1, "activity": 2, "measure": 2, "outcome": 2, "target": 2}


def delivery_items(
    table: Table, t: int, theme: Optional[str], i: int, b: Block, parents: Optional[dict[int, Commitment]] = None
) -> list[Commitment]:
    """The table's items, one per bullet or run-together item in a cell. ``parents`` gains, for each
    item, the row's item of the nearest column ranked above it (activity → the row's objective or aim);
    a row's aim has none here (the priority in force is its parent)."""
    roles = column_roles(table.rows[0]) if table.rows else []
    if "aim" not in roles and "activity" not in roles:
        return []
    parents = {} if parents is None else parents
    out: list[Commitment] = []
    for r, pieces, first in joined_rows(table):
        lead = next((lead_cell(pieces[c]) for c, role in enumerate(roles) if role == "lead_partners"), None)
        row_items: dict[int, list[Commitment]] = {}
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
                )
                above = [rank for rank in row_items if rank < _RANK.get(role, 2)]
                if above and len(row_items[max(above)]) == 1:
                    parents[id(item)] = row_items[max(above)][0]
                out.append(item)
                row_items.setdefault(_RANK.get(role, 2), []).append(item)
    return out


def lead_cell(pieces: list[str]) -> str:
    """The lead partners cell as printed, its printed lines (paragraphs) kept apart by semicolons."""
    lines: list[str] = []
    for p in (clean(p) for p in pieces):
        if not p:
            continue
        if lines and re.search(r"(?:[&,/]|\band|\bor)$", lines[-1]) or lines and p[:1].islower():
            lines[-1] += " " + p  # a name continued on the next line
        elif lines and re.search(r"\w-$", lines[-1]):
            lines[-1] += p  # "Multi-" / "Agency"
        else:
            lines.append(p)
    return "; ".join(p.rstrip(";") for p in lines)


def achievement_items(table: Table, t: int, i: int, b: Block) -> list[Commitment]:
    """Each column's header is a theme; each bullet or sentence below it an achievement. A cell
    continuing the cell above it (after a page break: a lower-case start, or the cell above not
    ending a sentence) is joined to it, so no sentence is cut in two."""
    if not table.rows:
        return []
    themes = [clean(c.text) for c in table.rows[0]]
    columns: dict[int, list[tuple[list[str], int, Cell]]] = {}
    for r, row in enumerate(table.rows[1:], start=1):
        for col, cell in enumerate(row):
            pieces = [clean(p) for p in _pieces(cell)]
            pieces = [p for p in pieces if p]
            if not pieces:
                continue
            held = columns.setdefault(col, [])
            last = held[-1][0][-1] if held else ""
            if held and (pieces[0][:1].islower() or not last.endswith((".", "!", "?", ")", "%"))):
                held[-1][0][-1] = f"{last} {pieces[0]}"
                held[-1][0].extend(pieces[1:])
            else:
                held.append((pieces, r, cell))
    out: list[Commitment] = []
    for col, held in sorted(columns.items()):
        theme = themes[col] if col < len(themes) else None
        for pieces, r, cell in held:
            for text in split_sentences(pieces):
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
    out.sort(key=lambda c: c.row or 0)
    return out


def table_commitments(
    blocks: list[Block], themes: dict[int, Optional[str]], parents: Optional[dict[int, Commitment]] = None
) -> list[Commitment]:
    """Every table's items; ``parents`` gains each item's parent within its row (see delivery_items)."""
    out: list[Commitment] = []
    heading = ""
    t = -1
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            heading = clean(b.text)
        if b.kind != "table" or b.table is None:
            continue
        t += 1
        items = delivery_items(b.table, t, themes.get(i), i, b, parents)
        if not items and matches(cues().achievement_headings, heading):
            items = achievement_items(b.table, t, i, b)
        out += items
    return out
