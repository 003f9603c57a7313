-- Vocabulary tables (filled from schema/*.csv by extract/store/harmonise.py) and the trend views.

CREATE TABLE schemes (
    scheme TEXT PRIMARY KEY, name TEXT, description TEXT, source TEXT,
    total_canonical TEXT, total_relation TEXT
);
CREATE TABLE canonical_categories (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT, parent TEXT REFERENCES canonical_categories(id)
);
CREATE TABLE categories (
    id TEXT PRIMARY KEY, scheme TEXT NOT NULL REFERENCES schemes(scheme), code TEXT, label TEXT NOT NULL, variants TEXT
);
CREATE TABLE crosswalk (
    category TEXT NOT NULL REFERENCES categories(id),
    canonical TEXT NOT NULL REFERENCES canonical_categories(id),
    relation TEXT NOT NULL CHECK (relation IN ('same', 'part_of', 'overlaps', 'sum_of')),
    caveat TEXT, source TEXT,
    PRIMARY KEY (category, canonical)
);
CREATE TABLE period_caveats (start TEXT, "end" TEXT, applies_to TEXT, caveat TEXT, source TEXT);
-- Each kind of check in words (schema/check_kinds.csv): report (the report disagrees with itself) or reading.
CREATE TABLE check_kinds (kind TEXT PRIMARY KEY, words TEXT NOT NULL, about TEXT NOT NULL);
CREATE TABLE areas (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_id INTEGER REFERENCES areas(id), variants TEXT,
    district TEXT,  -- the district whose areas file names it (NULL: shared, or a corpus of one district)
    UNIQUE (name, district)
);
CREATE TABLE periods (
    id INTEGER PRIMARY KEY, start TEXT NOT NULL, "end" TEXT NOT NULL, kind TEXT, days INTEGER,
    length TEXT,                    -- what two periods must share to be compared: '12 months', '3 months', '45 days'
    UNIQUE (start, "end")
);

-- One row per figure that can sit on a trend line: each printed figure once per crosswalk relation
-- of its category (a 2003/04 "woundings" figure appears under violence with injury as 'overlaps'
-- and under violence against the person as 'part_of'), plus derived values, marked as such. A reviewed
-- correction's value, period and area show as in `facts`, with status 'corrected' (a corrected
-- category does not move the figure to another line; derived sums add the printed values).
-- `figure_id` names a printed row's figure, `derived_id` a derived row's derived_figures.id. Defined here as `series_view`;
-- the build copies it into the table `series` once every figure is in
-- (schema/series_tables.sql), so a trend line is an index search, not an aggregate over the archive.
-- A figure is flagged when a failed check involves it (the `flagged_figures` view), looked up through
-- its own check_figures rows as `facts` does (CROSS JOIN keeps that order before the planner has
-- statistics), so one report's rows cost its own figures.
CREATE VIEW series_view AS
WITH printed AS (
    SELECT f.id AS figure_id, f.document_id, f.source_file, f.source_kind, f.category, f.area_id,
           -- a table's category as printed; a prose figure's, the category its words matched (its own noun
           -- phrase, "crimes", would make every part of a category one line)
           CASE WHEN f.source_kind = 'table' THEN f.category ELSE c.label END AS printed_category,
           CASE WHEN co.area IS NOT NULL THEN co.area
                WHEN f.area LIKE 'Total of %' THEN coalesce((SELECT a.name FROM areas a WHERE a.id = f.area_id), f.area)
                ELSE f.area END AS area, f.measure,
           coalesce(co.period_start, f.period_start) AS period_start, coalesce(co.period_end, f.period_end) AS period_end,
           coalesce(co.value, f.value) AS value, f.unit,
           CASE WHEN co.id IS NOT NULL THEN 'corrected'
                WHEN EXISTS (SELECT 1 FROM check_figures cf CROSS JOIN checks k ON k.id = cf.check_id
                             WHERE cf.figure_id = f.id AND k.passed = 0) THEN 'flagged' ELSE f.status END AS status, c.scheme,
           CASE WHEN f.category_via = 'total' THEN f.canonical_id ELSE x.canonical END AS canonical_id,
           CASE WHEN f.category_via = 'total' THEN f.canonical_relation ELSE x.relation END AS relation,
           CASE WHEN f.category_via = 'total' THEN NULL ELSE x.caveat END AS caveat
    FROM figures f
    JOIN files fi ON fi.id = f.file_id AND fi.role = 'primary'
    JOIN categories c ON c.id = f.category_id
    LEFT JOIN crosswalk x ON x.category = f.category_id AND f.category_via IS NULL
    LEFT JOIN corrections co ON co.figure_id = f.id AND co.state = 'applied'
    WHERE coalesce(co.period_start, f.period_start) IS NOT NULL
      AND (x.canonical IS NOT NULL OR f.category_via = 'total')
)
SELECT cc.label AS canonical_category, p.canonical_id,
       -- in a corpus of several districts a district's own areas are named with it ("Northvale: Rural"),
       -- so two districts' lines never meet; the districts themselves and the shared areas are not
       CASE WHEN dd.district IS NULL OR p.area IS NULL OR a.kind = 'district' OR (a.id IS NOT NULL AND a.district IS NULL)
            THEN coalesce(p.area, dd.area)
            ELSE coalesce(dn.name, dd.district) || ': ' || p.area END AS area, p.measure,
       p.period_start, p.period_end, p.value, p.unit, p.source_file, p.document_id, p.source_kind, p.scheme,
       p.relation,
       nullif(trim(coalesce(p.caveat, '') || ' ' || coalesce((
           SELECT group_concat(pc.caveat, ' ') FROM period_caveats pc
           WHERE pc.start <= p.period_end AND pc."end" >= p.period_start
             AND (pc.applies_to = 'all' OR pc.applies_to = cc.kind)), '')), '') AS caveat,
       0 AS derived, NULL AS derived_from, p.printed_category, p.status, p.figure_id, NULL AS derived_id
FROM printed p JOIN canonical_categories cc ON cc.id = p.canonical_id
LEFT JOIN documents dd ON dd.id = p.document_id
LEFT JOIN areas a ON a.id = p.area_id
LEFT JOIN districts dn ON dn.id = dd.district
UNION ALL
SELECT d.canonical_category, d.canonical_id,
       CASE WHEN dd.district IS NULL OR d.area IS NULL OR a.kind = 'district' OR (a.id IS NOT NULL AND a.district IS NULL)
            THEN d.area
            ELSE coalesce(dn.name, dd.district) || ': ' || d.area END, d.measure, d.period_start, d.period_end, d.value, d.unit,
       d.source_file, d.document_id, 'derived', NULL, 'same', d.derivation, 1, d.derived_from, NULL, 'derived', NULL, d.id
FROM derived_figures d
LEFT JOIN documents dd ON dd.id = d.document_id
LEFT JOIN areas a ON a.id = d.area_id
LEFT JOIN districts dn ON dn.id = dd.district;

-- Which periods each canonical category has, and from which reports (`coverage_view`, copied into
-- the table `coverage` at the end of the build like `series`).
CREATE VIEW coverage_view AS
SELECT canonical_category, period_start, period_end, count(*) AS figures,
       group_concat(DISTINCT document_id) AS documents, group_concat(DISTINCT relation) AS relations
FROM series_view
GROUP BY canonical_category, period_start, period_end
ORDER BY canonical_category, period_start;
