"""The ``csp-archive`` command: a thin click layer over the library functions."""

from __future__ import annotations

import sys
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
def serve(db_path: Path, port: int, host: str):
    """Serve the archive with Datasette."""
    from extract.publish.site import serve as run_serve

    if not db_path.is_file():
        raise click.ClickException(f"{db_path}: no database; run 'csp-archive build' first")
    try:
        run_serve(db_path, host=host, port=port)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None


@cli.command()
@db_option
@click.option("--unmapped", is_flag=True, help="List printed category, area and period labels that did not map")
@click.option("--failed", is_flag=True, help="List the failed arithmetic and consistency checks")
def check(db_path: Path, unmapped: bool, failed: bool):
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
    if failed or not unmapped:
        rows = list(db.query("select document_id, kind, description, expected, printed from checks where passed = 0"))
        for row in rows:
            click.echo(
                f"{row['document_id']}\t{row['kind']}\t{row['description']}\texpected {row['expected']}\tprinted {row['printed']}"
            )
        click.echo(f"{len(rows)} failed checks", err=True)
    sys.exit(1 if problems else 0)


def main():
    cli()
