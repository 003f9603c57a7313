"""Two printed values of one quantity compared as a reader would: at the precision they were printed.

A count is exact: 877 and 878 disagree. A rate, share or percentage is a rounded computation, and
two printings of it agree when they differ by at most one unit of the last decimal place the less
precise of them prints (10.79 and 10.8; 12.61 and 12.62, the same ratio rounded on two paths), so
rounding is never a disagreement and a real difference (16.99 against 17.08) always is."""

from __future__ import annotations

import re
from typing import Optional

#: What a check that did not fail is, or why one failed, in words a reader understands.
NATURES = {
    "source": "disagreement in the source",
    "reading": "doubt in our reading",
    "rounding": "equal at the printed precision",
}
#: Kinds of check whose failure says our reading is in doubt, not the report (the others: the source).
READING_KINDS = frozenset({"text_vs_pdf", "correction"})

_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def decimals(raw: Optional[str], value: float) -> int:
    """How many decimal places a figure was printed with: from its printed text ("10.79%" → 2,
    "1,156" → 0), else from the value itself as it stands (never more than 6)."""
    if raw:
        m = _NUMBER.search(raw)
        if m:
            return len(m.group(1) or "")
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def tolerance(unit: Optional[str], *places: int) -> float:
    """How far apart two printings of a quantity may be and still agree: nothing for counts, one
    unit of the coarsest printed place for anything computed."""
    if unit == "count":
        return 0.0
    return 10.0 ** -min(places) if places else 0.0


def agree(a: float, a_raw: Optional[str], b: float, b_raw: Optional[str], unit: Optional[str]) -> bool:
    """Whether two printings of one quantity give the same value at their printed precision."""
    return abs(a - b) <= tolerance(unit, decimals(a_raw, a), decimals(b_raw, b)) + 1e-9


def nature(kind: str, passed: bool, exact: bool = True) -> Optional[str]:
    """The nature of a check's outcome (a key of NATURES): a failure is the source's, or our
    reading's for READING_KINDS; a pass only where values differed within rounding (``exact`` False)."""
    if passed:
        return None if exact else "rounding"
    return "reading" if kind in READING_KINDS else "source"
