"""Read documents cached by content: a file's document model is a pure function of its bytes
and the reader's code, so a rebuild reads only what changed."""
from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from .model import Document

READER_MODULES = ("model.py", "markup.py", "text_reader.py", "pdf_reader.py", "pdf_tables.py", "values.py")


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A digest of the readers' own source: editing a reader invalidates its cache entries."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in READER_MODULES:
        path = here / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class DocumentCache:
    """Pickled documents under ``directory``, keyed by file digest, format and reader version."""

    def __init__(self, directory: Optional[Path]):
        self.directory = Path(directory) if directory else None

    def _path(self, sha: str, fmt: str) -> Path:
        return self.directory / f"{sha[:32]}-{fmt}-{reader_version()}.pickle"

    def get_or_read(self, sha: str, fmt: str, read: Callable[[], Document]) -> Document:
        if self.directory is None:
            return read()
        path = self._path(sha, fmt)
        if path.exists():
            try:
                with open(path, "rb") as handle:
                    return pickle.load(handle)
            except Exception:  # a damaged cache entry is read again, never trusted
                path.unlink(missing_ok=True)
        doc = read()
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(doc, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        return doc
