"""The prose engine's vocabulary (``schema/narrative.yaml``), loaded once, checked, typed.

The word lists stay data a person reviews; this module says which keys must be there and of what
shape, and gives the windows the rules read around a figure (how many tokens back a qualifier, a
change word or a target word may stand) names instead of literals. A missing key or a list of
the wrong type stops the build with one line naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from extract.vocab.loader import load_yaml
from extract.vocab.rows import VocabularyError

SOURCE = "schema/narrative.yaml"

#: keys holding lists of words (or phrases) the engine reads
WORD_LISTS = (
    "naming_words",
    "months",
    "year_prepositions",
    "change_up",
    "change_down",
    "rate_words",
    "stop_words",
    "time_units",
    "framing_before",
    "same_period",
    "year_nouns",
    "comparison_markers",
    "finite_verbs",
    "glued_units",
    "sentence_openers",
    "subject_breaks",
    "continuing_words",
    "change_before",
    "change_after",
    "target_words",
    "change_verbs",
    "equating_words",
    "period_frames",
    "wider_areas",
    "area_prepositions",
    "rate_per",
    "rate_periods",
    "base_openers",
    "percent_base_openers",
    "base_determiners",
    "base_stops",
)
#: keys holding mappings
MAPPINGS = (
    "phrases",
    "qualifiers",
    "units",
    "unit_kinds",
    "subjects",
    "numbers",
    "linking",
    "target_verbs",
    "nominal_verbs",
    "benchmark_areas",
)


@dataclass(frozen=True)
class Windows:
    """How far around a figure each rule reads, in tokens (``windows`` in schema/narrative.yaml)."""

    qualifier_before: int = 3  # "over", "nearly", "less than" right before a figure
    direction_before: int = 5  # a change word before it ("rose by", "a reduction of")
    rate_words_before: int = 8  # "rate", "average" before a percentage
    target_words_before: int = 12  # "target", "aim" before it: a target
    subject_after: int = 8  # the noun phrase read after a figure
    rate_max_words: int = 3  # words between a figure and "a month" ("650 referrals a month")
    base_max_words: int = 3  # words of a base after its opener ("of all crime")

    @classmethod
    def of(cls, raw: Any) -> Windows:
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise VocabularyError(f"{SOURCE}: windows must be a mapping of names to token counts")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise VocabularyError(
                f"{SOURCE}: windows: unknown setting {unknown[0]!r} (known: {', '.join(sorted(names))})"
            )
        for name, value in raw.items():
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 50:
                raise VocabularyError(f"{SOURCE}: windows.{name} must be a whole number from 1 to 50, not {value!r}")
        return cls(**raw)


@dataclass(frozen=True)
class PhraseWords:
    """The words the phrase reader reads a subject in order with (``phrases`` in schema/narrative.yaml)."""

    prepositions: frozenset[str]
    time_words: frozenset[str]
    relatives: frozenset[str]
    stops: frozenset[str]
    verbs: frozenset[str]
    auxiliaries: frozenset[str]
    participles: frozenset[str]
    determiners: frozenset[str]
    links: frozenset[str]
    openers: frozenset[str]
    ends: frozenset[str]
    qualifiers: frozenset[str]
    clause_words: frozenset[str]
    comparisons: frozenset[str]
    adjunct_cues: frozenset[str]
    linking_verbs: frozenset[str]
    link_prepositions: frozenset[str]
    joiners: frozenset[str]
    conjunctions: frozenset[str]
    reporting_verbs: frozenset[str]
    listing: frozenset[str]
    pronouns: frozenset[str]
    not_adverbs: frozenset[str]
    quantity_nouns: frozenset[str]
    max_tokens: int
    coordinated_verb_words: int

    @classmethod
    def of(cls, raw: Mapping) -> PhraseWords:
        lists = {}
        for f in fields(cls):
            value = raw.get(f.name)
            if f.name in ("max_tokens", "coordinated_verb_words"):
                if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 50:
                    raise VocabularyError(f"{SOURCE}: phrases.{f.name} must be a whole number from 1 to 50")
                continue
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise VocabularyError(f"{SOURCE}: phrases.{f.name} must be a list of words")
            lists[f.name] = frozenset(w.lower() for w in value)
        return cls(max_tokens=raw["max_tokens"], coordinated_verb_words=raw["coordinated_verb_words"], **lists)


@dataclass(frozen=True)
class NarrativeVocab:
    """The narrative vocabulary: every key of schema/narrative.yaml (``words``, read-only use) and
    the typed pieces the passes read most."""

    words: dict[str, Any]
    windows: Windows
    change_up: frozenset[str]
    change_down: frozenset[str]
    target_words: frozenset[str]
    rate_words: tuple[str, ...]
    stop_words: frozenset[str]
    phrases: PhraseWords

    def __getitem__(self, key: str) -> Any:
        return self.words[key]


def _check(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{SOURCE}: must be a mapping of keys to word lists")
    for key in WORD_LISTS:
        value = raw.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise VocabularyError(f"{SOURCE}: {key} must be a list of words")
    for key in MAPPINGS:
        if not isinstance(raw.get(key), dict):
            raise VocabularyError(f"{SOURCE}: {key} must be a mapping")
    return raw


def build(raw: Any) -> NarrativeVocab:
    """A checked vocabulary from the parsed YAML (tests hand in their own)."""
    words = _check(raw)
    windows = Windows.of(words.get("windows"))
    # the windows named in the file stay readable under their old keys too
    words.setdefault("rate_max_words", windows.rate_max_words)
    words.setdefault("base_max_words", windows.base_max_words)
    return NarrativeVocab(
        words=words,
        windows=windows,
        change_up=frozenset(words["change_up"]),
        change_down=frozenset(words["change_down"]),
        target_words=frozenset(words["target_words"]),
        rate_words=tuple(words["rate_words"]),
        stop_words=frozenset(words["stop_words"]),
        phrases=PhraseWords.of(words["phrases"]),
    )


@lru_cache(maxsize=1)
def narrative_vocab() -> NarrativeVocab:
    """The vocabulary of schema/narrative.yaml, loaded and checked once."""
    return build(load_yaml("narrative.yaml"))
