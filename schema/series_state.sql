-- What a build keeps of the tables counted from `series` (schema/series_tables.sql), as temporary tables
-- of the build's connection: made empty by a cold build, filled by extract/store/incremental.py.
-- The reports whose rows in series, period_values and facet_counts are kept as they are.
CREATE TEMP TABLE IF NOT EXISTS kept_whole (id TEXT PRIMARY KEY);
-- The trend lines (by unit and period) whose value in period_values is chosen again.
CREATE TEMP TABLE IF NOT EXISTS stale_lines (canonical_category, area, measure, unit, period_start, period_end);
-- The reports whose facts schema/facet_delta.sql counts next: 1 to add them to facet_counts, -1 to take them off.
CREATE TEMP TABLE IF NOT EXISTS facet_documents (id TEXT PRIMARY KEY, sign INTEGER NOT NULL);
-- What facet_counts changes by.
CREATE TEMP TABLE IF NOT EXISTS facet_delta (facet, canonical_category TEXT, value TEXT, facts INTEGER);
