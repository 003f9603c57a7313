"""Reading and interpreting spread over a ``dask.distributed`` cluster (``build --scheduler``).

Reading a file and interpreting it are pure functions of the file, its manifest entry and the
vocabulary, so each document is one task: a worker reads its files (:func:`read_bounded`) and
interprets each one read (:func:`interpret`), and sends back what it read and found. The build
gathers the results into its caches and loads them in one ordinary, atomic build: the archive is
the one ``--jobs 1`` makes.

Bounds hold on the cluster as on one machine. A document read past its time (twice the
per-document limit, and a margin) takes its worker down with it (``os.kill`` of the worker
process, whose nanny starts a fresh one); the scheduler gives the task to another worker up to
its allowed failures, then the build reports the document in one line and goes on. Memory is
the workers' own limit (``LocalCluster(memory_limit=…)``; on a cluster of your own, its
configuration). A bug in csp-archive's code stops the build as it does on one machine.

The corpus must be at the same path on every worker (a shared file system); nothing is copied.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from extract.corpus.limits import ReadLimits
from extract.corpus.manifest import Entry, sha256
from extract.errors import ArchiveError, InternalError, trace_of
from extract.model import Document
from extract.pipeline import RemoteReader, RemoteReading, interpret, plan_files, read_bounded, worker_areas

#: How a build names a cluster it starts itself: "local" (one worker a core) or "local:N".
LOCAL = "local"


@dataclass(frozen=True)
class ClusterSettings:
    """A cluster the build starts itself (``--scheduler local[:N]``): its workers, one thread each,
    so a document that takes its worker down loses no other document's work."""

    workers: int = 2
    memory_mb: int = 4096  # per worker: the nanny restarts a worker past it
    allowed_failures: int = 1  # a document whose worker died is tried once more, then reported
    margin_seconds: int = 5  # past twice the per-document limit, before a worker is taken down


def parse_scheduler(address: str, jobs: Optional[int]) -> Union[str, ClusterSettings]:
    """``--scheduler``: a scheduler's address (``tcp://host:8786``), or ``local`` / ``local:N`` for a
    cluster of N workers on this machine (``--jobs`` or the cores when N is not given)."""
    if address == LOCAL or address.startswith(LOCAL + ":"):
        n = address.partition(":")[2]
        if n and not n.isdigit() or n == "0":
            raise ArchiveError(f"--scheduler {address!r}: give local or local:N with N a number of workers")
        return ClusterSettings(workers=int(n) if n else max(1, jobs or os.cpu_count() or 1))
    if "://" not in address and ":" not in address:
        raise ArchiveError(f"--scheduler {address!r}: give a scheduler's address (tcp://host:8786) or local[:N]")
    return address


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """Take this worker down if the block runs past ``seconds``: a thread cannot be interrupted in
    C code, a process can, and the cluster starts a fresh worker."""
    timer = threading.Timer(seconds, os.kill, args=(os.getpid(), signal.SIGKILL))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def read_document(entry: Entry, source: str, corpus: Path, limits: ReadLimits, margin: int) -> RemoteReading:
    """One task: read every file of ``entry`` the build would read, and interpret each one read."""
    worker_areas(corpus, entry.district)
    out = RemoteReading(entry.id)
    with _watchdog(limits.seconds * 2 + margin):
        for relpath, fmt, role in plan_files(entry, source):
            if role == "unread":
                continue
            key = (sha256(entry.paths[relpath]), fmt)
            if key in out.read:
                continue
            doc = read_bounded(entry.paths[relpath], relpath, fmt, limits.seconds)
            out.read[key] = doc
            if isinstance(doc, Document):
                try:  # bounded by the watchdog: an alarm works only in a process's main thread
                    out.interpreted[key] = interpret(doc, entry, {})
                except Exception as err:
                    raise InternalError(f"while interpreting {relpath}", type(err).__name__, trace_of(err)) from err
    return out


def lost(entry: Entry, source: str, reason: str) -> RemoteReading:
    """A document whose worker was lost: each of its files carries the one line saying so."""
    out = RemoteReading(entry.id)
    for relpath, fmt, role in plan_files(entry, source):
        if role != "unread":
            out.read[(sha256(entry.paths[relpath]), fmt)] = reason
    return out


def cluster_reader(scheduler: str, jobs: Optional[int] = None) -> RemoteReader:
    """The build's reader for ``--scheduler``: checked now (a wrong address is one line before
    anything is read), connected when the build reads."""
    target = parse_scheduler(scheduler, jobs)

    def read(entries: list[Entry], source: str, corpus: Path, limits: ReadLimits) -> dict[str, RemoteReading]:
        return read_on_cluster(entries, source, corpus, limits, target)

    return read


def read_on_cluster(
    entries: list[Entry], source: str, corpus: Path, limits: ReadLimits, target: Union[str, ClusterSettings]
) -> dict[str, RemoteReading]:
    """Read and interpret ``entries`` on the cluster at ``target`` (a scheduler's address, or the
    settings of one started here: :func:`parse_scheduler`), one task per document; results keyed by
    document id, so completion order never changes the archive."""
    try:
        import dask
        from distributed import Client, LocalCluster
        from distributed.scheduler import KilledWorker
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise ArchiveError(f"--scheduler needs dask.distributed ({err}): pip install 'distributed'") from None
    settings = target if isinstance(target, ClusterSettings) else ClusterSettings()
    with dask.config.set({"distributed.scheduler.allowed-failures": settings.allowed_failures}):
        cluster = None
        if isinstance(target, ClusterSettings):
            cluster = LocalCluster(
                n_workers=target.workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=f"{target.memory_mb}MiB",
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a worker's heartbeat to a scheduler closing is not news
            )
        try:
            with Client(cluster if cluster is not None else target, timeout="30s") as client:
                futures = {
                    e.id: client.submit(
                        read_document,
                        e,
                        source,
                        corpus,
                        limits,
                        settings.margin_seconds,
                        key=f"read-{e.id}",
                        pure=False,
                    )
                    for e in entries
                }
                out: dict[str, RemoteReading] = {}
                for entry in entries:
                    try:
                        out[entry.id] = futures[entry.id].result()
                    except KilledWorker:
                        reason = (
                            f"its worker was lost twice while reading it (past the time limit of {limits.seconds} s "
                            "or the worker's memory limit?)"
                        )
                        out[entry.id] = lost(entry, source, reason)
                return out
        except OSError as err:
            raise ArchiveError(f"--scheduler: could not reach the cluster at {target} ({err})") from None
        finally:
            if cluster is not None:
                cluster.close()
