"""One loader for every YAML and CSV file the archive reads (the manifest, the corrections, the
vocabulary under ``schema/``, the corpus's ``areas.csv``), so a hostile file is refused in one line
before it costs memory or time.

YAML is built from libyaml's event stream (PyYAML's own parser where libyaml is missing) in one
pass, with an explicit stack rather than recursion: no anchors or aliases ("billion laughs"), no
merge keys, no tags beyond the plain ones, no duplicate keys, bounded nesting, size and string
length, and dates left as text (each file's checks read them). A CSV is read within a size and a
row bound, and its refusals never quote the file's content beyond the header names expected.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from extract.errors import ArchiveError

#: libyaml's parser where PyYAML was built with it (about 5× faster), else PyYAML's own.
_SAFE: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
#: The only explicit tags allowed on a scalar: each is a plain value of its own.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on one YAML file. ``max_string`` (characters in any one scalar, keys included) is
    ``None`` where the file's own checks bound each field and name it."""

    max_bytes: int = 2_000_000
    max_string: Optional[int] = None
    max_depth: int = 64  # nested mappings and lists (libyaml's composer crashes the process at ~100,000)
    text_keys: bool = True  # every mapping key must be text


@dataclass(frozen=True)
class CsvLimits:
    """Bounds on one CSV file."""

    max_bytes: int = 5_000_000
    max_rows: int = 100_000
    max_field: int = 10_000  # characters in any one cell


def _fail(error: type[ArchiveError], name: str, message: str, code: Optional[str] = None) -> ArchiveError:
    return error(f"{name}: {message}", code=code)


# ---- files inside a corpus ------------------------------------------------------------------------


def corpus_data_file(
    corpus: Path, name: str, error: type[ArchiveError], prefix: str, label: Optional[str] = None
) -> Optional[Path]:
    """The real path of the corpus's own data file ``name`` (``corrections.yaml``, ``areas.csv``),
    or None when there is none. A link is followed, and refused when it leads out of the corpus
    directory or to nothing; what is not a regular file is refused (code ``{prefix}-PATH``)."""
    path = Path(corpus) / name
    label = label or name
    if not path.is_symlink() and not path.exists():
        return None
    root = Path(corpus).resolve()
    real = path.resolve()
    if root not in real.parents:
        raise _fail(error, label, "a link to a file outside the corpus directory", f"{prefix}-PATH")
    if not real.exists():
        raise _fail(error, label, "a link to a file that does not exist", f"{prefix}-PATH")
    if not real.is_file():
        raise _fail(error, label, "not a regular file", f"{prefix}-PATH")
    return real


def read_bounded(path: Path, name: str, max_bytes: int, error: type[ArchiveError], prefix: str) -> bytes:
    """The bytes of a regular file, refused unread past ``max_bytes`` (code ``{prefix}-SIZE``)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise _fail(error, name, f"cannot be read ({err.strerror})", f"{prefix}-PATH") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _fail(error, name, "not a regular file", f"{prefix}-PATH")
        if info.st_size > max_bytes:
            raise _fail(error, name, f"larger than {max_bytes} bytes", f"{prefix}-SIZE")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while read, or a file whose size stat does not tell
        raise _fail(error, name, f"larger than {max_bytes} bytes", f"{prefix}-SIZE")
    return data


# ---- YAML -----------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, line: Any, message: str, code: str) -> None:
        super().__init__(message)
        self.line, self.message, self.code = line, message, code


class _Builder(yaml.SafeLoader):
    """PyYAML's safe resolver and scalar constructors without the timestamp resolver; used for
    scalars only (``_build`` makes the lists and mappings)."""

    def __init__(self) -> None:
        yaml.SafeLoader.__init__(self, "")


_Builder.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line(event: Any) -> Any:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else "?"


class _Scalars:
    """Plain scalars resolved and constructed as the safe loader would, each distinct text once."""

    def __init__(self) -> None:
        self.builder = _Builder()
        self.plain: dict[str, Any] = {}

    def value(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            if not event.implicit[0]:  # quoted, or a block scalar: text
                return event.value
            if event.value in self.plain:
                return self.plain[event.value]
            tag = self.builder.resolve(yaml.ScalarNode, event.value, (True, False))
            if tag == "tag:yaml.org,2002:merge":
                raise _Refused(_line(event), "YAML merge keys (<<) are not allowed", "YAML")
            if tag == "tag:yaml.org,2002:value":
                tag = _STR
        elif tag not in _PLAIN_TAGS:
            raise _Refused(_line(event), f"YAML tag {tag[:60]!r} is not allowed", "YAML")
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            value = self.builder.yaml_constructors[tag](self.builder, node)
        except (ValueError, TypeError, ArithmeticError):  # "!!int abc"
            raise _Refused(_line(event), f"a value that is not a valid {tag.rsplit(':', 1)[-1]}", "YAML") from None
        if event.implicit[0] and event.tag in (None, "!"):
            self.plain[event.value] = value
        return value


def _build(events: Any, limits: YamlLimits) -> Any:
    """The one document of an event stream, as lists, mappings and scalars."""
    scalars = _Scalars()
    stack: list[list[Any]] = []  # [container, pending key or _NO_KEY, key line]
    result: Any = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is yaml.AliasEvent:
            raise _Refused(_line(event), f"YAML aliases (*{event.anchor}) are not allowed", "YAML")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(_line(event), f"YAML anchors (&{anchor}) are not allowed", "YAML")
        if kind is yaml.ScalarEvent:
            if limits.max_string is not None and len(event.value) > limits.max_string:
                raise _Refused(_line(event), f"a value longer than {limits.max_string} characters", "SIZE")
            value = scalars.value(event)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            tag = event.tag
            if tag not in (None, "!", _SEQ if kind is yaml.SequenceStartEvent else _MAP):
                raise _Refused(_line(event), f"YAML tag {tag[:60]!r} is not allowed", "YAML")
            if len(stack) >= limits.max_depth:
                raise _Refused(_line(event), f"nested deeper than {limits.max_depth} levels", "SIZE")
            stack.append([[] if kind is yaml.SequenceStartEvent else {}, _NO_KEY, 0])
            continue
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(_line(event), "expected a single document in the stream", "")
            continue
        else:  # stream and document ends
            continue
        if not stack:
            result = value
        else:
            _add(stack[-1], value, event, limits)
    return result


_NO_KEY = object()


def _add(top: list[Any], value: Any, event: Any, limits: YamlLimits) -> None:
    """Put ``value`` in the open list or mapping ``top``: an item, a key, or the value of a key."""
    container = top[0]
    if type(container) is list:
        container.append(value)
    elif top[1] is _NO_KEY:
        if limits.text_keys and not isinstance(value, str):
            shown = repr(value)[:40] if not isinstance(value, (list, dict)) else type(value).__name__
            raise _Refused(_line(event), f"key {shown} is not text", "TYPE")
        try:
            hash(value)
        except TypeError:
            raise _Refused(_line(event), "a key that is a list or a mapping", "TYPE") from None
        if value in container:
            raise _Refused(_line(event), f"field '{str(value)[:60]}': duplicate key", "DUPLICATE")
        top[1] = value
    else:
        container[top[1]] = value
        top[1] = _NO_KEY


def load_yaml_text(
    text: str | bytes,
    name: str,
    error: type[ArchiveError],
    prefix: str,
    limits: YamlLimits = YamlLimits(),
) -> Any:
    """The data of one YAML document, or ``error`` with one line naming ``name``: too large
    (``{prefix}-SIZE``), anchors, aliases, merge keys or tags (``{prefix}-YAML``), a duplicate key
    (``{prefix}-DUPLICATE``), a key that is not text (``{prefix}-TYPE``); unreadable YAML or text
    that is not UTF-8 carry the error's own code."""
    if len(text) > limits.max_bytes:
        raise _fail(error, name, f"larger than {limits.max_bytes} bytes", f"{prefix}-SIZE")
    try:
        source = text.decode("utf-8") if isinstance(text, bytes) else text
        parser = _SAFE(source)
        try:
            return _build(_events(parser), limits)
        finally:
            parser.dispose()
    except _Refused as err:
        code = f"{prefix}-{err.code}" if err.code else None
        raise _fail(error, name, f"line {err.line}: {err.message}", code) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise _fail(error, name, f"unreadable YAML{at}: {getattr(err, 'problem', None) or err}") from None
    except UnicodeDecodeError:
        raise _fail(error, name, "not UTF-8 text") from None
    except RecursionError:
        raise _fail(error, name, "nested too deeply", f"{prefix}-SIZE") from None


def _events(parser: Any) -> Any:
    while parser.check_event():
        yield parser.get_event()


# ---- CSV ------------------------------------------------------------------------------------------


def read_csv_bytes(
    data: bytes,
    name: str,
    error: type[ArchiveError],
    prefix: str,
    limits: CsvLimits = CsvLimits(),
    expected: Optional[Sequence[str]] = None,
) -> tuple[dict[str, str], ...]:
    """Rows of a CSV file's bytes, skipping lines that start with '#'. With ``expected``, every
    header name must be one of them. A refusal names the line, never what it holds (codes
    ``{prefix}-SIZE``, ``{prefix}-CSV``)."""
    if len(data) > limits.max_bytes:
        raise _fail(error, name, f"larger than {limits.max_bytes} bytes", f"{prefix}-SIZE")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(error, name, "not UTF-8 text", f"{prefix}-CSV") from None
    if "\x00" in text:
        raise _fail(error, name, "holds NUL bytes: not a CSV file", f"{prefix}-CSV")
    lines = [line for line in io.StringIO(text, newline="") if not line.lstrip().startswith("#")]
    reader = csv.reader(lines)
    rows: list[dict[str, str]] = []
    header: Optional[list[str]] = None
    try:
        for cells in reader:
            if any(len(cell) > limits.max_field for cell in cells):
                raise _fail(
                    error,
                    name,
                    f"line {reader.line_num}: a cell longer than {limits.max_field} characters",
                    f"{prefix}-SIZE",
                )
            if not cells:
                continue
            if header is None:
                header = _header(cells, name, error, prefix, expected)
                continue
            if len(rows) >= limits.max_rows:
                raise _fail(error, name, f"more than {limits.max_rows} rows", f"{prefix}-SIZE")
            row: dict[Any, Any] = dict(zip(header, cells))
            if len(cells) < len(header):
                row.update((h, None) for h in header[len(cells) :])
            elif len(cells) > len(header):
                row[None] = cells[len(header) :]
            rows.append(row)
    except csv.Error as err:
        big = "field larger" in str(err)  # a cell past csv's own bound (128 KiB)
        what = f"a cell longer than {limits.max_field} characters" if big else "not a well-formed CSV line"
        raise _fail(error, name, f"line {reader.line_num}: {what}", f"{prefix}-{'SIZE' if big else 'CSV'}") from None
    return tuple(rows)


def _header(
    cells: list[str], name: str, error: type[ArchiveError], prefix: str, expected: Optional[Sequence[str]]
) -> list[str]:
    header = [c.strip() for c in cells]
    if expected is not None:
        allowed = ", ".join(expected)
        if any(h not in expected for h in header):
            raise _fail(error, name, f"the header has a column that is not one of {allowed}", f"{prefix}-CSV")
    if len(set(header)) != len(header):
        raise _fail(error, name, "the header names a column twice", f"{prefix}-CSV")
    return header
