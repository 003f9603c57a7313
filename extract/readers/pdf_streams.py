"""A bound on how far a PDF's streams may inflate, so a decompression bomb (a 300 KB file whose
content stream inflates to 300 MB) is refused in a second rather than interpreted for minutes.

pdfminer decodes a stream whole (``PDFStream.decode``: ``zlib.decompress``, ``lzwdecode`` and the
other filters). While a PDF is read under :func:`inflate_bound`, every stream it decodes is
counted against the document's budget (:class:`~extract.readers.settings.InflateLimits`): a
FlateDecode or LZWDecode stream is inflated piece by piece and stopped as soon as it passes what
is left of the budget, before it is held in memory whole. Outside a bound, and for every stream
within it, pdfminer decodes exactly as it would alone: the same bytes, the same errors.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Optional

from extract.errors import ReadError
from extract.readers.settings import INFLATE, InflateLimits

MIB = 1024 * 1024
#: Bytes inflated at a time while a stream is counted against the budget.
CHUNK = 1 * MIB


class InflateBomb(ReadError):
    """A PDF whose streams inflate past the document's budget."""

    def __init__(self, path, cap: int):
        super().__init__(path, f"content inflates past {cap // MIB} MB (a decompression bomb?)")


class Budget:
    """The bytes a document's streams may inflate to, and those inflated so far."""

    def __init__(self, path, cap: int):
        self.path = str(path)
        self.cap = cap
        self.used = 0
        self.exceeded = False

    def room(self) -> int:
        return self.cap - self.used

    def refuse(self) -> InflateBomb:
        self.exceeded = True
        return InflateBomb(self.path, self.cap)

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.cap:
            raise self.refuse()


_BUDGET: ContextVar[Optional[Budget]] = ContextVar("csp_pdf_inflate_budget", default=None)


@contextlib.contextmanager
def inflate_bound(path: Path, limits: Optional[InflateLimits] = None) -> Iterator[Budget]:
    """Count every stream pdfminer decodes while the block runs against the budget of ``path``
    (``limits``: the settings' ``INFLATE`` unless given)."""
    limits = limits or INFLATE
    install()
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    budget = Budget(path, limits.cap(size))
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def bounded_decompress(data: bytes, room: int) -> bytes:
    """``zlib.decompress(data)``, inflated ``CHUNK`` by ``CHUNK``; raises :class:`OverflowError`
    as soon as the output passes ``room`` bytes. Data zlib refuses is handed to ``zlib.decompress``
    itself, so the error raised is the one pdfminer expects (and it inflates no further than
    counted here)."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    pos = 0
    tail = b""
    try:
        while not d.eof:
            if not tail and pos < len(data):  # the input is fed a piece at a time too, never copied whole
                tail = data[pos : pos + CHUNK]
                pos += len(tail)
            piece = d.decompress(tail, CHUNK)
            tail = d.unconsumed_tail
            size += len(piece)
            if size > room:
                raise OverflowError(size)
            out.append(piece)
            if not piece and not tail and pos >= len(data):
                break  # no input and no output left: a truncated stream
    except zlib.error:
        return zlib.decompress(data)
    if not d.eof:
        return zlib.decompress(data)  # raises as zlib does on a truncated stream
    return b"".join(out)


class _BoundedZlib:
    """What ``pdfminer.pdftypes`` sees as ``zlib``: zlib itself, with ``decompress`` bounded while
    a budget is set."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        budget = _BUDGET.get()
        if budget is None or args or kwargs:
            return zlib.decompress(data, *args, **kwargs)
        try:
            return bounded_decompress(data, budget.room())
        except OverflowError:
            raise budget.refuse() from None


def _bounded_lzwdecode(data: bytes) -> bytes:
    """pdfminer's ``lzwdecode``, stopped as soon as its output passes the budget."""
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL["lzwdecode"](data)
    room = budget.room()
    out: list[bytes] = []
    size = 0
    for piece in LZWDecoder(BytesIO(data)).run():
        size += len(piece)
        if size > room:
            raise budget.refuse()
        out.append(piece)
    return b"".join(out)


_ORIGINAL: dict[str, Any] = {}


def _counted_decode(self) -> None:
    """``PDFStream.decode``, its output counted against the budget (every filter, and none)."""
    budget = _BUDGET.get()
    if budget is None:
        _ORIGINAL["decode"](self)
        return
    if budget.exceeded:
        raise budget.refuse()  # a refusal a library caught and read on from stays a refusal
    _ORIGINAL["decode"](self)
    budget.spend(len(self.data or b""))


def install() -> None:
    """Route pdfminer's stream decoding through the budget (once per process; a no-op outside
    :func:`inflate_bound`)."""
    if _ORIGINAL:
        return
    import pdfminer.pdftypes as pdftypes

    _ORIGINAL["decode"] = pdftypes.PDFStream.decode
    _ORIGINAL["lzwdecode"] = pdftypes.lzwdecode
    _ORIGINAL["zlib"] = pdftypes.zlib
    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    pdftypes.lzwdecode = _bounded_lzwdecode
    pdftypes.PDFStream.decode = _counted_decode  # type: ignore[method-assign]
