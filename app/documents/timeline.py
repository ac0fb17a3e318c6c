"""The order timeline on A4: the header, then one line per event (time, what, who / station,
detail), wrapped and paged. Texts come in already translated (see :mod:`app.search.timeline_text`)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.fitting import wrap
from app.documents.fonts import cjk_font

MARGIN = 15 * mm
LINE = 5.2 * mm
FONT_SIZE = 9
TITLE_SIZE = 14


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Chinese breaks between characters; an order number or a serial stays whole."""
    return wrap(text, font, size, width)


def timeline_pdf(title: str, header: list[str], events: list[tuple[str, str, str, str]]) -> bytes:
    """``events``: (time, what, who / station, detail) per line, in order."""
    font = cjk_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    width, height = A4
    columns = (MARGIN, MARGIN + 30 * mm, MARGIN + 72 * mm, MARGIN + 105 * mm)
    detail_width = width - MARGIN - columns[3]
    y = height - MARGIN

    def new_page() -> float:
        canvas.showPage()
        canvas.setFont(font, FONT_SIZE)
        return height - MARGIN

    canvas.setFont(font, TITLE_SIZE)
    canvas.drawString(MARGIN, y - TITLE_SIZE, title)
    y -= TITLE_SIZE + LINE
    canvas.setFont(font, FONT_SIZE + 1)
    for line in header:
        for part in _wrap(line, font, FONT_SIZE + 1, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, part)
            y -= LINE
    # The rule sits in the gap under the header: the first row starts a full line below it,
    # clear of the tallest glyph (a CJK character reaches ~0.9 em above its baseline).
    rule = y + LINE - FONT_SIZE - 1.5
    canvas.line(MARGIN, rule, width - MARGIN, rule)
    y = rule - FONT_SIZE - 3
    canvas.setFont(font, FONT_SIZE)
    for when, what, who, detail in events:
        what_lines = _wrap(what, font, FONT_SIZE, columns[2] - columns[1] - 2 * mm)
        who_lines = _wrap(who, font, FONT_SIZE, columns[3] - columns[2] - 2 * mm)
        detail_lines = _wrap(detail, font, FONT_SIZE, detail_width)
        rows = max(len(what_lines), len(who_lines), len(detail_lines))
        if y - rows * LINE < MARGIN:
            y = new_page()
        canvas.drawString(columns[0], y, when)
        for column, lines in ((1, what_lines), (2, who_lines), (3, detail_lines)):
            for index, part in enumerate(lines):
                canvas.drawString(columns[column], y - index * LINE, part)
        y -= rows * LINE + 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
