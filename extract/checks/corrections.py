"""Corrections matched to the figures they name, as a check stage: each correction is matched to
one figure of its document's primary file; one matching no figure, or several, is a failed check
of our reading (``nature`` reading); two that match one figure are refused, naming both. A pure
function of the figures and the corrections: ``extract/store/corrections.py`` reads the one and
writes what this returns.

Linear in the corrections: each corrected document's figures are indexed once (cells by table, row
and column; prose figures by value)."""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Optional

from extract.corpus.corrections import FILE, PREFIX, Correction, CorrectionError
from extract.model import Check

_TOLERANCE = 1e-9  # a prose figure's printed value matches within this
#: The `corrections` table's columns, in the order of each matched row.
COLUMNS = (
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

#: A document's primary figures as (id, table_label, row_label, column_label, quote, value).
FigureRow = tuple[int, Optional[str], Optional[str], Optional[str], Optional[str], Optional[float]]


@dataclass(frozen=True)
class Matched:
    """What the corrections come to: a `corrections` row each, a failed check and a warning line
    for each that could not be applied."""

    rows: list[tuple[Any, ...]]
    checks: list[Check]
    warnings: list[str]


class _Figures:
    """One document's primary figures, indexed for the corrections that name them."""

    def __init__(self, figures: Iterable[FigureRow]) -> None:
        self.cells: dict[tuple, list[int]] = defaultdict(list)
        prose: list[tuple[float, int, str]] = []
        for fid, table, row, column, quote, value in figures:
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


def match_corrections(corrections: list[Correction], figures_of: Callable[[str], Iterable[FigureRow]]) -> Matched:
    """Match every correction (``figures_of(document)``: that document's primary figures, asked for
    once per document). Two corrections applied to one figure are refused (CorrectionError naming
    both) before anything is returned."""
    documents: dict[str, _Figures] = {}
    rows: list[tuple[Any, ...]] = []
    checks: list[Check] = []
    warnings: list[str] = []
    applied: dict[int, Correction] = {}
    for c in corrections:
        if c.document not in documents:
            documents[c.document] = _Figures(figures_of(c.document))
        ids = documents[c.document].matches(c)
        state = "applied" if len(ids) == 1 else ("unmatched" if not ids else "ambiguous")
        if state == "applied":
            _one_per_figure(applied, ids[0], c)
        rows.append(_row(c, state, ids))
        if state != "applied":
            what = "matches no figure" if not ids else f"matches {len(ids)} figures"
            line = f"correction {c.id}: {c.target()} {what}"
            warnings.append(line)
            checks.append(Check("correction", line, None, None, False, document_id=c.document, nature="reading"))
    return Matched(rows, checks, warnings)


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
