"""Area names printed in headers and labels → the area they name.

Two files: ``schema/areas.csv`` holds what is true of every district (nations, England and Wales);
the district's own areas — itself, its regions, parishes, neighbours — belong to its corpus, in
``areas.csv`` beside ``manifest.yaml`` (``use_district_areas``). Both have the same columns and are
checked row by row when loaded; the district's file is read within the corpus (a link out of it is
refused), within size bounds, and a refusal never quotes its content.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Optional

from extract.vocab.fold import fold
from extract.vocab.loader import header_of, label, load_csv, read_csv_rows
from extract.vocab.periods import parse_period
from extract.vocab.rows import Area, VocabularyError, check_area_parents, parse_rows
from extract.vocab.safe_load import CsvLimits, corpus_data_file, read_bounded
from extract.vocab.values import strip_trend

#: Bounds on a corpus's own areas.csv (the bundled one is 2 KB).
DISTRICT_LIMITS = CsvLimits(max_bytes=2_000_000, max_rows=50_000, max_field=5_000)
DISTRICT_PREFIX = "E-AREAS"

_district_file: Optional[Path] = None
_district_bytes: bytes = b""


def use_district_areas(path: Optional[Path]) -> None:
    """Read the district's areas from ``path`` (a corpus's ``areas.csv``; its folder is the corpus,
    which a link may not lead out of) from now on; None, or no such file, for none. The file is read
    and checked now: a bad one is refused (VocabularyError) before a build writes anything."""
    global _district_file, _district_bytes
    _district_file, _district_bytes = None, b""
    for cached in (area_rows, area_index, area_ids, _total_of):
        cached.cache_clear()
    if path is None:
        return
    path = Path(path)
    name = label(path)
    real = corpus_data_file(path.parent, path.name, VocabularyError, DISTRICT_PREFIX, label=name)
    if real is None:
        return
    _district_bytes = read_bounded(real, name, DISTRICT_LIMITS.max_bytes, VocabularyError, DISTRICT_PREFIX)
    _district_file = path
    try:
        area_rows()
    except VocabularyError:
        _district_file, _district_bytes = None, b""
        area_rows.cache_clear()
        raise


def district_areas_bytes() -> bytes:
    """The bytes of the district's areas file in use, as read (b"" when none)."""
    return _district_bytes


@lru_cache(maxsize=1)
def area_rows() -> tuple[dict[str, str], ...]:
    """Every area: those of schema/areas.csv, then the district's own, each row validated."""
    rows = list(load_csv("areas.csv"))
    files = [("schema/areas.csv", len(rows))]
    if _district_file is not None:
        district = read_csv_rows(
            _district_file, header_of(Area), DISTRICT_LIMITS, DISTRICT_PREFIX, data=_district_bytes
        )
        parse_rows(_district_file, district, Area)
        rows += district
        files.append((label(_district_file), len(district)))
    check_area_parents(rows, files)
    return tuple(rows)


def _key(text: str) -> str:
    return fold(text, keep="")


@lru_cache(maxsize=1)
def area_index() -> dict[str, dict]:
    """Every name and variant (folded) → its row of the areas (``area_rows``)."""
    index: dict[str, dict] = {}
    for row in area_rows():
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
    """Each area's id in the ``areas`` table: its 1-based position in ``area_rows``."""
    return {row["name"]: i for i, row in enumerate(area_rows(), 1)}


def match_area(label: Optional[str]) -> Optional[dict]:
    """The area row a whole printed label names (any spelling), or None."""
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


#: How a column named after the area its sibling columns are parts of is placed: "Part of WINCHESTER GREATER".
PART_OF = "Part of "


@cache
def _total_of(label: str) -> Optional[int]:
    names = [name.strip() for name in label[len(TOTAL_OF) :].split(",")]
    regions = {name[len(PART_OF) :] for name in names if name.startswith(PART_OF)}
    if regions:  # the parts listed and what no listed part holds: the whole region they are parts of
        region = match_area(next(iter(regions))) if len(regions) == 1 else None
        rows = [match_area(name) for name in names if not name.startswith(PART_OF)]
        if region and rows and all(r and r.get("parent") == region["name"] for r in rows):
            return area_ids()[region["name"]]
        return None
    rows = [match_area(name) for name in names]
    if not rows or any(r is None for r in rows):
        return None
    ids = area_ids()
    named = {ids[r["name"]] for r in rows if r}
    if len(named) == 1:
        return next(iter(named))
    children: dict[tuple[str, str], set[int]] = {}
    for row in area_rows():
        if row.get("parent"):
            children.setdefault((row["parent"], row["kind"]), set()).add(ids[row["name"]])
    parent = next((p for (p, _kind), kids in children.items() if kids == named), None)
    return ids.get(parent) if parent else None
