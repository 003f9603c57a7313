from datetime import date

import pytest

from extract.vocab.periods import PeriodContext, is_total_label, parse_period

FY21 = PeriodContext(date(2021, 4, 1), date(2022, 3, 31))
YTD17 = PeriodContext(date(2017, 4, 1), date(2017, 10, 31))
APR_DEC24 = PeriodContext(date(2024, 4, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    "label,ctx,start,end",
    [
        ("Q1", FY21, "2021-04-01", "2021-06-30"),
        ("Q4", FY21, "2022-01-01", "2022-03-31"),
        ("Total 2021/22", FY21, "2021-04-01", "2022-03-31"),
        ("2020/21", None, "2020-04-01", "2021-03-31"),
        ("2021 / Apr", FY21, "2021-04-01", "2021-04-30"),
        ("2022 / Feb", FY21, "2022-02-01", "2022-02-28"),
        ("Jan", FY21, "2022-01-01", "2022-01-31"),
        ("Apr-24", None, "2024-04-01", "2024-04-30"),
        ("Q1-Q3 2024", APR_DEC24, "2024-04-01", "2024-12-31"),
        ("Q1- Q3 2023", APR_DEC24, "2023-04-01", "2023-12-31"),
        ("Quarter 1-3 2023/24", None, "2023-04-01", "2023-12-31"),
        ("Q1 - Q4 (1st April 2020 - 31st March 2021)", FY21, "2020-04-01", "2021-03-31"),
        ("1st April – 31st Oct 2017", None, "2017-04-01", "2017-10-31"),
        ("Headline Data: April – March 2021/22", None, "2021-04-01", "2022-03-31"),
        ("between April and December 2024", None, "2024-04-01", "2024-12-31"),
        ("YTD 16/17", YTD17, "2016-04-01", "2016-10-31"),
        ("YTD 2017", YTD17, "2017-04-01", "2017-10-31"),
        ("Current period", YTD17, "2017-04-01", "2017-10-31"),
        ("ASB - PERSONAL 2023", APR_DEC24, "2023-04-01", "2023-12-31"),
        ("2019", FY21, "2019-01-01", "2019-12-31"),
    ],
)
def test_parse_period(label, ctx, start, end):
    period = parse_period(label, ctx)
    assert period is not None, label
    assert period.iso == (start, end)


@pytest.mark.parametrize("label", ["WINCHESTER", "Crimes", "Outcome 21", "1b Violence with Injury", "", "Q1"])
def test_labels_that_name_no_period(label):
    assert parse_period(label, None) is None


@pytest.mark.parametrize(
    "label,expected",
    [
        ("Total", True),
        ("TOTAL", True),
        ("Total:", True),
        ("Quarter Total", True),
        ("Total 2023", True),
        ("Totally", False),
        ("4 Theft Offences", False),
    ],
)
def test_is_total_label(label, expected):
    assert is_total_label(label) is expected
