-- The passages `find_a_passage` and the site's search look in (the view `passages`, schema/schema.sql),
-- indexed on their own (contentless: rowid = blocks.id, the text stays in `blocks`), so the index ranks
-- and limits its matches itself and only the best are joined to their reports. Filled once every
-- document is in (extract/store/load.py). A build kept from the previous archive keeps the index, less
-- the passages of the documents it deletes (extract/store/incremental.py), and adds those after it.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(text, content='');
INSERT INTO passages_fts(rowid, text)
SELECT id, text FROM passages WHERE id > (SELECT coalesce(max(id), 0) FROM passages_fts_docsize)
ORDER BY id;
