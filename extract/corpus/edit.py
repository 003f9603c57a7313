"""Adding and removing corpus documents: files copied in, the manifest edited in place (its
comments and order kept: only the entry's lines change, extract/corpus/manifest_text.py), then a
rebuild. Each edit is journalled first (extract/corpus/journal.py): on any error, a stop, or a kill
the manifest, files and archive are left as they were before it or as they are after it, never
between. The caller holds the corpus's and the archive's locks (extract/corpus/lock.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from extract.corpus import journal
from extract.corpus.manifest import KINDS, District, Entry, load_corpus
from extract.corpus.manifest_text import append_entry, remove_entry
from extract.errors import ArchiveError, ManifestError
from extract.stops import Stopped

#: Where a file goes in the corpus, by its suffix.
FOLDERS = {".txt": "text", ".md": "text", ".pdf": "pdf"}


@dataclass
class NewDocument:
    """What ``add`` is told about a report; ``id`` defaults to the first file's stem."""

    files: list[Path]
    title: str
    kind: str
    id: Optional[str] = None
    period: Optional[str] = None  # "YYYY-MM-DD..YYYY-MM-DD"
    published: Optional[str] = None  # a date or a year
    source_url: Optional[str] = None
    publisher: Optional[str] = None
    area: Optional[str] = None
    #: in a corpus of several districts, the one it reports on (inferred when the corpus declares one)
    district: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


Rebuild = Callable[[], list[str]]  # runs the build; returns its error lines (raises ArchiveError)


def _read(corpus: Path) -> tuple[bytes, list[Entry], list[District]]:
    """The manifest's bytes, entries and districts; the existing manifest must itself be valid before
    it is edited."""
    entries, districts = load_corpus(corpus)
    return (corpus / "manifest.yaml").read_bytes(), entries, districts


def _validate(corpus: Path, text: bytes) -> None:
    """Check a would-be manifest with the manifest loader, against the corpus it will describe."""
    load_corpus(corpus, text)


def _district(doc: NewDocument, districts: list[District]) -> Optional[District]:
    """The district a new report is filed under: the one named (--district), or the corpus's only
    one; None in a corpus that declares none."""
    known = {d.id: d for d in districts}
    if not districts:
        if doc.district is not None:
            raise ManifestError(f"--district: '{doc.district}': the corpus declares no districts")
        return None
    if doc.district is None:
        if len(districts) == 1:
            return districts[0]
        raise ManifestError(f"--district: the corpus holds several districts; name one of {', '.join(known)}")
    if doc.district not in known:
        raise ManifestError(f"--district: '{doc.district}' is not one of {', '.join(known)}")
    return known[doc.district]


def _folder_of(district: Optional[District]) -> str:
    """Where a district's files go: beside its areas file ("northvale/" for northvale/areas.csv)."""
    if district is None:
        return ""
    parent = Path(district.areas).parent.as_posix()
    return "" if parent in ("", ".") else parent + "/"


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ManifestError(f"--{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _entry(doc: NewDocument, relpaths: list[str]) -> dict[str, Any]:
    if doc.kind not in KINDS:
        raise ManifestError(f"--kind: '{doc.kind}' is not one of {', '.join(KINDS)}")
    entry: dict[str, Any] = {}
    entry["id"] = doc.id
    entry["title"] = doc.title
    entry["kind"] = doc.kind
    if doc.district:
        entry["district"] = doc.district
    for name in ("publisher", "area"):
        if getattr(doc, name):
            entry[name] = getattr(doc, name)
    if doc.period:
        start, sep, end = doc.period.partition("..")
        if not sep:
            raise ManifestError(f"--period: {doc.period!r} is not START..END (YYYY-MM-DD..YYYY-MM-DD)")
        entry["period"] = {"start": _day(start, "period"), "end": _day(end, "period")}
    if doc.published:
        p = doc.published.strip()
        entry["published"] = int(p) if p.isdigit() else _day(p, "published")
    if doc.source_url:
        entry["source_url"] = doc.source_url
    entry.update(doc.extra)
    entry["files"] = relpaths
    return entry


def _plan_copies(corpus: Path, files: list[Path], base: str = "") -> list[tuple[Path, Path, str]]:
    """(source, destination, relpath) for each file, under ``base`` (a district's folder); refuses
    missing files, name clashes and a destination that is a symbolic link (dangling or not) or lies
    in a folder outside the corpus."""
    plan = []
    root = corpus.resolve()
    for src in files:
        src = Path(src)
        if not src.is_file():
            raise ManifestError(f"{src}: no such file")
        folder = FOLDERS.get(src.suffix.lower())
        if folder is None:
            raise ManifestError(f"{src}: neither a text rendition (.txt, .md) nor a PDF")
        relpath = f"{base}{folder}/{src.name}"
        dest = corpus / relpath
        if dest.is_symlink() or (dest.parent.exists() and not dest.parent.resolve().is_relative_to(root)):
            raise ManifestError(
                f"{src}: {relpath} in {corpus} is a link out of place; nothing copied", code="E-ADD-LINK"
            )
        if dest.exists() and dest.resolve() != src.resolve():
            raise ManifestError(f"{src}: {relpath} already exists in {corpus}")
        plan.append((src, dest, relpath))
    return plan


def _copy(src: Path, dest: Path) -> None:
    """Copy a file to a new name in the corpus, never through a link planted there meanwhile."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as data:
        shutil.copyfileobj(data, out)


def add_document(
    corpus: Path, doc: NewDocument, rebuild: Optional[Rebuild] = None, db_path: Optional[Path] = None
) -> str:
    """Copy the files in, append a validated manifest entry, rebuild (``db_path``: the archive
    ``rebuild`` swaps, the edit's commit point); returns the new id."""
    corpus = Path(corpus)
    if not doc.files:
        raise ManifestError("add: no files given")
    old, entries, districts = _read(corpus)
    district = _district(doc, districts)
    doc.district = district.id if district else None
    plan = _plan_copies(corpus, doc.files, _folder_of(district))
    doc.id = doc.id or Path(doc.files[0]).stem
    if any(e.id == doc.id for e in entries):
        raise ManifestError(f"{corpus / 'manifest.yaml'}: duplicate id '{doc.id}'")
    new = append_entry(old.decode("utf-8"), _entry(doc, [relpath for _, _, relpath in plan])).encode("utf-8")
    copies = [(src, dest, relpath) for src, dest, relpath in plan if not dest.exists()]
    edit = journal.Edit.start(
        "add", doc.id, old, new, db_path if rebuild else None, created=tuple(r for _, _, r in copies)
    )

    def copy_in() -> None:
        for src, dest, _ in copies:
            _copy(src, dest)

    _run(corpus, edit, new, rebuild, copy_in)
    return doc.id


def remove_document(
    corpus: Path,
    doc_id: str,
    rebuild: Optional[Rebuild] = None,
    delete_files: bool = False,
    db_path: Optional[Path] = None,
) -> list[str]:
    """Drop a document's manifest entry and rebuild; with ``delete_files`` its files go too
    (unless another entry lists them). Returns the files of the removed entry."""
    corpus = Path(corpus)
    old, entries, _ = _read(corpus)
    entry = next((e for e in entries if e.id == doc_id), None)
    if entry is None:
        raise ManifestError(f"{corpus / 'manifest.yaml'}: no document with id '{doc_id}'")
    files = list(entry.files)
    still = {f for e in entries if e.id != doc_id for f in e.files}
    doomed = tuple(f for f in files if f not in still) if delete_files else ()
    new = remove_entry(old.decode("utf-8"), doc_id).encode("utf-8")
    edit = journal.Edit.start("remove", doc_id, old, new, db_path if rebuild else None, delete_after=doomed)
    _run(corpus, edit, new, rebuild, lambda: None)
    return files


def _run(corpus: Path, edit: journal.Edit, new: bytes, rebuild: Optional[Rebuild], prepare: Callable) -> None:
    """The edit, journalled: ``prepare`` (files copied in), the new manifest validated and swapped
    in, the rebuild; then settled. A failure or a stop before the commit point rolls back, one
    after it (the archive already swapped) rolls forward and the edit stands."""
    journal.begin(corpus, edit)
    try:
        prepare()
        _validate(corpus, new)
        journal.write_atomic(corpus / "manifest.yaml", new)
        errors = rebuild() if rebuild is not None else []
        if errors:
            raise ArchiveError(f"rebuild failed ({errors[0]}); manifest and archive left as they were")
    except Stopped:
        if journal.settle(corpus, edit) != "completed":
            raise
        return  # the stop came after the archive was swapped: the edit is done
    except BaseException:
        journal.settle(corpus, edit)
        raise
    journal.settle(corpus, edit)
