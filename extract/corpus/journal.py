"""The journal of a corpus edit (``add``, ``remove``): written before anything changes, so an edit
killed at any point (SIGKILL, a power cut) is settled by the next command as if it had never
started or as if it had finished, never left between.

An edit changes three things: files copied into the corpus, the manifest, and the archive. Its
commit point is the archive's swap (``os.replace`` of the rebuilt database), or the manifest's swap
when it does not rebuild. Before it, settling rolls back (the old manifest written again, the
copied files removed); after it, settling rolls forward (the files a removal deletes are deleted).
The journal sits in the corpus as a dot-file, outside what a build reads."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from extract.errors import ArchiveError

JOURNAL = ".csp-archive-edit.json"
MANIFEST = "manifest.yaml"
#: A journal is written by us; anything larger is not one.
MAX_JOURNAL_BYTES = 8_000_000


class JournalError(ArchiveError):
    default_code = "E-JOURNAL"


def _identity(path: Optional[Path]) -> Optional[list[int]]:
    """What changes when a file is replaced: device, inode, modification time and size."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Edit:
    """One edit of a corpus, as its journal records it."""

    operation: str  # add | remove
    document: str
    manifest_before: str
    manifest_after_sha: str
    created: tuple[str, ...] = ()  # files the edit copies in (removed when it rolls back)
    delete_after: tuple[str, ...] = ()  # files deleted once it is committed
    db_path: Optional[str] = None  # the archive it rebuilds (None: the manifest only)
    db_before: Optional[tuple[int, ...]] = None

    @classmethod
    def start(
        cls,
        operation: str,
        document: str,
        manifest_before: bytes,
        manifest_after: bytes,
        db_path: Optional[Path],
        created: tuple[str, ...] = (),
        delete_after: tuple[str, ...] = (),
    ) -> Edit:
        identity = _identity(db_path)
        return cls(
            operation,
            document,
            manifest_before.decode("utf-8"),
            _digest(manifest_after),
            tuple(created),
            tuple(delete_after),
            str(db_path) if db_path is not None else None,
            tuple(identity) if identity is not None else None,
        )

    def committed(self, corpus: Path) -> bool:
        """Whether the edit passed its commit point: the archive swapped, or (no rebuild) the new
        manifest in place."""
        if self.db_path is not None:
            now = _identity(Path(self.db_path))
            return now is not None and tuple(now) != self.db_before
        try:
            return _digest((Path(corpus) / MANIFEST).read_bytes()) == self.manifest_after_sha
        except OSError:
            return False


def begin(corpus: Path, edit: Edit) -> None:
    """Write the journal, durably, before the edit changes anything."""
    path = Path(corpus) / JOURNAL
    if os.path.lexists(path):
        raise JournalError(f"{path}: an earlier edit is not settled; run 'csp-archive build' to settle it")
    write_atomic(path, json.dumps(asdict(edit), ensure_ascii=False).encode("utf-8"))


def settle(corpus: Path, edit: Edit) -> str:
    """Finish or undo the edit, whichever its state says, then drop the journal: "completed" or
    "rolled back"."""
    corpus = Path(corpus)
    if edit.committed(corpus):
        for relpath in edit.delete_after:
            _inside(corpus, relpath).unlink(missing_ok=True)
        outcome = "completed"
    else:
        manifest = corpus / MANIFEST
        before = edit.manifest_before.encode("utf-8")
        try:
            current = manifest.read_bytes()
        except OSError:
            current = None
        if current != before:
            write_atomic(manifest, before)
        for relpath in edit.created:
            _inside(corpus, relpath).unlink(missing_ok=True)
        outcome = "rolled back"
    (corpus / JOURNAL).unlink(missing_ok=True)
    _sync_dir(corpus)
    return outcome


def recover(corpus: Path) -> Optional[str]:
    """Settle the edit a killed command left (None when there is none): one line saying what was
    done, for the command that found it to print."""
    corpus = Path(corpus)
    path = corpus / JOURNAL
    for stale in (*corpus.glob(f".{MANIFEST}.tmp-*"), *corpus.glob(f".{JOURNAL}.tmp-*")):
        stale.unlink(missing_ok=True)  # half-written by a killed edit; the caller holds the corpus's lock
    if not os.path.lexists(path):
        return None
    edit = _load(path)
    outcome = settle(corpus, edit)
    return f"an interrupted {edit.operation} of '{edit.document}' was found and {outcome}"


def _load(path: Path) -> Edit:
    bad = JournalError(
        f"{path}: the journal of an interrupted edit cannot be read; check manifest.yaml, then delete the journal"
    )
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_JOURNAL_BYTES:
        raise bad
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        edit = Edit(
            operation=str(data["operation"]),
            document=str(data["document"]),
            manifest_before=str(data["manifest_before"]),
            manifest_after_sha=str(data["manifest_after_sha"]),
            created=tuple(str(p) for p in data["created"]),
            delete_after=tuple(str(p) for p in data["delete_after"]),
            db_path=None if data["db_path"] is None else str(data["db_path"]),
            db_before=None if data["db_before"] is None else tuple(int(v) for v in data["db_before"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise bad from None
    for relpath in edit.created + edit.delete_after:
        _inside(path.parent, relpath)
    return edit


def _inside(corpus: Path, relpath: str) -> Path:
    """A journal's file, refused unless it lies in the corpus (the journal is data on disk too)."""
    path = Path(corpus) / relpath
    root = Path(corpus).resolve()
    if Path(relpath).is_absolute() or ".." in Path(relpath).parts or not path.parent.resolve().is_relative_to(root):
        raise JournalError(f"{Path(corpus) / JOURNAL}: file '{relpath}' lies outside the corpus")
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably (a temporary file, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
