"""General rules for the kinds of error issue 24 lists, one class of phrasing each, on sentences
written for these tests (none is a sentence of a bundled report)."""

from __future__ import annotations

from datetime import date

import pytest

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document
from extract.vocab.periods import PeriodContext

FY = PeriodContext(date(2030, 4, 1), date(2031, 3, 31))
DISTRICT = "Testshire district"


def facts(text: str, heading: str | None = None):
    blocks = ([Block("heading", heading, level=2)] if heading else []) + [Block("paragraph", text)]
    return extract_figures(Document("text/t.txt", blocks=blocks), FY, DISTRICT)


def one(text: str, value: float, heading: str | None = None):
    found = [f for f in facts(text, heading) if f.value == value]
    assert len(found) == 1, [(f.value, f.measure, f.subject) for f in facts(text, heading)]
    return found[0]


# ---- counts of the document's own parts are not statistics ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Three strands are set out in this plan and each has a lead officer.",
        "Four themes guide the partnership's work over the coming years.",
        "The board agreed the six objectives listed below.",
        "Two pillars hold the approach together: prevention and enforcement.",
    ],
)
def test_a_count_of_the_documents_own_parts_is_not_a_figure(text):
    assert facts(text) == []


def test_a_number_word_counting_events_is_still_a_figure():
    assert one("Officers made six arrests at the festival.", 6).measure == "count"


# ---- targets --------------------------------------------------------------------------------


def test_a_change_the_sentence_sets_out_to_make_is_a_target_with_its_direction():
    fig = one("The plan is to cut thefts from vehicles (as the survey measures them) by 12% by March 2033.", 12)
    assert fig.measure == "target (decrease)" and fig.direction == "decrease"


def test_both_ends_of_a_target_range_are_targets():
    found = facts("The aim is to increase reports of hate crime by 5 - 8% over the next two years.")
    assert [(f.value, f.measure) for f in found] == [(5, "target (increase)"), (8, "target (increase)")]


def test_a_change_that_happened_is_not_a_target():
    fig = one("Thefts from vehicles fell by 12% during the year.", 12)
    assert fig.measure == "percentage change (decrease)"


# ---- ranks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("For cycle theft the district ranked 6th/41 among its peers.", "/41"),
        ("The town was ranked 6th of 41 districts for cycle theft.", "of 41"),
        ("Its recycling rate came 6th out of 41 councils.", "out of 41"),
    ],
)
def test_a_rank_is_its_position_out_of_its_places(text, base):
    found = facts(text)
    assert [(f.value, f.measure, f.base) for f in found] == [(6, "rank", base)]


def test_an_ordinal_after_a_rank_word_is_a_rank():
    assert one("The partnership placed 2nd in the regional awards.", 2).measure == "rank"


# ---- "N in M" ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "base"),
    [
        ("The survey found 4 in 10 tenants felt unsafe after dark.", 4, "in 10"),
        ("Around one in five drivers stopped had no insurance.", 1, "in five"),
    ],
)
def test_n_in_m_is_one_share(text, value, base):
    found = facts(text)
    assert [(f.value, f.measure, f.base) for f in found] == [(value, "share", base)]


def test_a_count_within_a_time_is_not_n_in_m():
    assert [f.value for f in facts("Crews attended 14 in 24 hours during the storm.")] == [14, 24]


# ---- fractions and durations ------------------------------------------------------------------


@pytest.mark.parametrize("printed", ["87 ½", "87½"])
def test_a_fraction_after_a_whole_number_is_part_of_it(printed):
    fig = one(f"Custodial sentences handed down totalled {printed} years.", 87.5)
    assert fig.measure == "duration"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The average response to an emergency call was 9 minutes.", 9),
        ("Those convicted received sentences of 14 years in all.", 14),
    ],
)
def test_a_figure_in_minutes_or_years_is_a_duration(text, value):
    assert one(text, value).measure == "duration"


# ---- changes written with a verb --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Shop theft rose 6.4 per cent on the year before.", "increase"),
        ("Cycle theft fell 11% on the year before.", "decrease"),
    ],
)
def test_a_change_verb_right_before_a_figure_makes_it_a_change(text, direction):
    fig = next(f for f in facts(text) if f.unit == "percent")
    assert fig.measure == f"percentage change ({direction})" and fig.direction == direction


# ---- comparisons -------------------------------------------------------------------------------


def test_a_figure_after_as_opposed_to_takes_no_subject_from_the_phrase_and_its_own_period():
    found = facts("Detections rose to 61%, an increase of 9.5% as opposed to 51.5% in 2029.")
    compared = next(f for f in found if f.value == 51.5)
    assert "opposed" not in (compared.subject or "").lower()
    assert compared.period_start == "2029-01-01" or compared.period_start.startswith("2029")


def test_a_figure_after_and_shares_the_verb_not_the_other_figures_noun():
    found = facts("Wardens issued 4 Community Protection Warnings and 7 Community Protection Orders.")
    orders = next(f for f in found if f.value == 7)
    # the verb before the list governs both; the warnings are the other figure's
    assert orders.subject == "Wardens issued Community Protection Orders"


# ---- areas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Detections rose by 8.3%, in line with the force average of 6.1%.",
        "Detections stood at 8.3% against a force-wide rate of 6.1%.",
    ],
)
def test_a_force_average_is_placed_in_the_force_area(text):
    fig = one(text, 6.1)
    assert fig.area == "Hampshire and the Isle of Wight"
    assert one(text, 8.3).area == DISTRICT


def test_a_figure_stated_for_another_area_is_placed_there_even_when_unlisted():
    fig = one("In the UK the service received 2,140 referrals.", 2140)
    assert fig.area == "the UK"
    assert any("stated area" in n for n in fig.notes)
    listed = one("In North Hampshire the service received 2,140 referrals.", 2140)  # a row of the district's areas
    assert listed.area == "North Hampshire" and not any("stated area" in n for n in listed.notes)


# ---- periods -----------------------------------------------------------------------------------


def test_a_period_when_an_activity_began_is_not_the_figures_period():
    fig = one("Officers carried out 58 foot patrols as part of the operation commencing in October.", 58)
    assert (fig.period_start, fig.period_end) == ("2030-04-01", "2031-03-31")


def test_a_period_stated_for_a_figure_is_still_its_period():
    fig = one("Officers carried out 58 foot patrols in October 2030.", 58)
    assert (fig.period_start, fig.period_end) == ("2030-10-01", "2030-10-31")


# ---- words kept whole --------------------------------------------------------------------------


def test_a_hyphenated_word_stays_whole_in_the_subject():
    fig = one("There were 215 anti-social behaviour reports in the parks.", 215)
    assert "anti-social" in (fig.subject or "").lower()
    fig = one("Anti-social behaviour in the parks accounted for 48 reports.", 48)
    assert "anti-social" in (fig.subject or "").lower()
