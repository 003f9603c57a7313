-- `series` and `coverage` as tables, copied from their views (schema/harmonise.sql) at the end of the
-- build, once every figure and derived figure is in: the column names are the views', so queries,
-- the site and the canned queries read them unchanged. Indexed on what they filter and group on.
-- Then the tables aggregated from them (lines, period_values, facet_counts), so the home page,
-- comparing two periods and facet counts cost the same however many reports there are.
--
-- schema/series_start.sql makes the table and lists the reports to refresh, schema/series_rows.sql
-- copies their rows, one report at a time; this script indexes and counts.
--
-- A build kept from the previous archive (extract/store/incremental.py) keeps the rows of `series`,
-- `period_values` and `facet_counts` that no changed report touches: only the reports in temp.refresh
-- are copied, only the lines in temp.stale_lines are ranked again, and temp.facet_delta (the counts
-- of the changed reports' old facts, negative) is added to the counts. A cold build refreshes all.
-- Rows are ordered by rowid, which says what a row is rather than when it came: a printed figure's
-- rows at figures.id × 4096 + its canonical category's rowid, derived rows after every printed one.

-- a trend line in the order trend_for_a_category gives it (also the site's trend page and its list of lines)
CREATE INDEX IF NOT EXISTS series_line ON series(canonical_category, area, measure, period_start, period_end, derived, relation);
CREATE INDEX IF NOT EXISTS series_canonical_line ON series(canonical_id, area, measure, period_start);
-- the figures of one period, by relation and unit (a filter on the series table's page)
CREATE INDEX IF NOT EXISTS series_period ON series(period_start, relation, unit);
CREATE INDEX IF NOT EXISTS series_document ON series(document_id);
CREATE INDEX IF NOT EXISTS series_figure ON series(figure_id);

-- Every trend line once, with its number of points and first and last days: the home page's and the
-- trend page's list of lines, read rather than counted over `series`.
DROP TABLE IF EXISTS lines;
CREATE TABLE lines AS
SELECT canonical_category, area, measure, count(*) AS points, min(period_start) AS first, max(period_end) AS last
FROM series GROUP BY canonical_category, area, measure;
CREATE INDEX lines_line ON lines(canonical_category, area, measure);

-- In a corpus of several districts, which districts' reports print each trend line (empty for a corpus of
-- one): a district's pages list its own lines, and comparing two periods looks a line up under its first
-- district (period_values.district). Read from the reports of a district only, through series_document.
DROP TABLE IF EXISTS line_districts;
CREATE TABLE line_districts AS
SELECT DISTINCT s.canonical_category, s.area, s.measure, d.district
FROM documents d JOIN series s ON s.document_id = d.id
WHERE d.district IS NOT NULL;
CREATE INDEX line_districts_line ON line_districts(canonical_category, area, measure, district);
CREATE INDEX line_districts_district ON line_districts(district, canonical_category, area, measure);

-- One value per trend line, unit and period, for comparing two periods (what_changed_between_two_periods):
-- of the figures printed for it whose category is the canonical one (relation same) or a sum of it, a
-- printed figure before a derived one, the canonical category itself before a sum, an unflagged figure
-- before a flagged one, then the latest published report's (a restated figure). `figures` says how many there
-- were and `agree` whether they all gave this value; `length` (periods.length) is what a period must
-- share with another to be compared: a year with a year (365 or 366 days), a quarter with a quarter.
-- Only the lines a refreshed report has a figure on (or had, temp.stale_lines) are ranked again.
INSERT INTO temp.stale_lines
SELECT DISTINCT canonical_category, area, measure, unit, period_start, period_end FROM series
WHERE document_id IN (SELECT id FROM temp.refresh);
CREATE TEMP TABLE lines_to_rank AS SELECT DISTINCT * FROM temp.stale_lines;

-- `coverage_view` counted from the table rather than the view again (3× faster), for the categories and
-- periods of the lines ranked again (every one in a cold build; the rest are kept): read in the table's
-- own order (NOT INDEXED), which is the view's, so each group's documents and relations are listed as
-- the view lists them. Keyed by category and period, so its rows are in that order however they came.
CREATE TABLE IF NOT EXISTS coverage (
  canonical_category TEXT NOT NULL, period_start NOT NULL, period_end NOT NULL, figures, documents, relations,
  PRIMARY KEY (canonical_category, period_start, period_end)
) WITHOUT ROWID;
CREATE TEMP TABLE coverage_to_count AS
SELECT DISTINCT canonical_category, period_start, period_end FROM temp.lines_to_rank;
DELETE FROM coverage WHERE (canonical_category, period_start, period_end) IN (SELECT * FROM temp.coverage_to_count);
INSERT INTO coverage
SELECT canonical_category, period_start, period_end, count(*) AS figures,
       group_concat(DISTINCT document_id) AS documents, group_concat(DISTINCT relation) AS relations
FROM series NOT INDEXED
WHERE (canonical_category, period_start, period_end) IN (SELECT * FROM temp.coverage_to_count)
GROUP BY canonical_category, period_start, period_end;
DROP TABLE temp.coverage_to_count;
CREATE TABLE IF NOT EXISTS period_values (
  canonical_category TEXT, area, measure TEXT, unit TEXT, period_start, period_end, length TEXT, value, caveat,
  relation, derived, status, document_id TEXT, figure_id INT, figures, agree, district TEXT
);
DELETE FROM period_values WHERE EXISTS (
    SELECT 1 FROM temp.lines_to_rank g
    WHERE g.canonical_category IS period_values.canonical_category AND g.area IS period_values.area
      AND g.measure IS period_values.measure AND g.unit IS period_values.unit
      AND g.period_start IS period_values.period_start AND g.period_end IS period_values.period_end);
INSERT INTO period_values
WITH ranked AS (
    SELECT s.canonical_category, s.area, s.measure, s.unit, s.period_start, s.period_end, p.length, s.value,
           s.caveat, s.relation, s.derived, s.status, s.document_id, s.figure_id,
           row_number() OVER line AS n, count(*) OVER line AS figures,
           min(s.value) OVER line = max(s.value) OVER line AS agree
    FROM temp.lines_to_rank g
    JOIN series s ON s.canonical_category IS g.canonical_category AND s.area IS g.area
         AND s.measure IS g.measure AND s.unit IS g.unit AND s.period_start IS g.period_start
         AND s.period_end IS g.period_end
    JOIN periods p ON p.start = s.period_start AND p."end" = s.period_end
    LEFT JOIN documents d ON d.id = s.document_id
    WHERE s.relation IN ('same', 'sum_of')
    WINDOW line AS (PARTITION BY s.canonical_category, s.area, s.measure, s.unit, s.period_start, s.period_end
                    ORDER BY s.derived, s.relation != 'same', s.status = 'flagged', d.published DESC,
                             d.period_end DESC, s.document_id DESC, s.figure_id, s.rowid
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT canonical_category, area, measure, unit, period_start, period_end, length, value, caveat, relation,
       derived, status, document_id, figure_id, figures, agree,
       (SELECT min(x.district) FROM line_districts x WHERE x.canonical_category IS r.canonical_category
        AND x.area IS r.area AND x.measure IS r.measure) AS district
FROM ranked r WHERE n = 1;
DROP TABLE temp.lines_to_rank;
-- a line's first district, a function of the line alone (so both periods of a line are under one district),
-- set again on kept rows whose line a changed report printed in another district
UPDATE period_values SET district = (
    SELECT min(x.district) FROM line_districts x WHERE x.canonical_category IS period_values.canonical_category
      AND x.area IS period_values.area AND x.measure IS period_values.measure)
WHERE district IS NOT (
    SELECT min(x.district) FROM line_districts x WHERE x.canonical_category IS period_values.canonical_category
      AND x.area IS period_values.area AND x.measure IS period_values.measure);
-- Which districts have a value for each period (by unit and length): comparing two periods reads the lines
-- of only the districts with a value for both, so its work follows the rows it gives, not the archive's size.
DROP TABLE IF EXISTS period_districts;
CREATE TABLE period_districts AS SELECT DISTINCT period_start, unit, length, district FROM period_values;
CREATE INDEX period_districts_period ON period_districts(period_start, unit, length, district);
-- the earlier period's lines of one district (the index alone: a row is read only for a line found in
-- both periods), then its partner by line, unit, length and start
DROP INDEX IF EXISTS period_values_start;
CREATE INDEX IF NOT EXISTS period_values_district
    ON period_values(period_start, unit, district, length, canonical_category, area, measure);
CREATE INDEX IF NOT EXISTS period_values_line ON period_values(canonical_category, area, measure, unit, length, period_start);
