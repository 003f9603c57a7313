from datetime import date

import pytest

from extract.checks.arithmetic import check_table
from extract.interpret.tables import read_tables
from extract.readers.text import parse_text
from extract.vocab.periods import Period

FY = Period(date(2024, 4, 1), date(2024, 12, 31), "span", "r")


def checks_of(text):
    (reading,) = read_tables(parse_text(text, "t.txt"), FY, None)
    return reading, check_table(reading)


def test_a_total_row_that_does_not_add_up_fails_and_flags_without_changing_values():
    reading, checks = checks_of("Crime\tCount\nA\t10\nB\t20\nTotal\t40\n")
    (check,) = checks
    assert (check.kind, check.expected, check.printed, check.passed) == ("column_total", 30, 40, False)
    total = [f for f in reading.facts if f.row_label == "Total"][0]
    assert total.value == 40 and total.status == "flagged"


def test_subtotals_and_grand_total():
    text = "Division\tTeam\tSeen\nA\tA1\t3\nA\tA2\t4\nA Total\t\t7\nB\tB1\t5\nB Total\t\t5\nTotal\t\t12\n"
    _, checks = checks_of(text)
    assert [c.passed for c in checks if c.kind == "column_total"] == [True, True]


@pytest.mark.parametrize("variance,pct,ok", [("10", "10.0%", True), ("11", "10.0%", False), ("10", "9.0%", False)])
def test_variance_and_percent_change(variance, pct, ok):
    text = f"WINCHESTER\tQ1-Q3 2023\tQ1-Q3 2024\tVariance\t% change\nTheft\t100\t110\t{variance}\t{pct}\n"
    _, checks = checks_of(text)
    assert {c.kind for c in checks} == {"variance", "percent_change"}
    assert all(c.passed for c in checks) is ok


def test_rate_over_a_zero_base_fails():
    text = "Group\tCrimes\tFAT\tFAT Outcome Rate %\nA\t10\t2\t20.00%\nB\t0\t2\t200.00%\n"
    _, checks = checks_of(text)
    rates = [c for c in checks if c.kind == "rate"]
    assert [c.passed for c in rates] == [True, False]
