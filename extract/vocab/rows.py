"""Typed rows of the vocabulary files: every row is checked when it is loaded, so a typo in a
CSV gives one line naming the file, the row and the field, not a wrong figure later."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TypeVar

from extract.errors import ArchiveError

UNITS = ("count", "percent", "GBP", "tonnes", "days", "months", "hours", "weeks", "years", "other")
# what sort of figure a measure is: one list for table measures (schema/measures.csv `kind`) and the
# measure of every prose figure (extract/interpret/narrative.py), so the two can be compared
MEASURE_KINDS = (
    "count",
    "share",
    "percent",
    "rate",
    "percentage change",
    "change in count",
    "change",
    "money",
    "duration",
    "quantity",
    "target",
    "rank",
)
RELATIONS = ("same", "part_of", "overlaps", "sum_of")
AREA_KINDS = (
    "nation",
    "region",
    "county",
    "force_area",
    "force",
    "district",
    "neighbour",
    "npt_region",
    "parish",
    "postcode_area",
    "ward",
    "locality",  # a part of a district named in prose ("the city centre")
    "health_area",  # a health service's area (a clinical commissioning group's), not an administrative one
)
CATEGORY_KINDS = ("crime", "asb", "flag", "outcome", "service", "enforcement", "theme")


class VocabularyError(ArchiveError):
    """A vocabulary file has a bad row: the message names file, row and field, never quoting what
    the file holds beyond the column names expected (a corpus's ``areas.csv`` is its input)."""

    default_code = "E-VOCABULARY"


def choices(*allowed: str) -> Any:
    """A field whose value must be one of ``allowed``."""
    return field(metadata={"choices": allowed})


def optional_choices(*allowed: str) -> Any:
    """An optional field whose value, when given, must be one of ``allowed``."""
    return field(default=None, metadata={"choices": allowed})


def listed(sep: str = "|") -> Any:
    """A field holding a ``sep``-separated list, read as a tuple (empty when blank)."""
    return field(default=(), metadata={"sep": sep})


@dataclass(frozen=True)
class Area:
    """An area a report names: the district, its regions and parishes, wider areas."""

    name: str
    kind: str = choices(*AREA_KINDS)
    parent: Optional[str] = None
    variants: tuple[str, ...] = listed()


@dataclass(frozen=True)
class CanonicalCategory:
    """A category that stays the same across the reports' changing schemes."""

    id: str
    label: str
    kind: str = choices(*CATEGORY_KINDS)
    parent: Optional[str] = None
    names: tuple[str, ...] = listed()  # how prose names it besides its label


@dataclass(frozen=True)
class Category:
    """A category as one scheme prints it, with the spellings it goes by."""

    id: str
    scheme: str
    label: str
    code: Optional[str] = None
    variants: tuple[str, ...] = listed()


@dataclass(frozen=True)
class Scheme:
    """A category scheme (Home Office groups, the 2003/04 comparator crimes, ...)."""

    scheme: str
    name: str
    description: Optional[str] = None
    source: Optional[str] = None
    total_canonical: Optional[str] = None
    total_relation: Optional[str] = optional_choices(*RELATIONS)


@dataclass(frozen=True)
class Crosswalk:
    """How a printed category relates to a canonical one, with the caveat a trend must carry."""

    category: str
    canonical: str
    relation: str = choices(*RELATIONS)
    caveat: Optional[str] = None
    source: Optional[str] = None


@dataclass(frozen=True)
class Derivation:
    """A canonical category that is the sum of others (4a = 4a1 + 4a2)."""

    canonical: str
    parts: tuple[str, ...] = listed()
    note: Optional[str] = None


@dataclass(frozen=True)
class Measure:
    """What a header or label says is measured."""

    label: str
    measure: str
    unit: str = choices(*UNITS)
    exact: bool = False
    change: bool = False
    numerator: Optional[str] = None
    denominator: Optional[str] = None
    kind: str = field(default="count", metadata={"choices": MEASURE_KINDS})


@dataclass(frozen=True)
class PeriodCaveat:
    """A caveat every figure of a span carries (the pandemic year, recording changes)."""

    start: str
    end: str
    applies_to: str
    caveat: str
    source: Optional[str] = None


PARTNER_KINDS = (
    "statutory",
    "local_authority",
    "partnership",
    "education",
    "voluntary",
    "business",
    "housing",
    "health",
)


@dataclass(frozen=True)
class Partner:
    """A name a partnership's plans print for one partner ("WCC" → the city council), with why."""

    partner: str
    variant: str
    kind: str = choices(*PARTNER_KINDS)
    evidence: Optional[str] = None


@dataclass(frozen=True)
class CategoryName:
    """A district's own spelling of a category its reports print ("Referrals into Northvale Refuge"
    for the refuge referrals of schema/categories.csv), kept with the district's corpus."""

    category: str
    variants: tuple[str, ...] = listed()


#: Who a failed check speaks about: the report disagreeing with itself (shown to everyone), or our
#: own reading of it (a rendition copy that differs, a correction: shown only on the checks page).
CHECK_AUDIENCES = ("report", "reading")


@dataclass(frozen=True)
class CheckKind:
    """A kind of check (checks.kind) in words, for people: what disagreed with what."""

    kind: str
    words: str
    about: str = choices(*CHECK_AUDIENCES)


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation the reports use and the words it stands for: search finds either."""

    short: str
    long: str
    source: str


#: Each vocabulary CSV and the row type it holds.
ROW_TYPES: dict[str, type] = {
    "areas.csv": Area,
    "canonical_categories.csv": CanonicalCategory,
    "categories.csv": Category,
    "category_schemes.csv": Scheme,
    "crosswalk.csv": Crosswalk,
    "derivations.csv": Derivation,
    "measures.csv": Measure,
    "period_caveats.csv": PeriodCaveat,
    "partners.csv": Partner,
    "check_kinds.csv": CheckKind,
    "abbreviations.csv": Abbreviation,
}

Row = TypeVar("Row")


def parse_row(row_type: type[Row], raw: Mapping[str, Optional[str]], where: str) -> Row:
    """One CSV row → its dataclass; a missing, unknown or ill-typed field raises VocabularyError."""
    fields = {f.name: f for f in dataclasses.fields(row_type)}  # type: ignore[arg-type]
    unknown = [k for k in raw if k not in fields and k is not None]
    if None in raw:
        raise VocabularyError(f"{where}: more cells than the header has columns")
    if unknown:
        raise VocabularyError(f"{where}: a column that is not one of {', '.join(fields)}")
    hints = typing.get_type_hints(row_type)
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        text = (raw.get(name) or "").strip()
        values[name] = _value(name, text, hints[name], spec, where)
    return row_type(**values)


def _value(name: str, text: str, hint: Any, spec: dataclasses.Field, where: str) -> Any:
    required = spec.default is dataclasses.MISSING and "choices" not in spec.metadata
    if "sep" in spec.metadata:
        return tuple(v.strip() for v in text.split(spec.metadata["sep"]) if v.strip())
    if hint is bool:
        if text not in ("", "0", "1"):
            raise VocabularyError(f"{where}: field {name} is not 0, 1 or blank")
        return text == "1"
    if not text:
        if required or (spec.default is dataclasses.MISSING and "choices" in spec.metadata):
            raise VocabularyError(f"{where}: field {name} is empty")
        return None
    allowed = spec.metadata.get("choices")
    if allowed and text not in allowed:
        raise VocabularyError(f"{where}: field {name} is not one of {', '.join(allowed)}")
    return text


def parse_rows(path: Path, rows: tuple[dict[str, str], ...], row_type: type[Row]) -> tuple[Row, ...]:
    """Every row of a CSV file checked against its type; rows are numbered as a person counts them."""
    return tuple(parse_row(row_type, row, f"{path.parent.name}/{path.name}: row {n}") for n, row in enumerate(rows, 1))


def check_references(tables: dict[str, tuple[Any, ...]]) -> None:
    """Cross-file references: every id a row names exists in the file it refers to."""
    canonical = {r.id for r in tables["canonical_categories.csv"]}
    categories = {r.id for r in tables["categories.csv"]}
    schemes = {r.scheme for r in tables["category_schemes.csv"]}
    refs = [
        ("categories.csv", "scheme", schemes, lambda r: [r.scheme]),
        ("canonical_categories.csv", "parent", canonical, lambda r: [r.parent] if r.parent else []),
        ("crosswalk.csv", "category", categories, lambda r: [r.category]),
        ("crosswalk.csv", "canonical", canonical, lambda r: [r.canonical]),
        ("derivations.csv", "canonical", canonical, lambda r: [r.canonical]),
        ("derivations.csv", "parts", canonical, lambda r: list(r.parts)),
        (
            "category_schemes.csv",
            "total_canonical",
            canonical,
            lambda r: [r.total_canonical] if r.total_canonical else [],
        ),
    ]
    for name, column, known, named in refs:
        for n, row in enumerate(tables[name], 1):
            for value in named(row):
                if value not in known:
                    raise VocabularyError(f"schema/{name}: row {n}: field {column} names an id that is not defined")


def check_area_parents(rows, files: Optional[list[tuple[str, int]]] = None) -> None:
    """Every area's parent is an area of the same lists (schema's and the district's); ``files``
    names where the rows come from, in order: (file, how many rows), so a message names the file."""
    names = {row["name"] for row in rows}
    spans = files or [("areas", len(rows))]
    for n, row in enumerate(rows, 1):
        if row.get("parent") and row["parent"] not in names:
            name, first = spans[-1][0], 0
            for label, count in spans:
                if n <= first + count:
                    name = label
                    break
                first += count
            raise VocabularyError(f"{name}: row {n - first}: field parent is not an area of the lists")
