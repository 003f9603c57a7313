"""Start a build from the previous archive: keep the rows of the documents that open the manifest
unchanged, drop everything else, so only the rest is loaded again.

Ids are given in manifest order and SQLite gives a new row the largest id plus one, so deleting the
rows of every document after the kept ones, and every row made across reports (harmonising, checks
across reports, corrections, series, search indexes), leaves the database a cold build would hold
after loading those same documents; the build then goes on as a cold one does. What is counted
across reports and kept in part (series and the tables counted from it, search indexes, commitment
links, the planner's statistics) is reconciled by the stage that makes it: commitment links of the
reports loaded again are dropped by ``link_commitments`` itself.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from extract.store import statistics
from extract.store.load import FTS, fts_columns
from extract.store.scripts import run_script
from extract.vocab.loader import schema_path

#: The build_info key recording what the archive's rows were built from (see ``StoreRecord``).
RECORD_KEY = "store"


@dataclass(frozen=True)
class StoreRecord:
    """What the stored rows depend on: the digest of the code, vocabulary, district data and
    ``--source`` (``key``), and each document's id and signature, in manifest order."""

    key: str
    documents: list[tuple[str, str]]

    def dumps(self) -> str:
        return json.dumps({"key": self.key, "documents": [list(d) for d in self.documents]})

    @classmethod
    def loads(cls, text: str) -> StoreRecord | None:
        try:
            data = json.loads(text)
            return cls(str(data["key"]), [(str(i), str(s)) for i, s in data["documents"]])
        except (ValueError, KeyError, TypeError):
            return None


def reusable(base: Path, record: StoreRecord) -> int:
    """How many documents opening the manifest ``base`` holds exactly as this build would load
    them (0 when ``base`` is missing, foreign, built by other code or vocabulary, or unreadable).
    A document with a file that failed to read is never kept: it is read again."""
    if not base.is_file():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{base}?mode=ro", uri=True)) as con:
            info = dict(con.execute("select key, value from build_info").fetchall())
            failed = {r[0] for r in con.execute("select document_id from files where status = 'failed'")}
    except sqlite3.Error:
        return 0
    old = StoreRecord.loads(info.get(RECORD_KEY, ""))
    if old is None or old.key != record.key:
        return 0
    kept = 0
    for before, now in zip(old.documents, record.documents):
        if before != now or now[0] in failed:
            break
        kept += 1
    return kept


def start_from(base: Path, tmp: Path, keep: list[str], corrected: Iterable[str] = ()) -> sqlite_utils.Database:
    """Copy ``base`` to ``tmp`` and open it holding only the rows of the ``keep`` documents, and of
    the tables counted from `series` what no changed document touches (``corrected``: the
    documents the corrections name now, whose facts may change though they are kept)."""
    shutil.copyfile(base, tmp)
    with closing(sqlite3.connect(tmp)) as con:  # apart: a connection keeps the statistics it read at first
        con.execute("PRAGMA journal_mode = OFF")  # a scratch copy: nothing to roll back to, nothing to sync
        con.execute("PRAGMA synchronous = OFF")
        stats = statistics.saved(con)
        con.execute("drop table if exists sqlite_stat1")  # so the planner plans as in a new database until ANALYZE
        con.commit()
    db = sqlite_utils.Database(tmp)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    statistics.keep_for_later(db, stats)  # a table changed little keeps them (extract/store/statistics.py)
    _keep_counted(db, keep, corrected)
    _drop_derived(db)
    _delete_documents(db, keep)
    db.conn.commit()
    return db


def _schema_objects() -> set[str]:
    """The tables, views and indexes a new database starts with (schema/schema.sql)."""
    con = sqlite3.connect(":memory:")
    con.executescript(schema_path("schema.sql").read_text(encoding="utf-8"))
    names = {r[0] for r in con.execute("select name from sqlite_master")}
    con.close()
    return names


#: The tables counted from `series` that a build keeps in part (schema/series_tables.sql), with their indexes.
COUNTED = ("series", "period_values", "facet_counts", "coverage")


def _keep_counted(db: sqlite_utils.Database, keep: list[str], corrected: Iterable[str]) -> None:
    """Take the documents that change (not kept, or named by a correction before or now) out of
    `series`, `period_values` and `facet_counts`: their facts' counts off, their trend lines
    marked to be ranked again (schema/series_state.sql); the rest is kept as it is."""
    run_script(db, schema_path("series_state.sql").read_text(encoding="utf-8"))
    if not all(db[table].exists() for table in COUNTED):
        for table in COUNTED:
            db.execute(f"drop table if exists {table}")
        return  # made whole again
    db.conn.executemany("insert or ignore into temp.kept_whole values (?)", [(k,) for k in keep])
    db.conn.executemany("delete from temp.kept_whole where id = ?", [(c,) for c in corrected])
    db.execute("delete from temp.kept_whole where id in (select document_id from corrections)")
    stale = "(select id from documents where id not in (select id from temp.kept_whole))"
    db.execute(f"insert into temp.facet_documents select id, -1 from {stale}")
    run_script(db, schema_path("facet_delta.sql").read_text(encoding="utf-8"))
    db.execute(
        "insert into temp.stale_lines select distinct canonical_category, area, measure, unit, period_start, "
        f"period_end from series where document_id in {stale}"
    )
    db.execute(f"delete from series where document_id in {stale}")


def _drop_derived(db: sqlite_utils.Database) -> None:
    """Drop what the build makes once every document is in (vocabulary tables, derived figures,
    series views, search indexes, the tables counted from `series` but those kept in part) and
    delete the rows made across reports."""
    base = _schema_objects()
    kept = tuple(f"{table}_fts" for table in (*FTS, "passages"))  # search indexes: kept, rows deleted

    def extra(where: str) -> list[tuple[str, str]]:
        return [
            (kind, name)
            for kind, name, table in db.execute(
                f"select type, name, tbl_name from sqlite_master where {where}"
            ).fetchall()
            if name not in base and not name.startswith(("sqlite_",) + kept) and table not in COUNTED
        ]

    for _, name in extra("type = 'table' and sql like 'CREATE VIRTUAL TABLE%'"):
        db.execute(f'drop table if exists "{name}"')  # its shadow tables go with it
    for kind, name in extra("type in ('view', 'table')"):
        db.execute(f'drop {kind} if exists "{name}"')
    for _, name in extra("type = 'index'"):
        db.execute(f'drop index if exists "{name}"')
    # checks of corrections are made again after every document is in (a report's checks across its
    # own figures carry no file but belong to it: deleted with it)
    made_last = "(select id from checks where file_id is null and kind = 'correction')"
    db.execute(f"delete from check_figures where check_id in {made_last}")
    for table in (f"checks where id in {made_last}", "corrections", "build_info"):
        db.execute(f"delete from {table}")


def _delete_documents(db: sqlite_utils.Database, keep: list[str]) -> None:
    """Delete every row of the documents not in ``keep`` (the last ones loaded, so the next ids
    given are those a cold build gives)."""
    db.execute("create temp table kept_documents (id text primary key)")
    db.conn.executemany("insert into kept_documents values (?)", [(k,) for k in keep])
    db.execute(
        "create temp table gone_files as select id from files where document_id not in (select id from kept_documents)"
    )
    files = "(select id from temp.gone_files)"
    tables = f"(select id from tables where file_id in {files})"
    for table in FTS:  # out of its search index first, with the values it was indexed by
        if db[f"{table}_fts"].exists():
            db.execute(
                f"insert into {table}_fts({table}_fts, rowid, {fts_columns(table)}) "
                f"select 'delete', id, {fts_columns(table)} from {table} where file_id in {files}"
            )
    if db["passages_fts"].exists():  # contentless: deleted with the text it was indexed by
        db.execute(
            "insert into passages_fts(passages_fts, rowid, text) "
            f"select 'delete', id, text from passages where file_id in {files}"
        )
    if db.execute(f"select exists (select 1 from passages where file_id in {files})").fetchone()[0]:
        db.execute("delete from passage_terms")  # a term may have gone with them: listed again (schema/search.sql)
    gone = "(select id from documents where id not in (select id from kept_documents))"
    checks = f"(select id from checks where file_id in {files} or (file_id is null and document_id in {gone}))"
    for statement in (
        f"delete from check_figures where check_id in {checks}",
        f"delete from checks where id in {checks}",
        f"delete from derived_figures where document_id in {gone}",
        f"delete from commitment_partners where commitment_id in (select id from commitments where file_id in {files})",
        f"delete from commitments where file_id in {files}",
        f"delete from figures where file_id in {files}",
        f"delete from cells where table_id in {tables}",
        f"delete from table_reports where table_id in {tables}",
        f"delete from tables where file_id in {files}",
        f"delete from blocks where file_id in {files}",
        f"delete from footnotes where file_id in {files}",
        f"delete from files where id in {files}",
        "delete from documents where id not in (select id from kept_documents)",
    ):
        db.execute(statement)
    db.execute("drop table temp.gone_files")
    db.execute("drop table temp.kept_documents")
