"""Area names printed in headers and labels → the area they name, from ``schema/areas.csv``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from extract.vocab.fold import fold
from extract.vocab.loader import load_csv, schema_path
from extract.vocab.periods import parse_period
from extract.vocab.values import strip_trend


def _key(text: str) -> str:
    return fold(text, keep="")


@lru_cache(maxsize=1)
def area_index() -> dict[str, dict]:
    """Every name and variant (folded) → its row of schema/areas.csv."""
    if not schema_path("areas.csv").exists():
        return {}
    index: dict[str, dict] = {}
    for row in load_csv("areas.csv"):
        for name in [row["name"], *filter(None, (row.get("variants") or "").split("|"))]:
            index.setdefault(_key(name), row)
    return index


def _without_period(text: str) -> str:
    """Drop a period phrase from a label: "Winchester 2021/22" -> "Winchester"."""
    return re.sub(r"\b(?:19|20)\d\d(?:\s*[/\-–]\s*\d\d)?\b", " ", text)


def area_of(label: Optional[str]) -> Optional[str]:
    """The area a whole label names, as printed ("WINCHESTER CITY"); the district's own name for
    any spelling of the whole district; None when the label is not an area."""
    if not label:
        return None
    key = _key(label)
    row = area_index().get(key)
    if row is None and parse_period(label) is not None:
        row = area_index().get(_key(_without_period(label)))
    if row is None:
        return None
    if row["kind"] == "district":
        return row["name"]
    return strip_trend(label)[0].strip()


@lru_cache(maxsize=1)
def area_ids() -> dict[str, int]:
    """Each area's id in the ``areas`` table: its 1-based row in schema/areas.csv."""
    if not schema_path("areas.csv").exists():
        return {}
    return {row["name"]: i for i, row in enumerate(load_csv("areas.csv"), 1)}


def match_area(label: Optional[str]) -> Optional[dict]:
    """The row of schema/areas.csv a whole printed label names (any spelling), or None."""
    return area_index().get(_key(label)) if label else None


#: How a column summing several areas is headed: "Total of WINCHESTER CITY, WINCHESTER RURAL".
TOTAL_OF = "Total of "


def area_id_of(label: Optional[str]) -> Optional[int]:
    """The id of the area a printed area label names, or None; a "Total of A, B, C" label is the
    area whose children of one kind are exactly A, B, C."""
    row = match_area(label)
    if row:
        return area_ids()[row["name"]]
    if label and label.startswith(TOTAL_OF):
        return _total_of(label)
    return None


def _total_of(label: str) -> Optional[int]:
    rows = [match_area(name.strip()) for name in label[len(TOTAL_OF) :].split(",")]
    if not rows or any(r is None for r in rows):
        return None
    ids = area_ids()
    named = {ids[r["name"]] for r in rows if r}
    if len(named) == 1:
        return next(iter(named))
    children: dict[tuple[str, str], set[int]] = {}
    for row in load_csv("areas.csv"):
        if row.get("parent"):
            children.setdefault((row["parent"], row["kind"]), set()).add(ids[row["name"]])
    parent = next((p for (p, _kind), kids in children.items() if kids == named), None)
    return ids.get(parent) if parent else None
