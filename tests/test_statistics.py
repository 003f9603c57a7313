"""The planner's statistics after a build: a table a rebuild changed little keeps the previous
archive's, any other is analysed again, and a cold build analyses every table."""

from __future__ import annotations

import sqlite_utils

from extract.store import statistics


def archive(tmp_path, small: int, big: int) -> sqlite_utils.Database:
    db = sqlite_utils.Database(tmp_path / "a.db")
    for name, n in (("small", small), ("big", big)):
        db[name].insert_all(({"id": i, "k": i % 7} for i in range(n)), pk="id")
        db[name].create_index(["k"])
    return db


def stat(db: sqlite_utils.Database, table: str) -> str:
    return db.execute("select stat from sqlite_stat1 where tbl = ?", [table]).fetchone()[0]


def test_a_cold_build_analyses_every_table(tmp_path):
    db = archive(tmp_path, 10, 1000)
    assert statistics.refresh(db) == ["*"]
    assert stat(db, "small").split()[0] == "10" and stat(db, "big").split()[0] == "1000"


def test_a_table_changed_within_the_tolerance_keeps_its_statistics_and_one_past_it_is_analysed(tmp_path):
    db = archive(tmp_path, 10, 1000)
    db.execute("ANALYZE")
    before = statistics.saved(db.conn)
    db.execute("drop table sqlite_stat1")
    db["small"].insert_all({"id": 100 + i, "k": 1} for i in range(5))  # +50 %
    db["big"].insert_all({"id": 5000 + i, "k": 1} for i in range(50))  # +5 %
    statistics.keep_for_later(db, before)
    assert statistics.refresh(db, statistics.StatisticsSettings(tolerance=0.1)) == ["small"]
    assert stat(db, "small").split()[0] == "15"
    assert stat(db, "big") == dict((t, s) for t, _, s in before)["big"]  # kept as the old archive had it
    assert db.execute("select count(*) from temp.sqlite_master where name = 'stat_before'").fetchone() == (0,)


def test_a_table_whose_indexes_changed_is_analysed_again(tmp_path):
    db = archive(tmp_path, 10, 1000)
    db.execute("ANALYZE")
    before = statistics.saved(db.conn)
    db.execute("drop table sqlite_stat1")
    db["big"].create_index(["id", "k"])
    statistics.keep_for_later(db, before)
    assert statistics.refresh(db) == ["big"]
    assert db.execute("select count(*) from sqlite_stat1 where tbl = 'big'").fetchone() == (2,)
