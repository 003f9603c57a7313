"""One loader for every YAML and CSV file the archive reads: anchors, aliases, tags and duplicate
keys refused, sizes bounded, numbers finite; corrections many and linear, two of one figure one
line; the corpus a boundary for its own data files; manifest ids and URLs checked."""

from __future__ import annotations

import sqlite3
import time

import pytest

from extract.corpus.corrections import CorrectionError, CorrectionLimits, corrections_bytes, load_corrections
from extract.corpus.manifest import load_manifest
from extract.errors import ArchiveError, ManifestError
from extract.pipeline import build
from extract.store.corrections import apply_corrections
from extract.vocab.areas import area_rows, use_district_areas
from extract.vocab.rows import VocabularyError
from extract.vocab.safe_load import CsvLimits, YamlLimits, load_yaml_text, read_csv_bytes

from .conftest import REPO, SMALL_REPORT, write_corpus

CELL = '{table: "Figure 1", row: "1b Violence with Injury", column: "Q1"}'


def correction(cid: str, figure: str = CELL, corrected: str = "{value: 206}", reason: str = "a reason") -> str:
    return (
        f"  - id: {cid}\n    document: first\n    figure: {figure}\n    corrected: {corrected}\n"
        f"    reason: {reason}\n    by: a reviewer\n    date: 2026-01-15\n"
    )


def with_corrections(corpus, *entries: str):
    (corpus / "corrections.yaml").write_text("corrections:\n" + "".join(entries), encoding="utf-8")
    return corpus


def refused(err: pytest.ExceptionInfo, *words: str) -> str:
    line = str(err.value)
    assert "\n" not in line and "Traceback" not in line
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", {"first": SMALL_REPORT})


# ---- corrections.yaml -----------------------------------------------------------------------------


def test_an_alias_bomb_in_a_reason_is_refused_in_milliseconds(corpus):
    bomb = "".join(f"      - &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'x'}]\n" for i in range(9))
    with_corrections(corpus, correction("bomb", reason="\n" + bomb))
    t0 = time.perf_counter()
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus)
    assert time.perf_counter() - t0 < 1.0
    refused(err, "corrections.yaml", "line", "(E-CORRECTIONS-YAML)")


def test_a_duplicate_key_in_a_correction_is_refused(corpus):
    with_corrections(corpus, correction("dup") + "    reason: another reason\n")
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus)
    refused(err, "field 'reason'", "duplicate key", "(E-CORRECTIONS-DUPLICATE)")


def test_an_overlong_reason_and_an_overlarge_file_are_refused(corpus):
    with_corrections(corpus, correction("long", reason="r" * 50_000))
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus)
    refused(err, "longer than", "(E-CORRECTIONS-SIZE)")
    with_corrections(corpus, *(correction(f"c{i}") for i in range(20)))
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus, CorrectionLimits(max_bytes=1_000))
    refused(err, "larger than 1000 bytes", "(E-CORRECTIONS-SIZE)")
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus, CorrectionLimits(max_corrections=5))
    refused(err, "more than 5 corrections", "(E-CORRECTIONS-SIZE)")


@pytest.mark.parametrize(
    ("figure", "corrected"),
    [
        (CELL, "{value: .nan}"),
        (CELL, "{value: .inf}"),
        (CELL, "{value: -.inf}"),
        (CELL, "{value: 1" + "0" * 400 + "}"),
        ('{quote: "violence", value: .NaN}', "{value: 3}"),
    ],
)
def test_values_that_are_not_finite_are_refused(corpus, figure, corrected):
    with_corrections(corpus, correction("odd", figure=figure, corrected=corrected))
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus)
    refused(err, "correction 1 (odd)", "not a finite number", "(E-CORRECTIONS-NUMBER)")


def test_two_corrections_of_one_cell_are_one_line_naming_both(corpus, tmp_path):
    with_corrections(corpus, correction("first-fix"), correction("second-fix", corrected="{value: 207}"))
    with pytest.raises(CorrectionError) as err:
        build(corpus, tmp_path / "csp.db", source="text")
    refused(err, "'first-fix'", "'second-fix'", "(E-CORRECTIONS-TWICE)")
    assert not (tmp_path / "csp.db").exists()


def test_two_corrections_naming_one_figure_two_ways_are_one_line_naming_both(corpus, tmp_path):
    db = tmp_path / "csp.db"
    build(corpus, db, source="text")
    by_quote = correction("by-quote", figure='{quote: "1b Violence with Injury | 205", value: 205}')
    with_corrections(corpus, correction("by-cell"), by_quote)
    with pytest.raises(CorrectionError) as err:
        build(corpus, db, source="text")
    refused(err, "'by-cell'", "'by-quote'", "both correct one figure", "(E-CORRECTIONS-TWICE)")
    assert sqlite3.connect(db).execute("select count(*) from corrections").fetchone() == (0,)


def test_many_corrections_load_and_apply_in_linear_time(corpus, tmp_path):
    import sqlite_utils

    db = tmp_path / "csp.db"
    build(corpus, db, source="text")
    many = [correction(f"c{i}", figure=f'{{table: "Figure 1", row: "row {i}", column: "Q1"}}') for i in range(20_000)]
    with_corrections(corpus, correction("real"), *many)
    t0 = time.perf_counter()
    loaded = load_corrections(corpus)
    database = sqlite_utils.Database(db)
    with database.conn:
        database.execute("delete from checks where kind = 'correction'")
        database.execute("delete from corrections")
        warnings = apply_corrections(database, loaded)
    seconds = time.perf_counter() - t0
    assert len(warnings) == 20_000 and seconds < 30, seconds  # quadratic before: minutes
    states = dict(database.execute("select state, count(*) from corrections group by state").fetchall())
    assert states == {"applied": 1, "unmatched": 20_000}


def test_a_corrections_link_out_of_the_corpus_is_refused(corpus, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("corrections:\n" + correction("x"), encoding="utf-8")
    (corpus / "corrections.yaml").symlink_to(outside)
    for read in (load_corrections, corrections_bytes):
        with pytest.raises(CorrectionError) as err:
            read(corpus)
        refused(err, "corrections.yaml", "outside the corpus", "(E-CORRECTIONS-PATH)")
    (corpus / "corrections.yaml").unlink()
    (corpus / "corrections.yaml").symlink_to(corpus / "missing.yaml")
    with pytest.raises(CorrectionError) as err:
        load_corrections(corpus)
    refused(err, "does not exist", "(E-CORRECTIONS-PATH)")


def test_corrections_bytes_are_those_of_the_file_read_through_a_link_inside(corpus):
    assert corrections_bytes(corpus) == b""
    data = ("corrections:\n" + correction("x")).encode()
    (corpus / "reviewed").mkdir()
    (corpus / "reviewed" / "fixes.yaml").write_bytes(data)
    (corpus / "corrections.yaml").symlink_to(corpus / "reviewed" / "fixes.yaml")
    assert corrections_bytes(corpus) == data
    assert [c.id for c in load_corrections(corpus)] == ["x"]


# ---- the corpus's areas.csv -----------------------------------------------------------------------


def _district(corpus, tmp_path, text: str | None = None, link_to=None):
    path = corpus / "areas.csv"
    if link_to is not None:
        path.symlink_to(link_to)
    else:
        path.write_text(text or "", encoding="utf-8")
    try:
        with pytest.raises(VocabularyError) as err:
            use_district_areas(path)
        area_rows()  # a refused file leaves none in use
    finally:
        use_district_areas(REPO / "corpus" / "areas.csv")
    return err


def test_an_areas_csv_link_out_of_the_corpus_is_refused_unread(corpus, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-HEADER,x\nhidden,row\n", encoding="utf-8")
    err = _district(corpus, tmp_path, link_to=secret)
    line = refused(err, "areas.csv", "outside the corpus", "(E-AREAS-PATH)")
    assert "SECRET" not in line and "hidden" not in line


@pytest.mark.parametrize(
    "text",
    [
        "root:x:0:0:TOP-SECRET:/root:/bin/bash\n",
        "name,kind,TOP-SECRET\nA,district,x\n",
        "name,kind\nTOP-SECRET-AREA,not-a-kind\n",
        "name,kind,parent\nAlpha,district,TOP-SECRET-PARENT\n",
        "name,kind\nAlpha,district,TOP-SECRET-EXTRA\n",
        "name,kind\n" + "A" * 6_000 + "TOP-SECRET,district\n",
    ],
)
def test_a_bad_areas_csv_is_refused_without_quoting_it(corpus, tmp_path, text):
    err = _district(corpus, tmp_path, text)
    line = refused(err, "areas.csv")
    assert "SECRET" not in line and "root" not in line and "AAAA" not in line, line


def test_an_areas_csv_too_large_is_refused(corpus, tmp_path):
    err = _district(corpus, tmp_path, "name,kind\n" + "Alpha,district\n" * 200_000)
    refused(err, "areas.csv", "larger than", "(E-AREAS-SIZE)")


# ---- the one loader -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000, "SIZE"),  # crashed the process (libyaml's composer)
        ("- " * 100_000 + "x\n", "SIZE"),
        ("a: !!python/object/apply:os.system [true]\n", "YAML"),
        ("a: !!binary aGVsbG8=\n", "YAML"),
        ("<<: {a: 1}\n", "YAML"),
        ("a: 1\na: 2\n", "DUPLICATE"),
        ("? [a, b]\n: 1\n", "TYPE"),
    ],
)
def test_the_yaml_loader_refuses_in_one_line(text, code):
    with pytest.raises(ArchiveError) as err:
        load_yaml_text(text, "data.yaml", ArchiveError, "E-DATA")
    refused(err, "data.yaml: line", f"(E-DATA-{code})")


def test_the_yaml_loader_reads_what_safe_load_reads_but_dates():
    text = "a: 1\nb: [2.5, yes, null, '3', 2021-04-01]\nc: {d: e}\n"
    assert load_yaml_text(text, "x", ArchiveError, "E-X") == {
        "a": 1,
        "b": [2.5, True, None, "3", "2021-04-01"],
        "c": {"d": "e"},
    }
    assert load_yaml_text("", "x", ArchiveError, "E-X") is None
    with pytest.raises(ArchiveError) as err:
        load_yaml_text("a: " + "x" * 100, "x", ArchiveError, "E-X", YamlLimits(max_string=10))
    refused(err, "longer than 10", "(E-X-SIZE)")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"a,b\n" + b"x,y\n" * 11, ("more than 10 rows", "E-C-SIZE")),
        (b"a,b\nx," + b"y" * 200 + b"\n", ("line 2", "longer than 100", "E-C-SIZE")),
        (b"a,b\n\xff\xfe,y\n", ("not UTF-8", "E-C-CSV")),
        (b"a,b\nx\x00,y\n", ("NUL", "E-C-CSV")),
        (b"a,a\nx,y\n", ("names a column twice", "E-C-CSV")),
        (b"a,zz-secret\nx,y\n", ("not one of a, b", "E-C-CSV")),
    ],
)
def test_the_csv_reader_is_bounded_and_never_quotes_a_cell(data, words):
    with pytest.raises(ArchiveError) as err:
        read_csv_bytes(data, "t.csv", ArchiveError, "E-C", CsvLimits(max_rows=10, max_field=100), ("a", "b"))
    line = refused(err, *words)
    assert "secret" not in line and "yyy" not in line


# ---- manifest ids and URLs ------------------------------------------------------------------------


def _manifest(tmp_path, *entries: tuple[str, str]):
    root = write_corpus(tmp_path / "m", {"doc": SMALL_REPORT})
    lines = "".join(
        f"  - id: {doc_id}\n    title: T\n    kind: strategy\n    files: [text/doc{i}.txt]\n{extra}"
        for i, (doc_id, extra) in enumerate(entries)
    )
    for i in range(len(entries)):
        (root / "text" / f"doc{i}.txt").write_text(SMALL_REPORT, encoding="utf-8")
    (root / "manifest.yaml").write_text("documents:\n" + lines, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "/reports/a.pdf",
        "reports/a.pdf",
        "http://",
        "https:///path",
        "ftp://example.org/a.pdf",
        '"https://example.org/a\\x01b"',
        '"https://example.org/a b"',
        '"https://example.org/\\u202e"',
    ],
)
def test_a_source_url_that_is_not_http_is_refused(tmp_path, url):
    root = _manifest(tmp_path, ("a", f"    source_url: {url}\n"))
    with pytest.raises(ManifestError) as err:
        load_manifest(root)
    refused(err, "document 1 (a)", "field 'source_url'", "(E-MANIFEST-URL)")


def test_http_and_https_source_urls_are_accepted(tmp_path):
    root = _manifest(
        tmp_path,
        ("a", "    source_url: https://example.org/r/a.pdf?x=1\n"),
        ("b", "    source_url: HTTP://EXAMPLE.org\n"),
    )
    assert [e.source_url for e in load_manifest(root)] == ["https://example.org/r/a.pdf?x=1", "HTTP://EXAMPLE.org"]


@pytest.mark.parametrize(
    "doc_id",
    ['" padded"', '"padded "', "a/b", "..", ".hidden", "-dash", "a b", "a%2Fb", "a?b", "a#b", "Ünïcode", "x" * 121],
)
def test_an_id_a_url_or_file_name_cannot_carry_is_refused(tmp_path, doc_id):
    root = _manifest(tmp_path, (doc_id, ""))
    with pytest.raises(ManifestError) as err:
        load_manifest(root)
    refused(err, "document 1:", "(E-MANIFEST-ID)")


def test_ids_differing_only_in_case_are_refused(tmp_path):
    root = _manifest(tmp_path, ("Report-2021", ""), ("report-2021", ""))
    with pytest.raises(ManifestError) as err:
        load_manifest(root)
    refused(err, "document 2 (report-2021)", "entry 'Report-2021'", "(E-MANIFEST-ID)")


def test_the_bundled_manifest_ids_all_pass():
    assert len(load_manifest(REPO / "corpus")) >= 5


def test_a_manifest_linked_out_of_the_corpus_is_refused_unread(tmp_path):
    from extract.corpus.manifest import load_manifest
    from extract.errors import ManifestError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("documents: []\n# a secret line\n", encoding="utf-8")
    (corpus / "manifest.yaml").symlink_to(outside)
    with pytest.raises(ManifestError) as refused:
        load_manifest(corpus)
    assert "outside the corpus" in str(refused.value) and "secret" not in str(refused.value)
