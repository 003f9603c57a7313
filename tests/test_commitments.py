"""Commitments: rows joined across page breaks, items split inside cells, lead partners split and
normalised, pledges and themes from lists, and one build end to end."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from extract.cli import cli
from extract.interpret.commitments import extract_commitments, split_partners, theme_id
from extract.interpret.commitments.split import split_cell
from extract.model import Block, Cell, Document, Table

from .conftest import write_corpus

HEADER = ["Aims", "Activity", "Lead Partner/s", "Performance and Data Collection", "Outcome"]


def _table(rows: list[list[str]], page_of_row=None) -> Block:
    cells = [[Cell(t, page=(page_of_row or {}).get(r)) for t in row] for r, row in enumerate([HEADER, *rows])]
    return Block("table", table=Table(rows=cells))


def _doc(*blocks: Block) -> Document:
    return Document(source_file="text/x.txt", blocks=list(blocks))


def _kind(items, kind):
    return [c.text for c in items if c.item_kind == kind]


def test_a_row_continued_after_a_page_break_is_joined_to_its_row():
    table = _table(
        [
            [
                "Keep bike sheds locked",
                "Fit new locks to the sheds at",
                "Town Wardens",
                "Number of locks",
                "Fewer thefts",
            ],
            ["", "the station and the park", "", "", "Safer sheds"],
        ],
        page_of_row={1: 1, 2: 2},
    )
    items = extract_commitments(_doc(Block("heading", "Cycle Theft"), Block("heading", "Overall Aims"), table))
    assert _kind(items, "activity") == ["Fit new locks to the sheds at the station and the park"]
    assert _kind(items, "outcome") == ["Fewer thefts", "Safer sheds"]
    assert {c.theme for c in items} == {"Cycle Theft"}
    assert all(c.page == 1 for c in items if c.item_kind != "priority")


def test_a_first_cell_continuing_in_lower_case_joins_the_row_above():
    table = _table(
        [
            ["Help people who are at risk of", "Home visits", "Police", "Visits made", "Visits done"],
            ["falling victim to scams", "Leaflet drops", "", "", ""],
        ]
    )
    items = extract_commitments(_doc(table))
    assert _kind(items, "aim") == ["Help people who are at risk of falling victim to scams"]
    assert _kind(items, "activity") == ["Home visits", "Leaflet drops"]


def test_items_run_together_in_a_cell_without_bullets_are_split():
    assert split_cell(["Number of visits made Number of leaflets issued Levels of take up recorded"]) == [
        "Number of visits made",
        "Number of leaflets issued",
        "Levels of take up recorded",
    ]
    assert split_cell(["Fewer repeat calls to the police Greater use of the Safe Places scheme"]) == [
        "Fewer repeat calls to the police",
        "Greater use of the Safe Places scheme",
    ]


def test_bullets_and_stops_split_a_cell_but_joining_words_do_not():
    assert split_cell(["• Hold a forum. • Publish the minutes of the Forum Board"]) == [
        "Hold a forum.",
        "Publish the minutes of the Forum Board",
    ]
    assert split_cell(["Promote the use of Safe Places i.e. Shops and cafes"]) == [
        "Promote the use of Safe Places i.e. Shops and cafes"
    ]


def test_lead_partners_are_split_and_normalised():
    partners = {p.partner: p for p in split_partners("NPT, WCC Housing, Hampshire Constabulary, Riverside Trust")}
    assert set(partners) == {"Police", "Winchester City Council", "Riverside Trust"}
    assert partners["Police"].printed in ("NPT", "Hampshire Constabulary")
    assert partners["Riverside Trust"].evidence.startswith("as printed")


def test_pledges_and_statements_follow_their_lead_in():
    doc = _doc(
        Block("paragraph", "Looking ahead. Throughout the year the CSP will:"),
        Block("list_item", "Meet every quarter"),
        Block("list_item", "Publish its minutes"),
        Block("paragraph", "The Partnership has not met. The key features are:"),
        Block("list_item", "a smaller group"),
    )
    items = extract_commitments(doc)
    assert _kind(items, "pledge") == ["Meet every quarter", "Publish its minutes"]


def test_strategic_priorities_objectives_and_focus_lists():
    doc = _doc(
        Block("heading", "Strategic Priority 1"),
        Block("heading", "Safer Streets at Night"),
        Block("heading", "Our objectives:"),
        Block("list_item", "1. Reduce late night disorder"),
        Block("heading", "Our priorities:"),
        Block("list_item", "1. The bus station"),
        Block("paragraph", "Some background."),
        Block("list_item", "Not a listed item"),
    )
    items = extract_commitments(doc)
    assert _kind(items, "priority") == ["Safer Streets at Night"]
    assert _kind(items, "objective") == ["Reduce late night disorder"]
    assert _kind(items, "priority_focus") == ["The bus station"]
    assert len(items) == 3


def test_a_renamed_theme_links_through_the_crosswalk():
    assert theme_id("High Harm Crime") == theme_id("Priority crime") is not None


PLAN = """Test Delivery Plan 2022/23

Cycle Theft

Overall Aims

- Cut cycle theft at the station

Aims\tActivity\tLead Partner/s\tPerformance and Data Collection\tOutcome
Secure parking\tFit new locks Mark bikes for free\tNPT, WCC\tNumber of DVPN issued\tFewer thefts
"""

REVIEW = """Test Review 2023/24

The following themes were identified:

- Cycle Theft

Throughout the year the CSP has:

- Issued 4 DVPN to offenders
"""


def test_build_stores_commitments_partners_and_links(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"plan": PLAN, "review": REVIEW})
    manifest = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace(
        "start: 2021-04-01, end: 2022-03-31}\n    files: [text/review",
        "start: 2023-04-01, end: 2024-03-31}\n    files: [text/review",
    )
    (corpus / "manifest.yaml").write_text(manifest, encoding="utf-8")
    # the district's own council, named in its corpus (schema/partners.csv holds every district's)
    (corpus / "partners.csv").write_text(
        "partner,variant,kind,evidence\nWinchester City Council,WCC,local_authority,\n", encoding="utf-8"
    )
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    rows = con.execute("select document_id, item_kind, text from commitments order by id").fetchall()
    assert ("plan", "activity", "Mark bikes for free") in rows
    assert ("plan", "aim", "Cut cycle theft at the station") in rows
    assert ("review", "pledge", "Issued 4 DVPN to offenders") in rows
    partners = {p for (p,) in con.execute("select partner from commitment_partners")}
    assert partners == {"Police", "Winchester City Council"}
    reasons = [r for (r,) in con.execute("select reason from commitment_links")]
    assert any("DVPN" in r for r in reasons)


def test_named_priority_categories_after_a_numbered_lead_in():
    doc = _doc(
        Block("list_item", "2.1 The work plan keeps two priority categories They are:"),
        Block("list_item", "Streets – Keep the streets safe at night."),
        Block("list_item", "Homes – Cut burglary."),
        Block("list_item", "2.2 Over the year the group met often."),
        Block("list_item", "Not a priority"),
    )
    assert _kind(extract_commitments(doc), "priority") == ["Streets", "Homes"]


def test_a_report_with_no_period_is_no_later_evidence_and_no_bug(tmp_path):
    """A report whose manifest gives no period cannot be told to be later than a plan: it is not
    evidence of the plan's commitments, and the build does not stop on it."""
    corpus = write_corpus(tmp_path / "corpus", {"plan": PLAN, "review": REVIEW})
    manifest = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace(
        "    period: {start: 2021-04-01, end: 2022-03-31}\n    files: [text/review", "    files: [text/review"
    )
    (corpus / "manifest.yaml").write_text(manifest, encoding="utf-8")
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    assert con.execute("select period_start from documents where id = 'review'").fetchone() == (None,)
    linked = con.execute("select count(*) from commitment_links where document_id = 'review'").fetchone()[0]
    assert linked == 0
