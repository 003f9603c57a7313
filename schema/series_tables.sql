-- `series` and `coverage` as tables, copied from their views (schema/harmonise.sql) at the end of the
-- build, once every figure and derived figure is in: the column names are the views', so queries,
-- the site and the canned queries read them unchanged. Indexed on what they filter and group on.
-- Then the tables aggregated from them once at build time (lines, period_values, facet_counts), so the
-- home page, comparing two periods and facet counts cost the same however many reports there are.

CREATE TABLE series AS SELECT * FROM series_view;
-- a trend line in the order trend_for_a_category gives it (also the site's trend page and its list of lines)
CREATE INDEX series_line ON series(canonical_category, area, measure, period_start, period_end, derived, relation);
CREATE INDEX series_canonical_line ON series(canonical_id, area, measure, period_start);
-- the figures of one period, by relation and unit (a filter on the series table's page)
CREATE INDEX series_period ON series(period_start, relation, unit);
CREATE INDEX series_document ON series(document_id);
CREATE INDEX series_figure ON series(figure_id);

-- `coverage_view` counted from the table rather than the view again (3× faster): read in the table's own
-- order (NOT INDEXED), which is the view's, so each group's documents and relations are listed as the view lists them.
CREATE TABLE coverage AS
SELECT canonical_category, period_start, period_end, count(*) AS figures,
       group_concat(DISTINCT document_id) AS documents, group_concat(DISTINCT relation) AS relations
FROM series NOT INDEXED
GROUP BY canonical_category, period_start, period_end
ORDER BY canonical_category, period_start;
CREATE INDEX coverage_category ON coverage(canonical_category, period_start, period_end);

-- Every trend line once, with its number of points and first and last days: the home page's and the
-- trend page's list of lines, read rather than counted over `series`.
CREATE TABLE lines AS
SELECT canonical_category, area, measure, count(*) AS points, min(period_start) AS first, max(period_end) AS last
FROM series GROUP BY canonical_category, area, measure;
CREATE INDEX lines_line ON lines(canonical_category, area, measure);

-- One value per trend line, unit and period, for comparing two periods (what_changed_between_two_periods):
-- of the figures printed for it whose category is the canonical one (relation same) or a sum of it, a
-- printed figure before a derived one, the canonical category itself before a sum, an unflagged figure
-- before a flagged one, then the latest published report's (a restated figure). `figures` says how many there
-- were and `agree` whether they all gave this value; `length` (periods.length) is what a period must
-- share with another to be compared: a year with a year (365 or 366 days), a quarter with a quarter.
CREATE TABLE period_values AS
WITH ranked AS (
    SELECT s.canonical_category, s.area, s.measure, s.unit, s.period_start, s.period_end, p.length, s.value,
           s.caveat, s.relation, s.derived, s.status, s.document_id, s.figure_id,
           row_number() OVER line AS n, count(*) OVER line AS figures,
           min(s.value) OVER line = max(s.value) OVER line AS agree
    FROM series s
    JOIN periods p ON p.start = s.period_start AND p."end" = s.period_end
    LEFT JOIN documents d ON d.id = s.document_id
    WHERE s.relation IN ('same', 'sum_of')
    WINDOW line AS (PARTITION BY s.canonical_category, s.area, s.measure, s.unit, s.period_start, s.period_end
                    ORDER BY s.derived, s.relation != 'same', s.status = 'flagged', d.published DESC,
                             d.period_end DESC, s.document_id DESC, s.figure_id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT canonical_category, area, measure, unit, period_start, period_end, length, value, caveat, relation,
       derived, status, document_id, figure_id, figures, agree
FROM ranked WHERE n = 1;
-- the earlier period, then its partner by line, unit, length and start
CREATE INDEX period_values_start ON period_values(period_start, unit);
CREATE INDEX period_values_line ON period_values(canonical_category, area, measure, unit, length, period_start);

-- The planner's statistics before `facts` is read whole: without them it looks a figure's failed checks up
-- by scanning every failed check (4.4 s at ×20) rather than through check_figures_figure (0.15 s).
ANALYZE;

-- Facts counted by each facet the site offers on `facts` (report, category, area, period label, unit,
-- status) within each canonical category (NULL: under none): a facet's counts, for the whole archive or
-- one canonical category, are read here rather than counted over every figure (`facts` read once).
CREATE TEMP TABLE facet_source AS
SELECT document_id, canonical_category, category, area, period_label, unit, status FROM facts;
CREATE TABLE facet_counts AS
SELECT 'document_id' AS facet, canonical_category, document_id AS value, count(*) AS facts FROM facet_source GROUP BY 2, 3
UNION ALL SELECT 'category', canonical_category, category, count(*) FROM facet_source GROUP BY 2, 3
UNION ALL SELECT 'area', canonical_category, area, count(*) FROM facet_source GROUP BY 2, 3
UNION ALL SELECT 'period_label', canonical_category, period_label, count(*) FROM facet_source GROUP BY 2, 3
UNION ALL SELECT 'unit', canonical_category, unit, count(*) FROM facet_source GROUP BY 2, 3
UNION ALL SELECT 'status', canonical_category, status, count(*) FROM facet_source GROUP BY 2, 3;
DROP TABLE facet_source;
CREATE INDEX facet_counts_facet ON facet_counts(facet, canonical_category, value);

ANALYZE;
