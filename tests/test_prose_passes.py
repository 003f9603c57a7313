"""The prose engine's shape: a frozen record, passes in one declared order, a checked vocabulary."""

from __future__ import annotations

import dataclasses

import pytest

from extract.interpret.narrative import SENTENCE_PASSES, pipeline
from extract.interpret.prose import reading
from extract.interpret.prose.record import Figure
from extract.vocab.narrative import Windows, build, narrative_vocab
from extract.vocab.rows import VocabularyError


def test_a_figure_is_frozen_and_a_pass_returns_a_new_one():
    fig = Figure(0, 1, 12.0, "count", "12")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.measure = "rate"  # type: ignore[misc]
    doc = pipeline()("Rises of 12% were seen.")
    found = reading.digits_figure(doc, doc[2], reading.NUMBER.match("12"))
    read = reading.read(found, doc)
    assert (found.unit, found.measure) == ("percent", "count") and read is not found
    assert read.measure == "percent"


def test_the_passes_run_in_the_declared_order():
    names = [p.__name__ for p in reading.FIGURE_PASSES]
    assert names == [
        "read_range",
        "read_qualifier",
        "read_direction",
        "read_measure",
        "read_target",
        "read_subject",
        "read_named_rate",
    ]
    assert [p.__name__ for p in SENTENCE_PASSES] == ["with_periods", "_placed"]


@pytest.mark.parametrize(
    ("text", "qualifier", "measure", "direction"),
    [
        ("Burglary fell by nearly 15% on the year.", "nearly", "percentage change", "decrease"),
        ("The scheme reached between 40 and 60 homes.", "range", "count", None),
        ("The aim is to raise reporting by 20% by 2032.", None, "target", "increase"),
        ("The team achieved a 80% arrest rate over the summer.", None, "rate", None),
    ],
)
def test_each_pass_sets_only_its_own_fields(text, qualifier, measure, direction):
    doc = pipeline()(text)
    fig = doc._.figures[0]
    assert (fig.qualifier, fig.measure, fig.direction) == (qualifier, measure, direction)


def test_the_vocabulary_is_loaded_once_and_typed():
    vocab = narrative_vocab()
    assert vocab is narrative_vocab()
    assert isinstance(vocab.windows, Windows) and vocab.windows.direction_before == 5
    assert "reduce" in vocab["target_verbs"] and "fell" in vocab.change_down


def test_a_bad_vocabulary_is_refused_with_the_key_named():
    words = dict(narrative_vocab().words)
    with pytest.raises(VocabularyError, match="stop_words must be a list of words"):
        build({**words, "stop_words": "were"})
    with pytest.raises(VocabularyError, match="windows.subject_after must be a whole number"):
        build({**words, "windows": {"subject_after": 0}})
    with pytest.raises(VocabularyError, match="unknown setting 'sideways'"):
        build({**words, "windows": {"sideways": 3}})
