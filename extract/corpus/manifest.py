"""The corpus manifest (``manifest.yaml``): validated entries describing each document."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

import yaml

from extract.errors import ManifestError

KINDS = ("strategic_assessment", "performance_review", "delivery_plan", "strategy",
         "press_release", "minutes", "other")
REQUIRED = ("id", "title", "kind", "files")
KNOWN = set(REQUIRED) | {"publisher", "area", "period", "published", "source_url", "rendition", "notes"}


@dataclass
class Entry:
    id: str
    title: str
    kind: str
    files: list[str]
    publisher: Optional[str] = None
    area: Optional[str] = None
    period_start: Optional[date] = None
    period_end: Optional[date] = None
    published: Optional[str] = None
    source_url: Optional[str] = None
    rendition: Optional[str] = None
    notes: Optional[str] = None
    paths: dict[str, Path] = field(default_factory=dict)  # file (as listed) -> absolute path

    def file_of(self, fmt: str) -> Optional[str]:
        """The listed file of a format ("text" or "pdf"), by its extension."""
        suffix = {"text": (".txt", ".md"), "pdf": (".pdf",)}[fmt]
        return next((f for f in self.files if f.lower().endswith(suffix)), None)


class _Loader(yaml.SafeLoader):
    """Safe YAML with dates left as text, so a bad date is reported by the manifest checks
    (naming the entry and field) rather than raised by the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _where(path: Path, i: int, doc_id) -> str:
    name = f" ({doc_id})" if doc_id else ""
    return f"{path.name}: document {i + 1}{name}"


def _date(value, where: str, name: str, year_ok: bool = False):
    if isinstance(value, date):
        return value
    if year_ok and isinstance(value, int) and 1900 < value < 2200:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        if year_ok and value.isdigit() and len(value) == 4:
            return int(value)
    raise ManifestError(f"{where}: {name} {value!r} is not a date" + (" or a year" if year_ok else ""))


def load_manifest(corpus: Path) -> list[Entry]:
    """Read and validate ``corpus/manifest.yaml``; the first error stops with one line."""
    corpus = Path(corpus)
    path = corpus / "manifest.yaml"
    if not path.is_file():
        raise ManifestError(f"{path}: no manifest found (expected manifest.yaml in {corpus})")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise ManifestError(f"{path.name}: unreadable YAML{at}: {getattr(err, 'problem', err)}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path.name}: not UTF-8 text") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ManifestError(f"{path.name}: expected a top-level 'documents:' list")
    entries, seen = [], set()
    for i, raw in enumerate(data["documents"]):
        entries.append(_entry(raw, i, path, corpus, seen))
    return entries


def _entry(raw, i: int, path: Path, corpus: Path, seen: set) -> Entry:
    if not isinstance(raw, dict):
        raise ManifestError(f"{path.name}: document {i + 1}: expected a mapping of fields")
    doc_id = raw.get("id")
    where = _where(path, i, doc_id)
    for name in REQUIRED:
        if raw.get(name) in (None, "", []):
            raise ManifestError(f"{where}: missing required field '{name}'")
    unknown = sorted(set(raw) - KNOWN)
    if unknown:
        raise ManifestError(f"{where}: unknown field '{unknown[0]}'")
    if not isinstance(doc_id, str):
        raise ManifestError(f"{where}: id must be text, got {doc_id!r}")
    if doc_id in seen:
        raise ManifestError(f"{where}: duplicate id '{doc_id}'")
    seen.add(doc_id)
    if raw["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind '{raw['kind']}' is not one of {', '.join(KINDS)}")
    files = raw["files"]
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ManifestError(f"{where}: files must be a list of paths")
    entry = Entry(id=doc_id, title=str(raw["title"]), kind=raw["kind"], files=files,
                  publisher=raw.get("publisher"), area=raw.get("area"),
                  source_url=raw.get("source_url"), rendition=raw.get("rendition"), notes=raw.get("notes"))
    period = raw.get("period")
    if period is not None:
        if not isinstance(period, dict) or set(period) - {"start", "end"} or not {"start", "end"} <= set(period):
            raise ManifestError(f"{where}: period must be {{start: YYYY-MM-DD, end: YYYY-MM-DD}}")
        entry.period_start = _date(period["start"], where, "period.start")
        entry.period_end = _date(period["end"], where, "period.end")
        if entry.period_end < entry.period_start:
            raise ManifestError(f"{where}: period.end {entry.period_end} is before period.start {entry.period_start}")
    if raw.get("published") is not None:
        entry.published = str(_date(raw["published"], where, "published", year_ok=True))
    for f in files:
        full = (corpus / f).resolve()
        if not full.is_file():
            raise ManifestError(f"{where}: files: '{f}' does not exist in {corpus}")
        if not f.lower().endswith((".txt", ".md", ".pdf")):
            raise ManifestError(f"{where}: files: '{f}' is neither a text rendition (.txt) nor a PDF")
        entry.paths[f] = full
    return entry


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
