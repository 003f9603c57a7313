"""Vocabulary kept as data under ``schema/``: found in the installed package or the checkout,
loaded once, read by every stage."""

from __future__ import annotations

import csv
import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from extract.vocab.rows import ROW_TYPES, check_references, parse_rows

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """A top-level data folder (``schema``, ``datasette``): shipped inside the wheel as
    ``extract/_data/<name>``, or the repository's own folder in a checkout."""
    shipped = PACKAGE_DIR / "_data" / name
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / name


def schema_path(name: str) -> Path:
    return data_dir("schema") / name


@cache
def load_yaml(name: str) -> Any:
    with open(schema_path(name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_csv_rows(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of a CSV file, skipping lines that start with '#'."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.lstrip().startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV under schema/, skipping lines that start with '#'; a file with a row type
    (extract.vocab.rows) is checked row by row first, with the references between files."""
    if name in ROW_TYPES:
        validated_vocabulary()
    return read_csv_rows(schema_path(name))


@cache
def load_rows(name: str) -> tuple[Any, ...]:
    """The typed rows of a vocabulary CSV under schema/ (see extract.vocab.rows)."""
    return validated_vocabulary()[name]


@lru_cache(maxsize=1)
def validated_vocabulary() -> dict[str, tuple[Any, ...]]:
    """Every typed vocabulary file under schema/, each row checked, then the cross-file references."""
    tables = {}
    for name, row_type in ROW_TYPES.items():
        path = schema_path(name)
        tables[name] = parse_rows(path, read_csv_rows(path), row_type) if path.exists() else ()
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
