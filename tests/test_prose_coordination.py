"""Figures in coordinated clauses and "of" phrases (extract/interpret/prose/phrase.py): every
sentence is invented for the test."""

from __future__ import annotations

from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))


def subjects(text: str) -> dict[float, str]:
    doc = Document("text/t.txt", blocks=[Block("paragraph", text)])
    return {f.value: f.subject or "" for f in extract_figures(doc, FY, "Testshire district")}


@pytest.mark.parametrize(
    "text, first, second",
    [
        (
            "The outreach worker supported 48 individuals and delivered 97 interventions.",
            (48, "outreach worker supported individuals"),
            (97, "outreach worker delivered interventions"),
        ),
        (
            "Park rangers visited 14 parks and spoke to 230 residents.",
            (14, "Park rangers visited parks"),
            (230, "Park rangers spoke to residents"),
        ),
        (
            "The helpline took 300 calls and made 120 referrals.",
            (300, "helpline took calls"),
            (120, "helpline made referrals"),
        ),
        (
            "In 2030 the wardens issued 12 warnings and served 3 closure orders.",
            (12, "wardens issued warnings"),
            (3, "wardens served closure orders"),
        ),
    ],
)
def test_a_verb_after_and_opens_a_clause_sharing_the_first_ones_subject(text, first, second):
    got = subjects(text)
    assert got[first[0]] == first[1]  # the first phrase ends before "and <verb>"
    assert got[second[0]] == second[1]  # the second clause's subject is the first's


def test_a_noun_after_and_with_an_of_phrase_stays_in_the_phrase():
    # "fines and costs of £410": "costs" is a noun of this phrase, not a verb opening a clause
    got = subjects("The court ordered fines and costs of £410 to be paid.")
    assert "fines and costs" in got[410]


def test_a_figure_after_a_noun_and_of_keeps_the_of():
    got = subjects("Volunteers completed 9 litter picks resulting in the collection of 40 bags of rubbish.")
    assert got[40] == "bags of rubbish collected in litter picks"  # what is counted first, the action after it


@pytest.mark.parametrize(
    "text, value", [("A total of 45 arrests were made.", 45), ("The majority of 30 cases closed.", 30)]
)
def test_a_quantity_word_before_of_is_not_what_the_figure_is_part_of(text, value):
    assert not subjects(text)[value].startswith(("total of", "majority of"))


def test_a_figure_after_another_figures_noun_and_a_preposition_counts_its_own_noun():
    got = subjects("In May there were 41 arrests for 45 robbery offences equal to a 91% arrest rate.")
    assert got[41] == "arrests"
    assert got[45] == "robbery offences"  # not "arrests robbery offences", nor "... equal"
    assert "robbery offences" in got[91]  # the rate's words before it are its own


def test_an_opening_as_a_noun_frames_the_clause():
    got = subjects("As a snapshot there were 19 evictions.")
    assert got[19] == "evictions"


def test_at_least_is_a_qualifier_not_a_word_of_the_subject():
    got = subjects("Thefts rose by 9% this year. At least 7 of these are offences against shops.")
    assert "least" not in got[7]
    assert "offences against shops" in got[7]


@pytest.mark.parametrize(
    "text",
    [
        "Of those 90 tenants, 30 were in the 26 – 34yrs age group and the remaining 20 were in 18- 25yrs and 50+yrs age groups.",
        "Of those 90 tenants the remaining 20 were in 18 -25 years and 50+ age groups.",
    ],
)
def test_the_ages_of_an_age_band_are_never_figures(text):
    got = subjects(text)
    assert 25 not in got and 18 not in got and 50 not in got
    assert "aged 18–25 and 50+" in got[20]


def test_a_number_after_a_band_and_and_is_a_figure_of_its_own():
    got = subjects("Of the victims 45 were aged 19-24 and 12 were aged 65+.")
    assert got[45].endswith("aged 19–24")
    assert got[12].endswith("aged 65+")


def test_an_area_between_a_figure_and_its_noun_places_the_figure():
    doc = Document(
        "text/t.txt",
        blocks=[
            Block(
                "paragraph", "The scheme aims to reach 2,400 Hampshire households. It served 12 Hampshire Fire crews."
            )
        ],
    )
    areas = {f.value: f.area for f in extract_figures(doc, FY, "Testshire district")}
    assert areas[2400] == "Hampshire"  # whose the households are
    assert areas[12] == "Testshire district"  # "Hampshire Fire": a name, not where the crews are


def bases(text: str) -> dict[float, str | None]:
    doc = Document("text/t.txt", blocks=[Block("paragraph", text)])
    return {f.value: f.base for f in extract_figures(doc, FY, "Testshire district")}


def test_a_bracketed_share_under_a_counted_partitive_is_a_share_of_that_count():
    got = bases("Of those 240 tenants, 60 (25%) were in arrears and 30 (12.5%) were new to the area.")
    assert got[25] == "of the 240 tenants"
    assert got[12.5] == "of the 240 tenants"


def test_a_bracketed_share_parallel_to_one_with_a_base_shares_it():
    got = bases("Women accounted for 120 (40%) of the callers and men accounted for 180 (60%).")
    assert got[40] == "of the callers"
    assert got[60] == "of the callers"


def test_a_clause_with_its_own_subject_after_and_is_another_figures():
    got = subjects("The charity supported 18 young people and group work was delivered to 23 carers.")
    assert got[23] == "group work was delivered to carers"
    assert "group work" not in got[18]


def test_a_benchmark_is_named_from_its_wider_area_not_the_comparison():
    got = subjects("Detection rates for robbery reached 17.1%, which is above the force average of 14.5%.")
    assert got[14.5].startswith("force average")


def test_a_count_under_a_counted_partitive_is_a_part_of_that_count():
    doc = Document(
        "text/t.txt", blocks=[Block("paragraph", "Of those 300 burglaries, 40 related to sheds and 12 to garages.")]
    )
    got = {f.value: f for f in extract_figures(doc, FY, "Testshire district")}
    assert got[40].base == "of the 300 burglaries"  # the categorise stage keeps it as a note on a count
    assert got[300].base is None


def test_a_partitive_after_a_part_names_no_whole():
    doc = Document(
        "text/t.txt",
        blocks=[
            Block("paragraph", "Investigated 19 cases – of those 14 resulted in no action, the team issued 1 warning.")
        ],
    )
    got = {f.value: f for f in extract_figures(doc, FY, "Testshire district")}
    assert got[1].base is None


def test_a_lone_acronym_after_a_figure_is_spelled_out_from_its_definition():
    got = subjects(
        "Wardens issued 14 Fixed Penalty Notices (FPN) and 6 Community Protection Warnings (CPW) against 9 FPN last year."
    )
    assert got[9] == "Fixed Penalty Notices"
    doc_text = "Issued Community Protection Warnings (CPW) to tenants. 3 CPW were breached."
    assert subjects(doc_text)[3] == "Community Protection Warnings breached"


def test_a_share_of_those_described_says_what_the_share_is():
    assert subjects("14% of those referred were women.")[14] == "those referred: women"


def test_between_two_ages_in_a_sentence_about_age_is_an_age_band():
    got = subjects(
        "In terms of age groups most victims were between 18 and 40 accounting for 210 (61.2%) of the total."
    )
    assert got[210].endswith("aged 18–40")
    assert 18 not in got and 40 not in got


def test_at_the_time_of_a_report_frames_the_clause():
    assert subjects("At the time of this report there were 41 open cases.")[41] == "open cases"


@pytest.mark.parametrize(
    "text, value, expected",
    [
        # a name the cap would cut takes back its first word
        (
            "Start Right Trust reported a 12% increase in referrals to youth services in the community.",
            12,
            "Start Right",
        ),
        # a long name it would cut is dropped whole, the verb after it kept
        (
            "Northvale & Isle of Dogs Fire & Rescue Service conducted Safe and Well visits to 600 addresses.",
            600,
            "conducted Safe and Well visits to addresses",
        ),
    ],
)
def test_a_name_is_never_cut_in_two_by_the_cap(text, value, expected):
    got = subjects(text)[value]
    assert got.startswith(expected)


def measures(text: str) -> dict[float, tuple]:
    doc = Document("text/t.txt", blocks=[Block("paragraph", text)])
    return {f.value: (f.measure, f.direction, f.base) for f in extract_figures(doc, FY, "Testshire district")}


def test_a_bracketed_percentage_after_a_move_is_its_change():
    got = measures("Calls to the helpline fell from 520 in 2029/30 to 468 in 2030/31 (10%).")
    assert got[10][:2] == ("percentage change (decrease)", "decrease")
    # a share beside each end of the move is no change
    got = measures("Arrests rose from 40 (12%) in 2029/30 to 52 (15%) in 2030/31.")
    assert got[15][1] is None


def test_a_share_of_those_after_a_bracketed_count_is_of_that_count():
    got = bases("For a number of thefts (45) the place was not recorded, however 20% of those were from cars.")
    assert got[20] == "of the 45 thefts"
    # "of those" after a share points at that share's group, not at a count before it
    got = bases("There were 90 arrests. Men accounted for 70% with 30% of those being repeat arrests.")
    assert got[30] is None


def test_a_figure_restating_the_one_before_says_what_it_counts():
    got = subjects("Shed burglaries show a rise of 40%, although this only equates to an extra 12 offences.")
    assert got[12].startswith("Shed burglaries")


def test_a_figure_after_an_equals_sign_in_brackets_counts_what_the_clause_names():
    got = subjects("For shed burglary, there has been an increase in reporting (for Q1 to Q3 = +12.5%).")
    assert "reporting" in got[12.5] and "shed burglary" in got[12.5]


def test_outcomes_with_no_crime_named_are_of_the_crime_the_paragraph_named():
    got = subjects("Most robbery offences were of personal property. FAT outcomes rose from 30 to 36.")
    assert got[36].startswith("robbery")
    got = subjects("Most robbery offences were of personal property. The overall FAT outcome rate was 12%.")
    assert not got[12].startswith("robbery")  # overall: of all crime


def test_listed_figures_share_the_words_their_list_opened_with():
    got = subjects("Visits led to the removal of 8 syringes, 12 bottles and 30 other items of litter.")
    assert got[8] == "syringes removed in Visits"
    assert got[12] == "bottles removed in Visits"
    assert got[30] == "other items of litter removed in Visits"


def test_a_time_limit_on_what_is_counted_stays_in_the_phrase():
    got = subjects("Of all callers, 91% of those referred receive a first call within 48 hours.")
    assert got[91].endswith("within 48 hours")


def test_what_cases_showed_is_kept():
    got = subjects("Over half of all cases showed there were delays in court.")
    assert got[50].endswith("there were delays in court")


def test_a_clause_after_a_comma_shares_the_subject_of_a_clause_with_no_figure():
    got = subjects("Evening patrols run in the parks, engaged with over 300 young people.")
    assert got[300].startswith("Evening patrols engaged with")


def test_a_sentence_opening_with_an_imperative_sets_a_target():
    doc = Document(
        "text/t.txt", blocks=[Block("paragraph", "Ensure that patrols are run at a minimum of 4 nights a week.")]
    )
    assert [f.measure for f in extract_figures(doc, FY, "Testshire district")] == ["target"]
    doc = Document("text/t.txt", blocks=[Block("paragraph", "Support Services received 40 referrals.")])
    assert [f.measure for f in extract_figures(doc, FY, "Testshire district")] == ["count"]


def test_a_count_of_factors_in_a_model_is_no_statistic():
    assert subjects("The model holds that there are three factors behind any offence.") == {}


def test_year_to_date_is_no_part_of_what_is_counted():
    got = subjects("Arrests for all robbery year to date show an increase of 6.5%.")
    assert "year" not in got[6.5]


def test_a_part_a_restating_figure_gives_is_kept():
    got = subjects(
        "Detections for all theft rose by 8.4% (this equates to -2.1% for shop theft and +12.5% for bicycle theft)."
    )
    assert got[-2.1].endswith("for shop theft")
    assert got[12.5].endswith("for bicycle theft")


def test_a_gapped_second_conjunct_replaces_what_follows_its_preposition():
    got = subjects("The team logged 200 calls. 120 came from tenants and 80 from owners of local shops.")
    assert got[120] == "came from tenants"
    assert got[80] == "came from owners of local shops"  # not "came from tenants from owners ..."


def test_a_body_the_sentence_opens_with_before_a_comma_opens_its_figures_subjects():
    got = subjects(
        "Youth services provided by Northvale Trust in the east of the county in 2030, roughly 90 referrals a month"
        " were made to the service."
    )
    assert got[90].startswith("Youth services provided by Northvale Trust: referrals")
    assert "east" not in got[90]


def test_a_level_compares_with_a_level_and_a_change_is_of_the_level_before_it():
    got = subjects(
        "In May there were 41 arrests for 45 robbery offences equal to a 91% arrest rate, an increase of 9% as opposed to 82% in 2029."
    )
    assert got[82] == got[91]  # not "arrests", the count before
    assert got[9] == got[91]


def test_a_part_under_a_counted_partitive_counts_the_printed_whole_noun():
    got = subjects("The service worked with 200 tenants. Of those 200 tenants, 60 were aged 18-24.")
    assert got[60] == "tenants aged 18–24"


def test_a_figure_in_a_definite_phrase_after_a_preposition_counts_its_own_noun():
    got = subjects("The table shows the outcomes recorded in relation to the 640 reported thefts.")
    assert got[640] == "reported thefts"


def test_a_crimes_short_name_is_matched_in_prose():
    from extract.interpret.categorise import categorise

    facts = extract_figures(
        Document("text/t.txt", blocks=[Block("paragraph", "Rape is up 9 offences on last year.")]), FY, "T"
    )
    categorise(facts, [])
    assert facts[0].canonical_category == "rape"


def test_for_a_count_of_people_is_no_time():
    got = subjects("Mentoring is available, and has been provided for 14 young people so far.")
    assert got[14] == "Mentoring has been provided for young people"


def test_a_snapshot_frames_the_later_sentences_of_its_paragraph():
    text = (
        "In 2030/31 there were 8 notices. As a snapshot in quarter 4 there were 3 warnings issued. "
        "In relation to notices all 4 were breached and 2 individuals were referred."
    )
    doc = Document("text/t.txt", blocks=[Block("paragraph", text)])
    got = {f.value: f.period_label for f in extract_figures(doc, FY, "Testshire district")}
    assert got[8] == "2030/31"
    assert got[4] == got[2] == "quarter 4"


def test_how_often_the_counted_were_seen_is_part_of_what_is_counted():
    got = subjects(
        "Of the 60 people found, 20 were seen once, 30 were seen between 2 and 4 times and 10 were seen between 5 and 9 times."
    )
    assert got[30] == "people found: seen between 2 and 4 times"
    assert got[10] == "people found: seen between 5 and 9 times"
    assert 4 not in got and 9 not in got


def test_a_figure_in_an_as_aside_counts_what_the_aside_comments_on():
    got = subjects("Shed Burglary (as measured by the Home Office is up +6.2% on last year) rose again.")
    assert got[6.2] == "Shed Burglary"


def test_a_shortened_name_and_a_bare_noun_take_their_fuller_forms_from_before():
    text = (
        "In 2030/31 the Northvale BID Rangers dealt with 855 ASB related incidents in the town. "
        "In 2029/30 the Rangers dealt with 627 incidents."
    )
    got = subjects(text)
    assert got[627] == "Northvale BID Rangers dealt with ASB related incidents"


def test_what_the_counted_now_have_is_part_of_what_is_counted():
    got = subjects("12 parks now have wardens on patrol at weekends, the council says.")
    assert got[12] == "parks now have wardens on patrol at weekends"


def test_what_the_figures_a_sentence_reports_are_of_opens_their_subjects():
    got = subjects(
        "Figures for adult referral sources show that referrals rose from 40 to 52, with a reduction in referrals from GPs from 14 to 9."
    )
    assert got[14] == "adult referral sources: referrals from GPs"


def test_a_bracketed_count_after_an_increase_is_the_new_total():
    got = subjects("There were 12 additional fire incidents (240) this year.")
    assert got[240] == "fire incidents"


def test_an_infinitive_after_a_participle_stays_and_a_cut_ends_before_in_respect():
    got = subjects("Of the callers, 7 people deemed to be at risk were given alarms.")
    assert got[7].endswith("people deemed to be at risk given alarms")
    got = subjects(
        "4 banning letters issued by the Parking Services Team of the council in respect of nuisance parking."
    )
    assert not got[4].endswith(("in respect", "respect"))


def test_an_age_bands_figure_says_whose_age_profile_the_sentence_gives():
    got = subjects(
        "The offender age profile mirrors last year's, with the 18-24 years age group accounting for 31% of the total."
    )
    assert got[31].startswith("offenders:")
