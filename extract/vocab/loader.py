"""Vocabulary kept as data under ``schema/``: found in the installed package or the checkout,
loaded once, read by every stage."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Optional

from extract.vocab.rows import ROW_TYPES, VocabularyError, check_references, parse_rows
from extract.vocab.safe_load import CsvLimits, YamlLimits, load_yaml_text, read_bounded, read_csv_bytes

PREFIX = "E-VOCABULARY"
#: Bounds on the vocabulary's own files (the largest is under 20 KB).
YAML_LIMITS = YamlLimits(max_bytes=2_000_000, text_keys=False)  # periods.yaml numbers its months
CSV_LIMITS = CsvLimits(max_bytes=5_000_000, max_rows=100_000, max_field=10_000)

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """A top-level data folder (``schema``, ``datasette``): shipped inside the wheel as
    ``extract/_data/<name>``, or the repository's own folder in a checkout."""
    shipped = PACKAGE_DIR / "_data" / name
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / name


def schema_path(name: str) -> Path:
    return data_dir("schema") / name


def label(path: Path) -> str:
    """How messages name a data file: its folder and name (``schema/areas.csv``)."""
    return f"{path.parent.name}/{path.name}"


@cache
def load_yaml(name: str) -> Any:
    """A YAML file under schema/, read by the one safe loader (extract.vocab.safe_load)."""
    path = schema_path(name)
    data = read_bounded(path, label(path), YAML_LIMITS.max_bytes, VocabularyError, PREFIX)
    return load_yaml_text(data, label(path), VocabularyError, PREFIX, YAML_LIMITS)


def header_of(row_type: type) -> tuple[str, ...]:
    """The columns a CSV of ``row_type`` may have: its fields."""
    return tuple(f.name for f in dataclasses.fields(row_type))


def read_csv_rows(
    path: Path,
    expected: Optional[Sequence[str]] = None,
    limits: CsvLimits = CSV_LIMITS,
    prefix: str = PREFIX,
    data: Optional[bytes] = None,
) -> tuple[dict[str, str], ...]:
    """Rows of a CSV file (or of ``data``, its bytes), skipping lines that start with '#', read
    within ``limits``; with ``expected``, every header name must be one of them."""
    path = Path(path)
    if data is None:
        data = read_bounded(path, label(path), limits.max_bytes, VocabularyError, prefix)
    return read_csv_bytes(data, label(path), VocabularyError, prefix, limits, expected)


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV under schema/, skipping lines that start with '#'; a file with a row type
    (extract.vocab.rows) is checked row by row first, with the references between files."""
    if name in ROW_TYPES:
        validated_vocabulary()
    row_type = ROW_TYPES.get(name)
    return read_csv_rows(schema_path(name), header_of(row_type) if row_type else None)


@cache
def load_rows(name: str) -> tuple[Any, ...]:
    """The typed rows of a vocabulary CSV under schema/ (see extract.vocab.rows)."""
    return validated_vocabulary()[name]


@cache
def load_own_rows(name: str) -> tuple[Any, ...]:
    """The typed rows of one vocabulary CSV under schema/ that no other file refers to, each row
    checked, without reading the rest of the vocabulary (the site's words for checks, abbreviations)."""
    path = schema_path(name)
    row_type = ROW_TYPES[name]
    return parse_rows(path, read_csv_rows(path, header_of(row_type)), row_type) if path.exists() else ()


@lru_cache(maxsize=1)
def validated_vocabulary() -> dict[str, tuple[Any, ...]]:
    """Every typed vocabulary file under schema/, each row checked, then the cross-file references."""
    tables = {}
    for name, row_type in ROW_TYPES.items():
        path = schema_path(name)
        tables[name] = parse_rows(path, read_csv_rows(path, header_of(row_type)), row_type) if path.exists() else ()
    check_references(tables)
    return tables


@lru_cache(maxsize=1)
def vocabulary_digest() -> str:
    """A digest of every vocabulary file under schema/: part of the read cache's key."""
    digest = hashlib.sha256()
    folder = data_dir("schema")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".csv", ".json", ".jsonl", ".sql"}:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
