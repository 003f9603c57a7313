"""Every disagreement a failed check, and no false alarm: values compared at their printed
precision, the arithmetic a sentence states checked, a table's structure read for what it is.
Every sentence and table here is invented for the test."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from extract.checks.precision import agree, decimals, nature
from extract.checks.sentences import change_against_earlier, parts_in_brackets, rate_of_two_counts
from extract.cli import cli

from .conftest import write_corpus


def figures(quote: str, *found: tuple[str, str, str]) -> list[dict]:
    """Prose figure rows of one invented sentence: (printed text, unit, measure) in reading order."""
    rows, cursor = [], 0
    for n, (raw, unit, measure) in enumerate(found):
        at = quote.index(raw, cursor)
        cursor = at + len(raw)
        value = float(raw.strip("%+").replace(",", ""))
        rows.append(
            {
                "id": n + 1,
                "document_id": "d",
                "block_id": 1,
                "quote": quote,
                "raw": raw,
                "value": -value if raw.startswith("-") else value,
                "unit": unit,
                "measure": measure,
                "char_start": at + 100,  # offsets count from the paragraph, not the sentence
                "char_end": cursor + 100,
                "page": 3,
            }
        )
    return rows


# ---- printed precision ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, unit, same",
    [
        (("10.79%", 10.79), ("10.8%", 10.8), "percent", True),
        (("12.61%", 12.61), ("12.62%", 12.62), "percent", True),
        (("16.99%", 16.99), ("17.08%", 17.08), "percent", False),
        (("17.5%", 17.5), ("18.15%", 18.15), "percent", False),
        (("877", 877.0), ("878", 878.0), "count", False),
        (("1,156", 1156.0), ("1156", 1156.0), "count", True),
    ],
)
def test_values_are_compared_at_the_precision_printed(a, b, unit, same):
    assert agree(a[1], a[0], b[1], b[0], unit) is same


@given(st.floats(min_value=0, max_value=1000, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_a_value_always_agrees_with_its_own_rounding(value, places):
    exact = f"{value:.4f}"
    rounded = f"{value:.{places}f}"
    assert agree(float(exact), exact, float(rounded), rounded, "percent")


def test_decimals_come_from_the_printed_text():
    assert decimals("10.80%", 10.8) == 2 and decimals("1,156", 1156.0) == 0 and decimals(None, 0.25) == 2


def test_a_failure_is_the_sources_unless_it_is_our_reading():
    assert nature("tables_agree", False) == "source" and nature("text_vs_pdf", False) == "reading"
    assert nature("tables_agree", True, exact=False) == "rounding" and nature("row_total", True) is None


# ---- arithmetic stated in a sentence --------------------------------------------------------------


def test_parts_in_brackets_that_do_not_add_up_fail_and_those_that_do_pass():
    quote = "The team handled 40 referrals (25 self-referrals/12 agency referrals), against 31 last year (20 self/11 agency)."
    rows = figures(quote, *[(n, "count", "count") for n in ("40", "25", "12", "31", "20", "11")])
    checks = parts_in_brackets(rows)
    assert [(c.passed, c.expected) for c in checks] == [(False, 37.0), (True, 31.0)]
    assert (
        "40" in checks[0].description and "25 + 12 = 37" in checks[0].description and "page 3" in checks[0].description
    )


def test_a_bracket_of_other_things_is_not_a_breakdown():
    quote = "The team handled 40 referrals (a rise of 5 on 2019) and 12 visits."
    rows = figures(quote, ("40", "count", "count"), ("5", "count", "count"), ("12", "count", "count"))
    assert parts_in_brackets(rows) == []


@pytest.mark.parametrize(
    "quote, found, passed",
    [
        (
            "Officers made 30 charges for 40 reported burglaries, a 75% charge rate.",
            [("30", "count", "count"), ("40", "count", "count"), ("75%", "percent", "rate")],
            True,
        ),
        (
            "Officers made 30 charges out of 40 reported burglaries, equal to an 80% charge rate.",
            [("30", "count", "count"), ("40", "count", "count"), ("80%", "percent", "rate")],
            False,
        ),
    ],
)
def test_a_rate_stated_with_its_two_counts_is_recomputed(quote, found, passed):
    checks = rate_of_two_counts(figures(quote, *found))
    assert len(checks) == 1 and checks[0].passed is passed and checks[0].kind == "rate_from_counts"


@pytest.mark.parametrize(
    "quote, found, passed",
    [
        (  # the value, then "compared to" the earlier one, then the change
            "There were 150 thefts this year compared to 120 last year, an increase of 25%.",
            [("150", "count", "count"), ("120", "count", "count"), ("25%", "percent", "percentage change (increase)")],
            True,
        ),
        (  # "from A to B"
            "Callouts fell from 80 in 2019 to 60 in 2020, a 25% reduction.",
            [("80", "count", "count"), ("60", "count", "count"), ("25%", "percent", "percentage change (decrease)")],
            True,
        ),
        (  # the change printed wrong
            "The team made 30 visits compared with 40 before, a reduction of 40%.",
            [("30", "count", "count"), ("40", "count", "count"), ("40%", "percent", "percentage change (decrease)")],
            False,
        ),
        (  # the direction said wrong
            "There were 90 thefts compared to 100 the year before, an increase of 10%.",
            [("90", "count", "count"), ("100", "count", "count"), ("10%", "percent", "percentage change (increase)")],
            False,
        ),
        (  # two percentages: a change in points is read as one
            "A 64% detection rate, an increase of 4% as opposed to 60% last year.",
            [("64%", "percent", "rate"), ("4%", "percent", "percentage change (increase)"), ("60%", "percent", "rate")],
            True,
        ),
        (  # rounded inputs: 7.0 % from 6.5 % is 7.7 % give or take their rounding
            "The repeat rate was 7.0% compared with 6.5%, an increase of 7.7%.",
            [
                ("7.0%", "percent", "rate"),
                ("6.5%", "percent", "rate"),
                ("7.7%", "percent", "percentage change (increase)"),
            ],
            True,
        ),
    ],
)
def test_a_change_stated_with_both_values_is_recomputed(quote, found, passed):
    checks = change_against_earlier(figures(quote, *found))
    assert len(checks) == 1 and checks[0].passed is passed, checks


# ---- a report's tables and prose, built --------------------------------------------------------------

TWO_TABLES = """Test Partnership Review

Outcomes: April – March 2021/22

OFFENCE\tCrimes\tFAT Outcomes\tFAT Outcome rate %
1b Violence with Injury\t600\t90\t15.00%
9 Public Order Offences\t2000\t241\t12.05%

Figure 1: Outcomes - April 2021 – March 2022.

OFFENCE\tCrimes\tFAT Outcomes\tFAT Outcome rate %
1b Violence with Injury\t600\t90\t15.40%
9 Public Order Offences\t2000\t241\t12.1%

Figure 2: Outcomes again - April 2021 – March 2022.
"""

PARISH_TABLE = """Test Partnership Review 2017

Current period: April – October 2017

NORTH AREA\tALPHA\tBETA\tNORTH AREA\tTOTAL
1 Violence Against the Person\t10\t20\t0\t30

Figure 3: North Area parishes - April 2017 – October 2017.

CHANGE TABLE\tTOTAL
1 Violence Against the Person\t12.5%

Figure 4: % Change (current – previous YTD).
"""

AREAS = """name,kind,parent,variants
Test district,district,,
NORTH AREA,npt_region,Test district,
ALPHA,parish,NORTH AREA,
BETA,parish,NORTH AREA,
"""


def build(tmp_path, docs: dict[str, str]):
    corpus = write_corpus(tmp_path / "corpus", docs)
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "--source", "text"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


def test_two_tables_disagreeing_beyond_rounding_fail_and_rounding_passes(tmp_path):
    conn = build(tmp_path, {"r": TWO_TABLES})
    checks = {
        (r["description"].split(" (")[0], r["passed"], r["nature"])
        for r in conn.execute("select * from checks where kind = 'tables_agree' and description like '%rate%'")
    }
    assert ("violence with injury", 0, "source") in checks  # 15.00 against 15.40
    assert ("public order offences", 1, "rounding") in checks  # 12.05 against 12.1: one place printed
    failed = conn.execute("select description from checks where passed = 0 and kind = 'tables_agree'").fetchall()
    assert all("page" in r[0] or "Figure" in r[0] for r in failed)


def test_a_region_column_among_its_parishes_is_a_part_not_the_region(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "areas.csv").write_text(AREAS, encoding="utf-8")
    conn = build(tmp_path, {"r": PARISH_TABLE})
    areas = {r[0]: r[1] for r in conn.execute("select column_label, area from facts where table_label = 'Figure 3'")}
    assert areas["NORTH AREA"] == "Part of NORTH AREA"
    assert (
        conn.execute("select count(*) from checks where passed = 0 and kind = 'region_from_parishes'").fetchone()[0]
        == 0
    )


def test_a_percent_change_table_gives_percentage_changes(tmp_path):
    conn = build(tmp_path, {"r": PARISH_TABLE})
    measures = {r[0] for r in conn.execute("select measure from facts where table_label = 'Figure 4'")}
    assert measures == {"percentage change"}


def test_each_disagreement_is_one_check_not_one_per_rendition(tmp_path):
    from tests.pdf_fixtures import Writer

    corpus = write_corpus(tmp_path / "corpus", {"r": TWO_TABLES})
    pdf = corpus / "pdf" / "r.pdf"
    pdf.parent.mkdir()
    writer = Writer(pdf)
    for line in TWO_TABLES.splitlines():  # the PDF rendition: the same words, its tables as lines
        if line:
            writer.text(line.replace("\t", "  "))
    writer.save()
    manifest = corpus / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("files: [text/r.txt]", "files: [text/r.txt, pdf/r.pdf]"))
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code in (0, 1), result.output
    conn = sqlite3.connect(db)
    roles = {r[0] for r in conn.execute("select fi.role from checks c join files fi on fi.id = c.file_id")}
    assert "compared" not in roles  # the text rendition's own table checks would repeat the PDF's
    assert conn.execute("select count(*) from files where role = 'compared'").fetchone()[0] == 1


PROSE_AND_TABLES = """Test Partnership Assessment

Recorded crime: April – March 2021/22

CATEGORY\tCrimes\tFAT Outcomes
4a Burglary\t400\t40
5a Criminal Damage\t600\t260
Total\t1000\t300

Figure 1: Crimes and outcomes - April 2021 – March 2022.

Burglary

Officers dealt with the 450 reported burglary offences across the district in 2021/22.

Over 50 burglary offences were linked to one group in 2021/22.

9 burglary prevention events were held in 2021/22.

Outcomes

300 FAT outcomes were delivered in 2021/22, an overall rate of 20%.
"""


def test_prose_that_restates_a_tables_figure_is_checked_against_it(tmp_path):
    conn = build(tmp_path, {"r": PROSE_AND_TABLES})
    failed = [r["description"] for r in conn.execute("select description from checks where passed = 0")]
    assert any("burglary: the text says 450" in d and "Figure 1" in d and "400" in d for d in failed), failed
    assert any("rate of 20% for 300 FAT outcomes" in d and "1000 recorded crimes" in d and "30.0%" in d for d in failed)


def test_bounds_and_other_things_counted_stay_off_the_categorys_line(tmp_path):
    conn = build(tmp_path, {"r": PROSE_AND_TABLES})
    on_line = {
        r[0]
        for r in conn.execute("select value from series where canonical_category = 'burglary' and source_kind = 'text'")
    }
    assert 50.0 not in on_line and 9.0 not in on_line
    notes = {
        r[0]: r[1]
        for r in conn.execute("select value, notes from facts where source_kind = 'text' and value in (50, 9)")
    }
    assert "a bound" in notes[50.0] and "burglary prevention events" in notes[9.0]


TWO_YEARS = """Test Partnership Update

Headline Data: April – December 2024

CATEGORY\tQ1 - Q3 2023\tQ1 - Q3 2024\tFAT Outcome 2023\tFAT Outcomes 2024
4a Burglary\t200\t250\t20 (10%)\t30 (12%)
Robbery of personal property\t2\t4\t3 (100%)\t1 (25%)

Figure 1: Burglary and robbery - April to December 2023 and 2024.

Burglary

Burglary offences have risen by 25% on the same period last year.

FAT outcomes for burglary are up 20% on last year.

The FAT outcome rate for burglary was 15% in the period.
"""


def test_a_rate_in_brackets_beside_its_count_is_checked_against_the_rows_crimes(tmp_path):
    conn = build(tmp_path, {"r": TWO_YEARS})
    rates = {r[0]: r[1] for r in conn.execute("select description, passed from checks where kind = 'rate'")}
    assert any("(10%) = 20 / 200" in d and ok for d, ok in rates.items()), rates
    assert any("(100%) = 3 / 2" in d and not ok for d, ok in rates.items()), rates  # 150 %, printed 100 %


def test_prose_changes_and_rates_are_checked_against_the_tables(tmp_path):
    manifest = (
        "documents:\n  - id: r\n    title: An update\n    kind: performance_review\n"
        "    period: {start: 2024-04-01, end: 2024-12-31}\n    files: [text/r.txt]\n"
    )
    corpus = write_corpus(tmp_path / "corpus", {"r": TWO_YEARS}, manifest)
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--db", str(tmp_path / "x.db"), "--source", "text"]
    )
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "x.db")
    rows = conn.execute(
        "select kind, passed, description from checks where kind in ('change_from_tables', 'prose_vs_table')"
    ).fetchall()
    changes = {(r[1], r[2].split(";")[0]) for r in rows if r[0] == "change_from_tables"}
    assert (1, "the text gives a change of 25%") in changes  # 200 → 250
    assert (0, "the text gives a change of 20%") in changes  # FAT outcomes 20 → 30 is 50 %
    rate = [r for r in rows if r[0] == "prose_vs_table" and "FAT outcome rate" in r[2]]
    assert rate and rate[0][1] == 0 and "12%" in rate[0][2]  # 15 % in the text, 12 % in the table


GENERIC_COUNTS = """Test Partnership Update

Priority two

The chart below shows outcomes in relation to criminal damage offences across the year. In 2030 there were 412 incidents compared with 380 in 2029.

The table above details the 300 reported criminal damage crimes and in 120 (40%) evidential difficulties prevented a charge.
"""


def test_a_generic_count_takes_its_paragraphs_category_and_a_clause_of_other_words_does_not(tmp_path):
    conn = build(tmp_path, {"r": GENERIC_COUNTS})
    canon = {
        r[0]: (r[1], r[2])
        for r in conn.execute("select value, canonical_category, notes from facts where source_kind = 'text'")
    }
    assert canon[412.0][0] == "criminal damage" and "category from the paragraph" in canon[412.0][1]
    assert canon[120.0][0] is None  # "evidential difficulties": not criminal damage crimes


BREAKDOWN_UNDER_A_HEADING = """Test Partnership Assessment

Recorded crime: April – March 2021/22

CATEGORY\tCrimes
5a Criminal Damage\t600
8a Public Order Offences\t250
Total\t850

Figure 1: Crimes - April 2021 – March 2022.

Criminal Damage

Of those crimes, males accounted for 420 (70%) of the aggrieved.

Public Order

Public order offences accounted for 250 crimes in 2021/22.
"""


def test_who_a_figure_counts_among_its_headings_crimes_is_a_breakdown_checked_against_no_total(tmp_path):
    conn = build(tmp_path, {"r": BREAKDOWN_UNDER_A_HEADING})
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "select value, canonical_category, canonical_relation from facts where source_kind = 'text'"
        )
    }
    assert rows[420.0] == ("criminal damage", "part_of")  # males among the heading's crimes: a part of them
    assert rows[250.0] == ("public order offences", "same")  # "order" is the category's own word here
    failed = [r[0] for r in conn.execute("select description from checks where passed = 0")]
    assert not any("420" in d for d in failed), failed  # a part restates no total: no disagreement
    on_line = {r[0] for r in conn.execute("select value from series where source_kind = 'text'")}
    assert 250.0 in on_line and 420.0 not in on_line
