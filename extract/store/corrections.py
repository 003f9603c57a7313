"""Apply reviewed corrections beside the printed figures: each correction is matched to one
figure of its document's primary file and stored in ``corrections`` (the ``facts`` view shows
the corrected value); a correction matching no figure, or several, is a failed check."""

from __future__ import annotations

import json

import sqlite_utils

from extract.corpus.corrections import Correction

_BASE = "select f.id from figures f join files fi on fi.id = f.file_id and fi.role = 'primary' where f.document_id = ?"
_BY_CELL = _BASE + " and f.table_label = ? and f.row_label = ? and f.column_label = ?"
_BY_QUOTE = _BASE + " and instr(f.quote, ?) > 0 and abs(f.value - ?) < 1e-9"


def _matches(db: sqlite_utils.Database, c: Correction) -> list[int]:
    if c.table is not None:
        rows = db.execute(_BY_CELL, [c.document, c.table, c.row, c.column]).fetchall()
    else:
        rows = db.execute(_BY_QUOTE, [c.document, c.quote, c.printed_value]).fetchall()
    return sorted({r[0] for r in rows})


def apply_corrections(db: sqlite_utils.Database, corrections: list[Correction]) -> list[str]:
    """Store every correction with its state (applied | unmatched | ambiguous); returns one
    warning line per correction that could not be applied."""
    warnings = []
    for c in corrections:
        ids = _matches(db, c)
        state = "applied" if len(ids) == 1 else ("unmatched" if not ids else "ambiguous")
        new = c.corrected
        db.table("corrections").insert(
            {
                "id": c.id,
                "document_id": c.document,
                "figure_id": ids[0] if state == "applied" else None,
                "state": state,
                "target": c.target(),
                "value": new.get("value"),
                "row_label": new.get("label"),
                "period_start": new.get("period_start"),
                "period_end": new.get("period_end"),
                "area": new.get("area"),
                "category": new.get("category"),
                "reason": c.reason,
                "reviewed_by": c.by,
                "reviewed_on": c.date,
                "matched": json.dumps(ids),
            }
        )
        if state != "applied":
            what = "matches no figure" if not ids else f"matches {len(ids)} figures"
            line = f"correction {c.id}: {c.target()} {what}"
            warnings.append(line)
            db.table("checks").insert(
                {"document_id": c.document, "kind": "correction", "description": line, "passed": 0}
            )
    return warnings
