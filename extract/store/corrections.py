"""Write the reviewed corrections beside the printed figures (``extract/checks/corrections.py``
matches them): each in ``corrections`` with its state (the ``facts`` view shows the corrected
value), and a failed check for each that matched no figure, or several."""

from __future__ import annotations

import sqlite_utils

from extract.checks.corrections import COLUMNS, match_corrections
from extract.corpus.corrections import Correction

_FIGURES = (
    "select f.id, f.table_label, f.row_label, f.column_label, f.quote, f.value from figures f "
    "join files fi on fi.id = f.file_id and fi.role = 'primary' where f.document_id = ?"
)


def apply_corrections(db: sqlite_utils.Database, corrections: list[Correction]) -> list[str]:
    """Store every correction with its state (applied | unmatched | ambiguous); returns one
    warning line per correction that could not be applied."""
    matched = match_corrections(corrections, lambda document: db.execute(_FIGURES, [document]).fetchall())
    marks = ", ".join("?" * len(COLUMNS))
    db.conn.executemany(f"insert into corrections ({', '.join(COLUMNS)}) values ({marks})", matched.rows)
    db.conn.executemany(
        "insert into checks (document_id, kind, description, passed, nature) values (?, ?, ?, 0, ?)",
        [(c.document_id, c.kind, c.description, c.nature) for c in matched.checks],
    )
    return matched.warnings
