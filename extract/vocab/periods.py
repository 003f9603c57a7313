"""Period phrases → first and last day: financial years, quarters, months, year-to-date, spans.

The words (month names, quarter words, "YTD") come from ``schema/periods.yaml``; this module is
the grammar that combines them. Every parse needs a :class:`PeriodContext` — the span the report
(or the section a table sits in) covers — because "Q1", "Apr" or "current period" mean nothing
without it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Optional

from extract.vocab.loader import load_yaml


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str  # financial_year, quarter, quarters, month, year_to_date, calendar_year, span
    label: str = ""

    @property
    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def shifted_years(self, years: int) -> Period:
        """The same span ``years`` later (earlier when negative), labelled from its new dates:
        "2024" moved back a year never keeps the label "2024"."""
        start, end = _shift(self.start, years), _shift(self.end, years)
        return replace(self, start=start, end=end, label=self.label if years == 0 else label_of(start, end))


@dataclass(frozen=True)
class PeriodContext:
    """The span a phrase is read against: the report's period or the heading above a table."""

    start: date
    end: date

    @property
    def fy(self) -> int:
        """The financial year (by its first calendar year) the context starts in."""
        return fy_of(self.start)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, "span", "current period")


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    data = load_yaml("periods.yaml")
    months = {w: int(n) for n, words in data["months"].items() for w in words}
    return {**data, "month_words": months}


def fy_start_month() -> int:
    return int(vocabulary()["financial_year_start_month"])


def fy_of(day: date) -> int:
    return day.year if day.month >= fy_start_month() else day.year - 1


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def financial_year(first_year: int) -> Period:
    m = fy_start_month()
    start = date(first_year, m, 1)
    end_month = m - 1 or 12
    end_year = first_year + 1 if m > 1 else first_year
    return Period(start, month_end(end_year, end_month), "financial_year", f"{first_year}/{(first_year + 1) % 100:02d}")


def quarter(fy: int, n: int) -> Period:
    first = financial_year(fy).start
    month = (first.month - 1 + 3 * (n - 1)) % 12 + 1
    year = first.year + (first.month - 1 + 3 * (n - 1)) // 12
    end_m = (month - 1 + 2) % 12 + 1
    end_y = year + (month - 1 + 2) // 12
    return Period(date(year, month, 1), month_end(end_y, end_m), "quarter", f"Q{n} {fy}/{(fy + 1) % 100:02d}")


def month_name(month: int) -> str:
    """The month's name as a label prints it: its longest word in schema/periods.yaml."""
    return max(vocabulary()["months"][month], key=len).capitalize()


def label_of(start: date, end: date) -> str:
    """A label read back from the dates, one parse_period reads again without a context:
    "2021/22", "2020", "Q3 2024/25", "April 2021", "April–December 2024", "5 April 2024 – 30 June 2024"."""
    fy = fy_of(start)
    if (start, end) == (financial_year(fy).start, financial_year(fy).end):
        return financial_year(fy).label
    if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)):
        return str(start.year)
    if start.day != 1 or end != month_end(end.year, end.month):
        return f"{start.day} {month_name(start.month)} {start.year} – {end.day} {month_name(end.month)} {end.year}"
    for n in range(1, 5):
        q = quarter(fy, n)
        if (q.start, q.end) == (start, end):
            return q.label
    if (start.year, start.month) == (end.year, end.month):
        return f"{month_name(start.month)} {start.year}"
    if start.year == end.year:
        return f"{month_name(start.month)}–{month_name(end.month)} {end.year}"
    return f"{month_name(start.month)} {start.year} – {month_name(end.month)} {end.year}"


def month_in_fy(fy: int, month: int) -> date:
    """The first day of ``month`` within financial year ``fy``."""
    year = fy if month >= fy_start_month() else fy + 1
    return date(year, month, 1)


# ---- tokenising -------------------------------------------------------------------------------

_FY = re.compile(r"(?<![\d/])((?:19|20)\d\d|\d\d)\s*[/\-–]\s*(\d\d)(?![\d/])")
_YEAR = re.compile(r"(?<![\d£,.])((?:19|20)\d\d)(?![\d%,.]|\s*/\s*\d)")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _month_pattern() -> str:
    words = sorted(vocabulary()["month_words"], key=len, reverse=True)
    return r"(?<![a-z])(" + "|".join(words) + r")\.?(?![a-z])"


def _norm(text: str) -> str:
    text = text.lower().replace("–", "-").replace("—", "-").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def _year2(y: str) -> int:
    v = int(y)
    return v + 2000 if v < 100 else v


def _fy_from_match(a: str, b: str) -> Optional[int]:
    first = _year2(a)
    if (first + 1) % 100 != int(b):
        return None
    return first


def _month_number(word: str) -> int:
    return vocabulary()["month_words"][word.rstrip(".")]


# ---- grammar ----------------------------------------------------------------------------------


def explicit_span(text: str, ctx: Optional[PeriodContext] = None) -> Optional[Period]:
    """A span written out: "1st April 2020 - 31st March 2021", "April – December 2024",
    "1st April – 31st Oct 2017", "between April and December 2024", "April 2021 to March 2022"."""
    t = _norm(text)
    mp = _month_pattern()
    point = rf"(?:{_DAY}\s+)?{mp}(?:\s+((?:19|20)\d\d)(?!\s*[/\d]))?"
    m = re.search(rf"{point}\s*(?:-|to|until|and)\s*{point}", t)
    if not m:
        return None
    d1, m1, y1, d2, m2, y2 = m.groups()
    mon1, mon2 = _month_number(m1), _month_number(m2)
    if y2 is None and y1 is None:
        fy_after = _FY.match(t[m.end() :].strip())
        year_after = re.match(r"\s*((?:19|20)\d\d)(?!\s*[/-]\s*\d)", t[m.end() :])
        fy = _fy_from_match(*fy_after.groups()) if fy_after else None
        if fy is None and not year_after:
            fy = ctx.fy if ctx is not None else None
            if fy is None:
                return None
        if fy is not None:
            first, last = month_in_fy(fy, mon1), month_in_fy(fy, mon2)
            if first > last:  # "1st October - 30th September": a year's span across the financial year's
                first = first.replace(year=first.year - 1)  # turn, ending in the report's year
            return _span(first, d1, last, d2, text)
        y2 = year_after.group(1) if year_after else None
    if y1 is not None and y2 is not None:
        year1, year2 = int(y1), int(y2)
    elif y2 is not None:
        year2 = int(y2)
        year1 = year2 if mon1 <= mon2 else year2 - 1
    else:
        year1 = int(y1)
        year2 = year1 if mon2 >= mon1 else year1 + 1
    return _span(date(year1, mon1, 1), d1, date(year2, mon2, 1), d2, text)


def _span(start_month: date, d1, end_month: date, d2, label: str) -> Optional[Period]:
    start = start_month.replace(day=int(d1)) if d1 else start_month
    end = month_end(end_month.year, end_month.month)
    if d2:
        try:
            end = end_month.replace(day=int(d2))
        except ValueError:
            return None
    if end < start:
        return None
    return Period(start, end, "span", label.strip())


def parse_period(text: str, ctx: Optional[PeriodContext] = None) -> Optional[Period]:
    """Read a period label as printed in a header, caption or heading; None when it names none.

    Financial-year conventions: "2021/22" is 1 Apr 2021 – 31 Mar 2022; "Q1" is the first quarter
    of the context's financial year; "Q1-Q3 2024" the first three quarters of 2024/25; "YTD 16/17"
    runs from the start of 2016/17 to the context's end day a year earlier.
    """
    if not text or not text.strip():
        return None
    t = _norm(text)
    label = text.strip()
    # an explicit span in brackets wins: "Q1 - Q4 (1st April 2020 - 31st March 2021)"
    for inner in [*re.findall(r"\(([^()]*)\)", t), t]:
        span = explicit_span(inner, ctx)
        if span:
            return replace(span, label=label)
    words = _LabelWords.of(t)
    for reader in (_quarters, _month, _year_to_date):
        found = reader(t, words, ctx, label)
        if found is None or isinstance(found, Period):
            return found
    if words.fy is not None:
        return replace(financial_year(words.fy), label=label)
    if words.year is not None:
        return year_period(words.year, ctx, label)
    if ctx is not None and any(_phrase(t, w) for w in vocabulary()["current_period_words"]):
        return replace(ctx.period, label=label)
    return None


@dataclass(frozen=True)
class _LabelWords:
    """What a label says of its year: a financial year, a calendar year, a year-to-date word."""

    fy: Optional[int]
    year: Optional[int]
    ytd: bool

    @classmethod
    def of(cls, t: str) -> _LabelWords:
        ytd = any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", t) for w in vocabulary()["year_to_date_words"])
        fy_m = _FY.search(t)
        fy = _fy_from_match(*fy_m.groups()) if fy_m else None
        year_m = _YEAR.search(t) if fy is None else None
        return cls(fy, int(year_m.group(1)) if year_m else None, ytd)


# Each reader below returns a Period, None when the label is of its kind but unreadable, or
# False when the label is not of its kind (the next reader tries).
def _quarters(t: str, w: _LabelWords, ctx: Optional[PeriodContext], label: str) -> Period | None | bool:
    """Quarters: "Q1", "Q1-Q3 2024", "Quarter 1-3 2023/24", "quarter 4"."""
    qwords = "|".join(sorted(map(re.escape, vocabulary()["quarter_words"]), key=len, reverse=True))
    q = re.search(
        rf"(?<![a-z])(?:{qwords})\.?\s*([1-4])(?:\s*(?:-|to|and)\s*(?:(?:{qwords})\.?\s*)?([1-4]))?(?![0-9])", t
    )
    if not q:
        return False
    base = w.fy if w.fy is not None else (w.year if w.year is not None else (ctx.fy if ctx else None))
    a, b = int(q.group(1)), int(q.group(2) or q.group(1))
    if base is None or b < a:
        return None
    first, last = quarter(base, a), quarter(base, b)
    return Period(first.start, last.end, "quarter" if a == b else "quarters", label)


def _month(t: str, w: _LabelWords, ctx: Optional[PeriodContext], label: str) -> Period | None | bool:
    """A month: "Apr-24", "April 2021", "2021 / Apr", "Jan 2022"."""
    mm = re.search(_month_pattern(), t)
    if not mm or w.ytd:
        return False
    mon = _month_number(mm.group(1))
    after = re.match(r"\s*[-/ ]\s*(\d\d)(?!\d)", t[mm.end() :])
    if after and not w.year:
        y = _year2(after.group(1))
    elif w.year:
        y = w.year
    elif w.fy is not None:
        y = month_in_fy(w.fy, mon).year
    elif ctx is not None:
        y = month_in_fy(ctx.fy, mon).year
    else:
        return None
    return Period(date(y, mon, 1), month_end(y, mon), "month", label)


def _year_to_date(t: str, w: _LabelWords, ctx: Optional[PeriodContext], label: str) -> Period | None | bool:
    """Year to date: from the start of the (named) financial year to the context's end day."""
    if not w.ytd:
        return False
    if ctx is None:
        return None
    base = w.fy if w.fy is not None else (fy_of(date(w.year, ctx.start.month, 1)) if w.year else ctx.fy)
    end = _shift(ctx.end, base - ctx.fy)
    return Period(financial_year(base).start, end, "year_to_date", label)


def year_period(year: int, ctx: Optional[PeriodContext], label: str) -> Period:
    """A bare year in a header: the context's span in that year when the context is shorter
    than a year (a report on April–December compares with April–December a year before),
    else the calendar year."""
    if ctx is not None and (ctx.end - ctx.start).days < 360:
        shift = year - ctx.start.year
        return Period(_shift(ctx.start, shift), _shift(ctx.end, shift), "span", label)
    return Period(date(year, 1, 1), date(year, 12, 31), "calendar_year", label)


def _phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


def label_agrees(label: Optional[str], start: date, end: date, ctx: Optional[PeriodContext] = None) -> bool:
    """Whether a period label says the span its dates say, read against the context it was
    printed in (``ctx``) or alone (a label made from dates); a label naming no period cannot disagree."""
    if not label:
        return True
    read = [p for p in (parse_period(label, ctx), parse_period(label)) if p is not None]
    return not read or any((p.start, p.end) == (start, end) for p in read)


def is_total_label(text: str) -> bool:
    """True for "Total", "TOTAL", "Total:", "Quarter Total" — a label that names a sum."""
    t = _norm(text).rstrip(":")
    return (
        any(t == w.rstrip(":") for w in vocabulary()["total_words"]) or t.startswith("total ") or t.endswith(" total")
    )


def mentions_previous(text: str) -> bool:
    t = _norm(text)
    return any(_phrase(t, w) for w in vocabulary()["previous_period_words"])
