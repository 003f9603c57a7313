"""What a section heading lends the subjects of the figures under it (extract/interpret/prose/topics.py):
the part naming what is counted, whole or not at all. Every heading and sentence is invented."""

from __future__ import annotations

from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.interpret.prose.topics import heading_subject, heading_subjects
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))


def subjects(text: str, heading: str) -> dict[float, str]:
    blocks = [Block("heading", heading, level=2), Block("paragraph", text)]
    doc = Document("text/t.txt", blocks=blocks)
    return {f.value: f.subject or "" for f in extract_figures(doc, FY, "Testshire district")}


@pytest.mark.parametrize(
    "heading, topic",
    [
        ("Objective 4: Safer Parks", "Safer Parks"),  # a numbering label before a colon
        ("Theme2 – Youth Diversion", "Youth Diversion"),
        ("3.2 Tenancy Enforcement", "Tenancy Enforcement"),  # a section number
        ("Work of the Parks Patrol Team", "Parks Patrol Team"),  # a frame before its topic
        ("Update from the Youth Offending Service", "Youth Offending Service"),
    ],
)
def test_a_heading_lends_its_topic_without_numbers_or_frames(heading, topic):
    assert heading_subject(heading) == topic


@pytest.mark.parametrize(
    "heading",
    [
        "Key themes in Winchester",  # section-kind words and a place
        "Achieved a conviction for graffiti on the bridge",  # an action done
        "Reducing harm from alcohol",  # an action to do
        "Improve the support given to older tenants",
        "Put in place a new reporting line",
        "4 FINANCIAL IMPLICATIONS",  # a kind of section of a council paper
        "Q2 snapshot",
    ],
)
def test_a_heading_naming_no_topic_lends_nothing(heading):
    assert heading_subject(heading) == ""


def test_a_name_is_kept_whole_not_cut_in_the_middle():
    # a name of six words that say something: whole, not "Northvale & Isle of Dogs Fire"
    assert heading_subject("Northvale & Isle of Dogs Fire & Rescue Service") == (
        "Northvale & Isle of Dogs Fire & Rescue Service"
    )
    # too long even for a name: the partner it opens with (schema/partners.csv), whole
    assert (
        heading_subject("Winchester City Council Parks Rangers & Street Warden Patrol Team")
        == "Winchester City Council"
    )


def test_a_heading_naming_a_crime_and_an_outcome_lends_the_crime():
    # one piece, too long: as far as the category it opens by naming
    assert heading_subject("Robbery of business property Formal Action Taken FAT)") == "Robbery of business property"
    # pieces: the first that fits, one naming a category first
    assert heading_subject("Burglary Outcomes Analysis – Formal Action Taken (FAT)") == "Burglary Outcomes Analysis"


def test_shorter_forms_are_offered_for_a_subject_with_little_room():
    forms = heading_subjects("Southvale Clinical Commissioning Support Group")
    assert forms[0] == "Southvale Clinical Commissioning Support Group"
    assert all(len(f.split()) <= 5 for f in forms[1:])


def test_a_subject_under_an_action_heading_does_not_open_with_it():
    got = subjects("Officers issued 12 fixed penalty notices for littering.", "Achieved a cleaner town centre")
    assert got[12].endswith("fixed penalty notices for littering")
    assert "Achieved" not in got[12] and "cleaner" not in got[12]


def test_a_subject_under_a_numbered_priority_opens_with_its_topic_only():
    got = subjects("There were 31 referrals.", "Priority 5: Safer Parks")
    assert got[31].startswith("Safer Parks")
    assert "Priority" not in got[31] and "5" not in got[31]


def test_the_team_a_figure_speaks_of_is_named_by_its_heading():
    # "the team" shares a word with the heading, but the heading is what says which team
    got = subjects("The team responded to 44 requests for support.", "Riverside Housing Options Team")
    assert got[44].startswith("Riverside Housing Options Team")
    assert "requests for support" in got[44]


def test_a_theme_heading_adds_nothing_to_a_named_crime():
    got = subjects("Criminal damage offences accounted for 210 crimes.", "Priority 2: Quality of Life")
    assert "Quality of Life" not in got[210]


def test_a_heading_lends_no_period_and_no_phrase_cut_in_the_middle():
    assert heading_subject("Community Wardens 2030/31 – Targets") == "Community Wardens"
    # a phrase too long, naming no category or partner: nothing rather than "Other partnership work aimed"
    assert heading_subject("Other partnership activity aimed at tackling graffiti") == ""


def categories_of(text: str, heading: str) -> dict[float, tuple]:
    from extract.interpret.categorise import categorise

    blocks = [Block("heading", heading, level=2), Block("paragraph", text)]
    facts = extract_figures(Document("text/t.txt", blocks=blocks), FY, "Testshire district")
    categorise(facts, [])
    return {f.value: (f.canonical_category, f.canonical_relation) for f in facts}


def test_a_victim_breakdown_under_a_crime_heading_is_a_part_of_that_crime():
    got = categories_of(
        "The 35-44 years age group accounted for 52 (21.5%) of victims.", "Robbery – Victim and Suspect Profile"
    )
    assert got[52] == ("robbery", "part_of")
    assert got[21.5] == ("robbery", "part_of")


def test_a_figure_with_no_breakdown_words_takes_no_category_from_its_heading():
    got = categories_of("Officers delivered 14 talks in schools.", "Robbery – Victim and Suspect Profile")
    assert got[14] == (None, None)


def test_a_category_word_inside_a_longer_name_is_not_the_figures_category():
    from extract.interpret.categorise import _inside_a_name

    assert _inside_a_name("Domestic", "Officers served 4 Domestic Violence Protection Notices.")
    assert _inside_a_name("Domestic", "12 clients were referred to STOP Domestic services.")
    assert not _inside_a_name("Drug Offences", "Drug offences FAT outcome rates showed 77%.")
    assert not _inside_a_name("Formal Action Taken", "The overall Formal Action Taken (FAT) rate was 12%.")


def test_a_body_named_in_a_paragraphs_first_sentence_opens_its_later_figures_subjects():
    text = (
        "In the spring the Riverside listening service took on new staff. It received 400 referrals. "
        "In all 170 clients were discharged and the recovery rate was 52%."
    )
    got = subjects(text, "South Testshire Health Partnership")
    assert got[52] == "Riverside listening service: recovery rate"
    assert got[170].startswith("Riverside listening service")


def test_a_heading_naming_a_body_wins_over_a_plainer_one_in_the_paragraph():
    text = "The fire service ran a campaign. Crews completed 210 home safety visits."
    got = subjects(text, "Northvale Fire & Rescue Service")
    assert got[210].startswith("Northvale Fire & Rescue Service")


def test_a_word_capitalised_only_as_the_sentence_opens_names_no_body():
    text = "Working age services saw demand rise. Roughly 90 referrals a month were received."
    got = subjects(text, "Mental Health Support")
    assert not got[90].startswith("Working age services")


def test_a_crime_types_bracketed_share_is_of_all_recorded_crime_noted():
    from extract.interpret.categorise import categorise

    doc = Document(
        "text/t.txt", blocks=[Block("paragraph", "Robbery offences accounted for 120 crimes (4.5%) this year.")]
    )
    facts = extract_figures(doc, FY, "Testshire district")
    categorise(facts, [])
    share = next(f for f in facts if f.value == 4.5)
    assert share.base == "of all recorded crime"
    assert any("base inferred" in n for n in share.notes)


def test_an_of_the_opening_is_the_whole_of_the_share_after_it():
    doc = Document("text/t.txt", blocks=[Block("paragraph", "Of the female callers, 31% were repeat callers.")])
    got = {f.value: f for f in extract_figures(doc, FY, "Testshire district")}
    assert got[31].base == "of the female callers"
    assert got[31].subject.startswith("female callers")


def test_a_suspect_age_breakdown_under_a_crime_heading_is_part_of_that_crime():
    got = categories_of(
        "The majority of the suspects 210 (70.2%) were aged between 18-40 years.", "Robbery – Suspect Profile"
    )
    assert got[70.2] == ("robbery", "part_of")


def test_an_outcome_rate_with_no_base_printed_is_of_the_crimes_recorded_noted():
    got = categorised(
        "Robbery FAT outcome rates showed 21% in the reporting period. "
        "The overall FAT rate for Testshire District was 11.5%. "
        "Customer satisfaction was 80%."
    )
    assert got[21].base == "of recorded robbery"
    assert got[11.5].base == "of all recorded crime"
    assert not got[80].base
    assert any("base inferred" in n for n in got[21].notes)


def test_a_bracketed_share_finds_its_whole_by_arithmetic():
    text = "Action was taken in relation to the 400 reported thefts and in 130 (32.5%) no suspect was found."
    got = {f.value: f for f in extract_figures(Document("text/t.txt", blocks=[Block("paragraph", text)]), FY, "T")}
    assert got[32.5].base == "of the 400 reported thefts"
    assert any("130 of 400 is 32.5%" in n for n in got[32.5].notes)


def categorised(text: str) -> dict[float, object]:
    from extract.interpret.categorise import categorise

    facts = extract_figures(Document("text/t.txt", blocks=[Block("paragraph", text)]), FY, "Testshire district")
    categorise(facts, [])
    return {f.value: f for f in facts}


def test_offence_types_of_offenders_are_offenders_not_crimes():
    got = categorised(
        "The service managed 120 offenders in the year. "
        "The most common offence type was burglary accounting for 30 (25%) with theft accounting for 24 (20%)."
    )
    assert got[25].base == "of the 120 offenders"
    assert got[25].canonical_category is None and got[30].canonical_category is None


def test_a_share_compared_with_one_with_a_base_has_that_base():
    text = "Robbery accounts for 1.5% (40) of all recorded crime compared with 1.2% (31) last year."
    got = {f.value: f for f in extract_figures(Document("text/t.txt", blocks=[Block("paragraph", text)]), FY, "T")}
    assert got[1.2].base == "of all recorded crime"


def test_a_long_category_label_is_shown_by_the_name_the_prose_printed():
    got = categorised("ABH accounted for the majority of offences with 300 crimes.")
    assert got[300].category == "ABH"
    assert got[300].canonical_category == "violence with injury"


def test_the_share_after_a_count_of_outcomes_is_their_rate():
    got = categorised("Robbery FAT outcomes rose from 30 (12%) in 2029 to 36 (14%) in 2030.")
    assert got[14].measure == "rate"
    assert got[14].base == "of recorded robbery"


def test_a_count_and_its_share_of_people_say_they_count_people():
    got = categorised(
        "The service managed 120 offenders in the year. "
        "The most common offence type was burglary accounting for 30 (25%) with theft and handling offences accounting for 24 (20%)."
    )
    assert got[24].subject.startswith("offenders: theft and handling offences")
    assert got[20].subject.startswith("offenders: theft and handling offences")


def test_a_crime_label_does_not_stay_on_something_else_the_crime_gave_rise_to():
    got = categorised("The grant bought 300 burglary DNA kits.")
    assert got[300].category is None and got[300].canonical_category is None
    got = categorised("Burglary FAT outcome rates showed 31% in the reporting period.")
    assert got[31].category is not None  # whose outcomes they are


def test_the_noun_a_partitive_names_is_the_one_counted_before():
    got = categorised("The grant bought 300 burglary DNA kits. So far 120 of the kits have been given to victims.")
    assert got[120].subject.startswith("burglary DNA kits given to victims")


def test_a_percentage_of_outcomes_is_their_rate():
    got = categorised("The number of FAT outcomes rose from 9.5% in 2029 to 11.5% in 2030.")
    assert got[11.5].measure == "rate"


def test_people_a_service_counts_are_a_part_of_it_not_another_thing():
    got = categorised("The numbers attending show as 78 individuals, 30 have completed the Freedom Programme.")
    assert (got[30].canonical_category, got[30].canonical_relation) == ("Freedom programme", "part_of")


def test_a_crimes_outcome_rate_is_part_of_the_outcome():
    got = categorised("Robbery FAT outcome rates showed 31% in the reporting period.")
    assert (got[31].canonical_category, got[31].canonical_relation) == ("formal action taken", "part_of")


def test_a_satisfaction_rate_of_a_crimes_victims_is_no_part_of_the_crime():
    got = categorised("The team achieved a satisfaction rate of 91% for the victims of burglary.")
    assert got[91].canonical_category is None and got[91].category is None


def test_a_breakdown_under_a_heading_naming_a_flagged_crime_is_part_of_it():
    got = categories_of("For a number of crimes (31) the gender of the victim was not stated.", "Domestic Abuse")
    assert got[31] == ("domestic abuse crimes", "part_of")
    # a body named after the crime it deals with is no crime heading
    got = categories_of(
        "The service supported 71 victims in the year, 12 of them male victims.", "Stop Domestic Abuse Services"
    )
    assert got[12] == (None, None)


def test_outcomes_under_a_heading_naming_a_crime_are_of_that_crime():
    got = subjects(
        "Due to this activity, the number of FAT outcomes rose from 9.5% in 2029 to 11.5% in 2030.",
        "Priority 4: Robbery",
    )
    assert got[11.5].startswith("Robbery")


def test_serious_violence_is_its_own_grouping_not_most_serious_violence():
    got = categorised("Serious violence accounts for 1.5% (88) of all recorded crime.")
    assert got[88].canonical_category == "serious violence (VRP definition)"


def test_the_overall_figure_a_share_is_of_is_the_paragraphs_first_count_of_it():
    text = (
        "The team worked with 240 tenants in the year. "
        "130 of the tenants (over half of the overall figure) lived in flats."
    )
    got = {f.value: f for f in extract_figures(Document("text/t.txt", blocks=[Block("paragraph", text)]), FY, "T")}
    assert got[50].base == "of the overall figure (240 tenants)"


def test_fly_tipping_incidents_are_named_in_prose_and_tonnage_is_no_part_of_them():
    got = categorised(
        "In 2030/31 850 incidents of fly tipping were reported to the Council. The Council collected 120 tons of waste."
    )
    assert got[850].canonical_category == "fly-tipping incidents"
    got = categorised("The Council collected 120 tons of waste from fly tipping incidents.")
    assert got[120].canonical_category is None


def test_a_figure_pointing_back_at_the_body_its_sentence_opened_with_is_that_bodys():
    got = subjects(
        "The Riverside listening service took 300 calls, and 40 callers were referred on by the service.", "Health"
    )
    assert got[40].startswith("Riverside listening service")
