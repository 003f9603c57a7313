"""Read documents cached by content: a file's document model is a pure function of its bytes
and the reader's code, so a rebuild reads only what changed.

Entries are JSON data with a schema version, never code (no pickle): each records the digest of
the file it was read from and is used only when that digest, the format and the reader version
match. An unreadable, foreign or corrupt entry is ignored and the file read again; a cache
directory that cannot be written is a warning and the build goes on without it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from extract.model import Block, Cell, Document, Span, Table, TableReport
from extract.vocab.loader import vocabulary_digest

#: The code a read document depends on: the readers, the document model and the vocabulary code.
READER_CODE = ("model.py", "errors.py", "readers", "vocab")
#: Bumped when the layout of a cache entry changes.
CACHE_SCHEMA = 4


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A digest of the readers' source and of the vocabulary they read: editing either
    invalidates the cache entries made with the old one."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for name in READER_CODE:
        path = package / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    digest.update(vocabulary_digest().encode())
    return digest.hexdigest()[:16]


def _bbox(value: Any) -> Optional[tuple[float, float, float, float]]:
    return tuple(float(v) for v in value) if value is not None else None  # type: ignore[return-value]


def _spans(data: list) -> list[Span]:
    return [Span(**{**span, "bbox": _bbox(span.get("bbox"))}) for span in data]


def _cell(data: dict) -> Cell:
    return Cell(**{**data, "bbox": _bbox(data.get("bbox")), "spans": _spans(data.get("spans", []))})


def _table(data: Optional[dict]) -> Optional[Table]:
    if data is None:
        return None
    report = data.get("report")
    if report is not None:
        report = TableReport(**{**report, "bbox": _bbox(report.get("bbox"))})
    return Table(**{**data, "rows": [[_cell(c) for c in row] for row in data["rows"]], "report": report})


def document_from_data(data: dict) -> Document:
    """A :class:`Document` rebuilt from its JSON form (``dataclasses.asdict``)."""
    blocks = [
        Block(
            **{
                **b,
                "table": _table(b.get("table")),
                "bbox": _bbox(b.get("bbox")),
                "spans": _spans(b.get("spans", [])),
            }
        )
        for b in data["blocks"]
    ]
    return Document(**{**data, "blocks": blocks})


@dataclass(frozen=True)
class CacheBounds:
    """How large an archive's cache may grow: past it, the entries least recently used go."""

    max_bytes: int = 1024 * 1024 * 1024


def cache_dir_for(db_path: Path) -> Path:
    """The one cache of the archive at ``db_path``: ``.NAME.cache`` beside it (``db/.csp.db.cache``),
    so two archives in one folder never share, and ``--db ~/csp.db`` writes no ``~/.cache``."""
    return Path(db_path).with_name(f".{Path(db_path).name}.cache")


def prune(directory: Path, bounds: CacheBounds = CacheBounds()) -> list[Path]:
    """Keep the cache within ``bounds``: the temporary files of dead writers go, then the entries
    least recently used (a hit touches its entry) until the rest fit. Returns what was removed."""
    removed: list[Path] = []
    try:
        files = [p for p in Path(directory).iterdir() if p.is_file() and not p.is_symlink()]
    except OSError:
        return removed
    entries = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        if ".tmp-" in path.name:
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                removed.append(path)
            continue
        entries.append((st.st_mtime_ns, st.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= bounds.max_bytes:
            break
        removed.append(path)
        total -= size
    for path in removed:
        try:
            path.unlink()
        except OSError:
            pass
    return removed


def touch(path: Path) -> None:
    """Mark a cache entry used now (its modification time), for :func:`prune`."""
    try:
        os.utime(path)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DocumentCache:
    """JSON documents under ``directory``, keyed by file digest, format and reader version."""

    def __init__(self, directory: Optional[Path], warn: Optional[Callable[[str], None]] = None):
        self.directory = Path(directory) if directory else None
        self.warn = warn
        self.writable = True

    def _path(self, sha: str, fmt: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{sha[:32]}-{fmt}-{reader_version()}.json"

    def get(self, sha: str, fmt: str) -> Optional[Document]:
        """The cached document of a file with digest ``sha``, or None (missing, foreign, corrupt)."""
        if self.directory is None:
            return None
        try:
            path = self._path(sha, fmt)
            data = json.loads(path.read_text(encoding="utf-8"))
            if (
                data.get("schema") != CACHE_SCHEMA
                or data.get("sha256") != sha
                or data.get("format") != fmt
                or data.get("reader") != reader_version()
            ):
                return None
            doc = document_from_data(data["document"])
            touch(path)
            return doc
        except Exception:  # unreadable or not ours: read the file again, never trust it
            return None

    def put(self, sha: str, fmt: str, doc: Document) -> None:
        """Store a read document; a cache that cannot be written is a warning, never a failure."""
        if self.directory is None or not self.writable:
            return
        path = self._path(sha, fmt)
        entry = {
            "schema": CACHE_SCHEMA,
            "sha256": sha,
            "format": fmt,
            "reader": reader_version(),
            "document": asdict(doc),
        }
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as err:
            self.writable = False
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            if self.warn:
                self.warn(f"cache {self.directory} cannot be written ({err.strerror or err}); building without it")

    def get_or_read(self, sha: str, fmt: str, read: Callable[[], Document]) -> Document:
        doc = self.get(sha, fmt)
        if doc is None:
            doc = read()
            self.put(sha, fmt, doc)
        return doc
