"""The project's errors: each says which file (or manifest entry) is wrong and how, in one line."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: the message is meant for the user, as it stands, on one line."""


class ManifestError(ArchiveError):
    """The corpus manifest is missing, unreadable, or an entry has a bad field."""


class ReadError(ArchiveError):
    """A document could not be read (empty, binary garbage, encrypted, truncated, scanned)."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
