"""`csp-archive export`: the public tables and views as CSV (every row, no page cap) with a
Frictionless-style datapackage.json (field types and descriptions, licence, sources).

Everything is written into a new hidden folder beside the destination, then renamed into place, so
a stopped export leaves nothing half-written; an existing folder is replaced only when it is empty,
or with ``force`` when it holds nothing but a previous export (our file names, regular files); the
archive itself is never in the way. Text cells a spreadsheet would run as a formula are written
with a leading single quote (OWASP's advice on CSV injection); numbers are written as they are."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from extract.errors import ArchiveError
from extract.publish.site import SITE_DIR, check_archive

PUBLIC = ("facts", "documents", "series", "coverage", "checks", "commitments", "crosswalk", "categories")
SQL_TYPES = {"INTEGER": "integer", "REAL": "number", "TEXT": "string"}


@dataclass(frozen=True)
class ExportReport:
    """What was written: one CSV per resource and its row count."""

    directory: Path
    rows: dict[str, int]


#: What a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
FORMULA_NOTE = (
    "Text cells beginning with =, +, -, @, a tab or a carriage return are written with a leading single "
    "quote (') so that a spreadsheet shows them rather than runs them as formulas; remove that one "
    "character to get the text as stored. Numbers, negative ones too, are written as they are."
)


def cell(value):
    """A value as written to the CSV: text a spreadsheet would take for a formula gets a leading
    single quote; numbers (and text that is only a number, such as "-5") are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def export_names(fmt: str = "datapackage") -> set[str]:
    """The file names an export writes (whatever tables the archive has)."""
    return {f"{name}.csv" for name in PUBLIC} | ({"datapackage.json"} if fmt == "datapackage" else set())


def _refuse(message: str, code: str) -> ArchiveError:
    return ArchiveError(message, code=code)


def check_destination(db_path: Path, out_dir: Path, force: bool) -> bool:
    """Refuse (ArchiveError, one line) a destination that is not ours to replace; True when there is
    a folder to replace, False when the folder is new (or empty)."""
    db = Path(db_path).resolve()
    if out_dir.is_symlink():
        raise _refuse(f"{out_dir} is a symbolic link; export into a real folder", "E-EXPORT-SYMLINK")
    if out_dir.exists() and not out_dir.is_dir():
        raise _refuse(f"{out_dir} exists and is not a folder", "E-EXPORT-NOT-DIR")
    target = out_dir.resolve()
    if db == target or db.is_relative_to(target):
        raise _refuse(f"{out_dir} holds the archive {db_path}; export into another folder", "E-EXPORT-ARCHIVE")
    if not out_dir.exists():
        return False
    entries = list(out_dir.iterdir())
    if not entries:
        return True
    if not force:
        raise _refuse(f"{out_dir} is not empty; give --force to replace a previous export", "E-EXPORT-EXISTS")
    ours = export_names()
    for entry in entries:
        info = entry.lstat()
        if entry.name not in ours or not stat.S_ISREG(info.st_mode):
            raise _refuse(
                f"{out_dir} holds {entry.name}, which is not a file of an export; not replacing it", "E-EXPORT-NOT-OURS"
            )
        with contextlib.suppress(OSError):
            if os.path.samefile(entry, db):
                raise _refuse(f"{entry} is the archive {db_path}; not replacing it", "E-EXPORT-ARCHIVE")
    return True


def _create(path: Path):
    """A new file in our own fresh folder: never an existing file, never through a symbolic link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return open(fd, "w", newline="", encoding="utf-8")


_DECLARED = {"INTEGER": "integer", "INT": "integer", "REAL": "number", "FLOAT": "number", "NUMERIC": "number"}


def _field_type(kinds: set[type], declared: str) -> str:
    """The Frictionless type of a column from the Python types of its values; a column with no
    value yet (every row null) falls back to its declared SQLite type, so it is typed the same."""
    by_declaration = _DECLARED.get(declared.upper(), "string")
    if not kinds:
        return by_declaration
    if kinds <= {int}:
        return "number" if by_declaration == "number" else "integer"
    if kinds <= {int, float}:
        return "number"
    return "string"


def export(db_path: Path, out_dir: Path, fmt: str = "datapackage", force: bool = False) -> ExportReport:
    """Write PUBLIC as CSV into out_dir (new, or empty, or with ``force`` a previous export); with fmt
    'datapackage' also datapackage.json. Written into a hidden sibling folder, renamed into place."""
    check_archive(db_path)
    out_dir = Path(out_dir)
    replace = check_destination(db_path, out_dir, force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.export-", dir=out_dir.parent))
    try:
        counts = _write(db_path, scratch, fmt)
        umask = os.umask(0)
        os.umask(umask)
        scratch.chmod(0o777 & ~umask)
        _move_into_place(scratch, out_dir, replace)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ExportReport(out_dir, counts)


def _move_into_place(scratch: Path, out_dir: Path, replace: bool) -> None:
    """scratch becomes out_dir; the folder it replaces (empty, or a previous export) is removed."""
    if not replace:
        try:
            os.rename(scratch, out_dir)  # onto nothing, or onto an empty folder made meanwhile
        except OSError as err:
            message = f"{out_dir} appeared while exporting ({err.strerror}); nothing written"
            raise _refuse(message, "E-EXPORT-EXISTS") from None
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rename(out_dir, old / "previous")
    try:
        os.rename(scratch, out_dir)
    except BaseException:  # a failure or a stop between the two renames: the previous export back
        with contextlib.suppress(OSError):
            os.rename(old / "previous", out_dir)
        with contextlib.suppress(OSError):
            old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write(db_path: Path, out_dir: Path, fmt: str) -> dict[str, int]:
    meta = yaml.safe_load((SITE_DIR / "metadata.yml").read_text(encoding="utf-8"))
    described = meta.get("databases", {}).get("csp", {}).get("tables", {})
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    resources, counts = [], {}
    for name in (n for n in PUBLIC if n in names):
        cursor = conn.execute(f"select * from [{name}]")
        columns = [c[0] for c in cursor.description]
        declared = {r[1]: r[2] or "" for r in conn.execute(f"pragma table_info([{name}])")}
        kinds: dict[str, set[type]] = {c: set() for c in columns}
        count = 0
        with _create(out_dir / f"{name}.csv") as fh:
            writer = csv.writer(fh)
            writer.writerow([cell(c) for c in columns])
            for row in cursor:
                writer.writerow([cell(v) for v in row])
                for c, v in zip(columns, row):
                    if v is not None:
                        kinds[c].add(type(v))
                count += 1
        counts[name] = count
        column_docs = described.get(name, {}).get("columns", {})
        fields = [{"name": c, "type": _field_type(kinds[c], declared.get(c, ""))} for c in columns]
        for f in fields:
            if column_docs.get(f["name"]):
                f["description"] = column_docs[f["name"]]
        description = described.get(name, {}).get("description", "")
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": (description + " " + FORMULA_NOTE).strip(),
                "schema": {"fields": fields},
            }
        )
    conn.close()
    if fmt == "datapackage":
        package = {
            "name": "csp-archive",
            "title": meta.get("title"),
            "description": ((meta.get("description") or "") + "\n\n" + FORMULA_NOTE).strip(),
            "licenses": [{"name": "OGL-UK-3.0", "title": meta.get("license"), "path": meta.get("license_url")}],
            "sources": [{"title": meta.get("source"), "path": meta.get("source_url")}],
            "resources": resources,
        }
        with _create(out_dir / "datapackage.json") as fh:
            fh.write(json.dumps(package, indent=2, ensure_ascii=False))
    return counts
