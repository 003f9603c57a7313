"""Two renditions of one report (PDF and text) read independently and compared figure by figure:
each disagreement — a figure in one and not the other, or a different value — is a failed check."""

from __future__ import annotations

import re
from collections import Counter

from extract.model import Check, Fact


def _norm(text) -> str:
    return " ".join(re.sub(r"[^a-z0-9%.]+", " ", str(text or "").lower()).split())


def _table_key(f: Fact) -> tuple:
    return (
        _norm(f.table_label),
        _norm(f.row_label),
        _norm(f.column_label),
        f.period_start,
        f.period_end,
        (f.key or "").endswith(":rate"),
    )


def _keyed(facts: list[Fact]) -> dict[tuple, Fact]:
    """Facts by label key and occurrence: the same labels in two tables (a parish table's
    "Total | TOTAL") are the first, second, ... of their kind in reading order."""
    seen: Counter = Counter()
    out = {}
    for f in facts:
        key = _table_key(f)
        out[key + (seen[key],)] = f
        seen[key] += 1
    return out


def compare_sources(primary: list[Fact], other: list[Fact], primary_path: str, other_path: str) -> list[Check]:
    """Failed checks for every table cell whose value differs or is missing in either rendition,
    and for prose figures whose (value, unit) counts differ."""
    checks = []
    mine = _keyed([f for f in primary if f.source_kind == "table"])
    theirs = _keyed([f for f in other if f.source_kind == "table"])
    for key in sorted(set(mine) | set(theirs), key=str):
        a, b = mine.get(key), theirs.get(key)
        where = f"{key[0]} | {key[1]} | {key[2]}"
        if a and b:
            if abs(a.value - b.value) > 1e-9 or a.unit != b.unit:
                checks.append(
                    Check(
                        "text_vs_pdf",
                        f"{where}: {primary_path} prints {a.raw}, {other_path} prints {b.raw}",
                        b.value,
                        a.value,
                        False,
                        a.table_index,
                        [a.key or ""],
                    )
                )
        elif a:
            checks.append(
                Check(
                    "text_vs_pdf",
                    f"{where}: {a.raw} in {primary_path}, not in {other_path}",
                    None,
                    a.value,
                    False,
                    a.table_index,
                    [a.key or ""],
                )
            )
        elif b:
            checks.append(
                Check(
                    "text_vs_pdf",
                    f"{where}: {b.raw} in {other_path}, not in {primary_path}",
                    b.value,
                    None,
                    False,
                    None,
                    [],
                )
            )
    count_a = Counter((round(f.value, 6), f.unit) for f in primary if f.source_kind == "text")
    count_b = Counter((round(f.value, 6), f.unit) for f in other if f.source_kind == "text")
    for value, unit in sorted(set(count_a) | set(count_b)):
        if count_a[(value, unit)] != count_b[(value, unit)]:
            keys = [
                f.key or ""
                for f in primary
                if f.source_kind == "text" and round(f.value, 6) == value and f.unit == unit
            ]
            checks.append(
                Check(
                    "text_vs_pdf",
                    f"prose figure {value:g} {unit}: {count_a[(value, unit)]} in "
                    f"{primary_path}, {count_b[(value, unit)]} in {other_path}",
                    count_b[(value, unit)],
                    count_a[(value, unit)],
                    False,
                    None,
                    keys,
                )
            )
    if not checks and (mine or theirs):
        checks.append(
            Check(
                "text_vs_pdf",
                f"{primary_path} and {other_path} agree on {len(mine)} table figures",
                len(theirs),
                len(mine),
                True,
            )
        )
    return checks
