import pytest

from extract.vocab.values import read_cell, strip_trend, unit_from_label


@pytest.mark.parametrize(
    "text,status,values",
    [
        ("1,382", "value", [(1382, "count")]),
        ("877", "value", [(877, "count")]),
        ("16.99%", "value", [(16.99, "percent")]),
        ("-29.3%", "value", [(-29.3, "percent")]),
        ("£6,633.63", "value", [(6633.63, "GBP")]),
        ("67 (14%)", "value", [(67, "count"), (14, "percent")]),
        ("2 (11.8)", "value", [(2, "count"), (11.8, "percent")]),
        ("(%)", "no_value", []),
        ("-", "no_value", []),
        ("Data not collected", "no_value", []),
        ("", "blank", []),
        ("↓", "blank", []),
        ("1,", "truncated", []),
        ("Apr", "text", []),
        ("Increased use of policing powers in 2023", "text", []),
    ],
)
def test_read_cell(text, status, values):
    reading = read_cell(text)
    assert reading.status == status
    assert [(v.value, v.unit) for v in reading.values] == values


def test_composite_cell_marks_the_rate():
    main, rate = read_cell("127 (20.5%)").values
    assert (main.role, rate.role, rate.decimals) == ("main", "rate", 1)


def test_trend_arrows_are_annotations():
    assert strip_trend("1 Violence Against the Person ↑") == ("1 Violence Against the Person", "↑")


@pytest.mark.parametrize(
    "label,unit",
    [
        ("Average Wait (Days)", "days"),
        ("FAT Outcome rate %", "percent"),
        ("Crimes", None),
    ],
)
def test_unit_from_label(label, unit):
    assert unit_from_label(label) == unit
