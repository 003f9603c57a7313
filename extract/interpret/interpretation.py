"""One file's whole interpretation: what the pipeline's interpret stage returns and the store writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.model import Check, Commitment, DerivedSum, Fact


@dataclass(frozen=True)
class Interpretation:
    """A read file's tables (their readings), figures, checks (within tables and across the report's
    figures), derived sums and commitments: everything the store writes for it, nothing it must
    work out."""

    readings: list = field(default_factory=list)  # TableReading, or the store's StoredReading from the cache
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    derived: list[DerivedSum] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
