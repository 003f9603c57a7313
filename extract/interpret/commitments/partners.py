"""A lead partners cell → one normalised partner per name, through schema/partners.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.interpret.commitments.cues import partner_names


@dataclass(frozen=True)
class Partner:
    partner: str  # the normalised name
    printed: str  # as printed in the cell
    evidence: str  # why the printed name is that partner


def split_partners(cell: str) -> list[Partner]:
    """Known variants found in the cell (longest first, whole words), then the remaining names."""
    text = " ".join(cell.split())
    found: dict[str, Partner] = {}
    taken = [False] * len(text)
    for name in partner_names():
        for m in re.finditer(r"(?<![\w])" + re.escape(name.variant) + r"(?![\w])", text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            evidence = name.evidence or f"partners vocabulary: {name.variant!r} = {name.partner}"
            found.setdefault(name.partner, Partner(name.partner, m.group(0), evidence))
    rest = "".join(ch if not t else "," for ch, t in zip(text, taken))
    for piece in re.split(r"[,;/]| - | – |\band\b", rest):
        piece = piece.strip(" .-–&")
        if len(piece) > 2 and piece[:1].isupper():
            found.setdefault(piece, Partner(piece, piece, "as printed (not in the partners vocabulary)"))
    return list(found.values())
