"""`repairfloor screenshot`: one PNG per tab the user may see; Chinese is drawn with real glyphs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo, QFontMetrics, QImage, QRawFont
from PySide6.QtWidgets import QLabel

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import CJK_FONT_FAMILIES, create_application, run_screenshots


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def test_every_visible_tab_is_rendered_to_a_png(
    qapp, admin: Context, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "shots"
    assert run_screenshots(database_url, "bench-1", out, "admin", "zh_CN") == 0
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(
        f"{tab}.png"
        for tab in (
            "receivingTab",
            "allocationTab",
            "partsTab",
            "qcTab",
            "shippingTab",
            "complaintsTab",
            "ledgersTab",
            "adminTab",
        )
    )
    image = QImage(str(out / "receivingTab.png"))
    assert (image.width(), image.height()) == (1366, 768)


def test_a_receiving_clerk_gets_only_the_receiving_screenshot(
    qapp, make_user: Callable[..., Context], database_url: str, tmp_path: Path
) -> None:
    make_user(Role.RECEIVING_CLERK, username="clerk")
    out = tmp_path / "shots"
    assert run_screenshots(database_url, "bench-1", out, "clerk", "zh_CN") == 0
    assert [path.name for path in out.iterdir()] == ["receivingTab.png"]


def test_chinese_text_is_drawn_with_a_font_that_has_the_glyphs(qtbot) -> None:
    create_application("zh_CN")
    label = QLabel("收货 维修单号 老化中")
    qtbot.addWidget(label)
    label.show()
    font = label.font()
    family = QFontInfo(font).family()
    assert family in CJK_FONT_FAMILIES, f"no Chinese font installed; got {family}"
    metrics = QFontMetrics(font)
    raw = QRawFont.fromFont(font)
    for character in "收货维修单号老化中":
        assert metrics.inFontUcs4(ord(character)), character
        assert raw.supportsCharacter(ord(character)), character


def test_a_tab_is_grabbed_after_what_it_reads_has_arrived(qapp) -> None:
    """Lists load on the read worker: the screenshot waits for them (an empty register was
    grabbed before it did)."""
    import time

    from ui.application import _settle
    from ui.ops import BackgroundOp, ops_in_flight

    _settle(qapp)  # what earlier tests left in flight arrives first (one result a turn)
    owner = QLabel()
    shown: list[str] = []
    BackgroundOp(owner, lambda: time.sleep(0.5) or "rows").success(shown.append).run_in_background()
    assert ops_in_flight() == 1 and shown == []
    _settle(qapp)
    assert shown == ["rows"] and ops_in_flight() == 0
