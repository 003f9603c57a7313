"""Write read documents into SQLite with sqlite-utils: schema, rows, full-text search.

Knows the database, not the documents: it receives plain records (the document model, table
readings, facts, checks) and stores them with their provenance.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from extract.checks.precision import nature
from extract.corpus.manifest import District, Entry
from extract.model import Check, Commitment, DerivedSum, Document, Fact, TableReport
from extract.store.scripts import run_script
from extract.vocab.areas import area_id_of
from extract.vocab.loader import schema_path


def create(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    run_script(db, schema_path("schema.sql").read_text(encoding="utf-8"))
    return db


def _bbox(bbox) -> dict:
    x0, top, x1, bottom = bbox if bbox else (None, None, None, None)
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}


def _json(items) -> Optional[str]:
    return json.dumps(list(items), ensure_ascii=False) if items else None


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Rows of one shape (the first row's columns) into ``table`` of the schema in one executemany,
    each value stored as sqlite-utils' insert_all stores it (a list or mapping as JSON, a date as ISO
    text) without its per-chunk statements and checks: loading's largest cost per report."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    sql = f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, [tuple(_stored(row[c]) for c in columns) for row in rows])


def _stored(value):
    return value if value is None or type(value) in (str, int, float) else jsonify_if_needed(value)


def insert_document(db: sqlite_utils.Database, entry: Entry) -> None:
    db.table("documents").insert(
        {
            "id": entry.id,
            "title": entry.title,
            "kind": entry.kind,
            "publisher": entry.publisher,
            "area": entry.area,
            "district": entry.district,
            "period_start": entry.period_start.isoformat() if entry.period_start else None,
            "period_end": entry.period_end.isoformat() if entry.period_end else None,
            "published": entry.published,
            "source_url": entry.source_url,
            "rendition": entry.rendition,
            "notes": entry.notes,
        }
    )


def insert_districts(db: sqlite_utils.Database, districts: list[District]) -> None:
    """The districts of a corpus of several, as its manifest declares them (replacing a kept archive's)."""
    db.execute("delete from districts")
    db.table("districts").insert_all(({"id": d.id, "name": d.name, "areas": d.areas} for d in districts), pk="id")


def insert_file(
    db,
    entry: Entry,
    relpath: str,
    fmt: str,
    sha: str,
    size: int,
    role: str,
    status: str,
    error: Optional[str],
    doc: Optional[Document],
) -> int:
    """A file row, and when it was read, its blocks and footnotes; returns the file id."""
    file_id = (
        db["files"]
        .insert(
            {
                "document_id": entry.id,
                "path": relpath,
                "format": fmt,
                "sha256": sha,
                "bytes": size,
                "pages": doc.pages if doc else None,
                "role": role,
                "status": status,
                "error": error,
            }
        )
        .last_pk
    )
    if doc is None:
        return file_id
    insert_rows(
        db,
        "blocks",
        (
            {
                "file_id": file_id,
                "seq": i,
                "kind": b.kind,
                "text": b.text or None,
                "level": b.level,
                "marker": b.marker,
                "footnotes": _json(b.footnotes),
                "page": b.page,
                **_bbox(b.bbox),
                "char_start": b.start,
                "char_end": b.end,
            }
            for i, b in enumerate(doc.blocks)
        ),
    )
    insert_rows(db, "footnotes", ({"file_id": file_id, "marker": m, "text": t} for m, t in doc.footnotes.items()))
    return file_id


def block_ids(db, file_id: int) -> dict[int, int]:
    return {seq: id_ for id_, seq in db.execute("select id, seq from blocks where file_id = ?", [file_id])}


def insert_tables(db, file_id: int, readings, blocks: dict[int, int]) -> tuple[dict[int, int], dict]:
    """Tables and their cells; returns {table seq: id} and {(seq, row, col): cell id}."""
    table_ids, cell_ids = {}, {}
    for reading in readings:
        table = reading.table
        tid = (
            db["tables"]
            .insert(
                {
                    "file_id": file_id,
                    "block_id": blocks.get(reading.block_index),
                    "seq": reading.index,
                    "label": reading.label,
                    "caption": reading.caption,
                    "heading": reading.heading,
                    "n_rows": len(table.rows),
                    "n_cols": table.n_cols,
                    "header_rows": reading.header_rows,
                    "label_cols": reading.n_label_cols,
                    "method": table.method,
                    "period_start": reading.period.start.isoformat() if reading.period else None,
                    "period_end": reading.period.end.isoformat() if reading.period else None,
                    "pages": _json(table.pages),
                    "repairs": _json(reading.repairs),
                }
            )
            .last_pk
        )
        table_ids[reading.index] = tid
        if table.report is not None:
            insert_table_report(db, tid, table.report)
        rows = [
            {
                "table_id": tid,
                "row": r,
                "col": c,
                "is_header": int(r < reading.header_rows),
                "text": cell.text,
                "raw": cell.raw or cell.text,
                "footnotes": _json(cell.footnotes),
                "page": cell.page,
                **_bbox(cell.bbox),
            }
            for r, row in enumerate(table.rows)
            for c, cell in enumerate(row)
        ]
        before = _last_id(db, "cells")
        insert_rows(db, "cells", rows)
        # the rows just written, by their ids: `cells` has no index on table_id, and scanning every
        # table's cells once for each table made a report's cost grow with the archive's
        for id_, r, c in db.execute("select id, row, col from cells where id > ? and table_id = ?", [before, tid]):
            cell_ids[(reading.index, r, c)] = id_
    return table_ids, cell_ids


def insert_table_report(db, table_id: int, report: TableReport) -> None:
    """How one stored table was found: its strategy, place, shape and fill (camelot's parsing report)."""
    db["table_reports"].insert(
        {
            "table_id": table_id,
            "strategy": report.strategy,
            "flavor": report.flavor,
            "page": report.page,
            "page_order": report.order,
            "n_rows": report.rows,
            "n_cols": report.cols,
            "accuracy": report.accuracy,
            "fill_ratio": report.fill_ratio,
            "whitespace": report.whitespace,
            **_bbox(report.bbox),
        }
    )


def insert_figures(
    db,
    entry: Entry,
    file_id: int,
    source_file: str,
    facts: Iterable[Fact],
    blocks: dict[int, int],
    table_ids: dict[int, int],
    cell_ids: dict,
) -> dict[str, int]:
    """The file's figures; returns {fact key: figure id}."""
    rows = []
    for f in facts:
        rows.append(
            {
                "document_id": entry.id,
                "file_id": file_id,
                "source_file": source_file,
                "source_kind": f.source_kind,
                "key": f.key,
                "table_id": table_ids.get(f.table_index) if f.table_index is not None else None,
                "cell_id": cell_ids.get((f.table_index, f.row, f.col)),
                "block_id": blocks.get(f.block_index) if f.block_index is not None else None,
                "page": f.page,
                **_bbox(f.bbox),
                "char_start": f.char_start,
                "char_end": f.char_end,
                "table_label": f.table_label,
                "row_label": f.row_label,
                "column_label": f.column_label,
                "category": f.category,
                "area": f.area,
                "measure": f.measure,
                "subject": f.subject,
                "direction": f.direction,
                "base": f.base,
                "period_label": f.period_label,
                "period_start": f.period_start,
                "period_end": f.period_end,
                "value": f.value,
                "unit": f.unit,
                "raw": f.raw,
                "quote": f.quote,
                "qualifier": f.qualifier,
                "method": f.method,
                "status": f.status,
                "notes": _json(f.notes),
                "category_id": f.category_id,
                "canonical_id": f.canonical_id,
                "canonical_category": f.canonical_category,
                "canonical_relation": f.canonical_relation,
                "category_via": f.category_via,
                "area_id": area_id_of(f.area),
                "footnotes": _json(f.footnotes),
            }
        )
    before = _last_id(db, "figures")
    insert_rows(db, "figures", rows)
    written = db.execute("select id, key from figures where id > ? and file_id = ?", [before, file_id])
    return {key: id_ for id_, key in written}  # the rows just written, by their ids (no index on file_id)


def _last_id(db, table: str) -> int:
    """The largest id of ``table`` (its INTEGER PRIMARY KEY, so read from the end of the b-tree):
    rows inserted next have larger ids."""
    return db.execute(f"select coalesce(max(id), 0) from {table}").fetchone()[0]


def insert_checks(
    db,
    entry: Entry,
    file_id: Optional[int],
    checks: Iterable[Check],
    table_ids: dict[int, int],
    figure_ids: dict[str, int],
) -> None:
    """The checks made while reading one file, linked to its figures by fact key."""
    for check in checks:
        table_id = table_ids.get(check.table_index) if check.table_index is not None else None
        links = sorted({figure_ids[k] for k in check.fact_keys if k in figure_ids})
        insert_check(db, check, entry.id, file_id, table_id, links)


def insert_check(
    db, check: Check, document_id: Optional[str], file_id: Optional[int], table_id: Optional[int], figure_ids
) -> int:
    """One check and the figures it involves (every check is written here); returns its id. Plain
    statements: thousands of checks are written one by one, each with its id."""
    cid = db.execute(
        "insert into checks (document_id, file_id, table_id, kind, description, expected, printed, passed, nature) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            file_id,
            table_id,
            check.kind,
            check.description,
            check.expected,
            check.printed,
            int(check.passed),
            check.nature or nature(check.kind, check.passed),
        ],
    ).lastrowid
    db.conn.executemany(
        "insert or replace into check_figures (check_id, figure_id) values (?, ?)",
        [(cid, fid) for fid in dict.fromkeys(figure_ids)],
    )
    return cid


#: The full-text indexes (FTS5, external content: the text stays in the table): table -> columns indexed.
FTS = {
    "figures": ("quote", "category", "subject", "row_label", "column_label", "measure"),
    "blocks": ("text",),
    "commitments": ("text", "theme", "lead_partners"),
}


def fts_columns(table: str) -> str:
    return ", ".join(f'"{c}"' for c in FTS[table])


def finish(db: sqlite_utils.Database, info: dict) -> None:
    """Search indexes and build information, once every document is in. An index kept from the
    previous archive (extract.store.incremental) takes only the rows added since."""
    for table, columns in FTS.items():
        if not db[f"{table}_fts"].exists():
            db.table(table).enable_fts(list(columns), create_triggers=False)
            continue
        last = db.execute(f"select coalesce(max(id), 0) from {table}_fts_docsize").fetchone()[0]
        db.execute(
            f"insert into {table}_fts(rowid, {fts_columns(table)}) select id, {fts_columns(table)} from {table} "
            "where id > ? order by id",
            [last],
        )
    run_script(db, schema_path("search.sql").read_text(encoding="utf-8"))  # passages_fts
    db.table("build_info").insert_all(({"key": k, "value": str(v)} for k, v in info.items()), replace=True)
    db.conn.commit()


def _plan_period(entry: Entry) -> Optional[str]:
    """The plan period as the reports print it: 2023/24 for one financial year, 2005-2008 for more."""
    if not (entry.period_start and entry.period_end):
        return None
    start, end = entry.period_start.year, entry.period_end.year
    return f"{start}/{str(end)[2:]}" if end - start == 1 else f"{start}-{end}"


def insert_derived(
    db, entry: Entry, relpath: str, derived: Iterable[DerivedSum], table_ids: dict[int, int], figure_ids: dict[str, int]
) -> None:
    """The sums derived from the file's figures (extract.checks.report), their parts' keys made ids."""
    from extract.checks.report import derived_row

    rows = [
        derived_row(
            d,
            entry.id,
            relpath,
            table_ids.get(d.table_index) if d.table_index is not None else None,
            [figure_ids[k] for k in d.derived_from if k in figure_ids],
        )
        for d in derived
    ]
    if rows:
        db.table("derived_figures").insert_all(rows, pk="id")


def insert_commitments(
    db,
    entry: Entry,
    file_id: int,
    relpath: str,
    items: list[Commitment],
    blocks: dict[int, int],
    table_ids: dict[int, int],
) -> None:
    """The file's commitments (made by extract.interpret.commitments) and one partner row per lead partner."""
    from extract.interpret.commitments import split_partners, theme_id

    ids: dict[int, int] = {}
    for n, c in enumerate(items):
        tid = table_ids.get(c.table_index) if c.table_index is not None else None
        ids[n] = (
            db["commitments"]
            .insert(
                {
                    "document_id": entry.id,
                    "file_id": file_id,
                    "source_file": relpath,
                    "key": c.key,
                    "plan_period": _plan_period(entry),
                    "period_start": entry.period_start.isoformat() if entry.period_start else None,
                    "period_end": entry.period_end.isoformat() if entry.period_end else None,
                    "theme": c.theme,
                    "theme_id": theme_id(c.theme),
                    "item_kind": c.item_kind,
                    "text": c.text,
                    "lead_partners": c.lead_partners,
                    "parent_id": ids.get(c.parent) if c.parent is not None else None,
                    "table_id": tid,
                    "block_id": blocks.get(c.block_index) if c.block_index is not None else None,
                    "row": c.row,
                    "page": c.page,
                    **_bbox(c.bbox),
                }
            )
            .last_pk
        )
        if c.lead_partners:
            db["commitment_partners"].insert_all(
                (
                    {"commitment_id": ids[n], "partner": p.partner, "printed": p.printed, "evidence": p.evidence}
                    for p in split_partners(c.lead_partners)
                ),
                ignore=True,
            )
