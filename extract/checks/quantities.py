"""One point per quantity, like-for-like changes and what a trend line must never do.

A **line** is one quantity through time: canonical category, area, measure, unit, relation class
('whole' for a category's own figure or a total of its parts, else the relation itself), the printed
category for parts (each part its own line) and the period length ('9 months' and '12 months' never
share a line). A **point** is one line in one period: every row of ``series`` for it (the same figure
printed on several pages or tables, a derived sum equal to a printed total) with all its sources.
A **change** is the difference between two points of a line that cover the same months one year (or
whole years) apart.

Pure logic only: rows in (``SeriesRow``), frozen records out (``Point``, ``Change``, ``Problem``);
``extract.store.points`` reads the rows and writes the records; ``csp-archive check --series`` lists the
problems.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Optional

from extract.vocab.categories import period_length
from extract.vocab.loader import load_csv
from extract.vocab.rows import MEASURE_KINDS

#: Relations that make a figure the category itself: its own row, or a total of its parts.
WHOLE_RELATIONS = ("same", "sum_of")
#: Measure kinds whose lines get like-for-like changes (extract/vocab/rows.py MEASURE_KINDS).
CHANGE_KINDS = ("count", "rate", "share", "percent")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class SeriesRow:
    """One row of ``series`` with what deciding its point needs.

    ``printed``: the figures behind it as (text as printed, value as printed): the figure itself for a
    printed row, the parts added up for a derived one; the printed precision is read from them."""

    rowid: int
    canonical_id: str
    canonical_category: str
    area: Optional[str]
    measure: Optional[str]
    unit: str
    relation: str
    printed_category: Optional[str]
    period_start: str
    period_end: str
    value: float
    document_id: str
    status: str
    derived: bool = False
    figure_id: Optional[int] = None
    derived_id: Optional[int] = None
    page: Optional[int] = None
    parts: tuple[int, ...] = ()  # figure ids behind a derived row (its derived_from)
    printed: tuple[tuple[Optional[str], float], ...] = ()

    @property
    def figures(self) -> frozenset[int]:
        """The printed figures this row stands on: itself, or the parts of a derived sum."""
        return frozenset((self.figure_id,) if self.figure_id is not None else self.parts)


@dataclass(frozen=True)
class Line:
    """What a line is: every point on it measures the same quantity over periods of one length."""

    canonical_id: str
    canonical_category: str
    area: Optional[str]
    measure: Optional[str]
    unit: str
    relation: str  # 'whole', 'part_of' or 'overlaps'
    printed_category: Optional[str]  # parts only
    length: str  # '12 months', '9 months', '45 days'

    @property
    def key(self) -> str:
        """A stable text key: the identity's fields joined by '|'."""
        parts = (self.canonical_id, self.area, self.measure, self.unit, self.relation, self.printed_category)
        return "|".join(part or "" for part in parts + (self.length,))

    @property
    def label(self) -> str:
        """'violence with injury (part: Woundings), Winchester district, recorded crimes (count), 12 months'."""
        what = self.canonical_category
        if self.relation != "whole":
            word = "part" if self.relation == "part_of" else "overlapping"
            what += f" ({word}: {self.printed_category or 'no printed category'})"
        return f"{what}, {self.area or 'no area'}, {self.measure or 'no measure'} ({self.unit}), {self.length}"

    @property
    def kind(self) -> str:
        return measure_kind(self.measure, self.unit)


@dataclass(frozen=True)
class Point:
    """One quantity: a line in one period, with every source that prints or derives it."""

    point_id: int
    line: Line
    period_start: str
    period_end: str
    value: float
    decimals: int  # of the preferred source, as printed
    sources: int
    printed: int  # how many of the sources are printed figures
    series_rowids: tuple[int, ...]
    figure_ids: tuple[int, ...]  # printed sources, in series order
    pages: tuple[Optional[int], ...]  # the page of each of figure_ids (None where the rendition has none)
    derived_ids: tuple[int, ...]
    documents: tuple[str, ...]
    values: tuple[float, ...]  # the distinct values its sources give
    agree: bool
    flagged: bool

    @property
    def derived_only(self) -> bool:
        return self.printed == 0


@dataclass(frozen=True)
class Change:
    """A like-for-like change: the same months of one line, ``years`` apart."""

    line: Line
    from_point: Point
    to_point: Point
    years: int
    change: float
    percent_change: Optional[float]
    sentence: str

    @property
    def flagged(self) -> bool:
        return self.from_point.flagged or self.to_point.flagged

    @property
    def agree(self) -> bool:
        return self.from_point.agree and self.to_point.agree


@dataclass(frozen=True)
class Problem:
    """One way a line breaks the rules (``check --series``)."""

    kind: str  # unflagged_conflict | several_definitions | mixed_line | repeated_point | orphan_row
    line: str  # the line's label
    period: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}\t{self.line}\t{self.period}\t{self.detail}"


PROBLEM_KINDS = ("unflagged_conflict", "several_definitions", "mixed_line", "repeated_point", "orphan_row")


# -- precision ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Printed:
    """A value at the precision it was printed to: ``step`` is one unit of its last printed decimal
    (0.01 for '16.99%', 1 for '877', 1000 for '£281k'); ``exact`` for a whole count printed in full,
    which no rounding made."""

    value: Decimal
    step: Decimal
    exact: bool = False


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _step_of_text(token: str) -> Decimal:
    if "." not in token:
        return Decimal(1)
    return Decimal(1).scaleb(-len(token.split(".", 1)[1]))


def printed_step(raw: Optional[str], value: float) -> Decimal:
    """One unit of the last decimal place printed, read from the figure's printed text (never from
    the float): '10.8' → 0.1, '1,382' → 1, '£25K' (25000) → 1000; the number in the text whose value,
    times a power of ten, is the value. Text without such a number ('three', a corrected value) is
    read from the value's shortest form."""
    target = abs(_decimal(value))
    for token in _NUMBER.findall(raw or ""):
        number = Decimal(token.replace(",", ""))
        if number == target:
            return _step_of_text(token)
        if number and target:
            ratio = target / number
            if ratio > 1 and ratio == ratio.to_integral_value() and str(int(ratio)).rstrip("0") == "1":
                return _step_of_text(token) * ratio
    if target == target.to_integral_value():
        return Decimal(1)
    return Decimal(1).scaleb(target.as_tuple().exponent)  # type: ignore[arg-type]


def decimals_of(step: Decimal) -> int:
    """Decimal places a step stands for: 0.01 → 2, 1 → 0, 1000 → 0."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def printed_value(value: float, step: Decimal, exact: bool = False) -> Printed:
    """The value at its step (a derived sum's float noise, 0.30000000000000004, gone)."""
    quantum = step if step < 1 else Decimal(1)
    return Printed(_decimal(value).quantize(quantum), step, exact)


def agree(a: Printed, b: Printed) -> bool:
    """Two printed values agree when they differ by at most one unit of the last decimal place
    printed by the less precise one: 10.79 and 10.8, 12.61 and 12.62 agree; 16.99 and 17.08 do not.
    Two whole counts printed in full (``exact``) agree only when equal."""
    if a.exact and b.exact:
        return a.value == b.value
    return abs(a.value - b.value) <= max(a.step, b.step)


def all_agree(values: Iterable[Printed]) -> bool:
    distinct = sorted(set(values))
    return all(agree(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :])


def row_printed(row: SeriesRow) -> Printed:
    """A row's value at its printed precision: a printed figure's from its text, a corrected one's
    from the reviewed value, a derived sum at the coarsest precision of its parts."""
    printed = () if row.status == "corrected" else row.printed
    return _printed(row.value, printed, row.unit, row.measure)


@lru_cache(maxsize=65536)
def _printed(
    value: float, printed: tuple[tuple[Optional[str], float], ...], unit: str, measure: Optional[str]
) -> Printed:
    step = max((printed_step(raw, v) for raw, v in printed), default=None) or printed_step(None, value)
    whole_count = unit == "count" and step == 1 and measure_kind(measure, unit) == "count"
    return printed_value(value, step, exact=whole_count)


# -- lines and points -------------------------------------------------------------------------------


@cache
def _vocabulary_kinds() -> Mapping[str, str]:
    kinds: dict[str, str] = {}
    for row in load_csv("measures.csv"):
        kinds.setdefault(row["measure"], row.get("kind") or "count")
    return kinds


def measure_kind(measure: Optional[str], unit: str) -> str:
    """What sort of figure a measure is (extract/vocab/rows.py MEASURE_KINDS): schema/measures.csv's
    kind for a table measure, the measure itself for a prose figure's ('share', 'percentage change');
    a count measure printed as a percentage is a percentage."""
    measure = measure or ""
    kind = _vocabulary_kinds().get(measure) or (measure if measure in MEASURE_KINDS else None)
    if kind is None:
        kind = "percentage change" if measure.startswith("percentage change") else None
    if kind is None:
        kind = "change in count" if measure.startswith("change") else {"count": "count", "percent": "percent"}.get(unit)
    if kind == "count" and unit == "percent":
        return "percent"
    return kind or "quantity"


_length = lru_cache(maxsize=4096)(period_length)


def line_of(row: SeriesRow) -> Line:
    whole = row.relation in WHOLE_RELATIONS
    return Line(
        canonical_id=row.canonical_id,
        canonical_category=row.canonical_category,
        area=row.area,
        measure=row.measure,
        unit=row.unit,
        relation="whole" if whole else row.relation,
        printed_category=None if whole else row.printed_category,
        length=_length(row.period_start, row.period_end),
    )


def _preference(row: SeriesRow) -> tuple:
    """A printed figure before a derived one, the category's own row before a total of its parts,
    then the earliest figure."""
    return (row.derived, row.relation != "same", row.figure_id or 0, row.derived_id or 0, row.rowid)


def make_points(rows: Iterable[SeriesRow]) -> list[Point]:
    """One point per line and period, numbered in (line key, period) order."""
    groups: dict[tuple[Line, str, str], list[SeriesRow]] = defaultdict(list)
    for row in rows:
        groups[(line_of(row), row.period_start, row.period_end)].append(row)
    points = []
    for n, ((line, start, end), members) in enumerate(sorted(groups.items(), key=lambda g: (g[0][0].key, g[0][1:])), 1):
        members.sort(key=lambda r: r.rowid)
        best = min(members, key=_preference)
        printed = [r for r in members if not r.derived]
        precise = {r.rowid: row_printed(r) for r in members}
        points.append(
            Point(
                point_id=n,
                line=line,
                period_start=start,
                period_end=end,
                value=best.value,
                decimals=decimals_of(precise[best.rowid].step),
                sources=len(members),
                printed=len(printed),
                series_rowids=tuple(r.rowid for r in members),
                figure_ids=tuple(r.figure_id for r in printed if r.figure_id is not None),
                pages=tuple(r.page for r in printed if r.figure_id is not None),
                derived_ids=tuple(r.derived_id for r in members if r.derived_id is not None),
                documents=tuple(sorted({r.document_id for r in members})),
                values=tuple(sorted({r.value for r in members})),
                agree=all_agree(precise.values()),
                flagged=any(r.status == "flagged" for r in members),
            )
        )
    return points


# -- like-for-like changes ------------------------------------------------------------------------


def _months_key(start: str, end: str) -> tuple[tuple, tuple, int, int]:
    """(start month and day, end month and day — 'last' for a month's end —, start year, end year)."""
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    last = date.fromordinal(e.toordinal() + 1).day == 1
    return (s.month, s.day), (e.month, "last" if last else e.day), s.year, e.year


def years_apart(earlier: tuple[str, str], later: tuple[str, str]) -> Optional[int]:
    """Whole years ``later`` covers the same months as ``earlier`` after (None if not the same months)."""
    a, b = _months_key(*earlier), _months_key(*later)
    if a[:2] != b[:2]:
        return None
    k = b[2] - a[2]
    return k if k >= 1 and b[3] - a[3] == k else None


def period_words(start: str, end: str) -> str:
    """'April–December 2024', 'April 2023–March 2024', 'March 2024', '1 April–15 May 2024'."""
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    whole = s.day == 1 and date.fromordinal(e.toordinal() + 1).day == 1
    if whole:
        first, last = MONTHS[s.month - 1], MONTHS[e.month - 1]
        if (s.year, s.month) == (e.year, e.month):
            return f"{last} {e.year}"
        return f"{first}–{last} {e.year}" if s.year == e.year else f"{first} {s.year}–{last} {e.year}"
    first, last = f"{s.day} {MONTHS[s.month - 1]}", f"{e.day} {MONTHS[e.month - 1]}"
    return f"{first}–{last} {e.year}" if s.year == e.year else f"{first} {s.year}–{last} {e.year}"


def number_words(value: float, decimals: int, unit: str) -> str:
    """'5,740', '16.99 %'."""
    text = f"{value:,.{decimals}f}"
    return f"{text} %" if unit == "percent" else text


def change_sentence(line: Line, earlier: Point, later: Point, change: float, percent: Optional[float]) -> str:
    """'April–December 2024: 5,740, 0.8 % more than April–December 2023 (5,693)'; a rate or a
    percentage's difference is in percentage points: '18.3 %, 1.2 percentage points higher than …'."""
    decimals = max(earlier.decimals, later.decimals)
    then = f"{period_words(earlier.period_start, earlier.period_end)} ({number_words(earlier.value, earlier.decimals, line.unit)})"
    now = (
        f"{period_words(later.period_start, later.period_end)}: {number_words(later.value, later.decimals, line.unit)}"
    )
    if change == 0:
        return f"{now}, the same as {then}"
    up = change > 0
    if line.unit == "percent":
        size = f"{abs(change):,.{decimals}f} percentage points"
        word = "higher" if up else "lower"
    else:
        size = f"{abs(percent):.1f} %" if percent is not None else f"{abs(change):,.{decimals}f}"
        word = ("more" if up else "fewer") if line.unit == "count" else ("higher" if up else "lower")
    return f"{now}, {size} {word} than {then}"


def changes_of(points: Sequence[Point]) -> list[Change]:
    """For each 'whole' line of counts, rates and percentages, each point against the point covering
    the same months one year earlier (or, when there is none, the nearest whole number of years)."""
    by_line: dict[Line, list[Point]] = defaultdict(list)
    for p in points:
        if p.line.relation == "whole" and p.line.kind in CHANGE_KINDS:
            by_line[p.line].append(p)
    changes = []
    for line, line_points in by_line.items():
        for later in line_points:
            found = [
                (k, earlier)
                for earlier in line_points
                if (
                    k := years_apart((earlier.period_start, earlier.period_end), (later.period_start, later.period_end))
                )
            ]
            if not found:
                continue
            years, earlier = min(found, key=lambda f: (f[0], f[1].point_id))
            decimals = max(earlier.decimals, later.decimals)
            change = round(later.value - earlier.value, decimals)
            percent = None if earlier.value == 0 else round((later.value - earlier.value) / abs(earlier.value) * 100, 1)
            changes.append(
                Change(
                    line=line,
                    from_point=earlier,
                    to_point=later,
                    years=years,
                    change=change,
                    percent_change=percent,
                    sentence=change_sentence(line, earlier, later, change, percent),
                )
            )
    changes.sort(key=lambda c: (c.line.key, c.to_point.period_start, c.to_point.period_end))
    return changes


# -- what a line must never do (check --series) ---------------------------------------------------


@dataclass(frozen=True)
class StoredPoint:
    """A row of the stored ``points`` table, as ``check --series`` reads it."""

    point_id: int
    line_key: str
    line: str
    canonical_id: str
    area: Optional[str]
    measure: Optional[str]
    unit: str
    relation: str
    printed_category: Optional[str]
    length: str
    period_start: str
    period_end: str
    agree: bool
    series_rowids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class SeriesReport:
    """What ``check --series`` found: the problems and the counts of its summary line."""

    problems: tuple[Problem, ...]
    lines: int
    lines_with_periods: int  # lines with two or more periods
    points: int

    def summary(self) -> str:
        counts = {k: sum(p.kind == k for p in self.problems) for k in PROBLEM_KINDS}
        by_kind = ", ".join(f"{k} {n}" for k, n in counts.items())
        return (
            f"{self.lines} lines, {self.lines_with_periods} with two or more periods, {self.points} points; "
            f"{len(self.problems)} problems: {by_kind}"
        )


def _values_text(rows: Iterable[SeriesRow]) -> str:
    return "; ".join(
        f"{r.document_id} {'derived' if r.derived else 'figure ' + str(r.figure_id)}"
        + (f" p.{r.page}" if r.page is not None else "")
        + (f" '{r.printed_category}'" if r.printed_category else "")
        + f" {r.value:g}"
        for r in rows
    )


def _conflict_unflagged(members: Sequence[SeriesRow], failed: Mapping[int, frozenset[int]]) -> bool:
    """Some two sources disagree and no failed check involves figures of both."""
    precise = [(r, row_printed(r)) for r in members]
    checks = {r.rowid: frozenset().union(*(failed.get(f, frozenset()) for f in r.figures)) for r in members}
    for i, (a, pa) in enumerate(precise):
        for b, pb in precise[i + 1 :]:
            if not agree(pa, pb) and not (checks[a.rowid] & checks[b.rowid]):
                return True
    return False


def _period(start: str, end: str) -> str:
    return f"{start}..{end}"


def _unflagged_conflicts(
    points: Sequence[StoredPoint], by_rowid: Mapping[int, SeriesRow], failed: Mapping[int, frozenset[int]]
) -> list[Problem]:
    """(a) A point whose sources disagree with no failed check involving figures of both sides."""
    problems = []
    for p in points:
        members = [by_rowid[i] for i in p.series_rowids if i in by_rowid]
        if not p.agree and _conflict_unflagged(members, failed):
            period = _period(p.period_start, p.period_end)
            problems.append(Problem("unflagged_conflict", p.line, period, _values_text(members)))
    return problems


def _several_definitions(points: Sequence[StoredPoint], by_rowid: Mapping[int, SeriesRow]) -> list[Problem]:
    """(b) A whole line given, for one period in one document, different values by two printed
    categories that each say they are the category (relation same): several definitions drawn as
    one. A total of the category's parts (sum_of) that differs from the category's own row is one
    definition printed twice: a conflict, (a)."""
    labels = {p.line_key: p.line for p in points}
    whole: dict[tuple[str, str, str, str], list[SeriesRow]] = defaultdict(list)
    for p in points:
        members = (by_rowid.get(i) for i in p.series_rowids) if p.relation == "whole" else ()
        for r in members:
            if r is not None and not r.derived and r.printed_category is not None and r.relation == "same":
                whole[(p.line_key, p.period_start, p.period_end, r.document_id)].append(r)
    problems = []
    for (key, start, end, document), rows in whole.items():
        if len({r.printed_category for r in rows}) > 1 and not all_agree(map(row_printed, rows)):
            detail = f"{document}: " + _values_text(rows)
            problems.append(Problem("several_definitions", labels[key], _period(start, end), detail))
    return problems


def _mixed_and_repeated(points: Sequence[StoredPoint]) -> list[Problem]:
    """(c) A line whose stored points mix categories, areas, measures, units, relations or period
    lengths; (d) two points of one line and period."""
    labels = {p.line_key: p.line for p in points}
    identity: dict[str, set[tuple]] = defaultdict(set)
    seen: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for p in points:
        identity[p.line_key].add((p.canonical_id, p.area, p.measure, p.unit, p.relation, p.printed_category or ""))
        identity[p.line_key].add(("length", p.length, period_length(p.period_start, p.period_end)))
        seen[(p.line_key, p.period_start, p.period_end)].append(p.point_id)
    problems = []
    for key, found in identity.items():
        lengths = {f[1:] for f in found if f[0] == "length"}
        if len(found) - len(lengths) > 1 or len({x for pair in lengths for x in pair}) > 1:
            problems.append(Problem("mixed_line", labels[key], "", json.dumps(sorted(map(list, found), key=str))))
    for (key, start, end), ids in seen.items():
        if len(ids) > 1:
            problems.append(Problem("repeated_point", labels[key], _period(start, end), f"points {ids}"))
    return problems


def series_problems(
    rows: Sequence[SeriesRow], points: Sequence[StoredPoint], failed: Mapping[int, frozenset[int]]
) -> SeriesReport:
    """Every way the stored lines break the rules: (a) a point whose sources disagree with no failed
    check involving figures of both sides; (b) a 'whole' line given, for one period in one document,
    different values by two printed categories (several definitions drawn as one); (c) a line whose
    stored points mix categories, areas, measures, units, relations or period lengths; (d) two points
    of one line and period; (e) a series row on no point. ``failed``: each figure's failed checks."""
    by_rowid = {r.rowid: r for r in rows}
    problems = _unflagged_conflicts(points, by_rowid, failed) + _several_definitions(points, by_rowid)
    problems += _mixed_and_repeated(points)
    on_points = {i for p in points for i in p.series_rowids}  # (e)
    for r in rows:
        if r.rowid not in on_points:
            detail = f"series row {r.rowid}: " + _values_text([r])
            problems.append(Problem("orphan_row", line_of(r).label, _period(r.period_start, r.period_end), detail))
    periods: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for p in points:
        periods[p.line_key].add((p.period_start, p.period_end))
    return SeriesReport(
        problems=tuple(problems),
        lines=len(periods),
        lines_with_periods=sum(len(v) >= 2 for v in periods.values()),
        points=len(points),
    )
