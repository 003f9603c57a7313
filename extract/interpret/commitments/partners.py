"""A lead partners cell → one normalised partner per name, through schema/partners.csv.

Every name printed is kept: a known variant is its partner ("NPT" → Police), and the words around it
are read as printed. Words directly after a known name qualify it ("WCC Housing" is the council's
housing team, "Police – TPM Harbourwatch" the police's operation); a name joined by "and" or "&"
("Education & Universities") and words before a known name ("DV Forum – All Partners University of
Winchester") are partners of their own, unless they spell out the acronym in brackets after them
("Safety Advisory Group (SAG)"). A meeting ("... Forum meeting of the Chairs") is not a partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.interpret.commitments.cues import partner_names

_MEETING = re.compile(r"\bmeetings?\b", re.I)
_CONJUNCTION = re.compile(r"^(?:and|&)\s+", re.I)
_EDGE = " .-–&(),"


@dataclass(frozen=True)
class Partner:
    partner: str  # the normalised name
    printed: str  # as printed in the cell
    evidence: str  # why the printed name is that partner


def _known(piece: str) -> list[tuple[int, int, str, str]]:
    """(start, end, partner, evidence) for each vocabulary variant in the piece, longest first, whole
    words, in the order printed."""
    taken = [False] * len(piece)
    out = []
    for name in partner_names():
        for m in re.finditer(r"(?<![\w])" + re.escape(name.variant) + r"(?![\w])", piece):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            evidence = name.evidence or f"partners vocabulary: {name.variant!r} = {name.partner}"
            out.append((m.start(), m.end(), name.partner, evidence))
    return sorted(out)


def _as_printed(text: str) -> list[str]:
    """Names as printed in text holding no known variant, split where a capitalised name starts
    after a lower-case word ("HDAP Cross authority Domestic Abuse Forum"); meetings left out."""
    from extract.interpret.commitments.split import split_run

    names = []
    for name in split_run(text) if len(text.split()) > 3 else [text]:
        name = " ".join(name.split()).strip(_EDGE)
        if len(name) > 2 and not _MEETING.search(name) and (name[:1].isupper() or len(name.split()) > 1):
            names.append(name)
    return names


def _pieces(piece: str) -> list[tuple[str, str, str]]:
    """(partner, printed, evidence) for each name in one comma-separated piece of the cell."""
    known = _known(piece)
    if not known:
        return [(n, n, "as printed (not in the partners vocabulary)") for n in _as_printed(piece)]
    out = []
    before = piece[: known[0][0]]
    spelled_out = piece[known[0][0] - 1 : known[0][0]] == "("  # "Safety Advisory Group (SAG)"
    if len(before.strip(_EDGE).split()) > 1 and not spelled_out:
        out += [(n, n, "as printed (not in the partners vocabulary)") for n in _as_printed(before.strip(_EDGE))]
    for n, (start, end, partner, evidence) in enumerate(known):
        out.append((partner, piece[start:end], evidence))
        after = piece[end : known[n + 1][0] if n + 1 < len(known) else len(piece)].strip(" .-–),")
        if _CONJUNCTION.match(after):  # "Education & Universities": a partner of its own
            rest = _CONJUNCTION.sub("", after).strip(_EDGE)
            out += [(n, n, "as printed (not in the partners vocabulary)") for n in _as_printed(rest)]
    return out


def split_partners(cell: str) -> list[Partner]:
    """Names split at commas, semicolons (the cell's printed lines) and known names; every name kept,
    a known one as its partner, any other as printed."""
    found: dict[str, Partner] = {}
    for piece in re.split(r"[,;]", " ".join(cell.split())):
        piece = piece.strip(" .-–&")
        if not piece:
            continue
        for partner, printed, evidence in _pieces(piece):
            found.setdefault(partner, Partner(partner, printed, evidence))
    return list(found.values())
