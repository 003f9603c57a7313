"""The planner's statistics (sqlite_stat1) at the end of a build. ANALYZE reads every index of every
table, the largest cost left of adding one report to a big archive, so a build kept from the
previous archive keeps the statistics of each table it changed by a few per cent (it plans the
same way) and analyses the others again; a cold build analyses every table."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class StatisticsSettings:
    tolerance: float = 0.1  # a table whose rows grew or shrank by at most this share keeps its statistics


def saved(con) -> list[tuple]:
    """The statistics a database holds (none before its first ANALYZE)."""
    if not con.execute("select 1 from sqlite_master where name = 'sqlite_stat1'").fetchone():
        return []
    return con.execute("select tbl, idx, stat from sqlite_stat1").fetchall()


def keep_for_later(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Hold the previous archive's statistics on this connection, for ``refresh``."""
    db.execute("create temp table if not exists stat_before (tbl text, idx text, stat text)")
    db.conn.executemany("insert into temp.stat_before values (?, ?, ?)", rows)


def _rows(stat: str) -> int:
    return int(stat.split()[0])


def refresh(db: sqlite_utils.Database, settings: StatisticsSettings = StatisticsSettings()) -> list[str]:
    """Write the planner's statistics and have this connection plan with them; returns the tables
    analysed again (every table, without statistics kept by ``keep_for_later``)."""
    before: dict[str, list[tuple]] = {}
    if db.execute("select 1 from temp.sqlite_master where name = 'stat_before'").fetchone():
        for tbl, idx, stat in db.execute("select tbl, idx, stat from temp.stat_before"):
            before.setdefault(tbl, []).append((tbl, idx, stat))
    if not before:
        db.execute("ANALYZE")
        return ["*"]
    db.execute("ANALYZE sqlite_schema")  # sqlite_stat1 made, if it is not there yet
    db.execute("delete from sqlite_stat1")
    virtual = [r[0] for r in db.execute("select name from sqlite_master where sql like 'CREATE VIRTUAL TABLE%'")]
    tables = [  # not a search index nor its storage: a cold build analyses before they are made
        r[0]
        for r in db.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        if r[0] not in virtual and not r[0].startswith(tuple(f"{v}_" for v in virtual))
    ]
    analysed = []
    for table in tables:
        old = before.get(table, [])
        indexes = {
            r[0] for r in db.execute("select name from sqlite_master where type = 'index' and tbl_name = ?", [table])
        }
        rows = db.execute(f'select count(*) from "{table}"').fetchone()[0]
        same_indexes = {idx for _, idx, _ in old} == (indexes or {None})
        if old and same_indexes and abs(rows - _rows(old[0][2])) <= settings.tolerance * _rows(old[0][2]):
            db.conn.executemany("insert into sqlite_stat1 values (?, ?, ?)", old)
        else:
            db.execute(f'ANALYZE "{table}"')
            analysed.append(table)
    db.execute("ANALYZE sqlite_schema")  # the connection reads the statistics again
    db.execute("drop table temp.stat_before")
    return analysed
