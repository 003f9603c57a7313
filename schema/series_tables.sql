-- `series` and `coverage` as tables, copied from their views (schema/harmonise.sql) at the end of the
-- build, once every figure and derived figure is in: the column names are the views', so queries,
-- the site and the canned queries read them unchanged. Indexed on what they filter and group on.

CREATE TABLE series AS SELECT * FROM series_view;
-- a trend line in the order trend_for_a_category gives it (also the site's trend page and its list of lines)
CREATE INDEX series_line ON series(canonical_category, area, measure, period_start, period_end, derived, relation);
CREATE INDEX series_canonical_line ON series(canonical_id, area, measure, period_start);
-- the earlier period of what_changed_between_two_periods; the later one is found by series_line
CREATE INDEX series_period ON series(period_start, relation, unit);
CREATE INDEX series_document ON series(document_id);
CREATE INDEX series_figure ON series(figure_id);

CREATE TABLE coverage AS SELECT * FROM coverage_view;
CREATE INDEX coverage_category ON coverage(canonical_category, period_start, period_end);

ANALYZE;
