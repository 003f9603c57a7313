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
    key = sorted((r[5], r[1]) for r in con.execute("pragma table_info(coverage)") if r[5])
    assert [name for _, name in key] == ["canonical_category", "period_start", "period_end"]  # keyed, in that order
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
    assert "USING PRIMARY KEY" in plan


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


def _manifest(docs: dict[str, tuple[str, str, int]]) -> str:
    return "documents:\n" + "".join(
        f"  - id: {doc_id}\n    title: Report {doc_id}\n    kind: strategic_assessment\n    published: {published}\n"
        f"    area: Winchester district\n    period: {{start: {start}, end: {end}}}\n    files: [text/{doc_id}.txt]\n"
        for doc_id, (start, end, published) in docs.items()
    )


def _years_build(tmp_path, texts: dict[str, str], periods: dict[str, tuple[str, str, int]]) -> sqlite3.Connection:
    corpus = write_corpus(tmp_path / "c", texts, _manifest(periods))
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return sqlite3.connect(db)


def _what_changed(con: sqlite3.Connection, earlier: str, later: str) -> list[tuple]:
    import yaml

    from extract.publish.site import SITE_DIR

    sql = yaml.safe_load((SITE_DIR / "canned_queries.yml").read_text(encoding="utf-8"))["queries"][
        "what_changed_between_two_periods"
    ]["sql"]
    con.row_factory = sqlite3.Row
    rows = con.execute(sql, {"earlier_start": earlier, "later_start": later}).fetchall()
    con.row_factory = None
    return [dict(r) for r in rows]


YEAR_2022 = REPORT.replace("2021/22", "2022/23")
LEAP_2023 = REPORT.replace("2021/22", "2023/24").replace("\t40\t44\t84", "\t50\t44\t94")
PERIODS = {"y2022": ("2022-04-01", "2023-03-31", 2023), "y2023": ("2023-04-01", "2024-03-31", 2024)}


def test_a_leap_financial_year_is_compared_with_its_neighbour(tmp_path):
    con = _years_build(tmp_path, {"y2022": YEAR_2022, "y2023": LEAP_2023}, PERIODS)
    days = dict(con.execute("select start, days from periods where length = '12 months'").fetchall())
    assert days == {"2022-04-01": 365, "2023-04-01": 366}
    rows = _what_changed(con, "2022-04-01", "2023-04-01")
    violence = [r for r in rows if r["canonical_category"] == "violence with injury"]
    assert {r["period_length"] for r in violence} == {"12 months", "3 months"}
    year = next(r for r in violence if r["period_length"] == "12 months")
    assert (year["earlier"], year["later"]) == ("2022-04-01..2023-03-31", "2023-04-01..2024-03-31")
    assert (year["earlier_value"], year["later_value"], year["change"]) == (84.0, 94.0, 10.0)
    quarter = next(r for r in violence if r["period_length"] == "3 months")
    assert (quarter["earlier"], quarter["earlier_value"], quarter["later_value"]) == (
        "2022-04-01..2022-06-30",
        40.0,
        50.0,
    )
    assert all(r["earlier_report"] == "y2022" and r["later_report"] == "y2023" for r in rows)


def test_a_period_is_compared_only_with_one_of_the_same_length(tmp_path):
    con = _years_build(tmp_path, {"y2022": YEAR_2022, "y2023": LEAP_2023}, PERIODS)
    rows = _what_changed(con, "2022-04-01", "2023-07-01")  # a year and a quarter, the second quarter
    assert rows and {r["period_length"] for r in rows} == {"3 months"}
    assert {r["later"] for r in rows} == {"2023-07-01..2023-09-30"}


def test_one_value_per_line_and_period_the_latest_reports_with_how_many_printed_it(tmp_path):
    restated = YEAR_2022.replace("\t40\t44\t84", "\t40\t46\t86")  # a report published later restates 2022/23
    periods = {**PERIODS, "restated": ("2022-04-01", "2023-03-31", 2025)}
    con = _years_build(tmp_path, {"y2022": YEAR_2022, "restated": restated, "y2023": LEAP_2023}, periods)
    keys = "canonical_category, area, measure, unit, period_start, period_end"
    assert con.execute(f"select count(*) from period_values group by {keys} having count(*) > 1").fetchall() == []
    year = "canonical_category = 'violence with injury' and period_start = '2022-04-01' and length = '12 months'"
    assert con.execute(f"select value, document_id, figures, agree from period_values where {year}").fetchall() == [
        (86.0, "restated", 2, 0)
    ]
    q1 = _what_changed(con, "2022-04-01", "2023-04-01")
    assert [
        (r["earlier_value"], r["earlier_figures"], r["agree"])
        for r in q1
        if r["canonical_category"] == "violence with injury" and r["period_length"] == "3 months"
    ] == [(40.0, 2, 1)]


def test_lines_and_facet_counts_hold_what_counting_series_and_facts_gives(tmp_path):
    con = _build(tmp_path)
    counted = con.execute(
        "select canonical_category, area, measure, count(*), min(period_start), max(period_end) from series "
        "group by 1, 2, 3 order by 1, 2, 3"
    ).fetchall()
    assert counted and con.execute("select * from lines order by 1, 2, 3").fetchall() == counted
    for facet in ("document_id", "category", "area", "period_label", "unit", "status"):
        by_value = con.execute(f"select {facet}, count(*) from facts group by 1 order by 1").fetchall()
        stored = con.execute(
            "select value, sum(facts) from facet_counts where facet = ? group by 1 order by 1", (facet,)
        ).fetchall()
        assert stored == by_value, facet
    assert (
        con.execute("select count(*) from facet_counts where canonical_category = 'violence with injury'").fetchone()[0]
        > 0
    )
