"""A rebuild after a change starts from the previous archive, keeps the unchanged documents opening
the manifest and loads only the rest: the archive is the same as a cold build of the same corpus."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extract.pipeline import build
from extract.store.statistics import StatisticsSettings

from .conftest import SMALL_REPORT, write_corpus
from .test_living import CELL_CORRECTION, NEXT_YEAR, corrections, run

#: Tables whose rows differ between two builds of the same corpus by design (timings, digests), and the
#: full-text indexes' own storage (compared by searching instead).
NOT_CONTENT = ("build_info",)
SEARCHES = {
    "blocks_fts": "violence",
    "passages_fts": "violence",
    "figures_fts": "crimes",
    "commitments_fts": "partnership",
}


def content(db: Path) -> dict[str, list[str]]:
    """Every row of every table but the build's record and the search indexes' storage, and what
    each search index finds."""
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type = 'table' order by 1")]
    fts = [n for n in names if n.endswith("_fts")]
    out = {
        name: sorted(map(repr, con.execute(f'select * from "{name}"')))
        for name in names
        if name not in NOT_CONTENT and not any(name.startswith(f + "_") or name == f for f in fts)
    }
    stats = con.execute("select tbl, idx from sqlite_stat1").fetchall() if "sqlite_stat1" in names else []
    # which statistics, not what they count (a rebuild may keep a table's: statistics_close)
    out["sqlite_stat1"] = sorted(repr(r) for r in stats if not r[0].startswith(tuple(fts)))
    for name in fts:
        out[name] = [
            repr(r) for r in con.execute(f'select rowid, rank from "{name}"({SEARCHES[name]!r}) order by rank')
        ]
    con.close()
    return out


def statistics_close(kept: Path, cold: Path, tolerance: float = StatisticsSettings().tolerance) -> bool:
    """Each table's statistics count its rows as a cold build's do, or within ``tolerance`` where a
    rebuild kept the previous archive's (extract/store/statistics.py)."""

    def rows(db: Path) -> dict[tuple, int]:
        con = sqlite3.connect(db)
        return {(t, i): int(s.split()[0]) for t, i, s in con.execute("select tbl, idx, stat from sqlite_stat1")}

    a, b = rows(kept), rows(cold)
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= tolerance * b[k] for k in b)


def three_reports(tmp_path: Path) -> Path:
    later = NEXT_YEAR.replace("2022/23", "2023/24").replace("2023", "2024").replace("2022", "2023")
    return write_corpus(tmp_path / "corpus", {"first": SMALL_REPORT, "second": NEXT_YEAR, "third": later})


def keep_lines(corpus: Path, db: Path, base: Path | None = None) -> list[str]:
    """Build, returning the progress lines that say documents were kept from the old archive."""
    lines: list[str] = []
    report = build(corpus, db, source="text", cache_dir=db.parent / ".cache", progress=lines.append, base=base)
    assert report.ok, report.errors
    return [line for line in lines if "kept from" in line]


def kept_matches_cold(tmp_path: Path, corpus: Path, db: Path, n: int) -> Path:
    """Rebuild from ``db`` keeping its first ``n`` documents; the archive must be a cold build's."""
    kept = tmp_path / "db" / "kept.db"
    assert keep_lines(corpus, kept, base=db) == [f"[1-{n}] {n} documents unchanged, kept from {db}"]
    cold = tmp_path / "cold" / "csp.db"
    keep_lines(corpus, cold)
    assert content(kept) == content(cold)
    assert statistics_close(kept, cold)
    return kept


def test_add_loads_only_the_new_report_and_gives_the_archive_a_cold_build_gives(tmp_path):
    corpus = three_reports(tmp_path)
    corrections(corpus, CELL_CORRECTION)
    db = tmp_path / "db" / "csp.db"
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    new = tmp_path / "incoming" / "fourth.txt"
    new.parent.mkdir()
    new.write_text(NEXT_YEAR.replace("101", "111"), encoding="utf-8")
    result = run(
        "add", new, "--title", "Fourth", "--kind", "strategic_assessment", "--period", "2022-04-01..2023-03-31",
        "--corpus", corpus, "--db", db, "--source", "text",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    kept = sqlite3.connect(db).execute("select value from build_info where key = 'kept'").fetchone()
    assert kept == ("3",)  # the three reports before it were kept, not loaded again
    cold = tmp_path / "cold" / "csp.db"
    assert keep_lines(corpus, cold) == []  # a new database: nothing to keep
    added, built = content(db), content(cold)
    assert added["documents"] == built["documents"] and len(added["documents"]) == 4
    assert [name for name in built if added.get(name) != built[name]] == []
    assert sorted(added) == sorted(built)
    assert statistics_close(db, cold)
    facts = sqlite3.connect(db).execute("select count(*) from facts where document_id = 'fourth'").fetchone()[0]
    assert facts > 0


def test_a_rebuild_keeps_the_documents_before_the_first_change_and_matches_a_cold_build(tmp_path):
    corpus = three_reports(tmp_path)
    db = tmp_path / "db" / "csp.db"
    keep_lines(corpus, db)
    (corpus / "text" / "second.txt").write_text(NEXT_YEAR.replace("102", "120"), encoding="utf-8")
    corrections(corpus, CELL_CORRECTION)  # corrections are applied again whatever is kept
    con = sqlite3.connect(kept_matches_cold(tmp_path, corpus, db, 1))
    assert con.execute("select value from facts where document_id = 'second' and column_label = 'Q2'").fetchall()[
        0
    ] == (120.0,)
    assert con.execute("select state from corrections").fetchall() == [("applied",)]


def test_a_correction_withdrawn_from_a_kept_report_leaves_its_series_and_counts_as_a_cold_build(tmp_path):
    """A kept report's rows in series, period_values and facet_counts are made again when a correction
    named it before (or names it now), though the report itself is kept."""
    corpus = three_reports(tmp_path)
    corrections(corpus, CELL_CORRECTION)
    db = tmp_path / "db" / "csp.db"
    keep_lines(corpus, db)
    status = "select distinct status, value from series where document_id = 'first' and status = 'corrected'"
    assert sqlite3.connect(db).execute(status).fetchall() == [("corrected", 206.0)]
    (corpus / "corrections.yaml").unlink()
    (corpus / "text" / "third.txt").write_text(NEXT_YEAR.replace("101", "111"), encoding="utf-8")
    con = sqlite3.connect(kept_matches_cold(tmp_path, corpus, db, 2))
    assert con.execute(status).fetchall() == []
    assert con.execute(
        "select count(*) from facet_counts where facet = 'status' and value = 'corrected'"
    ).fetchone() == (0,)


def test_remove_of_a_middle_report_matches_a_cold_build(tmp_path):
    corpus = three_reports(tmp_path)
    db = tmp_path / "db" / "csp.db"
    assert run("build", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    assert run("remove", "second", "--corpus", corpus, "--db", db, "--source", "text").exit_code == 0
    cold = tmp_path / "cold" / "csp.db"
    keep_lines(corpus, cold)
    assert content(db) == content(cold)
    assert statistics_close(db, cold)
    ids = [r[0] for r in sqlite3.connect(db).execute("select id from documents")]
    assert ids == ["first", "third"]


def test_other_code_vocabulary_or_district_data_builds_everything_again(tmp_path):
    corpus = three_reports(tmp_path)
    db = tmp_path / "db" / "csp.db"
    keep_lines(corpus, db)
    again = tmp_path / "db" / "again.db"
    assert keep_lines(corpus, again, base=db) != []  # nothing changed but the target: all kept
    (corpus / "areas.csv").write_text("name,kind,parent,variants\nWinchester district,district,,\n", encoding="utf-8")
    assert keep_lines(corpus, tmp_path / "db" / "areas.db", base=db) == []
    con = sqlite3.connect(db)
    con.execute("update build_info set value = replace(value, '\"key\": \"', '\"key\": \"x') where key = 'store'")
    con.commit()
    con.close()
    (corpus / "areas.csv").unlink()
    assert keep_lines(corpus, tmp_path / "db" / "foreign.db", base=db) == []


def test_an_interrupted_incremental_build_leaves_the_archive_as_it_was(tmp_path, monkeypatch):
    import extract.pipeline

    corpus = three_reports(tmp_path)
    db = tmp_path / "db" / "csp.db"
    keep_lines(corpus, db)
    before = db.read_bytes()
    (corpus / "text" / "third.txt").write_text(NEXT_YEAR.replace("104", "140"), encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("stopped half way")

    monkeypatch.setattr(extract.pipeline, "across_reports", boom)
    lines: list[str] = []
    with pytest.raises(RuntimeError):
        build(corpus, db, source="text", cache_dir=db.parent / ".cache", progress=lines.append)
    assert [line for line in lines if "kept from" in line]  # it had started from a copy
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if ".tmp" in p.name] == []


def bundled_text_corpus(root: Path, ids: list[str] | None = None) -> Path:
    """The bundled corpus's text renditions under ``root``, its manifest listing ``ids`` (default: all)."""
    import shutil

    import yaml

    from .conftest import REPO

    shutil.copytree(REPO / "corpus" / "text", root / "text")
    docs = yaml.safe_load((REPO / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    docs = [dict(d, files=[f for f in d["files"] if f.startswith("text/")]) for d in docs]
    chosen = [d for d in docs if ids is None or d["id"] in ids]
    (root / "manifest.yaml").write_text(yaml.safe_dump({"documents": chosen}, sort_keys=False), encoding="utf-8")
    return root


def test_commitment_links_merged_or_found_again_are_a_cold_builds(tmp_path):
    """A kept commitment gains links into reports added after it (merged with those it kept), and one
    whose link pointed into a removed report is linked again from scratch: as a cold build links."""
    import yaml

    from .conftest import REPO

    ids = [
        d["id"] for d in yaml.safe_load((REPO / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    ]
    first_two = bundled_text_corpus(tmp_path / "two", ids[:2])
    base = tmp_path / "db" / "two.db"
    keep_lines(first_two, base)
    links_query = "select l.commitment_id, l.document_id from commitment_links l"
    before = set(sqlite3.connect(base).execute(links_query).fetchall())
    everything = bundled_text_corpus(tmp_path / "all", None)
    added = kept_matches_cold(tmp_path, everything, base, 2)
    after = set(sqlite3.connect(added).execute(links_query).fetchall())
    kept_commitments = {c for c, _ in before}
    assert any(c in kept_commitments and d not in ids[:2] for c, d in after - before)  # merged in
    without_third = bundled_text_corpus(tmp_path / "less", ids[:2] + ids[3:])
    into_third = (
        sqlite3.connect(added)
        .execute(
            "select count(*) from commitment_links l join commitments c on c.id = l.commitment_id "
            "where c.document_id = ? and l.document_id = ?",
            [ids[0], ids[2]],
        )
        .fetchone()[0]
    )
    assert into_third > 0  # the first report's commitments had links into the one removed
    kept_matches_cold(tmp_path, without_third, added, 2)
