"""A figure found in prose, as a frozen record each pass replaces (``dataclasses.replace``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from extract.vocab.periods import Period


@dataclass(frozen=True)
class Figure:
    """A figure of a sentence: its tokens, value and what the passes read around it."""

    start: int  # token index in the Doc
    end: int
    value: float
    unit: str
    raw: str
    kind: str = "digits"  # digits | words ("six arrests") | fraction ("a quarter of")
    sign: Optional[str] = None  # a printed sign: "+5.6%", "-5.6%"
    qualifier: Optional[str] = None
    measure: str = "count"
    direction: Optional[str] = None
    subject: str = ""  # the noun phrase right after it (stored as the fact's category)
    in_brackets: bool = False  # "877 (10.80%)": the 10.80 qualifies 877
    notes: tuple[str, ...] = ()
    area: Optional[str] = None
    label: str = ""  # the subject read around the figure (heading, words before, phrase after)
    own: str = ""  # the words of its own sentence read around it
    core: str = ""  # the label's words from its sentence (or the figure it is part of), without the topic
    base: Optional[str] = None  # "per 1,000 people": the denominator the figure is stated over
    period: Optional[Period] = None  # the period the figure is about (the period pass)
    period_note: Optional[str] = None  # how that period was read, when not stated

    def noted(self, note: str) -> Figure:
        """The same figure with one more note."""
        return replace(self, notes=self.notes + (note,))
