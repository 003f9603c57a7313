"""Numbers as people write them in prose: digits with thousands separators and decimals,
magnitudes ("5.8 million", "£1.2m", "40k"), number words ("six", "twenty-one") and fractions
("a quarter", "two thirds" as a percentage). Words come from the ``numbers`` key of
``schema/narrative.yaml``; no external parser is used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extract.interpret.narrative_periods import vocab

DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-zA-Z]{0,2})$")


@dataclass(frozen=True)
class NumberWords:
    """The number vocabulary: magnitudes, unit and tens words, fractions, denominator cues."""

    magnitudes: dict
    units: dict
    tens: dict
    min_word_value: int
    fractions: dict
    fraction_of: tuple
    bare_fractions: tuple
    denominator_words: tuple


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    """Read the ``numbers`` key of schema/narrative.yaml once."""
    raw = vocab()["numbers"]
    return NumberWords(
        magnitudes={str(k).lower(): float(v) for k, v in raw["magnitudes"].items()},
        units={str(k).lower(): int(v) for k, v in raw["units"].items()},
        tens={str(k).lower(): int(v) for k, v in raw["tens"].items()},
        min_word_value=int(raw["min_word_value"]),
        fractions={str(k).lower(): float(v) for k, v in raw["fractions"].items()},
        fraction_of=tuple(raw["fraction_of"]),
        bare_fractions=tuple(raw["bare_fractions"]),
        denominator_words=tuple(raw["denominator_words"]),
    )


def magnitude(word: str) -> Optional[float]:
    """The multiplier a word or glued suffix stands for ("million" → 1e6, "m" → 1e6), else None."""
    return number_words().magnitudes.get(word.lower())


def parse_digits(text: str) -> Optional[float]:
    """ "1,234.5" → 1234.5, "1.2m" → 1200000, "40k" → 40000; None when not a number."""
    m = DIGITS.match(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
    suffix = m.group(3)
    if not suffix:
        return value
    scale = magnitude(suffix)
    return round(value * scale, 6) if scale else None


def word_value(text: str) -> Optional[int]:
    """ "six" → 6, "twenty-one" / "twenty one" → 21, "forty" → 40; None when not a number word."""
    words = number_words()
    parts = re.split(r"[-\s]+", text.strip().lower())
    if len(parts) == 1:
        return words.units.get(parts[0], words.tens.get(parts[0]))
    if len(parts) == 2 and parts[0] in words.tens and parts[1] in words.units and 0 < words.units[parts[1]] < 10:
        return words.tens[parts[0]] + words.units[parts[1]]
    return None


def fraction_percent(words_: list[str]) -> Optional[float]:
    """ "a quarter" → 25, "half" → 50, "two thirds" → 66.6, "three quarters" → 75; else None."""
    vocab = number_words()
    if not words_:
        return None
    last = words_[-1].lower()
    if last not in vocab.fractions:
        return None
    share = vocab.fractions[last]
    if len(words_) == 1 or words_[0].lower() in ("a", "an", "one"):
        return share
    count = word_value(words_[0])
    return round(share * count, 1) if count else None


def parse_number(text: str) -> Optional[float]:
    """Any one of the forms above, with an optional magnitude word after ("5.8 million")."""
    parts = text.strip().split()
    if not parts:
        return None
    scale = 1.0
    if len(parts) > 1 and magnitude(parts[-1]) and len(parts[-1]) > 2:
        scale = magnitude(parts[-1]) or 1.0
        parts = parts[:-1]
    joined = " ".join(parts)
    value = parse_digits(joined) if joined[:1].isdigit() else word_value(joined)
    return None if value is None else round(value * scale, 6)
