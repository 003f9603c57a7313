"""Area names printed in headers and labels → the area they name.

Two files: ``schema/areas.csv`` holds what is true of every district (nations, England and Wales);
the district's own areas — itself, its regions, parishes, neighbours — belong to its corpus, in
``areas.csv`` beside ``manifest.yaml`` (``use_district_areas``). Both have the same columns and are
checked row by row when loaded; the district's file is read within the corpus (a link out of it is
refused), within size bounds, and a refusal never quotes its content.

A corpus of several districts names each one's areas file in its manifest (``districts:``); each
district's areas then have ids of their own after the shared ones, so two districts' "Rural" are
two areas, and :func:`select_district` says whose documents are being read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Optional

from extract.vocab.fold import fold
from extract.vocab.loader import header_of, label, load_csv, read_csv_rows
from extract.vocab.periods import parse_period
from extract.vocab.rows import Area, CategoryName, Partner, VocabularyError, check_area_parents, parse_rows
from extract.vocab.safe_load import CsvLimits, corpus_data_file, read_bounded
from extract.vocab.values import strip_trend

#: Bounds on a corpus's own areas.csv (the bundled one is 2 KB).
DISTRICT_LIMITS = CsvLimits(max_bytes=2_000_000, max_rows=50_000, max_field=5_000)
DISTRICT_PREFIX = "E-AREAS"
#: A district's own partners (council, force, charities), beside its areas file.
PARTNERS = "partners.csv"
#: A district's own spellings of categories (its refuge's name), beside its areas file.
CATEGORY_NAMES = "category_names.csv"


@dataclass(frozen=True)
class DistrictFile:
    """One district's areas file as read: the district's id (None in a corpus of one district),
    the file as named in messages, and its bytes."""

    id: Optional[str]
    path: Optional[Path]
    data: bytes = b""
    partners_path: Optional[Path] = None  # its partners.csv beside its areas file, if any
    partners: bytes = b""
    names_path: Optional[Path] = None  # its category_names.csv beside its areas file, if any
    names: bytes = b""


#: The districts of the corpus being built, and the one whose documents are read now.
_districts: tuple[DistrictFile, ...] = (DistrictFile(None, None),)
_current: int = 0


def _clear() -> None:
    for cached in (
        area_rows,
        area_index,
        area_ids,
        _total_of,
        _district_rows,
        _offsets,
        _partners,
        _category_names,
        _all_bytes,
        _all_digest,
    ):
        cached.cache_clear()


def _read_file(corpus: Path, name: str) -> tuple[Optional[Path], bytes]:
    """A district's data file read within the corpus (a link out of it refused), within bounds."""
    path = Path(corpus) / name
    shown = label(path)
    real = corpus_data_file(Path(corpus), name, VocabularyError, DISTRICT_PREFIX, label=shown)
    if real is None:
        return None, b""
    return path, read_bounded(real, shown, DISTRICT_LIMITS.max_bytes, VocabularyError, DISTRICT_PREFIX)


def _read(corpus: Path, name: str, district: Optional[str]) -> DistrictFile:
    """A district's areas file, and the partners its plans name (``partners.csv`` beside it)."""
    path, data = _read_file(corpus, name)
    partners_path, partners = _read_file(corpus, str(Path(name).parent / PARTNERS))
    names_path, names = _read_file(corpus, str(Path(name).parent / CATEGORY_NAMES))
    return DistrictFile(district, path, data, partners_path, partners, names_path, names)


def _install(districts: tuple[DistrictFile, ...]) -> None:
    """Use ``districts`` from now on, each checked now: a bad file is refused (VocabularyError)
    before a build writes anything, and the previous districts stay in use."""
    global _districts, _current
    previous = (_districts, _current)
    _districts, _current = districts or (DistrictFile(None, None),), 0
    _clear()
    try:
        for i in range(len(_districts)):
            select_district(_districts[i].id)
            area_rows()
            district_partners()
            district_category_names()
        select_district(_districts[0].id)
    except VocabularyError:
        _districts, _current = previous
        _clear()
        raise


def use_district_areas(path: Optional[Path]) -> None:
    """Read the district's areas from ``path`` (a corpus's ``areas.csv``; its folder is the corpus,
    which a link may not lead out of) from now on; None, or no such file, for none. The file is read
    and checked now: a bad one is refused (VocabularyError) before a build writes anything."""
    if path is None:
        _install((DistrictFile(None, None),))
        return
    path = Path(path)
    _install((_read(path.parent, path.name, None),))


def use_districts(corpus: Path, districts: list[tuple[str, str]]) -> None:
    """A corpus of several districts: ``(id, areas file within the corpus)`` each, read and checked
    now. Each district's areas have ids of their own (after the shared ones of schema/areas.csv),
    so two districts' "Rural" never meet; :func:`select_district` says whose documents are read."""
    _install(tuple(_read(corpus, name, district) for district, name in districts))


def select_district(district: Optional[str]) -> None:
    """Read labels against ``district``'s areas from now on (one of those in use)."""
    global _current
    index = next((i for i, d in enumerate(_districts) if d.id == district), None)
    if index is None:
        raise VocabularyError(f"no areas are known for the district {district!r}", code=f"{DISTRICT_PREFIX}-DISTRICT")
    if index != _current:
        _current = index
        for cached in (area_rows, area_index, area_ids, _total_of):
            cached.cache_clear()


def district_areas_bytes() -> bytes:
    """The bytes of the district's areas file in use, as read (b"" when none)."""
    return _districts[_current].data


def all_district_bytes() -> bytes:
    """Every district's own files as read (areas, partners, category names), with its id: what every
    area id, partner and category name depends on."""
    return _all_bytes()


@cache
def _all_bytes() -> bytes:
    return b"".join(
        f"{d.id}\0{len(d.data)}\0".encode()
        + d.data
        + f"\0{len(d.partners)}\0".encode()
        + d.partners
        + f"\0{len(d.names)}\0".encode()
        + d.names
        for d in _districts
    )


@cache
def _all_digest() -> str:
    return hashlib.sha256(_all_bytes()).hexdigest()


def district_partners() -> tuple[Partner, ...]:
    """The partners the district in use names in its own ``partners.csv`` (its council, its force,
    its charities), each row checked; the ones true of every district are in schema/partners.csv."""
    return _partners(_current)


def district_category_names() -> tuple[CategoryName, ...]:
    """The district in use's own spellings of categories (``category_names.csv``), each row checked
    and naming a category of schema/categories.csv."""
    return _category_names(_current)


@cache
def _category_names(index: int) -> tuple[CategoryName, ...]:
    d = _districts[index]
    if d.names_path is None:
        return ()
    named = _parsed(d.names_path, d.names, CategoryName)[1]
    known = {r["id"] for r in load_csv("categories.csv")}
    for n, row in enumerate(named, 1):
        if row.category not in known:
            raise VocabularyError(
                f"{label(d.names_path)}: row {n}: category is not an id of schema/categories.csv",
                code=f"{DISTRICT_PREFIX}-CATEGORY",
            )
    return named


@cache
def _partners(index: int) -> tuple[Partner, ...]:
    d = _districts[index]
    return _parsed(d.partners_path, d.partners, Partner)[1] if d.partners_path is not None else ()


def areas_key() -> bytes:
    """What the ids of every area depend on: every district's files and which one is in use (an
    interpretation's derived sums carry area ids). Hashed once per set of districts."""
    return f"{_all_digest()}\0{_districts[_current].id}".encode()


@cache
def _district_rows(index: int) -> tuple[dict[str, str], ...]:
    """The rows of one district's own areas file, validated."""
    d = _districts[index]
    return _parsed(d.path, d.data, Area)[0] if d.path is not None else ()


def _parsed(path: Path, data: bytes, row_type: type) -> tuple[tuple[dict[str, str], ...], tuple]:
    """A district's data file's rows, and the same rows checked as ``row_type`` (one line naming the
    file and row for a bad one)."""
    rows = read_csv_rows(path, header_of(row_type), DISTRICT_LIMITS, DISTRICT_PREFIX, data=data)
    return rows, parse_rows(path, rows, row_type)


@lru_cache(maxsize=1)
def _offsets() -> tuple[int, ...]:
    """Each district's first id less one: after the shared areas and every district before it."""
    out, at = [], len(load_csv("areas.csv"))
    for i in range(len(_districts)):
        out.append(at)
        at += len(_district_rows(i))
    return tuple(out)


@lru_cache(maxsize=1)
def area_rows() -> tuple[dict[str, str], ...]:
    """Every area: those of schema/areas.csv, then the district's own (the one in use), each row validated."""
    rows = list(load_csv("areas.csv"))
    files = [("schema/areas.csv", len(rows))]
    d = _districts[_current]
    if d.path is not None:
        district = list(_district_rows(_current))
        rows += district
        files.append((label(d.path), len(district)))
    check_area_parents(rows, files)
    return tuple(rows)


def all_areas() -> list[dict]:
    """Every area of every district for the ``areas`` table: the shared ones (district None), then
    each district's with ids of its own and parents within it or among the shared ones."""
    shared = list(load_csv("areas.csv"))
    shared_ids = {r["name"]: i for i, r in enumerate(shared, 1)}
    out = [_area_row(r, shared_ids[r["name"]], shared_ids, None) for r in shared]
    for i, d in enumerate(_districts):
        own = _district_rows(i)
        ids = {**shared_ids, **{r["name"]: _offsets()[i] + j for j, r in enumerate(own, 1)}}
        out += [_area_row(r, _offsets()[i] + j, ids, d.id) for j, r in enumerate(own, 1)]
    return out


def _area_row(row: dict, area_id: int, ids: dict[str, int], district: Optional[str]) -> dict:
    return {
        "id": area_id,
        "name": row["name"],
        "kind": row["kind"],
        "parent_id": ids.get(row["parent"]),
        "variants": row["variants"] or None,
        "district": district,
    }


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
    """Each area's id in the ``areas`` table: the shared ones by their 1-based position in
    schema/areas.csv, the district's in use after every district before it."""
    shared = len(load_csv("areas.csv"))
    offset = _offsets()[_current]
    return {row["name"]: (i if i <= shared else offset + i - shared) for i, row in enumerate(area_rows(), 1)}


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
