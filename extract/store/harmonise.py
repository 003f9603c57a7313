"""Harmonise printed figures across twenty years, beside them and never in place of them: the
vocabulary tables (category schemes, crosswalk, areas, period caveats), the periods figures cover,
what can be derived (4a = 4a1 + 4a2, a region from its parishes) and the checks across a report's
figures (through ``extract.checks.consistency``).

A figure's category, canonical category, measure and area are decided when it is read
(``extract.interpret.categorise``); nothing here changes a stored figure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlite_utils

from extract.checks.consistency import (
    prose_against_table_quantities,
    prose_against_tables,
    region_against_parishes,
    restated_counts,
    tables_agree,
)
from extract.checks.sentences import rate_of_a_count_and_a_table, sentence_checks
from extract.model import Check
from extract.store.load import insert_check
from extract.store.scripts import run_script
from extract.store.statistics import refresh as refresh_statistics
from extract.vocab.areas import area_ids, area_rows
from extract.vocab.categories import canonical, categories, crosswalk, period_kind, period_length, schemes
from extract.vocab.loader import load_csv, schema_path


def prepare(db: sqlite_utils.Database) -> None:
    """The vocabulary tables and the series views, before any document is loaded (a document's
    derived sums and checks read them as it is stored)."""
    run_script(db, schema_path("harmonise.sql").read_text(encoding="utf-8"))
    _vocabulary_tables(db)


def harmonise_document(db: sqlite_utils.Database, document_id: str) -> None:
    """Derive one report's sums and run the checks across its figures, right after it is stored:
    they read only its own figures, so ids follow the manifest and a kept report keeps its rows
    (extract.store.incremental)."""
    facts = _primary_table_counts(db, document_id)
    derived = _derived_sums(facts)
    region_sums, region_checks = _regions_from_parishes(db, facts)
    db.table("derived_figures").insert_all(derived + region_sums, pk="id")
    store_checks(db, region_checks)
    mapped = _mapped_figures(db, document_id)
    store_checks(db, tables_agree(_comparable_table_counts(db, document_id), _label, restated_counts(mapped, _label)))
    store_checks(db, prose_against_tables(mapped, _label))
    prose = _prose_figures(db, document_id)
    store_checks(db, sentence_checks(prose))
    tables = _comparable_table_counts(db, document_id)
    store_checks(db, rate_of_a_count_and_a_table(prose, tables))
    store_checks(db, prose_against_table_quantities(prose, tables))


def harmonise_db(db: sqlite_utils.Database) -> None:
    """The periods the figures cover, once every document is in (each report's derived sums and
    checks are made as it is stored: ``harmonise_document``)."""
    _periods(db)
    db.conn.commit()


def materialise_series(db: sqlite_utils.Database) -> None:
    """Copy the `series_view` view into the indexed table `series` and count `coverage`, `lines`,
    `period_values` and `facet_counts` from it (schema/series_tables.sql), so a trend line costs an
    index search however big the archive grows; a build kept from the previous archive copies and
    counts again only what its changed reports touch (``extract.store.incremental``)."""
    for script in COUNTED_SCRIPTS:
        if script == STATISTICS:
            # the planner's statistics before `facts` is read: without them it looks a figure's failed
            # checks up by scanning every failed check (4.4 s at ×20) rather than through check_figures_figure
            refresh_statistics(db)
            continue
        sql = schema_path(script).read_text(encoding="utf-8")
        if script in PER_REPORT_SCRIPTS:
            for (document,) in db.execute("select id from temp.refresh order by id").fetchall():
                db.execute(sql, {"document": document})
        else:
            run_script(db, sql)
    db.conn.commit()


#: Where the planner's statistics are written among COUNTED_SCRIPTS (extract/store/statistics.py).
STATISTICS = "ANALYZE"
#: The scripts that make `series` and the tables counted from it, in order.
COUNTED_SCRIPTS = (
    "series_state.sql",
    "series_start.sql",
    "series_rows.sql",
    "series_tables.sql",
    STATISTICS,
    "facet_documents.sql",
    "facet_delta.sql",
    "facet_counts.sql",
)
#: Of those, the statements run once for each report refreshed (``:document``, its id).
PER_REPORT_SCRIPTS = ("series_rows.sql",)


def store_checks(db: sqlite_utils.Database, checks: Iterable[Check]) -> None:
    """Write checks made across stored figures, each linked to the figures it involves."""
    for check in checks:
        insert_check(db, check, check.document_id, None, None, check.figure_ids)


def _label(canonical_id: str) -> str:
    return canonical()[canonical_id]["label"]


def _vocabulary_tables(db) -> None:
    db.table("schemes").insert_all(schemes().values(), pk="scheme", replace=True)
    db.table("canonical_categories").insert_all(canonical().values(), pk="id", replace=True)
    db.table("categories").insert_all(categories().values(), pk="id", replace=True)
    db.table("crosswalk").insert_all(
        {k: r[k] for k in ("category", "canonical", "relation", "caveat", "source")}
        for rows in crosswalk().values()
        for r in rows
    )
    db.table("period_caveats").insert_all(load_csv("period_caveats.csv"))
    rows = list(area_rows())
    ids = area_ids()
    db.table("areas").insert_all(
        (
            {
                "id": ids[r["name"]],
                "name": r["name"],
                "kind": r["kind"],
                "parent_id": ids.get(r["parent"]),
                "variants": r["variants"] or None,
            }
            for r in rows
        ),
        pk="id",
        replace=True,
    )


def _periods(db) -> None:
    spans = db.execute(
        "select distinct period_start, period_end from figures where period_start is not null"
    ).fetchall()
    db.table("periods").insert_all(
        (
            {
                "start": s,
                "end": e,
                "kind": period_kind(s, e),
                "length": period_length(s, e),
                "days": (date.fromisoformat(e) - date.fromisoformat(s)).days + 1,
            }
            for s, e in spans
        ),
        pk="id",
    )


def _primary_table_counts(db, document_id: str) -> list[dict]:
    return list(
        db.query(
            "select f.id, f.document_id, f.table_id, f.canonical_id, f.canonical_relation, f.area, f.area_id, f.measure, "
            "f.period_start, f.period_end, f.value, f.unit, f.source_file, f.page from figures f join files fi on fi.id = f.file_id "
            "where f.document_id = ? and fi.role = 'primary' and f.source_kind = 'table' and f.unit = 'count' "
            "and f.canonical_id is not null order by f.id",
            [document_id],
        )
    )


def _comparable_table_counts(db, document_id: str) -> list[dict]:
    return list(
        db.query(
            "select f.id, f.document_id, f.table_id, f.table_label, f.canonical_id, f.area, f.measure, f.period_start, "
            "f.period_end, f.value, f.unit, f.raw, f.page from figures f join files fi on fi.id = f.file_id "
            "where f.document_id = ? and fi.role = 'primary' "
            "and f.source_kind = 'table' and f.canonical_relation in ('same', 'sum_of') "
            "and f.measure is not null and f.period_start is not null and f.canonical_id in "
            "(select id from canonical_categories where kind in ('crime', 'flag', 'asb', 'outcome')) order by f.id",
            [document_id],
        )
    )


def _prose_figures(db, document_id: str) -> list[dict]:
    """The report's prose figures with where each stands in its sentence (for the sentences' own arithmetic)."""
    return list(
        db.query(
            "select f.id, f.document_id, f.block_id, f.quote, f.raw, f.value, f.unit, f.measure, f.char_start, f.char_end, "
            "f.page, f.canonical_id, f.canonical_relation, coalesce(f.area, (select d.area from documents d where d.id = f.document_id)) as area, "
            "f.period_start, f.period_end "
            "from figures f join files fi on fi.id = f.file_id where f.document_id = ? and fi.role = 'primary' "
            "and f.source_kind = 'text' order by f.id",
            [document_id],
        )
    )


def _mapped_figures(db, document_id: str) -> list[dict]:
    return list(
        db.query(
            "select f.id, f.document_id, f.source_kind, f.canonical_id, f.canonical_relation, f.area, f.period_start, "
            "f.period_end, f.value, f.unit, f.measure, f.quote, f.raw, f.page, f.table_label from figures f "
            "join files fi on fi.id = f.file_id "
            "where f.document_id = ? and fi.role = 'primary' and f.canonical_id is not null "
            "and f.period_start is not null order by f.id",
            [document_id],
        )
    )


def _table_group(f: dict) -> tuple:
    return (f["document_id"], f["table_id"], f["area"], f["measure"], f["period_start"], f["period_end"])


def _derived_sums(facts: list[dict]) -> list[dict]:
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
            derived.append(_derived_row(used[0], row["canonical"], sum(f["value"] for f in used), used, row["note"]))
    return derived


def _derived_row(base: dict, canon: str, value: float, used: list[dict], note: str, area=None, area_id=None) -> dict:
    return {
        "document_id": base["document_id"],
        "source_file": base["source_file"],
        "table_id": base["table_id"],
        "canonical_id": canon,
        "canonical_category": canonical()[canon]["label"],
        "area": area or base["area"],
        "area_id": area_id or base["area_id"],
        "measure": base["measure"],
        "period_start": base["period_start"],
        "period_end": base["period_end"],
        "value": value,
        "unit": base["unit"],
        "derivation": note,
        "derived_from": json.dumps([f["id"] for f in used]),
    }


def _regions_from_parishes(db, facts: list[dict]) -> tuple[list[dict], list[Check]]:
    """A region's figure summed from its parishes' figures; where the region's own figure is
    printed too, a check of one against the other."""
    children: dict[int, set[int]] = defaultdict(set)
    for id_, parent in db.execute("select id, parent_id from areas where kind = 'parish'"):
        children[parent].add(id_)
    region_names = {id_: name for id_, name in db.execute("select id, name from areas")}
    by_key: dict[tuple, dict[int, dict]] = defaultdict(dict)
    printed_all: dict[tuple, list[dict]] = defaultdict(list)  # every printing of an area's figure
    for f in facts:
        if f["area_id"] is not None:
            k = (f["document_id"], f["canonical_id"], f["measure"], f["period_start"], f["period_end"])
            by_key[k].setdefault(f["area_id"], f)
            printed_all[k + (f["area_id"],)].append(f)
    sums, checks = [], []
    for k, by_area in by_key.items():
        present = set(by_area)  # once per quantity, not once per region
        for region, kids in children.items():
            if not kids or not kids <= present:
                continue
            used = [by_area[a] for a in sorted(kids)]
            value = sum(f["value"] for f in used)
            name = region_names[region]
            sums.append(
                _derived_row(used[0], k[1], value, used, "region = sum of its parishes", area=name, area_id=region)
            )
            printed = printed_all.get(k + (region,), [])  # every table printing the region's figure
            if printed:
                checks.append(region_against_parishes(name, _label(k[1]), printed, used, value))
    return sums, checks


def unmapped(db: sqlite_utils.Database) -> list[dict]:
    """Printed table categories, areas and period labels that did not map, with document and count.
    (Prose subjects are free phrases: they map when they name a known category, and are not listed.)"""
    out = []
    for row in db.query(
        "select 'category' as kind, f.category as label, f.document_id, count(*) as count from figures f "
        "join files fi on fi.id = f.file_id where fi.role = 'primary' and f.source_kind = 'table' "
        "and f.category_id is null group by f.category, f.document_id "
        "union all select 'area', f.area, f.document_id, count(*) from figures f join files fi on fi.id = f.file_id "
        "where fi.role = 'primary' and f.area is not null and f.area_id is null and f.area not like 'Total of %' and f.area not like 'Part of %' "
        "group by f.area, f.document_id "
        "union all select 'period', f.period_label, f.document_id, count(*) from figures f join files fi on fi.id = f.file_id "
        "where fi.role = 'primary' and f.period_label is not null and f.period_start is null "
        "group by f.period_label, f.document_id order by 1, 3, 2"
    ):
        out.append(row)
    return out
