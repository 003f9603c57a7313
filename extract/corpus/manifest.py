"""The corpus manifest (``manifest.yaml``): validated entries describing each document."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from extract.errors import ManifestError
from extract.vocab.safe_load import YamlLimits, corpus_data_file, load_yaml_text, read_bounded

KINDS = ("strategic_assessment", "performance_review", "delivery_plan", "strategy", "press_release", "minutes", "other")
REQUIRED = ("id", "title", "kind", "files")
KNOWN = set(REQUIRED) | {"publisher", "area", "period", "published", "source_url", "rendition", "notes", "district"}


@dataclass(frozen=True)
class District:
    """A district of a corpus of several: its id (as documents name it), its name, and its areas
    file within the corpus (regions, parishes, wider areas)."""

    id: str
    name: str
    areas: str


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
    district: Optional[str] = None  # in a corpus of several districts, the one it reports on

    def file_of(self, fmt: str) -> Optional[str]:
        """The listed file of a format ("text" or "pdf"), by its extension."""
        suffix = {"text": (".txt", ".md"), "pdf": (".pdf",)}[fmt]
        return next((f for f in self.files if f.lower().endswith(suffix)), None)


@dataclass(frozen=True)
class ManifestLimits:
    """Bounds on a manifest, so a hostile one is refused before it costs memory or time."""

    max_bytes: int = 2_000_000  # manifest.yaml itself
    max_entries: int = 10_000
    max_string: int = 10_000  # characters in any one field
    max_files: int = 20  # files per entry
    max_id: int = 120  # characters in an id


#: An id is a URL path segment and part of file names: letters, digits, '.', '_', '-', starting
#: with a letter or digit (no '..', no '/', no spaces, nothing that needs quoting).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
URL_SCHEMES = ("http", "https")


LIMITS = ManifestLimits()
TEXT_FIELDS = ("title", "publisher", "area", "source_url", "rendition", "notes")


def _where(path: Path, i: int, doc_id) -> str:
    shown = isinstance(doc_id, int) or (isinstance(doc_id, str) and _id_ok(doc_id))
    name = f" ({doc_id})" if doc_id and shown else ""
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


def load_manifest(corpus: Path, text: Optional[bytes] = None) -> list[Entry]:
    """Read and validate ``corpus/manifest.yaml`` (or ``text``, a would-be manifest for that corpus,
    as ``csp-archive add`` checks one before writing it); the first error stops with one line."""
    return load_corpus(corpus, text)[0]


def load_districts(corpus: Path) -> list[District]:
    """The districts a corpus's manifest declares (``districts:``), or none: a corpus of one district,
    whose areas are ``areas.csv`` beside the manifest. The manifest is checked as a build checks it."""
    return load_corpus(corpus)[1]


def load_corpus(corpus: Path, text: Optional[bytes] = None) -> tuple[list[Entry], list[District]]:
    """The manifest's entries and the districts it declares, read and validated once."""
    corpus = Path(corpus)
    path = corpus / "manifest.yaml"
    if text is None and not path.is_file():
        raise ManifestError(f"{path}: no manifest found (expected manifest.yaml in {corpus})")
    if text is None:  # a link is followed only within the corpus: nothing outside it is read
        listed = corpus_data_file(corpus, path.name, ManifestError, "E-MANIFEST") or path
        text = read_bounded(listed, path.name, LIMITS.max_bytes, ManifestError, "E-MANIFEST")
    data = load_yaml_text(text, path.name, ManifestError, "E-MANIFEST", YamlLimits(max_bytes=LIMITS.max_bytes))
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ManifestError(f"{path.name}: expected a top-level 'documents:' list")
    unknown = sorted(set(data) - {"documents", "districts"})
    if unknown:
        raise ManifestError(f"{path.name}: unknown top-level key {_shown(str(unknown[0]))}")
    declared = _districts(data.get("districts"), path)
    districts = {d.id: d for d in declared}
    if len(data["documents"]) > LIMITS.max_entries:
        raise ManifestError(f"{path.name}: more than {LIMITS.max_entries} documents", code="E-MANIFEST-SIZE")
    entries: list[Entry] = []
    seen: dict[str, str] = {}  # each id, lower-cased -> as written
    owners: dict[Path, str] = {}
    real = RealPaths(corpus)
    for i, raw in enumerate(data["documents"]):
        entry = _entry(raw, i, path, corpus, seen, real)
        _check_district(entry, districts, _where(path, i, entry.id))
        for f, full in entry.paths.items():
            if full in owners:
                raise ManifestError(
                    f"{_where(path, i, entry.id)}: files: '{f}' is already listed by entry '{owners[full]}'",
                    code="E-MANIFEST-SHARED-FILE",
                )
            owners[full] = entry.id
        entries.append(entry)
    return entries, declared


def _districts(raw, path: Path) -> list[District]:
    """``districts:``: a list of {id, name, areas}, each id a valid, unique id and each areas file
    a .csv path within the corpus."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        raise ManifestError(f"{path.name}: 'districts:' must be a list of {{id, name, areas}}")
    out: list[District] = []
    seen: dict[str, str] = {}
    for i, d in enumerate(raw):
        where = f"{path.name}: district {i + 1}"
        if not isinstance(d, dict) or set(d) != {"id", "name", "areas"}:
            raise ManifestError(f"{where}: expected exactly the fields id, name and areas")
        if not all(isinstance(d[k], str) and d[k].strip() for k in ("id", "name", "areas")):
            raise ManifestError(f"{where}: id, name and areas must be text")
        _check_id(d["id"], where, seen)
        _check_text_fields({"name": d["name"]}, where)
        areas = d["areas"]
        if not areas.lower().endswith(".csv") or areas.startswith(("/", "\\")) or ".." in Path(areas).parts:
            raise ManifestError(f"{where}: areas must be a .csv file within the corpus, not {_shown(areas)}")
        out.append(District(d["id"], d["name"], areas))
    return out


def _check_district(entry: Entry, districts: dict[str, District], where: str) -> None:
    """In a corpus of several districts each document names one of them; in a corpus of one, none."""
    if districts and entry.district is None:
        raise ManifestError(f"{where}: missing required field 'district' (one of {', '.join(districts)})")
    if entry.district is not None and entry.district not in districts:
        known = f"one of {', '.join(districts)}" if districts else "declared under 'districts:'"
        raise ManifestError(f"{where}: district {_shown(entry.district)} is not {known}")


class RealPaths:
    """The real path of each file a manifest names under one corpus, as ``Path.resolve`` gives it,
    with each directory resolved once: a path is followed component by component only where its
    last part is a symlink (a manifest of 300 files: 60 → 15 ms)."""

    def __init__(self, corpus: Path) -> None:
        self.root = corpus.resolve()
        self._dirs: dict[Path, Path] = {}

    def __call__(self, relpath: str) -> Path:
        path = self.root / relpath
        if path.name in ("", ".", ".."):
            return path.resolve()
        if path.parent not in self._dirs:
            self._dirs[path.parent] = path.parent.resolve()
        real = self._dirs[path.parent] / path.name
        return path.resolve() if real.is_symlink() else real


def corpus_file(corpus: Path, relpath: str, where: str, real: RealPaths) -> Path:
    """The file a manifest path names, refused unless it is a regular file inside the corpus
    once every symlink is followed (no ``../``, no absolute paths, no links out)."""
    root = real.root
    if Path(relpath).is_absolute() or relpath.startswith(("/", "\\")):
        raise ManifestError(f"{where}: files: '{relpath}' is an absolute path", code="E-MANIFEST-PATH")
    full = real(relpath)
    if full != root and root not in full.parents:
        raise ManifestError(f"{where}: files: '{relpath}' is outside the corpus directory", code="E-MANIFEST-PATH")
    if not full.exists():
        raise ManifestError(f"{where}: files: '{relpath}' does not exist in {corpus}", code="E-MANIFEST-MISSING")
    if not full.is_file():
        raise ManifestError(f"{where}: files: '{relpath}' is not a regular file", code="E-MANIFEST-PATH")
    return full


def _check_text_fields(raw: dict, where: str) -> None:
    """Free-text fields must be text (not lists or mappings) and of bounded length."""
    for name in TEXT_FIELDS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise ManifestError(
                f"{where}: field '{name}': must be text, got {type(value).__name__}", code="E-MANIFEST-TYPE"
            )
        if isinstance(value, str) and len(value) > LIMITS.max_string:
            raise ManifestError(
                f"{where}: field '{name}': longer than {LIMITS.max_string} characters", code="E-MANIFEST-SIZE"
            )


def _files(raw: dict, where: str) -> list[str]:
    """The entry's file list: one path or a bounded list of paths."""
    files = raw["files"]
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ManifestError(f"{where}: field 'files': must be a list of paths", code="E-MANIFEST-TYPE")
    if len(files) > LIMITS.max_files:
        raise ManifestError(f"{where}: field 'files': more than {LIMITS.max_files} files", code="E-MANIFEST-SIZE")
    return files


def _id_ok(doc_id: str) -> bool:
    return len(doc_id) <= LIMITS.max_id and ID_PATTERN.fullmatch(doc_id) is not None


def _shown(text: str, n: int = 40) -> str:
    """A value as a message may quote it: escaped, and cut short."""
    return repr(text[:n]) + ("…" if len(text) > n else "")


def _check_id(doc_id: str, where: str, seen: dict[str, str]) -> None:
    """An id is unique, also ignoring case, and safe as a URL path segment and a file name."""
    folded = doc_id.lower()
    if seen.get(folded) == doc_id:
        raise ManifestError(f"{where}: duplicate id '{doc_id}'")
    if doc_id != doc_id.strip():
        raise ManifestError(f"{where}: id {_shown(doc_id)} has spaces around it", code="E-MANIFEST-ID")
    if len(doc_id) > LIMITS.max_id:
        raise ManifestError(f"{where}: id is longer than {LIMITS.max_id} characters", code="E-MANIFEST-ID")
    if not _id_ok(doc_id):
        raise ManifestError(
            f"{where}: id {_shown(doc_id)} may hold only letters, digits, '.', '_' and '-', "
            "and must start with a letter or digit",
            code="E-MANIFEST-ID",
        )
    if folded in seen:
        raise ManifestError(
            f"{where}: id '{doc_id}' differs only in case from entry '{seen[folded]}'", code="E-MANIFEST-ID"
        )
    seen[folded] = doc_id


def _check_url(url: Optional[str], where: str) -> None:
    """``source_url``: an absolute http or https URL with a host, without spaces, control or
    format characters (a right-to-left override, a zero-width space)."""
    if url is None:
        return
    problem = None
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in url):
        problem = "holds spaces or control characters"
    else:
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme.lower() not in URL_SCHEMES:
            problem = "must be an http:// or https:// URL"
        elif not host:
            problem = "must name a host (https://host/path)"
    if problem:
        raise ManifestError(f"{where}: field 'source_url': {problem}", code="E-MANIFEST-URL")


def _entry(raw, i: int, path: Path, corpus: Path, seen: dict[str, str], real: RealPaths) -> Entry:
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
    _check_id(doc_id, where, seen)
    _check_text_fields(raw, where)
    _check_url(raw.get("source_url"), where)
    if not isinstance(raw["kind"], str) or raw["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind '{raw['kind']}' is not one of {', '.join(KINDS)}")
    files = _files(raw, where)
    entry = Entry(
        id=doc_id,
        title=str(raw["title"]),
        kind=raw["kind"],
        files=files,
        publisher=raw.get("publisher"),
        area=raw.get("area"),
        source_url=raw.get("source_url"),
        rendition=raw.get("rendition"),
        notes=raw.get("notes"),
        district=raw.get("district"),
    )
    if entry.district is not None and not isinstance(entry.district, str):
        raise ManifestError(f"{where}: district must be text")
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
        full = corpus_file(corpus, f, where, real)
        if not f.lower().endswith((".txt", ".md", ".pdf")):
            raise ManifestError(f"{where}: files: '{f}' is neither a text rendition (.txt) nor a PDF")
        entry.paths[f] = full
    return entry


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
