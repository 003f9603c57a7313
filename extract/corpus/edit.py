"""Adding and removing corpus documents: files copied in, the manifest edited in place (its
comments and order kept: only the entry's lines change, extract/corpus/manifest_text.py), then a
rebuild; on any error the old manifest, files and archive are left as they were."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from extract.corpus.manifest import KINDS, Entry, load_manifest
from extract.corpus.manifest_text import append_entry, remove_entry
from extract.errors import ArchiveError, ManifestError

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
    extra: dict[str, Any] = field(default_factory=dict)


Rebuild = Callable[[], list[str]]  # runs the build; returns its error lines (raises ArchiveError)


def _read(corpus: Path) -> tuple[bytes, list[Entry]]:
    """The manifest's bytes and entries; the existing manifest must itself be valid before it is edited."""
    entries = load_manifest(corpus)
    return (corpus / "manifest.yaml").read_bytes(), entries


def _validate(corpus: Path, text: bytes) -> None:
    """Check a would-be manifest with the manifest loader, against the corpus it will describe."""
    load_manifest(corpus, text)


def _replace(path: Path, text: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(text)
    os.replace(tmp, path)


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


def _plan_copies(corpus: Path, files: list[Path]) -> list[tuple[Path, Path, str]]:
    """(source, destination, relpath) for each file; refuses missing files and name clashes."""
    plan = []
    for src in files:
        src = Path(src)
        if not src.is_file():
            raise ManifestError(f"{src}: no such file")
        folder = FOLDERS.get(src.suffix.lower())
        if folder is None:
            raise ManifestError(f"{src}: neither a text rendition (.txt, .md) nor a PDF")
        relpath = f"{folder}/{src.name}"
        dest = corpus / relpath
        if dest.exists() and dest.resolve() != src.resolve():
            raise ManifestError(f"{src}: {relpath} already exists in {corpus}")
        plan.append((src, dest, relpath))
    return plan


def add_document(corpus: Path, doc: NewDocument, rebuild: Optional[Rebuild] = None) -> str:
    """Copy the files in, append a validated manifest entry, rebuild; returns the new id."""
    corpus = Path(corpus)
    if not doc.files:
        raise ManifestError("add: no files given")
    old, entries = _read(corpus)
    plan = _plan_copies(corpus, doc.files)
    doc.id = doc.id or Path(doc.files[0]).stem
    if any(e.id == doc.id for e in entries):
        raise ManifestError(f"{corpus / 'manifest.yaml'}: duplicate id '{doc.id}'")
    new = append_entry(old.decode("utf-8"), _entry(doc, [relpath for _, _, relpath in plan])).encode("utf-8")
    copied = []
    try:
        for src, dest, _ in plan:
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                copied.append(dest)
        _commit(corpus, old, new, rebuild)
    except BaseException:
        for dest in copied:
            dest.unlink(missing_ok=True)
        raise
    return doc.id


def remove_document(
    corpus: Path, doc_id: str, rebuild: Optional[Rebuild] = None, delete_files: bool = False
) -> list[str]:
    """Drop a document's manifest entry and rebuild; with ``delete_files`` its files go too
    (unless another entry lists them). Returns the files of the removed entry."""
    corpus = Path(corpus)
    old, entries = _read(corpus)
    entry = next((e for e in entries if e.id == doc_id), None)
    if entry is None:
        raise ManifestError(f"{corpus / 'manifest.yaml'}: no document with id '{doc_id}'")
    files = list(entry.files)
    _commit(corpus, old, remove_entry(old.decode("utf-8"), doc_id).encode("utf-8"), rebuild)
    if delete_files:
        still = {f for e in entries if e.id != doc_id for f in e.files}
        for f in files:
            if f not in still:
                (corpus / f).unlink(missing_ok=True)
    return files


def _commit(corpus: Path, old: bytes, new: bytes, rebuild: Optional[Rebuild]) -> None:
    """Validate, swap the manifest in, rebuild; restore the old manifest if the build fails."""
    path = corpus / "manifest.yaml"
    _validate(corpus, new)
    _replace(path, new)
    if rebuild is None:
        return
    try:
        errors = rebuild()
    except BaseException:
        _replace(path, old)
        raise
    if errors:
        _replace(path, old)
        raise ArchiveError(f"rebuild failed ({errors[0]}); manifest and archive left as they were")
