"""Small PDFs made by the tests themselves (reportlab), typeset like the council's Word exports:
A4, a running header, "Page N" footers, ruled and unruled tables, raised footnote digits."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT = 62


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
