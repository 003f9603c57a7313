"""The schema's SQL scripts split into statements as SQLite completes them (a trigger's body, a
``;`` in a comment or a string stays inside its statement), as sqlite-utils splits them."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils.db import _iter_complete_sql_statements

from extract.store.scripts import run_script, statements
from extract.vocab.loader import data_dir

PIECES = st.sampled_from(
    [
        "CREATE TABLE IF NOT EXISTS t (a TEXT);",
        "INSERT INTO t VALUES ('x;y');",
        "-- a comment; with a semicolon\n",
        "/* a block; comment */",
        "INSERT INTO t SELECT 'a' || ';' WHERE 1;",
        "CREATE TRIGGER IF NOT EXISTS g AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); SELECT 2; END;",
        "\n",
        "  ",
        "SELECT 1",
    ]
)


def test_every_schema_script_splits_as_sqlite_utils_splits_it():
    scripts = sorted(data_dir("schema").glob("*.sql"))
    assert len(scripts) > 5
    for script in scripts:
        sql = script.read_text(encoding="utf-8")
        assert [s.strip() for s in statements(sql)] == list(_iter_complete_sql_statements(sql)), script.name


def _state(con: sqlite3.Connection) -> list:
    tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table' order by 1")]
    return [con.execute("select sql from sqlite_master order by name").fetchall()] + [
        con.execute(f'select * from "{t}"').fetchall() for t in tables
    ]


@settings(deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_any_script_run_statement_by_statement_does_what_sqlite_does_with_it_whole(pieces):
    sql = "CREATE TABLE u (v);" + "".join(pieces)
    whole, split = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    try:
        whole.executescript(sql)
    except sqlite3.Error:
        return  # not a script SQLite runs (a trailing statement without its ";" after a comment ...)
    found = list(statements(sql))
    assert all(sqlite3.complete_statement(s) for s in found[:-1])
    for statement in found:
        split.execute(statement)
    assert _state(split) == _state(whole)


def test_a_script_run_inside_a_transaction_does_not_commit(tmp_path):
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "a.db")
    db.execute("create table u (v)")
    db.conn.commit()
    db.conn.execute("insert into u values (0)")  # a transaction is open
    run_script(db, "CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x;y'); -- done;\n")
    assert db.conn.in_transaction
    db.conn.rollback()
    assert db.execute("select count(*) from sqlite_master where name = 't'").fetchone() == (0,)
    assert db.execute("select count(*) from u").fetchone() == (0,)
    sqlite3.connect(tmp_path / "a.db").close()
