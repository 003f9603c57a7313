-- The passages `find_a_passage` and the site's search look in (the view `passages`, schema/schema.sql),
-- indexed on their own (contentless: rowid = blocks.id, the text stays in `blocks`), so the index ranks
-- and limits its matches itself and only the best are joined to their reports. Filled once every
-- document is in (extract/store/load.py). A build kept from the previous archive keeps the index, less
-- the passages of the documents it deletes (extract/store/incremental.py), and adds those after it.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(text, content='');

-- Every term the index holds, once, as its tokenizer folds it (lower case, no diacritics), so
-- `find_a_passage` (datasette/canned_queries.yml) can turn a word typed as the start of one into the
-- whole terms it begins, an index search here; the index then reads their matches lazily, latest
-- first, up to its limit, rather than merging every match of every term the word begins (3× slower
-- at ×20). When the list is empty (a cold build, or a rebuild that deleted passages: extract/store/
-- incremental.py empties it) it is read from the whole index once that is filled; otherwise from an
-- index of just the passages about to be added, dropped after.
CREATE TEMP TABLE terms_listed AS SELECT EXISTS (SELECT 1 FROM passage_terms) AS listed;
CREATE VIRTUAL TABLE temp.passages_new USING fts5(text, content='');
INSERT INTO temp.passages_new(rowid, text)
SELECT id, text FROM passages
WHERE (SELECT listed FROM temp.terms_listed) AND id > (SELECT coalesce(max(id), 0) FROM passages_fts_docsize);
CREATE VIRTUAL TABLE temp.passages_new_terms USING fts5vocab(temp, passages_new, 'row');
INSERT OR IGNORE INTO passage_terms SELECT term FROM temp.passages_new_terms;
DROP TABLE temp.passages_new_terms;
DROP TABLE temp.passages_new;

INSERT INTO passages_fts(rowid, text)
SELECT id, text FROM passages WHERE id > (SELECT coalesce(max(id), 0) FROM passages_fts_docsize)
ORDER BY id;

CREATE VIRTUAL TABLE temp.passages_terms USING fts5vocab(main, passages_fts, 'row');
INSERT OR IGNORE INTO passage_terms
SELECT term FROM temp.passages_terms WHERE NOT (SELECT listed FROM temp.terms_listed);
DROP TABLE temp.passages_terms;
DROP TABLE temp.terms_listed;
ANALYZE passage_terms;  -- filled after the build's ANALYZE (extract/store/statistics.py)
