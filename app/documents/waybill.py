"""Waybill label (100 × 150 mm: Code 128 of the waybill number, QR of the shipment) followed by
the A4 packing list that goes in the parcel. One PDF, printed or previewed together."""

from __future__ import annotations

import io

import segno
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcodes import MM, plan_code128
from app.documents.fitting import clean, fit_fields, shorten
from app.documents.fonts import cjk_font
from app.documents.waybill_data import PackingLine as PackingLine  # noqa: F401 - re-exported
from app.documents.waybill_data import Party, WaybillData
from app.localtime import local_text

LABEL_SIZE = (100 * MM, 150 * MM)
DEFAULT_DPI = 203
MARGIN = 4 * MM
TITLE_WIDTH = 12 * MM


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as one filled path: segno encodes in ~2 ms where reportlab's widget
    (encoded twice when it measures itself) took ~25 ms."""
    matrix = segno.make_qr(text, error="m").matrix
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _block(
    canvas: Canvas,
    font: str,
    fields: list[str],
    x: float,
    top: float,
    width: float,
    sizes: tuple[float, float],
    height: float,
) -> float:
    """Fields fitted (wrapped, shrunk) into ``width`` × ``height`` below ``top``; returns the
    baseline under the last line."""
    fitted = fit_fields(
        fields,
        font,
        width,
        height,
        max_size=sizes[0],
        min_size=sizes[1],
    )
    canvas.setFont(font, fitted.size)
    y = top - fitted.size
    for lines in fitted.lines:
        for line in lines:
            canvas.drawString(x, y, line)
            y -= fitted.leading
    return y + fitted.leading - fitted.size * 0.25


def _party(canvas: Canvas, font: str, title: str, party: Party, top: float, height: float) -> float:
    """收件人 / 寄件人: name, phone and address each fitted into the block, the phone on its own
    line so a long company name cannot push it off the label."""
    width = LABEL_SIZE[0] - 2 * MARGIN - TITLE_WIDTH
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, top - 8, title)
    name_bottom = _block(
        canvas, font, [party.name], MARGIN + TITLE_WIDTH, top, width, (11, 7), 2 * 13.2
    )
    phone_bottom = _block(
        canvas,
        font,
        [party.phone or "-"],
        MARGIN + TITLE_WIDTH,
        name_bottom - 1,
        width,
        (11, 7),
        13.2,
    )
    rest = height - (top - phone_bottom) - 1
    return _block(
        canvas,
        font,
        [party.address or "-"],
        MARGIN + TITLE_WIDTH,
        phone_bottom - 1,
        width,
        (9, 6),
        rest,
    )


def draw_label(canvas: Canvas, data: WaybillData, dpi: int = DEFAULT_DPI) -> None:
    font = cjk_font()
    width, height = LABEL_SIZE
    canvas.setFont(font, 14)
    canvas.drawString(MARGIN, height - MARGIN - 12, shorten_to(data.carrier, font, 14, 55 * MM))
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - MARGIN, height - MARGIN - 10, data.shipment_no)
    plan = plan_code128(data.waybill_no, width - 2 * MM, dpi)
    plan.draw(canvas, (width - plan.width_pt) / 2, height - 38 * MM, 18 * MM)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawCentredString(width / 2, height - 43 * MM, data.waybill_no)
    canvas.line(MARGIN, height - 46 * MM, width - MARGIN, height - 46 * MM)
    _party(canvas, font, "收件人", data.receiver, height - 48 * MM, 34 * MM)
    canvas.line(MARGIN, height - 84 * MM, width - MARGIN, height - 84 * MM)
    _party(canvas, font, "寄件人", data.sender, height - 86 * MM, 26 * MM)
    canvas.line(MARGIN, height - 113 * MM, width - MARGIN, height - 113 * MM)
    weight = f"{data.weight_grams / 1000:.2f} kg" if data.weight_grams else "-"
    _block(
        canvas,
        font,
        [
            f"内件 {data.contents}",
            f"件数 {data.pieces}  重量 {weight}  保价 {data.declared_value}",
            f"发货 {local_text(data.shipped_at)}" if data.shipped_at else "待发货",
        ],
        MARGIN,
        height - 115 * MM,
        width - 2 * MARGIN - 27 * MM,
        (9, 6),
        22 * MM,
    )
    _qr(canvas, data.shipment_no, width - MARGIN - 24 * MM, MARGIN, 24 * MM)
    canvas.setFont(font, 7)
    canvas.drawString(MARGIN, MARGIN + 2 * MM, "扫描二维码核对装箱清单")


def shorten_to(text: str, font: str, size: float, width: float) -> str:
    line = clean(text).replace("\n", " ")
    return line if stringWidth(line, font, size) <= width else shorten(line, font, size, width)


def waybill_label_pdf(data: WaybillData, dpi: int = DEFAULT_DPI) -> bytes:
    """The 100 × 150 mm label alone, for the waybill printer (``dpi`` dots per inch)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LABEL_SIZE, pageCompression=1)
    canvas.setTitle(f"运单 {clean(data.waybill_no)}")
    canvas.setCreator("RepairFloor")
    draw_label(canvas, data, dpi)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def waybill_pdf(data: WaybillData, dpi: int = DEFAULT_DPI) -> bytes:
    """The label, then the A4 packing list: one PDF to preview (on paper they go to two
    printers: :func:`waybill_label_pdf` and :func:`app.documents.packing_list.packing_list_pdf`)."""
    from app.documents.packing_list import packing_list_pdf

    return packing_list_pdf(data, label_dpi=dpi)
