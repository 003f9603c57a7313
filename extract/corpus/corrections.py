"""Corrections as reviewed data (``corpus/corrections.yaml``): which printed figure, what is
corrected, why, by whom and when. Validated on load; the first error is one line naming the
entry and the field."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from extract.vocab.safe_load import YamlLimits, corpus_data_file, load_yaml_text, read_bounded
from extract.errors import ArchiveError

FILE = "corrections.yaml"
TARGET_FIELDS = ("table", "row", "column", "quote", "value")
CORRECTED_FIELDS = ("value", "label", "period", "area", "category")
REQUIRED = ("id", "document", "figure", "corrected", "reason", "by", "date")
PREFIX = "E-CORRECTIONS"


class CorrectionError(ArchiveError):
    """A corrections file that cannot be used: one line naming the entry and field."""

    default_code = PREFIX


@dataclass(frozen=True)
class CorrectionLimits:
    """Bounds on ``corrections.yaml``, so a hostile one is refused before it costs memory or time
    (100,000 corrections of the usual length are about 25 MB, loaded in seconds)."""

    max_bytes: int = 50_000_000
    max_corrections: int = 200_000
    max_string: int = 10_000  # characters in any one field


LIMITS = CorrectionLimits()


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

    def target_key(self) -> tuple:
        """What names the figure: two corrections with one key correct one figure."""
        if self.table is not None:
            return (self.document, "cell", self.table, self.row, self.column)
        return (self.document, "quote", self.quote, self.printed_value)


def corrections_bytes(corpus: Path, limits: CorrectionLimits = LIMITS) -> bytes:
    """The bytes of the corpus's corrections file as the build reads them (a link is followed
    within the corpus), b"" when there is none; refused (CorrectionError) as ``load_corrections``
    refuses a link out of the corpus, a file that is not a regular one, or one too large."""
    real = corpus_data_file(Path(corpus), FILE, CorrectionError, PREFIX)
    return b"" if real is None else read_bounded(real, FILE, limits.max_bytes, CorrectionError, PREFIX)


def load_corrections(corpus: Path, limits: CorrectionLimits = LIMITS) -> list[Correction]:
    """The corpus's corrections, validated; none when there is no corrections file."""
    return parse_corrections(corrections_bytes(corpus, limits), limits)


def parse_corrections(data: bytes, limits: CorrectionLimits = LIMITS) -> list[Correction]:
    """The corrections a corrections file's bytes hold (none for b""), each checked; two that
    name one figure the same way are refused naming both."""
    if not data:
        return []
    yaml_limits = YamlLimits(max_bytes=limits.max_bytes, max_string=limits.max_string)
    data = load_yaml_text(data, FILE, CorrectionError, PREFIX, yaml_limits)
    if not isinstance(data, dict) or "corrections" not in data:
        raise CorrectionError(f"{FILE}: expected a top-level 'corrections:' list")
    items = data["corrections"] if data["corrections"] is not None else []
    if not isinstance(items, list):
        raise CorrectionError(f"{FILE}: expected a top-level 'corrections:' list")
    if len(items) > limits.max_corrections:
        raise CorrectionError(f"{FILE}: more than {limits.max_corrections} corrections", code=f"{PREFIX}-SIZE")
    out: list[Correction] = []
    seen: set[str] = set()
    targets: dict[tuple, str] = {}
    for i, raw in enumerate(items):
        c = _correction(raw, i, seen, limits)
        seen.add(c.id)
        key = c.target_key()
        if key in targets:
            raise CorrectionError(
                f"{FILE}: corrections '{targets[key]}' and '{c.id}' both correct {c.target()}",
                code=f"{PREFIX}-TWICE",
            )
        targets[key] = c.id
        out.append(c)
    return out


def _number(value, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        shown = repr(value)[:40] if isinstance(value, str) else type(value).__name__
        raise CorrectionError(f"{where}: {name} {shown} is not a number", code=f"{PREFIX}-TYPE")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise CorrectionError(f"{where}: {name} is not a finite number", code=f"{PREFIX}-NUMBER")
    return number


def _text(value, where: str, name: str, limits: CorrectionLimits) -> str:
    """A field given as text (a number or a date is read as it is written)."""
    if isinstance(value, (dict, list)) or value is None:
        raise CorrectionError(
            f"{where}: field '{name}': must be text, got {type(value).__name__}", code=f"{PREFIX}-TYPE"
        )
    text = str(value)
    if len(text) > limits.max_string:
        raise CorrectionError(
            f"{where}: field '{name}': longer than {limits.max_string} characters", code=f"{PREFIX}-SIZE"
        )
    return text


def _iso(value, where: str, name: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise CorrectionError(f"{where}: {name} {repr(value)[:40]} is not a date (YYYY-MM-DD)") from None


def _correction(raw, i: int, seen: set[str], limits: CorrectionLimits = LIMITS) -> Correction:
    where = f"{FILE}: correction {i + 1}"
    if not isinstance(raw, dict):
        raise CorrectionError(f"{where}: expected a mapping of fields")
    if isinstance(raw.get("id"), (str, int)) and raw["id"] != "":
        where += f" ({str(raw['id'])[:80]})"
    for name in REQUIRED:
        if raw.get(name) in (None, "", {}):
            raise CorrectionError(f"{where}: missing required field '{name}'")
    unknown = sorted(set(raw) - set(REQUIRED))
    if unknown:
        raise CorrectionError(f"{where}: unknown field '{unknown[0]}'")
    text = {name: _text(raw[name], where, name, limits) for name in ("id", "document", "reason", "by")}
    if text["id"] in seen:
        raise CorrectionError(f"{where}: duplicate id '{text['id']}'", code=f"{PREFIX}-DUPLICATE")
    c = Correction(
        id=text["id"],
        document=text["document"],
        reason=text["reason"],
        by=text["by"],
        date=_iso(raw["date"], where, "date"),
    )
    _target(c, raw["figure"], where, limits)
    c.corrected = _corrected(raw["corrected"], where, limits)
    return c


def _target(c: Correction, fig, where: str, limits: CorrectionLimits = LIMITS) -> None:
    if not isinstance(fig, dict) or set(fig) - set(TARGET_FIELDS):
        raise CorrectionError(f"{where}: figure must be {{table, row, column}} or {{quote, value}}")
    if {"table", "row", "column"} <= set(fig) and not {"quote", "value"} & set(fig):
        c.table, c.row, c.column = (_text(fig[k], where, f"figure.{k}", limits) for k in ("table", "row", "column"))
    elif set(fig) == {"quote", "value"}:
        c.quote = _text(fig["quote"], where, "figure.quote", limits)
        c.printed_value = _number(fig["value"], where, "figure.value")
    else:
        raise CorrectionError(f"{where}: figure must be {{table, row, column}} or {{quote, value}}")


def _corrected(new, where: str, limits: CorrectionLimits = LIMITS) -> dict[str, Any]:
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
            out[name] = _text(new[name], where, f"corrected.{name}", limits)
    if "period" in new:
        period = new["period"]
        if not isinstance(period, dict) or set(period) != {"start", "end"}:
            raise CorrectionError(f"{where}: corrected.period must be {{start: YYYY-MM-DD, end: YYYY-MM-DD}}")
        out["period_start"] = _iso(period["start"], where, "corrected.period.start")
        out["period_end"] = _iso(period["end"], where, "corrected.period.end")
        if out["period_end"] < out["period_start"]:
            raise CorrectionError(f"{where}: corrected.period.end is before its start")
    return out
