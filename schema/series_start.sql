-- The table `series` (schema/series_tables.sql says what it is for) and the reports whose rows are
-- copied into it next (schema/series_rows.sql, once per report): every report in a cold build, those
-- not kept whole from the previous archive in a build kept from it (extract/store/incremental.py).
CREATE TEMP TABLE refresh AS SELECT id FROM documents WHERE id NOT IN (SELECT id FROM temp.kept_whole);

CREATE TABLE IF NOT EXISTS series (
  canonical_category TEXT, canonical_id, area, measure TEXT, period_start, period_end, value, unit TEXT,
  source_file TEXT, document_id TEXT, source_kind TEXT, scheme TEXT, relation, caveat, derived, derived_from,
  printed_category TEXT, status, figure_id INT, derived_id INT
);
