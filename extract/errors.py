"""The project's errors: each says which file (or manifest entry) is wrong and how, in one line."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: the message is meant for the user, as it stands, on one line, ending with a
    short code (``E-MANIFEST-PATH``) that names the kind of refusal for scripts and docs."""

    default_code = "E-ARCHIVE"

    def __init__(self, message: str = "", code: str | None = None):
        self.message = " ".join(str(message).split())
        self.code = code or self.default_code
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


class ManifestError(ArchiveError):
    """The corpus manifest is missing, unreadable, or an entry has a bad field."""

    default_code = "E-MANIFEST"


class EmptyArchiveError(ArchiveError):
    """A build would replace an archive with one holding no readable document."""

    default_code = "E-EMPTY-ARCHIVE"


class ReadError(ArchiveError):
    """A document could not be read (empty, binary garbage, encrypted, truncated, scanned)."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        Exception.__init__(self, f"{self.path}: {reason}")
        self.message, self.code = f"{self.path}: {reason}", "E-READ"

    def __str__(self) -> str:
        return self.message


class InternalError(ArchiveError):
    """A bug in csp-archive itself, not a problem with a document: the command stops, the archive
    and the manifest stay as they were, and ``--debug`` shows the traceback (``trace``)."""

    default_code = "E-BUG"

    def __init__(self, where: str, kind: str, trace: str = ""):
        self.trace = trace
        super().__init__(
            f"internal error in csp-archive {where} ({kind}): a bug in this program, not a problem with"
            " the documents; run the command again with --debug for the traceback"
        )


def is_ours(err: BaseException) -> bool:
    """Whether the innermost Python frame that raised ``err`` is csp-archive's own code (a bug),
    rather than a library's, such as the PDF parser giving up on a malformed file."""
    import os
    import traceback

    package = os.path.dirname(os.path.abspath(__file__))
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and os.path.abspath(frames[-1].filename).startswith(package + os.sep)


def trace_of(err: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(type(err), err, err.__traceback__))
