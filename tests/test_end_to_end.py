"""One build of the bundled corpus: a handful of figures read off the reports by eye, and the
inconsistencies the sources really contain showing up as failed checks."""

import sqlite3

import pytest


@pytest.fixture(scope="module")
def con(bundled_text_db):
    return sqlite3.connect(bundled_text_db)


def one(con, sql, *params):
    rows = con.execute(sql, params).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_all_five_reports_are_in(con):
    assert one(con, "select count(*) from documents")[0] == 5
    assert one(con, "select count(*) from files where status = 'failed'")[0] == 0


def test_a_quarterly_crime_figure(con):
    # 2021/22 assessment, Headline Data: 4d Bicycle Theft, Q3 prints 75
    assert one(
        con,
        "select value, period_start, period_end from facts where source_kind = 'table' "
        "and row_label = '4d Bicycle Theft' and column_label = 'Q3'",
    ) == (75.0, "2021-10-01", "2021-12-31")


def test_drug_possession_fat_rate_with_its_quote(con):
    value, unit, quote, period = one(
        con,
        "select value, unit, quote, period_start from facts where table_label = 'Figure 2' "
        "and row_label = '6b Possession of Drugs' and column_label like 'FAT Outcome rate%'",
    )
    assert (value, unit, period) == (90.05, "percent", "2021-04-01")
    assert quote.startswith("6b Possession of Drugs | 221 | 199")


def test_monthly_header_repair_is_recorded(con):
    repairs = [r[0] for r in con.execute("select repairs from tables where repairs like '%shifted back%'")]
    assert len(repairs) == 3  # the three monthly domestic-abuse tables of 2021/22
    assert one(
        con,
        "select period_start from facts where table_label = 'Figure 3' and row_label = 'All Domestic Crimes' "
        "and column_label = '2022 / Jan'",
    ) == ("2022-01-01",)


def test_unheaded_column_is_the_previous_year(con):
    assert one(
        con,
        "select value, period_start, period_end from facts where row_label = '6 Drug Offences' "
        "and column_label = '' and source_file like '%2017-18%'",
    ) == (232.0, "2016-04-01", "2016-10-31")


def test_no_fact_from_cells_that_print_no_value(con):
    assert one(
        con,
        "select count(*) from facts where source_kind = 'table' and row_label like 'Freedom (Winchester)%' "
        "and source_file like '%2021-22%'",
    ) == (1,)  # 18 printed; 'Data not collected' is no zero


@pytest.mark.parametrize(
    "doc,kind,needle",
    [
        ("2005-08-community-safety-strategy", "column_total", "Number of offences in 2003/04"),
        ("2017-18-performance-review", "truncated", "'1,'"),
        ("2021-22-strategic-assessment", "rate", "200.00%"),
    ],
)
def test_inconsistencies_in_the_sources_fail_their_checks(con, doc, kind, needle):
    rows = con.execute(
        "select description from checks where passed = 0 and document_id = ? and kind = ?", (doc, kind)
    ).fetchall()
    assert any(needle in r[0] for r in rows), rows


def test_flagged_figures_keep_their_printed_value(con):
    assert one(con, "select value, status from facts where source_file like '%2005-08%' and row_label = 'Total'") == (
        4195.0,
        "flagged",
    )
