-- Facts counted by facet (schema/facet_delta.sql) within each canonical category (NULL: under none): a
-- facet's counts, for the whole archive or one canonical category, are read here rather than counted over
-- every figure (extract/publish/facets.py). temp.facet_delta is added to the counts kept; a count come
-- to 0 goes. Then the planner's statistics of the table.
CREATE TABLE IF NOT EXISTS facet_counts (facet, canonical_category TEXT, value TEXT, facts);
CREATE INDEX IF NOT EXISTS facet_counts_facet ON facet_counts(facet, canonical_category, value);
CREATE TEMP TABLE facet_sums AS
SELECT facet, canonical_category, value, sum(facts) AS facts FROM temp.facet_delta GROUP BY 1, 2, 3;
CREATE INDEX temp.facet_sums_key ON facet_sums(facet, canonical_category, value);
UPDATE facet_counts SET facts = facts + (
    SELECT d.facts FROM temp.facet_sums d WHERE d.facet = facet_counts.facet
       AND d.canonical_category IS facet_counts.canonical_category AND d.value IS facet_counts.value)
WHERE EXISTS (
    SELECT 1 FROM temp.facet_sums d WHERE d.facet = facet_counts.facet
       AND d.canonical_category IS facet_counts.canonical_category AND d.value IS facet_counts.value);
INSERT INTO facet_counts
SELECT * FROM temp.facet_sums d WHERE NOT EXISTS (
    SELECT 1 FROM facet_counts c WHERE c.facet = d.facet
       AND c.canonical_category IS d.canonical_category AND c.value IS d.value);
DELETE FROM facet_counts WHERE facts = 0;
DROP TABLE temp.facet_sums;
DELETE FROM temp.facet_delta;
ANALYZE facet_counts;
