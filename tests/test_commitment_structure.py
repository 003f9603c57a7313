"""Commitments in their place: every item of a plan under its parent as printed (priority → aim →
activity / measure / outcome), cells split by general evidence, partners kept as printed, achievements
as whole sentences, and links a reader would accept. Every cell here is written for these tests."""

from __future__ import annotations

from extract.interpret.commitments import extract_commitments, split_partners
from extract.interpret.commitments.split import split_cell, split_sentences
from extract.interpret.commitments.tables import achievement_items
from extract.model import Block, Cell, Document, Table
from extract.store.commitment_links import (
    Evidence,
    LinkSettings,
    Reading,
    _term_patterns,
    category_fit,
    counted_heads,
    counts,
    judge,
    named_categories,
    passages,
)

HEADER = ["Aims", "Activity", "Lead Partner/s", "Performance and Data Collection", "Outcome"]


def _table(rows: list[list[str]]) -> Block:
    return Block("table", table=Table(rows=[[Cell(t) for t in row] for row in [HEADER, *rows]]))


def _priority(name: str, aims: list[str], rows: list[list[str]]) -> list[Block]:
    return [
        Block("heading", name),
        Block("heading", "Overall Aims"),
        *[Block("list_item", a) for a in aims],
        _table(rows),
    ]


PLAN = Document(
    source_file="text/plan.txt",
    blocks=[
        Block("heading", "Town Safety Plan 2030/31"),
        *_priority(
            "Cycle Theft",
            ["Cut cycle theft at the stations"],
            [
                [
                    "Secure the racks",
                    "Fit new locks Mark frames",
                    "Rail Police",
                    "Number of locks fitted",
                    "Fewer thefts",
                ],
                ["Warn riders", "Post leaflets", "Town Wardens", "Number of leaflets", "More locked bikes"],
            ],
        ),
        *_priority(
            "Noisy Streets",
            ["Quieter nights in the square"],
            [["Calm the square", "Evening patrols", "Town Wardens", "Number of patrols", "Fewer noise calls"]],
        ),
        *_priority(
            "Flood Readiness",
            ["Homes ready for floods"],
            [
                ["Prepare homes", "Hand out sandbags", "River Trust", "Number of sandbags", "Homes kept dry"],
                ["", "Check drains", "", "Drains checked", ""],  # the row continued after a page break
            ],
        ),
    ],
)


def test_every_item_of_a_three_priority_plan_has_its_printed_parent():
    items = extract_commitments(PLAN)
    parent = {c.text: items[c.parent].text if c.parent is not None else None for c in items}
    assert parent["Cycle Theft"] is None
    assert parent["Cut cycle theft at the stations"] == "Cycle Theft"
    assert parent["Secure the racks"] == parent["Warn riders"] == "Cycle Theft"
    for text in ("Fit new locks", "Mark frames", "Number of locks fitted", "Fewer thefts"):
        assert parent[text] == "Secure the racks"
    for text in ("Post leaflets", "Number of leaflets", "More locked bikes"):
        assert parent[text] == "Warn riders"
    assert parent["Quieter nights in the square"] == parent["Calm the square"] == "Noisy Streets"
    for text in ("Evening patrols", "Number of patrols", "Fewer noise calls"):
        assert parent[text] == "Calm the square"
    assert parent["Homes ready for floods"] == parent["Prepare homes"] == "Flood Readiness"
    for text in ("Hand out sandbags", "Check drains", "Number of sandbags", "Drains checked", "Homes kept dry"):
        assert parent[text] == "Prepare homes"  # the continued row joined to its row
    assert all(c.parent is None or c.parent < n for n, c in enumerate(items))


def test_an_acronym_after_a_complete_bracketed_item_starts_the_next():
    assert split_cell(["Number of talks given (i.e., bike safety talks) FAT outcomes for cycle theft"]) == [
        "Number of talks given (i.e., bike safety talks)",
        "FAT outcomes for cycle theft",
    ]


def test_a_complete_item_ending_in_use_is_followed_by_a_new_one():
    assert split_cell(["New racks in use Locks provided"]) == ["New racks in use", "Locks provided"]


def test_a_name_in_a_list_and_a_single_word_are_not_items_of_their_own():
    assert split_cell(["Wardens at all meetings i.e. Rail Forum, Schools Partnership, Parish meetings"]) == [
        "Wardens at all meetings i.e. Rail Forum, Schools Partnership, Parish meetings"
    ]
    assert split_cell(["Rail Safety Group (RSG) Accreditation"]) == ["Rail Safety Group (RSG) Accreditation"]


def test_names_continuing_a_list_after_a_stop_stay_with_it():
    assert split_cell(["More use of powers: bans, curfews, Town Orders. ABC and Night Curfews Use of fines."]) == [
        "More use of powers: bans, curfews, Town Orders. ABC and Night Curfews",
        "Use of fines.",
    ]


def test_partners_are_kept_as_printed_and_normalised_without_loss():
    names = {p.partner for p in split_partners("Bike Forum – All Partners University of Winchester Police")}
    assert names == {"Bike Forum – All Partners", "University of Winchester", "Police"}
    names = {p.partner for p in split_partners("Education & Colleges, riders and walkers forums")}
    assert names == {"Education", "Colleges", "riders and walkers forums"}
    names = {p.partner for p in split_partners("WCC Parks; Wardens Board meeting of the Chairs")}
    assert names == {"Winchester City Council"}  # a meeting is not a partner
    names = {p.partner for p in split_partners("Rail Safety Group (SAG), NPT")}
    assert names == {"Safety Advisory Group", "Police"}


def test_achievements_are_whole_sentences_across_a_page_break():
    table = Table(
        rows=[
            [Cell("Cycle Theft")],
            [Cell("Fitted 40 locks at the station. Gave out 200 leaflets to riders under")],
            [Cell("the bridge. Marked 30 frames (10 at the fair) Held two events.")],
        ]
    )
    texts = [c.text for c in achievement_items(table, 0, 0, Block("table", table=table))]
    assert texts == [
        "Fitted 40 locks at the station.",
        "Gave out 200 leaflets to riders under the bridge.",
        "Marked 30 frames (10 at the fair)",
        "Held two events.",
    ]
    assert split_sentences(["Served 3 DVPN. Records show fewer breaches."]) == [
        "Served 3 DVPN.",
        "Records show fewer breaches.",
    ]


def _ev(text: str, theme: str | None = "domestic_abuse", kind: str = "block") -> Evidence:
    return Evidence(kind, 1, "later", "2031-04-01", theme, text, Reading.of(text, _term_patterns()))


def _link(promise: str, evidence: Evidence, measure: bool = False, theme: str = "domestic_abuse"):
    return judge(Reading.of(promise, _term_patterns()), measure, theme, evidence, LinkSettings())


def test_links_need_the_commitments_subject_not_a_shared_common_word():
    assert _link("Reduce the number of CPN/CBO breaches", _ev("7 CBOs remain in place in the town.")) is None
    assert (
        _link("Fewer reported VAWG incidents", _ev("Staff held a webinar on violence against women and girls.")) is None
    )
    reason = _link("Number of DVPN issued", _ev("The police served 6 DVPN in the year."), measure=True)
    assert reason is not None and "DVPN" in reason[0] and "figure" in reason[0]
    assert _link("Number of DVPN issued", _ev("The DVPN process was reviewed."), measure=True) is None


def test_a_measure_term_alone_links_only_under_the_commitments_theme():
    promise = "More police FAT outcomes"
    assert _link(promise, _ev("The FAT outcome rate rose to 12% this year.")) is not None
    assert _link(promise, _ev("FAT outcomes for theft rose to 12% this year.", theme="priority_crime")) is None
    assert _link("FAT outcomes for violence with injury", _ev("FAT outcomes rose to 12% for theft.")) is None
    figures = _ev("Figure 3 Violence with injury and FAT outcomes: Total — 2031 FAT 40 (12%)", kind="figure")
    assert _link("FAT outcomes for violence with injury", figures, measure=True) is not None


def _row(text: str, categories: set[str], local: bool = False) -> Evidence:
    reading = Reading.of(text, _term_patterns())
    reading.figures = True
    return Evidence(
        "figure", 1, "later", "2031-04-01", None, text, reading, categories=frozenset(categories), local=local
    )


def test_a_table_row_of_a_sibling_category_is_no_evidence():
    promise = "Reduce residential burglary offences across the borough"
    wanted = named_categories(promise)
    assert wanted == frozenset({"burglary_residential"})  # the narrowest category named, not also burglary

    def link(ev: Evidence):
        return judge(Reading.of(promise, _term_patterns()), False, None, ev, LinkSettings(), wanted)

    assert link(_row("Table 4: Burglary of shops and businesses — 2031 40", {"burglary_business"})) is None
    same = link(_row("Table 4: Residential burglary — 2031 80", {"burglary_residential"}))
    assert same is not None and "wider category" not in same[0]


def test_a_row_of_parishes_alone_does_not_report_on_the_district():
    promise = "Reduce criminal damage across the borough"
    wanted = named_categories(promise)
    reading = Reading.of(promise, _term_patterns())
    parishes = _row("Criminal damage — Upper Ashby 12; Lower Ashby 9; TOTAL 21", {"criminal_damage"}, local=True)
    district = _row("Criminal damage — North 40; South 31; TOTAL 71", {"criminal_damage"})
    assert judge(reading, False, None, parishes, LinkSettings(), wanted) is None
    assert judge(reading, False, None, district, LinkSettings(), wanted) is not None


def test_category_fit_tells_same_part_whole_and_other():
    assert category_fit(frozenset({"violence_against_the_person"}), frozenset({"violence_with_injury"})) == "part"
    assert category_fit(frozenset({"criminal_damage"}), frozenset({"criminal_damage_and_arson"})) == "whole"
    assert category_fit(frozenset({"robbery"}), frozenset({"drug_offences"})) is None
    assert category_fit(frozenset(), frozenset({"robbery"})) == "same"  # the words decide


def test_a_wider_or_narrower_row_is_another_quantity():
    promise = "Reduce residential burglary offences across the borough"
    wanted = named_categories(promise)
    reading = Reading.of(promise, _term_patterns())
    plain = _row("Table 4: Burglary (all) — 2031 120", {"burglary"})
    assert judge(reading, False, None, plain, LinkSettings(), wanted) is None
    damage = named_categories("Reduce criminal damage in the borough")
    union = _row("Table 5: Criminal damage and arson — 2031 70", {"criminal_damage_and_arson"})
    reading = Reading.of("Reduce criminal damage in the borough", _term_patterns())
    assert judge(reading, False, None, union, LinkSettings(), damage) is None
    violence = named_categories("Reduce violence against the person in the town centre")
    narrower = _row("Table 6: Violence with injury — 2031 300", {"violence_with_injury"})
    reading = Reading.of("Reduce violence against the person in the town centre", _term_patterns())
    assert judge(reading, False, None, narrower, LinkSettings(), violence) is None
    # a row qualified in words is a part of its category; an abbreviation qualifies nothing
    reading = Reading.of("Reduce criminal damage across the borough", _term_patterns())
    row = _row("Criminal damage — North 40; South 31; TOTAL 71", {"criminal_damage"})
    part = Evidence(**{**row.__dict__, "label": "Criminal damage (to parked vehicles)"})
    whole = Evidence(**{**row.__dict__, "label": "Criminal damage (CD)"})
    assert judge(reading, False, None, part, LinkSettings(), damage) is None
    assert judge(reading, False, None, whole, LinkSettings(), damage) is not None


def test_a_count_is_answered_only_by_evidence_naming_what_it_counts():
    patterns = _term_patterns()
    promise = "Number of tenancy audits linked to the harbour estate (Housing)"
    heads = counted_heads(promise, patterns)
    assert heads == (frozenset({"audit"}),)
    reading = Reading.of(promise, patterns)

    def sentence(text: str) -> Evidence:
        return Evidence("block", 1, "later", "2031-04-01", None, text, Reading.of(text, patterns))

    other = sentence("Burglary on the harbour estate rose to 41 dwellings, with 12 tenancy complaints recorded.")
    named = sentence("Housing officers completed 14 tenancy audits on the harbour estate during the year.")
    assert judge(reading, True, None, other, LinkSettings(), frozenset(), heads) is None
    assert judge(reading, True, None, named, LinkSettings(), frozenset(), heads) is not None
    # a trailing participle qualifies the noun before it; alternatives each count
    assert counted_heads("Number of leaflets, banners distributed", patterns) == (
        frozenset({"leaflet"}),
        frozenset({"banner"}),
    )
    assert counted_heads("Publish the annual review", patterns) == ()


def test_ages_are_not_figures_reported():
    assert not counts("Mentors work with children aged 11 to 15 who are at risk of exclusion.")
    assert not counts("The club is open to 12-17 year olds on Fridays.")
    assert counts("Mentors took on 23 new referrals in the year.")


def test_a_sentence_and_those_referring_back_to_it_are_one_piece_of_evidence():
    said = passages(
        [
            "A harbour watch scheme was set up in May by the port authority.",
            "This is a forum where traders share reports of thefts from boats.",
            "Its members met 9 times in the year.",
            "Promises aside, cycle thefts fell by 14 at the station.",
            "It will meet monthly from next year.",
        ],
        3,
    )
    assert said == [
        "A harbour watch scheme was set up in May by the port authority. "
        "This is a forum where traders share reports of thefts from boats.",
        "Its members met 9 times in the year.",
    ]


def test_a_sentence_opening_on_an_earlier_one_is_evidence_with_it():
    from extract.store.commitment_links import _BACK_REFERENCE

    assert _BACK_REFERENCE.match("The rise is put down to patrols in the market square.")
    assert _BACK_REFERENCE.match("These were served on four landlords.")
    assert not _BACK_REFERENCE.match("Thefts of cycles rose by a third.")


def test_a_named_operation_is_a_key_term_wherever_it_is_printed():
    from extract.store.commitment_links import terms_in

    patterns = _term_patterns()
    assert "Op Harbourwatch" in terms_in("Number of patrols linked to Op Harbourwatch.", patterns)
    assert "Op Harbourwatch" in terms_in("The Operation Harbourwatch meeting met monthly.", patterns)
    assert not any(t.startswith("Op ") for t in terms_in("Operations rose; op theatre closed.", patterns))
    promise = "Number of patrols linked to Op Harbourwatch"
    said = "Officers ran 14 patrols under Operation Harbourwatch at the marina during the summer."
    ev = Evidence("block", 1, "later", "2031-04-01", None, said, Reading.of(said, patterns))
    heads = counted_heads(promise, patterns)
    judged = judge(Reading.of(promise, patterns), True, None, ev, LinkSettings(), frozenset(), heads)
    assert judged is not None and "Op Harbourwatch" in judged[0]
