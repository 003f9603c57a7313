-- The passages `find_a_passage` and the site's search look in: headings, paragraphs, list items and
-- captions of each report's primary rendition (each passage once), indexed on their own (contentless:
-- rowid = blocks.id, the text stays in `blocks`), so the index ranks and limits its matches itself and
-- only the best are joined to their reports. Filled once every document is in (extract/store/load.py).
CREATE VIRTUAL TABLE passages_fts USING fts5(text, content='');
INSERT INTO passages_fts(rowid, text)
SELECT b.id, b.text FROM blocks b JOIN files f ON f.id = b.file_id AND f.role = 'primary'
WHERE b.kind != 'table' AND b.text IS NOT NULL
ORDER BY b.id;
