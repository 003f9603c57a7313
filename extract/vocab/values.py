"""Printed cell values → numbers: "1,382", "16.99%", "67 (14%)", "2 (11.8)", "£6,633.63", "-29.3%".

A cell gives zero, one or two :class:`Value` (a composite "67 (14%)" is a count and a rate), or a
status saying why it gives none: blank, no value printed ("-", "Data not collected"), truncated in
the source ("1,"), or not a value at all (words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extract.vocab.loader import load_yaml
from extract.vocab.periods import parse_period

_NUM = r"[-−–]?\s?£?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−–]?\s?£?\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Value:
    value: float
    unit: str  # count, percent, GBP, ...
    role: str = "main"  # main | rate (the bracketed share of a composite cell)
    decimals: int = 0  # decimals printed, for rounding tolerance in checks
    raw: str = ""


@dataclass(frozen=True)
class CellReading:
    status: str  # value, blank, no_value, truncated, text
    values: tuple[Value, ...] = ()


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return load_yaml("values.yaml")


def trend_symbols() -> str:
    return _vocab()["trend_symbols"]


def strip_trend(text: str) -> tuple[str, str]:
    """Remove trend arrows from a label or value: ("1 Violence ↑", ) -> ("1 Violence", "↑")."""
    symbols = trend_symbols()
    found = "".join(ch for ch in text if ch in symbols)
    cleaned = "".join(ch for ch in text if ch not in symbols)
    return " ".join(cleaned.split()), found


def _number(token: str) -> tuple[float, int, bool]:
    """A printed number -> (value, decimals printed, had a £ sign)."""
    t = token.replace(" ", "").replace("−", "-").replace("–", "-")
    gbp = "£" in t
    t = t.replace("£", "").replace(",", "")
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), decimals, gbp


def _one(token: str, default_unit: str) -> Value | None:
    m = re.fullmatch(rf"\s*({_NUM})\s*(%?)\s*([kKmM]?)\s*", token)
    if not m:
        return None
    value, decimals, gbp = _number(m.group(1))
    if m.group(3):
        value *= 1000 if m.group(3).lower() == "k" else 1_000_000
    unit = "percent" if m.group(2) else ("GBP" if gbp else default_unit)
    return Value(value, unit, "main", decimals, token.strip())


def _without_marks(text: str) -> Optional[str]:
    """A figure less the marks printed before or after it ("55.4 *", "**12,760"); None when it
    carries none, or is nothing but marks."""
    marks = re.escape(_vocab()["figure_marks"])
    m = re.fullmatch(rf"([{marks}]*)\s*(.*?)\s*([{marks}]*)", text)
    if not m or not (m.group(1) or m.group(3)) or not m.group(2):
        return None
    return m.group(2)


def read_cell(text: str, default_unit: str = "count") -> CellReading:
    """Read a cell as printed; ``default_unit`` is the unit its column implies (days, percent)."""
    t, _ = strip_trend(text)
    t = " ".join(t.split())
    if not t:
        return CellReading("blank")
    if t.lower() in _vocab()["no_value"]:
        return CellReading("no_value")
    if re.fullmatch(r"[-−–]?\s?£?\d{1,3}(?:,\d{0,2})|[-−–]?\d+\.", t):
        return CellReading("truncated")
    single = _one(t, default_unit)
    if single:
        return CellReading("value", (single,))
    marked = _without_marks(t)
    if marked is not None:
        single = _one(marked, default_unit)
        if single:
            return CellReading("value", (Value(single.value, single.unit, single.role, single.decimals, t),))
    m = re.fullmatch(rf"({_NUM})\s*\(\s*({_NUM})\s*(%?)\s*\)", t)
    if m:
        main = _one(m.group(1), default_unit)
        if main is None:
            return CellReading("text")
        share, decimals, _ = _number(m.group(2))
        rate = Value(share, "percent", "rate", decimals, f"({m.group(2)}{m.group(3)})")
        return CellReading("value", (main, rate))
    return CellReading("text")


def caption_label(text: str) -> Optional[str]:
    """The label a caption opens with: "Figure 1: Crimes ..." -> "Figure 1"; None for other text."""
    words = "|".join(map(re.escape, _vocab()["caption_words"]))
    m = re.match(rf"\s*((?:{words})\s+\d+[a-z]?)\b", text or "", re.I)
    return m.group(1) if m else None


def is_data_row(cells) -> bool:
    """A table row holding at least one figure beside its label (years and periods don't count)."""
    for cell in cells[1:]:
        reading = read_cell(cell.text)
        if reading.status == "truncated":
            return True
        if reading.status == "value" and parse_period(cell.text) is None:
            return True
    return False


def unit_from_label(label: str) -> str | None:
    """The unit a column header names: "Average Wait (Days)" -> days, "FAT Outcome rate %" -> percent."""
    low = label.lower()
    for unit, words in _vocab()["unit_words"].items():
        for w in words:
            if (w in low) if not w.isalpha() else re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low):
                return unit
    return None
