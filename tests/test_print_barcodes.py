"""Barcodes that scan off a real label printer: every document rendered as a 203- or 300-dpi
printer lays it (PDFium, thresholded to 1 bit) and decoded with zxing-cpp, on every label size."""

from __future__ import annotations

import io

import pytest
from documents_data import label, slip, waybill
from pdfcheck import printed_barcodes, printed_pages
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.documents.barcodes import QUIET_MODULES, plan_code128
from app.documents.order_label import SIZES_MM, check_design, label_pdf
from app.documents.receiving_slip import receiving_slip_pdf
from app.documents.waybill import waybill_label_pdf, waybill_pdf
from app.errors import InvalidInput

DPIS = (203, 300)
MM = 72 / 25.4


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("size", SIZES_MM)
def test_the_order_label_scans_at_every_size_and_resolution(
    size: tuple[int, int], dpi: int
) -> None:
    second = label("RO202611240018")
    assert printed_barcodes(label_pdf([label(), second], size, dpi), dpi) == [
        [("Code128", "RO202611240017")],
        [("Code128", "RO202611240018")],
    ]


@pytest.mark.parametrize("dpi", DPIS)
def test_the_waybill_the_packing_list_and_the_slip_scan_at_every_resolution(dpi: int) -> None:
    assert printed_barcodes(waybill_label_pdf(waybill(), dpi), dpi) == [
        [("Code128", "SF1234567890123"), ("QRCode", "SH202611240001")]
    ]
    pages = printed_barcodes(waybill_pdf(waybill(), dpi), dpi)
    assert pages[0] == [("Code128", "SF1234567890123"), ("QRCode", "SH202611240001")]
    assert printed_barcodes(receiving_slip_pdf(slip(), dpi), dpi)[0] == [
        ("Code128", "SF1234567890123")
    ]


def bar_edges_in_dots(pdf: bytes, dpi: int) -> list[float]:
    """Left and right edges of the tall filled rectangles (the bars) of page 1, in printer dots."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    stack, offset, edges = [], (0.0, 0.0), []
    for operands, operator in ContentStream(page.get_contents(), None).operations:
        if operator == b"q":
            stack.append(offset)
        elif operator == b"Q":
            offset = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            assert (a, b, c, d) == (1, 0, 0, 1), "a barcode is never scaled"
            offset = (offset[0] + e, offset[1] + f)
        elif operator == b"re" and float(operands[3]) > 5 * MM:
            left = offset[0] + float(operands[0])
            edges += [left * dpi / 72, (left + float(operands[2])) * dpi / 72]
    return edges


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("size", SIZES_MM)
def test_every_bar_is_a_whole_number_of_printer_dots_with_ten_module_quiet_zones(
    size: tuple[int, int], dpi: int
) -> None:
    plan = plan_code128("RO202611240017", size[0] * MM - 2 * MM, dpi)
    assert 0.25 <= plan.module_mm <= 0.5
    pdf = label_pdf([label()], size, dpi)
    edges = bar_edges_in_dots(pdf, dpi)
    assert len(edges) > 40
    assert all(abs(edge - round(edge)) < 0.01 for edge in edges), "a bar off the dot grid"
    widths = [round(right - left) for left, right in zip(edges[::2], edges[1::2], strict=True)]
    assert all(width % plan.dots == 0 for width in widths)
    assert round(edges[-1] - edges[0]) == plan.modules * plan.dots  # never squeezed
    # As printed: white all round the bars for at least ten modules on each side.
    page = printed_pages(pdf, dpi)[0]
    y = round((size[1] * MM - 2 * MM - 4 * MM) * dpi / 72)  # through the bars
    row = [page.getpixel((x, page.height - y)) for x in range(page.width)]
    black = [x for x, value in enumerate(row) if value == 0]
    assert black[0] >= QUIET_MODULES * plan.dots
    assert page.width - 1 - black[-1] >= QUIET_MODULES * plan.dots
    assert abs(black[-1] + 1 - black[0] - plan.modules * plan.dots) <= 1


def test_3_dots_at_203_dpi_is_a_0_375_mm_module() -> None:
    plan = plan_code128("RO202611240017", 58 * MM, 203)
    assert (plan.dots, round(plan.module_mm, 3)) == (3, 0.375)


def test_a_number_too_long_for_the_label_is_refused_at_design_time_not_squeezed() -> None:
    for size in SIZES_MM:
        for dpi in DPIS:
            check_design(size, dpi)  # the floor's stock takes the longest order number
    with pytest.raises(InvalidInput, match="too long"):
        check_design((30, 20), 203)
    with pytest.raises(InvalidInput, match="too long"):
        label_pdf([label("RO2026112400170000000000")], (50, 30), 203)
    with pytest.raises(InvalidInput, match="too long"):
        waybill_label_pdf(
            waybill().__class__(**{**waybill().__dict__, "waybill_no": "SF" + "ABCDEFGHIJ" * 4}),
            203,
        )


def test_the_center_label_stock_may_be_any_of_the_floor_sizes() -> None:
    from app import settings

    for width, height in SIZES_MM:
        assert settings.LABEL_SIZE.coerce(f"{width}x{height}") == (width, height)
