"""The tables `points` (one row per quantity: a line in one period, with all its sources) and
`changes` (like-for-like changes between points of a line a year apart), made whole on every build
from `series` once it is materialised, so a build kept from the previous archive gives what a cold
one does. The points and changes are decided by ``extract.checks.quantities``; this module reads
the rows they are decided from and writes what it is handed."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

import sqlite_utils

from extract.checks.quantities import (
    Change,
    Point,
    SeriesReport,
    SeriesRow,
    StoredPoint,
    changes_of,
    make_points,
    series_problems,
)

#: The rows of `series` with the page and the printed text of their figures (a derived row's parts
#: are read by ``read_series``).
_SERIES = """
SELECT s.rowid, s.canonical_id, s.canonical_category, s.area, s.measure, s.unit, s.relation, s.printed_category,
       s.period_start, s.period_end, s.value, s.document_id, s.status, s.derived, s.figure_id, s.derived_id,
       s.derived_from, f.page, f.raw, f.value
FROM series s LEFT JOIN figures f ON f.id = s.figure_id
ORDER BY s.rowid
"""

_POINTS = """
CREATE TABLE points (
  point_id INTEGER PRIMARY KEY, line_key TEXT NOT NULL, line TEXT NOT NULL,
  canonical_id TEXT, canonical_category TEXT, area TEXT, measure TEXT, unit TEXT, kind TEXT,
  relation TEXT, printed_category TEXT, length TEXT,
  period_start TEXT, period_end TEXT, value REAL, decimals INTEGER,
  sources INTEGER, printed INTEGER, derived_only INTEGER, agree INTEGER, flagged INTEGER,
  "values" TEXT, figure_ids TEXT, pages TEXT, derived_ids TEXT, documents TEXT, series_rowids TEXT
)"""
_CHANGES = """
CREATE TABLE changes (
  change_id INTEGER PRIMARY KEY, line_key TEXT NOT NULL, line TEXT NOT NULL,
  canonical_category TEXT, area TEXT, measure TEXT, unit TEXT, length TEXT,
  from_start TEXT, from_end TEXT, to_start TEXT, to_end TEXT, years INTEGER,
  from_value REAL, to_value REAL, change REAL, percent_change REAL,
  from_point INTEGER REFERENCES points(point_id), to_point INTEGER REFERENCES points(point_id),
  flagged INTEGER, agree INTEGER, sentence TEXT
)"""
_INDEXES = (
    "CREATE INDEX points_line ON points(line_key, period_start)",
    "CREATE INDEX points_category ON points(canonical_category, area, measure)",
    "CREATE INDEX changes_line ON changes(line_key, to_start)",
    "CREATE INDEX changes_category ON changes(canonical_category, area, measure)",
)


def read_series(db: sqlite_utils.Database) -> list[SeriesRow]:
    """Every row of `series`, with each printed figure's page and printed text and, for a derived
    row, its parts' printed text."""
    raw = db.execute(_SERIES).fetchall()
    parts_of = {r[0]: tuple(json.loads(r[16] or "[]")) for r in raw if r[13]}
    wanted = sorted({f for parts in parts_of.values() for f in parts})
    printed: dict[int, tuple] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for fid, text, value in db.execute(f"SELECT id, raw, value FROM figures WHERE id IN ({marks})", chunk):
            printed[fid] = (text, value)
    rows = []
    for r in raw:
        parts = parts_of.get(r[0], ())
        rows.append(
            SeriesRow(
                rowid=r[0],
                canonical_id=r[1],
                canonical_category=r[2],
                area=r[3],
                measure=r[4],
                unit=r[5],
                relation=r[6],
                printed_category=r[7],
                period_start=r[8],
                period_end=r[9],
                value=r[10],
                document_id=r[11],
                status=r[12],
                derived=bool(r[13]),
                figure_id=r[14],
                derived_id=r[15],
                page=r[17],
                parts=parts,
                printed=tuple(printed[f] for f in parts if f in printed) if r[13] else ((r[18], r[19]),),
            )  # fmt: skip
        )
    return rows


def _point_row(p: Point) -> tuple:
    line = p.line
    return (
        p.point_id, line.key, line.label, line.canonical_id, line.canonical_category, line.area, line.measure,
        line.unit, line.kind, line.relation, line.printed_category, line.length, p.period_start, p.period_end,
        p.value, p.decimals, p.sources, p.printed, int(p.derived_only), int(p.agree), int(p.flagged),
        json.dumps(list(p.values)), json.dumps(list(p.figure_ids)), json.dumps(list(p.pages)),
        json.dumps(list(p.derived_ids)), json.dumps(list(p.documents)), json.dumps(list(p.series_rowids)),
    )  # fmt: skip


def _change_row(n: int, c: Change) -> tuple:
    line = c.line
    return (
        n, line.key, line.label, line.canonical_category, line.area, line.measure, line.unit, line.length,
        c.from_point.period_start, c.from_point.period_end, c.to_point.period_start, c.to_point.period_end,
        c.years, c.from_point.value, c.to_point.value, c.change, c.percent_change,
        c.from_point.point_id, c.to_point.point_id, int(c.flagged), int(c.agree), c.sentence,
    )  # fmt: skip


def write_points(db: sqlite_utils.Database, points: Sequence[Point], changes: Sequence[Change]) -> None:
    """Replace `points` and `changes` with ``points`` and ``changes``."""
    db.execute("DROP TABLE IF EXISTS changes")
    db.execute("DROP TABLE IF EXISTS points")
    db.execute(_POINTS)
    db.execute(_CHANGES)
    db.conn.executemany(f"INSERT INTO points VALUES ({','.join('?' * 27)})", map(_point_row, points))
    db.conn.executemany(
        f"INSERT INTO changes VALUES ({','.join('?' * 22)})", (_change_row(n, c) for n, c in enumerate(changes, 1))
    )
    for sql in _INDEXES:
        db.execute(sql)


def materialise_points(db: sqlite_utils.Database) -> None:
    """The build's stage after `series`: its points and like-for-like changes, made again whole."""
    points = make_points(read_series(db))
    write_points(db, points, changes_of(points))
    db.conn.commit()


def check_series(db: sqlite_utils.Database) -> SeriesReport:
    """``csp-archive check --series``: the stored points and series rows against the rules
    (``extract.checks.quantities.series_problems``)."""
    names = set(db.table_names())
    if "points" not in names or "series" not in names:
        stored: list[StoredPoint] = []
    else:
        stored = [
            StoredPoint(
                point_id=r[0],
                line_key=r[1],
                line=r[2],
                canonical_id=r[3],
                area=r[4],
                measure=r[5],
                unit=r[6],
                relation=r[7],
                printed_category=r[8],
                length=r[9],
                period_start=r[10],
                period_end=r[11],
                agree=bool(r[12]),
                series_rowids=tuple(json.loads(r[13] or "[]")),
            )  # fmt: skip
            for r in db.execute(
                "SELECT point_id, line_key, line, canonical_id, area, measure, unit, relation, printed_category, "
                "length, period_start, period_end, agree, series_rowids FROM points ORDER BY point_id"
            )
        ]
    rows = read_series(db) if "series" in names else []
    failed: dict[int, set[int]] = defaultdict(set)
    for check_id, figure_id in db.execute(
        "SELECT cf.check_id, cf.figure_id FROM check_figures cf JOIN checks k ON k.id = cf.check_id WHERE k.passed = 0"
    ):
        failed[figure_id].add(check_id)
    return series_problems(rows, stored, {f: frozenset(c) for f, c in failed.items()})
