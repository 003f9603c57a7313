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


def facts_of(text: str, heading: str | None = None):
    blocks = ([Block("heading", heading, level=2)] if heading else []) + [Block("paragraph", text)]
    return extract_figures(Document("text/t.txt", blocks=blocks), FY, "Testshire district")


def test_a_figure_compared_with_another_counts_what_that_one_counts():
    text = "Records kept by the warden service showed that wardens visited 212 allotments in the parish compared with 180 in the year before."
    got = subjects(text)
    assert got[180.0] == got[212.0] and "allotments" in got[180.0]


def test_what_a_reported_clause_says_is_part_of_the_subject():
    got = subjects(
        "12% of tenants stated that they had damp in their homes and 40 residents said that the park was unsafe."
    )
    assert "damp in their homes" in got[12.0]
    assert "park was unsafe" in got[40.0]


def test_words_framing_a_change_are_not_what_is_counted():
    got = subjects("Key movements include a rise in noise abatement notices from 4 to 11.", "Tenancy work")
    assert "noise abatement notices" in got[4.0] and "movements" not in got[4.0].lower()
    got = subjects("There was a 20% increase in low risk cases and 9% increase in standard risk cases.")
    assert "standard risk" in got[9.0] and "low risk" in got[20.0]


def test_a_generic_count_takes_the_category_its_paragraph_named():
    text = (
        "The chart below shows outcomes in relation to criminal damage offences across the year. "
        "In 2030 there were 412 incidents compared with 380 in 2029."
    )
    facts = {f.value: f for f in facts_of(text, "Priority two")}
    assert facts[412.0].subject.lower().startswith("criminal damage")
    assert any("category from the paragraph" in n for n in facts[412.0].notes)
    # a count naming its own thing is left as it is
    assert "criminal damage" not in subjects("Criminal damage rose. Wardens removed 31 abandoned bikes.")[31.0].lower()


def test_an_age_band_after_being_aged_between_is_read_once():
    got = subjects("Most of the suspects 300 (72.8%) being aged between 20-40 years.")
    assert got[300.0].endswith("aged 20–40") and "aged aged" not in got[300.0]


def test_a_bracketed_word_after_a_figure_says_which_part_it_counts():
    got = subjects("Outcome rates achieved for theft offences: 23.5% (shoplifting) and 9.8% (cycle theft).")
    assert got[23.5].endswith("(shoplifting)") and got[9.8].endswith("(cycle theft)")


@pytest.mark.parametrize(
    "text, value, measure",
    [
        ("Arson rates stayed low, accounting for 0.7% of all recorded crime.", 0.7, "share"),
        ("Outcome rates for theft offences: 23.5% (shoplifting) and 9.8% (cycle theft).", 9.8, "rate"),
        ("Around 45% of respondents felt safe after dark.", 45.0, "share"),
    ],
)
def test_a_percentage_of_a_stated_whole_is_a_share_and_one_named_a_rate_is_a_rate(text, value, measure):
    assert {f.value: f.measure for f in facts_of(text)}[value] == measure


@pytest.mark.parametrize(
    "text, value, kept, left_out",
    [
        ("Of the 40 callers, 12 were helped on only one occasion.", 12, "on only one occasion", None),
        (
            "In the survey, 55% of pupils taking part showing better attendance were girls.",
            55,
            "showing better attendance",
            None,
        ),
        ("Officers seized 31 knives including machetes.", 31, "knives", "machetes"),
        ("18% of tenants identified that they needed advice around their rent arrears.", 18, "rent arrears", None),
        (
            "Sessions were well attended: 44 have completed the parenting course.",
            44,
            "completed the parenting course",
            None,
        ),
        ("Of the callers, 61 people decided they would like to join the scheme.", 61, "join the scheme", None),
        (
            "Wardens issued 3 warnings, resulting in 2 breaches of curfew which proceeded to court.",
            2,
            "proceeded to court",
            None,
        ),
        ("Wardens issued 40 fines which equates to a rise.", 40, "fines", "equates"),
        (
            "Of the callers 300 (60%) were women and 120 (24%) were recorded as repeat callers.",
            120,
            "as repeat callers",
            None,
        ),
        ("Women make up 300 (60%) of the callers and men accounted for 200 (40%).", 300, "callers", "men"),
        (
            "Of those tenants housed by the council 30 were single and 12 identified as carers.",
            12,
            "tenants housed",
            "single",
        ),
        (
            "The team issued 70 warnings and notices were served in 2030 compared with 50.",
            70,
            "warnings and notices",
            None,
        ),
        (
            "Of the plan's 30 actions, 11 successfully completed the audit.",
            11,
            "successfully completed the audit",
            None,
        ),
    ],
)
def test_what_the_counted_did_said_or_is_described_by_is_kept_and_asides_are_not(text, value, kept, left_out):
    got = subjects(text)[float(value)]
    assert kept in got
    assert left_out is None or left_out not in got


def test_a_percentage_before_its_verb_is_a_share_and_a_benchmark_takes_its_twins_measure():
    facts = {f.value: f for f in facts_of("In the survey, 24% were first-time callers.")}
    assert facts[24.0].measure == "share"
    text = "The rise in recorded crime of 6.2% is in line with the force average of 5.9% this year."
    facts = {f.value: f for f in facts_of(text)}
    assert facts[5.9].measure == facts[6.2].measure == "percentage change (increase)"
    assert "force average" in facts[5.9].subject and "recorded crime" in facts[5.9].subject


def test_a_heading_opening_with_a_health_area_places_the_figures_that_state_none(tmp_path):
    from extract.vocab.areas import use_district_areas

    areas = tmp_path / "areas.csv"
    areas.write_text(
        "name,kind,parent,variants\n"
        "Testshire district,district,,Testshire\n"
        "Lower Vale,health_area,,Lower Vale CCG|Lower Vale Clinical Commissioning Group\n",
        encoding="utf-8",
    )
    use_district_areas(areas)
    facts = facts_of("The talking therapy service received 4,100 referrals.", "Lower Vale Clinical Commissioning Group")
    assert facts[0].area == "Lower Vale"
    facts = facts_of("The talking therapy service received 4,100 referrals in Testshire.", "Lower Vale CCG")
    assert facts[0].area == "Testshire district"  # the sentence's own area first


def test_a_bracketed_share_of_a_part_is_a_share_of_the_stated_whole():
    text = (
        "Staff supported 240 tenants in 2030. Of those 240 tenants 60 (25%) were over 65. "
        "Of those tenants housed by the council 30 (12.5%) were single."
    )
    bases = {f.value: f.base for f in facts_of(text)}
    assert bases[25.0] == "of the 240 tenants"
    assert bases[12.5] == "of those tenants housed by the council"


def test_of_the_before_a_stop_word_is_no_base():
    assert {f.value: f.base for f in facts_of("In 31 (12%) of the recorded crimes no suspect was named.")}[
        12.0
    ] != "of the"
