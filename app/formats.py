"""Formats the floor meets: IMEI (Luhn), UPU S10 waybills, mainland phone numbers, scans."""

from __future__ import annotations

import re
import unicodedata

from app.errors import N_, InvalidInput

MAX_SCAN_LENGTH = 64
FREE_SERIAL = re.compile(r"^[A-Za-z0-9-]{4,64}$", re.ASCII)
S10 = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$", re.ASCII)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
IMEI = re.compile(r"\d{15}", re.ASCII)
# Zero-width space / non-joiner / joiner, word joiner, byte-order mark: invisible, never meant.
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def clean_scan(text: str) -> str:
    """The one normaliser of every code a scanner or keyboard sends (serials, IMEIs, order
    numbers, waybills, part numbers, badges, slot codes): NFKC (a full-width ``ＳＦ１２３`` from
    a Chinese input method is ``SF123``), zero-width characters removed, trimmed (spaces, CR, LF,
    Tab), then plain printable ASCII only, upper-cased.

    Refuses empty and over-long scans, control characters, and characters no barcode holds:
    letters and digits of other scripts (Arabic-Indic digits, Cyrillic homoglyphs) and forms
    that NFKC would fold into another character (superscript ``²``, circled ``①``,
    ligatures), which are typing slips, never a scanner's output.
    """
    if not isinstance(text, str):
        raise InvalidInput(N_("Nothing was scanned. Scan the barcode again."))
    if len(text) > MAX_SCAN_LENGTH * 4:  # bounded before any work on it
        raise _too_long()
    for char in text:
        if not char.isascii() and _folds_to_other(char):
            raise _not_a_code_character(char)
    value = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text)).strip()
    if not value:
        raise InvalidInput(N_("Nothing was scanned. Scan the barcode again."))
    if len(value) > MAX_SCAN_LENGTH:
        raise _too_long()
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        raise InvalidInput(N_("The scan holds control characters. Check the scanner's settings."))
    for char in value:
        if not char.isascii() or not char.isprintable():
            raise _not_a_code_character(char)
    return value.upper()


def strip_scanner_affixes(text: str, prefix: str = "", suffix: str = "") -> str:
    """``text`` without the prefix and suffix a station's scanner is set to add (a symbology
    identifier such as ``]C1``, a fixed ``#``), each removed only where it stands; the rest is
    ``clean_scan``'s to judge."""
    value = text.strip()
    if prefix and value.startswith(prefix):
        value = value[len(prefix) :]
    if suffix and value.endswith(suffix):
        value = value[: -len(suffix)]
    return value


def _folds_to_other(char: str) -> bool:
    """Whether NFKC maps ``char`` by a compatibility mapping other than width or no-break:
    full-width / half-width forms and no-break spaces are how input methods type a code; a
    superscript, a circled digit or a ligature is not."""
    tag = unicodedata.decomposition(char)
    return tag.startswith("<") and not tag.startswith(("<wide>", "<narrow>", "<noBreak>"))


def _too_long() -> InvalidInput:
    return InvalidInput(
        N_("The scan is longer than {limit} characters: is it the right barcode?"),
        limit=MAX_SCAN_LENGTH,
    )


def _not_a_code_character(char: str) -> InvalidInput:
    return InvalidInput(
        N_(
            "The scan holds “{char}” ({code}), which no barcode holds: check the scanner and "
            "switch the input method to English (half-width)."
        ),
        char=char,
        code=f"U+{ord(char):04X}",
    )


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
    if not IMEI.fullmatch(value):
        raise InvalidInput(N_('"{value}" is not an IMEI: an IMEI has 15 digits.'), value=value)
    if not luhn_valid(value):
        raise InvalidInput(
            N_('IMEI "{value}" has a wrong check digit: scan it again or type it from the label.'),
            value=value,
        )
    return value


def check_free_serial(value: str, pattern: str | None = None) -> str:
    regex = re.compile(pattern) if pattern else FREE_SERIAL
    if not value.isascii() or not regex.fullmatch(value):
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
