"""Headings, lead-ins and list items → priorities, aims, objectives, focus lists, pledges, targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from extract.interpret.commitments.cues import cues, matches
from extract.interpret.commitments.split import clean
from extract.model import Block, Commitment

_SECTION = re.compile(r"^\s*\d+\.\d+\s")  # "10.7 The work plan ..."
_NAMED = re.compile(r"^(\S+(?: \S+){0,3}) [–-] \S")  # "People – Endeavour to protect ..."
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _label(text: str) -> str:
    """A heading or lead-in as a cue: markup gone, trailing colon and footnote digits dropped."""
    return re.sub(r"[\s:]+$", "", clean(text)).strip()


@dataclass
class _State:
    theme: Optional[str] = None
    list_kind: Optional[str] = None  # the kind the next list items take
    name_next: bool = False  # the previous heading was "Strategic Priority N"
    targets: bool = False  # inside a targets section


def _item(kind: str, text: str, state: _State, i: int, b: Block) -> Commitment:
    return Commitment(kind, text, theme=state.theme, block_index=i, page=b.page, bbox=b.bbox)


def _heading(b: Block, i: int, blocks: list[Block], state: _State, out: list[Commitment]) -> None:
    c, label = cues(), _label(b.text)
    if state.name_next:
        state.theme, state.name_next = label, False
        out.append(_item("priority", label, state, i, b))
        return
    state.list_kind, state.targets = None, matches(c.target_headings, label)
    if matches(c.priority_headings, label):
        state.name_next = True
        return
    kind = next((k for p, k in c.list_headings if p.search(label)), None)
    if kind:
        state.list_kind = kind
    elif matches(c.theme_list_cues, label):
        state.list_kind = "priority_list"
    elif matches(c.pledge_cues, label):
        state.list_kind = "pledge"
    elif _names_theme(i, blocks):
        state.theme = label
        out.append(_item("priority", label, state, i, b))


def _names_theme(i: int, blocks: list[Block]) -> bool:
    """A heading directly followed by an aims or objectives heading names the theme they belong to."""
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None or nxt.kind != "heading":
        return False
    label = _label(nxt.text)
    return any(p.search(label) for p, k in cues().list_headings if k in ("aim", "objective"))


def _prose(b: Block, i: int, state: _State, out: list[Commitment]) -> None:
    c, label = cues(), _label(b.text)
    state.list_kind = None
    if b.text.rstrip().endswith(":"):
        label = _SENTENCE.split(label)[-1]  # the lead-in is the sentence ending in the colon
        if matches(c.pledge_cues, label):
            state.list_kind = "pledge"
        elif matches(c.theme_list_cues, label):
            state.list_kind = "priority_list"
    if state.targets:
        for sentence in _SENTENCE.split(clean(b.text)):
            if c.target_sentence.search(sentence):
                out.append(_item("target", sentence, state, i, b))


def block_commitments(blocks: list[Block]) -> list[Commitment]:
    """Walk the blocks in reading order, carrying the current theme and list cue."""
    state, out = _State(), list[Commitment]()
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            _heading(b, i, blocks, state, out)
        elif b.kind == "list_item" and (_SECTION.match(b.text) or b.text.rstrip().endswith(":")):
            _prose(b, i, state, out)  # a numbered paragraph printed as a list item: a lead-in or prose
        elif b.kind == "list_item" and state.list_kind:
            text = clean(b.text)
            if state.list_kind == "priority_list":
                name = _NAMED.match(text)
                theme = name.group(1) if name else text
                out.append(Commitment("priority", theme, theme=theme, block_index=i, page=b.page, bbox=b.bbox))
            else:
                out.append(_item(state.list_kind, text, state, i, b))
        elif b.kind == "paragraph":
            _prose(b, i, state, out)
        elif b.kind == "table":
            state.list_kind = None
    return out
