"""Vocabulary rows are typed and checked on load: a typo gives one line naming file, row, field."""

from __future__ import annotations

import pytest

from extract.vocab import rows
from extract.vocab.loader import load_rows, read_csv_rows


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, read_csv_rows(path)


def test_every_bundled_vocabulary_file_validates():
    for name in rows.ROW_TYPES:
        assert isinstance(load_rows(name), tuple)
    assert load_rows("measures.csv"), "measures vocabulary is empty"


def test_bad_choice_names_file_row_and_field(tmp_path):
    path, raw = _write(tmp_path, "canon.csv", "id,label,kind,parent\nvap,Violence,crme,\n")
    with pytest.raises(rows.VocabularyError) as caught:
        rows.parse_rows(path, raw, rows.CanonicalCategory)
    message = str(caught.value)
    assert "canon.csv" in message and "row 1" in message and "kind" in message
    assert "\n" not in message


def test_missing_required_field_is_refused(tmp_path):
    path, raw = _write(tmp_path, "canon.csv", "id,label,kind,parent\n,Violence,crime,\n")
    with pytest.raises(rows.VocabularyError, match="id"):
        rows.parse_rows(path, raw, rows.CanonicalCategory)


def test_lists_are_split_into_tuples(tmp_path):
    path, raw = _write(tmp_path, "areas.csv", "name,kind,parent,variants\nAlpha,district,,Alpha City|Alpha Town\n")
    (area,) = rows.parse_rows(path, raw, rows.Area)
    assert area.variants == ("Alpha City", "Alpha Town")
