"""The figure finder's Matcher patterns as data (schema/figure_patterns.yaml): expanded, validated,
and a typo refused in one line naming the pattern."""

import pytest
import yaml

from extract.interpret import figure_patterns
from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab.rows import VocabularyError


@pytest.fixture
def patterns_file(tmp_path, monkeypatch):
    """Point the pattern loader at a file written by the test."""
    path = tmp_path / "figure_patterns.yaml"

    def write(data):
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        figure_patterns.pattern_rules.cache_clear()

    monkeypatch.setattr(figure_patterns, "load_yaml", lambda name: yaml.safe_load(path.read_text()))
    yield write
    figure_patterns.pattern_rules.cache_clear()


def test_bundled_patterns_load_and_expand_references():
    rules = figure_patterns.pattern_rules()
    names = {r.name for r in rules["skip"]}
    assert {"NAMING", "DATE", "BETWEEN_AGES"} <= names
    date_rule = next(r for r in rules["skip"] if r.name == "DATE")
    # "@months" became the month words of narrative.yaml; "$num" the number shape
    first = date_rule.patterns[0]
    assert "april" in first[1]["LOWER"]["IN"] and "REGEX" in first[0]["TEXT"]


def test_unknown_word_list_names_the_pattern(patterns_file):
    patterns_file({"skip": {"MY_RULE": [[{"LOWER": {"IN": ["@no_such_list"]}}]]}})
    with pytest.raises(VocabularyError, match="MY_RULE.*no_such_list"):
        figure_patterns.pattern_rules()


def test_unknown_shape_names_the_pattern(patterns_file):
    patterns_file({"shapes": {}, "skip": {"OTHER": [["$nothing"]]}})
    with pytest.raises(VocabularyError, match="OTHER.*nothing"):
        figure_patterns.pattern_rules()


def test_a_pattern_spacy_refuses_is_one_line(patterns_file):
    patterns_file({"skip": {"BAD_KEY": [[{"LOWR": "x"}]]}})
    with pytest.raises(VocabularyError) as err:
        figure_patterns.pattern_rules()
    assert "BAD_KEY" in str(err.value) and "\n" not in str(err.value)


def test_sentence_condition_limits_a_rule(patterns_file):
    patterns_file({"skip": {"R": {"when_sentence_has": ["ages"], "patterns": [[{"LOWER": "x"}]]}}})
    assert figure_patterns.applies("R", "skip", {"ages", "x"})
    assert not figure_patterns.applies("R", "skip", {"x"})


def _values(text):
    doc = Document("text/t.txt", blocks=[Block("paragraph", text, start=0, end=len(text))])
    return [f.value for f in extract_figures(doc, None, "Testshire district")]


def test_years_after_2030_are_years_and_counts_stay_counts():
    assert 2034.0 not in _values("The plan runs until 2034 and reviews progress yearly.")
    assert 2041.0 in _values("Burglary accounted for 2041 crimes in the year.")
    assert 2047.0 in _values("Theft accounted for 2047 (31%) of all crimes.")


def test_a_nested_word_list_is_referenced_by_its_path(patterns_file):
    patterns_file({"skip": {"R": [[{"LOWER": {"NOT_IN": ["@numbers.magnitudes"]}}]]}})
    (rule,) = figure_patterns.pattern_rules()["skip"]
    assert "k" in rule.patterns[0][0]["LOWER"]["NOT_IN"]
    patterns_file({"skip": {"R": [[{"LOWER": {"IN": ["@numbers.no_such_list"]}}]]}})
    with pytest.raises(VocabularyError, match="numbers.no_such_list"):
        figure_patterns.pattern_rules()
