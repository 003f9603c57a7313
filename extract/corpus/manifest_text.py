"""The manifest's text edited where its entries are printed: a new entry appended after the last
one, or one entry cut out with the comment lines directly above it. Every other byte (comments,
order, quoting, blank lines) stays as it was; where entries are, the YAML parser's marks say."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: the same marks, faster


@dataclass(frozen=True)
class Layout:
    """Where an entry is printed: the column of its "-" and of its keys."""

    dash: int = 2
    key: int = 4


def _flow(value: Any) -> str:
    """``value`` as one line of YAML (a mapping or list in flow style), quoted where it must be."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1 << 30)
    return text.removesuffix("\n...\n").rstrip("\n")


def render(entry: dict[str, Any], layout: Layout = Layout()) -> str:
    """An entry as the bundled manifest prints one: a key per line, periods and files in flow style."""
    lines = []
    for n, (key, value) in enumerate(entry.items()):
        lead = " " * layout.dash + "-" + " " * (layout.key - layout.dash - 1) if n == 0 else " " * layout.key
        lines.append(f"{lead}{_flow(key)}: {_flow(value)}\n")
    return "".join(lines)


def _documents(text: str) -> tuple[yaml.MappingNode, yaml.Node]:
    root = yaml.compose(text, Loader=_LOADER)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the manifest is not a mapping")
    for key, value in root.value:
        if key.value == "documents":
            return root, value
    raise ValueError("the manifest has no documents")


def _block(node: yaml.Node) -> bool:
    return isinstance(node, yaml.SequenceNode) and not node.flow_style and bool(node.value)


def _comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _leaf_end(node: yaml.Node) -> int:
    """The last line (0-based) printing part of ``node``, from the marks of its last scalar."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end, start = node.end_mark, node.start_mark
    return max(start.line, end.line - 1 if end.column == 0 else end.line)


def _first_line(lines: list[str], item: yaml.Node) -> int:
    """The line of the entry's "-" (on the line of its first key, or alone above it)."""
    line = item.start_mark.line
    if not lines[line][: item.start_mark.column].rstrip().endswith("-") and line > 0:
        if lines[line - 1].strip() == "-":
            return line - 1
    return line


def _span(lines: list[str], seq: yaml.SequenceNode, i: int) -> tuple[int, int]:
    """The first and last line (0-based, inclusive) printing entry ``i`` of a block sequence:
    from its "-" to its last line before the blank or comment lines that lead to what follows."""
    item = seq.value[i]
    first = _first_line(lines, item)
    if i + 1 < len(seq.value):
        stop = _first_line(lines, seq.value[i + 1])
    else:
        stop = seq.end_mark.line + (1 if seq.end_mark.column > 0 else 0)
    last = min(stop, len(lines)) - 1
    floor = max(first, _leaf_end(item))
    while last > floor and _comment_or_blank(lines[last]):
        last -= 1
    return first, last


def _layout(lines: list[str], seq: yaml.SequenceNode) -> Layout:
    item = seq.value[-1]
    line = lines[item.start_mark.line]
    dash = line[: item.start_mark.column].rstrip()
    if dash.endswith("-"):
        return Layout(len(dash) - 1, item.start_mark.column)
    return Layout()


def _offset(lines: list[str], mark: Any) -> int:
    return sum(len(line) for line in lines[: mark.line]) + mark.column


def _as_block(text: str, lines: list[str], seq: yaml.Node, entries: list[dict[str, Any]]) -> str:
    """The text with a flow-style (or empty) documents list printed again in block style."""
    start, end = _offset(lines, seq.start_mark), _offset(lines, seq.end_mark)
    block = "".join(render(e) for e in entries)
    if not block:
        return text[:start] + "[]" + text[end:]
    rest = text[end:]
    return text[:start].rstrip(" ") + "\n" + block + (rest[1:] if rest.startswith("\n") else rest)


def append_entry(text: str, entry: dict[str, Any]) -> str:
    """``text`` with ``entry`` printed after the last document, in the layout of the others."""
    root, seq = _documents(text)
    lines = text.splitlines(keepends=True)
    if root.flow_style:
        return yaml.safe_dump({**yaml.safe_load(text), "documents": [*_entries(text), entry]}, sort_keys=False)
    if not _block(seq):
        return _as_block(text, lines, seq, [*_entries(text), entry])
    assert isinstance(seq, yaml.SequenceNode)
    _, last = _span(lines, seq, len(seq.value) - 1)
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    return "".join(lines[: last + 1]) + render(entry, _layout(lines, seq)) + "".join(lines[last + 1 :])


def remove_entry(text: str, doc_id: str) -> str:
    """``text`` without the document ``doc_id`` and the comment lines directly above it (at its
    indentation, no blank line between); ``ValueError`` when no document has that id."""
    root, seq = _documents(text)
    lines = text.splitlines(keepends=True)
    if root.flow_style or not _block(seq):
        entries = _entries(text)
        rest = [e for e in entries if not (isinstance(e, dict) and e.get("id") == doc_id)]
        if len(rest) == len(entries):
            raise ValueError(f"no document with id '{doc_id}'")
        if root.flow_style:
            return yaml.safe_dump({**yaml.safe_load(text), "documents": rest}, sort_keys=False)
        return _as_block(text, lines, seq, rest)
    assert isinstance(seq, yaml.SequenceNode)
    index = next((i for i, item in enumerate(seq.value) if _id(item) == doc_id), None)
    if index is None:
        raise ValueError(f"no document with id '{doc_id}'")
    first, last = _span(lines, seq, index)
    dash = _layout(lines, seq).dash
    while first > 0 and lines[first - 1].strip().startswith("#") and lines[first - 1].index("#") == dash:
        first -= 1
    if len(seq.value) == 1:  # the list printed empty, so the manifest still says what it holds
        key_line = lines[first - 1] if first > 0 else ""
        if key_line.rstrip().endswith("documents:"):
            lines[first - 1] = key_line.rstrip("\n").rstrip() + " []\n"
    return "".join(lines[:first] + lines[last + 1 :])


def _id(item: yaml.Node) -> Any:
    """An entry's id as printed (the manifest loader has checked ids are text)."""
    if isinstance(item, yaml.MappingNode):
        return next((v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
    return None


def _entries(text: str) -> list[Any]:
    data = yaml.load(text, Loader=_LOADER)
    return list(data.get("documents") or [])
