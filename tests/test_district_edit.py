"""`add` and `remove` on a corpus of several districts: a report filed under the district named (or
the corpus's only one), its files in that district's folder, the archive the same as a cold build of
the corpus edited; a corpus left as it was when the district is missing or unknown. Every report and
area here is invented."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.corpus.manifest import load_corpus

from .test_districts import DISTRICTS, _report, write_districts
from .test_incremental import content


def _built(root: Path) -> Path:
    db = root.parent / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    return db


def _later(tmp_path: Path, key: str, year: int) -> Path:
    name, regions, rows = DISTRICTS[key]
    label = f"{year}/{(year + 1) % 100:02d}"
    path = tmp_path / "incoming" / f"{key}-{year}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(_report(name, regions, [(r, [v + 1 for v in vs]) for r, vs in rows]).replace("2022/23", label))
    return path


def _add(root: Path, db: Path, path: Path, *extra: str):
    args = ["add", str(path), "--title", "A later review", "--kind", "performance_review"]
    args += ["--period", "2023-04-01..2024-03-31", "--corpus", str(root), "--db", str(db), *extra]
    return CliRunner().invoke(cli, args)


def _cold(root: Path, tmp_path: Path) -> Path:
    db = tmp_path / "cold.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    return db


def test_a_report_added_to_a_district_is_filed_and_read_as_its(tmp_path):
    root = write_districts(tmp_path / "corpus")
    db = _built(root)
    result = _add(
        root, db, _later(tmp_path, "southmere", 2023), "--district", "southmere", "--area", "Southmere district"
    )
    assert result.exit_code == 0, result.output
    entry = next(e for e in load_corpus(root)[0] if e.id == "southmere-2023")
    assert entry.district == "southmere" and entry.files == ["southmere/text/southmere-2023.txt"]
    con = sqlite3.connect(db)
    assert con.execute("select district from documents where id = 'southmere-2023'").fetchone() == ("southmere",)
    placed = {a for (a,) in con.execute("select distinct area from series where document_id = 'southmere-2023'")}
    assert "Southmere: RURAL" in placed and not any(a.startswith("Northvale") for a in placed)
    assert content(db) == content(_cold(root, tmp_path))  # the archive kept and added to is a cold build's


def test_a_report_removed_from_a_district_leaves_the_others(tmp_path):
    root = write_districts(tmp_path / "corpus")
    db = _built(root)
    assert _add(root, db, _later(tmp_path, "northvale", 2023), "--district", "northvale").exit_code == 0
    result = CliRunner().invoke(
        cli, ["remove", "northvale-2022-23-review", "--delete-files", "--corpus", str(root), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert not (root / "northvale" / "text" / "review.txt").exists()
    con = sqlite3.connect(db)
    assert sorted(r for (r,) in con.execute("select id from documents")) == [
        "northvale-2023",
        "southmere-2022-23-review",
    ]
    assert content(db) == content(_cold(root, tmp_path))


def test_a_corpus_of_one_declared_district_files_a_report_under_it(tmp_path):
    root = write_districts(tmp_path / "corpus", {"northvale": DISTRICTS["northvale"]})
    db = _built(root)
    result = _add(root, db, _later(tmp_path, "northvale", 2023))
    assert result.exit_code == 0, result.output
    entry = next(e for e in load_corpus(root)[0] if e.id == "northvale-2023")
    assert entry.district == "northvale" and entry.files == ["northvale/text/northvale-2023.txt"]


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ((), "--district: the corpus holds several districts; name one of northvale, southmere"),
        (("--district", "eastwick"), "--district: 'eastwick' is not one of northvale, southmere"),
    ],
    ids=["none named", "unknown"],
)
def test_a_report_with_no_district_or_an_unknown_one_leaves_the_corpus_as_it_was(tmp_path, extra, why):
    root = write_districts(tmp_path / "corpus")
    db = _built(root)
    manifest, archive = (root / "manifest.yaml").read_bytes(), db.read_bytes()
    result = _add(root, db, _later(tmp_path, "southmere", 2023), *extra)
    assert result.exit_code != 0
    assert why in result.output and len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert (root / "manifest.yaml").read_bytes() == manifest and db.read_bytes() == archive
    assert not (root / "southmere" / "text" / "southmere-2023.txt").exists()


def test_a_district_named_for_a_corpus_of_none_is_refused(small_corpus, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("A report\n")
    result = _add(small_corpus, tmp_path / "csp.db", path, "--district", "northvale", "--no-build")
    assert result.exit_code != 0 and "the corpus declares no districts" in result.output
