"""Vocabulary kept as data under ``schema/``: loaded once, read by every stage."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import yaml

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / name


@lru_cache(maxsize=None)
def load_yaml(name: str):
    with open(schema_path(name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=None)
def load_csv(name: str) -> tuple[dict, ...]:
    """Rows of a CSV under schema/, skipping lines that start with '#'."""
    with open(schema_path(name), encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.lstrip().startswith("#")]
    return tuple(csv.DictReader(lines))
