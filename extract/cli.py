"""The ``csp-archive`` command: a thin click layer over the library functions."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import click

from extract.errors import ArchiveError, InternalError, trace_of
from extract.stops import Stopped, stop_on_signals

DEFAULT_DB = "db/csp.db"
DEFAULT_CORPUS = "corpus"


def db_option(fn):
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The archive database",
    )(fn)


class Refusal(click.ClickException):
    """One line on standard error, ``Error: …``, and the exit status given (1 by default)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def debug_option(fn):
    return click.option(
        "--debug", is_flag=True, envvar="CSP_ARCHIVE_DEBUG", help="On an internal error, print its traceback"
    )(fn)


@contextmanager
def guarded(command: str, left: str, debug: bool = False) -> Iterator[None]:
    """Every way a command can end badly, as one line: a refusal of bad input (its own coded
    line), a stop (SIGTERM, SIGINT: exit 128 + the signal), the environment (a folder that cannot
    be written), and a bug in csp-archive (E-BUG; ``--debug`` prints its traceback). ``left``
    says what was left as it was."""
    try:
        with stop_on_signals():
            yield
    except (Stopped, KeyboardInterrupt) as stop:
        stopped = stop if isinstance(stop, Stopped) else Stopped(2)
        raise Refusal(f"{command} {stopped}: {left} (E-STOPPED)", stopped.exit_status) from None
    except InternalError as err:
        if debug:
            click.echo(err.trace.rstrip(), err=True)
        raise Refusal(f"{err.message}; {left} ({err.code})") from None
    except ArchiveError as err:
        raise Refusal(str(err)) from None
    except click.ClickException:
        raise
    except OSError as err:  # the environment, not the documents: a folder that cannot be written
        if err.filename is None:
            raise _bug(command, err, left, debug) from None
        raise Refusal(f"cannot write: {err.filename}: {err.strerror or err}; {left} (E-DB-WRITE)") from None
    except Exception as err:
        raise _bug(command, err, left, debug) from None


def _bug(command: str, err: Exception, left: str, debug: bool) -> Refusal:
    bug = InternalError(f"while running '{command}'", type(err).__name__, trace_of(err))
    if debug:
        click.echo(bug.trace.rstrip(), err=True)
    return Refusal(f"{bug.message}; {left} ({bug.code})")


def _echo(line: str) -> None:
    click.echo(line, err=True)


@contextmanager
def locked(corpus: Optional[Path], db_path: Path, shared_db: bool = False) -> Iterator[None]:
    """The command's locks (extract/corpus/lock.py), then any edit a killed command left settled."""
    from extract.corpus import journal
    from extract.corpus.lock import editing

    if not shared_db:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    with editing(corpus, db_path, shared_db=shared_db, notice=_echo):
        if corpus is not None and Path(corpus).is_dir():
            settled = journal.recover(corpus)
            if settled:
                _echo(f"Warning: {settled}")
        yield


@click.group()
@click.version_option(package_name="csp-archive")
def cli():
    """Community Safety Partnership reports → one normalised SQLite database, published with Datasette."""


@cli.command()
@click.option(
    "--corpus",
    default=DEFAULT_CORPUS,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory holding manifest.yaml",
)
@db_option
@click.option(
    "--source",
    type=click.Choice(["all", "text", "pdf"]),
    default="all",
    show_default=True,
    help="Read the PDF where the manifest lists one (all: and compare it with the text rendition)",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines")
@click.option(
    "--no-cache", is_flag=True, help="Read every file again (by default unchanged files are read from db/.cache)"
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes reading documents [default: cores]"
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Read and interpret on a dask.distributed cluster: its scheduler's address, or local[:N] to start one here",
)
@click.option("--allow-empty", is_flag=True, help="Replace the archive even when no document could be read")
@debug_option
def build(
    corpus: Path,
    db_path: Path,
    source: str,
    quiet: bool,
    no_cache: bool,
    allow_empty: bool,
    jobs: int | None,
    scheduler: str | None,
    debug: bool,
):
    """Build the archive database from a corpus directory."""
    from extract.cluster import cluster_reader
    from extract.corpus.cache import cache_dir_for, prune
    from extract.corpus.limits import ReadLimits
    from extract.pipeline import build as run_build

    progress = None if quiet or not sys.stderr.isatty() else _echo
    with guarded("build", f"{db_path} left as it was", debug), locked(corpus, db_path):
        cache_dir = None if no_cache else cache_dir_for(db_path)
        report = run_build(
            corpus,
            db_path,
            source=source,
            progress=progress,
            cache_dir=cache_dir,
            allow_empty=allow_empty,
            limits=ReadLimits(jobs=jobs),
            remote=cluster_reader(scheduler, jobs) if scheduler else None,
        )
        if cache_dir is not None and not report.unchanged:
            prune(cache_dir)
    if report.unchanged:
        click.echo(f"{db_path} is up to date: nothing changed since it was built", err=True)
        return
    for line in report.warnings:
        click.echo(f"Warning: {line}", err=True)
    for line in report.errors:
        click.echo(f"Error: {line}", err=True)
    click.echo(
        f"Built {db_path}: {report.documents} documents, {report.facts} facts, "
        f"{report.failed_checks} failed checks, {len(report.errors)} unreadable files "
        f"in {report.seconds:.1f}s",
        err=True,
    )
    if report.errors:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--corpus",
    default=DEFAULT_CORPUS,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Corpus whose pdf/ folder is served at /pdf",
)
def serve(db_path: Path, port: int, host: str, corpus: Path):
    """Serve the archive with Datasette (immutable: the database can be downloaded)."""
    from extract.publish.site import serve as run_serve

    try:
        run_serve(db_path, host=host, port=port, corpus=corpus)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None


@cli.command()
@db_option
@click.option("--unmapped", is_flag=True, help="List printed category, area and period labels that did not map")
@click.option("--failed", is_flag=True, help="List the failed arithmetic and consistency checks")
@click.option("--corrections", "corrections", is_flag=True, help="List the corrections and their state")
@click.option("--series", "series", is_flag=True, help="List every trend line that breaks the rules of a line")
def check(db_path: Path, unmapped: bool, failed: bool, corrections: bool, series: bool):
    """Report on a built database: unmapped labels, failed checks, trend lines."""
    import sqlite_utils

    if not db_path.is_file():
        raise click.ClickException(f"{db_path}: no database; run 'csp-archive build' first")
    db = sqlite_utils.Database(db_path)
    problems = 0
    if unmapped:
        from extract.store.harmonise import unmapped as find_unmapped

        rows = find_unmapped(db)
        for row in rows:
            click.echo("\t".join(str(row.get(k, "")) for k in ("kind", "label", "document_id", "count")))
        problems += len(rows)
        click.echo(f"{len(rows)} unmapped labels", err=True)
    if corrections:
        rows = list(db.query("select id, state, target, value, figure_id from corrections order by id"))
        for row in rows:
            click.echo(f"{row['id']}\t{row['state']}\t{row['target']}\tfigure {row['figure_id']}")
        problems += sum(row["state"] != "applied" for row in rows)
        click.echo(f"{len(rows)} corrections, {sum(r['state'] == 'applied' for r in rows)} applied", err=True)
    if series:
        from extract.store.points import check_series

        found = check_series(db)
        for problem in found.problems:
            click.echo(str(problem))
        problems += len(found.problems)
        click.echo(found.summary(), err=True)
    if failed or not (unmapped or corrections or series):
        rows = list(db.query("select document_id, kind, description, expected, printed from checks where passed = 0"))
        for row in rows:
            click.echo(
                f"{row['document_id']}\t{row['kind']}\t{row['description']}\texpected {row['expected']}\tprinted {row['printed']}"
            )
        click.echo(f"{len(rows)} failed checks", err=True)
    sys.exit(1 if problems else 0)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["datapackage", "csv"]), default="datapackage", show_default=True)
@click.option("--force", is_flag=True, help="Replace OUT_DIR when it holds a previous export (and nothing else)")
@click.argument("out_dir", type=click.Path(path_type=Path))  # a file there: refused by export (E-EXPORT-NOT-DIR)
@debug_option
def export(db_path: Path, fmt: str, out_dir: Path, force: bool, debug: bool):
    """Write the public tables and views as CSV (every row), with datapackage.json, into a new folder
    (an existing one only when empty, or with --force when it holds a previous export)."""
    from extract.publish.export import export as run_export

    with guarded("export", f"{out_dir} left as it was", debug), locked(None, db_path, shared_db=True):
        try:
            report = run_export(db_path, out_dir, fmt, force=force)
        except OSError as err:
            where = err.filename or out_dir
            raise ArchiveError(f"cannot write the export: {where}: {err.strerror or err}", "E-EXPORT-WRITE") from None
    click.echo(f"Exported {sum(report.rows.values())} rows in {len(report.rows)} files to {out_dir}", err=True)


def _rebuild(corpus: Path, db_path: Path, source: str) -> Callable[[], list[str]]:
    """A build into a scratch file, moved over ``db_path`` only if no file failed to read."""

    def run() -> list[str]:
        from extract.corpus.cache import cache_dir_for
        from extract.pipeline import build as run_build

        scratch = db_path.with_name(f".{db_path.name}.edit-{os.getpid()}")
        try:
            report = run_build(corpus, scratch, source=source, cache_dir=cache_dir_for(db_path), base=db_path)
            if not report.errors:
                os.replace(scratch, db_path)
                for line in report.warnings:
                    click.echo(f"Warning: {line}", err=True)
                click.echo(f"Built {db_path}: {report.documents} documents, {report.facts} facts", err=True)
            return report.errors
        finally:
            scratch.unlink(missing_ok=True)

    return run


def corpus_options(fn):
    fn = click.option(
        "--corpus", default=DEFAULT_CORPUS, show_default=True, type=click.Path(file_okay=False, path_type=Path)
    )(fn)
    fn = db_option(fn)
    fn = click.option("--source", type=click.Choice(["all", "text", "pdf"]), default="all", show_default=True)(fn)
    fn = debug_option(fn)
    return click.option("--no-build", is_flag=True, help="Edit the corpus only; do not rebuild")(fn)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", required=True)
@click.option(
    "--kind", required=True, help="strategic_assessment | performance_review | delivery_plan | strategy | ..."
)
@click.option("--id", "doc_id", help="Manifest id (default: the first file's name)")
@click.option("--period", help="What the report covers: YYYY-MM-DD..YYYY-MM-DD")
@click.option("--published", help="A date or a year")
@click.option("--source-url")
@click.option("--publisher")
@click.option("--area")
@click.option(
    "--district", help="In a corpus of several districts, the one it reports on (default: the corpus's only one)"
)
@corpus_options
def add(
    files,
    title,
    kind,
    doc_id,
    period,
    published,
    source_url,
    publisher,
    area,
    district,
    corpus,
    db_path,
    source,
    no_build,
    debug,
):
    """Add a report: copy its files into the corpus (a district's folder, in a corpus of several),
    list it in the manifest, rebuild."""
    from extract.corpus.edit import NewDocument, add_document

    doc = NewDocument(list(files), title, kind, doc_id, period, published, source_url, publisher, area, district)
    left = f"{corpus} and {db_path} left as they were"
    with guarded("add", left, debug), locked(corpus, db_path):
        rebuild = None if no_build else _rebuild(corpus, db_path, source)
        new_id = add_document(corpus, doc, rebuild, db_path=db_path)
    click.echo(f"Added {new_id}", err=True)


@cli.command()
@click.argument("doc_id")
@click.option("--delete-files", is_flag=True, help="Delete the document's files from the corpus too")
@corpus_options
def remove(doc_id, delete_files, corpus, db_path, source, no_build, debug):
    """Remove a report from the manifest (and optionally its files), then rebuild."""
    from extract.corpus.edit import remove_document

    left = f"{corpus} and {db_path} left as they were"
    with guarded("remove", left, debug), locked(corpus, db_path):
        rebuild = None if no_build else _rebuild(corpus, db_path, source)
        remove_document(corpus, doc_id, rebuild, delete_files, db_path=db_path)
    click.echo(f"Removed {doc_id}", err=True)


def main():
    import signal

    # Until a command installs its own handlers (extract/stops.py), Ctrl-C ends the process quietly:
    # nothing has been written yet, and no traceback of a half-done import reaches the terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    cli()
