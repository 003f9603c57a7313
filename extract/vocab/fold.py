"""One way to fold a printed label for matching against the vocabulary, used by every stage, so a
label that matches in a table matches in prose and in the crosswalk alike."""

from __future__ import annotations

import re
from typing import Optional

from extract.vocab.values import strip_trend

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKERS = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'"})


def fold(text: Optional[str], keep: str = "%") -> str:
    """Lower-case ``text`` with trend arrows and footnote markers removed, ``&`` read as "and",
    dashes and quotes unified, every character but letters, digits and ``keep`` a space, and
    whitespace collapsed: "Violence Against the Person¹ ▲" → "violence against the person"."""
    text = _MARKERS.sub("", strip_trend(text or "")[0]).lower().replace("&", " and ").translate(_DASHES)
    allowed = "a-z0-9" + re.escape(keep)
    return " ".join(re.sub(f"[^{allowed}]+", " ", text).split())
