"""The CJK font every PDF uses, embedded as a TrueType subset so Chinese prints on any PC.

Search order: the font shipped in ``resources/fonts``, then TrueType CJK fonts of the system
(Debian's WenQuanYi, Windows' YaHei / SimSun / SimHei). Only when none loads does reportlab's
built-in CID font STSong-Light stand in: it is not embedded and shows blank in viewers without
Adobe-GB1 data, so it is the last resort. CFF/OTF fonts (e.g. Noto CJK .otf) are skipped:
reportlab's TTFont cannot load them.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.config import shipped_fonts_dir

log = logging.getLogger(__name__)

CJK_FONT_NAME = "RepairFloorCJK"
FALLBACK_CID_FONT = "STSong-Light"

SYSTEM_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)


def candidate_paths() -> list[Path]:
    shipped = sorted(shipped_fonts_dir().glob("*.tt[fc]"))
    return [*shipped, *(Path(p) for p in SYSTEM_CANDIDATES)]


@cache
def cjk_font() -> str:
    """Register (once) and return the name of the font to draw Chinese with."""
    for path in candidate_paths():
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=0))
        except (TTFError, OSError) as error:
            log.warning("CJK font %s does not load: %s", path, error)
            continue
        return CJK_FONT_NAME
    log.warning(
        "No TrueType CJK font found: PDFs fall back to %s (not embedded)", FALLBACK_CID_FONT
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


def font_is_embedded() -> bool:
    return cjk_font() == CJK_FONT_NAME
