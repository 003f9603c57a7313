"""What a prose figure says it counts: subjects read after, before and above the figure, on
sentences written for these tests."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from extract.interpret.narrative import extract_figures
from extract.interpret.subjects import content_of, merge_labels
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))


def figures(*blocks):
    doc = Document("text/t.txt", blocks=[Block(kind, text, level=level) for kind, text, level in blocks])
    return extract_figures(doc, FY, "Testshire district")


def subject_of(text, value, heading=None):
    blocks = ([("heading", heading, 2)] if heading else []) + [("paragraph", text, None)]
    found = [f for f in figures(*blocks) if f.value == value]
    assert len(found) == 1, [(f.value, f.subject) for f in figures(*blocks)]
    return found[0].subject or ""


def words(label):
    return {w.lower() for w in content_of(label)}


def test_the_noun_phrase_after_a_figure_keeps_and_inside_it():
    assert {"quiet", "calm", "patrols"} <= words(subject_of("The wardens ran 420 quiet and calm patrols.", 420))


def test_the_measure_stays_a_kind_not_the_last_word():
    fig = [f for f in figures(("paragraph", "The wardens ran 420 quiet and calm patrols.", None))][0]
    assert fig.measure == "count" and fig.category == "quiet and calm patrols"


def test_words_before_a_share_name_it():
    label = subject_of("Bicycle thefts accounted for 12.4% of all acquisitive offences.", 12.4)
    assert {"bicycle", "thefts"} <= words(label)


def test_a_label_before_a_colon_names_the_figure():
    assert {"clearance", "rate"} <= words(subject_of("Overall clearance rate achieved: 41.5%.", 41.5))


def test_a_share_in_brackets_has_the_subject_of_its_figure():
    text = "Shoplifting reports numbered 310 (22.5%) of the caseload."
    assert words(subject_of(text, 22.5)) == words(subject_of(text, 310))


def test_a_percentage_change_with_no_phrase_takes_the_sentence_subject():
    text = "There were 50 graffiti clean-ups this year compared to 40 last year, an increase of 25%."
    assert "graffiti" in words(subject_of(text, 25))


def test_the_phrase_after_a_noun_phrase_is_read_up_to_the_verb():
    label = subject_of("Rangers logged 14 reports of dumped tyres on farm tracks during the summer.", 14)
    assert {"reports", "dumped", "tyres", "farm", "tracks"} <= words(label)


def test_a_passive_participle_says_what_happened():
    assert "referred" in words(subject_of("In total 37 tenants were referred to the debt advice line.", 37))


def test_the_heading_gives_the_topic_when_the_sentence_does_not():
    label = subject_of("During the spring 19 were resolved informally.", 19, heading="Noise complaints")
    assert {"noise", "complaints"} <= words(label)


def test_a_figure_without_a_phrase_takes_the_topic_of_the_figure_before():
    text = "The team received 80 tenancy enquiries; 30 were from the north."
    assert "tenancy" in words(subject_of(text, 30))


def subject_under(headings, text, value):
    blocks = [("heading", h, 2) for h in headings] + [("paragraph", text, None)]
    found = [f for f in figures(*blocks) if f.value == value]
    assert len(found) == 1, [(f.value, f.subject) for f in figures(*blocks)]
    return found[0].subject or ""


def test_a_heading_naming_a_kind_of_section_takes_the_topic_of_the_heading_before():
    label = subject_under(["Burglary – Formal Action Taken", "Victim Profile"], "The victims numbered 215 in all.", 215)
    assert "burglary" in words(label) and "profile" not in words(label)


def test_a_generic_heading_after_a_heading_naming_no_category_gives_no_topic():
    label = subject_under(["Parish Newsletter", "Overview"], "Volunteers delivered 340 leaflets.", 340)
    assert not words(label) & {"parish", "newsletter", "overview"}


def test_a_label_opening_the_sentence_names_every_figure_in_its_list():
    text = "Street wardens' interventions: 14 warnings, 9 referrals and 3 dispersals."
    for value in (14, 9, 3):
        assert {"street", "wardens"} <= words(subject_of(text, value))


def test_a_figure_counting_part_of_an_earlier_one_takes_its_subject():
    text = "The scheme logged 96 bicycle registrations; of those 40 were renewals and 12 came from students."
    assert {"bicycle", "registrations"} <= words(subject_of(text, 12))


def test_a_partitive_opening_the_sentence_points_at_the_sentence_before():
    text = "Wardens issued 75 parking notices. Of those 75 notices, 30 were appealed."
    assert "parking" in words(subject_of(text, 30))


def test_figures_in_brackets_break_down_the_figure_before_them():
    text = "The council handled 25 licence reviews under the Nuisance Act (15 noise reviews/10 odour reviews)."
    assert {"licence", "noise"} <= words(subject_of(text, 15))


def test_a_numbered_instrument_stays_inside_the_phrase():
    assert {"schedule", "closure", "orders"} <= words(subject_of("Police used 4 Schedule 7 closure orders.", 4))


def test_a_period_before_a_figure_does_not_end_the_words_before_it():
    label = subject_of("Overall detection rate for cycle theft 2030/31 31.5%.", 31.5)
    assert {"detection", "cycle", "theft"} <= words(label)


def test_a_figure_saying_little_takes_the_topic_of_the_opening_clause():
    text = "The year has seen a big reduction in graffiti on bus shelters, data showed that there were 41 reports."
    assert {"graffiti", "bus"} <= words(subject_of(text, 41))


def test_a_negation_stays_in_the_subject():
    label = subject_of("Violence without injury offences accounted for 2032 crimes.", 2032)
    assert {"violence", "without", "injury"} <= words(label)


def test_a_subject_stays_a_label():
    text = (
        "Following a long and detailed review of every partner agency's quarterly returns and "
        "several workshops held across the county with residents and councillors, 12 new projects "
        "for young people living in rural villages far from the market towns were started."
    )
    assert len(content_of(subject_of(text, 12))) <= 9


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "the", "of", "42"]), max_size=30))
def test_merged_labels_are_capped_and_keep_the_own_words(tokens):
    own = " ".join(tokens)
    merged = merge_labels(own, "epsilon zeta eta theta")
    assert len(content_of(merged)) <= 9
    assert set(content_of(own)) <= set(content_of(merged))


# ---- numbers people write (extract/interpret/numbers.py) ----


def only(text):
    return [(f.value, f.unit, f.measure, f.qualifier, f.base) for f in figures(("paragraph", text, None))]


def test_a_magnitude_word_multiplies_the_figure():
    assert only("Losses reached 3.4 million pounds.")[0][0] == 3_400_000
    assert only("The new depot cost £2.5m.")[0][:2] == (2_500_000, "GBP")


def test_number_words_are_figures_when_they_count_or_state_a_percent():
    found = only("Wardens made seven arrests and four per cent of callers rang again.")
    assert (7, "count") == found[0][:2] and (4, "percent") == found[1][:2]
    assert only("Thirty-two garages were checked.")[0][0] == 32


def test_number_words_naming_a_set_are_not_figures():
    assert only("We looked at the three strands of the plan and these four aims.") == []


def test_fractions_are_shares_with_their_base_and_qualifier():
    found = only("Just over half of the burglaries hit sheds, and a quarter of all thefts were of cycles.")
    assert found[0] == (50, "percent", "share", "just over", "of the burglaries")
    assert found[1][:3] == (25, "percent", "share") and found[1][4] == "of all thefts"


def test_a_quarter_of_the_year_is_a_period_not_a_share():
    assert only("Patrols restart in the 2nd quarter of the year.") == []


def test_a_denominator_is_the_base_of_a_rate_not_a_figure():
    assert only("Thefts ran at 6.1 per 1,000 residents.") == [(6.1, "count", "rate", None, "per 1,000 residents")]


def test_framing_durations_and_list_labels_are_not_figures():
    assert [v for v, *_ in only("In the 12 months to May there were 35 break-ins.")] == [35]
    assert only("(2) Safer Roads is the second aim.") == []


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "k", "m", " million", " thousand"]))
def test_parse_number_reads_digits_separators_and_magnitudes(n, suffix):
    from extract.interpret.numbers import parse_number

    scale = {"": 1, "k": 1000, "m": 1_000_000, " million": 1_000_000, " thousand": 1000}[suffix]
    assert parse_number(f"{n:,}{suffix}") == n * scale


@given(st.integers(min_value=0, max_value=99))
def test_word_value_reads_every_number_word_below_a_hundred(n):
    from extract.interpret.numbers import number_words, word_value

    words = number_words()
    by_value = {v: k for k, v in words.units.items()} | {v: k for k, v in words.tens.items()}
    text = by_value[n] if n in by_value else f"{by_value[n - n % 10]}-{by_value[n % 10]}"
    assert word_value(text) == n


# ---- only a category's own figure joins its trend (extract/interpret/categorise.py) ----


def linked(text):
    from extract.interpret.categorise import categorise

    facts = figures(("paragraph", text, None))
    categorise(facts, [])
    return [(f.value, f.category_via, f.canonical_relation) for f in facts]


def test_a_category_count_joins_as_its_own_figure():
    assert linked("There were 640 burglary offences in the year.")[0] == (640, None, "same")


def test_a_share_of_offenders_is_a_breakdown():
    found = linked("Burglary accounted for 41 (12.5%) of the offenders on the caseload.")
    assert [via for _, via, _ in found] == ["breakdown", "breakdown"]


def test_victims_by_age_are_a_breakdown():
    found = linked("Burglary victims aged 18-24 numbered 150 of the burglary offences.")
    assert found and all(relation != "same" for _, _, relation in found)


def test_a_figure_counting_something_else_is_not_the_category():
    assert linked("The project handed out 300 burglary alarm packs.")[0][1] == "breakdown"


# ---- areas as stated (schema/areas.csv rows of kind nation, region, county, force) ----


def areas_of(text):
    return [(f.value, f.area) for f in figures(("paragraph", text, None))]


def test_an_area_after_a_preposition_places_its_figure():
    assert areas_of("Detections reached 31% for Hampshire against 27% a year ago.") == [
        (31, "Hampshire"),
        (27, "Hampshire"),
    ]


def test_an_area_opening_the_sentence_places_its_figures():
    assert areas_of("England and Wales logged 4.1 million thefts.") == [(4_100_000, "England and Wales")]


def test_an_area_before_a_bracketed_figure_places_that_figure_only():
    assert areas_of("Repeat calls fell locally (3.2%) and National (5.5%) in the year.") == [
        (3.2, "Testshire district"),
        (5.5, "National"),
    ]


def test_an_area_in_an_organisation_name_or_another_clause_does_not_place_the_figure():
    assert areas_of("Hampshire Fire Service fitted 90 alarms.") == [(90, "Testshire district")]
    assert areas_of("Thefts rose by 4.4%, lower than other towns in Hampshire.") == [(4.4, "Testshire district")]


def test_an_age_band_after_a_figure_joins_its_subject():
    text = "Of those 90 clients 30 (33.3%) were in the 40 – 59 age group and 12 were in the 60+ age group."
    assert "aged 40–59" in subject_of(text, 30)
    assert "aged 40–59" in subject_of(text, 33.3)
    assert "aged 60+" in subject_of(text, 12) and "40–59" not in subject_of(text, 12)


def test_an_age_band_before_a_figure_is_its_own_unless_a_figure_claims_it():
    text = "The 30-39 age group had the most repeat callers with 27.5% of all calls, and the 70-79 age group the fewest at 3.2%."
    assert "aged 30–39" in subject_of(text, 27.5)
    assert "aged 70–79" in subject_of(text, 3.2)
    claimed = "Some 14 were in the 18-24 years age group and the remaining 9 lived alone."
    assert "aged" not in subject_of(claimed, 9)


def test_years_are_an_age_band_only_when_the_sentence_speaks_of_age():
    assert "aged 16–17" in subject_of("The youngest age group was 16 -17 years where 8.5% reoffended.", 8.5)
    assert "aged" not in subject_of("Sentences of 2-3 years were given in 11 cases.", 11)


def test_a_percentage_of_a_stated_whole_is_a_share():
    (fig,) = [f for f in figures(("paragraph", "Only 14% of tenants who reported noise were rehoused.", None))]
    assert fig.measure == "share" and fig.base and fig.base.startswith("of tenants")


def test_what_follows_a_copula_says_what_a_bare_figure_is():
    text = "Of the 60 callers, 21 were repeat callers and 5 were of unknown address."
    assert {"repeat", "callers"} <= words(subject_of(text, 21))
    assert {"unknown", "address"} <= words(subject_of(text, 5))


def test_a_clause_naming_its_figure_takes_no_topic_from_the_sentence_before():
    text = (
        "Bicycle thefts numbered 45 across the city. "
        "The harbour ward had the highest share of garden shed burglaries with 31% of the total."
    )
    label = words(subject_of(text, 31))
    assert {"shed", "burglaries"} <= label and "bicycle" not in label


def test_a_sentence_opening_with_a_pronoun_keeps_the_topic_before_it():
    text = "Two landlords were prosecuted for unlicensed lettings. They both received fines of £400 and £250."
    assert "landlords" in words(subject_of(text, 400))


def test_each_figure_in_a_bracketed_breakdown_has_the_figure_it_breaks_down():
    text = "Wardens issued 30 warnings under the bylaw (20 verbal/10 written) this year."
    assert "warnings" in words(subject_of(text, 10)) and "warnings" in words(subject_of(text, 20))


def test_an_acronym_takes_the_expansion_in_brackets_after_it():
    text = "Officers issued 12 CBOs (criminal behaviour orders) and 40 warnings."
    assert {"criminal", "behaviour", "orders"} <= words(subject_of(text, 12))


def test_a_modal_passive_after_a_figure_says_what_it_is():
    label = subject_of("Each ward team holds surgeries, so 20 – 25 surgeries per month would be expected.", 25)
    assert {"surgeries", "expected"} <= words(label) and "per month" in label


def test_the_lower_end_of_a_range_counts_what_the_upper_end_names():
    text = "Each ward team holds surgeries, so 20 – 25 surgeries per month would be expected."
    assert subject_of(text, 20) == subject_of(text, 25)


def test_a_capitalised_name_keeps_its_joined_stop_word():
    text = "The fire service completed Safe and Well checks at 310 homes."
    assert {"safe", "well", "checks"} <= {w.lower() for w in subject_of(text, 310).split()}


def test_a_later_figure_naming_the_same_thing_in_its_clause_shares_the_subject():
    text = "Cycle thefts accounted for 210 crimes (4%) and levels fell by 15 crimes on the year before."
    assert {"cycle", "thefts"} <= words(subject_of(text, 15))
    other = "The annual target is 900 visits, so 30 visits in each ward would be expected."
    assert "target" not in words(subject_of(other, 30))


def test_the_category_of_a_figure_is_read_from_its_own_clause():
    from extract.interpret.categorise import categorise

    facts = figures(("paragraph", "Wardens issued 1 fixed penalty notice, 3 prosecutions are pending.", None))
    categorise(facts, [])
    assert [f.canonical_category for f in facts] == ["fixed penalty notices", None]


def test_a_partitive_then_a_copula_says_what_the_part_is():
    text = "Most callers were tenants, accounting for 61% with 22% of those being repeat callers."
    assert {"repeat", "callers"} <= words(subject_of(text, 22))


def test_a_figure_alone_in_brackets_is_read_in_its_sentence():
    text = "For a handful of thefts (17) the value of the goods was not recorded."
    assert {"thefts", "value", "goods"} <= words(subject_of(text, 17))


def test_prose_measures_and_table_measures_share_one_list_of_kinds():
    from extract.vocab.loader import load_csv
    from extract.vocab.rows import MEASURE_KINDS

    text = (
        "The service spent £4,500 on locks, waits averaged 6.1 months, 35 tonnes of waste were collected, "
        "burglaries fell by 12 to 80 (a 13% reduction) and 40% of them were in the town."
    )
    kinds = {f.measure.split(" (")[0] for f in figures(("paragraph", text, None))}
    assert {"money", "duration", "quantity", "share"} <= kinds <= set(MEASURE_KINDS)
    assert {row["kind"] for row in load_csv("measures.csv")} <= set(MEASURE_KINDS)
    from extract.interpret.narrative_periods import vocab

    assert set(vocab()["unit_kinds"].values()) <= set(MEASURE_KINDS)


def test_age_bands_printed_with_their_marks_on_the_number():
    text = "Of those 80 clients 20 (25%) were in 18- 25yrs and 50+yrs age groups."
    assert "aged 18–25 and 50+" in subject_of(text, 20)


def test_a_breakdown_named_before_the_figure_in_its_clause_does_not_join_as_same():
    found = linked("The most common offence type remains burglary accounting for 41 (22%) of those on the caseload.")
    assert all(relation != "same" for _, _, relation in found)
    assert linked("Burglary offences accounted for 640 of all recorded crime.")[0][2] == "same"


def test_orders_notices_and_referrals_are_no_part_of_a_crime_category():
    from extract.interpret.categorise import categorise

    for text in (
        "Police issued 12 Domestic Violence Protection Orders for domestic abuse.",
        "Police made 30 domestic abuse referrals to the support service.",
    ):
        facts = figures(("paragraph", text, None))
        categorise(facts, [])
        assert facts[0].category_id and facts[0].category_via == "breakdown", text  # its category was named
        assert facts[0].canonical_relation is None and facts[0].canonical_id is None, text  # and it is no part of it


def test_a_breakdown_by_age_keeps_its_category_as_a_part():
    found = linked("Burglary victims aged 18-24 numbered 150 of the burglary offences.")
    assert any(relation == "part_of" for _, _, relation in found)


# ---- a canonical category named in prose, by its label or its prose names ----


def named(text):
    from extract.interpret.categorise import categorise

    facts = figures(("paragraph", text, None))
    categorise(facts, [])
    return [(f.value, f.canonical_category, f.category_id, f.category_via) for f in facts]


def test_a_plural_names_a_canonical_category_and_stays_off_its_trend_line():
    assert named("Officers gave 45 community resolutions in the year.")[0] == (
        45,
        "community resolution",
        None,
        "named",
    )


def test_the_words_of_and_the_plural_aside_a_name_is_found():
    found = named("There was a rise in notice seeking possessions to 14 this year.")
    assert found[0][1] == "notices of seeking possession"


def test_a_longer_name_holding_a_printed_label_wins():
    found = named("In the year there were 310 adult referrals to all Stop Domestic Abuse Services.")
    assert found[0][1] == "referrals to Stop Domestic Abuse services" and found[0][2] is None


def test_a_printed_category_that_is_not_part_of_the_name_stands():
    found = named("FAT outcome rates for drugs offences: 64.5% in the year.")
    assert found[0][2] == "out_fat"


def test_one_word_names_a_category_only_as_the_figures_own_noun():
    assert named("After the evictions 12 households were rehoused.")[0][1] is None
    assert named("The team issued 12 cautions in the year.")[0][1] == "caution"


def test_a_prose_name_of_all_crime():
    assert named("Overall crime rose by 6.2% in the year.")[0][1] == "all recorded crime"


def test_singular_of_the_words_compared():
    from extract.vocab.categories import singular

    assert [singular(w) for w in ("burglaries", "services", "process", "status", "arson", "arrests")] == [
        "burglary",
        "service",
        "process",
        "status",
        "arson",
        "arrest",
    ]


def test_a_word_ending_in_ly_that_is_no_adverb_stays_in_the_phrase():
    assert "elderly residents" in subject_of("Volunteers made 40 visits to isolated elderly residents last winter.", 40)
    assert "family members" in subject_of("The service supported 25 family members of victims.", 25)
    assert "largely" not in subject_of("There were 30 thefts largely from sheds.", 30)


def test_a_count_has_no_base_its_share_has_it():
    from extract.interpret.categorise import categorise

    facts = figures(("paragraph", "Shed burglaries accounted for 120 (15%) of all recorded burglary this year.", None))
    categorise(facts, [])
    by_value = {f.value: f for f in facts}
    assert by_value[120].base is None and any("of all recorded burglary" in n for n in by_value[120].notes)
    assert by_value[15].base and "of all recorded burglary" in by_value[15].base


def test_a_yearless_span_across_the_financial_years_turn_ends_in_the_reports_year():
    from extract.vocab.periods import explicit_span

    span = explicit_span("between 1st July – 30th June", FY)
    assert (span.start, span.end) == (date(2029, 7, 1), date(2030, 6, 30))


def test_a_paragraphs_later_sentences_take_the_period_it_opened_with():
    text = (
        "Data from the housing team showed 240 households were helped between 1st July – 30th June. "
        "Of those households, 90 were families. The service also ran 12 workshops. "
        "In 2029/30 it ran 8 workshops."
    )
    found = {f.value: f for f in figures(("paragraph", text, None))}
    assert (found[240].period_start, found[240].period_end) == ("2029-07-01", "2030-06-30")
    assert (found[90].period_start, found[90].period_end) == ("2029-07-01", "2030-06-30")
    assert any("paragraph's opening" in n for n in found[90].notes)
    assert (found[12].period_start, found[12].period_end) == ("2029-07-01", "2030-06-30")  # the paragraph's data
    assert found[8].period_start == "2029-04-01"  # a period of its own
