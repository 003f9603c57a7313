"""Interpretations cached by content: a file's tables, facts and checks are a pure function of its
read document, its manifest entry's period and area, the vocabulary (schema/ and the district's
areas) and the package's code, so a rebuild after `add` interprets only the new report.

Entries are JSON data, never code, keyed by a digest of all of those inputs (any code or vocabulary
edit invalidates every entry); an unreadable or foreign entry is ignored and the file interpreted again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Optional

from extract.corpus.cache import _table, reader_version, touch
from extract.corpus.manifest import Entry
from extract.interpret.interpretation import Interpretation
from extract.model import Check, Commitment, DerivedSum, Fact, Table
from extract.vocab.periods import Period

#: Bumped when the layout of an entry changes.
INTERPRETED_SCHEMA = 2


@dataclass
class StoredReading:
    """What the store needs of one table's reading (extract.interpret.tables.TableReading)."""

    index: int
    block_index: int
    table: Table
    label: Optional[str]
    caption: Optional[str]
    heading: Optional[str]
    header_rows: int
    n_label_cols: int
    period: Optional[Period] = None
    repairs: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's source and of the spaCy it runs: any edit invalidates the cache."""
    digest = hashlib.sha256(f"{reader_version()}\0{version('spacy')}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def interpretation_key(sha: str, fmt: str, entry: Entry, district: bytes) -> str:
    """The digest an interpretation depends on: the file, the entry's period and area, the district's
    areas file, the code and the vocabulary (in the reader version); relative periods ("last
    year") resolve against the published date when the entry gives no period."""
    parts = [sha, fmt, code_version(), str(entry.period_start), str(entry.period_end), entry.area or ""]
    parts.append(str(entry.published))
    digest = hashlib.sha256("\0".join(parts).encode())
    digest.update(district)
    return digest.hexdigest()


def _period_data(period: Optional[Period]) -> Optional[list]:
    return None if period is None else [period.start.isoformat(), period.end.isoformat(), period.kind, period.label]


def _reading_data(reading: Any) -> dict:
    return {
        "index": reading.index,
        "block_index": reading.block_index,
        "table": asdict(reading.table),
        "label": reading.label,
        "caption": reading.caption,
        "heading": reading.heading,
        "header_rows": reading.header_rows,
        "n_label_cols": reading.n_label_cols,
        "period": _period_data(reading.period),
        "repairs": list(reading.repairs),
    }


def _reading(data: dict) -> StoredReading:
    span = data.pop("period")
    table = _table(data.pop("table"))
    assert table is not None
    period = None if span is None else Period(date.fromisoformat(span[0]), date.fromisoformat(span[1]), *span[2:])
    return StoredReading(**data, table=table, period=period)


def _commitment(data: dict) -> Commitment:
    bbox = data.get("bbox")
    return Commitment(**{**data, "bbox": tuple(bbox) if bbox is not None else None})


def _fact(data: dict) -> Fact:
    bbox = data.get("bbox")
    return Fact(**{**data, "bbox": tuple(bbox) if bbox is not None else None})


class InterpretationCache:
    """JSON interpretations under ``directory`` (None: no cache), keyed by :func:`interpretation_key`
    with the bytes of the district's areas file (``district``)."""

    def __init__(self, directory: Optional[Path], district: bytes = b""):
        self.directory = Path(directory) if directory else None
        self.district = district
        self.gathered: dict[str, Interpretation] = {}  # interpreted elsewhere (a cluster's workers)

    def gather(self, key: str, known: Interpretation) -> None:
        """An interpretation made elsewhere: held for this build, and stored as :meth:`put` stores."""
        self.gathered[key] = known
        self.put(key, known)

    def key(self, sha: str, fmt: str, entry: Entry) -> str:
        return interpretation_key(sha, fmt, entry, self.district)

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{key[:40]}-interpreted.json"

    def get(self, key: str) -> Optional[Interpretation]:
        if key in self.gathered:
            return self.gathered[key]
        if self.directory is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("schema") != INTERPRETED_SCHEMA or data.get("key") != key:
                return None
            known = Interpretation(
                readings=[_reading(r) for r in data["readings"]],
                facts=[_fact(f) for f in data["facts"]],
                checks=[Check(**c) for c in data["checks"]],
                derived=[DerivedSum(**{**d, "derived_from": tuple(d["derived_from"])}) for d in data["derived"]],
                commitments=[_commitment(c) for c in data["commitments"]],
            )
            touch(self._path(key))
            return known
        except Exception:  # unreadable or not ours: interpret the file again
            return None

    def put(self, key: str, known: Interpretation) -> None:
        """Store an interpretation; a cache that cannot be written is skipped (the read cache warns)."""
        if self.directory is None:
            return
        entry = {
            "schema": INTERPRETED_SCHEMA,
            "key": key,
            "readings": [_reading_data(r) for r in known.readings],
            "facts": [asdict(f) for f in known.facts],
            "checks": [asdict(c) for c in known.checks],
            "derived": [asdict(d) for d in known.derived],
            "commitments": [asdict(c) for c in known.commitments],
        }
        path = self._path(key)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            self.directory = None  # not writable: the rest of this build goes without it
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
