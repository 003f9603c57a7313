"""Read documents cached by content: a file's document model is a pure function of its bytes
and the reader's code, so a rebuild reads only what changed."""
from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from extract.model import Document
from extract.vocab.loader import vocabulary_digest

#: The code a read document depends on: the readers, the document model and the vocabulary code.
READER_CODE = ("model.py", "errors.py", "readers", "vocab")


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
