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


def _known(piece: str) -> list[tuple[str, str]]:
    """(partner, evidence) for each vocabulary variant in the piece, longest first, whole words."""
    taken = [False] * len(piece)
    out = []
    for name in partner_names():
        for m in re.finditer(r"(?<![\w])" + re.escape(name.variant) + r"(?![\w])", piece):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            out.append((name.partner, name.evidence or f"partners vocabulary: {name.variant!r} = {name.partner}"))
    return out


def split_partners(cell: str) -> list[Partner]:
    """Names split at commas and semicolons; a name holding known variants ("WCC Housing") is
    those partners, any other name is kept as printed."""
    found: dict[str, Partner] = {}
    for piece in re.split(r"[,;]", " ".join(cell.split())):
        piece = piece.strip(" .-–&")
        known = _known(piece)
        for partner, evidence in known:
            found.setdefault(partner, Partner(partner, piece, evidence))
        if not known and len(piece) > 2 and piece[:1].isupper():
            found.setdefault(piece, Partner(piece, piece, "as printed (not in the partners vocabulary)"))
    return list(found.values())
