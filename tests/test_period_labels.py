"""Period labels agree with their dates: a label is read back from the dates when a period is
moved (a comparison a year before), and every fact of the bundled build says what its dates say."""

import sqlite3
from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext, financial_year, label_agrees, label_of, parse_period

SHORT = PeriodContext(date(2024, 4, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    "start, end, label",
    [
        (date(2021, 4, 1), date(2022, 3, 31), "2021/22"),
        (date(2020, 1, 1), date(2020, 12, 31), "2020"),
        (date(2024, 10, 1), date(2024, 12, 31), "Q3 2024/25"),
        (date(2021, 5, 1), date(2021, 5, 31), "May 2021"),
        (date(2023, 4, 1), date(2023, 12, 31), "April–December 2023"),
        (date(2012, 7, 1), date(2013, 6, 30), "July 2012 – June 2013"),
        (date(2024, 4, 5), date(2024, 6, 30), "5 April 2024 – 30 June 2024"),
    ],
)
def test_a_label_made_from_dates_reads_back_as_those_dates(start, end, label):
    assert label_of(start, end) == label
    assert parse_period(label).iso == (start.isoformat(), end.isoformat())


def test_a_shifted_period_is_labelled_from_its_new_dates():
    moved = financial_year(2021).shifted_years(-1)
    assert moved.label == "2020/21" and label_agrees(moved.label, moved.start, moved.end)


def test_label_agrees_reads_the_label_in_its_context():
    assert label_agrees("2023", date(2023, 4, 1), date(2023, 12, 31), SHORT)
    assert not label_agrees("2024", date(2023, 4, 1), date(2023, 12, 31), SHORT)
    assert not label_agrees("current period", date(2023, 4, 1), date(2023, 12, 31), SHORT)
    assert label_agrees("Total", date(2024, 4, 1), date(2024, 11, 30), SHORT)  # names no period


def test_a_figure_compared_a_year_before_is_not_labelled_with_the_later_year():
    text = "In 2024 there were 80 thefts (12%), compared to 67 (14%)."
    doc = Document("text/t.txt", blocks=[Block("paragraph", text, start=0, end=len(text))])
    facts = extract_figures(doc, SHORT, "Testshire district")
    earlier = [f for f in facts if f.value == 67]
    assert earlier and earlier[0].period_start == "2023-04-01"
    assert earlier[0].period_label != "2024"
    for f in facts:
        assert label_agrees(f.period_label, date.fromisoformat(f.period_start), date.fromisoformat(f.period_end), SHORT)


def test_every_fact_of_the_bundled_build_has_a_label_that_agrees_with_its_dates(bundled_text_db):
    con = sqlite3.connect(bundled_text_db)
    rows = con.execute(
        "select f.fact_id, f.period_label, f.period_start, f.period_end, coalesce(t.period_start, d.period_start),"
        " coalesce(t.period_end, d.period_end) from facts f join documents d on d.id = f.document_id"
        " left join tables t on t.id = f.table_id where f.period_label is not null and f.period_start is not null"
    ).fetchall()
    assert len(rows) > 1000
    day = date.fromisoformat
    wrong = [
        r[:4]
        for r in rows
        if not label_agrees(r[1], day(r[2]), day(r[3]), PeriodContext(day(r[4]), day(r[5])) if r[4] else None)
    ]
    assert wrong == []
