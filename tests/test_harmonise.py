"""Category schemes, crosswalk, areas and the series view."""

import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from extract.cli import cli
from extract.vocab.areas import match_area
from extract.vocab.categories import match_category, match_phrase, resolve_total

from .conftest import write_corpus


@pytest.mark.parametrize(
    "label,category",
    [
        ("1b Violence with Injury", "sub_1b"),
        ("1B VIOLENCE WITH INJURY ¹", "sub_1b"),
        ("4a1 Burglary Residential", "sub_4a1"),
        ("4a Burglary ", "sub_4a"),
        ("1 Violence Against the Person ↑", "grp_1"),
        ("5 Criminal Damage & Arson Offences", "grp_5"),
        ("6a Trafficking of drugs", "sub_6a"),
        ("01. Charged/Summoned", "oc_01"),
        ("19. Outcome 20 ¹⁵", "oc_19"),
        ("Outcome 20", "out_20"),
        ("Woundings (serious and other)", "cmp_woundings"),
        ("ASB - PERSONAL", "asb_personal"),
        ("High Harm Crime", "theme_high_harm"),
        ("Quarter Total", "total"),
        ("Total:", "total"),
        ("9z Something Else", None),
        ("Teapots", None),
    ],
)
def test_match_category(label, category):
    assert match_category(label) == category


@pytest.mark.parametrize(
    "phrase,category",
    [
        ("violence with injury offences", "sub_1b"),
        ("recorded incidents of shoplifting", "sub_4e"),
        ("fly tipping incidents", None),
    ],
)
def test_match_phrase(phrase, category):
    assert match_phrase(phrase) == category


@pytest.mark.parametrize(
    "label,name",
    [
        ("WINCHESTER CITY ↑", "WINCHESTER CITY"),
        ("Winchester", "Winchester district"),
        ("ST BARTHOLOMEW", "ST BARTHOLOMEW"),
        ("Narnia", None),
    ],
)
def test_match_area(label, name):
    row = match_area(label)
    assert (row["name"] if row else None) == name


def test_a_total_row_counts_what_its_rows_share():
    assert resolve_total(["off_abh", "off_gbh"], "") == ("violence_with_injury", "sum_of")
    assert resolve_total(["sub_1b", "sub_1c", "sub_1a"], "") == ("violence_against_the_person", "sum_of")
    assert resolve_total(["sub_1b", "sub_4e", "grp_8"], "") == ("all_crime", "same")
    assert resolve_total(["cmp_woundings", "cmp_criminal_damage"], "") == ("all_crime", "overlaps")


SPLIT = """Burglary report

Headline Data: April – March 2021/22

WINCHESTER\tQ1\tQ2\tTotal 2021/22
4a1 Burglary Residential\t10\t12\t22
4a2 Burglary Business and Community\t5\t3\t8
Total\t15\t15\t30

Figure 1 Burglary
"""


@pytest.fixture(scope="module")
def corpus_db(bundled_text_db):
    return bundled_text_db


def test_derived_burglary_is_marked_derived(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"split": SPLIT})
    db = tmp_path / "csp.db"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)]).exit_code == 0
    con = sqlite3.connect(db)
    rows = con.execute(
        "select value, relation, derived, derived_from, period_start from series "
        "where canonical_category = 'burglary' and derived = 1 order by period_start, value"
    ).fetchall()
    assert [(r[0], r[2], r[4]) for r in rows] == [(15, 1, "2021-04-01"), (30, 1, "2021-04-01"), (15, 1, "2021-07-01")]
    assert all(r[3].startswith("[") for r in rows)
    assert con.execute("select distinct canonical_category from figures where category like '4a1%'").fetchall() == [
        ("residential burglary",)
    ]
    printed = con.execute("select canonical_relation from figures where category = 'Total'").fetchall()
    assert {r[0] for r in printed} == {"sum_of"}


def test_vap_has_four_reports_and_woundings_never_same(corpus_db):
    con = sqlite3.connect(corpus_db)
    docs = con.execute(
        "select count(distinct document_id) from series where canonical_category = 'violence against the person' "
        "and area = 'Winchester district'"
    ).fetchone()[0]
    assert docs >= 4
    rows = con.execute("select relation, caveat from series where printed_category like 'Woundings%'").fetchall()
    assert rows and all(r[0] in ("overlaps", "part_of") and r[1] for r in rows)


def test_burglary_across_the_2017_split_carries_its_caveat(corpus_db):
    con = sqlite3.connect(corpus_db)
    rows = con.execute(
        "select caveat from series where canonical_category = 'burglary' and period_start >= '2017-04-01' "
        "and derived = 0"
    ).fetchall()
    assert rows and all("April 2017" in r[0] for r in rows)


def test_pandemic_year_carries_its_caveat(corpus_db):
    con = sqlite3.connect(corpus_db)
    rows = con.execute(
        "select caveat from series where period_start = '2020-04-01' and period_end = '2021-03-31'"
    ).fetchall()
    assert rows and all("pandemic" in r[0] for r in rows)


def test_crime_outcome_and_asb_figures_have_canonical_categories(corpus_db):
    con = sqlite3.connect(corpus_db)
    total, mapped = con.execute(
        "select count(*), sum(canonical_category is not null) from facts where source_kind = 'table' and "
        "(measure like '%crime%' or measure like '%outcome%' or measure like '%ASB%' or measure like '%change%')"
    ).fetchone()
    assert total > 1000 and mapped / total >= 0.99


def test_region_figures_are_checked_against_their_parishes(corpus_db):
    con = sqlite3.connect(corpus_db)
    rows = con.execute("select passed, description from checks where kind = 'region_from_parishes'").fetchall()
    assert any(r[0] == 1 and r[1].startswith("WINCHESTER CITY") for r in rows)
    assert any(
        r[0] == 0 and r[1].startswith("WINCHESTER RURAL") for r in rows
    )  # 849 printed across parishes, 906 for the region


def test_the_bundled_corpus_has_no_unmapped_labels(corpus_db):
    result = CliRunner().invoke(cli, ["check", "--db", str(corpus_db), "--unmapped"])
    assert result.exit_code == 0, result.output
    assert "0 unmapped labels" in result.output


def test_unmapped_labels_are_listed_and_fail(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"odd": "T\n\nThing\tNARNIA\nTeapots\t3\n"})
    db = tmp_path / "csp.db"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--db", str(db), "--unmapped"])
    assert result.exit_code == 1
    assert "category\tTeapots\todd\t1" in result.output


def test_harmonising_never_changes_a_stored_figure(tmp_path):
    from extract.store.harmonise import harmonise_db, prepare

    corpus = write_corpus(tmp_path / "c", {"split": SPLIT})
    db = tmp_path / "csp.db"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)]).exit_code == 0
    con = sqlite3.connect(db)
    before = con.execute("select * from figures order by id").fetchall()
    con.close()
    database = sqlite_utils.Database(db)
    assert database.execute("select count(*) from derived_figures").fetchone()[0] > 0
    for view in ("series_view", "coverage_view"):  # what harmonise.sql creates, dropped to run it again
        database.execute(f"drop view {view}")
    for table in ("series", "coverage"):  # the tables copied from them (schema/series_tables.sql)
        database.execute(f"drop table {table}")
    for table in (
        "schemes",
        "canonical_categories",
        "categories",
        "crosswalk",
        "period_caveats",
        "check_kinds",
        "areas",
    ):
        database.execute(f"drop table {table}")
    database.execute("drop table periods")
    prepare(database)
    harmonise_db(database)
    assert before and database.execute("select * from figures order by id").fetchall() == before


def test_a_reports_sums_and_checks_come_with_its_interpretation_and_the_store_only_writes_them():
    """The interpretation is whole (extract.checks.report): a derived sum names its parts by key."""
    from extract.checks.report import across_figures
    from extract.model import Fact

    facts = [
        Fact(value=v, unit="count", source_kind="table", raw=str(int(v)), measure="recorded crimes", key=k,
             canonical_id=c, canonical_relation="same", area="Winchester district", table_index=0,
             period_start="2021-04-01", period_end="2022-03-31", table_label="Figure 1")
        for k, c, v in (("a", "burglary_residential", 40.0), ("b", "burglary_business", 10.0))
    ]  # fmt: skip
    derived, checks = across_figures(facts, "r", "Winchester district")
    assert [(d.canonical_id, d.value, d.derived_from) for d in derived] == [("burglary", 50.0, ("a", "b"))]
    assert all(c.figure_ids == [] for c in checks)


def test_a_region_that_disagrees_with_its_parishes_is_flagged_in_facts_only(corpus_db):
    con = sqlite3.connect(corpus_db)
    rows = con.execute(
        "select f.status, fa.status from checks c join check_figures cf on cf.check_id = c.id "
        "join figures f on f.id = cf.figure_id join facts fa on fa.fact_id = f.id "
        "where c.kind = 'region_from_parishes' and c.passed = 0"
    ).fetchall()
    assert rows and {fa for _, fa in rows} == {"flagged"}
    assert "ok" in {f for f, _ in rows}  # stored as read; the view adds the later check


MADE_UP_DISTRICT = """Northbury Partnership Strategic Assessment

Headline Data: April – March 2021/22

NORTHBURY TOWN\tQ1\tQ2\tQ3\tQ4\tTotal 2021/22
1b Violence with Injury\t20\t24\t21\t22\t87

Figure 1: Recorded crimes - April 2021 – March 2022.
"""


def test_a_district_brings_its_own_areas_file(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"northbury": MADE_UP_DISTRICT})
    manifest = (corpus / "manifest.yaml").read_text().replace("Winchester district", "Northbury district")
    (corpus / "manifest.yaml").write_text(manifest)
    (corpus / "areas.csv").write_text(
        "name,kind,parent,variants\nNorthbury district,district,,Northbury\nNORTHBURY TOWN,npt_region,Northbury district,\n"
    )
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    assert con.execute(
        "select a.name, a.kind from figures f join areas a on a.id = f.area_id where f.value = 87"
    ).fetchall() == [("NORTHBURY TOWN", "npt_region")]
    assert ("Winchester district",) not in con.execute("select name from areas").fetchall()


def test_a_bad_row_in_a_districts_areas_file_is_one_line(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"northbury": MADE_UP_DISTRICT})
    (corpus / "areas.csv").write_text("name,kind,parent,variants\nNORTHBURY TOWN,hamlet,,\n")
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(tmp_path / "csp.db")])
    assert result.exit_code == 1
    assert "areas.csv: row 1: field kind" in result.output and "Traceback" not in result.output
