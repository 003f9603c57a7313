"""Commitments: what a report promised (priorities, aims, objectives, focus lists, delivery-plan
rows, targets, pledges) and what it reported doing (achievements), as printed."""

from __future__ import annotations

from typing import Optional

from extract.interpret.commitments.blocks import block_commitments
from extract.interpret.commitments.cues import theme_id
from extract.interpret.commitments.partners import Partner, split_partners
from extract.interpret.commitments.tables import table_commitments
from extract.model import Commitment, Document

__all__ = ["extract_commitments", "split_partners", "Partner", "theme_id"]


def _themes_at(doc: Document, items: list[Commitment]) -> dict[int, Optional[str]]:
    """The theme in force at each table block: the last priority read before it."""
    out: dict[int, Optional[str]] = {}
    by_block = sorted((c.block_index or 0, c.theme) for c in items if c.item_kind == "priority" and c.theme)
    for i, b in enumerate(doc.blocks):
        if b.kind == "table":
            before = [t for bi, t in by_block if bi < i]
            out[i] = before[-1] if before else None
    return out


def extract_commitments(doc: Document) -> list[Commitment]:
    """Every item of the report in reading order, each with its parent as printed: a row's activity,
    measure or outcome under the row's aim (or objective), a table's aim and a list's aims and
    objectives under the priority in force where they stand."""
    items = block_commitments(doc.blocks)
    parents: dict[int, Commitment] = {}
    items += table_commitments(doc.blocks, _themes_at(doc, items), parents)
    items.sort(key=lambda c: (c.block_index or 0, c.row or 0))
    priority: Optional[Commitment] = None
    for c in items:
        if c.item_kind == "priority":
            priority = c
        elif id(c) not in parents and priority is not None and c.theme and c.theme == priority.theme:
            parents[id(c)] = priority
    index = {id(c): n for n, c in enumerate(items)}
    for n, c in enumerate(items):
        c.key = f"c{n}"
        parent = parents.get(id(c))
        c.parent = index.get(id(parent)) if parent is not None else None
    return items
