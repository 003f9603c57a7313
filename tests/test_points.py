"""One point per quantity, like-for-like changes and `check --series` (extract/checks/quantities.py,
extract/store/points.py): the same figure printed twice is one point, values agree at their printed
precision, 9 and 12 months never share a line, a change compares the same months a year apart."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from extract.checks.quantities import (
    Printed,
    SeriesRow,
    StoredPoint,
    agree,
    changes_of,
    make_points,
    period_words,
    printed_step,
    printed_value,
    series_problems,
    years_apart,
)
from extract.cli import cli
from extract.pipeline import build

from .conftest import SMALL_REPORT, write_corpus
from .test_living import NEXT_YEAR

#: One report printing 877 in two tables, burglary's parts in one table and its printed total in
#: another (a derived sum equal to a printed figure), and a nine-month table.
TWO_TABLES = """Test Partnership Strategic Assessment

Headline Data: April – March 2021/22

WINCHESTER\tQ1\tQ2\tQ3\tQ4\tTotal 2021/22
1b Violence with Injury\t205\t243\t211\t218\t877
5a Criminal Damage\t172\t196\t242\t199\t809
Quarter Total\t377\t439\t453\t417\t1686

Figure 1: Recorded crimes - April 2021 – March 2022.

Burglary by type

WINCHESTER\t2021/22
4a1 Burglary Residential\t100
4a2 Burglary Business\t50

Figure 2: Recorded crimes - April 2021 – March 2022.

Violence and burglary

WINCHESTER\t2021/22
1b Violence with Injury\t877
4a Burglary\t150

Figure 3: Recorded crimes - April 2021 – March 2022.

Nine months

WINCHESTER\tQ1-Q3 2021\tQ1-Q3 2020
1b Violence with Injury\t650\t600

Figure 4: Recorded crimes - April – December 2021.
"""

#: A later report printing the previous year beside its own: 2021/22 violence with injury as 870,
#: where the first report printed 877 (a conflict across two reports).
RESTATED = """Test Partnership Strategic Assessment 2023

Headline Data: April – March 2022/23

WINCHESTER\t2021/22\t2022/23
1b Violence with Injury\t870\t410
5a Criminal Damage\t809\t260

Figure 1: Recorded crimes - April 2021 – March 2023.
"""


def built(tmp_path: Path, docs: dict[str, str]) -> sqlite3.Connection:
    corpus = write_corpus(tmp_path / "corpus", docs)
    db = tmp_path / "db" / "csp.db"
    report = build(corpus, db, source="text", cache_dir=tmp_path / "cache")
    assert report.ok, report.errors
    return sqlite3.connect(db)


def points_of(con: sqlite3.Connection, where: str, *args) -> list[dict]:
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute(f"select * from points where {where} order by point_id", args)]
    con.row_factory = None
    return rows


def check_series(db: Path):
    return CliRunner().invoke(cli, ["check", "--series", "--db", str(db)])


# -- precision -------------------------------------------------------------------------------------


def p(raw: str, value: float, unit: str = "percent") -> Printed:
    step = printed_step(raw, value)
    return printed_value(value, step, exact=unit == "count" and step == 1)


def test_values_agree_at_the_printed_precision_of_the_less_precise():
    assert agree(p("10.79%", 10.79), p("10.8%", 10.8))
    assert agree(p("12.61", 12.61), p("12.62%", 12.62))
    assert not agree(p("16.99%", 16.99), p("17.08%", 17.08))
    assert agree(p("18%", 18.0), p("18.4%", 18.4)) and not agree(p("18%", 18.0), p("19.1%", 19.1))
    assert not agree(p("877", 877, "count"), p("878", 878, "count"))  # whole counts: equal or not
    assert agree(p("1,382", 1382, "count"), p("1382", 1382.0, "count"))


def test_the_step_is_read_from_the_printed_text_never_from_the_float():
    assert printed_step("10.80%", 10.8) == Decimal("0.01")
    assert printed_step("1,382", 1382.0) == 1
    assert printed_step("£25K", 25000.0) == 1000
    assert printed_step("67 (14%)", 14.0) == 1
    assert printed_step("three", 3.0) == 1
    assert printed_value(0.1 + 0.2, Decimal("0.1")).value == Decimal("0.3")  # a derived sum's float noise


@given(
    st.decimals(min_value=-10_000, max_value=10_000, places=4, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=3),
)
def test_a_value_agrees_with_its_own_rounding_to_fewer_decimals(value: Decimal, fewer: int):
    text = f"{value:.4f}"
    rounded = f"{value:.{fewer}f}"
    assert agree(p(text + "%", float(text)), p(rounded + "%", float(rounded)))


# -- lines and changes, from rows --------------------------------------------------------------------


def row(rowid: int, start: str, end: str, value: float, **kw) -> SeriesRow:
    base = dict(
        canonical_id="violence_with_injury", canonical_category="violence with injury", area="Winchester district",
        measure="recorded crimes", unit="count", relation="same", printed_category="1b Violence with Injury",
        period_start=start, period_end=end, value=value, document_id="a", status="ok", figure_id=rowid,
        printed=((f"{value:,.0f}", value),),
    )  # fmt: skip
    base.update(kw)
    return SeriesRow(rowid=rowid, **base)  # type: ignore[arg-type]


def test_a_nine_month_and_a_twelve_month_figure_are_two_lines_and_never_compared():
    points = make_points(
        [row(1, "2022-04-01", "2022-12-31", 650), row(2, "2022-04-01", "2023-03-31", 877),
         row(3, "2023-04-01", "2024-03-31", 900), row(4, "2023-04-01", "2023-12-31", 700)]
    )  # fmt: skip
    assert len({pt.line.key for pt in points}) == 2
    assert {pt.line.length for pt in points} == {"9 months", "12 months"}
    changes = changes_of(points)
    assert sorted((c.from_point.value, c.to_point.value) for c in changes) == [(650, 700), (877, 900)]


def test_periods_a_year_apart_that_cover_different_months_give_no_change():
    assert years_apart(("2021-04-01", "2021-06-30"), ("2022-04-01", "2022-06-30")) == 1
    assert years_apart(("2021-04-01", "2021-06-30"), ("2022-07-01", "2022-09-30")) is None
    assert years_apart(("2020-01-01", "2020-02-29"), ("2021-01-01", "2021-02-28")) == 1  # a month's end
    assert years_apart(("2019-04-01", "2020-03-31"), ("2022-04-01", "2023-03-31")) == 3
    points = make_points([row(1, "2021-04-01", "2021-06-30", 205), row(2, "2022-07-01", "2022-09-30", 102)])
    assert changes_of(points) == []


def test_a_change_prefers_the_year_before_and_reads_right():
    points = make_points(
        [row(1, "2022-04-01", "2022-12-31", 5693), row(2, "2023-04-01", "2023-12-31", 5695),
         row(3, "2024-04-01", "2024-12-31", 5740)]
    )  # fmt: skip
    changes = changes_of(points)
    assert [(c.years, c.from_point.value, c.to_point.value) for c in changes] == [(1, 5693, 5695), (1, 5695, 5740)]
    last = changes[-1]
    assert (last.change, last.percent_change) == (45, 0.8)
    assert last.sentence == "April–December 2024: 5,740, 0.8 % more than April–December 2023 (5,695)"


def test_rates_are_higher_or_lower_in_percentage_points_and_equal_is_the_same():
    rate = dict(measure="FAT outcome rate", unit="percent")
    points = make_points(
        [row(1, "2021-04-01", "2022-03-31", 17.1, printed=(("17.1%", 17.1),), **rate),
         row(2, "2022-04-01", "2023-03-31", 16.25, printed=(("16.25%", 16.25),), **rate)]
    )  # fmt: skip
    (change,) = changes_of(points)
    assert change.sentence == (
        "April 2022–March 2023: 16.25 %, 0.85 percentage points lower than April 2021–March 2022 (17.1 %)"
    )
    same = changes_of(make_points([row(1, "2021-04-01", "2022-03-31", 10), row(2, "2022-04-01", "2023-03-31", 10)]))
    assert same[0].sentence == "April 2022–March 2023: 10, the same as April 2021–March 2022 (10)"
    fewer = changes_of(make_points([row(1, "2021-04-01", "2022-03-31", 0), row(2, "2022-04-01", "2023-03-31", 3)]))
    assert fewer[0].percent_change is None and fewer[0].sentence.startswith("April 2022–March 2023: 3, 3 more than")


def test_parts_and_percentage_changes_get_no_changes():
    part = dict(relation="part_of", canonical_id="violence_against_the_person")
    pct = dict(measure="percentage change", unit="percent", printed=(("5%", 5.0),))
    for kw in (part, pct):
        points = make_points([row(1, "2021-04-01", "2022-03-31", 5, **kw), row(2, "2022-04-01", "2023-03-31", 6, **kw)])
        assert changes_of(points) == []


def test_period_words():
    assert period_words("2024-04-01", "2024-12-31") == "April–December 2024"
    assert period_words("2023-04-01", "2024-03-31") == "April 2023–March 2024"
    assert period_words("2024-03-01", "2024-03-31") == "March 2024"


def test_series_problems_report_an_unflagged_conflict_and_not_a_flagged_one():
    rows = [row(1, "2021-04-01", "2022-03-31", 877), row(2, "2021-04-01", "2022-03-31", 870, document_id="b")]
    (point,) = make_points(rows)
    stored = StoredPoint(
        point.point_id, point.line.key, point.line.label, "violence_with_injury", "Winchester district",
        "recorded crimes", "count", "whole", None, "12 months", "2021-04-01", "2022-03-31", point.agree,
        point.series_rowids,
    )  # fmt: skip
    assert not point.agree
    found = series_problems(rows, [stored], {})
    assert [pr.kind for pr in found.problems] == ["unflagged_conflict"]
    assert series_problems(rows, [stored], {1: frozenset({9}), 2: frozenset({9})}).problems == ()
    # a failed check involving only one side does not cover the conflict
    assert len(series_problems(rows, [stored], {1: frozenset({9})}).problems) == 1
    # a repeated point and a row on no point
    orphan = row(3, "2022-04-01", "2023-03-31", 410)
    kinds = [pr.kind for pr in series_problems(rows + [orphan], [stored, stored], {1: frozenset({9, 8})}).problems]
    assert sorted(kinds) == ["orphan_row", "repeated_point", "unflagged_conflict", "unflagged_conflict"]


# -- built from corpora ------------------------------------------------------------------------------


def test_the_same_figure_in_two_tables_is_one_point_with_two_sources(tmp_path):
    con = built(tmp_path, {"a": TWO_TABLES})
    (vwi,) = points_of(
        con, "canonical_id = 'violence_with_injury' and relation = 'whole' and length = '12 months' "
        "and measure = 'recorded crimes'",
    )  # fmt: skip
    assert (vwi["value"], vwi["sources"], vwi["printed"], vwi["agree"]) == (877.0, 2, 2, 1)
    figures = json.loads(vwi["figure_ids"])
    tables = {r[0] for r in con.execute(f"select table_label from figures where id in ({','.join(map(str, figures))})")}
    assert len(figures) == 2 and len(tables) == 2
    assert json.loads(vwi["documents"]) == ["a"]


def test_a_derived_sum_equal_to_its_printed_total_is_one_point(tmp_path):
    con = built(tmp_path, {"a": TWO_TABLES})
    (burglary,) = points_of(con, "canonical_id = 'burglary' and relation = 'whole'")
    assert (burglary["value"], burglary["sources"], burglary["printed"], burglary["agree"]) == (150.0, 2, 1, 1)
    assert len(json.loads(burglary["derived_ids"])) == 1 and burglary["derived_only"] == 0


def test_nine_and_twelve_months_are_two_lines_and_a_change_is_made_only_like_for_like(tmp_path):
    con = built(tmp_path, {"a": TWO_TABLES, "b": NEXT_YEAR})
    lines = {
        r[0]: r[1]
        for r in con.execute(
            "select length, count(*) from points where canonical_id = 'violence_with_injury' "
            "and relation = 'whole' and measure = 'recorded crimes' group by line_key"
        )
    }
    assert lines == {"12 months": 2, "3 months": 8, "9 months": 2}
    changes = con.execute(
        "select c.from_start, c.from_end, c.to_start, c.to_end, c.sentence from changes c "
        "join points p on p.point_id = c.to_point where p.canonical_id = 'violence_with_injury' order by c.to_start"
    ).fetchall()
    assert ("2021-04-01", "2022-03-31", "2022-04-01", "2023-03-31",
            "April 2022–March 2023: 410, 53.2 % fewer than April 2021–March 2022 (877)") in changes  # fmt: skip
    assert ("2020-04-01", "2020-12-31", "2021-04-01", "2021-12-31",
            "April–December 2021: 650, 8.3 % more than April–December 2020 (600)") in changes  # fmt: skip
    for from_start, from_end, to_start, to_end, _ in changes:
        assert years_apart((from_start, from_end), (to_start, to_end)) == 1
    assert len(changes) == 6  # the year, the nine months and each of four quarters


def test_check_series_is_clean_on_a_clean_corpus(tmp_path):
    built(tmp_path, {"first": SMALL_REPORT, "second": NEXT_YEAR})
    result = check_series(tmp_path / "db" / "csp.db")
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


def test_check_series_reports_an_unflagged_conflict_across_two_reports(tmp_path):
    con = built(tmp_path, {"first": SMALL_REPORT, "second": RESTATED})
    (vwi,) = points_of(
        con, "canonical_id = 'violence_with_injury' and relation = 'whole' and length = '12 months' "
        "and period_start = '2021-04-01' and measure = 'recorded crimes'",
    )  # fmt: skip
    assert (vwi["agree"], json.loads(vwi["values"]), json.loads(vwi["documents"])) == (
        0,
        [870, 877],
        ["first", "second"],
    )
    covering = con.execute(
        "select count(*) from checks k where k.passed = 0 and (select count(*) from check_figures cf "
        f"where cf.check_id = k.id and cf.figure_id in ({','.join(map(str, json.loads(vwi['figure_ids'])))})) = 2"
    ).fetchone()[0]
    if covering:  # a check across reports flags it (extract/checks/consistency.py): take it away to see
        con.execute("delete from checks where passed = 0")
        con.commit()
    result = check_series(tmp_path / "db" / "csp.db")
    assert result.exit_code == 1, result.output
    conflicts = [line for line in result.output.splitlines() if line.startswith("unflagged_conflict")]
    # the whole line and violence against the person's part line of it
    assert len(conflicts) == 2 and all("877" in line and "870" in line for line in conflicts)
    assert conflicts[0].split("\t")[1].startswith("violence against the person (part: 1b Violence with Injury)")
    assert (
        conflicts[1].split("\t")[1] == "violence with injury, Winchester district, recorded crimes (count), 12 months"
    )
    assert "unflagged_conflict 2" in result.output


def test_the_bundled_build_is_clean_with_lines_of_two_or_more_periods(bundled_text_db):
    """Every line of the bundled corpus keeps the rules (mended, not dropped), and there are many."""
    result = check_series(bundled_text_db)
    summary = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0, result.output[-3000:]
    assert "0 problems" in summary
    lines = (
        sqlite3.connect(bundled_text_db)
        .execute("select count(*) from (select line_key from points group by line_key having count(*) >= 2)")
        .fetchone()[0]
    )
    assert lines >= 150
    assert f"{lines} with two or more periods" in summary
