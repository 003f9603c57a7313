"""Small PDFs made by the tests themselves (reportlab), typeset like the council's Word exports:
A4, a running header, "Page N" footers, ruled and unruled tables, raised footnote digits."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT = 62
GIANT = 14_400  # points: the largest page side a PDF allows


class Writer:
    """A canvas with a cursor running down the page, and a running header and footer."""

    def __init__(self, path: Path, header: str = "Test Partnership Report 2030", encrypt: str | None = None):
        self.c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
        self.header = header
        self.page = 0
        self.new_page()

    def new_page(self):
        if self.page:
            self.c.showPage()
        self.page += 1
        self.y = HEIGHT - 90
        if self.header:
            self.c.setFont("Helvetica", 8)
            self.c.drawString(300, HEIGHT - 58, self.header)
        self.c.setFont("Helvetica", 9)
        self.c.drawString(WIDTH / 2 - 15, 50, f"Page {self.page}")

    def text(self, parts, size=11, font="Helvetica", gap=6):
        """A line of text; a part ("1", "sup") is a raised footnote digit."""
        x = LEFT
        for part in [parts] if isinstance(parts, str) else parts:
            text, kind = (part, "") if isinstance(part, str) else part
            if kind == "sup":
                self.c.setFont(font, size * 0.58)
                self.c.drawString(x, self.y + size * 0.33, text)
                x += self.c.stringWidth(text, font, size * 0.58)
            else:
                self.c.setFont(font, size)
                self.c.drawString(x, self.y, text)
                x += self.c.stringWidth(text, font, size)
        self.y -= size * 1.3 + gap

    def footnote(self, marker: str, text: str):
        self.c.setFont("Helvetica", 4.6)
        self.c.drawString(LEFT, 80 + 3, marker)
        self.c.setFont("Helvetica", 8)
        self.c.drawString(LEFT + 6, 80, text)

    def ruled_table(self, rows, widths, row_height=16, font_size=9):
        """A table with rulings; a cell is text, a list of lines, or (text, sup) for a raised digit."""
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        heights = [
            row_height * max(1, len(cell) if isinstance(cell, list) else 1)
            for cell in (max(row, key=lambda c: len(c) if isinstance(c, list) else 1) for row in rows)
        ]
        top = self.y + font_size
        ys = [top]
        for h in heights:
            ys.append(ys[-1] - h)
        self.c.grid(xs, ys)
        for r, row in enumerate(rows):
            for k, cell in enumerate(row):
                lines = cell if isinstance(cell, list) else [cell]
                for n, line in enumerate(lines):
                    y = ys[r] - font_size - 3 - n * row_height
                    text, sup = (line, None) if isinstance(line, str) else line
                    self.c.setFont("Helvetica", font_size)
                    self.c.drawString(xs[k] + 3, y, text)
                    if sup:
                        w = self.c.stringWidth(text, "Helvetica", font_size)
                        self.c.setFont("Helvetica", font_size * 0.58)
                        self.c.drawString(xs[k] + 3 + w, y + font_size * 0.33, sup)
        self.y = ys[-1] - 24

    def aligned_table(self, rows, right_edges, font_size=9):
        """An unruled table: a label column at the left, right-aligned figures at ``right_edges``."""
        for row in rows:
            self.c.setFont("Helvetica", font_size)
            self.c.drawString(LEFT, self.y, row[0])
            for text, edge in zip(row[1:], right_edges):
                self.c.drawRightString(edge, self.y, text)
            self.y -= font_size * 1.15
        self.y -= 14

    def save(self):
        self.c.save()


def report_pdf(path: Path) -> Path:
    """Two pages: heading, prose with a marker, footnote, ruled table with a marker in a cell and a
    multi-line cell, an unruled table, and a ruled table that continues on page 2 with its header
    repeated, then one that continues without it."""
    w = Writer(path)
    w.text("Partnership Strategic Assessment", size=16, font="Helvetica-Bold")
    w.text(["During the year there were 877", ("1", "sup"), " crimes recorded in the district."])
    w.footnote("1", "Source: police recorded crime.")
    w.text("Headline Data", size=11, font="Helvetica-Bold")
    w.ruled_table(
        [
            ["AREA", "Q1", "Q2", "Total"],
            ["Violence", ("205", "2"), "243", "448"],
            [["Theft from the", "person"], "11", "10", "21"],
        ],
        [180, 60, 60, 70],
    )
    w.text("Crime performance by NPT region:", size=11)
    w.aligned_table(
        [
            ["Current period", "CITY", "RURAL", "TOTAL"],
            ["1 Violence Against the Person", "760", "213", "973"],
            ["2 Sexual Offences", "75", "48", "123"],
            ["Total", "835", "261", "1,096"],
        ],
        [300, 380, 460],
    )
    w.text("Figure 1 Crimes by region", size=9, font="Helvetica-Bold")
    w.y = 170  # the next table starts near the foot of the page and breaks onto the next
    w.ruled_table([["Service", "2029", "2030"], ["Refuge", "39", "33"], ["Outreach", "290", "229"]], [200, 70, 70])
    w.new_page()
    w.ruled_table([["Service", "2029", "2030"], ["Freedom", "18", "20"], ["Total", "347", "282"]], [200, 70, 70])
    w.text("Figure 2 Referrals by year", size=9, font="Helvetica-Bold")
    w.text("The refuge was full for most of the year, and referrals fell by a fifth.")
    w.y = 130
    w.ruled_table([["Outcome", "Quantity"], ["FPN issued", "1"], ["Cases ongoing", "15"]], [200, 70])
    w.new_page()
    w.ruled_table([["Caution", "3"], ["TOTAL", "19"]], [200, 70])
    w.text("Figure 3 Outcomes", size=9, font="Helvetica-Bold")
    w.save()
    return path


def _raw_pdf(path: Path, content: bytes, filtered: bool) -> Path:
    """A one-page A4 PDF written object by object, its content stream as given (already deflated
    when ``filtered``), with a correct cross-reference table."""
    stream_dict = f"<< /Length {len(content)}{' /Filter /FlateDecode' if filtered else ''} >>".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH:g} {HEIGHT:g}] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>".encode(),
        stream_dict + b"\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    Path(path).write_bytes(bytes(out))
    return Path(path)


def bomb_pdf(path: Path, inflated_mb: int = 300) -> Path:
    """A small PDF (about 300 KB) whose one FlateDecode content stream inflates to ``inflated_mb``
    MiB: a line of text, then graphics-state operators (``q Q``) repeated, cheap to deflate and
    costly to interpret."""
    import struct
    import zlib

    head = b"BT /F1 12 Tf 72 720 Td (Decompression bomb: 877 crimes) Tj ET\n"
    chunk = b"q Q\n" * (1 << 18)  # 1 MiB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the zlib wrapper is written here
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)  # after a full flush: the same bytes each time
    checksum = zlib.adler32(head)
    for _ in range(inflated_mb):
        checksum = zlib.adler32(chunk, checksum)
    parts = [b"\x78\xda", first, block * inflated_mb, deflate.flush(), struct.pack(">I", checksum)]
    return _raw_pdf(path, b"".join(parts), filtered=True)


def giant_page_pdf(path: Path) -> Path:
    """Three pages: A4 with prose and a ruled table, one 14,400 pt square page (the largest a PDF
    allows) with prose and rulings no table finder assembles, then A4 again with a ruled table."""
    w = Writer(path)
    w.text("During the year there were 877 crimes recorded in the district.")
    w.ruled_table([["Crime", "2029", "2030"], ["Violence", "205", "243"], ["Theft", "11", "10"]], [200, 70, 70])
    w.c.showPage()
    w.c.setPageSize((GIANT, GIANT))
    w.c.setFont("Helvetica", 11)
    w.c.drawString(LEFT, GIANT - 400, "The giant page says 512 offences were recorded in the year.")
    for i in range(4):  # rulings that never meet: evidence of a table, but none pdfplumber can assemble
        w.c.line(100, GIANT - 1400 - 40 * i, 400, GIANT - 1400 - 40 * i)
        w.c.line(1000 + 40 * i, GIANT - 2400, 1000 + 40 * i, GIANT - 2100)
    w.page = 2
    w.new_page()  # the giant page is closed at its size; the next is A4 again
    w.c.setPageSize(A4)
    w.text("The partnership's services in the year.")
    w.ruled_table([["Service", "2029", "2030"], ["Refuge", "39", "33"], ["Outreach", "290", "229"]], [200, 70, 70])
    w.save()
    return path


def break_ruled_finder_on(monkeypatch, page_number: int, error: Exception) -> None:
    """Make the ruled table finder raise ``error`` on one page only (the others read as usual)."""
    from extract.readers.table_finders import RuledFinder

    real = RuledFinder.find

    def find(self, page, words, body):
        if page.page_number == page_number:
            raise error
        return real(self, page, words, body)

    monkeypatch.setattr(RuledFinder, "find", find)
