"""What a prose figure counts, read as a phrase in the sentence's own order (extract/interpret/prose/phrase.py):
every sentence here is invented for the test."""

from __future__ import annotations

import re
from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))


def subjects(text: str, heading: str | None = None) -> dict[float, str]:
    blocks = ([Block("heading", heading, level=2)] if heading else []) + [Block("paragraph", text)]
    doc = Document("text/t.txt", blocks=blocks)
    return {f.value: f.subject or "" for f in extract_figures(doc, FY, "Testshire district")}


def in_order(phrase: str, sentence: str) -> bool:
    """Every word of ``phrase`` appears in ``sentence``, in the same order."""
    words = re.findall(r"[\w’']+", sentence.lower())
    at = 0
    for w in re.findall(r"[\w’']+", phrase.lower()):
        if w not in words[at:]:
            return False
        at = words.index(w, at) + 1
    return True


@pytest.mark.parametrize(
    "text, value, phrase",
    [
        (
            "Officers issued 14 warning letters for dog fouling offences.",
            14,
            "warning letters for dog fouling offences",
        ),
        (
            "During the summer 9 tenants were referred to the debt advice line.",
            9,
            "tenants referred to the debt advice line",
        ),
        (
            "The helpline took 300 calls from residents who had been burgled.",
            300,
            "calls from residents who had been burgled",
        ),
        ("On 2 occasions the officer was unable to access the site.", 2, "unable to access the site"),
        ("40 of the tenants visited by the team were offered support.", 40, "tenants visited by the team"),
        ("The most common complaint was noisy parties accounting for 41 reports.", 41, "noisy parties"),
        ("Around 45% of respondents said they felt safe after dark.", 45, "respondents"),
    ],
)
def test_the_phrase_keeps_what_describes_the_counted_in_order(text, value, phrase):
    assert phrase in subjects(text)[value]


@pytest.mark.parametrize(
    "text",
    [
        "Officers issued 14 warning letters for dog fouling offences.",
        "During the summer 9 tenants were referred to the debt advice line.",
        "Cycle thefts accounted for 12.4% of all acquisitive offences.",
        "The team answered 230 noise complaints in the same period last year.",
        "Street marshals recorded 85 incidents of street drinking in the town centre.",
    ],
)
def test_a_subject_is_the_sentences_words_in_order_not_a_bag_of_keywords(text):
    for subject in subjects(text).values():
        assert in_order(subject, text), subject


def test_before_a_bare_figure_the_clause_names_what_it_counts():
    label = subjects("Cycle thefts accounted for 12.4% of all acquisitive offences.")[12.4]
    assert label.startswith("Cycle thefts") and "accounted" not in label


def test_a_time_phrase_ends_the_phrase():
    label = subjects("The team answered 230 noise complaints in the same period last year.")[230]
    assert "noise complaints" in label and "period" not in label


def test_an_opening_adjunct_says_what_every_figure_of_the_sentence_is_about():
    found = subjects("In relation to hate crime, 12 warnings and 4 cautions were issued.")
    assert "cautions" in found[4] and "in relation to hate crime" in found[4]
    assert "warnings" in found[12] and "in relation to hate crime" in found[12]


def test_the_figure_compared_with_counts_what_its_twin_counts():
    found = subjects("Wardens logged 52 thefts of garden tools compared to 61 in the year before.")
    assert "thefts of garden tools" in found[52] and "thefts of garden tools" in found[61]


def test_the_heading_only_when_the_sentence_does_not_say_what_is_counted():
    weak = subjects("The wardens recorded 25 incidents.", heading="Dog Fouling")[25]
    assert weak.startswith("Dog Fouling") and "incidents" in weak
    full = subjects(
        "Officers issued 14 warning letters to dog owners for fouling offences on the common near the school.",
        heading="Environmental Crime",
    )[14]
    assert "Environmental" not in full and "warning letters" in full


def test_a_verb_after_a_bare_noun_says_what_the_counted_did():
    label = subjects("In total 3 tenants breached their injunctions on several occasions.")[3]
    assert "tenants breached their injunctions" in label


def test_the_phrase_words_are_typed_and_a_bad_list_is_refused_with_its_key():
    from extract.vocab.narrative import PhraseWords, build, narrative_vocab
    from extract.vocab.rows import VocabularyError

    vocab = narrative_vocab()
    assert isinstance(vocab.phrases, PhraseWords) and "for" in vocab.phrases.prepositions
    words = dict(vocab.words)
    with pytest.raises(VocabularyError, match="phrases.relatives must be a list of words"):
        build({**words, "phrases": {**words["phrases"], "relatives": "who"}})
    with pytest.raises(VocabularyError, match="phrases.max_tokens must be a whole number"):
        build({**words, "phrases": {**words["phrases"], "max_tokens": 0}})


def test_a_figure_compared_after_a_bracketed_breakdown_counts_what_the_first_figure_counts():
    found = subjects("Officers made 8 disclosures (2 right to ask/6 right to know), against 9 in the year before.")
    assert "disclosures" in found[9] and "right to know" not in found[9]
    assert "right to know" in found[6]


def test_a_run_of_words_said_twice_in_a_label_is_kept_once():
    from extract.interpret.subjects import without_repeats

    label = "male suspects in relation to the gender identified in relation to the gender"
    assert without_repeats(label) == "male suspects in relation to the gender identified"
    assert without_repeats("safe and well visits") == "safe and well visits"


def test_the_second_figure_of_from_to_counts_what_the_first_counts():
    found = subjects("Referrals for young people to the youth service rose from 31 referrals in 2029 to 48 in 2030.")
    assert found[48] == found[31] and "young people" in found[48]
