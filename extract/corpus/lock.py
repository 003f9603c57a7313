"""Locks that serialise the commands changing one archive or one corpus (``build``, ``add``,
``remove``) and keep ``export`` from reading an archive being swapped.

The locks are ``flock`` locks held by an open file: the kernel releases them when the process
ends however it ends (SIGKILL included), so a killed command never leaves a lock behind. The
archive's lock is a file beside it (``.NAME.lock``); the corpus's is its directory, locked as it
is, so nothing is written into the corpus for it."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extract.errors import ArchiveError


@dataclass(frozen=True)
class LockSettings:
    """How long a command waits for another one holding the lock, and how often it looks."""

    wait_seconds: float = 600.0
    poll_seconds: float = 0.1


class BusyError(ArchiveError):
    """Another csp-archive command held the lock for longer than a command waits."""

    default_code = "E-BUSY"


def archive_lock_path(db_path: Path) -> Path:
    """The lock file of the archive at ``db_path``."""
    return Path(db_path).with_name(f".{Path(db_path).name}.lock")


def _open(path: Path, directory: bool, shared: bool) -> Optional[int]:
    """A descriptor to lock; None where none can be had (a read-only folder: nothing there can
    change either, and the command reports its own error when it tries to write). A reader
    (``shared``) never creates the lock file: where none exists no writer has run, and a reader
    leaves nothing behind in a folder it only reads."""
    try:
        if directory:
            return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        if shared:
            return os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as err:
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR):
            return None
        if err.errno == errno.ELOOP:
            raise ArchiveError(f"{path}: a symbolic link where the lock file goes", code="E-LOCK") from None
        raise


@contextmanager
def hold(
    path: Path,
    what: str,
    *,
    shared: bool = False,
    directory: bool = False,
    settings: LockSettings = LockSettings(),
    notice: Optional[Callable[[str], None]] = None,
) -> Iterator[None]:
    """Hold the lock on ``path`` (a lock file, or a ``directory``) for the block: exclusive, or
    ``shared`` with other readers. Another holder is waited for, with one ``notice`` line, for at
    most ``settings.wait_seconds``; then :class:`BusyError`."""
    fd = _open(Path(path), directory, shared)
    if fd is None:
        yield
        return
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        deadline = time.monotonic() + settings.wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"{what}: another csp-archive command has been using it for over "
                        f"{settings.wait_seconds:.0f} s; try again when it has finished"
                    ) from None
                if not told and notice is not None:
                    notice(f"waiting for another csp-archive command using {what} to finish")
                    told = True
                time.sleep(settings.poll_seconds)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def editing(
    corpus: Optional[Path],
    db_path: Optional[Path],
    *,
    shared_db: bool = False,
    settings: LockSettings = LockSettings(),
    notice: Optional[Callable[[str], None]] = None,
) -> Iterator[None]:
    """The locks of one command: the corpus (when given and a directory), then the archive, always
    in that order so two commands never wait on each other."""
    with (
        hold(Path(corpus), str(corpus), directory=True, settings=settings, notice=notice)
        if corpus is not None and Path(corpus).is_dir()
        else _nothing()
    ):
        if db_path is None:
            yield
            return
        with hold(archive_lock_path(db_path), str(db_path), shared=shared_db, settings=settings, notice=notice):
            yield


@contextmanager
def _nothing() -> Iterator[None]:
    yield
