-- Facts counted by each facet the site offers on `facts` (report, category, area, period label, unit,
-- status) within each canonical category (NULL: under none): a facet's counts, for the whole archive or
-- one canonical category, are read here rather than counted over every figure. The refreshed reports'
-- facts are counted (schema/facet_delta.sql) and added to what is kept; a count come to 0 goes.
INSERT INTO temp.facet_documents SELECT id, 1 FROM temp.refresh;
DROP TABLE temp.refresh;
