"""Harmonise printed figures across twenty years, beside them and never in place of them: write
the vocabulary tables (category schemes, crosswalk, areas, period caveats), the periods figures
cover, and the series and tables counted from them. What one report's figures derive and how they
check against each other is worked out with its interpretation (``extract.checks.report``) and
written as the report is stored.

A figure's category, canonical category, measure and area are decided when it is read
(``extract.interpret.categorise``); nothing here changes a stored figure.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import sqlite_utils

from extract.store.scripts import run_script
from extract.store.statistics import refresh as refresh_statistics
from extract.vocab.areas import all_areas
from extract.vocab.categories import canonical, categories, crosswalk, period_kind, period_length, schemes
from extract.vocab.loader import load_csv, load_own_rows, schema_path


def prepare(db: sqlite_utils.Database) -> None:
    """The vocabulary tables and the series views, before any document is loaded."""
    run_script(db, schema_path("harmonise.sql").read_text(encoding="utf-8"))
    _vocabulary_tables(db)


def harmonise_db(db: sqlite_utils.Database) -> None:
    """The periods the figures cover, once every document is in (each report's derived sums and
    checks across its figures come with its interpretation: extract.checks.report)."""
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


def _vocabulary_tables(db) -> None:
    db.table("schemes").insert_all(schemes().values(), pk="scheme", replace=True)
    db.table("canonical_categories").insert_all(
        ({k: r[k] for k in ("id", "label", "kind", "parent")} for r in canonical().values()), pk="id", replace=True
    )
    db.table("categories").insert_all(categories().values(), pk="id", replace=True)
    db.table("crosswalk").insert_all(
        {k: r[k] for k in ("category", "canonical", "relation", "caveat", "source")}
        for rows in crosswalk().values()
        for r in rows
    )
    db.table("period_caveats").insert_all(load_csv("period_caveats.csv"))
    db.table("check_kinds").insert_all(dataclasses.asdict(k) for k in load_own_rows("check_kinds.csv"))
    db.table("areas").insert_all(all_areas(), pk="id", replace=True)


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
