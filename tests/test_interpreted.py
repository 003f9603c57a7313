"""Interpretations cached by content: a rebuild interprets only files whose inputs changed, and the
archive is the same as one built with no cache."""

from __future__ import annotations

import sqlite3

from extract import pipeline
from extract.corpus.limits import ReadLimits

from .conftest import SMALL_REPORT, write_corpus

LATER = SMALL_REPORT.replace("2021/22", "2022/23").replace("\t205\t", "\t206\t")


def build(corpus, db, jobs: int = 1, **options):
    """A build in this process (one job), so that every interpretation is counted here; a worker
    interprets in a copy of it."""
    return pipeline.build(corpus, db, limits=ReadLimits(jobs=jobs), **options)


def _counting(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = pipeline.interpret

    def counted(doc, entry, timings):
        seen.append(entry.id)
        return real(doc, entry, timings)

    monkeypatch.setattr(pipeline, "interpret", counted)
    return seen


def _rows(db) -> dict[str, list]:
    con = sqlite3.connect(db)
    names = ("facts", "tables", "cells", "checks", "check_figures", "series", "derived_figures", "commitments")
    return {n: con.execute(f"select * from {n}").fetchall() for n in names}


def test_a_rebuild_interprets_only_the_added_report_and_gives_the_same_archive(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"first": SMALL_REPORT})
    cache, db = tmp_path / ".cache", tmp_path / "csp.db"
    seen = _counting(monkeypatch)
    build(corpus, db, source="text", cache_dir=cache)
    write_corpus(corpus, {"first": SMALL_REPORT, "second": LATER})
    build(corpus, db, source="text", cache_dir=cache)
    assert seen == ["first", "second"]
    cold = tmp_path / "cold.db"
    build(corpus, cold, source="text", cache_dir=None)
    assert seen[2:] == ["first", "second"]
    assert _rows(db) == _rows(cold) and _rows(db)["facts"]


def test_a_changed_period_or_district_areas_interprets_again(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"first": SMALL_REPORT})
    cache, db = tmp_path / ".cache", tmp_path / "csp.db"
    seen = _counting(monkeypatch)
    build(corpus, db, source="text", cache_dir=cache)
    manifest = corpus / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("2021-04-01", "2021-05-01"), encoding="utf-8")
    build(corpus, db, source="text", cache_dir=cache)
    (corpus / "areas.csv").write_text("name,kind,parent,variants\nTest district,district,,\n", encoding="utf-8")
    build(corpus, db, source="text", cache_dir=cache)
    assert seen == ["first", "first", "first"]


def test_a_corrupt_interpretation_is_interpreted_again(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"first": SMALL_REPORT})
    cache, db = tmp_path / ".cache", tmp_path / "csp.db"
    seen = _counting(monkeypatch)
    build(corpus, db, source="text", cache_dir=cache)
    for entry in cache.glob("*-interpreted.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = tmp_path / "again.db"  # a new archive: nothing kept from the old one, every file interpreted
    build(corpus, again, source="text", cache_dir=cache)
    assert seen == ["first", "first"] and _rows(again)["facts"]


def test_what_the_workers_interpreted_is_cached_for_the_next_build(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"first": SMALL_REPORT, "second": LATER})
    cache = tmp_path / ".cache"
    seen = _counting(monkeypatch)
    build(corpus, tmp_path / "two.db", jobs=2, source="text", cache_dir=cache)
    assert seen == [] and len(list(cache.glob("*-interpreted.json"))) == 2  # both interpreted in the workers
    build(corpus, tmp_path / "one.db", source="text", cache_dir=cache)  # a new archive from the caches
    assert seen == [] and _rows(tmp_path / "one.db") == _rows(tmp_path / "two.db")
