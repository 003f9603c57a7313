"""Corrections as reviewed data (``corpus/corrections.yaml``): which printed figure, what is
corrected, why, by whom and when. Validated on load; the first error is one line naming the
entry and the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml

from extract.errors import ArchiveError

FILE = "corrections.yaml"
TARGET_FIELDS = ("table", "row", "column", "quote", "value")
CORRECTED_FIELDS = ("value", "label", "period", "area", "category")
REQUIRED = ("id", "document", "figure", "corrected", "reason", "by", "date")


class CorrectionError(ArchiveError):
    """A corrections file that cannot be used: one line naming the entry and field."""


@dataclass
class Correction:
    id: str
    document: str
    reason: str
    by: str
    date: str
    table: Optional[str] = None  # table label + row + column, or quote + value
    row: Optional[str] = None
    column: Optional[str] = None
    quote: Optional[str] = None
    printed_value: Optional[float] = None
    corrected: dict[str, Any] = field(default_factory=dict)  # value, label, period_start/end, area, category

    def target(self) -> str:
        """The figure it points at, in words, for listings and check descriptions."""
        if self.table is not None:
            return f"{self.document} table '{self.table}' row '{self.row}' column '{self.column}'"
        return f"{self.document} quote '{self.quote}' value {self.printed_value:g}"


def load_corrections(corpus: Path) -> list[Correction]:
    """The corpus's corrections, validated; none when there is no corrections file."""
    path = Path(corpus) / FILE
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise CorrectionError(f"{FILE}: unreadable YAML{at}") from None
    if not isinstance(data, dict) or "corrections" not in data:
        raise CorrectionError(f"{FILE}: expected a top-level 'corrections:' list")
    items = data["corrections"] if data["corrections"] is not None else []
    if not isinstance(items, list):
        raise CorrectionError(f"{FILE}: expected a top-level 'corrections:' list")
    out: list[Correction] = []
    for i, raw in enumerate(items):
        out.append(_correction(raw, i, {c.id for c in out}))
    return out


def _number(value, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CorrectionError(f"{where}: {name} {value!r} is not a number")
    return float(value)


def _iso(value, where: str, name: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise CorrectionError(f"{where}: {name} {value!r} is not a date (YYYY-MM-DD)") from None


def _correction(raw, i: int, seen: set[str]) -> Correction:
    where = f"{FILE}: correction {i + 1}"
    if not isinstance(raw, dict):
        raise CorrectionError(f"{where}: expected a mapping of fields")
    if raw.get("id"):
        where += f" ({raw['id']})"
    for name in REQUIRED:
        if raw.get(name) in (None, "", {}):
            raise CorrectionError(f"{where}: missing required field '{name}'")
    unknown = sorted(set(raw) - set(REQUIRED))
    if unknown:
        raise CorrectionError(f"{where}: unknown field '{unknown[0]}'")
    if str(raw["id"]) in seen:
        raise CorrectionError(f"{where}: duplicate id '{raw['id']}'")
    c = Correction(
        id=str(raw["id"]),
        document=str(raw["document"]),
        reason=str(raw["reason"]),
        by=str(raw["by"]),
        date=_iso(raw["date"], where, "date"),
    )
    _target(c, raw["figure"], where)
    c.corrected = _corrected(raw["corrected"], where)
    return c


def _target(c: Correction, fig, where: str) -> None:
    if not isinstance(fig, dict) or set(fig) - set(TARGET_FIELDS):
        raise CorrectionError(f"{where}: figure must be {{table, row, column}} or {{quote, value}}")
    if {"table", "row", "column"} <= set(fig) and not {"quote", "value"} & set(fig):
        c.table, c.row, c.column = (str(fig[k]) for k in ("table", "row", "column"))
    elif set(fig) == {"quote", "value"}:
        c.quote = str(fig["quote"])
        c.printed_value = _number(fig["value"], where, "figure.value")
    else:
        raise CorrectionError(f"{where}: figure must be {{table, row, column}} or {{quote, value}}")


def _corrected(new, where: str) -> dict[str, Any]:
    if not isinstance(new, dict) or not new:
        raise CorrectionError(f"{where}: corrected must name at least one of {', '.join(CORRECTED_FIELDS)}")
    unknown = sorted(set(new) - set(CORRECTED_FIELDS))
    if unknown:
        raise CorrectionError(f"{where}: corrected.{unknown[0]} is not one of {', '.join(CORRECTED_FIELDS)}")
    out: dict[str, Any] = {}
    if "value" in new:
        out["value"] = _number(new["value"], where, "corrected.value")
    for name in ("label", "area", "category"):
        if name in new:
            out[name] = str(new[name])
    if "period" in new:
        period = new["period"]
        if not isinstance(period, dict) or set(period) != {"start", "end"}:
            raise CorrectionError(f"{where}: corrected.period must be {{start: YYYY-MM-DD, end: YYYY-MM-DD}}")
        out["period_start"] = _iso(period["start"], where, "corrected.period.start")
        out["period_end"] = _iso(period["end"], where, "corrected.period.end")
        if out["period_end"] < out["period_start"]:
            raise CorrectionError(f"{where}: corrected.period.end is before its start")
    return out
