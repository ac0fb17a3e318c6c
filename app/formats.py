"""Formats the floor meets: IMEI (Luhn), UPU S10 waybills, mainland phone numbers, scans."""

from __future__ import annotations

import re

from app.errors import N_, InvalidInput

MAX_SCAN_LENGTH = 64
FREE_SERIAL = re.compile(r"^[A-Za-z0-9-]{4,64}$")
S10 = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def clean_scan(text: str) -> str:
    """What a scanner typed, trimmed; refuses empty, over-long and control-character scans."""
    value = text.strip()
    if not value:
        raise InvalidInput(N_("Nothing was scanned. Scan the barcode again."))
    if len(value) > MAX_SCAN_LENGTH:
        raise InvalidInput(
            N_("The scan is longer than {limit} characters: is it the right barcode?"),
            limit=MAX_SCAN_LENGTH,
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidInput(N_("The scan holds control characters. Check the scanner's settings."))
    return value


def luhn_check_digit(first_digits: str) -> str:
    """The digit that makes ``first_digits + digit`` pass the Luhn test (an IMEI's 15th).

    The one Luhn computation of the project: checking a number (``luhn_valid``), the test data,
    the demo month and the benchmarks' generators all use it.
    """
    total = 0
    for index, char in enumerate(reversed(first_digits)):
        value = int(char)
        if index % 2 == 0:  # doubled: these are the odd positions once the check digit is added
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(digits: str) -> bool:
    """Whether the last digit of ``digits`` is the Luhn check digit of the ones before it."""
    return digits.isascii() and digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]


def check_imei(value: str) -> str:
    if len(value) != 15 or not value.isdigit():
        raise InvalidInput(N_('"{value}" is not an IMEI: an IMEI has 15 digits.'), value=value)
    if not luhn_valid(value):
        raise InvalidInput(
            N_('IMEI "{value}" has a wrong check digit: scan it again or type it from the label.'),
            value=value,
        )
    return value


def check_free_serial(value: str, pattern: str | None = None) -> str:
    regex = re.compile(pattern) if pattern else FREE_SERIAL
    if not regex.fullmatch(value):
        raise InvalidInput(
            N_('"{value}" is not a serial number of this model (letters, digits and "-").'),
            value=value,
        )
    return value


def s10_check_digit(eight_digits: str) -> int:
    remainder = 11 - sum(int(d) * w for d, w in zip(eight_digits, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def s10_valid(waybill: str) -> bool:
    match = S10.fullmatch(waybill)
    return match is not None and s10_check_digit(match.group(1)) == int(match.group(2))


def is_mobile(phone: str) -> bool:
    return bool(MOBILE.fullmatch(phone.replace(" ", "").replace("-", "")))


def is_phone(phone: str) -> bool:
    compact = phone.replace(" ", "")
    return is_mobile(compact) or bool(LANDLINE.fullmatch(compact))
