-- csp-archive database schema. Built by extract/load.py with sqlite-utils.
-- Printed figures live in `figures` (one row per number as printed, with provenance);
-- the `facts` view is the public contract (see README.md). Derived and harmonised values
-- sit beside the printed ones and say so (status, notes, derived_figures).

CREATE TABLE documents (
    id TEXT PRIMARY KEY,            -- manifest id, e.g. 2021-22-strategic-assessment
    title TEXT NOT NULL,
    kind TEXT NOT NULL,             -- strategic_assessment | performance_review | delivery_plan | strategy | ...
    publisher TEXT,
    area TEXT,
    district TEXT,                  -- in a corpus of several districts, the one it reports on (districts.id)
    period_start TEXT,              -- what the report covers (ISO dates)
    period_end TEXT,
    published TEXT,                 -- a date or a year
    source_url TEXT,
    rendition TEXT,                 -- e.g. "PDF typeset from the text edition"
    notes TEXT
);

-- A corpus of several districts: each one, as its manifest declares it (empty for a corpus of one).
CREATE TABLE districts (
    id TEXT PRIMARY KEY,            -- as documents name it (documents.district, areas.district)
    name TEXT NOT NULL,
    areas TEXT                      -- its areas file, relative to the corpus
);

CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    path TEXT NOT NULL UNIQUE,      -- relative to the corpus: pdf/2021-22-strategic-assessment.pdf
    format TEXT NOT NULL,           -- text | pdf
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER,
    role TEXT NOT NULL,             -- primary (its figures are the document's facts) | compared | unread
    status TEXT NOT NULL,           -- read | failed | skipped
    error TEXT
);

CREATE TABLE blocks (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    seq INTEGER NOT NULL,           -- reading order within the file
    kind TEXT NOT NULL,             -- heading | paragraph | list_item | caption | footnote | table
    text TEXT,
    level INTEGER,
    marker TEXT,                    -- a footnote's own label
    footnotes TEXT,                 -- JSON list of marker labels in the text
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    char_start INTEGER,
    char_end INTEGER,
    UNIQUE (file_id, seq)
);

CREATE TABLE tables (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    block_id INTEGER REFERENCES blocks(id),
    seq INTEGER NOT NULL,           -- order of the table in the file (0-based)
    label TEXT,                     -- "Figure 1", else the first header cell or the heading above
    caption TEXT,
    heading TEXT,
    n_rows INTEGER, n_cols INTEGER, header_rows INTEGER, label_cols INTEGER,
    method TEXT,                    -- text | lattice | stream | pdfplumber-text
    period_start TEXT, period_end TEXT,
    pages TEXT,                     -- JSON list
    repairs TEXT,                   -- JSON list: header repairs made on evidence, with the evidence
    UNIQUE (file_id, seq)
);

-- How each stored table was found, as camelot's parsing report gives it (one row per table).
CREATE TABLE table_reports (
    table_id INTEGER PRIMARY KEY REFERENCES tables(id),
    strategy TEXT NOT NULL,         -- ruled | camelot | aligned (PDFs), markdown (text renditions)
    flavor TEXT NOT NULL,           -- pdfplumber-lines | lattice | aligned-text | tab-separated
    page INTEGER,                   -- the page it starts on (PDFs)
    page_order INTEGER,             -- 1-based order on its page (PDFs) or in the file (text)
    n_rows INTEGER, n_cols INTEGER,
    accuracy REAL,                  -- camelot's accuracy (% of the page's text inside cells), else NULL
    fill_ratio REAL,                -- non-empty cells / cells
    whitespace REAL,                -- % of cells that are empty
    x0 REAL, top REAL, x1 REAL, bottom REAL
);

CREATE TABLE cells (
    id INTEGER PRIMARY KEY,
    table_id INTEGER NOT NULL REFERENCES tables(id),
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    is_header INTEGER NOT NULL,
    text TEXT,
    raw TEXT,
    footnotes TEXT,
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    UNIQUE (table_id, row, col)
);

CREATE TABLE footnotes (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    marker TEXT NOT NULL,
    text TEXT
);

CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    source_file TEXT NOT NULL,
    source_kind TEXT NOT NULL,      -- table | text
    key TEXT NOT NULL,              -- stable within the file: t3r2c5, or b17s0n2 for prose
    table_id INTEGER REFERENCES tables(id),
    cell_id INTEGER REFERENCES cells(id),
    block_id INTEGER REFERENCES blocks(id),
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    char_start INTEGER, char_end INTEGER,
    table_label TEXT, row_label TEXT, column_label TEXT,
    category TEXT, area TEXT, measure TEXT,
    subject TEXT,                   -- what is counted, a short phrase as printed
    direction TEXT,                 -- increase | decrease | none (a change's direction; see README)
    base TEXT,                      -- the base where stated: "per 1,000 people", "of all crime"
    period_label TEXT, period_start TEXT, period_end TEXT,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    raw TEXT,                       -- the token as printed: "1,382", "67 (14%)"
    quote TEXT,
    qualifier TEXT,
    method TEXT,
    status TEXT NOT NULL DEFAULT 'ok',  -- as read: ok | flagged (a check made while reading failed); facts adds later checks
    notes TEXT,                     -- JSON list: repairs, inferences, failed checks
    footnotes TEXT,                 -- JSON list of footnote markers printed with it
    category_id TEXT,               -- categories.id (schema/categories.csv), decided when read
    canonical_id TEXT,              -- canonical_categories.id through the crosswalk's primary relation
    canonical_category TEXT,
    canonical_relation TEXT,        -- same | part_of | overlaps | sum_of
    category_via TEXT,              -- how it was mapped: NULL (the label), 'total' (a total row's subject)
    area_id INTEGER,                -- areas.id of the area as printed
    UNIQUE (file_id, key)
);
CREATE INDEX figures_document ON figures(document_id);
CREATE INDEX figures_category ON figures(category);
CREATE INDEX figures_period ON figures(period_start, period_end);
CREATE INDEX figures_canonical ON figures(canonical_category);

CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    file_id INTEGER REFERENCES files(id),
    table_id INTEGER REFERENCES tables(id),
    kind TEXT NOT NULL,             -- column_total | row_total | variance | percent_change | truncated | text_vs_pdf | ...
    description TEXT NOT NULL,
    expected REAL,
    printed REAL,
    passed INTEGER NOT NULL,
    nature TEXT                     -- source (the report disagrees with itself) | reading (doubt in our reading) | rounding (equal at the printed precision)
);
CREATE INDEX checks_document ON checks(document_id, passed);

CREATE TABLE check_figures (
    check_id INTEGER NOT NULL REFERENCES checks(id),
    figure_id INTEGER NOT NULL REFERENCES figures(id),
    PRIMARY KEY (check_id, figure_id)
);
-- a figure's failed checks, looked up per row by `facts` (its status), so one report's facts cost the same
-- however many failed checks the archive holds
CREATE INDEX check_figures_figure ON check_figures(figure_id, check_id);

CREATE TABLE build_info (
    key TEXT PRIMARY KEY,
    value TEXT
);

-- What the partnership promised and reported: themes, aims, objectives, activities, measures,
-- outcomes, targets, pledges and achievements, one row per bullet or table-cell item, as printed.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    source_file TEXT NOT NULL,
    key TEXT NOT NULL,              -- stable within the file
    plan_period TEXT,               -- as printed: 2023/24, 2005-2008
    period_start TEXT, period_end TEXT,
    theme TEXT,                     -- the priority theme as printed
    theme_id TEXT,                  -- the theme crosswalk's id (schema/theme_crosswalk.csv), linking years
    item_kind TEXT NOT NULL CHECK (item_kind IN ('priority', 'aim', 'objective', 'priority_focus', 'activity',
                                   'measure', 'outcome', 'target', 'pledge', 'achievement')),
    text TEXT NOT NULL,             -- as printed, whitespace collapsed
    lead_partners TEXT,             -- the lead partners cell as printed
    parent_id INTEGER REFERENCES commitments(id),  -- the aim or row an item belongs to
    table_id INTEGER REFERENCES tables(id),
    block_id INTEGER REFERENCES blocks(id),
    row INTEGER,                    -- the table row it was read from
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    UNIQUE (file_id, key)
);
CREATE INDEX commitments_document ON commitments(document_id, item_kind);
CREATE INDEX commitments_theme ON commitments(theme_id);
-- a plan period's commitments in order (promised_and_reported_after), not every plan's
CREATE INDEX commitments_period ON commitments(period_start, id);

-- One row per partner per commitment, the name normalised through schema/partners.csv.
CREATE TABLE commitment_partners (
    commitment_id INTEGER NOT NULL REFERENCES commitments(id),
    partner TEXT NOT NULL,          -- the normalised name
    printed TEXT NOT NULL,          -- as printed in the lead partners cell
    evidence TEXT,                  -- why the printed name is that partner
    PRIMARY KEY (commitment_id, partner)
);

-- A later report's achievement, statement or figure that speaks to a commitment: a claim to check.
CREATE TABLE commitment_links (
    commitment_id INTEGER NOT NULL REFERENCES commitments(id),
    rank INTEGER NOT NULL,          -- 1 is the strongest of the commitment's links
    target_kind TEXT NOT NULL,      -- commitment | figure | block | none (no later evidence: the reason says why)
    target_id INTEGER,              -- the achievement, figure or block; NULL for none
    document_id TEXT REFERENCES documents(id),  -- the later report
    reason TEXT NOT NULL,           -- in words: the key terms, words and theme shared, or why there is no link
    strength REAL NOT NULL,         -- 0..1 (0 for none)
    evidence TEXT,                  -- the evidence as printed: whole sentences, or a table row's figures
    PRIMARY KEY (commitment_id, rank)
);

-- The passages `find_a_passage` and the site's search look in (schema/search.sql indexes them):
-- headings, paragraphs, list items and captions of each report's primary rendition, each once.
CREATE VIEW passages AS
SELECT b.id, b.file_id, b.text FROM blocks b JOIN files f ON f.id = b.file_id AND f.role = 'primary'
WHERE b.kind != 'table' AND b.text IS NOT NULL;

-- Every term of the passages' index once, as its tokenizer folds it (schema/search.sql lists them):
-- `find_a_passage` looks up the whole terms a typed word begins.
CREATE TABLE passage_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;

-- Figures some failed check involves: facts shows them as 'flagged' (stored figures never change).
CREATE VIEW flagged_figures AS
SELECT DISTINCT cf.figure_id FROM check_figures cf JOIN checks c ON c.id = cf.check_id WHERE c.passed = 0;

-- A prose figure equal to a table figure of the same category, period and area in one report.
CREATE VIEW corroborations AS
SELECT p.figure_id AS figure_id, t.figure_id AS table_figure_id, c.id AS check_id
FROM checks c
JOIN check_figures p ON p.check_id = c.id JOIN figures pf ON pf.id = p.figure_id AND pf.source_kind = 'text'
JOIN check_figures t ON t.check_id = c.id JOIN figures tf ON tf.id = t.figure_id AND tf.source_kind = 'table'
WHERE c.kind = 'prose_matches_table';

-- The public contract: one row per printed figure (columns listed in README.md).
CREATE VIEW facts AS
SELECT
    f.id AS fact_id,
    f.document_id,
    f.source_file,
    f.source_kind,
    f.page,
    f.x0, f.top, f.x1, f.bottom,
    f.table_label,
    coalesce(co.row_label, f.row_label) AS row_label,
    f.column_label,
    coalesce(co.category, f.category) AS category,
    f.canonical_category,
    f.canonical_relation,
    coalesce(co.area, f.area) AS area,
    f.measure,
    f.subject,
    f.direction,
    f.base,
    f.period_label,
    coalesce(co.period_start, f.period_start) AS period_start,
    coalesce(co.period_end, f.period_end) AS period_end,
    coalesce(co.value, f.value) AS value,
    f.unit,
    f.raw,
    f.quote,
    f.qualifier,
    CASE WHEN co.id IS NOT NULL THEN 'corrected'
         WHEN EXISTS (SELECT 1 FROM check_figures cf JOIN checks c ON c.id = cf.check_id AND c.passed = 0
                      WHERE cf.figure_id = f.id) THEN 'flagged' ELSE f.status END AS status,
    f.notes,
    f.method,
    f.char_start,
    f.char_end,
    f.table_id,
    f.cell_id,
    f.value AS printed_value,      -- as printed; value differs only where a correction applies
    co.id AS correction_id         -- corrections.id (corpus/corrections.yaml)
FROM figures f
JOIN files fi ON fi.id = f.file_id
LEFT JOIN corrections co ON co.figure_id = f.id AND co.state = 'applied'
WHERE fi.role = 'primary';

-- The facts for people to read: value first, then what, when, where, which report and page, the quote;
-- ids and coordinates last.
CREATE VIEW figures_readable AS
SELECT f.value, f.unit, coalesce(f.subject, f.category) AS subject, f.category, f.period_label, f.area,
       d.title AS report, f.page, f.quote, f.status, f.measure, f.period_start, f.period_end,
       f.document_id, f.source_file, f.table_label, f.row_label, f.column_label, f.fact_id,
       (SELECT value FROM build_info WHERE key = 'version') AS archive_version,
       (SELECT value FROM build_info WHERE key = 'built') AS archive_built
FROM facts f JOIN documents d ON d.id = f.document_id;

-- Reviewed corrections (corpus/corrections.yaml), stored beside the figure each names; the printed
-- figure is never changed. state: applied | unmatched | ambiguous (the last two are failed checks).
CREATE TABLE corrections (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    figure_id INTEGER REFERENCES figures(id),
    state TEXT NOT NULL,
    target TEXT NOT NULL,           -- the figure named, in words
    value REAL, row_label TEXT, period_start TEXT, period_end TEXT, area TEXT, category TEXT,
    reason TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    matched TEXT                    -- JSON list of the figures.id that matched
);
CREATE INDEX corrections_figure ON corrections(figure_id, state);

-- Indexes for what the `series` view, `coverage`, the canned queries and the site's facets filter
-- on (a filter on the views is pushed down into figures; see benchmarks/bench_queries.py).
CREATE INDEX figures_measure_area ON figures(measure, area);
CREATE INDEX figures_category_id ON figures(category_id);
CREATE INDEX figures_unit_measure ON figures(unit, measure);
-- The canned queries' orders, so a LIMIT stops early instead of sorting the archive: the reports'
-- files by document (find_a_passage), commitments by document and id (what_was_promised, which reads
-- commitments first: a cross join), failed checks by document and id (failed_checks).
CREATE INDEX files_document ON files(document_id, role);
CREATE INDEX commitments_document_order ON commitments(document_id);
CREATE INDEX checks_failed ON checks(passed, document_id);

-- Sums derived from one report's figures (extract/store/harmonise.py: 4a = 4a1 + 4a2, a region from its
-- parishes), made as the report is stored, so they belong to it like its figures (kept by an incremental build).
CREATE TABLE derived_figures (
    id INTEGER PRIMARY KEY,
    document_id TEXT REFERENCES documents(id), source_file TEXT, table_id INTEGER REFERENCES tables(id),
    canonical_id TEXT REFERENCES canonical_categories(id), canonical_category TEXT,
    area TEXT, area_id INTEGER REFERENCES areas(id), measure TEXT,
    period_start TEXT, period_end TEXT, value REAL, unit TEXT,
    derivation TEXT,                -- what was added up: "4a = 4a1 + 4a2", "region = sum of its parishes"
    derived_from TEXT               -- JSON list of figures.id
);
-- The derived arm of `series`, filtered like the printed one (benchmarks/bench_queries.py).
CREATE INDEX derived_figures_line ON derived_figures(canonical_category, measure, area);
CREATE INDEX derived_figures_document ON derived_figures(document_id);
