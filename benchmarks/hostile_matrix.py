"""Hostile and broken input (issue 9), end to end: each kind of bad input or condition is tried
against a fresh copy of the bundled corpus (and its built archive) through the CLI, in a
subprocess, and a markdown table says whether it held.

    python benchmarks/hostile_matrix.py [--docs N] [--only WORD] [--jobs 2]

Columns: held (the expected outcome: refused in one line, or reported in one line with the
others built, or built), traceback (one was printed), hang (over the case's bound), data lost
(the archive's facts after the case, against before). ``--docs N`` keeps the first N documents
of the bundled corpus (all by default); fewer make the many rebuilds quicker. A second table
times the readers on adversarial lines of n and 8n characters (linear: ratio near 8).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ENTRY = "  - id: {id}\n    title: {title}\n    kind: {kind}\n    files: [{file}]\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
)


@dataclass
class Case:
    kind: str
    setup: Callable[[Path], None]  # given the case's root: root/corpus, root/db/csp.db
    expect: str = "refuse"  # refuse | report | build | serve-refuse | http
    bound: float = 120.0  # seconds before the case counts as a hang
    args: tuple[str, ...] = ()
    http: tuple[str, str, int] | None = None  # (method, path, expected status class: 4 or 2)
    #: expect "custom": runs the case itself, given its root and archive: (held, output, note)
    run: Callable[[Path, Path], tuple[bool, str, str]] | None = None


@dataclass
class Outcome:
    kind: str
    held: bool
    traceback: bool
    hang: bool
    before: int
    after: int
    note: str
    seconds: float = 0.0


# ---- helpers used by the setups --------------------------------------------------------------


def corpus(root: Path) -> Path:
    return root / "corpus"


def manifest(root: Path) -> Path:
    return corpus(root) / "manifest.yaml"


def add_entry(root: Path, file: str, doc_id: str = "hostile", **fields: str) -> None:
    text = manifest(root).read_text(encoding="utf-8").rstrip("\n") + "\n"
    entry = ENTRY.format(id=doc_id, title="Hostile input", kind="other", file=file)
    entry += "".join(f"    {k}: {v}\n" for k, v in fields.items())
    manifest(root).write_text(text + entry, encoding="utf-8")


def add_file(root: Path, relpath: str, data: bytes, doc_id: str = "hostile") -> None:
    path = corpus(root) / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    add_entry(root, relpath, doc_id)


def replace_manifest(text: str | bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        manifest(root).write_bytes(data)

    return setup


def first_entry_with(field: str, value: str) -> Callable[[Path], None]:
    """The first entry's ``field`` set to a raw YAML ``value`` (replaced when present)."""

    def setup(root: Path) -> None:
        lines = manifest(root).read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("  - id:"))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - ")), len(lines))
        body = [ln for ln in lines[start:end] if not ln.strip().startswith(("- " + field + ":", field + ":"))]
        if field == "id":
            body = ["  - id: " + value] + body
        else:
            body = body[:1] + [f"    {field}: {value}"] + body[1:]
        lines[start:end] = body
        manifest(root).write_text("\n".join(lines) + "\n", encoding="utf-8")

    return setup


def text_file(root: Path) -> Path:
    return sorted((corpus(root) / "text").glob("*.txt"))[0]


def pdf_fixture(name: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        from tests import pdf_fixtures

        path = corpus(root) / "pdf" / "hostile.pdf"
        if name == "bomb":
            pdf_fixtures.bomb_pdf(path)
        elif name == "giant":
            pdf_fixtures.giant_page_pdf(path)
        elif name == "encrypted":
            w = pdf_fixtures.Writer(path, encrypt="secret")
            w.text("A locked report with 877 crimes.")
            w.save()
        elif name == "no-text":
            w = pdf_fixtures.Writer(path, header="")
            w.c.rect(100, 100, 300, 300, fill=1)
            w.c.drawString(-5000, -5000, "")  # nothing on the page but a shape
            w.save()
        elif name == "truncated":
            pdf_fixtures.report_pdf(path)
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 3])
        add_entry(root, "pdf/hostile.pdf")

    return setup


def cache_dir(root: Path) -> Path:
    return root / "db" / ".csp.db.cache"


def cache_entries(root: Path) -> list[Path]:
    return sorted(cache_dir(root).glob("*.json"))


def touch_corpus(root: Path) -> None:
    """Change one listed text so the build cannot stand on the archive as it is."""
    with text_file(root).open("a", encoding="utf-8") as out:
        out.write("\nOne more line.\n")


def cache_setup(how: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        entries = cache_entries(root)
        if how == "file":
            shutil.rmtree(cache_dir(root))
            cache_dir(root).write_text("not a directory")
        elif how == "corrupt":
            entries[0].write_text("{not json")
        elif how == "swapped":
            a, b = entries[0].read_bytes(), entries[1].read_bytes()
            entries[0].write_bytes(b)
            entries[1].write_bytes(a)
        elif how == "old-schema":
            for e in entries:
                e.write_text(e.read_text().replace('"schema": ', '"schema": 0, "old": '))
        elif how == "pickle":
            import pickle

            class Evil:
                def __reduce__(self):
                    return (os.system, (f"touch {root / 'PWNED'}",))

            for e in entries:
                e.write_bytes(pickle.dumps(Evil()))
        touch_corpus(root)

    return setup


def stale_tmp(root: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (root / "db" / f".csp.db.tmp-{dead.stdout.strip()}").write_bytes(b"half a database")
    touch_corpus(root)


def nothing(root: Path) -> None:
    pass


# ---- the cases --------------------------------------------------------------------------------


def manifest_cases() -> list[Case]:
    wrong_types = [
        ("id", "42"),
        ("id", "[a, b]"),
        ("title", "[a, b]"),
        ("kind", "novel"),
        ("kind", "{x: 1}"),
        ("files", "42"),
        ("files", "{a: b}"),
        ("publisher", "{x: 1}"),
        ("area", "[a, b]"),
        ("period", "2021"),
        ("period", "{start: 2021-13-01, end: 2022-03-31}"),
        ("period", "{start: 2022-04-01, end: 2021-03-31}"),
        ("period", "{start: 2021-04-01}"),
        ("published", "soon"),
        ("source_url", "[a]"),
        ("rendition", "{a: 1}"),
        ("notes", "[a, b]"),
    ]
    cases = [
        Case("manifest path ../", lambda r: (shutil.copy(text_file(r), r / "out.txt"), add_entry(r, "../out.txt"))),
        Case("manifest absolute path", lambda r: add_entry(r, str(text_file(r).resolve()))),
        Case("symlink out of the corpus", lambda r: (_link(r, r / "secret.txt"), add_entry(r, "text/link.txt"))),
        Case("symlink to /proc/cpuinfo", lambda r: (_link(r, Path("/proc/cpuinfo")), add_entry(r, "text/link.txt"))),
        Case("manifest path /proc/self/environ", lambda r: add_entry(r, "/proc/self/environ")),
        Case(
            "listed file is a directory", lambda r: ((corpus(r) / "text" / "d.txt").mkdir(), add_entry(r, "text/d.txt"))
        ),
        Case("listed file missing", lambda r: add_entry(r, "text/missing.txt")),
        Case("listed file of unknown type", lambda r: add_file(r, "text/report.docx", b"PK\x03\x04")),
        Case("YAML alias bomb", replace_manifest(BOMB + "documents: []\n")),
        Case("alias in notes", lambda r: (first_entry_with("notes", "&n hello")(r), first_entry_with("area", "*n")(r))),
        Case("duplicate key", first_entry_with("title", "One\n    title: Two")),
        Case("duplicate id", lambda r: add_entry(r, "text/x.txt", doc_id=_first_id(r))),
        Case("key that is not text", first_entry_with("title", "T\n    1: x")),
        Case("python tag in manifest", first_entry_with("notes", "!!python/object/apply:os.system [touch PWNED]")),
        Case("unknown field", first_entry_with("colour", "red")),
        Case("missing required field", first_entry_with("kind", "''")),
        *[Case(f"wrong type: {f} = {v}", first_entry_with(f, v)) for f, v in wrong_types],
        Case("over-long field (notes 20,000 chars)", first_entry_with("notes", "x" * 20_000)),
        Case("over-long title", first_entry_with("title", "t" * 20_000)),
        Case(
            "21 files in one entry",
            first_entry_with("files", "[" + ", ".join(f"text/f{i}.txt" for i in range(21)) + "]"),
        ),
        Case("one file in two entries", lambda r: add_entry(r, "text/" + text_file(r).name)),
        Case("documents: []", replace_manifest("documents: []\n")),
        Case("manifest top level a list", replace_manifest("- id: a\n")),
        Case("manifest missing", lambda r: manifest(r).unlink()),
        Case("manifest a directory", lambda r: (manifest(r).unlink(), manifest(r).mkdir())),
        Case("manifest empty file", replace_manifest(b"")),
        Case("manifest binary", replace_manifest(bytes(range(256)) * 4)),
        Case(
            "manifest Latin-1",
            lambda r: manifest(r).write_bytes(
                manifest(r).read_text().replace("Winchester", "Winchéster", 1).encode("latin-1")
            ),
        ),
        Case("manifest NUL bytes", lambda r: manifest(r).write_bytes(manifest(r).read_bytes() + b"\x00\x00")),
        Case("manifest over 2 MB", lambda r: manifest(r).write_text(manifest(r).read_text() + "#" * 2_100_000)),
        Case(
            "manifest with BOM",
            lambda r: manifest(r).write_bytes(b"\xef\xbb\xbf" + manifest(r).read_bytes()),
            expect="same",
        ),
        Case("corpus is a file", lambda r: (shutil.rmtree(corpus(r)), corpus(r).write_text("x"))),
    ]
    return cases


def _link(root: Path, target: Path) -> None:
    if not target.exists():
        shutil.copy(text_file(root), target)
    (corpus(root) / "text" / "link.txt").symlink_to(target)


def _first_id(root: Path) -> str:
    line = next(ln for ln in manifest(root).read_text().splitlines() if ln.startswith("  - id:"))
    return line.split(":", 1)[1].strip()


def _corrections(root: Path, *entries: str) -> None:
    (corpus(root) / "corrections.yaml").write_text("corrections:\n" + "".join(entries), encoding="utf-8")


def _correction(root: Path, cid: str, figure: str = "", corrected: str = "{value: 1}", reason: str = "r") -> str:
    import json

    figure = figure or '{table: "Figure 1", row: "No such row", column: "Q1"}'
    doc = json.dumps(_first_id(root))
    return (
        f"  - id: {cid}\n    document: {doc}\n    figure: {figure}\n    corrected: {corrected}\n"
        f"    reason: {reason}\n    by: a reviewer\n    date: 2026-01-15\n"
    )


def _one_figure_two_ways(root: Path) -> None:
    """Two corrections of one printed cell: by its table, row and column, and by its quote."""
    import json

    con = sqlite3.connect(root / "db" / "csp.db")
    rows = con.execute(
        "select f.document_id, f.table_label, f.row_label, f.column_label, f.quote, f.value from figures f "
        "join files fi on fi.id = f.file_id and fi.role = 'primary' where f.table_label is not null "
        "and f.quote is not null and f.value is not null"
    ).fetchall()
    chosen = rows[0]
    for doc, _table, _row, _column, quote, value in rows:
        same = [r for r in rows if r[0] == doc and abs(r[5] - value) < 1e-9 and quote in r[4]]
        if len(same) == 1:
            chosen = same[0]
            break
    con.close()
    doc, table, row, column, quote, value = chosen
    cell = "{{table: {}, row: {}, column: {}}}".format(*(json.dumps(x) for x in (table, row, column)))
    by_quote = f"{{quote: {json.dumps(quote)}, value: {value!r}}}"
    _corrections(
        root,
        _correction(root, "by-cell", cell).replace(json.dumps(_first_id(root)), json.dumps(doc)),
        _correction(root, "by-quote", by_quote).replace(json.dumps(_first_id(root)), json.dumps(doc)),
    )


def _areas_link_out(root: Path) -> None:
    secret = root / "secret.csv"
    secret.write_text("TOP-SECRET-HEADER,value\nhidden,row\n", encoding="utf-8")
    (corpus(root) / "areas.csv").unlink()
    (corpus(root) / "areas.csv").symlink_to(secret)


def _refused_without(secret: str) -> Callable[[Path, Path], tuple[bool, str, str]]:
    """A custom run: the build is refused in one line that does not quote ``secret``."""

    def run(root: Path, db: Path) -> tuple[bool, str, str]:
        done = cli(root, ["build", "--corpus", str(corpus(root)), "--db", str(db)])
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        held = done.returncode != 0 and len(lines) == 1 and secret not in done.stderr
        return held, done.stderr, (lines or [""])[-1][:110] + ("" if secret not in done.stderr else " [ECHOED]")

    return run


def loader_cases() -> list[Case]:
    """The one loader (extract.vocab.safe_load): corrections.yaml, areas.csv, manifest ids and URLs."""
    bomb_reason = "\n" + "".join(f"      - &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'x'}]\n" for i in range(10))

    def many(n: int) -> Callable[[Path], None]:
        def setup(r: Path) -> None:
            figure = '{{table: "Figure 1", row: "No row {}", column: "Q1"}}'
            _corrections(r, *(_correction(r, f"c{i}", figure.format(i)) for i in range(n)))

        return setup

    urls = [
        ("javascript:", "javascript:alert(1)"),
        ("data:", "'data:text/html,<b>x</b>'"),
        ("file:", "file:///etc/passwd"),
        ("relative", "reports/a.pdf"),
        ("no host", "'https:///a.pdf'"),
        ("control character", '"https://example.org/a\\x07b"'),
    ]
    ids = [("a slash", "a/b"), ("spaces around", "' padded '"), ("a leading dot", ".hidden"), ("a space", "'a b'")]
    return [
        Case(
            "loader: corrections alias bomb in a reason",
            lambda r: _corrections(r, _correction(r, "b", reason=bomb_reason)),
            bound=10,
        ),  # noqa: E501
        Case(
            "loader: corrections duplicate key", lambda r: _corrections(r, _correction(r, "d") + "    reason: again\n")
        ),
        Case(
            "loader: corrections 20 MB reason",
            lambda r: _corrections(r, _correction(r, "long", reason="r" * 20_000_000)),
            bound=30,
        ),  # noqa: E501
        Case(
            "loader: corrections value .nan", lambda r: _corrections(r, _correction(r, "n", corrected="{value: .nan}"))
        ),
        Case(
            "loader: corrections value .inf", lambda r: _corrections(r, _correction(r, "i", corrected="{value: .inf}"))
        ),
        Case(
            "loader: corrections value -.inf",
            lambda r: _corrections(r, _correction(r, "m", corrected="{value: -.inf}")),
        ),  # noqa: E501
        Case(
            "loader: corrections figure.value .nan",
            lambda r: _corrections(r, _correction(r, "q", '{quote: "x", value: .nan}')),
        ),  # noqa: E501
        Case(
            "loader: two corrections of one cell (same target)",
            lambda r: _corrections(r, _correction(r, "one"), _correction(r, "two")),
        ),  # noqa: E501
        Case("loader: two corrections of one figure (cell and quote)", _one_figure_two_ways),
        Case("loader: 10,000 corrections (unmatched: warnings, built)", many(10_000), expect="build", bound=120),
        Case("loader: 100,000 corrections (unmatched: warnings, built)", many(100_000), expect="build", bound=300),
        Case(
            "loader: corrections.yaml link out of the corpus",
            lambda r: (
                (r / "fixes.yaml").write_text("corrections:\n" + _correction(r, "x")),
                (corpus(r) / "corrections.yaml").unlink(),
                (corpus(r) / "corrections.yaml").symlink_to(r / "fixes.yaml"),
            ),
        ),
        Case(
            "loader: areas.csv link out of the corpus", _areas_link_out, expect="custom", run=_refused_without("SECRET")
        ),
        Case(
            "loader: areas.csv is another file (no echo of its lines)",
            lambda r: (corpus(r) / "areas.csv").write_text("root:x:0:0:TOP-SECRET:/root:/bin/bash\nhidden\n"),
            expect="custom",
            run=_refused_without("SECRET"),
        ),
        Case(
            "loader: areas.csv bad cell (no echo of it)",
            lambda r: (corpus(r) / "areas.csv").write_text("name,kind\nTOP-SECRET-AREA,no-such-kind\n"),
            expect="custom",
            run=_refused_without("SECRET"),
        ),
        Case(
            "loader: areas.csv over 2 MB",
            lambda r: (corpus(r) / "areas.csv").write_text("name,kind\n" + "A,district\n" * 300_000),
        ),  # noqa: E501
        Case(
            "loader: manifest nested 100,000 deep",
            replace_manifest("documents: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ),  # noqa: E501
        *[Case(f"loader: manifest source_url {what}", first_entry_with("source_url", url)) for what, url in urls],
        *[Case(f"loader: manifest id with {what}", first_entry_with("id", value)) for what, value in ids],
        Case(
            "loader: manifest ids differing only in case",
            lambda r: add_entry(r, "text/x.txt", doc_id=_first_id(r).upper()),
        ),  # noqa: E501
    ]


def document_cases() -> list[Case]:
    para = ("The partnership recorded 877 crimes in the district during the year. " * 30_000).encode()
    table = "Area\t2021/22\t2022/23\n" + "".join(f"Ward {i}\t{i % 97}\t{(i * 7) % 89}\n" for i in range(20_000))
    return [
        Case("empty text file", lambda r: add_file(r, "text/h.txt", b""), expect="report"),
        Case("binary in a text file", lambda r: add_file(r, "text/h.txt", os.urandom(20_000)), expect="report"),
        Case(
            "text in Latin-1",
            lambda r: add_file(r, "text/h.txt", "Caf\xe9 crime: 877 offences.\n".encode("latin-1")),
            expect="report",
        ),
        Case(
            "text in UTF-16",
            lambda r: add_file(r, "text/h.txt", "Crime: 877 offences.\n".encode("utf-16")),
            expect="report",
        ),
        Case(
            "text with a BOM",
            lambda r: add_file(r, "text/h.txt", b"\xef\xbb\xbfCrime fell by 4% in 2021/22.\n"),
            expect="build",
        ),
        Case("NUL bytes in text", lambda r: add_file(r, "text/h.txt", b"Crime\x00 877\x00\n" * 100), expect="report"),
        Case(
            "only control characters", lambda r: add_file(r, "text/h.txt", b"\x01\x02\x03\x04" * 500), expect="report"
        ),
        Case(
            "huge line (5 MB)",
            lambda r: add_file(r, "text/h.txt", b"word " * 1_000_000 + b"\n"),
            expect="build",
            bound=300,
        ),
        Case(
            "markdown-link quadratic line", lambda r: add_file(r, "text/h.txt", b"[x" * 200_000 + b"\n"), expect="build"
        ),
        Case("line of open parentheses", lambda r: add_file(r, "text/h.txt", b"(" * 200_000 + b"\n"), expect="build"),
        Case("20,000-row table", lambda r: add_file(r, "text/h.txt", table.encode()), expect="build", bound=300),
        Case("2 MB paragraph", lambda r: add_file(r, "text/h.txt", para + b"\n"), expect="build", bound=400),
        Case("PDF bomb (300 KB → 300 MB)", pdf_fixture("bomb"), expect="report", bound=400),
        Case("14,400 pt page", pdf_fixture("giant"), expect="build", bound=300),
        Case("truncated PDF", pdf_fixture("truncated"), expect="report"),
        Case("encrypted PDF", pdf_fixture("encrypted"), expect="report"),
        Case("PDF with no text layer", pdf_fixture("no-text"), expect="report"),
        Case("empty PDF (0 bytes)", lambda r: add_file(r, "pdf/hostile.pdf", b""), expect="report"),
        Case("PDF that is text", lambda r: add_file(r, "pdf/hostile.pdf", b"Not a PDF at all.\n"), expect="report"),
        Case(
            "PDF header then garbage",
            lambda r: add_file(r, "pdf/hostile.pdf", b"%PDF-1.4\n" + os.urandom(50_000)),
            expect="report",
        ),
        Case("every document unreadable", _all_unreadable, expect="refuse"),
    ]


def _all_unreadable(root: Path) -> None:
    (corpus(root) / "text" / "h.txt").write_bytes(b"")
    manifest(root).write_text("documents:\n" + ENTRY.format(id="h", title="Empty", kind="other", file="text/h.txt"))


def environment_cases() -> list[Case]:
    return [
        Case("cache is a file", cache_setup("file"), expect="build"),
        Case("read-only cache", touch_corpus, expect="build", args=("ro:db/.csp.db.cache",)),
        Case("corrupt cache entry", cache_setup("corrupt"), expect="build"),
        Case("swapped cache entries", cache_setup("swapped"), expect="build"),
        Case("old cache schema", cache_setup("old-schema"), expect="build"),
        Case("cache entry is a pickle that runs code", cache_setup("pickle"), expect="build"),
        Case("stale temp files of killed builds", stale_tmp, expect="build"),
        Case("read-only db folder", touch_corpus, expect="refuse", args=("ro:db",)),
        Case("db path is a directory", lambda r: None, expect="refuse", args=("db:dir",)),
        Case("SIGTERM during build", touch_corpus, expect="refuse", args=("signal:TERM",)),
        Case("SIGINT during build", touch_corpus, expect="refuse", args=("signal:INT",)),
        Case("SIGKILL during build, then a build", touch_corpus, expect="build", args=("signal:KILL",)),
    ]


def serve_cases() -> list[Case]:
    def db_bytes(data: bytes) -> Callable[[Path], None]:
        return lambda r: (r / "db" / "csp.db").write_bytes(data)

    def other_db(root: Path) -> None:
        (root / "db" / "csp.db").unlink()
        sqlite3.connect(root / "db" / "csp.db").execute("create table t (x)").connection.commit()

    sql = "/csp?sql="
    return [
        Case("serve: non-SQLite db", db_bytes(b"not a database" * 100), expect="serve-refuse"),
        Case("serve: empty file", db_bytes(b""), expect="serve-refuse"),
        Case("serve: non-archive db", other_db, expect="serve-refuse"),
        Case("serve: missing db", lambda r: (r / "db" / "csp.db").unlink(), expect="serve-refuse"),
        Case(
            "serve: read-only folder", nothing, expect="http", args=("ro:db",), http=("GET", "/csp/documents.json", 2)
        ),
        Case("serve: POST", nothing, expect="http", http=("POST", "/csp/figures", 4)),
        Case("serve: bad ?sql=", nothing, expect="http", http=("GET", sql + "selec+nonsense", 4)),
        Case("serve: ?sql= that writes", nothing, expect="http", http=("GET", sql + "update+figures+set+value%3D0", 4)),
        Case("serve: ?sql= attach", nothing, expect="http", http=("GET", sql + "attach+%27%2Ftmp%2Fx%27+as+x", 4)),
        Case("serve: slow ?sql= (time limit)", nothing, expect="http", http=("GET", sql + _SLOW_SQL, 4)),
        Case("serve: bad table name", nothing, expect="http", http=("GET", "/csp/no_such_table", 4)),
        Case("serve: bad _sort", nothing, expect="http", http=("GET", "/csp/figures?_sort=nope", 4)),
        Case("serve: huge _size", nothing, expect="http", http=("GET", "/csp/figures.json?_size=100000000", 4)),
        Case("serve: _size=abc", nothing, expect="http", http=("GET", "/csp/figures.json?_size=abc", 4)),
        Case("serve: /pdf/../ traversal", nothing, expect="http", http=("GET", "/pdf/..%2Fmanifest.yaml", 4)),
        Case("serve: 20 KB URL", nothing, expect="http", http=("GET", "/csp/figures?q=" + "x" * 20_000, 2)),
    ]


def stop_and_edit_cases() -> list[Case]:
    """Stops, bugs and edits (issue 22): signals to the build or its whole process group, an
    exception of our own code, edits run at once or killed half way, a link planted in the corpus."""
    return [
        *[
            Case(f"{sig} to the process group during build", touch_corpus, expect="custom", run=group_signal(sig))
            for sig in ("TERM", "INT")
        ],
        Case("SIGTERM to the build alone, read in-process", touch_corpus, expect="custom", run=group_signal("TERM", 1)),
        Case("a bug in interpretation", touch_corpus, expect="custom", run=planted_bug),
        Case("two adds at once", nothing, expect="custom", run=adds_at_once(2)),
        Case("four adds at once", nothing, expect="custom", run=adds_at_once(4)),
        Case("add killed (SIGKILL) mid-rebuild, then a build", nothing, expect="custom", run=killed_add("KILL")),
        Case("add stopped (SIGTERM) in its first second", nothing, expect="custom", run=killed_add("TERM", 0.3)),
        Case("add through a dangling symlink at its destination", nothing, expect="custom", run=add_through_link),
        Case("two builds at once", touch_corpus, expect="custom", run=builds_at_once),
        Case("--db ~/csp.db keeps its cache beside it", nothing, expect="custom", run=cache_beside),
    ]


def _quiet(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.strip()]


def group_signal(sig: str, jobs: int = 2) -> Callable[[Path, Path], tuple[bool, str, str]]:
    """A build of the changed corpus, signalled in its reading: to its whole process group (as
    Ctrl-C or a CI cancel sends it), or to the build alone with ``jobs`` 1."""

    def run(root: Path, db: Path) -> tuple[bool, str, str]:
        before = db.read_bytes()
        args = ["build", "--corpus", str(corpus(root)), "--db", str(db), "--no-cache", "--jobs", str(jobs)]
        process = subprocess.Popen(
            [sys.executable, "-m", "extract", *args],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while not list(db.parent.glob(".*.tmp-*")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        time.sleep(1.0)
        t0 = time.monotonic()
        number = getattr(signal, f"SIG{sig}")
        if jobs > 1:
            os.killpg(process.pid, number)
        else:
            process.send_signal(number)
        try:
            _, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return False, "", "hung past 60 s after the signal"
        seconds = time.monotonic() - t0
        time.sleep(0.5)
        left = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True).stdout.split()
        temps = [p.name for p in db.parent.iterdir() if ".tmp-" in p.name]
        lines = _quiet(err)
        held = (
            process.returncode == 128 + number
            and len(lines) == 1
            and "E-STOPPED" in lines[0]
            and db.read_bytes() == before
            and not temps
            and not left
        )
        return (
            held,
            err,
            f"exit {process.returncode} in {seconds:.1f} s; workers left {len(left)}; "
            + (lines[-1][:70] if lines else ""),
        )

    return run


def planted_bug(root: Path, db: Path) -> tuple[bool, str, str]:
    """categorise replaced by one that raises, as a bug of ours would: the build stops, E-BUG."""
    before = db.read_bytes()
    code = (
        "import sys, extract.pipeline as p\n"
        "def broken(facts, readings):\n    return [][len(facts)]\n"
        "p.categorise = broken\n"
        "from extract.cli import main\nsys.argv = ['csp-archive'] + sys.argv[1:]\nmain()\n"
    )
    args = ["build", "--corpus", str(corpus(root)), "--db", str(db), "--no-cache"]
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    lines = _quiet(run.stderr)
    held = run.returncode == 1 and len(lines) == 1 and "E-BUG" in lines[0] and db.read_bytes() == before
    return held, run.stderr, (lines[-1][:110] if lines else "")


def _new_report(root: Path, n: int) -> Path:
    path = root / "incoming" / f"added-{n}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text_file(root).read_text(encoding="utf-8") + f"\nAdded report {n}: {n} more crimes.\n")
    return path


def _add(root: Path, db: Path, n: int) -> list[str]:
    file = _new_report(root, n)
    return [sys.executable, "-m", "extract", "add", str(file), "--title", f"Added {n}", "--kind", "other"] + [
        "--id",
        f"added-{n}",
        "--corpus",
        str(corpus(root)),
        "--db",
        str(db),
        "--source",
        "text",
    ]


def _ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {r[0] for r in conn.execute("select id from documents")}


def adds_at_once(n: int) -> Callable[[Path, Path], tuple[bool, str, str]]:
    def run(root: Path, db: Path) -> tuple[bool, str, str]:
        commands = [_add(root, db, i) for i in range(n)]
        processes = [subprocess.Popen(c, cwd=REPO, stderr=subprocess.PIPE, text=True) for c in commands]
        errs = [p.communicate(timeout=1200)[1] for p in processes]
        listed = manifest(root).read_text(encoding="utf-8")
        wanted = {f"added-{i}" for i in range(n)}
        in_manifest = {w for w in wanted if f"id: {w}" in listed}
        in_archive = wanted & _ids(db)
        held = all(p.returncode == 0 for p in processes) and in_manifest == wanted == in_archive
        return held, "".join(errs), f"{len(in_manifest)}/{n} in the manifest, {len(in_archive)}/{n} in the archive"

    return run


def killed_add(sig: str, after: float | None = None) -> Callable[[Path, Path], tuple[bool, str, str]]:
    """An add killed once its journal is written (or ``after`` seconds), then a build: the
    manifest, files and archive as before the add or as after it, never between."""

    def run(root: Path, db: Path) -> tuple[bool, str, str]:
        listed = manifest(root).read_bytes()
        process = subprocess.Popen(_add(root, db, 0), cwd=REPO, stderr=subprocess.PIPE, text=True)
        journal = corpus(root) / ".csp-archive-edit.json"
        if after is not None:
            time.sleep(after)
        else:
            deadline = time.monotonic() + 120
            while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.3)
        process.send_signal(getattr(signal, f"SIG{sig}"))
        _, err = process.communicate(timeout=120)
        build = cli(root, ["build", "--corpus", str(corpus(root)), "--db", str(db), "--source", "text"])
        added = "added-0" in _ids(db)
        now = manifest(root).read_bytes()
        copied = (corpus(root) / "text" / "added-0.txt").exists()
        consistent = (now == listed and not added and not copied) or (now != listed and added and copied)
        temps = [p.name for p in db.parent.iterdir() if ".tmp-" in p.name or ".edit-" in p.name]
        held = build.returncode == 0 and consistent and not journal.exists() and not temps
        state = "after" if added else "before"
        return held, err + build.stderr, f"add exit {process.returncode}; left as {state}; temps {len(temps)}"

    return run


def add_through_link(root: Path, db: Path) -> tuple[bool, str, str]:
    target = root / "outside" / "added-0.txt"
    (corpus(root) / "text" / "added-0.txt").symlink_to(target)
    run = subprocess.run(_add(root, db, 0), cwd=REPO, capture_output=True, text=True, timeout=600)
    lines = _quiet(run.stderr)
    held = run.returncode == 1 and len(lines) == 1 and not target.exists()
    return held, run.stderr, (lines[-1][:110] if lines else "")


def builds_at_once(root: Path, db: Path) -> tuple[bool, str, str]:
    args = [sys.executable, "-m", "extract", "build", "--corpus", str(corpus(root)), "--db", str(db)]
    processes = [subprocess.Popen(args, cwd=REPO, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=1200)[1] for p in processes]
    held = all(p.returncode == 0 for p in processes) and facts(db) > 0
    waited = sum("waiting for another" in e for e in errs)
    return held, "".join(errs), f"exits {[p.returncode for p in processes]}; {waited} waited"


def cache_beside(root: Path, db: Path) -> tuple[bool, str, str]:
    home = root / "home"
    home.mkdir()
    other = home / "csp.db"
    run = cli(root, ["build", "--corpus", str(corpus(root)), "--db", str(other), "--source", "text"])
    held = run.returncode == 0 and not (home / ".cache").exists() and (home / ".csp.db.cache").is_dir()
    return held, run.stderr, f"written beside it: {sorted(p.name for p in home.iterdir())}"


def site_export_cases() -> list[Case]:  # noqa: C901 - each case's check is nested here
    """The site and the export against hostile archives and requests ("Nothing lost, round two"):
    a javascript: source_url, security headers, a forged Host header, 5,000 query parameters, files
    under corpus/pdf the archive does not list (a FIFO among them), and exports into folders that
    are not theirs to replace, through planted links, over the archive, with formula cells."""

    def serving(root: Path, db: Path, check: Callable[[str], tuple[bool, str]]) -> tuple[bool, str, str]:
        """Serve the case's archive, run ``check`` against its base URL, then stop it with SIGTERM."""
        port = free_port()
        args = ["serve", "--db", str(db), "--port", str(port), "--corpus", str(corpus(root))]
        server = subprocess.Popen([sys.executable, "-m", "extract", *args], cwd=REPO, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        held, note = False, "no answer"
        try:
            request(port, ("GET", "/robots.txt", 2))
            held, note = check(base)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                _, err = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                _, err = server.communicate()
                held, note = False, note + "; did not stop on SIGTERM"
        lines = [ln for ln in err.splitlines() if ln.strip()]
        said = bool(lines) and lines[0].startswith(f"Serving {db} at {base}/")
        return held and said and "Traceback" not in err, err, note + ("" if said else "; no 'Serving …' line")

    def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, str]:
        req = urllib.request.Request(url, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8", "replace")

    def first_doc(db: Path) -> str:
        with sqlite3.connect(db) as conn:
            return conn.execute("select id from documents order by id limit 1").fetchone()[0]

    def javascript_source(root: Path, db: Path) -> tuple[bool, str, str]:
        doc = first_doc(db)
        with sqlite3.connect(db) as conn:
            conn.execute("update documents set source_url = 'javascript:alert(document.domain)' where id = ?", (doc,))

        def check(base: str) -> tuple[bool, str]:
            pages = [get(base + p)[2] for p in ("/", f"/-/report/{doc}", "/csp")]
            links = sum(p.lower().count('href="javascript:') for p in pages)
            said = sum(p.count("javascript:") for p in pages[2:])  # the description: omitted
            return links == 0 and said == 0, f"{links} javascript: links, {said} in the description"

        return serving(root, db, check)

    def headers(root: Path, db: Path) -> tuple[bool, str, str]:
        def check(base: str) -> tuple[bool, str]:
            paths = ("/", "/csp/facts", "/csp/facts.json", "/-/static/app.css", "/pdf/nope.pdf", "/nope")
            missing = []
            for path in paths:
                got = {k.lower() for k in get(base + path)[1]}
                wanted = {"content-security-policy", "x-content-type-options", "referrer-policy"}
                missing += [f"{path}: {h}" for h in sorted(wanted - got)]
            return not missing, f"{len(paths)} responses; missing: {missing[:2] or 'none'}"

        return serving(root, db, check)

    def forged_host(root: Path, db: Path) -> tuple[bool, str, str]:
        def check(base: str) -> tuple[bool, str]:
            pages = ("/csp/facts?_size=2", "/csp/facts.json?_size=2", "/csp/facts?_size=2&_facet=unit")
            for path in pages:
                get(base + path, {"Host": "evil.example"})
            poisoned = [p for p in pages if "evil.example" in get(base + p)[2]]
            return not poisoned, f"evil.example in {len(poisoned)} of {len(pages)} later pages"

        return serving(root, db, check)

    def many_parameters(root: Path, db: Path) -> tuple[bool, str, str]:
        def check(base: str) -> tuple[bool, str]:
            query = "&".join(f"c{i}=v" for i in range(5000))
            t0 = time.perf_counter()
            status = get(f"{base}/csp/facts?{query}", timeout=120)[0]
            seconds = time.perf_counter() - t0
            t0 = time.perf_counter()
            home = get(base + "/")[0]
            after = time.perf_counter() - t0
            held = status == 400 and seconds < 1 and home == 200
            return held, f"HTTP {status} in {seconds:.2f} s; then / in {after:.2f} s"

        return serving(root, db, check)

    def unlisted_pdf(root: Path, db: Path) -> tuple[bool, str, str]:
        (corpus(root) / "pdf" / "unlisted.pdf").write_bytes(b"%PDF-1.4 not in the archive\n")

        def check(base: str) -> tuple[bool, str]:
            status = get(base + "/pdf/unlisted.pdf")[0]
            return status == 404, f"unlisted file: HTTP {status}"

        return serving(root, db, check)

    def fifo_pdf(root: Path, db: Path) -> tuple[bool, str, str]:
        with sqlite3.connect(db) as conn:
            listed = conn.execute("select path from files where format = 'pdf' and path like 'pdf/%'").fetchone()[0]
        (corpus(root) / listed).unlink()
        os.mkfifo(corpus(root) / listed)
        os.mkfifo(corpus(root) / "pdf" / "unlisted.pdf")

        def check(base: str) -> tuple[bool, str]:
            t0 = time.perf_counter()
            try:
                statuses = [get(f"{base}/{p}", timeout=10)[0] for p in (listed, "pdf/unlisted.pdf")]
            except OSError:
                return False, "the FIFO request hung"
            seconds = time.perf_counter() - t0
            return statuses == [404, 404] and seconds < 2, f"FIFOs: HTTP {statuses} in {seconds:.2f} s; then SIGTERM"

        return serving(root, db, check)

    def export_refused(prepare: Callable[[Path], tuple[Path, list[str]]], code: str):
        """An export into the folder ``prepare`` makes: refused in one line ending (code), the
        folder as it was, and a planted link's target untouched."""

        def run(root: Path, db: Path) -> tuple[bool, str, str]:
            out, extra = prepare(root)

            def snapshot() -> dict:
                return {p.name: (p.read_bytes() if p.is_file() and not p.is_symlink() else b"") for p in out.iterdir()}

            before = snapshot()
            victim = root / "victim.txt"
            exported = cli(root, ["export", "--db", str(db), *extra, str(out)], timeout=300)
            lines = [ln for ln in exported.stderr.splitlines() if ln.strip()]
            intact = snapshot() == before and (not victim.exists() or victim.read_text() == "precious")
            held = exported.returncode == 1 and len(lines) == 1 and lines[0].endswith(f"({code})") and intact
            return held, exported.stderr, (lines or [""])[0][:110]

        return run

    def non_empty(root: Path) -> tuple[Path, list[str]]:
        out = root / "out"
        out.mkdir()
        (out / "notes.txt").write_text("mine")
        return out, []

    def foreign_forced(root: Path) -> tuple[Path, list[str]]:
        return non_empty(root)[0], ["--force"]

    def planted_link(root: Path) -> tuple[Path, list[str]]:
        out = root / "out"
        run = cli(root, ["export", "--db", str(root / "db" / "csp.db"), str(out)], timeout=300)
        assert run.returncode == 0, run.stderr
        (root / "victim.txt").write_text("precious")
        (out / "facts.csv").unlink()
        (out / "facts.csv").symlink_to(root / "victim.txt")
        return out, ["--force"]

    def archive_named_facts_csv(root: Path, db: Path) -> tuple[bool, str, str]:
        folder = root / "dir"
        folder.mkdir()
        archive = folder / "facts.csv"
        shutil.copy(db, archive)
        before = archive.read_bytes()
        run = cli(root, ["export", "--db", str(archive), "--force", str(folder)], timeout=300)
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        held = run.returncode == 1 and len(lines) == 1 and lines[0].endswith("(E-EXPORT-ARCHIVE)")
        return held and archive.read_bytes() == before, run.stderr, (lines or [""])[0][:110]

    def formula_cells(root: Path, db: Path) -> tuple[bool, str, str]:
        import csv

        doc = first_doc(db)
        with sqlite3.connect(db) as conn:
            conn.execute('update documents set title = \'=HYPERLINK("http://evil.example","x")\' where id = ?', (doc,))
        out = root / "out"
        run = cli(root, ["export", "--db", str(db), str(out)], timeout=300)
        with (out / "documents.csv").open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        formulas = [r["title"] for r in rows if r["title"].startswith(("=", "+", "-", "@"))]
        with (out / "facts.csv").open(newline="", encoding="utf-8") as fh:
            values = [r["value"] for r in csv.DictReader(fh) if r["value"]]
        quoted_numbers = [v for v in values if v.startswith("'")]
        held = run.returncode == 0 and not formulas and not quoted_numbers
        return held, run.stderr, f"{len(formulas)} formula cells, {len(quoted_numbers)} numbers quoted"

    return [
        Case("serve: javascript: source_url", nothing, expect="custom", run=javascript_source),
        Case("serve: CSP, nosniff, referrer headers", nothing, expect="custom", run=headers),
        Case("serve: forged Host header and the cache", nothing, expect="custom", run=forged_host),
        Case("serve: 5,000 query parameters", nothing, expect="custom", run=many_parameters),
        Case("serve: file under corpus/pdf not in the archive", nothing, expect="custom", run=unlisted_pdf),
        Case("serve: FIFO under corpus/pdf, then SIGTERM", nothing, expect="custom", run=fifo_pdf),
        Case(
            "export: into a non-empty folder",
            nothing,
            expect="custom",
            run=export_refused(non_empty, "E-EXPORT-EXISTS"),
        ),
        Case(
            "export: --force onto files not of an export",
            nothing,
            expect="custom",
            run=export_refused(foreign_forced, "E-EXPORT-NOT-OURS"),
        ),
        Case(
            "export: --force with a symlink planted in the folder",
            nothing,
            expect="custom",
            run=export_refused(planted_link, "E-EXPORT-NOT-OURS"),
        ),
        Case("export: --db DIR/facts.csv into DIR", nothing, expect="custom", run=archive_named_facts_csv),
        Case("export: formula cells", nothing, expect="custom", run=formula_cells),
    ]


#: The lines click adds around a usage error (one refusal all the same).
CLICK_USAGE = ("Usage:", "Try '")
_SLOW_SQL = "with+recursive+c(x)+as+(select+1+union+all+select+x%2B1+from+c)+select+count(*)+from+c"

# ---- running ----------------------------------------------------------------------------------


def facts(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select count(*) from facts").fetchone()[0]
    except sqlite3.Error:
        return -1


def prepare_template(work: Path, docs: int | None) -> Path:
    """The bundled corpus (its first ``docs`` documents) and its archive, built once with a cache."""
    template = work / "template"
    shutil.copytree(REPO / "corpus", template / "corpus")
    if docs:
        text = manifest(template).read_text(encoding="utf-8")
        head, *entries = text.split("\n  - id:")
        manifest(template).write_text(head + "".join("\n  - id:" + e for e in entries[:docs]).rstrip("\n") + "\n")
    run = cli(template, ["build", "--corpus", str(corpus(template)), "--db", str(template / "db" / "csp.db"), "-q"])
    if run.returncode != 0:
        raise SystemExit(f"the bundled corpus did not build: {run.stderr.strip()[-500:]}")
    return template


def cli(root: Path, args: list[str], ro: str | None = None, timeout: float = 1200) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "extract", *args]
    if ro:  # run inside a mount namespace where that folder is read-only
        target = str(root / ro)
        script = f'mount --bind "{target}" "{target}" && mount -o remount,bind,ro "{target}" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout)


def run_case(case: Case, template: Path, work: Path) -> Outcome:
    root = Path(tempfile.mkdtemp(dir=work, prefix="case-"))
    shutil.copytree(template, root, dirs_exist_ok=True)
    db = root / "db" / "csp.db"
    before = facts(db)
    case.setup(root)
    t0 = time.perf_counter()
    try:
        if case.expect == "custom" and case.run is not None:
            held, output, note = case.run(root, db)
        elif case.expect in ("serve-refuse", "http"):
            held, output, note = serve_case(case, root)
        else:
            held, output, note = build_case(case, root, db)
    except subprocess.TimeoutExpired:
        held, output, note = False, "", "timed out"
    seconds = time.perf_counter() - t0
    after = facts(db) if db.is_file() else -1
    if (root / "PWNED").exists():
        held, note = False, "code from the corpus or cache ran"
    lost = case.expect not in ("serve-refuse",) and 0 <= after < before
    outcome = Outcome(
        case.kind, held and not lost, "Traceback" in output, seconds > case.bound, before, after, note, seconds
    )
    shutil.rmtree(root, ignore_errors=True)
    print(
        f"{case.kind}: {'held' if outcome.held else 'DID NOT HOLD'} in {seconds:.0f}s; {note}",
        file=sys.stderr,
        flush=True,
    )
    return outcome


def build_case(case: Case, root: Path, db: Path) -> tuple[bool, str, str]:
    args = ["build", "--corpus", str(corpus(root)), "--db", str(db)]
    ro = next((a[3:] for a in case.args if a.startswith("ro:")), None)
    sig = next((a[7:] for a in case.args if a.startswith("signal:")), None)
    if "db:dir" in case.args:
        args[-1] = str(root / "db")
    if sig:
        return signal_case(root, args, sig, db)
    run = cli(root, args, ro=ro, timeout=case.bound * 3)
    lines = [ln for ln in run.stderr.splitlines() if ln.strip() and not ln.startswith(CLICK_USAGE)]
    errors = [ln for ln in lines if ln.startswith("Error")]
    note = (errors or lines or [""])[-1][:110]
    if case.expect == "refuse":
        return run.returncode != 0 and len(lines) == 1 and lines[0].startswith("Error"), run.stderr, note
    if case.expect == "same":  # either built or refused in one line; never a traceback
        return run.returncode == 0 or len(lines) == 1, run.stderr, note
    if case.expect == "report":
        named = [ln for ln in errors if "hostile" in ln or "h.txt" in ln]
        return run.returncode == 1 and len(errors) == 1 and len(named) == 1, run.stderr, note
    return run.returncode == 0, run.stderr, (lines or [""])[-1][:110]


def signal_case(root: Path, args: list[str], sig: str, db: Path) -> tuple[bool, str, str]:
    log = root / "signal.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "extract", *args, "--no-cache"], cwd=REPO, stderr=log.open("w"), text=True
    )
    deadline = time.monotonic() + 120
    while not list(db.parent.glob(".*.tmp-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    time.sleep(1.5)  # into the reading
    process.send_signal(getattr(signal, f"SIG{sig}"))
    process.wait(timeout=120)
    time.sleep(1)  # workers of a killed build die with it
    err = log.read_text()
    temps = [p.name for p in db.parent.iterdir() if ".tmp-" in p.name]
    if sig != "KILL":
        said = f"stopped (SIG{sig})" in err and "E-STOPPED" in err
        return process.returncode != 0 and said and not temps, err, (err.strip().splitlines() or [""])[-1][:110]
    run = cli(root, args)  # the next build removes what the killed one left
    temps = [p.name for p in db.parent.iterdir() if ".tmp-" in p.name]
    return run.returncode == 0 and not temps, err + run.stderr, f"temp files after the next build: {len(temps)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_case(case: Case, root: Path) -> tuple[bool, str, str]:
    db = root / "db" / "csp.db"
    port = free_port()
    args = ["serve", "--db", str(db), "--port", str(port), "--corpus", str(corpus(root))]
    ro = next((a[3:] for a in case.args if a.startswith("ro:")), None)
    if case.expect == "serve-refuse":
        run = cli(root, args, timeout=60)
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        return run.returncode != 0 and len(lines) == 1, run.stderr, (lines or [""])[0][:110]
    command = [sys.executable, "-m", "extract", *args]
    if ro:
        target = str(root / ro)
        script = f'mount --bind "{target}" "{target}" && mount -o remount,bind,ro "{target}" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", *command]
    beside = set(os.listdir(db.parent))
    server = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    try:
        status = request(port, case.http)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    assert case.http is not None
    lines = [ln for ln in err.splitlines() if ln.strip()]
    written = set(os.listdir(db.parent)) - beside
    held = status // 100 == case.http[2] and len(lines) <= 2 and not written
    return held, err, f"HTTP {status}; {len(lines)} log lines" + (f"; wrote {sorted(written)}" if written else "")


def request(port: int, http: tuple[str, str, int] | None) -> int:
    assert http is not None
    method, path, _ = http
    deadline = time.monotonic() + 60
    while True:
        try:
            data = b"x=1" if method == "POST" else None
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                return 0
            time.sleep(0.5)


# ---- growth: adversarial lines of n and 8n characters -----------------------------------------


def growth_table(n: int = 20_000) -> list[str]:
    from datetime import date

    from extract.readers.text import parse_text
    from extract.vocab.periods import PeriodContext, parse_period
    from extract.vocab.values import read_cell

    ctx = PeriodContext(date(2021, 4, 1), date(2022, 3, 31))
    readers = {
        "text reader": lambda s: parse_text(s, "text/g.txt"),
        "value parser": read_cell,
        "period parser": lambda s: parse_period(s, ctx),
    }
    rows = ["| reader | input | n chars | seconds (n) | seconds (8n) | ratio |", "|---|---|---|---|---|---|"]
    for name, fn in readers.items():
        fn("warm up 2021/22")
        for piece in ("[x", "((((", "1234567890", "1,", "[x](", "April 2021 - "):
            times = []
            for size in (n, 8 * n):
                text = piece * (size // len(piece))
                t0 = time.perf_counter()
                try:
                    fn(text)
                except Exception:  # noqa: BLE001 - a refusal is an answer; only the time matters here
                    pass
                times.append(time.perf_counter() - t0)
            ratio = times[1] / max(times[0], 1e-4)
            rows.append(f"| {name} | `{piece}` × | {n:,} | {times[0]:.3f} | {times[1]:.3f} | {ratio:.1f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="Keep the first N documents of the corpus")
    parser.add_argument(
        "--only", default="", help="Run only the cases whose kind holds one of these texts (comma-separated)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="Cases run at once")
    parser.add_argument("--no-growth", action="store_true", help="Skip the growth timings")
    args = parser.parse_args()
    cases = (
        manifest_cases()
        + loader_cases()
        + document_cases()
        + environment_cases()
        + serve_cases()
        + stop_and_edit_cases()
        + site_export_cases()
    )
    wanted = [w.strip().lower() for w in args.only.split(",")]
    cases = [c for c in cases if any(w in c.kind.lower() for w in wanted)]
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        work = Path(tmp)
        template = prepare_template(work, args.docs)
        print(
            f"{len(cases)} kinds; corpus: {len(list((template / 'corpus' / 'text').glob('*.txt')))} documents; "
            f"archive: {facts(template / 'db' / 'csp.db')} facts",
            flush=True,
        )
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(lambda c: run_case(c, template, work), cases))
    yes = {True: "yes", False: "no"}
    print("\n| kind | held | traceback | hang (seconds) | data lost (facts before → after) | note |")
    print("|---|---|---|---|---|---|")
    for o in outcomes:
        lost = "no" if o.after < 0 or o.after >= o.before else f"yes ({o.before} → {o.after})"
        note = o.note.replace("|", "/")
        hang = f"{yes[o.hang]} ({o.seconds:.0f} s)"
        print(f"| {o.kind} | {yes[o.held]} | {yes[o.traceback]} | {hang} | {lost} | {note} |")
    held = sum(o.held and not o.traceback and not o.hang for o in outcomes)
    print(f"\n{held} of {len(outcomes)} held (no traceback, no hang, no data lost)")
    if not args.no_growth:
        print("\n" + "\n".join(growth_table()))


if __name__ == "__main__":
    main()
