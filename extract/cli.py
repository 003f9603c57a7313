"""The ``csp-archive`` command: a thin click layer over the library functions."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from extract.errors import ArchiveError

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
@click.option("--allow-empty", is_flag=True, help="Replace the archive even when no document could be read")
def build(corpus: Path, db_path: Path, source: str, quiet: bool, no_cache: bool, allow_empty: bool, jobs: int | None):
    """Build the archive database from a corpus directory."""
    from extract.corpus.limits import ReadLimits
    from extract.pipeline import build as run_build

    progress = None if quiet or not sys.stderr.isatty() else (lambda line: click.echo(line, err=True))
    try:
        cache_dir = None if no_cache else db_path.parent / ".cache"
        report = run_build(
            corpus,
            db_path,
            source=source,
            progress=progress,
            cache_dir=cache_dir,
            allow_empty=allow_empty,
            limits=ReadLimits(jobs=jobs),
        )
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    except KeyboardInterrupt:
        raise click.ClickException(f"interrupted: {db_path} left as it was") from None
    except OSError as err:  # the environment, not the documents: a folder that cannot be written
        where = err.filename or db_path.parent
        raise click.ClickException(
            f"cannot write the archive: {where}: {err.strerror or err}; {db_path} left as it was (E-DB-WRITE)"
        ) from None
    except Exception as err:  # an internal error: still one line, and the old database stands
        raise click.ClickException(f"build failed ({type(err).__name__}: {err}); {db_path} left as it was") from None
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
def check(db_path: Path, unmapped: bool, failed: bool, corrections: bool):
    """Report on a built database: unmapped labels, failed checks."""
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
    if failed or not (unmapped or corrections):
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
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
def export(db_path: Path, fmt: str, out_dir: Path):
    """Write the public tables and views as CSV (every row), with datapackage.json."""
    from extract.publish.export import export as run_export

    try:
        report = run_export(db_path, out_dir, fmt)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"{out_dir}: cannot write ({err.strerror})") from None
    click.echo(f"Exported {sum(report.rows.values())} rows in {len(report.rows)} files to {out_dir}", err=True)


def _rebuild(corpus: Path, db_path: Path, source: str) -> Callable[[], list[str]]:
    """A build into a scratch file, moved over ``db_path`` only if no file failed to read."""

    def run() -> list[str]:
        from extract.pipeline import build as run_build

        scratch = db_path.with_name(f".{db_path.name}.edit-{os.getpid()}")
        try:
            report = run_build(corpus, scratch, source=source, cache_dir=db_path.parent / ".cache", base=db_path)
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
@corpus_options
def add(files, title, kind, doc_id, period, published, source_url, publisher, area, corpus, db_path, source, no_build):
    """Add a report: copy its files into the corpus, list it in the manifest, rebuild."""
    from extract.corpus.edit import NewDocument, add_document

    doc = NewDocument(list(files), title, kind, doc_id, period, published, source_url, publisher, area)
    try:
        new_id = add_document(corpus, doc, None if no_build else _rebuild(corpus, db_path, source))
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Added {new_id}", err=True)


@cli.command()
@click.argument("doc_id")
@click.option("--delete-files", is_flag=True, help="Delete the document's files from the corpus too")
@corpus_options
def remove(doc_id, delete_files, corpus, db_path, source, no_build):
    """Remove a report from the manifest (and optionally its files), then rebuild."""
    from extract.corpus.edit import remove_document

    try:
        remove_document(corpus, doc_id, None if no_build else _rebuild(corpus, db_path, source), delete_files)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Removed {doc_id}", err=True)


def main():
    cli()
