"""The prose figure finder's Matcher patterns, kept as data in ``schema/figure_patterns.yaml``:
token shapes (``"$num"``) and word lists (``"@months"``) are expanded here, and every pattern is
validated by spaCy, so a typo is one line naming the pattern, not a silently dead rule."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.matcher import Matcher
from spacy.vocab import Vocab

from extract.interpret.narrative_periods import vocab
from extract.vocab.loader import load_yaml
from extract.vocab.rows import VocabularyError

PATTERNS_FILE = "figure_patterns.yaml"


@dataclass(frozen=True)
class PatternRule:
    """One named rule: its token patterns, and the words a sentence must hold for it to apply."""

    name: str
    patterns: tuple[Any, ...]
    when_sentence_has: frozenset[str] = frozenset()


def _fail(where: str, why: str) -> VocabularyError:
    return VocabularyError(f"schema/{PATTERNS_FILE}: {where}: {why}", code="E-VOCAB-PATTERN")


def _expand_list(items: list[Any], where: str, words: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, str) and item.startswith("@"):
            listed: Any = words
            for key in item[1:].split("."):  # "@numbers.magnitudes": a nested list or mapping
                listed = listed.get(key) if isinstance(listed, dict) else None
            if isinstance(listed, dict):
                listed = list(listed)
            if not isinstance(listed, list):
                raise _fail(where, f"no word list {item[1:]!r} in schema/narrative.yaml")
            out.extend(listed)
        else:
            out.append(item)
    return out


def _expand(value: Any, where: str, shapes: dict[str, Any], words: dict[str, Any]) -> Any:
    """A token spec with its "$shape" and "@list" references replaced."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in shapes:
            raise _fail(where, f"no token shape {value!r} under shapes:")
        return shapes[value[1:]]
    if isinstance(value, dict):
        return {
            key: (_expand_list(v, where, words) if key in ("IN", "NOT_IN") else _expand(v, where, shapes, words))
            for key, v in value.items()
        }
    if isinstance(value, list):
        return [_expand(v, where, shapes, words) for v in value]
    return value


def _rule(name: str, body: Any, shapes: dict[str, Any], words: dict[str, Any]) -> PatternRule:
    where = f"pattern {name}"
    if isinstance(body, dict):
        patterns, needs = body.get("patterns"), body.get("when_sentence_has", [])
        unknown = set(body) - {"patterns", "when_sentence_has"}
        if unknown:
            raise _fail(where, f"unknown field {sorted(unknown)[0]!r}")
    else:
        patterns, needs = body, []
    if not isinstance(patterns, list) or not all(isinstance(p, list) and p for p in patterns):
        raise _fail(where, "patterns must be a list of non-empty token lists")
    if not isinstance(needs, list):
        raise _fail(where, "when_sentence_has must be a list of words")
    expanded = tuple(_expand(p, where, shapes, words) for p in patterns)
    return PatternRule(name, expanded, frozenset(str(w).lower() for w in needs))


@cache
def pattern_rules() -> dict[str, tuple[PatternRule, ...]]:
    """The ``skip`` and ``keep`` rules of the figure finder, expanded and checked by spaCy."""
    data = load_yaml(PATTERNS_FILE) or {}
    shapes = data.get("shapes") or {}
    words = vocab()
    rules: dict[str, tuple[PatternRule, ...]] = {}
    for group in ("skip", "keep"):
        found = tuple(_rule(str(n), body, shapes, words) for n, body in (data.get(group) or {}).items())
        checker = Matcher(Vocab(), validate=True)
        for rule in found:
            try:
                checker.add(rule.name, list(rule.patterns))
            except (ValueError, TypeError) as err:  # spaCy's pattern validation
                raise _fail(f"pattern {rule.name}", " ".join(str(err).split())[:200]) from None
        rules[group] = found
    return rules


def build_matcher(vocab_: Vocab, group: str) -> Matcher:
    """A Matcher holding every rule of ``group`` ("skip" or "keep")."""
    matcher = Matcher(vocab_)
    for rule in pattern_rules()[group]:
        matcher.add(rule.name, list(rule.patterns))
    return matcher


def applies(rule_name: str, group: str, sentence_words: set[str]) -> bool:
    """Whether a matched rule applies to a sentence holding ``sentence_words`` (lower-cased)."""
    for rule in pattern_rules()[group]:
        if rule.name == rule_name:
            return not rule.when_sentence_has or bool(rule.when_sentence_has & sentence_words)
    return True
