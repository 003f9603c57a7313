"""Figures in prose: each pattern and each skip rule, on sentences written for the tests."""
from datetime import date

import pytest

from extract.model import Block, Document
from extract.narrative import extract_figures, pipeline
from extract.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))
APR_DEC = PeriodContext(date(2030, 4, 1), date(2030, 12, 31))


def figures(text, ctx=FY, kind="paragraph"):
    doc = Document("text/t.txt", blocks=[Block(kind, text, start=100, end=100 + len(text))])
    return extract_figures(doc, ctx, "Testshire district")


def values(text, ctx=FY):
    return [(f.value, f.unit) for f in figures(text, ctx)]


def one(text, value, ctx=FY):
    found = [f for f in figures(text, ctx) if f.value == value]
    assert len(found) == 1, [(f.value, f.raw) for f in figures(text, ctx)]
    return found[0]


@pytest.mark.parametrize("text,expected", [
    ("The wardens answered 1,204 calls from residents.", [(1204, "count")]),
    ("Cycle thefts fell to 212 (4.5%) of recorded crime.", [(212, "count"), (4.5, "percent")]),
    ("The scheme cost £12,450.50 to run.", [(12450.50, "GBP")]),
    ("The grant was worth £40K and the match funding £15k.", [(40000, "GBP"), (15000, "GBP")]),
    ("Crews removed 12.5 tonnes of waste.", [(12.5, "tonnes")]),
    ("Clients waited 3.2 months on average.", [(3.2, "months")]),
    ("Officers made 9 disclosures (5 right to ask/4 right to know).", [(9, "count"), (5, "count"), (4, "count")]),
    ("Between 120 – 150 volunteers took part.", [(120, "count"), (150, "count")]),
])
def test_figure_patterns(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "Powers under Section 35 of the Policing Act 2019 were used.",  # section and statute year
    "The review was published on 3 March 2031.",  # a date
    "Most victims were in the 25 – 34 age group.",  # age band bounds
    "Contact the team on 01234 567 890 for advice.",  # a phone number
    "Outcome 16 was the most common result.",  # numbers that name things
    "Funding came from Safer Streets 4.",
    "Figures 3 and 4 show the detail.",
    "Priority 2 covers quality of life.",
    "Patrols over the last 12 months were welcomed.",  # a framing duration
    "The 1-2-1 sessions were popular.",  # a hyphenated name
    "The 2029-30 plan was agreed.",  # a financial year
    "Victims on the Top 10 list were visited.",  # a named list
])
def test_skip_rules(text):
    assert values(text) == []


def test_bracketed_threshold_is_not_a_figure():
    assert values("There were 95 repeat victims (2 crimes) this year.") == [(95, "count")]


def test_list_numbering_is_not_a_figure():
    doc = Document("t", blocks=[Block("paragraph", "1 Number of people helped home"),
                                Block("paragraph", "2 Number of bottles collected"),
                                Block("paragraph", "3 Number of patrols")])
    assert extract_figures(doc, FY) == []


def test_change_measures_and_qualifiers():
    text = "Thefts rose by 41 offences, a decrease of 12.5% in burglary, and nearly 60% of victims were repeat."
    rise = one(text, 41)
    assert rise.measure.startswith("change in count")
    drop = one(text, 12.5)
    assert drop.measure == "percentage change (decrease)" and drop.period_start == "2030-04-01"
    assert one(text, 60).qualifier == "nearly"
    assert one("Over 500 people attended the events.", 500).qualifier == "over"


@pytest.mark.parametrize("text,value,start,end", [
    ("In 2030/31 1500 reports were made, compared to 1800 in 2029/30, a decrease of 16.67%.", 1800, "2029-04-01", "2030-03-31"),
    ("In 2030/31 1500 reports were made, compared to 1800 in 2029/30, a decrease of 16.67%.", 1500, "2030-04-01", "2031-03-31"),
    ("In 2030/31 1500 reports were made, compared to 1800 in 2029/30, a decrease of 16.67%.", 16.67, "2030-04-01", "2031-03-31"),
    ("As a snapshot in quarter 4 the team opened 26 cases.", 26, "2031-01-01", "2031-03-31"),
    ("Q3 snapshot: 41% of stops led to an outcome.", 41, "2030-10-01", "2030-12-31"),
    ("Officers attended 300 calls between April and December 2030.", 300, "2030-04-01", "2030-12-31"),
    ("There were 95 referrals this year.", 95, "2030-04-01", "2031-03-31"),
    ("Visits rose from 20 to 35.", 20, "2029-04-01", "2030-03-31"),
])
def test_periods(text, value, start, end):
    fact = one(text, value)
    assert (fact.period_start, fact.period_end) == (start, end)


def test_same_period_in_a_year_shifts_the_report_span():
    fact = one("In 2030 there were 637 incidents compared with 621 in the same period for 2029.", 621, APR_DEC)
    assert (fact.period_start, fact.period_end) == ("2029-04-01", "2029-12-31")


def test_quote_offsets_and_provenance():
    text = "Intro sentence. The team issued 14 warnings in the period."
    fact = one(text, 14)
    assert fact.quote == "The team issued 14 warnings in the period."
    assert fact.source_kind == "text" and fact.char_start == 100 + text.index("14")
    assert fact.char_end == fact.char_start + 2


def test_prose_cells_of_tables_are_read(tmp_path):
    from extract.text_reader import parse_text

    doc = parse_text("Theme\tAchievements\nQuality of Life\t<ul><li>19 hotspots were managed.</li></ul>\n", "t.txt")
    assert [f.value for f in extract_figures(doc, FY)] == [19]


def test_the_pipeline_is_rule_based_and_offline():
    nlp = pipeline()
    assert nlp.pipe_names == ["sentencizer", "csp_figures"]
    assert nlp.meta.get("name") != "core_web_sm"
