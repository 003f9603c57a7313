"""Many districts in one corpus: each with its own areas file, its areas qualified by district so
two districts' "Rural" never meet, trend lines apart per district, and like-for-like comparisons
across districts. Every report and area here is invented for these tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.corpus.manifest import load_districts, load_manifest
from extract.errors import ManifestError
from extract.vocab.rows import VocabularyError


def _report(name: str, regions: list[str], rows: list[tuple[str, list[int]]]) -> str:
    header = "\t".join(["Current period", *(r.upper() for r in regions), "TOTAL"])
    lines = [
        f"{name} Community Safety Partnership Performance Review",
        "",
        f"{name} District Crime 2022/23 (by region):",
        "",
        header,
    ]
    lines += ["\t".join([label, *map(str, values), str(sum(values))]) for label, values in rows]
    return "\n".join(lines) + "\n"


DISTRICTS = {
    "northvale": (
        "Northvale",
        ["Rural", "Town"],
        [("1 Violence Against the Person", [120, 340]), ("3 Robbery", [4, 19])],
    ),
    "southmere": (
        "Southmere",
        ["Rural", "Harbour"],
        [("1 Violence Against the Person", [75, 210]), ("3 Robbery", [2, 11])],
    ),
}


def write_districts(root: Path, districts: dict = DISTRICTS) -> Path:
    """A corpus of several districts: a folder each with its areas and its one report."""
    declared, documents = [], []
    for key, (name, regions, rows) in districts.items():
        folder = root / key
        (folder / "text").mkdir(parents=True)
        areas = [f"{name} district,district,,{name}|{name.upper()}|{name} District"]
        areas += [f"{name} {r},npt_region,{name} district,{r.upper()}|{r}" for r in regions]
        (folder / "areas.csv").write_text("name,kind,parent,variants\n" + "\n".join(areas) + "\n", encoding="utf-8")
        (folder / "text" / "review.txt").write_text(_report(name, regions, rows), encoding="utf-8")
        declared.append(f"  - {{id: {key}, name: {name}, areas: {key}/areas.csv}}\n")
        documents.append(
            f"  - id: {key}-2022-23-review\n    title: {name} performance review 2022/23\n    kind: performance_review\n"
            f"    district: {key}\n    area: {name} district\n    period: {{start: 2022-04-01, end: 2023-03-31}}\n"
            f"    files: [{key}/text/review.txt]\n"
        )
    manifest = "districts:\n" + "".join(declared) + "documents:\n" + "".join(documents)
    (root / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def two_districts(tmp_path_factory) -> Path:
    root = write_districts(tmp_path_factory.mktemp("districts") / "corpus")
    db = root.parent / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    return db


def test_each_districts_areas_are_its_own(two_districts):
    con = sqlite3.connect(two_districts)
    rural = con.execute("select id, name, district from areas where name like '% Rural' order by district").fetchall()
    assert [(name, district) for _, name, district in rural] == [
        ("Northvale Rural", "northvale"),
        ("Southmere Rural", "southmere"),
    ]
    assert rural[0][0] != rural[1][0]
    assert con.execute("select id, name from districts order by id").fetchall() == [
        ("northvale", "Northvale"),
        ("southmere", "Southmere"),
    ]
    assert dict(con.execute("select id, district from documents")) == {
        "northvale-2022-23-review": "northvale",
        "southmere-2022-23-review": "southmere",
    }


def test_a_districts_figures_are_placed_in_its_own_areas(two_districts):
    con = sqlite3.connect(two_districts)
    placed = con.execute(
        "select f.document_id, f.raw, a.name, a.district from figures f join areas a on a.id = f.area_id "
        "where f.row_label like '3 Robbery%' order by 1, 2"
    ).fetchall()
    for document, _, _, district in placed:
        assert document.startswith(district)  # never another district's area
    assert ("southmere-2022-23-review", "2", "Rural", "southmere") in [
        (d, r, n.split()[-1], k) for d, r, n, k in placed
    ]


def test_two_districts_lines_are_apart(two_districts):
    con = sqlite3.connect(two_districts)
    lines = con.execute("select area from lines where canonical_category = 'robbery' order by area").fetchall()
    areas = [a for (a,) in lines]
    assert "Northvale: RURAL" in areas and "Southmere: RURAL" in areas  # qualified, never one line
    assert "Northvale district" in areas and "Southmere district" in areas  # the districts themselves as named
    values = dict(
        con.execute(
            "select area, value from series where canonical_category = 'robbery' and area like '%: RURAL' and derived = 0"
        )
    )
    assert values == {"Northvale: RURAL": 4, "Southmere: RURAL": 2}


def test_one_category_compared_across_districts_like_for_like(two_districts):
    import yaml

    from .conftest import REPO

    queries = yaml.safe_load((REPO / "datasette" / "canned_queries.yml").read_text(encoding="utf-8"))["queries"]
    sql = queries["compare_districts"]["sql"]
    con = sqlite3.connect(two_districts)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute(sql, {"category": "robbery"})]
    assert {(r["district"], r["value"]) for r in rows} == {("Northvale", 23), ("Southmere", 13)}
    assert len({(r["period_start"], r["period_end"]) for r in rows}) == 1  # the same period only


def test_a_document_must_name_a_declared_district(tmp_path):
    root = write_districts(tmp_path / "corpus")
    manifest = (root / "manifest.yaml").read_text(encoding="utf-8")
    (root / "manifest.yaml").write_text(manifest.replace("district: southmere", "district: eastwick"), encoding="utf-8")
    with pytest.raises(ManifestError, match="district 'eastwick' is not one of northvale, southmere"):
        load_manifest(root)
    (root / "manifest.yaml").write_text(manifest.replace("    district: southmere\n", ""), encoding="utf-8")
    with pytest.raises(ManifestError, match="missing required field 'district'"):
        load_manifest(root)
    (root / "manifest.yaml").write_text(
        manifest.replace("areas: southmere/areas.csv", "areas: ../areas.csv"), encoding="utf-8"
    )
    with pytest.raises(ManifestError, match="within the corpus"):
        load_districts(root)


def test_a_corpus_of_one_district_declares_none(tmp_path):
    from .conftest import REPO

    assert load_districts(REPO / "corpus") == []
    assert all(e.district is None for e in load_manifest(REPO / "corpus"))


def test_a_corpus_of_districts_read_on_a_local_cluster_is_the_same_archive(tmp_path, two_districts):
    pytest.importorskip("distributed")
    from .test_incremental import content

    root = two_districts.parent / "corpus"
    db = tmp_path / "cluster.db"
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache", "--scheduler", "local:1"]
    )
    assert result.exit_code == 0, result.output
    assert content(db) == content(two_districts)


def test_a_districts_own_partners_come_from_its_corpus(tmp_path):
    from extract.interpret.commitments.partners import split_partners
    from extract.vocab.areas import use_district_areas
    from extract.vocab.loader import load_rows

    assert not any("Winchester" in p.partner or "Hampshire" in p.variant for p in load_rows("partners.csv"))
    root = write_districts(tmp_path / "corpus")
    (root / "areas.csv").write_bytes((root / "northvale" / "areas.csv").read_bytes())
    (root / "partners.csv").write_text(
        "partner,variant,kind,evidence\nNorthvale Borough Council,NBC,local_authority,\n", encoding="utf-8"
    )
    use_district_areas(root / "areas.csv")
    assert {p.partner for p in split_partners("NBC Housing, Police")} == {"Northvale Borough Council", "Police"}
    use_district_areas(root / "northvale" / "areas.csv")  # no partners.csv beside it: the name as printed
    assert {p.partner for p in split_partners("NBC Housing, Police")} == {"NBC Housing", "Police"}
    (root / "partners.csv").write_text("partner,variant,kind,evidence\nNorthvale BC,NBC,shop,\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="kind"):
        use_district_areas(root / "areas.csv")


def test_a_commitment_is_linked_only_to_its_own_districts_reports(tmp_path):
    from .test_commitments import PLAN, REVIEW

    root = write_districts(tmp_path / "corpus")
    (root / "northvale" / "text" / "plan.txt").write_text(PLAN, encoding="utf-8")
    (root / "southmere" / "text" / "later.txt").write_text(REVIEW, encoding="utf-8")
    manifest = (root / "manifest.yaml").read_text(encoding="utf-8")
    manifest += (
        "  - id: northvale-plan\n    title: Northvale plan\n    kind: delivery_plan\n    district: northvale\n"
        "    period: {start: 2022-04-01, end: 2023-03-31}\n    files: [northvale/text/plan.txt]\n"
        "  - id: southmere-later-review\n    title: Southmere review\n    kind: performance_review\n"
        "    district: southmere\n    period: {start: 2023-04-01, end: 2024-03-31}\n"
        "    files: [southmere/text/later.txt]\n"
    )
    (root / "manifest.yaml").write_text(manifest, encoding="utf-8")
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    linked = con.execute(
        "select count(*) from commitment_links l join commitments c on c.id = l.commitment_id "
        "where c.document_id = 'northvale-plan' and l.target_kind != 'none'"
    ).fetchone()[0]
    assert linked == 0  # the DVPN issued in Southmere does not report on Northvale's plan
    reasons = {r for (r,) in con.execute("select reason from commitment_links where target_kind = 'none'")}
    assert "no later report in the archive" in reasons  # none of Northvale's own reports is later


def test_a_districts_own_spellings_of_categories_come_from_its_corpus(tmp_path):
    from extract.vocab.areas import use_district_areas
    from extract.vocab.categories import match_category
    from extract.vocab.loader import load_csv

    assert not any("Winchester" in (r["label"] + r["variants"]) for r in load_csv("categories.csv"))
    root = write_districts(tmp_path / "corpus")
    (root / "areas.csv").write_bytes((root / "northvale" / "areas.csv").read_bytes())
    (root / "category_names.csv").write_text(
        "category,variants\nsvc_refuge,Referrals into Northvale Haven|Northvale Haven referrals\n", encoding="utf-8"
    )
    use_district_areas(root / "areas.csv")
    assert match_category("Referrals into Northvale Haven") == "svc_refuge"
    assert match_category("Referrals into the refuge") == "svc_refuge"  # as any district prints it
    use_district_areas(root / "northvale" / "areas.csv")  # another district: its own names only
    assert match_category("Referrals into Northvale Haven") is None
    (root / "category_names.csv").write_text("category,variants\nsvc_nowhere,Haven\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not an id of schema/categories.csv"):
        use_district_areas(root / "areas.csv")


def test_a_districts_wider_areas_and_neighbours_come_from_its_corpus(tmp_path):
    from extract.interpret.narrative import extract_figures
    from extract.interpret.narrative_periods import vocab
    from extract.readers.text import parse_text
    from extract.vocab.areas import use_district_areas

    assert not any("Hampshire" in a or "Winchester" in a for a in vocab()["wider_areas"])
    root = write_districts(tmp_path / "corpus")
    areas = (root / "northvale" / "areas.csv").read_text(encoding="utf-8")
    (root / "northvale" / "areas.csv").write_text(areas + "Harbourtown,neighbour,,\n", encoding="utf-8")
    use_district_areas(root / "northvale" / "areas.csv")
    doc = parse_text("Review\n\nIn Harbourtown 412 burglaries were recorded in 2022/23.\n", "text/r.txt")
    assert [f.area for f in extract_figures(doc, None, "Northvale district") if f.value == 412] == ["Harbourtown"]


def _later_report(root: Path, key: str, year: int, scale: int, districts: dict = DISTRICTS) -> None:
    """A later report of one district: its first report's table for ``year``/``year+1``, each figure × scale."""
    name, regions, rows = districts[key]
    label = f"{year}/{(year + 1) % 100:02d}"
    text = _report(name, regions, [(r, [v * scale for v in values]) for r, values in rows]).replace("2022/23", label)
    (root / key / "text" / f"{year}.txt").write_text(text, encoding="utf-8")
    with (root / "manifest.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(
            f"  - id: {key}-{year}-review\n    title: {name} review {label}\n    kind: performance_review\n"
            f"    district: {key}\n    area: {name} district\n"
            f"    period: {{start: {year}-04-01, end: {year + 1}-03-31}}\n    files: [{key}/text/{year}.txt]\n"
        )


def test_two_periods_are_compared_in_the_districts_with_a_value_for_both(tmp_path):
    from .test_queries import _what_changed

    root = write_districts(tmp_path / "corpus")
    _later_report(root, "northvale", 2023, 2)  # Northvale: 2022/23 and 2023/24
    _later_report(root, "southmere", 2024, 3)  # Southmere: 2022/23 and 2024/25, never 2023/24
    db = tmp_path / "csp.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(root), "--db", str(db), "--no-cache"])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    later = con.execute("select distinct district from period_districts where period_start = '2023-04-01'").fetchall()
    assert later == [("northvale",)]
    found = {
        (r["canonical_category"], r["area"], r["measure"], r["earlier_value"], r["later_value"])
        for r in _what_changed(con, "2022-04-01", "2023-04-01")
    }
    every_pair = set(  # the comparison's meaning: each line's value in one period beside its value in the other
        con.execute(
            "select a.canonical_category, a.area, a.measure, a.value, b.value from period_values a "
            "join period_values b on b.canonical_category = a.canonical_category and b.area is a.area "
            "and b.measure is a.measure and b.unit = a.unit and b.length = a.length "
            "where a.period_start = '2022-04-01' and b.period_start = '2023-04-01' and a.unit = 'count'"
        )
    )
    assert found == every_pair
    assert ("robbery", "Northvale: RURAL", "recorded crimes", 4.0, 8.0) in found
    assert not any(area.startswith("Southmere") for _, area, *_ in found)
    skipped = {r["area"] for r in _what_changed(con, "2022-04-01", "2024-04-01")}
    assert skipped and all(a.startswith("Southmere") for a in skipped)
