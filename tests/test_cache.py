"""The document cache holds JSON data checked against the file digest it claims, never code."""

import json

from extract.corpus.cache import DocumentCache
from extract.model import Block, Cell, Document, Table


def a_document(name: str) -> Document:
    table = Table(rows=[[Cell("Area"), Cell("2021/22")], [Cell("Winchester", bbox=(1.0, 2.0, 3.0, 4.0)), Cell("12")]])
    return Document(
        source_file=name,
        blocks=[Block("paragraph", "Crime fell by 4%.", page=1), Block("table", table=table)],
        footnotes={"1": "A note."},
        pages=1,
    )


def test_a_cached_document_comes_back_equal(tmp_path):
    cache = DocumentCache(tmp_path)
    doc = a_document("text/a.txt")
    assert cache.get_or_read("a" * 64, "text", lambda: doc) == doc
    again = cache.get_or_read("a" * 64, "text", lambda: (_ for _ in ()).throw(AssertionError("read again")))
    assert again == doc
    assert not list(tmp_path.glob("*.pickle"))


def test_corrupt_and_foreign_entries_are_read_again(tmp_path):
    cache = DocumentCache(tmp_path)
    cache.put("a" * 64, "text", a_document("text/a.txt"))
    cache.put("b" * 64, "text", a_document("text/b.txt"))
    path_a, path_b = cache._path("a" * 64, "text"), cache._path("b" * 64, "text")
    data_a, data_b = path_a.read_text(), path_b.read_text()
    path_a.write_text(data_b)  # swapped entries: each claims another file's digest
    path_b.write_text(data_a)
    assert cache.get("a" * 64, "text") is None and cache.get("b" * 64, "text") is None
    path_a.write_text("{not json")
    assert cache.get("a" * 64, "text") is None
    entry = json.loads(data_a)
    entry["schema"] = 0
    path_a.write_text(json.dumps(entry))
    assert cache.get("a" * 64, "text") is None
    fresh = a_document("text/a.txt")
    assert cache.get_or_read("a" * 64, "text", lambda: fresh) == fresh


def test_an_unwritable_cache_warns_once_and_still_reads(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    warnings = []
    cache = DocumentCache(blocker, warn=warnings.append)
    doc = a_document("text/a.txt")
    assert cache.get_or_read("a" * 64, "text", lambda: doc) == doc
    assert cache.get_or_read("b" * 64, "text", lambda: doc) == doc
    assert len(warnings) == 1 and "cannot be written" in warnings[0]


def test_a_changed_vocabulary_file_makes_the_document_read_again(tmp_path, monkeypatch):
    import shutil

    from extract.corpus import cache as cache_module
    from extract.vocab import loader

    from .conftest import REPO

    schema = tmp_path / "schema"
    shutil.copytree(REPO / "schema", schema)
    monkeypatch.setattr(loader, "data_dir", lambda name: schema if name == "schema" else REPO / name)
    loader.vocabulary_digest.cache_clear()
    cache_module.reader_version.cache_clear()
    cache = DocumentCache(tmp_path / "cache")
    reads = []
    read = lambda: reads.append(1) or a_document("text/a.txt")  # noqa: E731
    cache.get_or_read("a" * 64, "text", read)
    cache.get_or_read("a" * 64, "text", read)
    assert len(reads) == 1
    values = schema / "values.yaml"
    values.write_text(values.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    loader.vocabulary_digest.cache_clear()
    cache_module.reader_version.cache_clear()
    try:
        cache.get_or_read("a" * 64, "text", read)
        assert len(reads) == 2
    finally:
        monkeypatch.undo()
        loader.vocabulary_digest.cache_clear()
        cache_module.reader_version.cache_clear()


def test_pdf_settings_are_validated():
    import pytest

    from extract.readers.settings import PdfSettings, settings_digest

    with pytest.raises(ValueError, match="margin"):
        PdfSettings(margin=0.6)
    with pytest.raises(ValueError, match="x_tolerance"):
        PdfSettings(x_tolerance=-1)
    assert settings_digest(PdfSettings()) != settings_digest(PdfSettings(x_tolerance=2.0))
