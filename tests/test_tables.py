"""Table interpretation: each hard case on a small fixture written for it."""

from datetime import date

from extract.checks.arithmetic import check_table
from extract.interpret.tables import read_tables
from extract.readers.text import parse_text
from extract.vocab.periods import Period

FY21 = Period(date(2021, 4, 1), date(2022, 3, 31), "span", "report")


def read(text, period=FY21):
    doc = parse_text(text, "text/t.txt")
    readings = read_tables(doc, period, "Winchester district")
    for r in readings:
        check_table(r)
    return readings


def fact(reading, row, col):
    found = [f for f in reading.facts if f.row_label == row and f.column_label == col and not f.key.endswith(":rate")]
    assert len(found) == 1, (row, col, [(f.row_label, f.column_label) for f in reading.facts])
    return found[0]


MONTHS = "\tApr\tMay\tJun\tJul\tAug\tSep\tOct\tNov\tDec\tJan\tFeb\tMar\t\t\n"
SHIFTED_YEARS = "Crimes 2021/22" + "\t2021" * 10 + "\t2022" * 3 + "\tTOTAL\n"


def test_shifted_header_row_is_repaired_and_proven_by_row_totals():
    text = (
        SHIFTED_YEARS
        + MONTHS
        + "Domestic crimes\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t78\t\n"
        + "Repeats\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t12\t\n"
    )
    (reading,) = read(text)
    assert len(reading.repairs) == 1 and "2/2 rows" in reading.repairs[0]
    jan = fact(reading, "Domestic crimes", "2022 / Jan")
    assert (jan.value, jan.period_start, jan.period_end) == (10, "2022-01-01", "2022-01-31")
    total = fact(reading, "Domestic crimes", "TOTAL")
    assert (total.value, total.period_start, total.period_end) == (78, "2021-04-01", "2022-03-31")


def test_shifted_header_row_is_left_alone_when_totals_do_not_prove_it():
    text = SHIFTED_YEARS + MONTHS + "Domestic crimes\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t99\t\n"
    (reading,) = read(text)
    assert reading.repairs == []


YTD_TABLES = """Crime Performance 1st April – 31st Oct 2017:

Current period (YTD 2017)\t\tTOTAL
1 Violence\t100\t120
2 Sexual\t50\t40
Total\t150\t160

% Change (current – previous YTD)\tTOTAL
1 Violence\t20.0%
2 Sexual\t-20.0%
Total\t6.7%
"""


def test_unheaded_column_is_named_by_the_percent_change_table():
    first, second = read(YTD_TABLES, Period(date(2017, 4, 1), date(2017, 9, 30), "span", "r"))
    assert any("previous year" in r and "3/3 rows" in r for r in first.repairs)
    prev = fact(first, "1 Violence", "")
    assert (prev.value, prev.period_start, prev.period_end) == (100, "2016-04-01", "2016-10-31")
    cur = fact(first, "1 Violence", "TOTAL")
    assert (cur.period_start, cur.period_end) == ("2017-04-01", "2017-10-31")
    change = fact(second, "1 Violence", "TOTAL")
    assert (change.measure, change.period_end) == ("percentage change", "2017-10-31")


def test_unheaded_column_without_evidence_gets_no_period_guess():
    text = YTD_TABLES.split("% Change")[0]
    (reading,) = read(text, Period(date(2017, 4, 1), date(2017, 9, 30), "span", "r"))
    assert reading.repairs == []
    assert fact(reading, "1 Violence", "").period_start == "2017-04-01"  # the table's own period, as printed


def test_composite_blank_and_not_collected_cells():
    text = (
        "WINCHESTER\tQ1 - Q3 2023\tQ1-Q3 2024\tFAT Outcomes 2024\tComments\n"
        "ABH\t479\t470\t71 (15.1%)\tDown on last year, with 9 fewer offences recorded in the city centre\n"
        "Other\t-\tData not collected ¹⁸\t\t\n"
        "Total\t1,382\t1,\t2 (11.8)\t\n"
    )
    (reading,) = read(text, Period(date(2024, 4, 1), date(2024, 12, 31), "span", "r"))
    values = sorted((f.row_label, f.column_label, f.value, f.unit) for f in reading.facts)
    assert ("ABH", "FAT Outcomes 2024", 71, "count") in values
    assert ("ABH", "FAT Outcomes 2024", 15.1, "percent") in values
    assert ("Total", "FAT Outcomes 2024", 11.8, "percent") in values
    assert ("Total", "Q1 - Q3 2023", 1382, "count") in values
    assert not [v for v in values if v[0] == "Other"]  # '-' and 'Data not collected' are no facts, never zeros
    assert not [v for v in values if v[1] == "Comments"]  # prose is the narrative stage's
    truncated = [c for c in reading.checks if c.kind == "truncated"]
    assert len(truncated) == 1 and not truncated[0].passed
    rate = [f for f in reading.facts if f.key.endswith(":rate")][0]
    assert rate.measure.endswith("rate")


def test_period_and_area_labels_in_rows_and_columns():
    text = (
        "2021/22\tASB - COMMUNITY\tASB - PERSONAL\tTotal\n"
        "WINCHESTER CITY\t517\t104\t621\n"
        "WINCHESTER RURAL\t143\t28\t171\n"
        "Total\t660\t132\t792\n"
    )
    (reading,) = read(text)
    f = fact(reading, "WINCHESTER CITY", "ASB - PERSONAL")
    assert (f.area, f.category, f.period_start) == ("WINCHESTER CITY", "ASB - PERSONAL", "2021-04-01")
    assert all(c.passed for c in reading.checks) and len(reading.checks) == 6


def test_label_column_carried_down_over_blanks():
    text = (
        "Domestic and Hate incidents:\n\nDomestic\tYTD 16/17\t420\t\n\tYTD 17/18\t501\t\n\t% Change\t19.3%\t↓\n"
        "Hate\tYTD 16/17\t49\t\n"
    )
    (reading,) = read(text, Period(date(2017, 4, 1), date(2017, 10, 31), "span", "r"))
    rows = [(f.category, f.row_label, f.value, f.period_start, f.period_end) for f in reading.facts]
    assert rows == [
        ("Domestic", "YTD 16/17", 420, "2016-04-01", "2016-10-31"),
        ("Domestic", "YTD 17/18", 501, "2017-04-01", "2017-10-31"),
        ("Domestic", "% Change", 19.3, "2017-04-01", "2017-10-31"),
        ("Hate", "YTD 16/17", 49, "2016-04-01", "2016-10-31"),
    ]


def test_prose_table_gives_no_facts():
    text = (
        "Domestic Abuse\tQuality of Life\n"
        "<ul><li>Achieved a FAT rate of 11.2% against 9.3% in 2023.</li></ul>\t<p>19 hotspots managed.</p>\n"
    )
    (reading,) = read(text)
    assert reading.facts == []


def test_caption_labels_the_table_and_gives_its_period():
    text = "Area\tCrimes\nCity\t5\n\nFigure 7 Crimes recorded in 2020/21\n"
    (reading,) = read(text)
    assert reading.label == "Figure 7"
    f = reading.facts[0]
    assert (f.period_start, f.measure, f.table_label) == ("2020-04-01", "recorded crimes", "Figure 7")
