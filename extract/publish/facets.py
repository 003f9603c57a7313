"""Facets of the `facts` page read from `facet_counts` (counted once at build time) when the page is
filtered by nothing or by one canonical category, so they cost the same however many facts there are."""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import parse_qs

from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

#: The view whose facets the build counts, and the columns it counts them on (schema/series_tables.sql).
COUNTED_TABLE = "facts"
COUNTED_COLUMNS = frozenset({"document_id", "category", "area", "period_label", "unit", "status"})
#: The one filter facet_counts is grouped by.
CATEGORY_ARGS = frozenset({"canonical_category", "canonical_category__exact"})
#: Query-string arguments that do not change which rows a table page counts.
NOT_FILTERS = frozenset(
    {
        "_facet",
        "_facet_counted",
        "_facet_size",
        "_size",
        "_sort",
        "_sort_desc",
        "_next",
        "_labels",
        "_nolabels",
        "_shape",
        "_nocount",
        "_nofacet",
        "_nosuggest",
        "_col",
        "_nocol",
        "_json",
        "_trace",
        "_extra",
        "_stream",
        "_dl",
    }
)
#: A facet read from the counts, ordered as Datasette orders a counted one; :category is None for all facts.
READ_SQL = (
    "select value, sum(facts) as count from facet_counts "
    "where facet = :facet and value is not null and (:category is null or canonical_category = :category) "
    "group by value order by count desc, value limit :limit"
)


def counted_filter(table: Optional[str], args: dict[str, list[str]]) -> tuple[bool, Optional[str]]:
    """Whether facet_counts holds a page's facets (only a canonical category filters it), and that category."""
    if table != COUNTED_TABLE:
        return False, None
    category = None
    for key, values in args.items():
        if key in CATEGORY_ARGS and len(values) == 1 and category is None:
            category = values[0]
        elif key not in NOT_FILTERS:
            return False, None
    return True, category


class CountedFacet(ColumnFacet):
    """A column facet (`{counted: column}` in the metadata) read from facet_counts where it holds the
    page's counts, else counted live as Datasette counts one."""

    type = "counted"

    async def facet_results(self) -> tuple[list[dict], list[str]]:
        served, category = counted_filter(self.table, parse_qs(self.request.query_string, keep_blank_values=True))
        columns = [c["config"].get("column") or c["config"]["simple"] for c in self.get_configs()]
        if not served or not set(columns) <= COUNTED_COLUMNS:
            return await super().facet_results()
        sources = [c["source"] for c in self.get_configs()]
        return [await self._read(column, source, category) for column, source in zip(columns, sources)], []

    async def _read(self, column: str, source: str, category: Optional[str]) -> dict[str, Any]:
        """One facet as ColumnFacet gives it (values, counts, toggle links), its counts read, not counted."""
        size = self.get_facet_size()
        params = {"facet": column, "category": category, "limit": size + 1}
        found = (await self.ds.execute(self.database, READ_SQL, params, truncate=False)).rows
        pairs = self.get_querystring_pairs()
        key = f"{column}__exact" if column.startswith("_") else column
        results = []
        for row in found[:size]:
            selected = (key, str(row["value"])) in pairs
            if selected:
                path = path_with_removed_args(self.request, {key: str(row["value"])})
            else:
                path = path_with_added_args(self.request, {key: row["value"]})
            url = self.ds.absolute_url(self.request, self.ds.urls.path(path))
            results.append(
                {
                    "value": row["value"],
                    "label": row["value"],
                    "count": row["count"],
                    "toggle_url": url,
                    "selected": selected,
                }
            )
        return {
            "name": column,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
            "results": results,
            "truncated": len(found) > size,
        }
