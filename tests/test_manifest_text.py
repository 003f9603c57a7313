"""The manifest edited as text: an added or removed entry changes only its own lines, whatever the
manifest's layout, comments and values (Hypothesis builds the manifests)."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.corpus.manifest_text import Layout, append_entry, remove_entry, render

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
VALUE = st.one_of(
    TEXT,
    st.none(),
    st.integers(1990, 2030),
    st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)),
    st.lists(TEXT, min_size=1, max_size=3),
    st.fixed_dictionaries({"start": st.dates(), "end": st.dates()}),
)
KEYS = st.lists(st.sampled_from(["title", "kind", "publisher", "period", "published", "notes"]), unique=True)
COMMENT = st.sampled_from(["", "# a note\n", "\n", "  # between entries\n", "\n# later reports\n"])


@st.composite
def entries(draw, n: int = 0):
    ids = draw(st.lists(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8})?", fullmatch=True), unique=True, max_size=5))
    out = []
    for i in ids:
        entry = {"id": i, **{k: draw(VALUE) for k in draw(KEYS)}, "files": [f"text/{i}.txt"]}
        out.append(entry)
    return out


@st.composite
def manifests(draw):
    """(text, entries): a block-style manifest with comments above, between and after entries."""
    docs = draw(entries())
    layout = draw(st.sampled_from([Layout(2, 4), Layout(0, 2), Layout(4, 6)]))
    text = "# The corpus: one entry per report.\ndocuments:\n" if docs else "documents: []\n"
    for entry in docs:
        text += draw(COMMENT) + render(entry, layout)
    text += draw(st.sampled_from(["", "# the end\n", "\n", "other: kept\n"]))
    return text, docs


def lines_in_order(inner: str, outer: str) -> bool:
    """Every line of ``inner`` is in ``outer``, in the same order."""
    rest = iter(outer.splitlines())
    return all(any(line == other for other in rest) for line in inner.splitlines())


@settings(max_examples=60, deadline=None)
@given(manifests(), entries())
def test_an_appended_entry_is_the_last_document_and_every_other_line_stays(manifest, new):
    text, docs = manifest
    if not new or any(e["id"] in {d["id"] for d in docs} for e in new):
        return
    out = append_entry(text, new[0])
    assert yaml.safe_load(out)["documents"] == [*docs, new[0]]
    if docs:
        assert lines_in_order(text, out)
        assert out.count("\n") == text.count("\n") + len(new[0])  # one line per key


@settings(max_examples=60, deadline=None)
@given(manifests(), st.data())
def test_a_removed_entry_takes_only_its_lines_and_the_comment_directly_above(manifest, data):
    text, docs = manifest
    if not docs:
        return
    gone = data.draw(st.sampled_from(docs))
    out = remove_entry(text, gone["id"])
    assert (yaml.safe_load(out)["documents"] or []) == [d for d in docs if d is not gone]
    assert lines_in_order(out.replace("documents: []", "documents:"), text)  # the last gone: an empty list
    assert out.startswith("# The corpus")  # the manifest's own comments are no entry's
    assert out.endswith("# the end\n") == text.endswith("# the end\n")


def test_a_flow_style_list_is_printed_again_in_block_style_with_the_new_entry():
    text = "# head\ndocuments: [{id: a, title: A, kind: strategy, files: [text/a.txt]}]\n# tail\n"
    out = append_entry(text, {"id": "b", "title": "B", "kind": "strategy", "files": ["text/b.txt"]})
    assert [d["id"] for d in yaml.safe_load(out)["documents"]] == ["a", "b"]
    assert out.startswith("# head\ndocuments:\n  - id: a\n") and out.endswith("# tail\n")


def test_removing_the_last_entry_leaves_an_empty_list():
    text = "documents:\n  - id: a\n    files: [text/a.txt]\n"
    assert yaml.safe_load(remove_entry(text, "a")) == {"documents": []}


def test_removing_an_unknown_id_says_so():
    with pytest.raises(ValueError, match="no document with id 'b'"):
        remove_entry("documents:\n  - id: a\n", "b")


def test_the_comment_directly_above_an_entry_goes_with_it_and_others_stay():
    text = (
        "# head\ndocuments:\n  - id: a\n    files: [text/a.txt]\n\n# a heading for what follows\n"
        "  # b: the 2023 report\n  - id: b\n    files: [text/b.txt]\n  - id: c\n    files: [text/c.txt]\n"
    )
    out = remove_entry(text, "b")
    assert out == "# head\ndocuments:\n  - id: a\n    files: [text/a.txt]\n\n# a heading for what follows\n" + (
        "  - id: c\n    files: [text/c.txt]\n"
    )
