-- One refreshed report's rows of `series` (schema/series_tables.sql makes the table), copied from
-- `series_view` (schema/harmonise.sql) for one report at a time: a report named by value is an index
-- search through the view, where a list of reports would make SQLite copy the whole view first.
-- Each row's rowid says what it is (a printed figure's: figures.id × 4096 + its canonical category's
-- rowid; a derived one's after every printed one), so the order reports come in does not matter.
INSERT INTO series (rowid, canonical_category, canonical_id, area, measure, period_start, period_end, value, unit,
                    source_file, document_id, source_kind, scheme, relation, caveat, derived, derived_from,
                    printed_category, status, figure_id, derived_id)
SELECT CASE WHEN s.derived THEN 4503599627370496 + s.derived_id ELSE s.figure_id * 4096 + c.rowid END, s.*
FROM series_view s JOIN canonical_categories c ON c.id = s.canonical_id
WHERE s.document_id = :document
ORDER BY 1;
