"""Build the archive: manifest → read each document → tables, prose, checks → SQLite, atomically.

The database is written to a temporary file beside the target and moved into place only when
complete, so a failed or interrupted build leaves the previous database as it was. A document
that cannot be read is reported in one line and the others still build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import sqlite_utils

from extract import __version__
from extract.checks.arithmetic import check_table
from extract.checks.renditions import compare_sources
from extract.checks.report import across_figures
from extract.corpus.cache import DocumentCache, reader_version
from extract.corpus.corrections import FILE as CORRECTIONS
from extract.corpus.corrections import Correction, corrections_bytes, load_corrections
from extract.corpus.limits import ReadLimits
from extract.corpus.manifest import District, Entry, load_corpus, load_districts, sha256
from extract.errors import ArchiveError, EmptyArchiveError, InternalError, ReadError, is_ours, trace_of
from extract.interpret.categorise import categorise
from extract.interpret.commitments import extract_commitments
from extract.interpret.interpretation import Interpretation
from extract.interpret.tables import TableReading, read_tables
from extract.model import Check, Commitment, DerivedSum, Document, Fact
from extract.readers.text import read_text
from extract.stops import in_worker, stop_on_signals
from extract.store import load
from extract.store.corrections import apply_corrections
from extract.store.harmonise import prepare
from extract.store.incremental import RECORD_KEY, StoreRecord, reusable, start_from
from extract.store.interpreted import InterpretationCache, code_version
from extract.vocab.areas import all_district_bytes, areas_key, select_district, use_district_areas, use_districts
from extract.vocab.loader import data_dir
from extract.vocab.periods import Period

SOURCES = ("all", "text", "pdf")
#: The file beside manifest.yaml holding the district's own areas (regions, parishes, neighbours).
DISTRICT_AREAS = "areas.csv"
MANIFEST = "manifest.yaml"
#: Linux's prctl option: the signal a process receives when its parent dies.
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ReadBug:
    """What a reading worker sends back when csp-archive's own reader code raised: a bug, which
    stops the build, never a document's one-line reason."""

    kind: str  # the exception's class
    trace: str


@dataclass
class FileResult:
    relpath: str
    fmt: str  # text | pdf
    role: str = "primary"  # primary | compared | unread
    doc: Optional[Document] = None
    readings: list[TableReading] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    derived: list[DerivedSum] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    error: Optional[str] = None
    seconds: float = 0.0
    sha: str = ""


@dataclass
class BuildReport:
    db_path: Path
    documents: int = 0
    facts: int = 0
    failed_checks: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a correction that matched no figure
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    unchanged: bool = False  # the archive was already built from exactly these inputs
    kept: int = 0  # documents kept from the previous archive, not loaded again

    @property
    def ok(self) -> bool:
        return not self.errors


def read_file(path: Path, relpath: str, fmt: str) -> Document:
    if fmt == "pdf":
        from extract.readers.pdf import read_pdf  # pdfplumber and camelot load only when a PDF is read

        return read_pdf(path, relpath)
    return read_text(path, relpath)


def _limit_worker(memory_mb: int) -> None:
    """In a reading worker: cap its address space, so a document that inflates stops there, and
    (on Linux) die with the build, so a killed build leaves no worker reading on; a stop signal
    sent to the whole process group is left to the build (SIGINT) or ends the worker (SIGTERM)."""
    import resource

    in_worker()

    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a platform without the limit reads unbounded
        pass
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGKILL when the process that started it dies."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends with its time limit instead
        pass


def _on_alarm(signum, frame) -> None:
    raise TimeoutError


def _caused_by(err: BaseException, kind: type) -> bool:
    """Whether ``kind`` is ``err`` or lies in the chain of errors it was raised from or during
    (a reader may wrap the alarm's TimeoutError or a MemoryError in its own error)."""
    seen: BaseException | None = err
    for _ in range(20):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def read_bounded(path: Path, relpath: str, fmt: str, seconds: int) -> Document | str | ReadBug:
    """Read one file within ``seconds``. A document that cannot be read comes back as its one-line
    reason (a string); an exception raised in csp-archive's own code as a :class:`ReadBug`."""
    try:
        with alarm(seconds, _on_alarm):
            return read_file(path, relpath, fmt)
    except Exception as err:
        if _caused_by(err, TimeoutError):
            return f"not read within the time limit ({seconds} s)"
        if _caused_by(err, MemoryError):
            return "not read within the memory limit"
        if isinstance(err, ReadError):
            return err.reason
        if is_ours(err):
            return ReadBug(type(err).__name__, trace_of(err))
        return unreadable(err)


@contextlib.contextmanager
def alarm(seconds: int, handler: Callable) -> Iterator[None]:
    """``handler`` called (to raise) when ``seconds`` run out inside the block; the previous
    handler back after it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # a cluster's worker thread: its watchdog bounds the document (extract/cluster.py)
        return
    previous = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def unreadable(err: Exception) -> str:
    """The one-line reason of a document a library could not parse (the PDF parser's own words)."""
    module = (type(err).__module__ or "").split(".")[0]
    detail = " ".join(str(err).split())[:160]
    return f"could not be read ({module + ': ' if module != 'builtins' else ''}{type(err).__name__}: {detail})"


Task = tuple[str, str, Path, str, Entry]  # (sha, fmt, path, relpath, the entry it is read for)
Reading = Document | str | ReadBug  # a file read, the one line why it could not be, or a bug in our reader
#: Single reading processes alive now (``_read_alone``): ended at once when the build is stopped.
_ALONE: set = set()


def read_all(
    tasks: list[Task], limits: ReadLimits, corpus: Optional[Path] = None
) -> tuple[dict[tuple[str, str], Reading], dict[tuple[str, str], Interpretation]]:
    """Read ``(sha, fmt, path, relpath, entry)`` tasks in worker processes (in this one with
    ``jobs=1``), each under the time and memory limits; with ``corpus`` (for its areas) a worker
    interprets what it read as well, for the task's entry, so that interpreting runs in parallel
    too. A document whose worker is killed outright (SIGKILL, the kernel's OOM killer) is read
    once more, alone, in a fresh worker, then reported in one line; the others are read on.
    Results are keyed, so the order of completion never changes the database."""
    out: dict[tuple[str, str], Reading] = {}
    made: dict[tuple[str, str], Interpretation] = {}
    if limits.workers == 1:
        for sha, fmt, path, relpath, _ in tasks:
            out[(sha, fmt)] = read_bounded(path, relpath, fmt, limits.seconds)
        return out, made
    if not tasks:
        return out, made
    broken = _read_in_pool(tasks, limits, out, made, corpus)
    if broken:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(limits.workers, len(broken))) as threads:
            try:
                for task, result in zip(broken, threads.map(lambda t: _read_alone(t, limits), broken)):
                    out[(task[0], task[1])] = result
            except BaseException:  # stopped: end the reading processes, so the threads return at once
                for process in list(_ALONE):
                    process.kill()
                raise
    return out, made


_worker_corpus: list[Optional[Path]] = [None]


def worker_areas(corpus: Path, district: Optional[str]) -> None:
    """In a worker: the corpus's areas (every district's, read once per worker) and the document's
    district's, as the build's own process holds them."""
    if _worker_corpus[0] != corpus:
        use_areas(corpus)
        _worker_corpus[0] = corpus
    select_district(district)


def read_and_interpret(
    path: Path, relpath: str, fmt: str, entry: Entry, corpus: Optional[Path], seconds: int
) -> tuple[Reading, Optional[Interpretation]]:
    """In a worker: one file read (:func:`read_bounded`) and, with ``corpus``, interpreted for
    ``entry`` under the same time limit. An interpretation that fails or runs out of time is not
    sent back: the build's process interprets the file again, where the bug or the time-out is
    reported as any other (:func:`process_entry`)."""
    doc = read_bounded(path, relpath, fmt, seconds)
    if corpus is None or not isinstance(doc, Document):
        return doc, None
    try:
        worker_areas(corpus, entry.district)
        return doc, interpret_bounded(doc, entry, {}, seconds)
    except Exception:  # reported where it is done again, in the build's process
        return doc, None


def _read_in_pool(
    tasks: list[Task], limits: ReadLimits, out: dict, made: dict, corpus: Optional[Path] = None
) -> list[Task]:
    """Read (and, with ``corpus``, interpret) the tasks in a pool of workers into ``out`` (and
    ``made``), the largest files first so that no large file is left to the end; the tasks lost
    with a worker that died (the pool broken under them) are returned, to be read again."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        max_workers=min(limits.workers, len(tasks)), initializer=_limit_worker, initargs=(limits.memory_mb,)
    )
    stuck, broken = False, []
    wait = limits.seconds * (3 if corpus is not None else 2)  # a read, then an interpretation, each bounded
    try:
        largest = sorted(tasks, key=lambda t: -_size(t[2]))
        futures = [
            (task, pool.submit(read_and_interpret, task[2], task[3], task[1], task[4], corpus, limits.seconds))
            for task in largest
        ]
        for task, future in futures:
            try:
                doc, known = future.result(timeout=wait)
                out[(task[0], task[1])] = doc
                if known is not None:
                    made[(task[0], task[1])] = known
            except FutureTimeout:
                out[(task[0], task[1])] = f"not read within the time limit ({limits.seconds} s)"
                stuck = True
            except BrokenProcessPool:
                broken.append(task)
    except BaseException:  # stopped (or a bug): no worker reads on after the build
        stuck = True
        raise
    finally:
        for process in list((getattr(pool, "_processes", None) or {}).values()) if stuck else []:
            process.kill()  # a worker stuck in C code past its alarm
        pool.shutdown(wait=True, cancel_futures=True)
    return broken


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_child(conn, path: Path, relpath: str, fmt: str, limits: ReadLimits) -> None:
    """In a fresh worker: read one file under the limits and send back the result."""
    _limit_worker(limits.memory_mb)
    conn.send(read_bounded(path, relpath, fmt, limits.seconds))
    conn.close()


def _read_alone(task: Task, limits: ReadLimits) -> Document | str | ReadBug:
    """Read one file in a process of its own; its death is the file's one-line reason."""
    import multiprocessing

    _, fmt, path, relpath, _ = task
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_read_child, args=(send, path, relpath, fmt, limits), daemon=True)
    process.start()
    _ALONE.add(process)
    send.close()
    try:
        if not receive.poll(limits.seconds * 2):
            process.kill()
            return f"not read within the time limit ({limits.seconds} s)"
        try:
            return receive.recv()
        except (EOFError, OSError):
            pass  # the worker died before it could answer
    finally:
        process.join(timeout=limits.seconds)
        _ALONE.discard(process)
        receive.close()
    code = process.exitcode
    how = signal.Signals(-code).name if code is not None and code < 0 else f"exit status {code}"
    return f"the reading process was killed twice ({how}; over the memory limit?)"


def interpret(doc: Document, entry: Entry, timings: dict[str, float]) -> Interpretation:
    """One read file → its whole interpretation: facts of its tables and prose, the checks within
    its tables and across its figures, the sums derived from them, and its commitments."""
    period = (
        Period(entry.period_start, entry.period_end, "span", "report period")
        if entry.period_start and entry.period_end
        else None
    )
    area = entry.area or None
    t0 = time.perf_counter()
    readings = read_tables(doc, period, area)
    checks = [c for r in readings for c in check_table(r)]
    facts = [f for r in readings for f in r.facts]
    t1 = time.perf_counter()
    timings["tables"] = timings.get("tables", 0.0) + t1 - t0
    facts += narrative_facts(doc, period, area, entry.published)
    categorise(facts, readings)
    t2 = time.perf_counter()
    timings["narrative"] = timings.get("narrative", 0.0) + t2 - t1
    derived, across = across_figures(facts, entry.id, area)
    commitments = extract_commitments(doc)
    timings["report_checks"] = timings.get("report_checks", 0.0) + time.perf_counter() - t2
    return Interpretation(readings, facts, checks + across, derived, commitments)


class InterpretTimeout(Exception):
    """A file's interpretation ran past its time limit (raised by the alarm, never by a document)."""


def _interpret_alarm(signum, frame) -> None:
    raise InterpretTimeout


def interpret_bounded(doc: Document, entry: Entry, timings: dict[str, float], seconds: Optional[int]) -> Interpretation:
    """:func:`interpret` under an alarm of ``seconds`` (in the main thread; elsewhere, or without
    ``seconds``, unbounded): a document built to make a pass slow stops there, not the build."""
    if not seconds:
        return interpret(doc, entry, timings)
    try:
        with alarm(seconds, _interpret_alarm):
            return interpret(doc, entry, timings)
    except Exception as err:
        if _caused_by(err, InterpretTimeout):
            raise InterpretTimeout from err
        raise


def narrative_facts(
    doc: Document, period: Optional[Period], area: Optional[str], published: Optional[str] = None
) -> list[Fact]:
    """Figures stated in prose (the narrative stage); ``published`` (the manifest's) dates
    "last year" when the report has no period."""
    from extract.interpret.narrative import extract_figures
    from extract.vocab.periods import PeriodContext
    from extract.vocab.relative import Published

    ctx = PeriodContext(period.start, period.end) if period else None
    facts = extract_figures(doc, ctx, area, Published.of(published))
    for i, fact in enumerate(facts):
        fact.key = fact.key or f"x{i}"
    return facts


def plan_files(entry: Entry, source: str) -> list[tuple[str, str, str]]:
    """(relpath, format, role) for each file of an entry: the PDF is primary where there is one,
    unless --source says otherwise; with --source all the text rendition is read to compare."""
    text, pdf = entry.file_of("text"), entry.file_of("pdf")
    plan = []
    if source == "text":
        primary = text
    elif source == "pdf":
        primary = pdf
    else:
        primary = pdf or text
    for relpath, fmt in ((pdf, "pdf"), (text, "text")):
        if relpath is None:
            continue
        if relpath == primary:
            role = "primary"
        elif source == "all":
            role = "compared"
        else:
            role = "unread"
        plan.append((relpath, fmt, role))
    plan.sort(key=lambda p: p[2] != "primary")
    return plan


def process_entry(
    entry: Entry,
    source: str,
    timings: dict[str, float],
    cache: Optional[DocumentCache] = None,
    preread: Optional[dict] = None,
    interpreted: Optional[InterpretationCache] = None,
    seconds: Optional[int] = None,
) -> list[FileResult]:
    """Read and interpret one document's files. A file that cannot be read is recorded in its
    result, never raised; an exception in csp-archive's own code (reading or interpreting) is a
    bug and raised as :class:`InternalError`. With ``interpreted``, a file interpreted before from
    the same inputs is not interpreted again. ``seconds`` bounds each file's interpretation as its
    reading is bounded: a file not interpreted in time is reported in one line, like one unread."""
    cache = cache or DocumentCache(None)
    interpreted = interpreted or InterpretationCache(None)
    results = []
    for relpath, fmt, role in plan_files(entry, source):
        result = FileResult(relpath, fmt, role, sha=sha256(entry.paths[relpath]))
        results.append(result)
        if role == "unread":
            continue
        t0 = time.perf_counter()
        result.doc, result.error = _read_one(entry, relpath, fmt, result.sha, cache, preread)
        timings[f"read_{fmt}"] = timings.get(f"read_{fmt}", 0.0) + time.perf_counter() - t0
        if result.doc is not None:
            key = interpreted.key(result.sha, fmt, entry)
            known = interpreted.get(key)
            if known is None:
                try:
                    known = interpret_bounded(result.doc, entry, timings, seconds)
                except InterpretTimeout:
                    result.doc, result.error = None, f"{relpath}: not interpreted within the time limit ({seconds} s)"
                    continue
                except Exception as err:  # the file was read: what failed is our interpretation
                    raise InternalError(f"while interpreting {relpath}", type(err).__name__, trace_of(err)) from err
                interpreted.put(key, known)
            result.readings, result.facts, result.checks = known.readings, known.facts, list(known.checks)
            result.derived, result.commitments = known.derived, known.commitments
        result.seconds = time.perf_counter() - t0
    primary = next((r for r in results if r.role == "primary"), None)
    fallback = next((r for r in results if r.role == "compared" and r.doc is not None), None)
    if primary is not None and primary.error and fallback is not None:
        primary.role, fallback.role = "compared", "primary"  # the text rendition stands in
    primary = next((r for r in results if r.role == "primary"), None)
    compared = next((r for r in results if r.role == "compared" and r.doc is not None), None)
    if primary is not None and primary.doc is not None and compared is not None:
        primary.checks += compare_sources(primary.facts, compared.facts, primary.relpath, compared.relpath)
    for result in results:
        if result.role != "primary":  # one check per disagreement: the other rendition's differences are text_vs_pdf
            result.checks, result.derived = [], []
            result.commitments = []
    return results


def _read_one(
    entry: Entry, relpath: str, fmt: str, sha: str, cache: DocumentCache, preread: Optional[dict]
) -> tuple[Optional[Document], Optional[str]]:
    """One file's document, or the one line saying why it could not be read (one bad document
    never loses the others' data); a fault of csp-archive's reader is raised as a bug."""
    try:
        return cache.get_or_read(sha, fmt, _reader(preread, sha, entry.paths[relpath], relpath, fmt)), None
    except ReadError as err:
        return None, f"{relpath}: {err.reason}"
    except InternalError:
        raise
    except Exception as err:
        if is_ours(err):
            raise InternalError(f"while reading {relpath}", type(err).__name__, trace_of(err)) from err
        return None, f"{relpath}: {unreadable(err)}"


def _reader(preread: Optional[dict], sha: str, path: Path, relpath: str, fmt: str) -> Callable[[], Document]:
    """The read of one file: its result from the worker pool when it was read there."""

    def read() -> Document:
        if preread is not None and (sha, fmt) in preread:
            doc = preread[(sha, fmt)]
            if isinstance(doc, str):
                raise ReadError(relpath, doc)
            if isinstance(doc, ReadBug):
                raise InternalError(f"while reading {relpath}", doc.kind, doc.trace)
            return doc
        return read_file(path, relpath, fmt)

    return read


def build(
    corpus: Path,
    db_path: Path,
    source: str = "all",
    progress: Optional[Callable[[str], None]] = None,
    cache_dir: Optional[Path] = None,
    allow_empty: bool = False,
    limits: ReadLimits = ReadLimits(),
    base: Optional[Path] = None,
    remote: Optional[RemoteReader] = None,
) -> BuildReport:
    """Build the whole database from ``corpus/manifest.yaml`` into ``db_path``, atomically.
    With ``cache_dir``, files whose bytes and reader are unchanged are not read again, and the
    documents opening the manifest unchanged since ``base`` (default ``db_path``) was built are
    kept from a copy of it rather than loaded again. With ``remote`` (extract/cluster.py's reader
    for a dask.distributed cluster), documents are read and interpreted there and loaded here as
    any other build loads them."""
    if source not in SOURCES:
        raise ArchiveError(f"--source must be one of {', '.join(SOURCES)}, not {source!r}")
    started = time.perf_counter()
    corpus, db_path = Path(corpus), Path(db_path)
    entries, districts = load_corpus(corpus)  # a manifest error stops here, before anything is written
    use_areas(corpus, districts)
    corrections = load_corrections(corpus)  # checked before anything is read or written
    db_path.parent.mkdir(parents=True, exist_ok=True)
    inputs = inputs_digest(corpus, entries, source)
    if cache_dir is not None and built_digest(db_path) == inputs:
        report = BuildReport(db_path=db_path, unchanged=True)
        report.documents, report.facts = len(entries), int(_build_info(db_path).get("facts", 0))
        report.seconds = time.perf_counter() - started
        return report  # nothing changed since the archive was built: it stands as it is
    remove_stale_tmp(db_path)
    tmp = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    report = BuildReport(db_path=db_path)
    cache = DocumentCache(cache_dir, warn=report.warnings.append)
    interpreted = InterpretationCache(cache_dir, areas_key())
    timings: dict[str, float] = {}
    record = StoreRecord(store_digest(corpus, source), [(e.id, entry_signature(e)) for e in entries])
    stops = stop_on_signals()
    stops.__enter__()  # from here a SIGTERM or SIGINT raises Stopped, and the temporary file goes
    try:
        t0 = time.perf_counter()
        kept = report.kept = reusable(Path(base or db_path), record) if cache_dir is not None else 0
        corrected = {c.document for c in corrections} if kept else set()
        db = _start(Path(base or db_path), tmp, entries[:kept], corrected, report, progress)
        load.insert_districts(db, districts)
        timings["keep"] = time.perf_counter() - t0
        read_any = kept > 0  # a kept document had every file read
        t0 = time.perf_counter()
        if remote is not None:
            preread = _gather(entries[kept:], source, corpus, limits, remote, interpreted)
        else:
            preread, made = read_all(_tasks(entries[kept:], source, cache), limits, corpus)
            _gather_made(entries[kept:], source, made, interpreted)
        timings["read_workers"] = time.perf_counter() - t0
        for n, entry in enumerate(entries[kept:], kept + 1):
            _enter_district(entry, interpreted)
            results = process_entry(entry, source, timings, cache, preread, interpreted, limits.seconds)
            read_any = read_any or any(r.doc is not None and r.role == "primary" for r in results)
            t0 = time.perf_counter()
            store_entry(db, entry, results)
            timings["load"] = timings.get("load", 0.0) + time.perf_counter() - t0
            report.documents += 1
            for r in results:
                if r.error:
                    report.errors.append(r.error)
                if r.role == "primary":
                    report.facts += len(r.facts)
                report.failed_checks += sum(not c.passed for c in r.checks)
            if progress:
                progress(_progress_line(n, len(entries), entry, results))
        if not read_any and not allow_empty and db_path.exists():
            raise EmptyArchiveError(
                f"{corpus / 'manifest.yaml'}: no document could be read; {db_path} left as it was"
                " (--allow-empty replaces it)"
            )
        across_reports(db, corrections, report, timings, [e.id for e in entries[:kept]])
        report.failed_checks = db.execute("select count(*) from checks where passed = 0").fetchone()[0]
        report.seconds = time.perf_counter() - started
        report.stage_seconds = timings
        load.finish(
            db,
            {
                "version": __version__,
                "built": build_date(),
                "source": source,
                "corpus": str(corpus),
                "documents": report.documents,
                "facts": report.facts,
                "seconds": round(report.seconds, 2),
                "errors": len(report.errors),
                "kept": report.kept,
                "inputs": inputs if not report.errors else "",
                RECORD_KEY: record.dumps(),
            },
        )
        timings["search"] = time.perf_counter() - started - report.seconds
        db.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        stops.__exit__(None, None, None)
    return report


def use_areas(corpus: Path, districts: Optional[list[District]] = None) -> None:
    """Read the corpus's areas: each district's file its manifest names (``districts:``, read from
    the manifest when not given), or the one district's ``areas.csv`` beside the manifest."""
    districts = load_districts(corpus) if districts is None else districts
    if districts:
        use_districts(corpus, [(d.id, d.areas) for d in districts])
    else:
        use_district_areas(corpus / DISTRICT_AREAS)  # the district's areas belong to its corpus


def _enter_district(entry: Entry, interpreted: InterpretationCache) -> None:
    """Read, interpret and store ``entry`` against its own district's areas, its interpretations
    keyed by them."""
    select_district(entry.district)
    interpreted.district = areas_key()


@dataclass
class RemoteReading:
    """What reading and interpreting one document elsewhere gave: each file read (a Document, the
    one-line reason it could not be read, or a bug's :class:`ReadBug`) and each interpretation,
    keyed by the file's digest and format."""

    entry_id: str
    read: dict[tuple[str, str], object] = field(default_factory=dict)
    interpreted: dict[tuple[str, str], Interpretation] = field(default_factory=dict)


#: Reads and interprets entries elsewhere (a cluster): (entries, source, corpus, limits) → by id.
RemoteReader = Callable[[list[Entry], str, Path, ReadLimits], dict[str, RemoteReading]]


def _gather(
    entries: list[Entry],
    source: str,
    corpus: Path,
    limits: ReadLimits,
    remote: RemoteReader,
    interpreted: InterpretationCache,
) -> dict:
    """Read and interpret elsewhere: what was read, keyed as :func:`read_all` keys it, and each
    interpretation put in ``interpreted`` (so the loading below interprets nothing again)."""
    readings = remote(entries, source, corpus, limits)
    preread: dict = {}
    for entry in entries:
        reading = readings[entry.id]
        preread.update(reading.read)
        _enter_district(entry, interpreted)
        for (sha, fmt), known in reading.interpreted.items():
            interpreted.gather(interpreted.key(sha, fmt, entry), known)
    return preread


def _gather_made(
    entries: list[Entry], source: str, made: dict[tuple[str, str], Interpretation], interpreted: InterpretationCache
) -> None:
    """Interpretations the reading workers made, put in ``interpreted`` under each entry's key (the
    file's first entry: the one its task was read for), so the loading interprets nothing again."""
    for entry in entries:
        _enter_district(entry, interpreted)
        for relpath, fmt, role in plan_files(entry, source):
            if role == "unread" or not made:
                continue
            sha = sha256(entry.paths[relpath])
            known = made.pop((sha, fmt), None)
            if known is not None:
                interpreted.gather(interpreted.key(sha, fmt, entry), known)


def _start(
    base: Path,
    tmp: Path,
    keep: list[Entry],
    corrected: set[str],
    report: BuildReport,
    progress: Optional[Callable[[str], None]],
) -> sqlite_utils.Database:
    """A new database at ``tmp``: empty, or a copy of ``base`` holding the ``keep`` documents' rows
    (``corrected``: the documents the corrections name, whose counted rows are made again)."""
    if not keep:
        db = load.create(tmp)
        prepare(db)
        return db
    db = start_from(base, tmp, [e.id for e in keep], corrected)
    prepare(db)
    report.documents = len(keep)
    report.facts = db.execute(
        "select count(*) from figures f join files fi on fi.id = f.file_id where fi.role = 'primary'"
    ).fetchone()[0]
    if progress:
        progress(f"[1-{len(keep)}] {len(keep)} documents unchanged, kept from {base}")
    return db


def _tasks(entries: list[Entry], source: str, cache: DocumentCache) -> list[Task]:
    """The files to read (not unread, not in the cache), once each by digest and format."""
    tasks: dict[tuple[str, str], Task] = {}
    for entry in entries:
        for relpath, fmt, role in plan_files(entry, source):
            if role == "unread":
                continue
            sha = sha256(entry.paths[relpath])
            if (sha, fmt) not in tasks and cache.get(sha, fmt) is None:
                tasks[(sha, fmt)] = (sha, fmt, entry.paths[relpath], relpath, entry)
    return list(tasks.values())


def inputs_digest(corpus: Path, entries: list[Entry], source: str) -> str:
    """A digest of everything a build depends on: the manifest and corrections, every listed file's bytes, the
    package's code and the vocabulary, and the source option. Equal digest, equal archive."""
    digest = hashlib.sha256()
    for data in sorted(corpus.iterdir()):  # the manifest and the corpus's own data files
        if _corpus_data(data) and data.name not in (CORRECTIONS, DISTRICT_AREAS):
            digest.update(data.name.encode() + b"\0" + data.read_bytes())
    # the corrections and the district's areas as they are read (through a link inside the corpus)
    digest.update(b"corrections\0" + corrections_bytes(corpus) + b"\0areas\0" + all_district_bytes())
    for entry in entries:
        for relpath in entry.files:
            digest.update(f"{entry.id}\0{relpath}\0{sha256(entry.paths[relpath])}\0".encode())
    _digest_code(digest, source)
    return digest.hexdigest()


def store_digest(corpus: Path, source: str) -> str:
    """A digest of what every stored document's rows depend on besides the document itself: the
    package's code, the vocabulary, the source option and the corpus's own data files (areas.csv),
    but not the manifest or the corrections (a kept document's rows hold neither)."""
    digest = hashlib.sha256()
    for data in sorted(corpus.iterdir()):
        if _corpus_data(data) and data.name not in (MANIFEST, CORRECTIONS, DISTRICT_AREAS):
            digest.update(data.name.encode() + b"\0" + data.read_bytes())
    digest.update(b"areas\0" + all_district_bytes())
    _digest_code(digest, source)
    digest.update(code_version().encode())  # and the spaCy the interpretations ran
    return digest.hexdigest()


def _corpus_data(path: Path) -> bool:
    """Whether a file at the corpus's top is its data (the manifest, corrections, areas), not the
    dot-files of its edits (an edit's journal) or a link."""
    return not path.name.startswith(".") and path.is_file() and not path.is_symlink()


def entry_signature(entry: Entry) -> str:
    """A digest of one manifest entry as its rows are stored: every field and each file's bytes."""
    fields = {k: v for k, v in dataclasses.asdict(entry).items() if k != "paths"}
    fields["sha256"] = [sha256(entry.paths[relpath]) for relpath in entry.files]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _digest_code(digest, source: str) -> None:
    """Add the package's code, the reader version, the vocabulary and ``source`` to ``digest``."""
    package = Path(__file__).resolve().parent
    for code in sorted(package.rglob("*.py")):
        digest.update(code.relative_to(package).as_posix().encode())
        digest.update(code.read_bytes())
    digest.update(f"{reader_version()}\0{__version__}\0{source}".encode())
    for data in sorted(data_dir("schema").rglob("*")):
        if data.is_file():
            digest.update(data.name.encode())
            digest.update(data.read_bytes())


def build_date() -> str:
    """The day the archive is built (UTC, ISO), to cite it by; SOURCE_DATE_EPOCH gives it for a
    reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch.isdigit() else datetime.now(tz=timezone.utc)
    return moment.date().isoformat()


def _build_info(db_path: Path) -> dict[str, str]:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            return dict(conn.execute("select key, value from build_info").fetchall())
    except sqlite3.Error:
        return {}


def built_digest(db_path: Path) -> str:
    """The inputs digest recorded by the build that made ``db_path`` ("" when none)."""
    return _build_info(db_path).get("inputs", "") if db_path.is_file() else ""


def remove_stale_tmp(db_path: Path) -> list[Path]:
    """Remove the temporary files beside ``db_path`` left by builds and edits whose process is gone:
    a build's ``.NAME.tmp-PID``, an edit's scratch archive ``.NAME.edit-PID`` and its build's
    ``..NAME.edit-PID.tmp-PID`` (and their SQLite journals)."""
    removed = []
    name = db_path.name
    for pattern in (f".{name}.tmp-*", f".{name}.edit-*", f"..{name}.edit-*"):
        for tmp in db_path.parent.glob(pattern):
            pids = [int(p) for p in re.findall(r"(?:tmp|edit)-(\d+)", tmp.name)]
            if pids and all(p != os.getpid() and not _alive(p) for p in pids):
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def across_reports(
    db, corrections: list[Correction], report: BuildReport, timings: dict[str, float], kept: Sequence[str] = ()
) -> None:
    """What spans reports, once every figure is in, each stage timed: category schemes, crosswalk,
    areas, periods, derived sums and checks across figures (schema/); commitment links (``kept``: the
    documents kept from the previous archive, with theirs); the corrections; then series, coverage and
    the tables counted from them, corrected values included."""
    from extract.store.commitment_links import link_commitments
    from extract.store.harmonise import harmonise_db, materialise_series
    from extract.store.points import materialise_points

    def correct(db) -> None:
        report.warnings.extend(apply_corrections(db, corrections))

    def link(db) -> None:
        link_commitments(db, kept=set(kept))

    stages = (("harmonise", harmonise_db), ("links", link), ("corrections", correct))
    for stage, run in stages + (("series", materialise_series), ("points", materialise_points)):
        t0 = time.perf_counter()
        run(db)
        timings[stage] = time.perf_counter() - t0


def store_entry(db, entry: Entry, results: list[FileResult]) -> None:
    load.insert_document(db, entry)
    for r in results:
        path = entry.paths[r.relpath]
        status = "failed" if r.error else ("skipped" if r.role == "unread" else "read")
        file_id = load.insert_file(
            db, entry, r.relpath, r.fmt, r.sha, path.stat().st_size, r.role, status, r.error, r.doc
        )
        if r.doc is None:
            continue
        blocks = load.block_ids(db, file_id)
        table_ids, cell_ids = load.insert_tables(db, file_id, r.readings, blocks)
        figure_ids = load.insert_figures(db, entry, file_id, r.relpath, r.facts, blocks, table_ids, cell_ids)
        load.insert_checks(db, entry, file_id, r.checks, table_ids, figure_ids)
        load.insert_derived(db, entry, r.relpath, r.derived, table_ids, figure_ids)
        load.insert_commitments(db, entry, file_id, r.relpath, r.commitments, blocks, table_ids)


def _progress_line(n: int, total: int, entry: Entry, results: list[FileResult]) -> str:
    parts = []
    for r in results:
        if r.error:
            parts.append(f"{r.fmt} FAILED")
        elif r.doc is not None:
            failed = sum(not c.passed for c in r.checks)
            parts.append(f"{r.fmt} ({r.role}): {len(r.facts)} facts, {failed} failed checks, {r.seconds:.1f}s")
    return f"[{n}/{total}] {entry.id}: " + "; ".join(parts)
