"""The PDF reader's settings in one validated object (as pdfplumber's ``TableSettings``): the
tolerances and ratios that tell running lines, footnote markers, headings and paragraphs apart.
Its fields are part of the read cache's key (``settings_digest``)."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class PdfSettings:
    """How the PDF reader judges a page's words, in PDF points or as shares and ratios."""

    margin: float = 0.085  # share of the page height, top and bottom, where running lines live
    x_tolerance: float = 1.5  # pdfplumber word extraction: gap (pt) that still joins letters
    default_body_size: float = 11.0  # font size assumed before the body size is measured
    running_line_share: float = 0.5  # a margin line on at least this share of pages is a running line
    heading1_ratio: float = 1.35  # heading size ÷ body size for a level-1 heading
    heading_ratio: float = 1.15  # size ÷ body size from which a line is a heading
    heading_max_words: int = 16  # a bold line of at most this many words is a heading
    run_on_words: int = 8  # a bold body-size line this long, ending on a lower-case word, is running text
    footnote_ratio: float = 0.9  # a marker-led line under this size ratio is a footnote
    small_text_ratio: float = 0.8  # text under this size ratio is a footnote or caption
    paragraph_gap_ratio: float = 0.75  # gap ÷ line height that still continues a paragraph
    paragraph_gap_min: float = 4.0  # a gap (pt) that always continues a paragraph
    error_chars: int = 200  # how much of a library's error message a read error quotes
    line_height_ratio: float = 1.2  # a line's height ÷ its font size
    same_line_overlap: float = 0.4  # vertical overlap (share of the shorter word) that puts words on one line
    main_size_ratio: float = 0.85  # words under this share of the line's main size are markers
    marker_raise: float = 0.4  # pt a footnote marker's bottom stands above the line's baseline
    label_indent: float = 3.0  # pt a wrapped row-label line may stand from the table's left edge
    section_outdent: float = 12.0  # pt a section heading inside a table may stand left of its row labels
    label_lines_above: int = 2  # wrapped label lines above an aligned table's first row that join it
    header_lines: int = 4  # lines above an aligned table's rows that may form its header
    # pt²: camelot renders a page as a bitmap; a larger page (a 14,400 pt page) is left to the other finders
    camelot_max_page_area: float = 4_000_000.0
    gutter_min: float = 8.0  # pt of blank page, top to bottom, that parts two columns of text
    gutter_reach: float = 0.3  # share of a left column's width its prose lines may end short of the gutter
    gutter_zone: float = 0.25  # share of the page width at either side where no gutter is looked for
    column_prose_lines: int = 3  # lines of running text each column needs before a page is read by columns
    band_gap_ratio: float = 1.5  # blank height ÷ body size that parts a page's bands (columns above a wide table)
    camelot_min_accuracy: float = 80.0  # camelot's parsing-report accuracy a ruled table must reach
    min_rulings: int = 3  # horizontal and vertical rulings each that are evidence of a ruled table
    box_slack: float = 1.0  # pt by which a word's centre may stand outside a cell or table box
    column_gap_min: float = 6.0  # a gap (pt) between words that always separates two cells
    column_gap_ratio: float = 0.75  # gap ÷ font size that separates two cells
    span_centre_share: float = 0.08  # share of a column group's width its header may stand off its centre
    figure_gap_ratio: float = 0.4  # gap ÷ font size that separates two figures side by side
    row_gap_ratio: float = 0.9  # gap ÷ line height that keeps two lines in one table
    header_size_slack: float = 0.6  # font-size difference (pt) a header row may have from the row below
    table_row_gap_ratio: float = 1.6  # gap ÷ line height still inside one aligned table
    column_join_slack: float = 1.5  # pt by which word spans may miss and still form one column

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"PdfSettings.{f.name}: {value!r} must be a positive number")
        if not self.margin < 0.5 or not self.running_line_share <= 1:
            raise ValueError("PdfSettings: margin must be under 0.5 and running_line_share at most 1")


SETTINGS = PdfSettings()


def settings_digest(settings: PdfSettings = SETTINGS) -> str:
    """A digest of the settings' values, for the read cache's key."""
    return hashlib.sha256(repr(dataclasses.astuple(settings)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class InflateLimits:
    """How far a PDF's streams may inflate before the PDF is refused as a decompression bomb: the
    larger of ``ratio`` times the file's size and ``floor_mb`` MiB, counted over every stream the
    reader decodes (extract.readers.pdf_streams). Not part of the read cache's key: a PDF within
    the bound reads exactly as it would unbounded."""

    ratio: float = 50.0  # bytes the streams may inflate to, per byte of the file
    floor_mb: int = 200  # MiB any PDF may inflate to, however small the file

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"InflateLimits.{f.name}: {value!r} must be a positive number")

    def cap(self, file_bytes: int) -> int:
        """The bytes a file of ``file_bytes`` may inflate to."""
        return max(int(self.ratio * max(file_bytes, 0)), self.floor_mb * 1024 * 1024)


INFLATE = InflateLimits()
