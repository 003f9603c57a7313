"""General skip rules of the prose figure finder (schema/figure_patterns.yaml), each on sentences
written for the test: a number naming a set ("the 4 P's"), "1 to 1" work, ages."""

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document


def _values(text):
    doc = Document("text/t.txt", blocks=[Block("paragraph", text, start=0, end=len(text))])
    return [f.value for f in extract_figures(doc, None, "Testshire district")]


def test_a_number_before_a_single_capital_letter_names_a_set():
    assert _values("Officers promoted the 4 P's of counter terrorism to 30 schools.") == [30]
    assert _values("Tutors taught the 3 Rs to 120 pupils.") == [120]
    assert _values("The plan follows 4 x P's across 6 wards.") == [6]


def test_a_magnitude_letter_is_not_a_set_name():
    assert _values("A grant of £25 K paid for the scheme.") == [25000]


def test_one_to_one_is_a_kind_of_work_not_a_figure():
    assert _values("Mentors gave 1 to 1 mentoring to 14 families.") == [14]
    assert _values("Youth workers ran 1:1 sessions with 8 young people and 1 - 1 coaching for 5.") == [8, 5]


def test_other_ranges_of_sessions_are_still_figures():
    assert _values("Each family had 2 to 3 sessions.") == [2, 3]


def test_an_age_after_under_is_not_a_figure_whatever_follows():
    assert _values("Patrols saw 7 persons under 16 loitering near the station.") == [7]
