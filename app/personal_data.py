"""Customers' personal data kept out of the log file and the support archive.

A crash log is written for support, who may see it on another continent: a traceback must say
where the program failed, not whose phone was being saved. SQL parameters are never logged (the
engine runs with ``hide_parameters=True``); what else a message may carry is replaced here:
phone numbers, e-mail addresses, the values PostgreSQL quotes in an error's DETAIL ("Key
(phone)=(138...)", "Failing row contains (...)"), and every run of Chinese characters (customers'
names and addresses are written in Chinese; the program's own messages in the log are English).
"""

from __future__ import annotations

import re

HIDDEN = "<hidden>"
PHONE = "<phone>"

# A mainland mobile (+86 allowed, spaces or dashes inside) or a landline with its area code; not
# a run of digits inside a longer one (an IMEI, an order number).
_MOBILE = r"(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}"
_LANDLINE = r"\(?0\d{2,3}\)?[-\s]?\d{7,8}(?:-\d{1,5})?"
_PHONE = re.compile(rf"(?<![\w+])(?:{_MOBILE}|{_LANDLINE})(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# PostgreSQL's DETAIL lines quote the values of the row.
_KEY_VALUES = re.compile(r"(Key \([^)]*\)=\()(.*?)(\)(?: already exists| is not present|\s*$))")
_FAILING_ROW = re.compile(r"(Failing row contains \().*(\))")
# Chinese (CJK ideographs, their extensions and compatibility forms) and full-width forms.
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\U00020000-\U0003134f]"
# ... with the house numbers written between and after them ("科技园3楼3A062").
_CHINESE = re.compile(rf"{_HAN}+(?:[\w-]*{_HAN}+)*[\w-]*")


def scrub(text: str) -> str:
    """``text`` with personal data replaced by ``<hidden>`` / ``<phone>``."""
    text = _KEY_VALUES.sub(rf"\g<1>{HIDDEN}\g<3>", text)
    text = _FAILING_ROW.sub(rf"\g<1>{HIDDEN}\g<2>", text)
    text = _EMAIL.sub(HIDDEN, text)
    text = _PHONE.sub(PHONE, text)
    return _CHINESE.sub(HIDDEN, text)
