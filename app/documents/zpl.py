"""The repair-order label in ZPL II, for thermal label printers that take it raw (Zebra and the
many that emulate it): sharper and faster than a raster of the PDF, because the printer draws the
barcode itself on its own dot grid.

The same layout rules as the PDF label (:mod:`app.documents.order_label`): the Code 128 of the
order number at a whole number of printer dots per module (:func:`plan_code128`, refused when
the number is too long for the stock), quiet zones of ten modules, never squeezed; the order
number in large type under it; then model, serial, date and fault, each line cut to the label's
width (the type shrinks until all four lines fit). Text is UTF-8 (``^CI28``); Chinese needs a CJK font on the printer (``CJK_FONT``,
E:SIMSUN.TTF on Zebra's Asian-font printers). Field data is written through ``^FH`` so a ``^``
or ``~`` in a customer's text can never become a command.
"""

from __future__ import annotations

from app.documents.barcodes import MM, QUIET_MODULES, plan_code128
from app.documents.order_label import DESIGN_SIZE_MM, EDGE, LabelData
from app.localtime import local_text

CJK_FONT = "E:SIMSUN.TTF"
MIN_TEXT_DOTS = 12  # about 1.5 mm at 203 dpi: the smallest type a thermal head prints legibly
BAR_RATIO = 3  # ^BY's wide-to-narrow ratio (unused by Code 128; the printers want it)


def dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def field_data(text: str) -> str:
    """``text`` for ``^FH\\^FD…^FS``: the characters ZPL would read as commands, as hex."""
    escaped = text.replace("\\", "\\5C").replace("^", "\\5E").replace("~", "\\7E")
    return escaped.replace("\r", " ").replace("\n", " ")


def _cut(text: str, height: int, width: int) -> str:
    """As much of ``text`` as fits ``width`` dots in a font ``height`` dots high (a CJK glyph is
    about square, a Latin one about half as wide)."""
    used, kept = 0, list[str]()
    for char in text:
        used += height if ord(char) > 0x2E7F else height // 2 + 1
        if used > width:
            return "".join(kept[:-1]) + "…"
        kept.append(char)
    return text


def label_zpl(
    labels: list[LabelData], size_mm: tuple[int, int] = DESIGN_SIZE_MM, dpi: int = 203
) -> bytes:
    """One ``^XA … ^XZ`` format per label, for stock of ``size_mm`` on a ``dpi`` printer."""
    width, height = dots(size_mm[0], dpi), dots(size_mm[1], dpi)
    margin = dots(2, dpi)
    formats = []
    for label in labels:
        plan = plan_code128(label.order_no, size_mm[0] * MM - 2 * EDGE, dpi)
        bars = plan.modules * plan.dots
        left = max((width - bars) // 2, QUIET_MODULES * plan.dots)
        bar_height = dots(min(max(0.28 * size_mm[1], 8), 25), dpi)
        number = min(max(dots(size_mm[1] * 0.075, dpi), 22), 60)
        text = min(max(dots(size_mm[1] * 0.06, dpi), 18), 48)
        lines = [
            f"{label.model_name}  {label.flags}".strip(),
            f"序列号 {label.serial}",
            f"收货 {local_text(label.received_at)}  {label.customer}".strip(),
            f"故障 {label.fault or '-'}",
        ]
        commands = [
            "^XA",
            "^CI28",
            f"^PW{width}",
            f"^LL{height}",
            "^LH0,0",
            f"^FO{left},{margin}^BY{plan.dots},{BAR_RATIO},{bar_height}",
            f"^BCN,{bar_height},N,N,N^FH\\^FD{field_data(label.order_no)}^FS",
        ]
        y = margin + bar_height + dots(1, dpi)
        commands.append(
            f"^FO{margin},{y}^FB{width - 2 * margin},1,0,C^A0N,{number},{number}"
            f"^FH\\^FD{field_data(label.order_no)}^FS"
        )
        y += number + dots(1, dpi)
        room = height - margin // 2 - y  # every line gets a place: the type shrinks to fit
        text = max(min(text, room * 5 // (6 * len(lines))), MIN_TEXT_DOTS)
        for line in lines:
            shown = _cut(line, text, width - 2 * margin)
            commands.append(
                f"^FO{margin},{y}^A@N,{text},{text},{CJK_FONT}^FH\\^FD{field_data(shown)}^FS"
            )
            y += text + text // 5
        commands.append("^XZ")
        formats.append("\n".join(commands))
    return ("\n".join(formats) + "\n").encode("utf-8")
