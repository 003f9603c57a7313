"""What one report's own figures say about each other, from its interpretation alone: the sums that
can be derived (4a = 4a1 + 4a2, a region from its parishes) and every check across its figures
(tables against tables, a region against its parishes, prose against the tables and against
itself, the arithmetic a sentence states). A pure function of the report's facts and the
vocabulary, so it is made (and cached) with the rest of the interpretation, and the store only
writes what it is handed. Figures are named by their fact keys; the store turns them into ids."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Optional

from extract.checks.consistency import (
    prose_against_table_quantities,
    prose_against_tables,
    region_against_parishes,
    restated_counts,
    tables_agree,
)
from extract.checks.sentences import rate_of_a_count_and_a_table, sentence_checks
from extract.model import Check, DerivedSum, Fact
from extract.vocab.areas import area_id_of, area_ids, area_rows
from extract.vocab.categories import canonical
from extract.vocab.loader import load_csv

#: The canonical kinds whose table figures are compared across a report's tables.
COMPARED_KINDS = ("crime", "flag", "asb", "outcome")


def figure_rows(facts: Sequence[Fact], document_id: str) -> list[dict]:
    """The facts as the rows the checks read (``id``: the fact key), in the order they are stored."""
    return [
        {
            "id": f.key,
            "document_id": document_id,
            "source_kind": f.source_kind,
            "table_id": f.table_index,
            "table_label": f.table_label,
            "block_id": f.block_index,
            "canonical_id": f.canonical_id,
            "canonical_relation": f.canonical_relation,
            "area": f.area,
            "area_id": area_id_of(f.area),
            "measure": f.measure,
            "period_start": f.period_start,
            "period_end": f.period_end,
            "value": f.value,
            "unit": f.unit,
            "raw": f.raw,
            "page": f.page,
            "quote": f.quote,
            "qualifier": f.qualifier,
            "char_start": f.char_start,
            "char_end": f.char_end,
        }
        for f in facts
    ]


def _label(canonical_id: str) -> str:
    return canonical()[canonical_id]["label"]


def across_figures(
    facts: Sequence[Fact], document_id: str, report_area: Optional[str]
) -> tuple[list[DerivedSum], list[Check]]:
    """The report's derived sums and its checks across figures, each check naming its figures by
    fact key (``Check.fact_keys``)."""
    rows = figure_rows(facts, document_id)
    table_counts = [
        r for r in rows if r["source_kind"] == "table" and r["unit"] == "count" and r["canonical_id"] is not None
    ]
    derived = derived_sums(table_counts)
    region_sums, checks = regions_from_parishes(table_counts)
    mapped = [r for r in rows if r["canonical_id"] is not None and r["period_start"] is not None]
    comparable = [
        r
        for r in rows
        if r["source_kind"] == "table"
        and r["canonical_relation"] in ("same", "sum_of")
        and r["measure"] is not None
        and r["period_start"] is not None
        and r["canonical_id"] is not None
        and canonical()[r["canonical_id"]]["kind"] in COMPARED_KINDS
    ]
    # a prose figure stating no area is about the report's own
    prose = [{**r, "area": r["area"] or report_area} for r in rows if r["source_kind"] == "text"]
    checks += tables_agree(comparable, _label, restated_counts(mapped, _label))
    checks += prose_against_tables(mapped, _label)
    checks += sentence_checks(prose)
    checks += rate_of_a_count_and_a_table(prose, comparable)
    checks += prose_against_table_quantities(prose, comparable)
    keyed = [replace(c, fact_keys=[str(k) for k in c.figure_ids], figure_ids=[], document_id=None) for c in checks]
    return derived + region_sums, keyed


def _table_group(f: dict) -> tuple:
    return (f["document_id"], f["table_id"], f["area"], f["measure"], f["period_start"], f["period_end"])


def derived_sums(facts: list[dict]) -> list[DerivedSum]:
    """Sums of parts (schema/derivations.csv) within one table, each with the figures summed."""
    groups: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for f in facts:
        if f["canonical_relation"] == "same":
            groups[_table_group(f)].setdefault(f["canonical_id"], f)
    derived = []
    for row in load_csv("derivations.csv"):
        parts = row["parts"].split("|")
        for by_canon in groups.values():
            if row["canonical"] in by_canon or not all(p in by_canon for p in parts):
                continue
            used = [by_canon[p] for p in parts]
            derived.append(_derived(used[0], row["canonical"], sum(f["value"] for f in used), used, row["note"]))
    return derived


def _derived(base: dict, canon: str, value: float, used: list[dict], note: str, area=None, area_id=None) -> DerivedSum:
    return DerivedSum(
        canonical_id=canon,
        canonical_category=canonical()[canon]["label"],
        area=area or base["area"],
        area_id=area_id or base["area_id"],
        measure=base["measure"],
        period_start=base["period_start"],
        period_end=base["period_end"],
        value=value,
        unit=base["unit"],
        derivation=note,
        table_index=base["table_id"],
        derived_from=tuple(f["id"] for f in used),
    )


def regions_from_parishes(facts: list[dict]) -> tuple[list[DerivedSum], list[Check]]:
    """A region's figure summed from its parishes' figures; where the region's own figure is
    printed too (once or in several tables), one check of it against the sum."""
    ids = area_ids()
    children: dict[int, set[int]] = defaultdict(set)
    for row in area_rows():
        if row["kind"] == "parish" and row.get("parent"):
            children[ids[row["parent"]]].add(ids[row["name"]])
    names = {i: name for name, i in ids.items()}
    by_key: dict[tuple, dict[int, dict]] = defaultdict(dict)
    printed_all: dict[tuple, list[dict]] = defaultdict(list)
    for f in facts:
        if f["area_id"] is not None:
            k = (f["document_id"], f["canonical_id"], f["measure"], f["period_start"], f["period_end"])
            by_key[k].setdefault(f["area_id"], f)
            printed_all[k + (f["area_id"],)].append(f)
    sums, checks = [], []
    for k, by_area in by_key.items():
        for region, kids in children.items():
            if not kids or not kids <= set(by_area):
                continue
            used = [by_area[a] for a in sorted(kids)]
            value = sum(f["value"] for f in used)
            name = names[region]
            sums.append(_derived(used[0], k[1], value, used, "region = sum of its parishes", area=name, area_id=region))
            printed = printed_all.get(k + (region,), [])
            if printed:
                checks.append(region_against_parishes(name, _label(k[1]), printed, used, value))
    return sums, checks


def derived_row(
    d: DerivedSum, document_id: str, source_file: str, table_id: Optional[int], figure_ids: list[int]
) -> dict:
    """A derived sum as a `derived_figures` row (the store's ids given)."""
    return {
        "document_id": document_id,
        "source_file": source_file,
        "table_id": table_id,
        "canonical_id": d.canonical_id,
        "canonical_category": d.canonical_category,
        "area": d.area,
        "area_id": d.area_id,
        "measure": d.measure,
        "period_start": d.period_start,
        "period_end": d.period_end,
        "value": d.value,
        "unit": d.unit,
        "derivation": d.derivation,
        "derived_from": json.dumps(figure_ids),
    }
