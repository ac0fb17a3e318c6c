"""Formats the floor meets: IMEI (Luhn), UPU S10 waybills, mainland phone numbers, scans."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.errors import N_, InvalidInput

MAX_SCAN_LENGTH = 64
FREE_SERIAL = re.compile(r"^[A-Za-z0-9-]{4,64}$", re.ASCII)
S10 = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$", re.ASCII)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
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


# Phone numbers: one normaliser at the edge, digits stored (Customer.phone_digits) and searched.
MAX_PHONE_LENGTH = 40
PHONE_EXTENSION = re.compile(r"(?:ext\.?|extension|x|转|分机|#)\s*(\d{1,6})$", re.IGNORECASE)
PHONE_SEPARATORS = re.compile(r"[\s\-()./·]")
SERVICE_NUMBER = re.compile(r"^[48]00\d{7}$")  # 400- / 800- numbers: no area code
LANDLINE_DIGITS = re.compile(r"^0[1-9]\d{8,10}$")  # 0, a 2-3 digit area code, 7-8 digits


@dataclass(frozen=True)
class PhoneNumber:
    digits: str  # mobile 13800138000, landline 075588881234, 4008001234: what is searched
    extension: str = ""

    @property
    def text(self) -> str:
        return f"{self.digits} 转{self.extension}" if self.extension else self.digits


def normalise_phone(text: str) -> PhoneNumber:
    """A mainland phone number as digits, whatever way it was written: ``138-0013-8000``,
    ``+86 138 0013 8000``, ``0086 13800138000``, ``(0755) 8888-1234 ext 12`` or ``转12``,
    ``400-800-1234``; full-width digits too. InvalidInput, saying what is expected, otherwise."""
    value = unicodedata.normalize("NFKC", text or "")[: MAX_PHONE_LENGTH * 2].strip()
    extension = ""
    found = PHONE_EXTENSION.search(value)
    if found:
        extension = found.group(1)
        value = value[: found.start()]
    compact = PHONE_SEPARATORS.sub("", value)
    national = compact
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            national = compact[len(prefix) :]
            break
    international = national != compact
    if national.isascii() and national.isdigit():
        if MOBILE.fullmatch(national) or SERVICE_NUMBER.fullmatch(national):
            return PhoneNumber(national, extension)
        if international and not national.startswith("0"):
            national = "0" + national  # +86 755 …: the area code's trunk 0 is dropped abroad
        if LANDLINE_DIGITS.fullmatch(national):
            return PhoneNumber(national, extension)
    raise InvalidInput(
        N_(
            "{phone} is not a phone number: an 11-digit mobile (138 0013 8000), an area code "
            "and number (0755-8888 1234, extension after 转), or a 400 / 800 number."
        ),
        phone=(text or "").strip()[:MAX_PHONE_LENGTH],
    )


def phone_search_digits(text: str) -> str | None:
    """The digits to look a phone up by: the whole number normalised if it is one (so
    ``+86 138-0013-8000`` finds 13800138000), else a fragment of digits and separators as typed
    (``138 0013``, ``5678``); None if the text is no phone at all."""
    try:
        return normalise_phone(text).digits
    except InvalidInput:
        compact = PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
        for prefix in ("+86", "0086"):
            if compact.startswith(prefix):
                compact = compact[len(prefix) :]
                break
        return compact if compact.isascii() and compact.isdigit() else None


def phone_digits_or_none(text: str | None) -> str | None:
    """The digits of a stored phone (None if it is not a number): keeps old rows searchable."""
    if not text:
        return None
    try:
        return normalise_phone(text).digits
    except InvalidInput:
        digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
        return digits[:20] or None
