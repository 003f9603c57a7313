"""Apply reviewed corrections beside the printed figures: each correction is matched to one
figure of its document's primary file and stored in ``corrections`` (the ``facts`` view shows
the corrected value); a correction matching no figure, or several, is a failed check; two that
match one figure are refused, naming both.

Linear in the corrections: each corrected document's primary figures are read once and indexed
(cells by table, row and column; prose figures by value), and the rows are written in batches."""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from typing import Any, Optional

import sqlite_utils

from extract.corpus.corrections import FILE, PREFIX, Correction, CorrectionError

_FIGURES = (
    "select f.id, f.table_label, f.row_label, f.column_label, f.quote, f.value from figures f "
    "join files fi on fi.id = f.file_id and fi.role = 'primary' where f.document_id = ?"
)
_TOLERANCE = 1e-9  # a prose figure's printed value matches within this
_COLUMNS = (
    "id",
    "document_id",
    "figure_id",
    "state",
    "target",
    "value",
    "row_label",
    "period_start",
    "period_end",
    "area",
    "category",
    "reason",
    "reviewed_by",
    "reviewed_on",
    "matched",
)


class _Figures:
    """One document's primary figures, indexed for the corrections that name them."""

    def __init__(self, db: sqlite_utils.Database, document: str) -> None:
        self.cells: dict[tuple, list[int]] = defaultdict(list)
        prose: list[tuple[float, int, str]] = []
        for fid, table, row, column, quote, value in db.execute(_FIGURES, [document]).fetchall():
            if table is not None and row is not None and column is not None:
                self.cells[(table, row, column)].append(fid)
            if quote is not None and value is not None:
                prose.append((value, fid, quote))
        prose.sort()
        self.values = [p[0] for p in prose]
        self.prose = prose

    def matches(self, c: Correction) -> list[int]:
        if c.table is not None:
            return sorted(set(self.cells.get((c.table, c.row, c.column), ())))
        assert c.quote is not None and c.printed_value is not None
        lo = bisect.bisect_left(self.values, c.printed_value - _TOLERANCE)
        hi = bisect.bisect_right(self.values, c.printed_value + _TOLERANCE)
        found = {
            fid
            for value, fid, quote in self.prose[lo:hi]
            if c.quote in quote and abs(value - c.printed_value) < _TOLERANCE
        }
        return sorted(found)


def apply_corrections(db: sqlite_utils.Database, corrections: list[Correction]) -> list[str]:
    """Store every correction with its state (applied | unmatched | ambiguous); returns one
    warning line per correction that could not be applied. Two corrections applied to one figure
    are refused (CorrectionError naming both) before anything is written."""
    documents: dict[str, _Figures] = {}
    rows: list[tuple[Any, ...]] = []
    checks: list[tuple[str, str]] = []
    warnings: list[str] = []
    applied: dict[int, Correction] = {}
    for c in corrections:
        if c.document not in documents:
            documents[c.document] = _Figures(db, c.document)
        ids = documents[c.document].matches(c)
        state = "applied" if len(ids) == 1 else ("unmatched" if not ids else "ambiguous")
        if state == "applied":
            _one_per_figure(applied, ids[0], c)
        rows.append(_row(c, state, ids))
        if state != "applied":
            what = "matches no figure" if not ids else f"matches {len(ids)} figures"
            line = f"correction {c.id}: {c.target()} {what}"
            warnings.append(line)
            checks.append((c.document, line))
    marks = ", ".join("?" * len(_COLUMNS))
    db.conn.executemany(f"insert into corrections ({', '.join(_COLUMNS)}) values ({marks})", rows)
    db.conn.executemany(
        "insert into checks (document_id, kind, description, passed, nature) values (?, 'correction', ?, 0, 'reading')",
        checks,
    )
    return warnings


def _one_per_figure(applied: dict[int, Correction], figure: int, c: Correction) -> None:
    other: Optional[Correction] = applied.get(figure)
    if other is not None:
        raise CorrectionError(
            f"{FILE}: corrections '{other.id}' and '{c.id}' both correct one figure ({other.target()}; {c.target()})",
            code=f"{PREFIX}-TWICE",
        )
    applied[figure] = c


def _row(c: Correction, state: str, ids: list[int]) -> tuple[Any, ...]:
    new = c.corrected
    return (
        c.id,
        c.document,
        ids[0] if state == "applied" else None,
        state,
        c.target(),
        new.get("value"),
        new.get("label"),
        new.get("period_start"),
        new.get("period_end"),
        new.get("area"),
        new.get("category"),
        c.reason,
        c.by,
        c.date,
        json.dumps(ids),
    )
