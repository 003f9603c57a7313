"""The field's abbreviations (schema/abbreviations.csv), checked when loaded: each a word of two to
eight capitals, listed once, standing for one or more phrases; search finds either form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from extract.vocab.rows import Abbreviation, VocabularyError

FILE = "abbreviations.csv"
_SHORT = re.compile(r"[A-Z]{2,8}")
_WORDS = re.compile(r"[A-Za-z][A-Za-z&' -]*")


def check(rows: tuple[Abbreviation, ...]) -> Mapping[str, tuple[str, ...]]:
    """Upper-case abbreviation → the phrases it stands for (lower case); a bad row raises
    VocabularyError naming the file, the row and the field."""
    found: dict[str, tuple[str, ...]] = {}
    for n, row in enumerate(rows, 1):
        where = f"schema/{FILE}: row {n}"
        if not _SHORT.fullmatch(row.short):
            raise VocabularyError(f"{where}: field short is not two to eight capital letters")
        if row.short in found:
            raise VocabularyError(f"{where}: field short repeats an abbreviation listed above")
        phrases = tuple(p.strip().lower() for p in row.long.split("|") if p.strip())
        if not phrases or not all(_WORDS.fullmatch(p) and " " in p for p in phrases):
            raise VocabularyError(f"{where}: field long is not one or more phrases of words, separated by |")
        found[row.short] = phrases
    return MappingProxyType(found)


@lru_cache(maxsize=1)
def abbreviations() -> Mapping[str, tuple[str, ...]]:
    """The bundled abbreviations, checked (see ``check``)."""
    from extract.vocab.loader import load_own_rows

    return check(load_own_rows(FILE))


def expansions(word: str) -> tuple[str, ...]:
    """The phrases a typed word stands for when it is an abbreviation (any case), else ()."""
    return abbreviations().get(word.upper(), ()) if word.isalpha() else ()
