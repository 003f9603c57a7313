"""`series` and `coverage` are tables copied from their views at the end of the build, indexed on
what trend lines and coverage filter on, and hold exactly the views' rows."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from extract.cli import cli

from .conftest import write_corpus

REPORT = """Burglary and violence report

Headline Data: April – March 2021/22

WINCHESTER\tQ1\tQ2\tTotal 2021/22
4a1 Burglary Residential\t10\t12\t22
4a2 Burglary Business and Community\t5\t3\t8
1b Violence with Injury\t40\t44\t84

Figure 1 Crimes
"""

LATER = REPORT.replace("2021/22", "2022/23").replace("\t10\t12\t22", "\t11\t9\t20")


def _build(tmp_path) -> sqlite3.Connection:
    corpus = write_corpus(tmp_path / "c", {"one": REPORT, "two": LATER})
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return sqlite3.connect(db)


def _kind(con: sqlite3.Connection, name: str) -> str:
    return con.execute("select type from sqlite_master where name = ?", (name,)).fetchone()[0]


def test_series_and_coverage_are_indexed_tables_equal_to_their_views(tmp_path):
    con = _build(tmp_path)
    assert [_kind(con, n) for n in ("series", "coverage", "series_view", "coverage_view")] == [
        "table",
        "table",
        "view",
        "view",
    ]
    for table, view in (("series", "series_view"), ("coverage", "coverage_view")):
        columns = [r[1] for r in con.execute(f"pragma table_info({table})")]
        assert columns == [r[1] for r in con.execute(f"pragma table_info({view})")]
        rows = sorted(con.execute(f"select * from {table}").fetchall(), key=repr)
        assert rows and rows == sorted(con.execute(f"select * from {view}").fetchall(), key=repr)
    assert con.execute("select count(*) from series where derived = 1").fetchone()[0] > 0
    indexed = {r[0]: r[1] for r in con.execute("select name, tbl_name from sqlite_master where type = 'index'")}
    line = [r[2] for r in con.execute("pragma index_info(series_line)")]
    assert line[:3] == ["canonical_category", "area", "measure"] and indexed["series_line"] == "series"
    assert [r[2] for r in con.execute("pragma index_info(coverage_category)")][0] == "canonical_category"
    assert con.execute("select count(*) from sqlite_stat1 where tbl = 'series'").fetchone()[0] > 0


def test_a_trend_line_is_read_through_the_index(tmp_path):
    con = _build(tmp_path)
    plan = " ".join(
        r[3]
        for r in con.execute(
            "explain query plan select * from series where canonical_category = ? and area = ? and measure = ?",
            ("burglary", "Winchester district", "recorded crimes"),
        )
    )
    assert "USING INDEX series_line" in plan
    plan = " ".join(
        r[3] for r in con.execute("explain query plan select * from coverage where canonical_category = ?", ("x",))
    )
    assert "USING INDEX coverage_category" in plan


CORRECTION = """corrections:
  - id: fix-q1
    document: one
    figure: {table: "Figure 1", row: "1b Violence with Injury", column: "Q1"}
    corrected: {value: 41}
    reason: the row total needs 41 here
    by: a reviewer
    date: 2026-01-15
"""


def test_a_trend_line_shows_the_corrected_value_as_facts_does(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"one": REPORT, "two": LATER})
    (corpus / "corrections.yaml").write_text(CORRECTION, encoding="utf-8")
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    fact = con.execute("select fact_id, value, printed_value from facts where status = 'corrected'").fetchall()
    assert [(v, p) for _, v, p in fact] == [(41, 40)]
    points = con.execute("select value, status from series where figure_id = ?", (fact[0][0],)).fetchall()
    assert points and set(points) == {(41, "corrected")}
