"""Text that fits its box: measured, wrapped, shrunk down to a minimum size, never dropped.

Chinese breaks between any two characters, except that closing punctuation never starts a line
and opening punctuation never ends one (禁则); a run of Latin letters and digits (an order number,
a phone number, a serial) stays whole unless it is wider than the whole line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

NO_LINE_START = frozenset(",.;:!?)]}%。、，；：！？）」』】》〉”’·…—")
NO_LINE_END = frozenset("([{（「『【《〈“‘")
UNBROKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./#+@]*")
ELLIPSIS = "…"


FULLWIDTH = dict(zip(",;:!?()", "，；：！？（）", strict=True))


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def fullwidth_punctuation(text: str) -> str:
    """ASCII , ; : ! ? ( ) beside a Chinese character become full-width (a formal Chinese text
    uses them); between Latin letters or digits (10:58, 1,500, (A)) they stay as typed."""
    chars = list(text)
    opened: list[bool] = []  # per open parenthesis: made full-width (its pair follows)
    for index, char in enumerate(chars):
        if char not in FULLWIDTH:
            continue
        before = chars[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char == ")" and opened:
            wide = opened.pop()  # as its opening parenthesis
        else:
            wide = bool(before and _is_cjk(before)) or bool(after and _is_cjk(after))
        if char == "(":
            opened.append(wide)
        if wide:
            chars[index] = FULLWIDTH[char]
    return "".join(chars)


def clean(text: str) -> str:
    """Control characters (a tab pasted from Excel, a stray NUL) print as a space."""
    return "".join(
        " " if unicodedata.category(char) == "Cc" and char != "\n" else char for char in text
    )


def _tokens(paragraph: str) -> list[str]:
    raw: list[str] = []
    index = 0
    while index < len(paragraph):
        match = UNBROKEN.match(paragraph, index)
        if match:
            raw.append(match.group())
            index = match.end()
        else:
            raw.append(paragraph[index])
            index += 1
    tokens: list[str] = []
    for token in raw:
        if tokens and (token[0] in NO_LINE_START or tokens[-1][-1] in NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (its own line breaks kept)."""
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if stringWidth(line + token, font, size) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            token = token.lstrip() if not line else token
            while stringWidth(token, font, size) > width and len(token) > 1:
                cut = 1
                while cut < len(token) and stringWidth(token[: cut + 1], font, size) <= width:
                    cut += 1
                lines.append(token[:cut])
                token = token[cut:]
            line = token
        lines.append(line.rstrip())
    return lines


def shorten(line: str, font: str, size: float, width: float) -> str:
    """``line`` ending in an ellipsis, within ``width``."""
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line + ELLIPSIS


@dataclass(frozen=True)
class Fitted:
    size: float
    leading: float
    lines: tuple[tuple[str, ...], ...]  # per field

    @property
    def height(self) -> float:
        return self.leading * sum(len(field) for field in self.lines)


def fit_fields(
    fields: Sequence[str],
    font: str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    leading: float = 1.2,
) -> Fitted:
    """The largest size (a step of 0.25 pt, down to ``min_size``) at which every field, wrapped,
    fits in the box. At the minimum size each field keeps at least its first line and the last
    lines are shortened with an ellipsis: a field is never dropped. A box has no room for blank
    lines: a field's own line breaks read as spaces."""
    fields = [
        " ".join(part for part in clean(field).split("\n") if part.strip()) for field in fields
    ]
    size = max_size
    while True:
        wrapped = [wrap(field, font, size, width) for field in fields]
        rows = sum(len(lines) for lines in wrapped)
        if rows * size * leading <= height + 1e-6 or size <= min_size:
            break
        size = max(min_size, size - 0.25)
    room = max(len(fields), int((height + 1e-6) // (size * leading)))
    if rows > room:
        wrapped = _share(wrapped, room, font, size, width)
    return Fitted(size, size * leading, tuple(tuple(lines) for lines in wrapped))


def _share(
    wrapped: list[list[str]], room: int, font: str, size: float, width: float
) -> list[list[str]]:
    """Give each field one line, then the rest in order; cut what is left with an ellipsis."""
    allowed = [1] * len(wrapped)
    spare = room - len(wrapped)
    for index, lines in enumerate(wrapped):
        extra = min(spare, len(lines) - 1)
        allowed[index] += extra
        spare -= extra
    shared = []
    for lines, count in zip(wrapped, allowed, strict=True):
        kept = lines[:count]
        if len(lines) > count:
            kept[-1] = shorten(kept[-1], font, size, width)
        shared.append(kept)
    return shared
