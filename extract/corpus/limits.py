"""Bounds on reading one document, so one hostile file cannot hang or exhaust the build."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    """Per-document bounds: wall time in seconds and address space in MiB of the worker process
    reading it, and how many worker processes read at once (``None``: the machine's cores)."""

    seconds: int = 300
    memory_mb: int = 4096
    jobs: int | None = None

    @property
    def workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)
