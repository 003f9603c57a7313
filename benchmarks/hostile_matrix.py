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


def cache_entries(root: Path) -> list[Path]:
    return sorted((root / "db" / ".cache").glob("*.json"))


def touch_corpus(root: Path) -> None:
    """Change one listed text so the build cannot stand on the archive as it is."""
    with text_file(root).open("a", encoding="utf-8") as out:
        out.write("\nOne more line.\n")


def cache_setup(how: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        entries = cache_entries(root)
        if how == "file":
            shutil.rmtree(root / "db" / ".cache")
            (root / "db" / ".cache").write_text("not a directory")
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
        Case("read-only cache", touch_corpus, expect="build", args=("ro:db/.cache",)),
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
        if case.expect in ("serve-refuse", "http"):
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
        said = ("terminated" in err) if sig == "TERM" else ("interrupted" in err)
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
    cases = manifest_cases() + document_cases() + environment_cases() + serve_cases()
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
