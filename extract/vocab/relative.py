"""Periods named relative to when a report was published ("last year", "this quarter", "the
year to June"), for reports the manifest gives no period: the phrases are data in
``schema/periods.yaml`` (``relative_periods``), checked when loaded; this module resolves them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Optional

from extract.vocab.loader import load_yaml
from extract.vocab.periods import Period, fy_of, fy_start_month, label_of, month_end, quarter, vocabulary
from extract.vocab.rows import VocabularyError

SPANS = ("calendar_year", "quarter", "twelve_months")
FIELDS = {"phrase", "span", "back"}


@dataclass(frozen=True)
class Published:
    """When a report was published: a day, or only a year (the manifest's ``published``)."""

    year: int
    day: Optional[date] = None

    @classmethod
    def of(cls, text: Optional[str]) -> Optional[Published]:
        """ "2022" or "2018-01-04" → Published; None when not given or not a date."""
        text = str(text or "").strip()
        if re.fullmatch(r"\d{4}", text):
            return cls(int(text))
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return cls(day.year, day)


@dataclass(frozen=True)
class RelativePeriod:
    """One relative phrase: its pattern, what span it names and how many spans back."""

    phrase: str
    span: str
    back: int
    pattern: re.Pattern[str]


def _placeholders() -> dict[str, str]:
    months = "|".join(sorted(vocabulary()["month_words"], key=len, reverse=True))
    return {"month": rf"(?P<month>{months})\.?", "year": r"(?P<year>(?:19|20)\d\d)"}


def _rule(raw: Any, n: int) -> RelativePeriod:
    where = f"schema/periods.yaml: relative_periods[{n}]"
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: each entry must be {{phrase, span, back}}")
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise VocabularyError(f"{where}: unknown field {unknown[0]!r}")
    phrase, span, back = raw.get("phrase"), raw.get("span"), raw.get("back", 0)
    if not isinstance(phrase, str) or not phrase.strip():
        raise VocabularyError(f"{where}: field phrase is empty")
    if span not in SPANS:
        raise VocabularyError(f"{where}: field span: {span!r} is not one of {', '.join(SPANS)}")
    if not isinstance(back, int) or back < 0:
        raise VocabularyError(f"{where}: field back: {back!r} is not a whole number of spans")
    holes = _placeholders()
    named = re.findall(r"\{([a-z_]+)\}", phrase)
    wrong = [name for name in named if name not in holes]
    if wrong:
        raise VocabularyError(f"{where}: field phrase: unknown placeholder {{{wrong[0]}}}")
    if span == "twelve_months" and "month" not in named:
        raise VocabularyError(f"{where}: field phrase: a twelve_months phrase must hold {{month}}")
    body = re.sub(r"\{([a-z_]+)\}", lambda m: holes[m.group(1)], phrase)
    try:
        pattern = re.compile(rf"(?<![a-z])(?:{body})(?![a-z])", re.I)
    except re.error as err:
        raise VocabularyError(f"{where}: field phrase: not a regular expression ({err})") from None
    return RelativePeriod(phrase, span, back, pattern)


@cache
def relative_periods() -> tuple[RelativePeriod, ...]:
    """The relative phrases of schema/periods.yaml, each checked."""
    rows = load_yaml("periods.yaml").get("relative_periods") or []
    if not isinstance(rows, list):
        raise VocabularyError("schema/periods.yaml: relative_periods must be a list")
    return tuple(_rule(raw, n) for n, raw in enumerate(rows, 1))


def resolve(rule: RelativePeriod, m: re.Match[str], published: Optional[Published]) -> Optional[Period]:
    """The period a matched phrase names, counted from the publication date; None when the
    phrase needs a date the manifest does not give."""
    if rule.span == "twelve_months":
        return _twelve_months(m, published)
    if published is None:
        return None
    if rule.span == "calendar_year":
        year = published.year - rule.back
        return Period(date(year, 1, 1), date(year, 12, 31), "calendar_year", str(year))
    if published.day is None:
        return None  # "this quarter" in a report known only by its year
    fy = fy_of(published.day)
    index = fy * 4 + (published.day.month - fy_start_month()) % 12 // 3 - rule.back
    return quarter(index // 4, index % 4 + 1)


def _twelve_months(m: re.Match[str], published: Optional[Published]) -> Optional[Period]:
    month = vocabulary()["month_words"][m.group("month").lower().rstrip(".")]
    year_text = m.groupdict().get("year")
    if year_text:
        year = int(year_text)
    elif published is None:
        return None
    elif published.day is None:
        year = published.year
    else:
        day = published.day
        year = day.year if month_end(day.year, month) <= day else day.year - 1
    end = month_end(year, month)
    start = date(year, month + 1, 1).replace(year=year - 1) if month < 12 else date(year, 1, 1)
    return Period(start, end, "span", label_of(start, end))


def needs_publication(rule: RelativePeriod, m: re.Match[str]) -> bool:
    """Whether the phrase is counted from the publication date (no year of its own printed)."""
    return not (rule.span == "twelve_months" and m.groupdict().get("year"))
