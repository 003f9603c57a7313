"""Relative periods ("last year", "this quarter", "the year to June") read from the publication
date when the manifest gives a report no period; the phrases are data (schema/periods.yaml)."""

from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab import relative
from extract.vocab.periods import PeriodContext
from extract.vocab.relative import Published
from extract.vocab.rows import VocabularyError


def _periods(text, published, ctx=None):
    doc = Document("text/t.txt", blocks=[Block("paragraph", text, start=0, end=len(text))])
    facts = extract_figures(doc, ctx, "Testshire district", Published.of(published))
    return [(f.value, f.period_start, f.period_end) for f in facts]


def test_this_year_and_last_year_are_calendar_years_before_publication():
    got = _periods("Officers logged 45 burglaries this year and 60 burglaries last year.", "2022")
    assert got == [(45, "2022-01-01", "2022-12-31"), (60, "2021-01-01", "2021-12-31")]


def test_the_previous_year():
    got = _periods("In the previous year the service answered 90 calls.", "2019-05-02")
    assert got == [(90, "2018-01-01", "2018-12-31")]


def test_the_year_to_a_month_ends_at_the_last_such_month_before_publication():
    got = _periods("Reports of fraud rose to 120 in the year to June.", "2018-01-04")
    assert got == [(120, "2016-07-01", "2017-06-30")]


def test_twelve_months_to_a_printed_month_and_year_is_read_in_every_report():
    text = "Police recorded 310 thefts in the 12 months to March 2013."
    assert _periods(text, None) == [(310, "2012-04-01", "2013-03-31")]
    fy = PeriodContext(date(2020, 4, 1), date(2021, 3, 31))
    assert _periods(text, "2021", fy) == [(310, "2012-04-01", "2013-03-31")]


def test_a_span_of_months_with_its_year():
    got = _periods("From January to September 2012 there were 88 arrests.", "2013")
    assert got == [(88, "2012-01-01", "2012-09-30")]


def test_this_quarter_and_last_quarter_need_a_publication_day():
    text = "The team handled 14 referrals this quarter and 9 referrals last quarter."
    assert _periods(text, "2018-01-04") == [(14, "2018-01-01", "2018-03-31"), (9, "2017-10-01", "2017-12-31")]
    assert _periods(text, "2018") == [(14, None, None), (9, None, None)]


def test_the_report_period_wins_over_the_publication_date():
    fy = PeriodContext(date(2020, 4, 1), date(2021, 3, 31))
    got = _periods("Officers logged 45 burglaries this year.", "2022", fy)
    assert got == [(45, "2020-04-01", "2021-03-31")]


def test_publication_dates_read_from_the_manifest_value():
    assert Published.of("2022") == Published(2022)
    assert Published.of("2018-01-04") == Published(2018, date(2018, 1, 4))
    assert Published.of(None) is None and Published.of("soon") is None


@pytest.fixture
def periods_file(monkeypatch):
    """Point the relative-period loader at rules written by the test."""

    def write(rules):
        monkeypatch.setattr(relative, "load_yaml", lambda name: {"relative_periods": rules})
        relative.relative_periods.cache_clear()

    yield write
    relative.relative_periods.cache_clear()


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"phrase": "last year", "span": "decade"}, r"relative_periods\[1\]: field span: 'decade'"),
        ({"phrase": "the year to {season}", "span": "twelve_months"}, r"unknown placeholder \{season\}"),
        ({"phrase": "the year to", "span": "twelve_months"}, r"must hold \{month\}"),
        ({"phrase": "last (year", "span": "calendar_year"}, "not a regular expression"),
        ({"phrase": "last year", "span": "calendar_year", "back": -1}, "field back"),
        ({"phrase": "last year", "span": "calendar_year", "ago": 1}, "unknown field 'ago'"),
    ],
)
def test_a_bad_rule_is_one_line_naming_entry_and_field(periods_file, rule, message):
    periods_file([rule])
    with pytest.raises(VocabularyError, match=message) as err:
        relative.relative_periods()
    assert "\n" not in str(err.value) and "schema/periods.yaml" in str(err.value)
