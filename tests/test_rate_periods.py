"""A figure followed by "per quarter", "a month", "each week" is a rate with that period as its
base; the unit stays what is counted (sentences written for the test)."""

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document


def _read(text):
    doc = Document("text/t.txt", blocks=[Block("paragraph", text, start=0, end=len(text))])
    return [(f.value, f.unit, f.measure, f.base) for f in extract_figures(doc, None, "Testshire district")]


def test_a_count_a_month_is_a_rate_per_month():
    assert _read("About 420 calls a month reached the helpline.") == [(420, "count", "rate", "per month")]


def test_per_quarter_after_the_figure_or_its_noun():
    assert _read("Wardens made 75 patrols per quarter and 40 per quarter at night.") == [
        (75, "count", "rate", "per quarter"),
        (40, "count", "rate", "per quarter"),
    ]


def test_both_ends_of_a_range_share_the_rate():
    got = _read("Between 6 and 9 sessions each week were offered.")
    assert [(v, b) for v, _, _, b in got] == [(6, "per week"), (9, "per week")]


def test_a_year_that_frames_a_statement_is_not_a_rate():
    assert _read("There were 12 thefts over a year and 30 arrests in a year.") == [
        (12, "count", "count", None),
        (30, "count", "count", None),
    ]


def test_a_population_base_stays_the_base():
    assert _read("The rate was 5.2 per 1,000 population a year.")[0][3] == "per 1,000 population"
