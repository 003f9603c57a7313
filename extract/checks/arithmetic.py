"""Arithmetic checks made while reading a table: totals, variances, percentage changes,
values truncated in the source. A failed check flags the facts involved; it never changes a
printed value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from extract.checks.precision import decimals
from extract.interpret.tables import Column, TableReading
from extract.model import Check, Fact
from extract.vocab.categories import singular
from extract.vocab.periods import is_total_label, vocabulary
from extract.vocab.values import read_cell


def _key(f: Fact) -> str:
    """A table fact's key (the interpreter keys every fact it reads from a table)."""
    assert f.key is not None, "a table fact without a key"
    return f.key


def _is_rate(f: Fact) -> bool:
    return _key(f).endswith(":rate")


def _counts(reading: TableReading) -> dict[tuple[int, int], Fact]:
    """Count facts by cell (a fact with no cell could never be looked up by one)."""
    return {
        (f.row, f.col): f
        for f in reading.facts
        if f.row is not None and f.col is not None and f.unit == "count" and not _is_rate(f)
    }


def _is_total_row(reading: TableReading, r: int) -> bool:
    return is_total_label(reading.row_label(r))


def _is_grand_total(label: str) -> bool:
    return label.strip().rstrip(":").lower() in ("total", "totals", "grand total", "overall total")


def _close(a: float, b: float, decimals: int = 0) -> bool:
    return abs(a - b) <= 0.5 * 10**-decimals + 1e-6


def check_table(reading: TableReading) -> list[Check]:
    """Every check a table allows; failed ones flag their facts."""
    checks = _column_totals(reading) + _row_totals(reading) + _changes(reading) + _rates(reading) + _truncated(reading)
    facts = {f.key: f for f in reading.facts}
    for check in checks:
        if not check.passed:
            for key in check.fact_keys:
                if key in facts:
                    facts[key].status = "flagged"
                    facts[key].notes.append(f"failed check: {check.description}")
    reading.checks = checks
    return checks


def _summable(col: Column) -> bool:
    """A column whose cells are counts (or changes in counts, which add up as the counts do), not
    rates, percentages or another unit: a "Rate" or "% Chg" column read without its % signs is
    still no count."""
    return col.unit in (None, "count")


def _sections(reading: TableReading, counts: dict[tuple[int, int], Fact]) -> dict[int, int]:
    """For each row standing under a section heading (a row of words alone the reader marked as
    heading the rows below it, ``Table.row_heads``), that heading's row."""
    with_figures = {r for r, _ in counts}
    heads = reading.table.row_heads
    return {
        r: h
        for r, h in enumerate(heads)
        if r >= reading.header_rows and h >= reading.header_rows and h not in with_figures
    }


def _column_totals(reading: TableReading) -> list[Check]:
    """A "Total" row equals the sum of the rows above it (subtotal rows aside). A total standing
    in a section (below a heading that came after the previous total) sums that section's rows; a
    total below several sections of its own rows is either their sum or, section by section, the
    total each breaks down (sex, then race, then ethnicity) - a breakdown may leave out a category,
    so where neither adds up the doubt is in our reading of what it covers."""
    counts = _counts(reading)
    sections = _sections(reading, counts)
    out = []
    rows = list(reading.data_rows())
    totals = {r for r in rows if _is_total_row(reading, r)}  # each label read once, not per total row
    columns = [col for col in reading.columns if _summable(col)]
    sub_rows: list[int] = []  # the total rows above the row, in order
    all_rows: list[int] = []  # the other rows above it
    since: list[int] = []  # those since the last total row: built as the rows pass, not searched for each total
    for r in rows:
        if r not in totals:
            all_rows.append(r)
            since.append(r)
            continue
        label = reading.row_label(r)
        heads = list(dict.fromkeys(sections[rr] for rr in since if rr in sections))
        # a subtotal sums the rows since the previous total; the grand total may sum them all,
        # unless it closes a section begun since the previous total
        in_section = len(heads) == 1 and all(rr in sections or rr in heads for rr in since)
        parts_rows = all_rows if _is_grand_total(label) and not in_section else since
        for col in columns:
            total = counts.get((r, col.index))
            if total is None:
                continue
            parts = [counts[(rr, col.index)] for rr in parts_rows if (rr, col.index) in counts]
            if len(parts) < 2:
                continue
            expected = sum(f.value for f in parts)
            subs = [counts[(rr, col.index)] for rr in sub_rows if (rr, col.index) in counts]
            passed = _close(expected, total.value) or (
                len(subs) >= 2 and _close(sum(f.value for f in subs), total.value)
            )
            nature = None
            what = f"sum of {len(parts)} rows above"
            if len(heads) >= 2 and not in_section:
                by_head = [
                    [counts[(rr, col.index)] for rr in since if sections.get(rr) == h and (rr, col.index) in counts]
                    for h in heads
                ]
                passed = passed or all(_close(sum(f.value for f in fs), total.value) for fs in by_head if fs)
                nature = None if passed else "reading"
                what += f" (or of each of the {len(heads)} sections above)"
            out.append(
                Check(
                    "column_total",
                    f"{reading.label}: '{label}' row, column '{col.label or col.index + 1}' = {what}",
                    expected,
                    total.value,
                    passed,
                    reading.index,
                    [_key(total)] + [_key(f) for f in parts],
                    nature=nature,
                )
            )
        sub_rows.append(r)
        since = []
    return out


def _row_totals(reading: TableReading) -> list[Check]:
    """A "Total" column equals the sum of the count columns it totals (those to its left whose
    period lies within its own)."""
    counts = _counts(reading)
    out = []
    for tcol in reading.columns:
        if not tcol.is_total:
            continue
        members = _total_members(reading, tcol)
        if len(members) < 2:
            continue
        for r in reading.data_rows():
            total = counts.get((r, tcol.index))
            if total is None:
                continue
            parts = [counts[(r, c.index)] for c in members if (r, c.index) in counts]
            if len(parts) < 2:
                continue
            expected = sum(f.value for f in parts)
            out.append(
                Check(
                    "row_total",
                    f"{reading.label}: row '{reading.row_label(r)}', column '{tcol.label}' = sum of {len(parts)} columns",
                    expected,
                    total.value,
                    _close(expected, total.value),
                    reading.index,
                    [_key(total)] + [_key(f) for f in parts],
                )
            )
    return out


def _total_members(reading: TableReading, tcol: Column) -> list[Column]:
    """The count columns a "Total" column sums: those to its left whose period lies within its
    own. A total naming what it counts ("Total alerts") sums only columns naming the same thing
    ("True alerts", "False alerts"), to its left or else to its right up to the next total: the
    columns beside it counting other things (a watchlist's size) are not its parts."""
    quantity = _quantity_words(tcol.label)

    def member(c: Column) -> bool:
        return (
            not c.is_total
            and (c.measure is None or c.measure["change"] != "1")
            and c.unit in (None, "count")
            and _within(c, tcol)
            and quantity <= _quantity_words(c.label, keep_total=True)
        )

    left = [c for c in reading.columns if c.index < tcol.index and member(c)]
    if len(left) >= 2 or not quantity:
        return left
    right = []
    for c in reading.columns:
        if c.index <= tcol.index:
            continue
        if c.is_total:
            break
        if member(c):
            right.append(c)
    return right


def _quantity_words(label: str, keep_total: bool = False) -> set[str]:
    """The words of a column label naming what it counts, singular ("Total / Alerts" -> {"alert"}),
    without the words for a total, periods and years."""
    words = vocabulary()
    totals = {w for w in words["total_words"] if w.isalpha()} | set(words["total_qualifiers"])
    return {singular(w) for w in re.findall(r"[a-z]+", label.lower()) if keep_total or w not in totals}


def _within(col, total) -> bool:
    if total.period is None or col.period is None:
        return True
    return total.period.contains(col.period)


def _changes(reading: TableReading) -> list[Check]:
    """Variance = later − earlier; % change = (later − earlier) / earlier × 100, as printed."""
    out = []
    cells = _by_cell(reading)
    for col in reading.columns:
        if not col.measure or col.measure["change"] != "1":
            continue
        pair = _compared_columns(reading, col)
        if pair is None:
            continue
        earlier, later = pair
        for r in reading.data_rows():
            cell = reading.table.rows[r][col.index] if col.index < len(reading.table.rows[r]) else None
            a = cells.get((r, earlier.index))
            b = cells.get((r, later.index))
            printed = cells.get((r, col.index))
            if not (cell and a and b and printed):
                continue
            reading_value = read_cell(cell.text).values[0]
            if col.measure["unit"] == "percent":
                if a.value == 0:
                    continue
                expected = round((b.value - a.value) / a.value * 100, reading_value.decimals)
                kind = "percent_change"
            else:
                expected = b.value - a.value
                kind = "variance"
            out.append(
                Check(
                    kind,
                    f"{reading.label}: row '{reading.row_label(r)}', '{col.label}' from '{earlier.label}' to '{later.label}'",
                    expected,
                    printed.value,
                    _close(expected, printed.value, reading_value.decimals),
                    reading.index,
                    [_key(printed), _key(a), _key(b)],
                )
            )
    return out


def _compared_columns(reading: TableReading, change_col: Column) -> Optional[tuple[Column, Column]]:
    """The two columns a change column compares: the first two dated count columns to its left
    with different periods (a later "FAT 2023 / FAT 2024" pair is another comparison)."""
    seen: dict[tuple[date, date], Column] = {}
    for c in reading.columns:
        if c.index >= change_col.index:
            break
        if c.period and not c.is_total and c.measure is None and c.unit in (None, "count"):
            seen.setdefault((c.period.start, c.period.end), c)
        if len(seen) == 2:
            earlier, later = sorted(seen.values(), key=_period_start)
            return earlier, later
    return None


def _period_start(c: Column) -> date:
    assert c.period is not None  # only dated columns are compared
    return c.period.start


def _fact(reading: TableReading, r: int, c: int) -> Optional[Fact]:
    return _by_cell(reading).get((r, c))


def _by_cell(reading: TableReading) -> dict[tuple, Fact]:
    """The first fact of each cell (rates aside), so a cell's fact is a lookup, not a search of
    every fact of the table for each row."""
    out: dict[tuple, Fact] = {}
    for f in reading.facts:
        if not _is_rate(f):
            out.setdefault((f.row, f.col), f)
    return out


def _truncated(reading: TableReading) -> list[Check]:
    """A value cut short in the source ("1,") gives no fact and a failed check."""
    out = []
    for r in reading.data_rows():
        row = reading.table.rows[r]
        for col in reading.columns:
            if col.index < len(row) and read_cell(row[col.index].text).status == "truncated":
                out.append(
                    Check(
                        "truncated",
                        f"{reading.label}: row '{reading.row_label(r)}', column '{col.label}' printed "
                        f"'{row[col.index].text}', a value cut short in the source",
                        None,
                        None,
                        False,
                        reading.index,
                        [],
                    )
                )
    return out


def _rates(reading: TableReading) -> list[Check]:
    """A printed rate equals numerator / denominator × 100 (schema/measures.csv says which),
    both read from the same row (or the same column) of the table."""
    index = _PartnerIndex()
    for f in reading.facts:
        if f.measure and not _is_rate(f):
            index.add(f)
    specs = {row["measure"]: row for row in reversed(_rate_specs())}  # the first row of a measure wins
    out = []
    for f in reading.facts:
        spec = specs.get(f.measure)
        if spec is None or f.unit != "percent":
            continue
        if _is_rate(f):  # "67 (14%)": the count in its own cell over the row's count of its period
            num, den = _composite_partners(reading, f, spec)
        else:
            num = index.partner(spec["numerator"], f)
            den = index.partner(spec["denominator"], f)
        if num is None or den is None:
            continue
        decimals = _decimals(f.raw)
        expected = round(num.value / den.value * 100, decimals) if den.value else None
        passed = expected is not None and _close(expected, f.value, decimals)
        base = f"{num.value:g} / {den.value:g}" if den.value else f"{num.value:g} over a base of 0"
        out.append(
            Check(
                "rate",
                f"{reading.label}: row '{f.row_label}', '{f.column_label}' {f.raw} = {base} x 100",
                expected,
                f.value,
                passed,
                reading.index,
                [_key(f), _key(num), _key(den)],
            )
        )
    return out


def _composite_partners(reading: TableReading, f: Fact, spec: dict) -> tuple[Optional[Fact], Optional[Fact]]:
    """For a rate printed in brackets beside its count ("3 (100%)"): that count, and the one count
    of the rate's denominator (or a bare count, which a crime table's period columns give) in the
    same row for the same period, from another column that is not a change."""
    row = [g for g in reading.facts if g.row == f.row and not _is_rate(g) and g.unit == "count"]
    own = next((g for g in row if g.col == f.col), None)
    base = [
        g
        for g in row
        if g.col != f.col
        and g.measure in (spec["denominator"], None)
        and (g.period_start, g.period_end) == (f.period_start, f.period_end)
    ]
    return own, base[0] if len(base) == 1 else None


def _rate_specs():
    from extract.vocab.loader import load_csv

    return [row for row in load_csv("measures.csv") if row.get("numerator")]


class _PartnerIndex:
    """Figures by (measure, row) and (measure, column), so finding the figure beside another
    is a dict lookup, not a search of every figure (linear in the table, not quadratic)."""

    def __init__(self) -> None:
        self.by_row: dict[tuple, list] = {}
        self.by_col: dict[tuple, list] = {}

    def add(self, f) -> None:
        self.by_row.setdefault((f.measure, f.row), []).append(f)
        self.by_col.setdefault((f.measure, f.col), []).append(f)

    def partner(self, measure: str, f):
        """The figure of ``measure`` beside ``f`` in the same row, else in the same column."""
        same_row = [c for c in self.by_row.get((measure, f.row), ()) if c.col != f.col]
        if len(same_row) == 1:
            return same_row[0]
        same_col = [c for c in self.by_col.get((measure, f.col), ()) if c.row != f.row]
        return same_col[0] if len(same_col) == 1 else None


def _decimals(raw: str) -> int:
    """Decimal places printed: "16.99%" → 2, "(15.1%)" → 1, "877" → 0."""
    return decimals(raw, 0.0)
