"""`csp-archive export` never harms what is already on disk ("Nothing lost, round two"): a new
folder, or a previous export with --force; never through a planted symbolic link; never over the
archive; nothing half-written when stopped; and no spreadsheet formula in a text cell."""

import csv
import json
import os
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.publish import export as export_module
from extract.publish.export import cell

from .conftest import SMALL_REPORT, write_corpus


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("export-safety")
    corpus = write_corpus(root / "corpus", {"2021-22-test": SMALL_REPORT})
    db = root / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def run(*args):
    return CliRunner().invoke(cli, ["export", *map(str, args)])


def refused(result, code):
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(f"({code})"), result.output
    assert "Traceback" not in result.output


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_new_folder_and_an_empty_one_are_written(archive, tmp_path):
    assert run("--db", archive, tmp_path / "new" / "deeper").exit_code == 0
    assert "facts.csv" in listing(tmp_path / "new" / "deeper")
    (tmp_path / "empty").mkdir()
    assert run("--db", archive, tmp_path / "empty").exit_code == 0
    assert "datapackage.json" in listing(tmp_path / "empty")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch folder left


def test_a_folder_holding_other_files_is_refused_without_and_with_force(archive, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    refused(run("--db", archive, out), "E-EXPORT-EXISTS")
    refused(run("--db", archive, "--force", out), "E-EXPORT-NOT-OURS")
    assert listing(out) == ["notes.txt"] and (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    (out / "facts.csv").mkdir()  # our name, but a folder
    refused(run("--db", archive, "--force", out), "E-EXPORT-NOT-OURS")


def test_a_previous_export_is_replaced_only_with_force(archive, tmp_path):
    out = tmp_path / "out"
    assert run("--db", archive, out).exit_code == 0
    (out / "facts.csv").write_text("stale\n")
    refused(run("--db", archive, out), "E-EXPORT-EXISTS")
    assert (out / "facts.csv").read_text() == "stale\n"
    result = run("--db", archive, "--force", out)
    assert result.exit_code == 0, result.output
    assert (out / "facts.csv").read_text().startswith("fact_id")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_symlink_planted_in_the_folder_is_never_written_through(archive, tmp_path):
    out = tmp_path / "out"
    assert run("--db", archive, out).exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "facts.csv").unlink()
    (out / "facts.csv").symlink_to(victim)
    refused(run("--db", archive, "--force", out), "E-EXPORT-NOT-OURS")
    assert victim.read_text() == "precious" and (out / "facts.csv").is_symlink()


def test_a_destination_that_is_a_symlink_is_refused(archive, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    refused(run("--db", archive, tmp_path / "link"), "E-EXPORT-SYMLINK")
    assert listing(real) == []


@pytest.mark.parametrize("force", [False, True], ids=["plain", "--force"])
def test_the_archive_itself_is_never_overwritten(archive, tmp_path, force):
    folder = tmp_path / "dir"
    folder.mkdir()
    db = folder / "facts.csv"  # an archive that happens to carry an export's file name
    shutil.copy(archive, db)
    before = db.read_bytes()
    refused(run("--db", db, *(["--force"] if force else []), folder), "E-EXPORT-ARCHIVE")
    assert db.read_bytes() == before and listing(folder) == ["facts.csv"]


def test_a_hard_link_of_the_archive_in_the_folder_is_not_replaced(archive, tmp_path):
    db = tmp_path / "csp.db"
    shutil.copy(archive, db)
    out = tmp_path / "out"
    out.mkdir()
    os.link(db, out / "facts.csv")
    refused(run("--db", db, "--force", out), "E-EXPORT-ARCHIVE")
    assert os.path.samefile(db, out / "facts.csv")


def test_a_destination_that_is_a_file_is_refused(archive, tmp_path):
    (tmp_path / "file").write_text("x")
    refused(run("--db", archive, tmp_path / "file"), "E-EXPORT-NOT-DIR")
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError], ids=["stopped", "disk full"])
def test_an_export_stopped_half_way_leaves_nothing_written(archive, tmp_path, monkeypatch, stop):
    real_write = export_module._write

    def half(db_path, out_dir, fmt):
        real_write(db_path, out_dir, fmt)  # every file written into the scratch folder, then
        raise stop(28, "No space left on device", str(out_dir / "facts.csv")) if stop is OSError else stop()

    monkeypatch.setattr(export_module, "_write", half)
    out = tmp_path / "out"
    result = run("--db", archive, out)
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.strip().endswith("(E-STOPPED)" if stop is KeyboardInterrupt else "(E-EXPORT-WRITE)")
    assert listing(tmp_path) == []
    # and a previous export replaced with --force stays whole when the new one stops
    monkeypatch.setattr(export_module, "_write", real_write)
    assert run("--db", archive, out).exit_code == 0
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(export_module, "_write", half)
    assert run("--db", archive, "--force", out).exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous
    assert listing(tmp_path) == ["out"]


def test_cells_a_spreadsheet_would_run_are_quoted_numbers_are_not():
    for text in ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"):
        assert cell(text) == "'" + text
    for value in (-5, -5.5, 3, 0.25, None, "-5", "+3.5", "-1e3", "Violence", "", "a=b"):
        assert cell(value) == value


def test_export_quotes_formula_cells_and_says_so(archive, tmp_path):
    db = tmp_path / "csp.db"
    shutil.copy(archive, db)
    with sqlite3.connect(db) as con:
        con.execute('update documents set title = \'=HYPERLINK("http://evil.example","click")\'')
        fact_id = con.execute("select fact_id from facts order by fact_id limit 1").fetchone()[0]
        con.execute("update figures set quote = ?, value = -205 where id = ?", ("@SUM(1+1)*cmd|' /C calc'!A0", fact_id))
    out = tmp_path / "out"
    result = run("--db", db, out)
    assert result.exit_code == 0, result.output
    with (out / "documents.csv").open(newline="") as fh:
        titles = [r["title"] for r in csv.DictReader(fh)]
    assert titles == ['\'=HYPERLINK("http://evil.example","click")']
    with (out / "facts.csv").open(newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["fact_id"] == str(fact_id))
    assert row["quote"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["value"] == "-205.0"  # a number, negative: as it is
    package = json.loads((out / "datapackage.json").read_text())
    assert "leading single quote" in package["description"]
    assert all("leading single quote" in r["description"] for r in package["resources"])


def test_a_stop_between_the_two_renames_puts_the_previous_export_back(archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run("--db", archive, out).exit_code == 0
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    real_rename = os.rename

    def rename(src, dst):
        if ".export-" in str(src) and str(dst) == str(out):  # the new export moving into place
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(export_module.os, "rename", rename)
    refused(run("--db", archive, "--force", out), "E-STOPPED")
    monkeypatch.setattr(export_module.os, "rename", real_rename)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous
    assert listing(tmp_path) == ["out"]
