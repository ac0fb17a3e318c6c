"""The repair-order label in ZPL for thermal printers that take it raw: well-formed (one
``^XA … ^XZ`` per label, every command known, no command hidden in a field), the Code 128 of the
order number at a whole number of printer dots per module with its quiet zones on the stock, the
text fields present and escaped; a number too long for the stock is refused, not squeezed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.documents.barcodes import QUIET_MODULES, code128_modules
from app.documents.order_label import LONGEST_ORDER_NO, SIZES_MM, LabelData
from app.documents.zpl import dots, label_zpl
from app.errors import InvalidInput

KNOWN = {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "BY", "BC", "FH", "FD", "FS", "FB", "A0", "A@"}


def label(order_no: str = "RO2026113000042", **fields: str) -> LabelData:
    values = {
        "model_name": "星辰 X1 Pro",
        "serial": "356789012345678",
        "fault": "不开机,充电无反应",
        "customer": "张三",
        "flags": "保内",
    } | fields
    return LabelData(order_no, received_at=datetime(2026, 11, 30, 2, 58, tzinfo=UTC), **values)


def formats(zpl: bytes) -> list[list[tuple[str, str]]]:
    """Each label's (command, argument) pairs; a field's data stays whole up to its ^FS."""
    text = zpl.decode("utf-8")
    found = []
    for body in re.findall(r"\^XA(.*?)\^XZ", text, re.S):
        commands = []
        for match in re.finditer(r"\^(FD)(.*?)(?=\^FS)|\^([A-Z0-9@]{2})([^\^]*)", body, re.S):
            if match.group(1):
                commands.append(("FD", match.group(2)))
            else:
                commands.append((match.group(3), match.group(4).strip()))
        found.append(commands)
    return found


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", SIZES_MM)
def test_each_label_is_well_formed_and_its_barcode_sits_on_the_dot_grid(size, dpi) -> None:
    zpl = label_zpl([label(), label("RO2026113000043")], size, dpi)
    text = zpl.decode("utf-8")
    assert text.count("^XA") == text.count("^XZ") == 2 and text.startswith("^XA")
    parsed = formats(zpl)
    assert len(parsed) == 2
    for commands, number in zip(parsed, ["RO2026113000042", "RO2026113000043"], strict=True):
        names = [name for name, _ in commands]
        assert set(names) <= KNOWN, set(names) - KNOWN
        assert names.count("FD") == names.count("FS") >= 6  # barcode, number, four text lines
        values = dict(commands)
        width, height = int(values["PW"]), int(values["LL"])
        assert (width, height) == (dots(size[0], dpi), dots(size[1], dpi))
        assert values["CI"] == "28"  # UTF-8 text
        by = commands[names.index("BY")][1].split(",")
        module = int(by[0])  # whole printer dots per module
        assert module * 25.4 / dpi >= 0.25  # what every floor scanner reads
        barcode_at = names.index("BC")
        assert commands[barcode_at + 2] == ("FD", number)  # ^BC … ^FH ^FD<number>
        x = int(commands[names.index("BY") - 1][1].split(",")[0])
        bars = code128_modules(number) * module
        assert x >= QUIET_MODULES * module and width - x - bars >= QUIET_MODULES * module
        data = [value for name, value in commands if name == "FD"]
        assert number in data[1] and any("序列号 356789012345678" in d for d in data)
        assert any(d.startswith("故障 不开机") for d in data)
        text_at = [int(v.split(",")[1]) for n, v in commands if n == "FO"][2:]
        assert len(text_at) == 4 and text_at[-1] < height  # no line is dropped


def test_a_caret_or_tilde_in_a_field_never_becomes_a_command() -> None:
    zpl = label_zpl([label(fault="^XZ~JR 屏幕\\碎", customer="^FS")]).decode("utf-8")
    assert zpl.count("^XZ") == 1 and "~JR" not in zpl
    assert "\\5EXZ\\7EJR 屏幕\\5C碎" in zpl  # hex through ^FH, as the printer reads it back


def test_a_number_too_long_for_the_stock_is_refused_not_squeezed() -> None:
    label_zpl([label(LONGEST_ORDER_NO)], (50, 30), 203)  # the longest real number fits
    with pytest.raises(InvalidInput, match="too long for a barcode"):
        label_zpl([label("RO" + "9" * 40)], (50, 30), 203)
