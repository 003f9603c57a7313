import pytest

from extract.corpus.manifest import load_manifest
from extract.errors import ManifestError

GOOD = """documents:
  - id: a
    title: Report A
    kind: strategy
    period: {start: 2005-04-01, end: 2008-03-31}
    published: 2005
    files: [text/a.txt]
"""


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Title\n\nSome text.\n")
    return tmp_path


def test_good_manifest(corpus):
    (corpus / "manifest.yaml").write_text(GOOD)
    (entry,) = load_manifest(corpus)
    assert (entry.id, entry.kind, str(entry.period_start), entry.published) == ("a", "strategy", "2005-04-01", "2005")


def test_optional_fields_may_be_absent(corpus):
    (corpus / "manifest.yaml").write_text(
        "documents:\n  - {id: a, title: News, kind: press_release, files: [text/a.txt]}\n"
    )
    (entry,) = load_manifest(corpus)
    assert entry.period_start is None and entry.published is None


@pytest.mark.parametrize(
    "change,message",
    [
        (("text/a.txt", "text/missing.txt"), r"document 1 \(a\): files: 'text/missing.txt' does not exist"),
        (("kind: strategy", "kind: novel"), r"document 1 \(a\): kind 'novel' is not one of"),
        (("start: 2005-04-01", "start: 2005-13-01"), r"document 1 \(a\): period.start '2005-13-01' is not a date"),
        (("published: 2005", "published: last spring"), r"published 'last spring' is not a date or a year"),
        (("    title: Report A\n", ""), r"document 1 \(a\): missing required field 'title'"),
        (("documents:", "documents: ["), r"unreadable YAML"),
        (("    files:", "    colour: red\n    files:"), r"unknown field 'colour'"),
    ],
)
def test_manifest_errors_name_the_entry_and_field(corpus, change, message):
    (corpus / "manifest.yaml").write_text(GOOD.replace(*change))
    with pytest.raises(ManifestError, match=message) as info:
        load_manifest(corpus)
    assert "\n" not in str(info.value)


def test_duplicate_id(corpus):
    (corpus / "manifest.yaml").write_text(GOOD + GOOD.split("documents:\n")[1])
    with pytest.raises(ManifestError, match=r"document 2 \(a\): duplicate id 'a'"):
        load_manifest(corpus)


def test_no_manifest(tmp_path):
    with pytest.raises(ManifestError, match="no manifest found"):
        load_manifest(tmp_path)


def test_real_paths_are_what_resolve_gives_through_linked_folders_files_and_dot_dots(tmp_path):
    from extract.corpus.manifest import RealPaths

    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "text").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("x", encoding="utf-8")
    (corpus / "text" / "a.txt").write_text("a", encoding="utf-8")
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    (corpus / "text" / "link.txt").symlink_to(outside / "secret.txt")
    (corpus / "text" / "inner.txt").symlink_to(corpus / "text" / "a.txt")
    real = RealPaths(corpus)
    for relpath in ("text/a.txt", "linked/secret.txt", "text/link.txt", "text/inner.txt", "text/../text/a.txt",
                    "text/..", "text/../../outside/secret.txt", "missing/b.txt", "text/missing.txt"):  # fmt: skip
        assert real(relpath) == (corpus.resolve() / relpath).resolve(), relpath
